"""HTML: one self-contained page (inline CSS and SVG charts, no network requests).

Autoescaping is on for the whole template; the only markup inserted unescaped is the SVG that
charts.py drew (matplotlib escapes its text). Links are made only from http(s) URLs.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from fwadvisor.models import Recommendation
from fwadvisor.report import adr, chartcache
from fwadvisor.report.templating import template_environment

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup


@cache
def environment() -> jinja2.Environment:
    env = template_environment(autoescape=True)
    env.tests.update(weblink=adr.is_web_link)
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


def render(rec: Recommendation) -> str:
    view = adr.build(rec)
    page = environment().get_template("report.html.j2")
    return page.render(v=view, rec=rec, charts=_charts(rec), colors=_colors(rec))


def _colors(rec: Recommendation) -> dict[str, str]:
    from fwadvisor.report.charts import palette

    return palette(rec)
