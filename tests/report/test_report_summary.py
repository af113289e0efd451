"""The summary every format puts first: a headline whose numbers imply its tier, changes that
show what they really produce, hinges that decide the lead, left-out leaders at the top, no
markup in prose, and (in the terminal) the verdict on the last screen."""

from __future__ import annotations

import json
import re

import pytest

from fwadvisor.report import text_report
from fwadvisor.report.formats import FORMATS, render
from fwadvisor.rulebook.model import Rulebook
from tests.report.examples import STEMS, builtin_book, example_recommendation

BOX = re.compile(r"[│╭╮╰╯─┃┏┓┗┛━┡┩╇┳┻]")
MARGIN = re.compile(r"leads \S+ by (\d+\.\d+) points per unit weight")
LEVEL = re.compile(r"is level with \S+ on points")
SHARES = re.compile(
    r"in (\d+) samples of the uncertain weights, facts and measurements it leads by at least "
    r"([\d.]+) in ([\d.]+)% and comes first in ([\d.]+)%"
)


def _flat(text: str) -> str:
    return " ".join(BOX.sub(" ", text).split())


def _stated_tier(flat: str) -> str:
    if re.search(r"Recommended: \S+ \(clear", flat):
        return "clear"
    if re.search(r"Recommended: \S+ \(the only option left", flat):
        return "only_option"
    if "Leaning to " in flat:
        return "leaning"
    if "Close call: no clear winner" in flat:
        return "close_call"
    return "all_vetoed"


def _implied_tier(flat: str, book: Rulebook) -> str:
    shares = SHARES.search(flat)
    assert shares, flat[:600]
    margin_m = MARGIN.search(flat)
    margin = float(margin_m.group(1)) if margin_m else 0.0
    assert margin_m or LEVEL.search(flat)
    clear, leaning = book.uncertainty.verdict.clear, book.uncertainty.verdict.leaning
    assert (
        float(shares.group(2)) == clear.min_margin
    )  # the share is stated against the rule's margin
    clear_share, first = float(shares.group(3)) / 100, float(shares.group(4)) / 100
    if clear_share >= clear.min_share and margin >= clear.min_margin:
        return "clear"
    if first >= leaning.min_share and margin >= leaning.min_margin:
        return "leaning"
    return "close_call"


@pytest.mark.parametrize("example", STEMS)
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_stated_numbers_imply_the_stated_tier(example: str, fmt: str) -> None:
    rec = example_recommendation(example)
    out = render(rec, fmt)
    if fmt == "json":
        data = json.loads(out)
        flat, stated = _flat(data["summary"]), data["tier"]
    else:
        flat = _flat(out)
        stated = _stated_tier(flat)
    assert stated == rec.strength
    if stated in ("only_option", "all_vetoed"):
        return
    assert _implied_tier(flat, builtin_book()) == stated


@pytest.mark.parametrize("example", STEMS)
def test_a_change_shows_the_outcome_it_produces(example: str) -> None:
    rec = example_recommendation(example)
    html, md, text = (render(rec, f) for f in ("html", "markdown", "text"))
    for c in rec.counterfactuals:
        if c.outcome == "no_clear_winner":
            assert c.new_winner == rec.leader and c.new_margin is not None
            assert c.new_margin < 0.1
    assert "New leader" not in html and "New leader" not in md
    assert "past " not in text  # weights say "rises above 3.55 (now 3)"


def test_an_unchanged_leader_is_not_shown_as_a_new_one() -> None:
    rec = example_recommendation("browser_app")
    same = [c for c in rec.counterfactuals if c.outcome == "no_clear_winner"]
    assert same, "browser_app has a change that only shrinks the lead"
    flat = _flat(render(rec, "text"))
    for c in same:
        assert f"{c.description} -> PyTorch still leads, by only {c.new_margin:.2f}" in flat


def test_weight_tipping_point_never_rounds_to_the_current_weight() -> None:
    from fwadvisor.report.wording import weight_change

    assert weight_change("Speed", 3.9996, 4.0) == "Speed: weight falls below 3.9996 (now 4)"
    assert weight_change("Speed", 3.55, 3.0) == "Speed: weight rises above 3.55 (now 3)"


@pytest.mark.parametrize(
    "example", ["browser_vision_widget", "tf_team_llm_pivot", "keras_portable_team"]
)
def test_hinges_name_the_findings_that_decide_the_lead(example: str) -> None:
    rec = example_recommendation(example)
    assert rec.strength in ("leaning", "close_call") and rec.hinges_on
    named = [f for f in rec.findings if f"“{f.title}”" in rec.hinges_on[0]]
    assert named and all(f.impact > 0 for f in named)
    alone = "alone outweighs" in rec.hinges_on[0]
    if alone:
        assert all(f.impact >= rec.margin for f in named)
    else:
        assert sum(f.impact for f in named) >= rec.margin - 1e-4
    assert not any(f"“{f.title}”" in " ".join(rec.hinges_on) for f in rec.findings if f.impact < 0)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_left_out_leader_is_at_the_top_of_every_format(fmt: str) -> None:
    rec = example_recommendation("jax_tpu_team")
    assert rec.left_out_leader == "jax"
    command = "fwadvisor recommend --candidates pytorch,tensorflow,jax"
    out = render(rec, fmt)
    if fmt == "json":
        data = json.loads(out)
        assert list(data).index("left_out_leader") < list(data).index("summary")
        assert data["left_out_command"].startswith(command)
        return
    top = _flat(out[: len(out) // 8])
    assert "JAX was not compared, and with these answers it would lead" in top
    assert command in top
    assert "among PyTorch and TensorFlow only" in top


@pytest.mark.parametrize("example", STEMS)
def test_terminal_ends_with_the_verdict_on_an_80x24_screen(example: str) -> None:
    rec = example_recommendation(example)
    last = _flat("\n".join(text_report.render(rec, width=80).splitlines()[-23:]))
    assert "Verdict: " in last
    if rec.left_out_leader:
        assert "was not compared" in last


@pytest.mark.parametrize("example", STEMS)
def test_no_markup_or_rule_ids_in_the_summary(example: str) -> None:
    rec = example_recommendation(example)
    html = render(rec, "html")
    summary = html[html.index('id="at-a-glance"') : html.index("</section>")]
    text = render(rec, "text")
    assert "`" not in re.sub(r"<[^>]+>", "", html)
    assert "`" not in text
    assert "(cpu) (cpu)" not in text + html
    for f in rec.findings:
        assert f.rule_id not in summary, f.rule_id


def test_machine_named_with_its_device_is_not_repeated() -> None:
    import dataclasses

    from tests.report.report_fixture import build_recommendation

    rec = build_recommendation()
    item = dataclasses.replace(rec.evidence[0], machine="vm (cpu)", device="cpu")
    rec = dataclasses.replace(rec, evidence=[item, *rec.evidence[1:]])
    html = render(rec, "html")
    assert "vm (cpu)" in html and "(cpu) (cpu)" not in re.sub(r"<[^>]+>", "", html)
