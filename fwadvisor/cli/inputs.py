"""Shared command-line inputs: the --rules option and the --probe files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from fwadvisor.cli.console import INPUTS
from fwadvisor.registry import FRAMEWORKS

if TYPE_CHECKING:
    from fwadvisor.measurements.paths_file import PathsCheckFile
    from fwadvisor.measurements.schema import ProbeFile

RULES_OPTION = typer.Option(
    None,
    "--rules",
    help="Rulebook directory (default: the built-in rulebook).",
    show_default=False,
    rich_help_panel=INPUTS,
)

CANDIDATES_OPT = typer.Option(
    None,
    "--candidates",
    metavar="IDS",
    help=f"Candidates to compare, comma-separated, e.g. {','.join(FRAMEWORKS)} (default: the "
    "rulebook's default comparison, or the answers file's `candidates`).",
    show_default=False,
    rich_help_panel=INPUTS,
)


def load_probe_files(paths: Sequence[Path]) -> list[ProbeFile]:
    """The probe files, read and checked (nothing imported when there are none); a folder
    written by `probe --ray` gives every file its index lists."""
    if not paths:
        return []
    from fwadvisor.measurements.fleet import load_probe_folder
    from fwadvisor.measurements.read import load_probe_file

    return [
        probe
        for path in paths
        for probe in (load_probe_folder(path) if path.is_dir() else [load_probe_file(path)])
    ]


def load_paths_check_files(paths: Sequence[Path]) -> list[PathsCheckFile]:
    """The paths-check files, read and checked (nothing imported when there are none)."""
    if not paths:
        return []
    from fwadvisor.measurements.paths_evidence import load_paths_check_file
    from fwadvisor.pathcheck.catalog import load_catalog

    known = {c.id for c in load_catalog()[0].checks}
    return [load_paths_check_file(p, known) for p in paths]
