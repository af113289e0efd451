from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fwadvisor.rulebook.conditions import AllOf, Leaf, NotOf
from fwadvisor.rulebook.engine import Refire, evaluate, fired_flags
from fwadvisor.rulebook.evaluate import holds, leaf_holds, trace
from fwadvisor.rulebook.model import Rulebook

FACTS: dict[str, Any] = {
    "goal": "research",
    "targets": ["mobile", "browser"],
    "size": 4,
    "tf": False,
    "empty": [],
}


@pytest.mark.parametrize(
    ("fact", "op", "value", "expected"),
    [
        ("goal", "eq", "research", True),
        ("goal", "ne", "research", False),
        ("goal", "in", ["research", "both"], True),
        ("goal", "not_in", ["research"], False),
        ("targets", "contains", "mobile", True),
        ("targets", "not_contains", "mobile", False),
        ("targets", "contains_any", ["cloud", "browser"], True),
        ("targets", "contains_all", ["mobile", "cloud"], False),
        ("targets", "contains_only", ["mobile", "browser"], True),
        ("targets", "contains_only", ["browser"], False),
        ("empty", "contains_only", ["browser"], False),  # nothing chosen is not "only"
        ("size", "gt", 4, False),
        ("size", "gte", 4, True),
        ("size", "lt", 5, True),
        ("size", "lte", 3, False),
        ("tf", "eq", False, True),
        ("goal", "is_set", True, True),
        ("missing", "is_set", False, True),
        ("missing", "ne", "x", False),  # an unknown fact never satisfies a comparison
        ("missing", "not_in", ["x"], False),
    ],
)
def test_operators(fact: str, op: str, value: Any, expected: bool) -> None:
    assert leaf_holds(Leaf(fact=fact, op=op, value=value), FACTS) is expected


def test_trace_records_every_leaf_with_paths() -> None:
    cond = AllOf(
        all=[
            Leaf(fact="goal", op="eq", value="research"),
            NotOf(not_=Leaf(fact="tf", op="eq", value=True)),
        ]
    )
    result, leaves = trace(cond, FACTS)
    assert result is True
    assert [leaf.path for leaf in leaves] == ["all[0]", "all[1].not"]
    assert leaves[1].result is False and leaves[1].known is True
    assert holds(cond, FACTS) is True


def test_deciding_leaves_explain_fired_and_not_fired(mini: Rulebook) -> None:
    outcomes = {
        o.rule.id: o for o in evaluate(mini, {"primary_goal": "production", "existing_tf": True})
    }
    fired = outcomes["tf-serving-estate"]
    assert fired.fired
    assert {leaf.fact for leaf in fired.deciding_leaves()} == {"existing_tf", "primary_goal"}
    research = outcomes["research-eager"]
    assert not research.fired
    assert [leaf.actual for leaf in research.deciding_leaves()] == ["production"]


answers = st.fixed_dictionaries(
    {},
    optional={
        "primary_goal": st.sampled_from(["research", "production", "both"]),
        "existing_tf": st.booleans(),
        "deployment_targets": st.lists(
            st.sampled_from(["cloud_gpu", "mobile_android", "browser", "none"]), unique=True
        ),
        "probe.gpu_present": st.booleans(),
        "probe.torch_compile_ok": st.booleans(),
    },
)


@settings(max_examples=200, deadline=None)
@given(before=answers, after=answers)
def test_incremental_refire_matches_full_evaluation(
    mini: Rulebook, before: dict[str, Any], after: dict[str, Any]
) -> None:
    base = fired_flags(mini, before)
    assert Refire(mini, base, before)(after) == fired_flags(mini, after)
    assert [o.fired for o in evaluate(mini, after)] == fired_flags(mini, after)
