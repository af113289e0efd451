"""The recorded questionnaire run in the docs is the questionnaire of today: recording it again
gives the same page and README excerpt (re-record with tests/questionnaire/record_transcript.py)."""

from __future__ import annotations

import re

from tests.questionnaire.record_transcript import DOC, README, record, replace_readme_excerpt

# the day of the recording and the revisit date counted from it: the calendar's, not the page's
DATED = re.compile(r"(written by `fwadvisor questionnaire` on |Revisit by )\d{4}-\d{2}-\d{2}")


def _undated(text: str) -> str:
    return DATED.sub(r"\1DATE", text)


def test_transcript_and_readme_excerpt_match_a_fresh_recording() -> None:
    doc, excerpt = record()
    assert "questions in" in doc and "Verdict: Recommended:" in doc and "Interrupted." in doc
    assert _undated(doc) == _undated(DOC.read_text(encoding="utf-8")), (
        "docs/questionnaire-transcript.md is stale: run tests/questionnaire/record_transcript.py"
    )
    readme = README.read_text(encoding="utf-8")
    assert _undated(replace_readme_excerpt(readme, excerpt)) == _undated(readme), (
        "README's questionnaire excerpt is stale: run tests/questionnaire/record_transcript.py"
    )
