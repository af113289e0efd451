"""Markdown (GitHub-flavoured): an architecture decision record in the MADR shape.

Every `{{ expression }}` in the template is Markdown-escaped by the environment's `finalize`
unless a filter marked it as already-safe Markdown (MdSafe): text a user typed can never turn
into markup, a link, a table cell break or raw HTML.
"""

from __future__ import annotations

import re
from functools import cache, partial
from typing import TYPE_CHECKING, Any

from fwadvisor.models import Recommendation
from fwadvisor.report import adr, summary
from fwadvisor.report.templating import template_environment
from fwadvisor.report.wording import change_outcome

if TYPE_CHECKING:
    import jinja2

_INLINE = re.compile(r"([\\`*_\[\]|~@])")
_LINE_START = re.compile(r"^(\s*)([#>=]|[-+*](?=\s))")
_ORDERED = re.compile(r"^(\s*\d+)(?=[.)](\s|$))")
_NEWLINES = re.compile(r"\s*[\r\n]\s*")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


class MdSafe(str):
    """Text that is already valid Markdown and must not be escaped again."""

    __slots__ = ()


def md_escape(value: object) -> MdSafe:
    """Escape text so GitHub shows it literally: no emphasis, links, cells, HTML or mentions."""
    if isinstance(value, MdSafe):
        return value
    text = _NEWLINES.sub(" ", str(value))
    text = "".join(_HTML.get(ch, ch) for ch in text)
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    text = _ORDERED.sub(lambda m: m.group(1) + "\\", text)
    return MdSafe(text)


def _url(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def md_link(url: str, label: str | None = None) -> MdSafe:
    """A link for web URLs; anything else is shown as plain escaped text."""
    if not adr.is_web_link(url):
        return md_escape(url)
    return MdSafe(f"[{md_escape(label if label is not None else url)}]({_url(url)})")


def md_code(value: object) -> MdSafe:
    """Inline code; a pipe is still escaped because GitHub splits table cells first."""
    text = " ".join(str(value).split()).replace("|", "\\|")
    return MdSafe(f"`` {text} ``" if "`" in text else f"`{text}`")


def _finalize(value: Any) -> Any:
    return value if isinstance(value, MdSafe) else md_escape("" if value is None else value)


@cache
def environment() -> jinja2.Environment:
    env = template_environment(autoescape=False, finalize=_finalize, keep_trailing_newline=True)
    env.filters.update(
        md=md_escape,
        rendered=MdSafe,  # a macro's output: every expression inside it was escaped already
        link=md_link,
        code=md_code,
        prose=md_prose,
    )
    return env


def md_prose(value: object) -> MdSafe:
    """Escaped text whose `code` spans stay code spans."""
    return MdSafe(
        "".join(
            md_code(piece) if is_code else md_escape(piece)
            for is_code, piece in summary.code_spans(str(value))
        )
    )


def render(rec: Recommendation) -> str:
    view = adr.build(rec)
    text = (
        environment()
        .get_template("report.md.j2")
        .render(v=view, s=summary.build(rec), rec=rec, outcome=partial(change_outcome, rec))
    )
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"
