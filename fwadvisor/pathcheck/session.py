"""One `fwadvisor paths check`: check the request, plan the checks, run them."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from fwadvisor.answers import ResolvedAnswers, load_answers
from fwadvisor.errors import PathCheckError
from fwadvisor.measurements.paths_file import PathsCheckFile, PathsSettings, UserModel
from fwadvisor.pathcheck.catalog import checks_for, load_catalog
from fwadvisor.pathcheck.inspect import inspect_user_model
from fwadvisor.pathcheck.modelfile import parse_reference
from fwadvisor.pathcheck.runner import DEFAULT_WORKER, CheckRunner, Reporter, SilentReporter
from fwadvisor.pathcheck.schema import Catalog, CheckDef
from fwadvisor.pathcheck.state import PathsState
from fwadvisor.records import Record, record
from fwadvisor.registry import DEPLOYMENT_TARGETS
from fwadvisor.resources import cache_root
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.paths import chosen_targets
from fwadvisor.rulebook.restrict import default_comparison
from fwadvisor.validation import parse_choices
from fwadvisor.workers.fingerprint import machine_fingerprint
from fwadvisor.workers.process import worker_env

DEFAULT_TIMEOUT_S = 300.0


@record
class PathsRequest(Record):
    """`paths check` as the user asked for it, before it is validated."""

    answers: Path | None = None
    targets: str | None = None
    candidates: str | None = None
    model: str | None = None
    output: Path = Path("fwadvisor-paths.json")
    force: bool = False
    threads: int | None = None
    timeout_s: float = DEFAULT_TIMEOUT_S
    checks: str | None = None


@record
class Plan(Record):
    """The validated path-check run: its settings, the checks to run, the catalog and the folder."""

    settings: PathsSettings
    checks: list[CheckDef]
    catalog: Catalog
    folder: Path


def _targets(rulebook: Rulebook, option: str | None, answers: ResolvedAnswers | None) -> list[str]:
    """--targets, else the answers file's deployment targets, else every target with a path."""
    question = rulebook.question_for(DEPLOYMENT_TARGETS)
    valid = (
        [c.value for c in question.choices]
        if question
        else sorted({p.target for p in rulebook.paths})
    )
    if option:
        return parse_choices(option, valid, "target", "--targets")
    named = chosen_targets(rulebook, answers.values) if answers else []
    if named:
        return [v for v in valid if v in named]
    return [v for v in valid if any(p.target == v for p in rulebook.paths)]


def plan(
    rulebook: Rulebook,
    req: PathsRequest,
    worker_cmd: tuple[str, ...] = DEFAULT_WORKER,
    catalog_dir: Path | None = None,
) -> Plan:
    catalog, folder = load_catalog(catalog_dir)
    if req.output.exists() and not req.force:
        raise PathCheckError.at(
            f"{req.output} exists; pass --force to overwrite it", field="--output"
        )
    if not req.output.parent.is_dir():
        raise PathCheckError.at(f"directory {req.output.parent} does not exist", field="--output")
    if req.timeout_s <= 0:
        raise PathCheckError.at(
            "the timeout must be a positive number of seconds", field="--timeout"
        )
    answers = load_answers(rulebook, req.answers, use_env=False) if req.answers else None
    checkable = [c.id for c in rulebook.candidates if c.id in catalog.frameworks]
    # without --candidates: the answers file's, else the rulebook's default comparison (an
    # opt-in candidate is checked once a team names it)
    default = (answers.candidates if answers else None) or default_comparison(rulebook)
    candidates = parse_choices(req.candidates, checkable, "candidate", "--candidates", default)
    targets = _targets(rulebook, req.targets, answers)
    threads = req.threads or os.cpu_count() or 1
    user: UserModel | None = None
    models = list(catalog.reference_models)
    if req.model:
        file, factory = parse_reference(req.model)
        fw = inspect_user_model(catalog, folder, file, factory, worker_cmd, req.timeout_s)
        if fw not in candidates and req.candidates:
            raise PathCheckError.at(
                f"the model is a {fw} model, but --candidates leaves {fw} out", field="--model"
            )
        user = UserModel(file=str(file.resolve()), factory=factory, framework=fw)
        candidates, models = [fw], ["user"]
    checks = checks_for(catalog, rulebook, targets, candidates)
    if req.checks:
        chosen = parse_choices(req.checks, [c.id for c in checks], "check", "--checks")
        checks = [c for c in checks if c.id in chosen]
    settings = PathsSettings(
        targets=targets,
        candidates=candidates,
        models=models,
        user_model=user,
        threads=threads,
        timeout_s=req.timeout_s,
        answers_file=str(req.answers) if req.answers else None,
    )
    return Plan(settings=settings, checks=checks, catalog=catalog, folder=folder)


def run_checks(
    p: Plan,
    output: Path,
    reporter: Reporter | None = None,
    worker_cmd: tuple[str, ...] = DEFAULT_WORKER,
) -> PathsCheckFile:
    """Check every planned path; the file is complete on return, partial on Ctrl-C."""
    state = PathsState(output=output, settings=p.settings, fingerprint=machine_fingerprint([]))
    cache = cache_root()
    # artifacts are measured and dropped: one private folder per run, so runs never clash
    base = cache / "paths" if cache else None
    if base:
        base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="artifacts-", dir=base) as workdir:
        # without a trusted cache the compilers cache in this private folder, never in their
        # defaults under the shared temporary directory (anyone can create those first)
        compile_cache = cache or Path(workdir) / "compile-cache"
        env = worker_env(os.environ, p.settings.threads, compile_cache)
        runner = CheckRunner(
            state,
            p.folder,
            dict(p.catalog.frameworks),
            Path(workdir),
            env,
            reporter or SilentReporter(),
            worker_cmd,
        )
        state.save()
        runner.run(p.checks, p.settings.models)
        return state.save(complete=True)
