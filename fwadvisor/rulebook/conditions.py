"""The condition language: all/any/not over `{fact, op, value}` leaves.

A fixed operator set, no eval. Parsing dispatches on the keys present so that an error
names the one branch the author meant, not every branch of a union.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from fwadvisor.models import Record
from fwadvisor.validation import TAG_PREFIX

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


class Strict(Record):
    """A rulebook record: a Record that also accepts field names where YAML uses aliases."""

    model_config = ConfigDict(populate_by_name=True)


class Leaf(Strict):
    """Compare one fact with a value. Facts are question ids or `probe.*` names."""

    fact: str = Field(
        min_length=1, description="a question id, or a probe fact such as probe.gpu_present"
    )
    op: Operator
    value: LeafValue = None


class AllOf(Strict):
    all: list[Condition] = Field(min_length=1)


class AnyOf(Strict):
    any: list[Condition] = Field(min_length=1)


class NotOf(Strict):
    not_: Condition = Field(alias="not")


# Union tags show up in pydantic's error locations; the prefix lets them be dropped there
# (a tag named like the field it selects would print `when.all.all[0]`).


def _branch(raw: Any) -> str | None:
    if isinstance(raw, dict):
        key = next((k for k in ("all", "any", "not") if k in raw), "leaf")
        return TAG_PREFIX + key
    if isinstance(raw, BaseModel):
        kind = {AllOf: "all", AnyOf: "any", NotOf: "not", Leaf: "leaf"}.get(type(raw))
        return TAG_PREFIX + kind if kind else None
    return None


Condition = Annotated[
    Annotated[AllOf, Tag(TAG_PREFIX + "all")]
    | Annotated[AnyOf, Tag(TAG_PREFIX + "any")]
    | Annotated[NotOf, Tag(TAG_PREFIX + "not")]
    | Annotated[Leaf, Tag(TAG_PREFIX + "leaf")],
    Discriminator(
        _branch,
        custom_error_type="condition",
        custom_error_message="a condition is a mapping: {all: [...]}, {any: [...]}, {not: ...} "
        "or {fact, op, value}",
    ),
]



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
