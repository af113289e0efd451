"""`check_record` accepts exactly the records that validation would give back unchanged: the
same bounds, patterns, literals and types as the rule files, differentially against pydantic."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fwadvisor.recordcheck import Invalid, check_record
from fwadvisor.records import dump, validate
from fwadvisor.rulebook.model import Rulebook


def _records(value: Any, found: dict[type[Any], Any]) -> None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        found.setdefault(type(value), value)
        for f in dataclasses.fields(value):
            _records(getattr(value, f.name), found)
    elif isinstance(value, list | tuple):
        for v in value:
            _records(v, found)


@pytest.fixture(scope="module")
def samples(book: Rulebook) -> list[tuple[Any, str]]:
    found: dict[type[Any], Any] = {}
    for part in dataclasses.fields(book):
        _records(getattr(book, part.name), found)

    return [(record, f.name) for record in found.values() for f in dataclasses.fields(record)]


def test_every_record_of_the_builtin_rulebook_passes(book: Rulebook) -> None:
    check_record(book)


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _validation_keeps(record: Any, name: str, value: Any) -> bool:
    from pydantic import ValidationError

    data = dump(record, by_alias=True)
    field = next(f for f in dataclasses.fields(record) if f.name == name)
    data[name.rstrip("_") if name.rstrip("_") in data else name] = value
    try:
        result = validate(type(record), data)
    except ValidationError:
        return False
    return _same(getattr(result, field.name), value)


def _check_accepts(record: Any, name: str, value: Any) -> bool:
    try:
        check_record(dataclasses.replace(record, **{name: value}))
    except (Invalid, ValueError, TypeError):
        return False
    return True


plain = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-20, 20),
    st.sampled_from([-5, 5, 5.0, 9, 10, 0, 0.0, 1, 0.999, 1e308, -1e308]),
    st.booleans(),
    st.none(),
    st.text(max_size=8),
    st.sampled_from(
        [
            "high",
            "certain",
            "pytorch",
            "Py Torch",
            " x ",
            "\x1fx",
            "x\u3000",
            "https://a.b",
            "x" * 4001,
        ]
    ),
)
values = st.one_of(plain, st.lists(plain, max_size=3))


@settings(max_examples=400, deadline=None)
@given(data=st.data(), value=values)
def test_check_record_agrees_with_validation(
    samples: list[tuple[Any, str]], data: st.DataObject, value: Any
) -> None:
    record, name = data.draw(st.sampled_from(samples))
    if isinstance(getattr(record, name), dict | tuple) or dataclasses.is_dataclass(
        getattr(record, name)
    ):
        return  # nested records are covered by their own fields
    assert _check_accepts(record, name, value) == _validation_keeps(record, name, value), (
        type(record).__name__,
        name,
        value,
    )


@dataclasses.dataclass(frozen=True)
class _Empty:
    pass


@dataclasses.dataclass(frozen=True)
class _Holder:
    inner: _Empty
    items: list[_Empty]


def test_records_without_fields_are_checked_too() -> None:
    check_record(_Holder(inner=_Empty(), items=[_Empty()]))
    with pytest.raises(Invalid):
        check_record(_Holder(inner=_Empty(), items=[None]))  # type: ignore[list-item]


def test_record_types_are_found_through_the_declarations() -> None:
    from fwadvisor.recordcheck import record_types
    from fwadvisor.rulebook import snapshot
    from fwadvisor.rulebook.conditions import Leaf
    from fwadvisor.rulebook.schema import ScoreEffect

    assert record_types(_Holder) == [_Holder, _Empty]
    assert {Leaf, ScoreEffect, Rulebook} <= set(snapshot._TYPES.values())  # in a union, a list
