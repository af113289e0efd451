"""Record docs/questionnaire-transcript.md and README's excerpt from real questionnaire runs.

    .venv/bin/python -m tests.questionnaire.record_transcript

Drives `fwadvisor questionnaire` (built-in rulebook) in a 100-column pseudo-terminal, the way
the pty tests do, with a fixed script of keys, and keeps what the terminal showed. The only
changes to the recording are cuts, each marked `[...]` and chosen by rules in this file, CR-LF
turned into LF, and trailing spaces removed. Re-run it whenever the questions, their wording or
the verdict text change; `test_transcript.py` fails when the recording no longer matches the
questionnaire.
"""

from __future__ import annotations

import io
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pexpect

from tests.questionnaire.pty_driver import PROMPT, REPO, finish, interrupt, spawn

DOC = REPO / "docs" / "questionnaire-transcript.md"
README = REPO / "README.md"
COLUMNS = 100
INPUT = PROMPT
PROJECT = "Acme search"
# question position -> keys typed (several for a retry); any other question takes Enter
KEYS: dict[int, list[str]] = {
    1: [PROJECT],
    4: ["wekes", "1"],
    5: ["?", "3"],
    6: ["y"],
    11: ["1"],
}
SHOWN = (1, 2, 3, 4, 5, 6, 7)  # questions kept in full before the cut
REVIEW_ROWS = 8  # rows of the "Your answers" table kept


def _clean(raw: str) -> list[str]:
    return [line.rstrip() for line in raw.replace("\r\n", "\n").replace("\r", "").split("\n")]


HEADER = r"\((\d+) of \d+\) "


class Session:
    """One questionnaire process; `log` is everything the terminal showed."""

    def __init__(self, cwd: Path) -> None:
        self.log = io.StringIO()
        self.child = spawn(cwd, columns=COLUMNS)
        self.child.logfile_read = self.log

    def question(self) -> int:
        """Wait for the next question's input line; its position, e.g. 4 for `(4 of 26)`."""
        self.child.expect(HEADER)
        position = int(self.child.match.group(1))
        self.child.expect(INPUT)
        return position

    def lines(self) -> list[str]:
        return _clean(self.log.getvalue())


def _full_run(cwd: Path) -> tuple[list[str], int]:
    s = Session(cwd)
    s.child.expect(HEADER)
    position = total = int(s.child.match.group(1))
    while True:
        s.child.expect(INPUT)
        total = max(total, position)
        keys = KEYS.get(position, [""])
        for key in keys[:-1]:  # a mistake or a call for help: the same question asks again
            s.child.sendline(key)
            s.child.expect(INPUT)
        s.child.sendline(keys[-1])
        if s.child.expect([HEADER, "Enter to finish"]) == 1:
            break
        position = int(s.child.match.group(1))
    s.child.expect_exact("or a number to change that answer: ")
    s.child.sendline("")
    s.child.expect_exact("Save a report? [y/N]: ")
    s.child.sendline("n")
    assert finish(s.child) == 0
    return s.lines(), total


def _interrupted_runs(cwd: Path) -> tuple[list[str], list[str]]:
    first = Session(cwd)
    for key in (PROJECT, ""):
        first.question()
        first.child.sendline(key)
    first.question()
    interrupt(first.child, "Continue with:")
    assert finish(first.child) == 130
    second = Session(cwd)
    second.child.expect_exact("Resume from it? [Y/n]: ")
    second.child.sendline("")
    second.child.expect_exact("Skip those? [Y/n]: ")
    second.child.sendline("")
    second.question()
    interrupt(second.child, "Continue with:")
    assert finish(second.child) == 130
    return first.lines(), second.lines()


def _index(lines: list[str], test: Callable[[str], bool], start: int = 0) -> int:
    for i in range(start, len(lines)):
        if test(lines[i]):
            return i
    raise ValueError("recording lacks an expected line")


def _question_at(lines: list[str], n: int, start: int = 0) -> int:
    return _index(lines, lambda line: re.match(rf"\({n} of \d+\) ", line) is not None, start)


def _section_start(lines: list[str], q: int) -> int:
    """The question's line, or the section header and blurb just above it."""
    if q >= 3 and "───" in lines[q - 3]:
        return q - 3
    return q


def _cut(note: str) -> list[str]:
    return [f"[... {note} ...]", ""]


def _full_transcript(lines: list[str], total: int) -> list[str]:
    start = _index(lines, lambda line: "questions in" in line)
    last_shown = _question_at(lines, SHOWN[-1])
    resume = _section_start(lines, _question_at(lines, total, last_shown))
    out = ["$ fwadvisor questionnaire", *lines[start:last_shown]]
    block_end = _question_at(lines, SHOWN[-1] + 1, last_shown)
    out += lines[last_shown:block_end]
    typed = [str(n) for n in KEYS if SHOWN[-1] < n < total]
    note = f"questions {SHOWN[-1] + 1} to {total - 1}: " + (
        f"question {', '.join(typed)} answered, the rest taken with Enter" if typed else "Enter"
    )
    out += _cut(note)
    review = _index(lines, lambda line: line.startswith("Your answers"), resume)
    out += lines[resume:review]
    rows = [i for i in range(review, len(lines)) if re.match(r"\s+\d+\s{3}", lines[i])]
    keep_to = rows[REVIEW_ROWS - 1] + 1
    out += lines[review:keep_to]
    out += [f"[... {len(rows)} rows in all ...]", ""]
    finish_at = _index(lines, lambda line: line.startswith("Enter to finish"), keep_to)
    out += _verdict(lines, finish_at)
    verdict = _index(lines, lambda line: line.startswith("Verdict: "), finish_at)
    out.append(lines[_index(lines, lambda line: line.startswith("Save a report?"), verdict)])
    return out


