"""The real program in a pseudo-terminal: what a person at a keyboard sees and does."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pexpect
import pytest

from fwadvisor.answers import read_answers_file
from fwadvisor.cli.terminal import RichTerminal
from fwadvisor.questionnaire.views import question_view
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.terminalconsole import SafeConsole
from tests.cli_run import cli
from tests.questionnaire.pty_driver import PROMPT, finish, interrupt, spawn
from tests.questionnaire.rules_dir import QUESTIONNAIRE_RULES

RULES = ("--rules", str(QUESTIONNAIRE_RULES))
INPUT = PROMPT


def answers_in(path: Path) -> dict[str, object]:
    return {k: g.value for k, g in read_answers_file(path).items()}


def expect_question(child: pexpect.spawn, position: str) -> None:
    child.expect_exact(position)
    child.expect(INPUT)


def test_full_run_taking_defaults(tmp_path: Path) -> None:
    child = spawn(tmp_path, *RULES)
    child.expect_exact("6 questions in 3 sections")
    for n in range(1, 7):
        expect_question(child, f"({n} of 6)")
        child.sendline("")
    child.expect_exact("Your answers")
    child.expect_exact("Enter to finish")
    child.sendline("")
    child.expect_exact("Saved answers to fwadvisor-answers.yaml")
    child.expect_exact("Weighted scores per criterion")
    child.expect_exact("Save a report? [y/N]: ")
    child.sendline("y")
    child.expect_exact("Format (text, json")  # more formats may follow
    child.expect_exact("[text]: ")
    child.sendline("")
    child.expect_exact("Save the report to [fwadvisor-report.txt]: ")
    child.sendline("")
    child.expect_exact("Wrote the text report to fwadvisor-report.txt")
    assert finish(child) == 0
    saved = answers_in(tmp_path / "fwadvisor-answers.yaml")
    assert saved["primary_goal"] == "both" and saved["priority_mobile_edge"] == 1
    assert "# fwadvisor answers (complete)" in (tmp_path / "fwadvisor-answers.yaml").read_text()
    assert (tmp_path / "fwadvisor-report.txt").stat().st_size > 0


def test_invalid_input_then_correction_help_and_back(tmp_path: Path) -> None:
    child = spawn(tmp_path, *RULES)
    expect_question(child, "(1 of 6) Project name?")
    child.sendline("Acme")
    expect_question(child, "(2 of 6) Main goal?")
    child.sendline("7")
    child.expect_exact("7 is not in the list: type a number from 1 to 3")
    child.expect(INPUT)
    child.sendline("?")
    child.expect_exact("Research means new models; production means serving them.")
    child.expect(INPUT)
    child.sendline("1")
    # research hides the TF Serving question: the total drops from 6 to 5
    expect_question(child, "(3 of 5) Where will models run?")
    child.sendline("<")
    child.expect_exact("(2 of 5) Main goal?")
    child.expect_exact("a number 1-3 [1]: ")  # the previous answer is the default
    child.sendline("2")
    expect_question(child, "(3 of 6) Do you run TensorFlow Serving today?")
    child.sendline("yes")
    for n in (4, 5, 6):
        expect_question(child, f"({n} of 6)")
        child.sendline("")
    child.expect_exact("Enter to finish")
    child.sendline("")
    child.expect_exact("Save a report? [y/N]: ")
    child.sendline("")
    assert finish(child) == 0
    saved = answers_in(tmp_path / "fwadvisor-answers.yaml")
    assert saved["project_name"] == "Acme"
    assert saved["primary_goal"] == "production" and saved["existing_tf"] is True


def test_ctrl_c_keeps_answers_and_resume_picks_up(tmp_path: Path) -> None:
    child = spawn(tmp_path, *RULES)
    expect_question(child, "(1 of 6)")
    child.sendline("Acme")
    expect_question(child, "(2 of 6)")
    child.sendline("1")
    expect_question(child, "(3 of 5)")
    interrupt(child, "Interrupted. 2 answers kept in fwadvisor-answers.yaml")
    child.expect_exact("fwadvisor questionnaire --answers fwadvisor-answers.yaml")
    assert finish(child) == 130
    path = tmp_path / "fwadvisor-answers.yaml"
    assert answers_in(path) == {"project_name": "Acme", "primary_goal": "research"}
    assert "partial" in path.read_text()

    child = spawn(tmp_path, *RULES, "--answers", "fwadvisor-answers.yaml")
    child.expect_exact("2 of 5 already answered. Skip those? [Y/n]: ")
    child.sendline("")
    expect_question(child, "(3 of 5) Where will models run?")
    child.sendline("1,3")
    for n in (4, 5):
        expect_question(child, f"({n} of 5)")
        child.sendline("")
    child.expect_exact("Enter to finish")
    child.sendline("")
    child.expect_exact("Save a report? [y/N]: ")
    child.sendline("n")
    assert finish(child) == 0
    saved = answers_in(path)
    assert saved["project_name"] == "Acme" and saved["primary_goal"] == "research"
    assert saved["deployment_targets"] == ["cloud_gpu", "browser"]


def test_rerun_offers_to_resume_the_default_file(tmp_path: Path) -> None:
    (tmp_path / "fwadvisor-answers.yaml").write_text(
        "schema_version: 1\nanswers:\n  project_name: Old\n"
    )
    child = spawn(tmp_path, *RULES)
    child.expect_exact("fwadvisor-answers.yaml exists from an earlier run. Resume from it? [Y/n]")
    child.sendline("n")
    child.expect_exact("fwadvisor-answers.yaml exists. Overwrite it? [y/N]")
    child.sendline("")
    child.expect_exact("Save answers to [fwadvisor-answers-2.yaml]: ")
    child.sendline("")
    expect_question(child, "(1 of 6)")
    child.sendline("New")
    expect_question(child, "(2 of 6)")
    interrupt(child, "kept in fwadvisor-answers-2.yaml")
    assert finish(child) == 130
    assert answers_in(tmp_path / "fwadvisor-answers.yaml") == {"project_name": "Old"}
    assert answers_in(tmp_path / "fwadvisor-answers-2.yaml") == {"project_name": "New"}


def test_prompt_pattern_matches_input_lines_and_no_report_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tests type an answer when PROMPT appears. A match inside the report would type
    while the report is being written, and the terminal echoes the key where the output has
    got to, which can be inside a character (a box-drawing glyph split by CR LF)."""
    book = load_rulebook(None)
    term = RichTerminal(SafeConsole(file=io.StringIO()))
    prompts: list[str] = []
    monkeypatch.setattr(term, "_read", lambda prompt: prompts.append(prompt.plain) or "")
    for n, question in enumerate(book.questions, 1):
        term.ask(question_view(question, question.default, n, len(book.questions)))
    assert len(prompts) == len(book.questions)
    for prompt in prompts:  # each input line starts a line of its own
        assert re.search(PROMPT, f"\r\n{prompt}"), prompt
    for rules in ((), RULES):
        code, report, err = cli(capsys, "questionnaire", "--non-interactive", *rules)
        assert code == 0, err
        report = report.replace("\n", "\r\n")  # as a terminal shows it
        assert (found := re.search(PROMPT, report)) is None, found.group()


