"""The standard-library JSON writer gives pydantic's bytes (the JSON report's format)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from fwadvisor.answers import load_answers
from fwadvisor.jsontext import dumps, float_text
from fwadvisor.models import Recommendation
from fwadvisor.pipeline import AdviceOptions, advise
from fwadvisor.rulebook.loader import load_rulebook

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.yaml"))
_floats = TypeAdapter(list[float])


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
@pytest.mark.parametrize("indent", [None, 2])
def test_recommendation_bytes_match_pydantic(example: Path, indent: int | None) -> None:
    rulebook = load_rulebook(None)
    rec = advise(rulebook, load_answers(rulebook, example, []), options=AdviceOptions(samples=50))
    expected = TypeAdapter(Recommendation).dump_json(rec, indent=indent).decode()
    assert dumps(rec, indent=indent) == expected


@given(st.floats())
def test_floats_match_pydantic(value: float) -> None:
    assert float_text(value) == _floats.dump_json([value]).decode()[1:-1]


@pytest.mark.parametrize("value", [1e-5, 1.23e-5, -9.99e-5, 1e-6, 1e-4, 1e16, 1e15, 5e-324, -0.0])
def test_float_edges_match_pydantic(value: float) -> None:
    assert float_text(value) == _floats.dump_json([value]).decode()[1:-1]


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.dates(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(_json_values, st.sampled_from([None, 2]))
def test_nested_values_match_pydantic(value: object, indent: int | None) -> None:
    expected = TypeAdapter(object).dump_json(value, indent=indent).decode()
    assert dumps(value, indent=indent) == expected


def test_unknown_types_are_refused() -> None:
    with pytest.raises(TypeError):
        dumps({1, 2})
    assert dumps(dt.date(2026, 12, 6)) == '"2026-12-06"'
