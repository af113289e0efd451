"""For the questionnaire's review step: which answers left at their default would change the
verdict if answered otherwise (without probe evidence: the questionnaire has none)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fwadvisor.answers import GivenAnswer, resolve
from fwadvisor.errors import FwAdvisorError
from fwadvisor.pipeline import AdviceOptions, advise
from fwadvisor.rulebook.model import Rulebook

REVIEW_SAMPLES = 200  # only the counterfactuals are used here, not the robustness


def defaults_at_stake(rulebook: Rulebook, given: Mapping[str, Any]) -> dict[str, str]:
    """question id -> what another answer would do, for questions the person did not answer
    (`given` holds only typed answers: one typed equal to its default is still given, as the
    report says; a default kept with Enter is not)."""
    chosen = dict(given)
    try:
        answers = resolve(
            rulebook,
            {k: GivenAnswer(value=v, origin="given") for k, v in chosen.items()},
            strict=False,
        )
    except FwAdvisorError:
        return {}
    rec = advise(rulebook, answers, options=AdviceOptions(samples=REVIEW_SAMPLES))
    names = {c.id: c.name for c in rulebook.candidates}
    out: dict[str, str] = {}
    for c in rec.defaults_that_matter:
        if c.question_id is None or c.question_id in out:
            continue
        effect = (
            f"{names.get(c.new_winner or '', c.new_winner)} would lead"
            if c.outcome == "new_leader"
            else ("no clear winner" if rec.tier == "clear" else "a close call")
        )
        out[c.question_id] = f"{c.description} -> {effect}"
    return out