def test_builtin_rulebook_taking_every_default(tmp_path: Path) -> None:
    """The whole run; the report on the terminal, between the questions' end and the offer to
    save it, is the report of the same answers written with nothing asked: no key typed, no
    other stream's bytes inside it, and strict UTF-8 (the driver decodes strictly)."""
    child = spawn(tmp_path)
    shown = io.StringIO()
    child.logfile_read = shown
    asked = 0
    while child.expect([r"Enter to finish, or a number", INPUT]) == 1:
        child.sendline("")
        asked += 1
        assert asked < 100, "the questionnaire does not end"
    child.sendline("")  # nothing more is typed until the report has been written
    child.expect_exact("Save a report? [y/N]: ")
    child.sendline("n")
    assert finish(child) == 0
    saved = answers_in(tmp_path / "fwadvisor-answers.yaml")
    assert saved["primary_goal"] == "both"
    assert asked <= 30  # priorities are one question unless opened: a short run

    terminal = shown.getvalue()
    start = terminal.index("  Saved answers to fwadvisor-answers.yaml.\r\n")
    report = terminal[terminal.index("\n", start) + 1 : terminal.index("Save a report?", start)]
    alone = spawn(tmp_path, "--non-interactive", "--save", "again.yaml")  # the line on stderr
    written = io.StringIO()
    alone.logfile_read = written
    assert finish(alone) == 0
    assert written.getvalue() == "Saved answers to again.yaml.\r\n" + report
