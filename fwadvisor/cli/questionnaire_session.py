"""Decisions around the questions: where answers are saved, and saving a report at the end.

Never overwrites a different existing file without asking; resuming from a file saves
back to it.
"""

from __future__ import annotations

from pathlib import Path

from fwadvisor.fileio import write_atomic
from fwadvisor.models import Recommendation
from fwadvisor.questionnaire.store import DEFAULT_SAVE
from fwadvisor.questionnaire.views import Terminal
from fwadvisor.records import Record, record
from fwadvisor.report.formats import FORMATS, SUFFIX, render


@record
class Target(Record):
    """Where the questionnaire saves its answers, and the file it resumes from."""

    save: Path  # where answers are written, during the run and at the end
    resume: Path | None  # the file whose answers are offered as defaults


def same_file(a: Path, b: Path) -> bool:
    return a.expanduser().resolve() == b.expanduser().resolve()


def next_free(path: Path) -> Path:
    n = 2
    while (candidate := path.with_name(f"{path.stem}-{n}{path.suffix}")).exists():
        n += 1
    return candidate


def choose_target(save: Path | None, answers: Path | None, term: Terminal) -> Target:
    if save is None and answers is not None:
        return Target(save=answers, resume=answers)
    target = save or DEFAULT_SAVE
    if not target.exists() or (answers is not None and same_file(target, answers)):
        return Target(save=target, resume=answers)
    # an existing default file is most likely a stopped run: picking it up is what people want
    if (
        save is None
        and answers is None
        and target.is_file()
        and term.confirm(f"{target} exists from an earlier run. Resume from it?", True)
    ):
        return Target(save=target, resume=target)
    if target.is_file() and term.confirm(f"{target} exists. Overwrite it?", False):
        return Target(save=target, resume=answers)
    return Target(save=_ask_path(term, next_free(target), "Save answers to"), resume=answers)


def _ask_path(term: Terminal, default: Path, prompt: str) -> Path:
    while True:
        path = Path(term.text(prompt, str(default)).strip() or str(default)).expanduser()
        if path.is_dir():
            term.warn(f"{path} is a directory; give a file name.")
        elif not path.parent.is_dir():
            term.warn(f"directory {path.parent} does not exist.")
        elif not path.exists() or term.confirm(f"{path} exists. Overwrite it?", False):
            return path


def offer_report(rec: Recommendation, term: Terminal) -> Path | None:
    """Ask whether to save a report; write it if so. Returns the file written."""
    if not term.confirm("Save a report?", False):
        return None
    formats = list(FORMATS)
    fmt = ""
    while fmt not in formats:
        fmt = term.text(f"Format ({', '.join(formats)})", formats[0]).strip().lower()
        fmt = fmt or formats[0]
        if fmt not in formats:
            term.warn(f"{fmt!r} is not a format; choose one of: {', '.join(formats)}")
    suffix = SUFFIX.get(fmt, f".{fmt}")
    default = Path(f"fwadvisor-report{suffix}")
    if default.exists():
        default = next_free(default)
    path = _ask_path(term, default, "Save the report to")
    write_atomic(path, render(rec, fmt), force=True, what="report")
    term.say(f"Wrote the {fmt} report to {path}.")
    return path
