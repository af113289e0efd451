"""Check records that were built without pydantic against their declared types and bounds.

A record read back from the cache is rebuilt by calling its constructor, which runs its
`__post_init__` checks but none of the constraints pydantic enforces on a file. This module
enforces those: the same `Annotated` markers (`records.Str`, `records.Limits`), `Literal`
sets and field types that pydantic reads, so an entry holds to the bounds of the YAML it
came from (`tests/test_recordcheck.py` holds the two to the same verdicts). It knows only
the shapes records use (records, lists, tuples, dicts, unions, literals, str, int, float,
bool, dates, None and Any) and refuses any other.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
import re
import sys
import types
import typing
from collections.abc import Callable
from typing import Any

from fwadvisor.records import Limits, Str


class Invalid(ValueError):
    """A value outside its declared type or bounds (the message names the record type)."""


Check = Callable[[Any], bool]

_fields: dict[type[Any], tuple[Callable[[Any], tuple[Any, ...]], tuple[Check, ...]]] = {}


def check_record(record: Any) -> None:
    """Raise Invalid unless `record` and every record inside it hold to their declarations."""
    if not _record_ok(record):
        raise Invalid(f"a {type(record).__name__} outside its declared types or bounds")


def _record_ok(record: Any) -> bool:
    kind = type(record)
    plan = _fields.get(kind)
    if plan is None:
        plan = _fields[kind] = _plan(kind)
    values_of, checks = plan
    for ok, value in zip(checks, values_of(record), strict=True):  # noqa: SIM110 - speed
        if not ok(value):
            return False
    return True


def _plan(kind: type[Any]) -> tuple[Callable[[Any], tuple[Any, ...]], tuple[Check, ...]]:
    fields = dataclasses.fields(kind)
    names = [f.name for f in fields]
    if len(names) > 1:
        values_of: Callable[[Any], tuple[Any, ...]] = operator.attrgetter(*names)
    elif names:
        one = operator.attrgetter(names[0])
        values_of = lambda r: (one(r),)  # noqa: E731
    else:
        values_of = lambda r: ()  # noqa: E731
    return values_of, tuple(_build(_declared(kind, f)) for f in fields)


def record_types(root: type[Any]) -> list[type[Any]]:
    """`root` and every record type its fields can hold, found through their declared types
    (a record added anywhere in the tree is found with no list to update)."""
    found: list[type[Any]] = []
    pending: list[Any] = [root]
    while pending:
        hint = pending.pop()
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            if hint not in found:
                found.append(hint)
                pending += [_declared(hint, f) for f in dataclasses.fields(hint)]
        else:
            pending += typing.get_args(hint)
    return found


def _declared(kind: type[Any], field: dataclasses.Field[Any]) -> Any:
    """A field's type as declared (`from __future__ import annotations` keeps it as the text
    written in fwadvisor's own source): evaluated in the namespace of the class that declares
    it, as `typing.get_type_hints` would, at a third of its cost (measured: notes/startup.md)."""
    if not isinstance(field.type, str):
        return field.type
    found = _types.get((kind, field.name))
    if found is None:
        owner = next(c for c in kind.__mro__ if field.name in vars(c).get("__annotations__", {}))
        # the text of an annotation in fwadvisor's own source, never data from outside
        found = _types[kind, field.name] = eval(field.type, vars(sys.modules[owner.__module__]))
    return found


_types: dict[tuple[type[Any], str], Any] = {}


def _build(hint: Any) -> Check:
    # loops rather than all()/any() over generators: this runs for every field of every
    # record on each snapshot hit, so the start-up figure sees it
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any:
        return _anything
    if hint is None or hint is type(None):
        return lambda v: v is None
    if origin is typing.Annotated:
        marks = [m for m in hint.__metadata__ if isinstance(m, Str | Limits)]
        if len(marks) == 1 and args[0] in (str, int, float):  # the common case, in one call
            return (
                _string(marks[0], args[0])
                if isinstance(marks[0], Str)
                else _limits(marks[0], args[0])
            )
        return _annotated(_build(args[0]), marks)
    if origin is typing.Literal:
        allowed = frozenset((type(a), a) for a in args)
        kinds = frozenset(type(a) for a in args)
        return lambda v: type(v) in kinds and (type(v), v) in allowed
    if origin is typing.Union or origin is types.UnionType:
        options = [_build(a) for a in args if a is not type(None)]
        if len(options) == 1 < len(args):
            only = options[0]
            return lambda v: v is None or only(v)
        options += [_build(None)] * (len(options) < len(args))

        def either(v: Any) -> bool:
            for ok in options:  # noqa: SIM110 - speed
                if ok(v):
                    return True
            return False

        return either
    if origin is tuple and (len(args) != 2 or args[1] is not Ellipsis):
        parts = [_build(a) for a in args]
        return lambda v: (
            type(v) is tuple
            and len(v) == len(parts)
            and all(ok(x) for ok, x in zip(parts, v, strict=True))
        )
    if origin is list or origin is tuple:
        item = _build(args[0])

        def each(v: Any) -> bool:
            if type(v) is not origin:
                return False
            for x in v:  # noqa: SIM110 - speed
                if not item(x):
                    return False
            return True

        return each
    if origin is dict:
        key, value = _build(args[0]), _build(args[1])

        def mapping(v: Any) -> bool:
            if type(v) is not dict:
                return False
            for k, x in v.items():  # noqa: SIM110 - speed
                if not (key(k) and value(x)):
                    return False
            return True

        return mapping
    if hint in (str, int, float, bool, dt.date):  # exactly: validation would convert others
        return lambda v: type(v) is hint
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return lambda v: type(v) is hint and _record_ok(v)
    raise TypeError(f"records do not declare {hint!r}")


def _anything(v: Any) -> bool:
    return True


def _annotated(inner: Check, marks: list[Str | Limits]) -> Check:
    for mark in marks:
        if isinstance(mark, Str):
            inner = _both(inner, _string(mark))
        elif isinstance(mark, Limits):
            inner = _both(inner, _limits(mark))
    return inner


def _both(first: Check, second: Check) -> Check:
    return lambda v: first(v) and second(v)


_WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""What validation strips: Unicode's White_Space (Python's `str.strip` also strips \x1c-\x1f)."""


def _string(mark: Str, kind: type[Any] | None = None) -> Check:
    pattern = re.compile(mark.pattern) if mark.pattern else None
    least, most = mark.min_length or 0, mark.max_length

    def ok(v: str) -> bool:
        if kind is not None and type(v) is not kind:
            return False
        if mark.strip_whitespace and v != v.strip(_WHITE_SPACE):
            return False  # validation strips; a stripped value never changes
        if len(v) < least or (most is not None and len(v) > most):
            return False
        return pattern is None or pattern.search(v) is not None

    return ok


def _limits(mark: Limits, kind: type[Any] | None = None) -> Check:
    def ok(v: Any) -> bool:
        if kind is not None and type(v) is not kind:
            return False
        if mark.min_length is not None and len(v) < mark.min_length:
            return False
        # written so that NaN fails every bound, as it does in validation
        return not (
            (mark.ge is not None and not v >= mark.ge)
            or (mark.gt is not None and not v > mark.gt)
            or (mark.le is not None and not v <= mark.le)
            or (mark.lt is not None and not v < mark.lt)
        )

    return ok
