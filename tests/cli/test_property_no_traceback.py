"""Fuzzing every input the CLI reads: answers files, --set, rulebook directories, probe files,
paths-check files and saved recommendations. Whatever the input, the command ends with exit
0 or 2 (one message starting `error: `), never a traceback or an internal error, and within
a time bound.

Hypothesis runs derandomized (a fixed seed: CI sees the same cases every run). The 400
cases take about 15 s of CPU (measured on a 2-core machine: 16 s of CPU, 67 s of wall time
for 450 cases while the load average was 10).
"""

from __future__ import annotations

import json
import math
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fwadvisor.cli.app import main
from fwadvisor.measurements.paths_file import PathsCheckFile, PathsSettings
from fwadvisor.records import dump_json
from fwadvisor.workers.fingerprint import machine_fingerprint
from tests.measurements.helpers import full_probe
from tests.pathcheck.helpers import check_result

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini_rules"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "default.yaml"
MINI_ANSWERS = "schema_version: 1\nanswers:\n  primary_goal: research\n  team_size: 3\n"
SECONDS = 15.0  # per command; a hang (an alias bomb, a FIFO, quadratic work) far exceeds it
KEYS = ["primary_goal", "deployment_targets", "existing_tf", "team_size", "project_name",
        "priority_research_flexibility", "unknown_q", "schema_version", "answers"]


def fuzz(examples: int) -> Any:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# -- values a careless user or an attacker writes ---------------------------------------------

