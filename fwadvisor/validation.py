"""Validate data as a record; turn pydantic's errors into Problems naming file, line and field.

pydantic is imported on first use (see records.py): a command that validates nothing
does not load it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from fwadvisor.errors import FwAdvisorError, Problem, UsageError
from fwadvisor.records import validate as validate_record
from fwadvisor.yamlio import Document, dotted, load_json

if TYPE_CHECKING:
    from pydantic import ValidationError

M = TypeVar("M")

TAG_PREFIX = "condition:"
"""Prefix of the tags on the rulebook's condition union; error locations drop these tags."""


# pydantic names these differently for models and for dataclasses
_UNKNOWN_KEY = frozenset({"extra_forbidden", "unexpected_keyword_argument"})
_MISSING_KEY = frozenset({"missing", "missing_keyword_only_argument", "missing_argument"})


def _clean_loc(loc: Sequence[Any]) -> list[str | int]:
    # pydantic adds union tags and validator or type names (`function-after[...]`) to
    # locations: keep only the keys and indexes a user wrote
    return [
        p for p in loc if isinstance(p, int) or not (str(p).startswith(TAG_PREFIX) or "[" in str(p))
    ]


def problems_from(
    exc: ValidationError, doc: Document | None, base: Sequence[str | int] = ()
) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = [*base, *_clean_loc(err["loc"])]
        msg = err["msg"]
        if err["type"] in _UNKNOWN_KEY:
            msg = "unknown key"
        elif err["type"] in _MISSING_KEY:
            msg = "required key is missing"
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        line = doc.line_of(loc) if doc else None
        problems.append(
            Problem(
                message=msg, file=doc.source if doc else None, line=line, field=dotted(loc) or None
            )
        )
    return problems


def validate(
    model: type[M],
    data: Any,
    doc: Document,
    error: type[FwAdvisorError],
    base: Sequence[str | int] = (),
) -> M:
    from pydantic import ValidationError

    try:
        return validate_record(model, data)
    except ValidationError as exc:
        raise error(problems=problems_from(exc, doc, base)) from None


def load_json_record(
    path: Path,
    what: str,
    model: type[M],
    error: type[FwAdvisorError],
    *,
    schema_version: int | None = None,
    rerun: str | None = None,
) -> M:
    """A JSON file read as `model`: an object, of the schema version this fwadvisor reads,
    valid; every problem raised as `error`, naming file, line and field (`rerun` says how to
    write a file of the current version)."""
    try:
        doc = load_json(path, what)
    except FwAdvisorError as exc:
        raise error(problems=exc.problems, hint=exc.hint) from None
    data = doc.data
    if not isinstance(data, dict):
        raise error.at(f"a {what} must be a JSON object, not {type(data).__name__}", path, 1)
    version = data.get("schema_version")
    if schema_version is not None and version != schema_version:
        raise error.at(
            f"schema version {version!r} is not supported (this fwadvisor reads {schema_version})",
            path,
            doc.line_of(("schema_version",)),
            field="schema_version",
            hint=rerun,
        )
    return validate(model, data, doc, error)


def parse_choices(
    value: str | None,
    valid: Sequence[str],
    what: str,
    option: str,
    default: Sequence[str] | None = None,
) -> list[str]:
    """A comma-separated option as a list of `valid` items, in `valid`'s order; UsageError
    (exit 2) naming `option` for an unknown item; `default` (else all) when empty."""
    if value is None or not value.strip():
        return list(valid if default is None else default)
    items = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in items if v not in valid]
    if unknown:
        raise UsageError.at(
            f"unknown {what} {', '.join(map(repr, unknown))}; valid: {', '.join(valid)}",
            field=option,
        )
    return [v for v in valid if v in items]  # canonical order, no duplicates
