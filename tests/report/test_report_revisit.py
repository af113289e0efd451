from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from fwadvisor.models import Recommendation
from fwadvisor.report.adr import add_months, build, revisit_of, verified_range
from fwadvisor.report.text_report import render as render_text
from tests.report.report_fixture import build_recommendation


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 11, 15), 12) == dt.date(2026, 11, 15)
    assert add_months(dt.date(2025, 11, 15), 2) == dt.date(2026, 1, 15)


def test_revisit_from_oldest_fact_that_mattered() -> None:
    rec = build_recommendation()
    # oldest mattering finding: 2024-11-05 (+12 months) is earlier than generation + 6 months
    r = revisit_of(rec)
    assert (r.basis, r.date, r.overdue) == (dt.date(2024, 11, 5), dt.date(2025, 11, 5), False)


def _verified_on(rec: Recommendation, day: dt.date, *, paths: bool = True) -> Recommendation:
    """The recommendation with every finding (and path, unless `paths` is False) verified on
    `day`."""
    changed: dict[str, Any] = {"findings": [replace(f, **{"as_of": day}) for f in rec.findings]}
    if paths:
        changed["paths"] = [replace(p, **{"as_of": day}) for p in rec.paths]
    return replace(rec, **changed)


@pytest.mark.parametrize(
    "verified",
    [
        pytest.param(dt.date(2025, 9, 1), id="capped-at-six-months-after-generation"),
        # generated 2025-10-03: facts verified that day give six months, not twelve
        pytest.param(dt.date(2025, 10, 3), id="freshly-verified-facts-give-six-months"),
    ],
)
def test_revisit_capped_at_six_months_after_generation(verified: dt.date) -> None:
    r = revisit_of(_verified_on(build_recommendation(), verified))
    assert r.date == dt.date(2026, 4, 3) and not r.overdue


def test_revisit_due_now_when_facts_are_old() -> None:
    r = revisit_of(_verified_on(build_recommendation(), dt.date(2020, 1, 1), paths=False))
    assert r.overdue and r.date == dt.date(2025, 10, 3)


def test_revisit_ignores_findings_that_did_not_matter() -> None:
    rec = build_recommendation()
    old_idle = replace(
        rec.findings[3], **{"as_of": dt.date(2019, 1, 1), "vetoes": [], "impact": 0.0}
    )
    r = revisit_of(replace(rec, **{"findings": [*rec.findings[:3], old_idle]}))
    assert r.basis == dt.date(2024, 11, 5)


def test_answers_that_mattered_are_the_ones_rules_tested() -> None:
    view = build(build_recommendation())
    assert [a.question_id for a in view.mattered_answers] == [
        "novel_architectures",
        "existing_serving",
        "team_expertise",
        "deployment_targets",
    ]
    assert {a.question_id for a in view.other_answers} == {"project_name", "hardware"}


def test_pros_and_cons_follow_the_sign_of_contributions() -> None:
    view = build(build_recommendation())
    tf = next(o for o in view.options if o.candidate == "tensorflow")
    assert [p.finding.rule_id for p in tf.pros] == ["serving-tf-serving"]
    assert [c.finding.rule_id for c in tf.cons] == ["team-knows-pytorch"]
    jax = next(o for o in view.options if o.candidate == "jax")
    assert [v.rule_id for v in jax.vetoes] == ["browser-no-jax"]


def test_revisit_never_names_a_date_days_away() -> None:
    # generated 2025-10-03; a fact verified 2024-10-20 would lapse on 2025-10-20, 17 days later:
    # the report says "due now" (re-verify) rather than "revisit in 17 days"
    r = revisit_of(_verified_on(build_recommendation(), dt.date(2024, 10, 20), paths=False))
    assert r.overdue and r.date == dt.date(2025, 10, 3) and r.basis == dt.date(2024, 10, 20)


def test_verified_range_covers_findings_and_paths() -> None:
    rec = build_recommendation()
    assert verified_range(rec) == (dt.date(2024, 11, 5), dt.date(2025, 9, 1))
    assert verified_range(replace(rec, **{"findings": [], "paths": []})) == (None, None)
    text = render_text(rec)
    assert "Facts verified between 2024-11-05 and 2025-09-01." in text