CONTROL_TEXT = st.text(
    alphabet=st.sampled_from(["a", "Z", " ", "=", ",", "\x1b", "\x07", "\r", "\n", "\u202e", "é",
                              "[", "]", "{", ":", "&", "*", "!", "#", "'", '"', "\\", "\x00"]),
    max_size=30,
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 1000), st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([5e-324, 1e308, -0.0]),
    st.text(max_size=20), CONTROL_TEXT,
    st.sampled_from(["research", "production", "both", "browser", "cloud_gpu", "9999-12-31",
                     "2026-02-30", "ok", "failed", "pytorch", "tensorflow", "cpu", "eager"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
answer_maps = st.dictionaries(st.sampled_from(KEYS), values, max_size=6)
documents = st.one_of(
    st.builds(lambda a: {"schema_version": 1, "answers": a}, answer_maps),
    st.builds(lambda a, v: {"schema_version": v, "answers": a}, answer_maps, values),
    values,
)


BOMB = "[" + ", ".join(
    ['&a0 ["x","x","x","x","x","x","x","x","x","x"]']
    + [f"&a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
) + "]"
RAW_FRAGMENTS = st.sampled_from([
    "nan", ".nan", ".inf", "-.inf", "NaN", "Infinity", "-Infinity", "1e999", "5e-324", "-0.0",
    "9" * 4400, "-" + "9" * 4400, "2026-02-30", "9999-12-31", "0000-01-01", "2026-13-01",
    "[" * 150 + "]" * 150, "[" * 2000 + "]" * 2000, '"\\u001b]0;owned\\u0007"', "true",
    '"\\ud800"', "{}", "[]", "null", '"' + "m" * 5000 + '"',
])
YAML_ONLY = st.sampled_from([
    BOMB, "&r [1, *r]", "!!python/object/apply:os.system [true]", "!!binary aGVsbG8=",
    "!!set {a, b}", "*undefined", "<<: {a: 1}",
])
PLACEHOLDER = "\x00fuzz-placeholder\x00"


def mutated(data: st.DataObject, doc: Any) -> Any:
    """`doc` with one value somewhere in it replaced, a key deleted, or a list emptied."""
    if not isinstance(doc, (dict, list)) or not doc or data.draw(st.integers(0, 4)) == 0:
        return data.draw(values)
    keys = list(doc) if isinstance(doc, dict) else list(range(len(doc)))
    key = data.draw(st.sampled_from(keys))
    copy: Any = dict(doc) if isinstance(doc, dict) else list(doc)
    action = data.draw(st.integers(0, 9))
    if action == 0 and isinstance(copy, dict):
        del copy[key]
    else:
        copy[key] = mutated(data, doc[key])
    return copy


def with_raw(data: st.DataObject, doc: Any, dump: Any, yaml_too: bool = False) -> str:
    """`doc` dumped with one value replaced by a raw fragment of hostile YAML or JSON text."""
    fragments = RAW_FRAGMENTS | YAML_ONLY if yaml_too else RAW_FRAGMENTS
    text: str = dump(_placed(data, doc))
    fragment = data.draw(fragments)
    for form in (json.dumps(PLACEHOLDER), '"\\0fuzz-placeholder\\0"'):  # as JSON, as YAML
        text = text.replace(form, fragment, 1)
    return text


def _placed(data: st.DataObject, doc: Any) -> Any:
    if not isinstance(doc, (dict, list)) or not doc or data.draw(st.integers(0, 3)) == 0:
        return PLACEHOLDER
    keys = list(doc) if isinstance(doc, dict) else list(range(len(doc)))
    key = data.draw(st.sampled_from(keys))
    copy: Any = dict(doc) if isinstance(doc, dict) else list(doc)
    copy[key] = _placed(data, doc[key])
    return copy


# -- running the CLI ----------------------------------------------------------------------------


class Hung(BaseException):
    """Raised by the alarm in a command that ran past SECONDS (main's handler does not catch
    a BaseException, so the test fails here instead of hanging)."""


def _alarm(signum: int, frame: object) -> None:
    raise Hung(f"still running after {SECONDS} s")


@contextmanager
def time_bound() -> Iterator[None]:
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run_cli(
    capsys: pytest.CaptureFixture[str], *args: str, allowed: tuple[int, ...] = (0, 2)
) -> tuple[int, str]:
    start = time.perf_counter()
    with time_bound(), pytest.raises(SystemExit) as info:
        main(list(args))
    elapsed = time.perf_counter() - start
    _, err = capsys.readouterr()
    code = info.value.code
    code = code if isinstance(code, int) else -1
    assert code in allowed, err
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 2:
        assert err.startswith("error: ") or err.startswith("Usage:"), err
    assert elapsed < SECONDS, f"{args[0]} took {elapsed:.1f} s"
    return code, err


@contextmanager
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


def _json_text(data: Any) -> str:
    try:
        return json.dumps(data)
    except ValueError:  # an integer too long for Python to print
        return json.dumps(str(data))


# -- answers ---------------------------------------------------------------------------------


def _recommend_answers(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    with scratch() as d:
        f = d / "answers.yaml"
        f.write_text(text, encoding="utf-8", errors="surrogateescape")
        run_cli(capsys, "recommend", "--rules", str(MINI), "--answers", str(f), "--format",
                "json", "--samples", "50")


@fuzz(60)
@given(doc=documents)
def test_random_documents(doc: object, capsys: pytest.CaptureFixture[str]) -> None:
    _recommend_answers(yaml.safe_dump(doc), capsys)


@fuzz(60)
@given(text=st.one_of(st.text(max_size=200), CONTROL_TEXT.map(lambda t: f"answers:\n  {t}: {t}\n")))
def test_random_text(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    _recommend_answers(text, capsys)


ANSWERS_SEED = yaml.safe_load(MINI_ANSWERS) | {
    "answers": {"primary_goal": "research", "team_size": 3, "project_name": "p",
                "priority_research_flexibility": 3, "deployment_targets": ["browser"]},
}


@fuzz(60)
@given(data=st.data())
def test_hostile_fragments_in_answers(data: st.DataObject, capsys: pytest.CaptureFixture[str]) -> None:
    text = with_raw(data, ANSWERS_SEED, lambda d: yaml.safe_dump(d, width=10**6), yaml_too=True)
    _recommend_answers(text, capsys)


# -- --set -----------------------------------------------------------------------------------

set_values = st.one_of(
    CONTROL_TEXT, st.text(max_size=15),
    st.sampled_from(["nan", "inf", "-inf", "1e999", "1e-320", "-1", "3.5", "", "research",
                     "a,b,,c", "yes", "\udcff", "x\udc80y"]),
)


@fuzz(60)
@given(
    key=st.one_of(st.sampled_from(KEYS), st.sampled_from(KEYS), CONTROL_TEXT),
    value=set_values,
    sep=st.sampled_from(["=", "", "=="]),
)
def test_random_set(key: str, value: str, sep: str, capsys: pytest.CaptureFixture[str]) -> None:
    with scratch() as d:
        f = d / "answers.yaml"
        f.write_text(MINI_ANSWERS, encoding="utf-8")
        run_cli(capsys, "recommend", "--rules", str(MINI), "--answers", str(f), "--set",
                f"{key}{sep}{value}", "--samples", "50")


# -- rulebook directories ------------------------------------------------------------------------

RULE_FILES = sorted(p.relative_to(MINI).as_posix() for p in MINI.rglob("*.yaml"))


@fuzz(40)
@given(name=st.sampled_from(RULE_FILES), data=st.data())
def test_random_rulebook(name: str, data: st.DataObject, capsys: pytest.CaptureFixture[str]) -> None:
    with scratch() as d:
        rules = d / "rules"
        shutil.copytree(MINI, rules)
        original = yaml.safe_load((MINI / name).read_text(encoding="utf-8"))
        how = data.draw(st.integers(0, 3))
        if how == 0:
            text = data.draw(st.text(max_size=200))
        elif how == 1:
            text = with_raw(data, original, lambda d: yaml.safe_dump(d, width=10**6), True)
        else:
            text = yaml.safe_dump(mutated(data, original), allow_unicode=True)
        (rules / name).write_text(text, encoding="utf-8", errors="surrogateescape")
        answers = d / "a.yaml"
        answers.write_text(MINI_ANSWERS, encoding="utf-8")
        command = data.draw(st.sampled_from(["validate", "test", "recommend"]))
        if command == "recommend":
            run_cli(capsys, "recommend", "--rules", str(rules), "--answers", str(answers),
                    "--samples", "50")
        else:
            # `rules test` on a mutated cases file may find failing cases: exit 4, said so
            allowed = (0, 2, 4) if command == "test" else (0, 2)
            run_cli(capsys, "rules", command, "--rules", str(rules), allowed=allowed)


# -- probe, paths-check and saved recommendation files ------------------------------------------


def _probe_seed() -> Any:
    return json.loads(dump_json(full_probe(1e-3, 2e-3)))


def _paths_seed() -> Any:
    ok = check_result("torch-executorch-xnnpack", ["pt-android-executorch"], "ok")
    results = [
        replace(ok, rel_tolerance=1e-4),  # a plausible pass states its tolerance
        check_result("torch-litert-torch", ["pt-android-ai-edge-torch"], "failed"),
    ]
    doc = PathsCheckFile(
        complete=True,
        fingerprint=machine_fingerprint([]),
        settings=PathsSettings(
            targets=["mobile_android"], candidates=["pytorch"], models=["cnn"], threads=2,
            timeout_s=300,
        ),
        results=results,
    )
    return json.loads(dump_json(doc))


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    saved = tmp_path_factory.mktemp("saved") / "rec.json"
    with pytest.raises(SystemExit):
        main(["recommend", "--answers", str(EXAMPLE), "--format", "json", "--output", str(saved),
              "--samples", "50"])
    return {
        "probe": _probe_seed(),
        "paths": _paths_seed(),
        "saved": json.loads(saved.read_text(encoding="utf-8")),
    }


def _fuzzed_file(data: st.DataObject, seed: Any, d: Path) -> Path:
    f = d / "input.json"
    how = data.draw(st.integers(0, 5))
    if how == 0:
        f.write_text(data.draw(st.text(max_size=100)), encoding="utf-8", errors="surrogateescape")
    elif how <= 2:
        f.write_text(with_raw(data, seed, json.dumps), encoding="utf-8", errors="surrogateescape")
    else:
        f.write_text(_json_text(mutated(data, seed)), encoding="utf-8")
    return f


@pytest.mark.parametrize(("seed", "option"), [("probe", "--probe"), ("paths", "--paths-check")])
@fuzz(40)
@given(data=st.data())
def test_random_measurement_file(
    seed: str,
    option: str,
    data: st.DataObject,
    seeds: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    with scratch() as d:
        f = _fuzzed_file(data, seeds[seed], d)
        fmt = data.draw(st.sampled_from(["json", "text", "markdown", "html"]))
        run_cli(capsys, "recommend", "--answers", str(EXAMPLE), option, str(f), "--format",
                fmt, "--samples", "50")


@fuzz(40)
@given(data=st.data())
def test_random_saved_recommendation(
    data: st.DataObject, seeds: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    with scratch() as d:
        f = _fuzzed_file(data, seeds["saved"], d)
        fmt = data.draw(st.sampled_from(["text", "markdown", "html", "json"]))
        run_cli(capsys, "report", str(f), "--format", fmt)


def test_seeds_are_valid(seeds: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    """The unmutated seeds are accepted (else the fuzzing would test only the refusals)."""
    with scratch() as d:
        for key, option in (("probe", "--probe"), ("paths", "--paths-check")):
            f = d / f"{key}.json"
            f.write_text(json.dumps(seeds[key]), encoding="utf-8")
            code, err = run_cli(capsys, "recommend", "--answers", str(EXAMPLE), option, str(f))
            assert code == 0, err
        f = d / "saved.json"
        f.write_text(json.dumps(seeds["saved"]), encoding="utf-8")
        assert run_cli(capsys, "report", str(f))[0] == 0
    assert not math.isnan(0.0)