def _verdict(lines: list[str], finish_at: int) -> list[str]:
    """The end of the review, the report's first lines, then its summary and verdict (the
    report ends with them so they stay on screen)."""
    top = _index(lines, lambda line: "(the summary is at the end)" in line, finish_at)
    summary = _index(lines, lambda line: line.startswith("╭─ Summary"), top)
    verdict = _index(lines, lambda line: line.startswith("Verdict: "), summary)
    return [
        *lines[finish_at : top + 1],
        *_cut("scores per criterion, reasons with their sources, what would change the verdict"),
        *lines[summary : verdict + 1],
    ]


def _interrupt_transcript(first: list[str], second: list[str]) -> list[str]:
    q3 = _question_at(first, 3)
    stop = _index(first, lambda line: line.startswith("Continue with:"), q3)
    out = ["$ fwadvisor questionnaire", *_cut("two questions answered")[:1]]
    out += first[q3 : stop + 1]
    resume = _index(second, lambda line: "Resume from it?" in line)
    skip = _index(second, lambda line: "Skip those?" in line, resume)
    q = _question_at(second, 3, skip)
    out += ["$ fwadvisor questionnaire", *second[resume : skip + 1]]
    out += second[skip + 1 : q + 2]
    out += ["[...]"]
    return out


def _trim(block: list[str]) -> list[str]:
    while block and not block[-1]:
        block.pop()
    return block


def _answers_excerpt(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    goal = _index(lines, lambda line: line.strip().startswith("primary_goal:"))
    return [*lines[: goal + 1], "  [...]"]


def _readme_excerpt(full: list[str]) -> list[str]:
    """The start, the mistyped answer and the verdict: the README's short version."""
    q1 = _index(full, lambda line: line.startswith("(1 of "))
    q4 = _index(full, lambda line: line.startswith("(4 of "))
    q5 = _section_start(full, _index(full, lambda line: line.startswith("(5 of "), q4))
    finish_at = _index(full, lambda line: line.startswith("Enter to finish"))
    return [
        *full[: q1 + 2],
        "[...]",
        *_trim(full[q4:q5]),
        "[...]",
        *_verdict(full, finish_at),
    ]


def render_doc(full: list[str], answers: list[str], interrupted: list[str], total: int) -> str:
    fence = "```"
    return "\n".join(
        [
            "# A questionnaire run",
            "",
            f"A real run of `fwadvisor questionnaire` with the built-in rulebook ({total} "
            f"questions), in a {COLUMNS}-column terminal, recorded by "
            "`tests/questionnaire/record_transcript.py`. Parts marked `[...]` were cut for "
            "length and trailing spaces trimmed; nothing else was edited.",
            "",
            f"{fence}text",
            *_trim(full),
            fence,
            "",
            "The answers file it saved (excerpt). `fwadvisor recommend --answers "
            "fwadvisor-answers.yaml`",
            "reads it; `fwadvisor questionnaire --answers fwadvisor-answers.yaml` offers its "
            "answers back as",
            "defaults.",
            "",
            f"{fence}yaml",
            *answers,
            fence,
            "",
            "Ctrl-C at a question (here the third) stops at once and keeps the answers given; "
            "running the",
            "command again offers to pick up where it stopped:",
            "",
            f"{fence}text",
            *_trim(interrupted),
            fence,
            "",
        ]
    )


def replace_readme_excerpt(readme: str, excerpt: list[str]) -> str:
    start = readme.index("```text\n$ fwadvisor questionnaire\n")
    end = readme.index("```\n", start + len("```text\n"))
    return readme[:start] + "```text\n" + "\n".join(excerpt) + "\n" + readme[end:]


def record() -> tuple[str, list[str]]:
    """Run the questionnaire now: (the transcript page, README's excerpt)."""
    with tempfile.TemporaryDirectory() as tmp:
        full_dir, stop_dir = Path(tmp) / "full", Path(tmp) / "stop"
        full_dir.mkdir()
        stop_dir.mkdir()
        lines, total = _full_run(full_dir)
        full = _full_transcript(lines, total)
        answers = _answers_excerpt(full_dir / "fwadvisor-answers.yaml")
        first, second = _interrupted_runs(stop_dir)
    interrupted = _interrupt_transcript(first, second)
    return render_doc(full, answers, interrupted, total), _readme_excerpt(full)


def main() -> None:
    doc, excerpt = record()
    DOC.write_text(doc, encoding="utf-8")
    README.write_text(
        replace_readme_excerpt(README.read_text(encoding="utf-8"), excerpt), encoding="utf-8"
    )
    print(f"wrote {DOC.relative_to(REPO)} and the excerpt in {README.relative_to(REPO)}")


if __name__ == "__main__":
    try:
        main()
    except pexpect.ExceptionPexpect as exc:
        sys.exit(f"recording failed: {exc}")
