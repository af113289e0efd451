"""`fwadvisor schema answers|probe|recommendation|rules`: JSON Schema of each file."""

from __future__ import annotations

import json
from typing import Any

import typer

from fwadvisor.errors import UsageError
from fwadvisor.records import json_schema

KINDS = ("answers", "probe", "recommendation", "rules", "paths-check")


def _rules_schema() -> dict[str, Any]:
    from pydantic import create_model

    from fwadvisor.rulebook import schema as s

    files: dict[str, type[Any]] = {
        "candidates.yaml": s.CandidatesFile,
        "criteria.yaml": s.CriteriaFile,
        "questions.yaml": s.QuestionsFile,
        "paths.yaml": s.PathsFile,
        "rules/*.yaml": s.RulesFile,
        "tests/*.yaml": s.RuleTestFile,
    }
    bundle = create_model(
        "Rulebook",
        **{
            k.replace("/", "_").replace("*", "any").replace(".", "_"): (v, ...)
            for k, v in files.items()
        },
    )  # type: ignore[call-overload]
    out = json_schema(bundle)
    out["description"] = "One property per rulebook file: " + ", ".join(files)
    return out


def schema(kind: str = typer.Argument(..., help=f"One of: {', '.join(KINDS)}.")) -> None:
    """Print the JSON Schema of an answers, probe, recommendation or rule file."""
    if kind == "answers":
        from fwadvisor.models import AnswersFile

        out = json_schema(AnswersFile)
    elif kind == "recommendation":
        from fwadvisor.models import Recommendation

        out = json_schema(Recommendation)
    elif kind == "probe":
        from fwadvisor.measurements.schema import ProbeFile

        out = json_schema(ProbeFile)
    elif kind == "rules":
        out = _rules_schema()
    elif kind == "paths-check":
        from fwadvisor.measurements.paths_file import PathsCheckFile

        out = json_schema(PathsCheckFile)
    else:
        raise UsageError(f"unknown schema {kind!r}; choose one of: {', '.join(KINDS)}")
    print(json.dumps(out, indent=2))


def register(app: typer.Typer) -> None:
    from fwadvisor.cli.console import RULEBOOK

    app.command("schema", rich_help_panel=RULEBOOK)(schema)
