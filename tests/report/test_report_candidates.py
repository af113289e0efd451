"""Evidence tables and charts are per compared candidate: one column each, names and colours
from candidates.yaml, the ratio labelled from the registry's RATIO_PAIR; a probe file with
JAX measurements renders JAX's times in every format although the ratio does not score them."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from fwadvisor.models import Recommendation
from fwadvisor.records import dump_json, validate
from fwadvisor.registry import RATIO_PAIR
from fwadvisor.report import charts, html_report, markdown_report, text_report
from fwadvisor.rulebook.loader import load_rulebook
from tests.cli_run import cli
from tests.measurements.helpers import around as samples_around
from tests.measurements.helpers import full_probe, measurement

TEMPLATES = Path(html_report.__file__).resolve().parent / "templates"
ROOT = Path(__file__).resolve().parents[2]
THREE = "pytorch,tensorflow,jax"
JAX_EAGER_S, JAX_JIT_S = 0.0031, 0.0017


def test_templates_name_no_candidate() -> None:
    """Templates take candidates from the recommendation: no id, no display name, no legacy
    per-framework field."""
    words = {w for c in load_rulebook().candidates for w in (c.id, c.name)}
    pattern = re.compile(r"(?<![A-Za-z])(" + "|".join(map(re.escape, words)) + r")(?![A-Za-z])")
    found = [
        f"{path.name}:{n}: {line.strip()[:80]}"
        for path in sorted(TEMPLATES.glob("*.j2"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []


def _jax_probe(path: Path) -> Path:
    """A complete two-framework probe file plus JAX eager and jit on every workload."""
    base = full_probe(pt=0.004, tf=0.005)
    extra = [
        measurement("jax", mode, m.workload, m.variant, samples_around(t))
        for m in base.measurements
        if (m.framework, m.mode) == (RATIO_PAIR[0], "eager")
        for mode, t in (("eager", JAX_EAGER_S), ("jit", JAX_JIT_S))
    ]
    frameworks = [*base.settings.frameworks, "jax"]
    probe = replace(base, measurements=[*base.measurements, *extra], settings=replace(base.settings, frameworks=frameworks), fingerprint=replace(base.fingerprint, frameworks={
                        **base.fingerprint.frameworks,
                        "jax": base.fingerprint.frameworks[RATIO_PAIR[0]],
                    }))
    path.write_text(dump_json(probe), encoding="utf-8")
    return path


@pytest.fixture
def three_way(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Recommendation:
    probe = _jax_probe(tmp_path / "probe.json")
    out = tmp_path / "rec.json"
    args = ["recommend", "--answers", str(ROOT / "examples" / "default.yaml")]
    args += ["--candidates", THREE, "--probe", str(probe), "--format", "json", "-o", str(out)]
    code, _, err = cli(capsys, *args)
    assert code == 0, err
    return validate(Recommendation, json.loads(out.read_text(encoding="utf-8")))


def test_probe_with_jax_gives_jax_times_and_points_in_the_evidence(
    three_way: Recommendation,
) -> None:
    """Every pair of compared candidates is one ratio: JAX is scored like the others."""
    assert three_way.evidence
    pairs = {(e.numerator, e.denominator) for e in three_way.evidence}
    assert pairs == {("pytorch", "tensorflow"), ("pytorch", "jax"), ("tensorflow", "jax")}
    for e in three_way.evidence:
        assert set(e.by_candidate) == {"pytorch", "tensorflow", "jax"}
        assert e.by_candidate["jax"].mode in ("eager", "jit")
        assert set(e.points) <= {e.numerator, e.denominator}
    measured = three_way.scores["jax"]["measured_performance"].raw
    assert measured != 0 and any("jax" in e.points for e in three_way.evidence)


def test_markdown_has_one_column_per_candidate(three_way: Recommendation) -> None:
    md = markdown_report.render(three_way)
    header = next(line for line in md.splitlines() if line.startswith("| Machine | Device"))
    cells = [c.strip() for c in header.strip("|").split("|")]
    assert cells[4:8] == ["PyTorch", "TensorFlow", "JAX", "Ratio (time / time)"]
    rows = [line for line in md.splitlines() if line.startswith("| testbox (cpu) |")]
    assert len(rows) == len(three_way.evidence)
    jax_cells = {[c.strip() for c in row.strip("|").split("|")][6] for row in rows}
    assert jax_cells <= {"3.1 ms (eager)", "1.7 ms (jit)"} and jax_cells
    ratios = {[c.strip() for c in row.strip("|").split("|")][7].rsplit(" ", 1)[0] for row in rows}
    assert ratios == {"PyTorch / TensorFlow", "PyTorch / JAX", "TensorFlow / JAX"}
    assert "scored no measured points" not in md
    for e in three_way.evidence:  # one sentence per ratio (markdown escapes its brackets)
        assert "- " + e.sentence.replace("[", "\\[").replace("]", "\\]") in md


def test_html_table_and_time_chart_show_three_frameworks(three_way: Recommendation) -> None:
    page = html_report.render(three_way)
    head = page[page.index('<section id="measurements">') :]
    head = head[: head.index("</thead>")]
    assert re.findall(r"</span>(PyTorch|TensorFlow|JAX)</th>", head) == [
        "PyTorch",
        "TensorFlow",
        "JAX",
    ]
    assert "Ratio (time / time)" in head
    assert "1.7 ms" in page or "3.1 ms" in page

    svg = charts.times_svg(three_way)
    assert svg is not None
    legend = re.findall(r">((?:PyTorch|TensorFlow|JAX) [a-z]+)", svg)
    frameworks = list(dict.fromkeys(label.split()[0] for label in legend))
    assert frameworks == ["PyTorch", "TensorFlow", "JAX"]
    assert {"JAX eager", "JAX jit"} <= set(legend)
    jax_colour = next(r.color for r in three_way.ranking if r.candidate == "jax")
    assert jax_colour and jax_colour.lower() in svg.lower()


def test_text_report_has_one_column_per_candidate(three_way: Recommendation) -> None:
    text = text_report.render(three_way, width=160)
    block = text[text.index("Measurements used") :]
    header = next(line for line in block.splitlines() if "machine" in line)
    assert re.search(r"PyTorch\s.*TensorFlow\s.*JAX\s.*ratio \(95%\)", header)
    assert "ratio: the first named candidate's time / the second's" in block
    assert "not scored" not in block
    assert "JAX's" in block and "on measured performance" in block
    robustness = next(line for line in text.splitlines() if "first places" in line)
    assert re.search(r"first places (PyTorch|TensorFlow|JAX) \d+%, ", robustness)
    assert not re.search(r"\b(pytorch|tensorflow|jax) \d+%", robustness)


def test_two_way_report_leaves_out_a_measured_framework(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JAX measured but not compared: no JAX column, no JAX bar (documented in docs/reports.md)."""
    probe = _jax_probe(tmp_path / "probe.json")
    out = tmp_path / "rec.md"
    args = ["recommend", "--answers", str(ROOT / "examples" / "default.yaml")]
    args += ["--probe", str(probe), "--format", "markdown", "-o", str(out)]
    code, _, err = cli(capsys, *args)
    assert code == 0, err
    md = out.read_text(encoding="utf-8")
    header = next(line for line in md.splitlines() if line.startswith("| Machine | Device"))
    assert "JAX" not in header and "PyTorch | TensorFlow" in header
    assert "shown as measured" not in md


