"""Random answer documents never make a traceback escape: either a recommendation or exit 2."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fwadvisor.cli.app import main

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini_rules"
KEYS = ["primary_goal", "deployment_targets", "existing_tf", "team_size", "project_name",
        "priority_research_flexibility", "unknown_q", "schema_version", "answers"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 1000), st.floats(allow_nan=True),
    st.text(max_size=20), st.sampled_from(["research", "production", "both", "browser", "cloud_gpu"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)
answer_maps = st.dictionaries(st.sampled_from(KEYS), values, max_size=6)
documents = st.one_of(
    st.builds(lambda a: {"schema_version": 1, "answers": a}, answer_maps),
    st.builds(lambda a, v: {"schema_version": v, "answers": a}, answer_maps, values),
    values,
)


def _run(text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "answers.yaml"
        f.write_text(text, encoding="utf-8")
        with pytest.raises(SystemExit) as info:
            main(["recommend", "--rules", str(MINI), "--answers", str(f), "--format", "json", "--samples", "50"])
    _, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else -1), err


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents)
def test_random_documents(doc: object, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(yaml.safe_dump(doc), capsys)
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err
    if code == 2:
        assert err.startswith("error: ")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_random_text(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(text, capsys)
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err
