"""Records as JSON text with the standard library, byte for byte as pydantic writes them.

`fwadvisor recommend --format json` is the scripted mode CI uses; serialising through a
pydantic `TypeAdapter` imports pydantic's model machinery and builds a serializer for the
whole `Recommendation` on every run. The records are plain dataclasses of JSON-ready values,
so walking them is enough. What pydantic does, and this module does the same:

* a dataclass is an object of its fields in declaration order; a dict keeps its order;
  tuples and lists are arrays; `datetime.date` is `"YYYY-MM-DD"`;
* strings are UTF-8, not `\\u`-escaped beyond what JSON requires;
* floats are written as Rust's float formatting does (`1e-7`, `1e+16`, `0.00001`), and NaN or
  infinity as `null`;
* with `indent`, empty arrays and objects stay `[]` and `{}`, separators are `,` and `: `.

`tests/test_jsontext.py` checks equality with pydantic's bytes on the example recommendations
and on generated values (hypothesis).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from typing import Any

_string = json.encoder.encode_basestring


def float_text(value: float) -> str:
    """A float as pydantic-core writes it."""
    if not math.isfinite(value):
        return "null"
    text = repr(value)
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    power = int(exponent)
    if power == -5:  # Rust writes 1e-5 .. 9.99e-5 positionally, Python in exponent form
        sign = "-" if mantissa.startswith("-") else ""
        digits = mantissa.lstrip("-").replace(".", "")
        return f"{sign}0.0000{digits.rstrip('0') or '0'}"
    return f"{mantissa}e{'+' if power > 0 else '-'}{abs(power)}"


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    return value


def dumps(value: Any, *, indent: int | None = None) -> str:
    """`value` (records, dicts, lists, tuples, dates, str, int, float, bool, None) as JSON."""
    parts: list[str] = []
    _write(value, parts, indent, 0)
    return "".join(parts)


def _write(value: Any, out: list[str], indent: int | None, depth: int) -> None:
    value = _plain(value)
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(float_text(value))
    elif isinstance(value, dt.date):
        out.append(_string(value.isoformat()))
    elif isinstance(value, dict):
        _container(
            [(_string(str(k)) + (": " if indent is not None else ":"), v) for k, v in value.items()],
            "{",
            "}",
            out,
            indent,
            depth,
        )
    elif isinstance(value, list | tuple):
        _container([("", v) for v in value], "[", "]", out, indent, depth)
    else:
        raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _container(
    items: list[tuple[str, Any]],
    opening: str,
    closing: str,
    out: list[str],
    indent: int | None,
    depth: int,
) -> None:
    if not items:
        out.append(opening + closing)
        return
    out.append(opening)
    inner = "" if indent is None else "\n" + " " * (indent * (depth + 1))
    for i, (key, item) in enumerate(items):
        if i:
            out.append(",")
        out.append(inner + key)
        _write(item, out, indent, depth + 1)
    out.append("" if indent is None else "\n" + " " * (indent * depth))
    out.append(closing)