def test_a_measured_candidate_is_scored_and_needs_no_note(three_way: Recommendation) -> None:
    assert not any("hold no measurements" in n for n in three_way.notes)
    assert not any(n.startswith("JAX was measured") for n in three_way.notes)


def test_time_axis_is_labelled_within_one_decade(three_way: Recommendation) -> None:
    """Every time here lies between 1.7 and 5 ms: the log axis still names its ticks."""
    svg = charts.times_svg(three_way)
    assert svg is not None
    assert re.findall(r">([^<>]*ms)</text>", svg) == ["2 ms", "5 ms"]


def test_a_file_saved_before_by_candidate_renders_the_same_table() -> None:
    """Old JSON: no `by_candidate`, no `candidates`; the legacy fields fill the columns."""
    from tests.report.report_fixture import build_recommendation

    new = build_recommendation()
    old = replace(
        new,
        **{
            "candidates": [],
            "evidence": [replace(e, **{"by_candidate": {}}) for e in new.evidence],
        },
    )
    assert all(not e.by_candidate for e in old.evidence)

    def table(rec: Recommendation) -> list[str]:
        md = markdown_report.render(rec)
        return [line for line in md.splitlines() if line.startswith(("| Machine", "| gpu-box"))]

    rows = table(old)
    assert rows == table(new) and len(rows) == 4
    assert "| 2.1 ms (eager) | 3 ms (eager) |" in rows[1]


def test_a_candidate_left_out_is_not_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PyTorch and JAX compared: their ratio scores; TensorFlow, not compared, is not shown."""
    probe = _jax_probe(tmp_path / "probe.json")
    out = tmp_path / "rec.json"
    args = ["recommend", "--answers", str(ROOT / "examples" / "default.yaml")]
    args += ["--candidates", "pytorch,jax", "--probe", str(probe), "--format", "json"]
    code, _, err = cli(capsys, *args, "-o", str(out))
    assert code == 0, err
    rec = validate(Recommendation, json.loads(out.read_text(encoding="utf-8")))
    assert {(e.numerator, e.denominator) for e in rec.evidence} == {("pytorch", "jax")}
    assert not any("time ratio" in n for n in rec.notes)
    md = markdown_report.render(rec)
    header = next(line for line in md.splitlines() if line.startswith("| Machine | Device"))
    cells = [c.strip() for c in header.strip("|").split("|")]
    assert cells[4:7] == ["PyTorch", "JAX", "Ratio (time / time)"]
    assert (
        "TensorFlow"
        not in html_report.render(rec).split('id="measurements"')[1].split("</table>")[0]
    )
    assert "TensorFlow (not compared)" not in text_report.render(rec, width=200)
