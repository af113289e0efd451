"""HTML: one self-contained page (inline CSS and SVG charts, no network requests).

Autoescaping is on for the whole template; the only markup inserted unescaped is the SVG that
charts.py drew (matplotlib escapes its text). Links are made only from http(s) URLs.
"""

from __future__ import annotations

from functools import cache, partial
from typing import TYPE_CHECKING

from fwadvisor.models import Recommendation
from fwadvisor.report import adr, chartcache, summary
from fwadvisor.report.templating import template_environment
from fwadvisor.report.wording import change_outcome

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup


@cache
def environment() -> jinja2.Environment:
    env = template_environment(autoescape=True)
    env.tests.update(weblink=adr.is_web_link)
    env.filters.update(prose=prose)
    return env


def _charts(rec: Recommendation) -> dict[str, Markup | None]:
    from markupsafe import Markup

    def safe(svg: str | None) -> Markup | None:
        return Markup(svg) if svg is not None else None  # drawn by matplotlib, text escaped

    return {name: safe(svg) for name, svg in chartcache.charts(rec, _draw).items()}


def _draw(rec: Recommendation) -> dict[str, str | None]:
    from fwadvisor.report import charts

    return {
        "scores": charts.scores_svg(rec),
        "times": charts.times_svg(rec),
        "ratios": charts.ratios_svg(rec),
    }


def render(rec: Recommendation, summary_only: bool = False) -> str:
    """The page: the one-page summary, then the full record in collapsible sections
    (`summary_only` leaves the record out: what a printed first page holds)."""
    view = adr.build(rec)
    page = environment().get_template("report.html.j2")
    return page.render(
        v=view,
        s=summary.build(rec),
        rec=rec,
        charts=_charts(rec),
        colors=_colors(rec),
        outcome=partial(change_outcome, rec),
        summary_only=summary_only,
    )


def prose(text: str) -> Markup:
    """Text with `code` spans shown as code, everything escaped."""
    from markupsafe import Markup, escape

    return Markup("").join(
        Markup("<code>%s</code>") % piece if is_code else escape(piece)
        for is_code, piece in summary.code_spans(str(text))
    )


def _colors(rec: Recommendation) -> dict[str, str]:
    from fwadvisor.report.charts import palette

    return palette(rec)
