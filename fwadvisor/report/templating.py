"""The one jinja2 environment factory of the report templates (jinja2 imported lazily)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fwadvisor.report import adr, pathchecks
from fwadvisor.report.wording import seconds

if TYPE_CHECKING:
    import jinja2


def template_environment(**options: Any) -> jinja2.Environment:
    """Templates from fwadvisor/report/templates, strict about undefined names, blocks
    trimmed, with the shared `value` and `seconds` filters and the path-check globals; `options` adds per-format ones."""
    import jinja2  # lazily: `recommend` without --format markdown/html does not pay for it

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("fwadvisor.report", "templates"),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        **options,
    )
    env.filters.update(value=adr.show_value, seconds=seconds)
    env.globals.update(path_check_rows=pathchecks.rows, path_check_machines=pathchecks.machines)
    return env
