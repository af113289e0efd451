"""`advise` assembles the Recommendation from pure parts (score, robustness and tier,
counterfactuals, notices, ranking and pairwise, provenance), each callable on its own with
the same result as inside `advise`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fwadvisor.answers import load_answers
from fwadvisor.models import NO_EVIDENCE, NO_PATH_EVIDENCE
from fwadvisor.pipeline import (
    AdviceOptions,
    advise,
    counterfactuals,
    provenance,
    ranking_and_pairwise,
    rescorer,
    robustness_and_tier,
    score,
)
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.restrict import default_comparison, restrict

EXAMPLE = Path(__file__).parents[2] / "examples" / "browser_app.yaml"
NOW = dt.datetime(2026, 12, 7, tzinfo=dt.timezone.utc)


def test_the_parts_give_what_advise_assembles() -> None:
    full = load_rulebook()
    answers = load_answers(full, EXAMPLE, [])
    options = AdviceOptions(samples=200, now=NOW)
    rec = advise(full, answers, options=options)

    book = restrict(full, answers.candidates or default_comparison(full))
    scored = score(book, answers, NO_EVIDENCE, NO_PATH_EVIDENCE)
    assert scored.state.leader() == rec.leader
    assert round(scored.state.margin(), 4) == rec.margin
    robustness, tier = robustness_and_tier(scored.state, book.uncertainty, NO_EVIDENCE, options)
    assert (robustness, tier) == (rec.robustness, rec.tier)
    ranking, pairwise = ranking_and_pairwise(book, scored.state, robustness)
    assert (ranking, pairwise) == (rec.ranking, rec.pairwise)
    fired = [o.fired for o in scored.outcomes]
    rescore = rescorer(
        book, scored.facts, fired, lambda _v: NO_EVIDENCE, lambda _v: NO_PATH_EVIDENCE
    )
    changes, defaults = counterfactuals(book, answers, scored, tier, rescore, {})
    assert (changes, defaults) == (rec.counterfactuals, rec.defaults_that_matter)
    verified = [f.as_of for f in rec.findings] + [p.as_of for p in rec.paths]
    assert provenance(book, answers, verified, NO_EVIDENCE, NOW) == rec.provenance
