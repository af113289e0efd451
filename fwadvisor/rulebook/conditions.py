"""The condition language: all/any/not over `{fact, op, value}` leaves.

A fixed operator set, no eval. Parsing dispatches on the keys present so that an error
names the one branch the author meant, not every branch of a union.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from fwadvisor.records import RECORD_CONFIG, Limits, Record, Str, record
from fwadvisor.validation import TAG_PREFIX

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

Operator = Literal[
    "eq",
    "ne",
    "in",
    "not_in",
    "contains",
    "not_contains",
    "contains_any",
    "contains_all",
    "contains_only",
    "gt",
    "gte",
    "lt",
    "lte",
    "is_set",
]

Scalar = str | int | float | bool
LeafValue = Scalar | list[Scalar] | None


def _yaml_key(name: str) -> str:
    return name.rstrip("_")  # `not_` is written `not` (a Python keyword)


@record
class RulebookRecord(Record):
    """A rulebook record: a Record whose YAML keys may be Python keywords (`not`)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {
        **RECORD_CONFIG,
        "alias_generator": _yaml_key,
        "populate_by_name": True,
    }


@record
class Leaf(RulebookRecord):
    """Compare one fact with a value. Facts are question ids or `probe.*` names."""

    fact: Annotated[str, Str(min_length=1)]
    """a question id, or a probe fact such as probe.gpu_present"""
    op: Operator
    value: LeafValue = None


@record
class AllOf(RulebookRecord):
    """Holds when every condition in `all` holds."""

    all: Annotated[list[Condition], Limits(min_length=1)]


@record
class AnyOf(RulebookRecord):
    """Holds when at least one condition in `any` holds."""

    any: Annotated[list[Condition], Limits(min_length=1)]


@record
class NotOf(RulebookRecord):
    """Holds when the condition under `not` does not."""

    not_: Condition


# Union tags show up in pydantic's error locations; the prefix lets them be dropped there
# (a tag named like the field it selects would print `when.all.all[0]`).


def _branch(raw: Any) -> str | None:
    if isinstance(raw, dict):
        key = next((k for k in ("all", "any", "not") if k in raw), "leaf")
        return TAG_PREFIX + key
    kind = {AllOf: "all", AnyOf: "any", NotOf: "not", Leaf: "leaf"}.get(type(raw))
    return TAG_PREFIX + kind if kind else None


class _Branches:
    """pydantic validates a condition as a union tagged by the keys present (built lazily,
    so that defining conditions does not import pydantic)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic import Discriminator, Tag

        tagged = Annotated[
            Annotated[AllOf, Tag(TAG_PREFIX + "all")]
            | Annotated[AnyOf, Tag(TAG_PREFIX + "any")]
            | Annotated[NotOf, Tag(TAG_PREFIX + "not")]
            | Annotated[Leaf, Tag(TAG_PREFIX + "leaf")],
            Discriminator(
                _branch,
                custom_error_type="condition",
                custom_error_message="a condition is a mapping: {all: [...]}, {any: [...]}, "
                "{not: ...} or {fact, op, value}",
            ),
        ]
        return handler.generate_schema(tagged)


Condition = Annotated[AllOf | AnyOf | NotOf | Leaf, _Branches()]


LeafPath = tuple[str | int, ...]


def iter_leaves(cond: Condition, path: LeafPath = ()) -> list[tuple[LeafPath, Leaf]]:
    """Every leaf with its path inside the condition, e.g. ('all', 1, 'not')."""
    if isinstance(cond, Leaf):
        return [(path, cond)]
    if isinstance(cond, AllOf):
        return [x for i, c in enumerate(cond.all) for x in iter_leaves(c, (*path, "all", i))]
    if isinstance(cond, AnyOf):
        return [x for i, c in enumerate(cond.any) for x in iter_leaves(c, (*path, "any", i))]
    return iter_leaves(cond.not_, (*path, "not"))


def path_text(path: LeafPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out.lstrip(".")


def facts_of(cond: Condition | None) -> frozenset[str]:
    return frozenset() if cond is None else frozenset(leaf.fact for _, leaf in iter_leaves(cond))
