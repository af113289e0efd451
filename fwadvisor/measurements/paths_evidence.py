"""Paths-check files -> evidence for a recommendation (pure; no I/O but reading the file).

- Every checked path is shown with where, when and how it was checked.
- A path that failed for the user's own model (--model) is a finding against that path: the
  stage, the converter's first meaningful line, and the fix where the cause is known
  (measurements.paths_diagnosis).
- A failure the user can fix in the model (training mode, data-dependent control flow, an
  op the converter lacks) never rules a framework out, nor does one whose cause is not known.
- A candidate is vetoed for a target only when every rulebook path of that candidate for
  that target was checked on the user's model and every one failed in the toolchain (a
  crash, a hang, an artifact that does not load or gives other numbers): an unchecked path
  (a converter this machine cannot run, such as coremltools) might still work, so it blocks
  the veto.
Reference-model results are shown, never vetoed on: they say what the toolchain can do,
not what the user's model can.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from fwadvisor.errors import PathCheckError
from fwadvisor.measurements.paths_diagnosis import diagnose
from fwadvisor.measurements.paths_file import PATHS_SCHEMA_VERSION, PathsCheckFile, check
from fwadvisor.models import Note, PathCheckItem, PathEvidence, Veto
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.validation import load_json_record


def load_paths_check_file(
    path: Path, known_checks: Collection[str] | None = None
) -> PathsCheckFile:
    """Read and check a paths-check file; every problem names file, line and field. A file
    whose numbers cannot be (negative or non-finite times, an "ok" outside its tolerance, a
    check id unknown to `known_checks`) is refused too."""
    doc = load_json_record(
        path,
        "paths-check file",
        PathsCheckFile,
        PathCheckError,
        schema_version=PATHS_SCHEMA_VERSION,
        rerun="re-run `fwadvisor paths check` with this version of fwadvisor",
    )
    problems = check(doc, str(path), known_checks)
    if problems:
        raise PathCheckError(
            problems=problems, hint="the file looks edited; re-run `fwadvisor paths check`"
        )
    return doc


def _items(doc: PathsCheckFile, rulebook: Rulebook, targets: Sequence[str]) -> list[PathCheckItem]:
    by_path = {p.id: p for p in rulebook.paths}
    titles = {t.check: t for t in doc.toolchains}
    fp, user = doc.fingerprint, doc.settings.user_model
    items = []
    for r in doc.results:
        paths = [pid for pid in r.paths if pid in by_path and by_path[pid].target in targets]
        if not paths:
            continue
        info = titles.get(r.check)
        found = diagnose(r.stage, r.reason, r.framework) if r.status == "failed" else None
        items.append(
            PathCheckItem(
                check=r.check,
                title=r.title or r.check,
                paths=paths,
                targets=sorted({by_path[pid].target for pid in paths}),
                coverage=[f"{pid}: {r.path_notes[pid]}" for pid in paths if pid in r.path_notes],
                candidate=by_path[paths[0]].candidate,
                model=(
                    f"{Path(user.file).name}:{user.factory}"
                    if user and r.model == "user"
                    else r.model
                ),
                user_model=r.model == "user",
                status=r.status,
                stage=r.stage,
                reason=r.reason,
                machine=fp.machine,
                cpu=fp.cpu_model,
                checked_at=fp.timestamp,
                artifact_bytes=r.artifact_bytes,
                max_abs_err=r.max_abs_err,
                max_rel_err=r.max_rel_err,
                latency_median_s=r.latency_median_s,
                latency_ci95_s=r.latency_ci95_s,
                versions=info.versions if info else {},
                cause=found.cause if found else None,
                error_line=found.line if found else None,
                hint=found.hint if found else None,
            )
        )
    return items


def _failure_note(i: PathCheckItem) -> Note:
    data = {
        "paths": i.paths,
        "stage": i.stage,
        "reason": i.reason_line,
        "hint": i.hint,
        "cause": i.cause,
        "candidate": i.candidate,
    }
    return Note(kind="path_check_failed", subject=i.check, data=data)


def path_evidence(
    docs: Sequence[PathsCheckFile], rulebook: Rulebook, targets: Sequence[str]
) -> PathEvidence:
    items = [i for doc in docs for i in _items(doc, rulebook, targets)]
    user_ok = {pid for i in items if i.user_model and i.status == "ok" for pid in i.paths}
    user_failed: dict[str, PathCheckItem] = {}
    for i in items:
        if i.user_model and i.status == "failed":
            for pid in i.paths:
                user_failed.setdefault(pid, i)
    vetoes: dict[str, Veto] = {}
    notes = [_failure_note(i) for i in items if i.user_model and i.status == "failed"]
    for target in targets:
        for cand in sorted({p.candidate for p in rulebook.paths if p.target == target}):
            own = [p.id for p in rulebook.paths if p.target == target and p.candidate == cand]
            failed = [pid for pid in own if pid in user_failed and pid not in user_ok]
            if not failed or any(pid in user_ok for pid in own):
                continue
            unchecked = [pid for pid in own if pid not in user_failed]
            if unchecked:
                data = {"failed": failed, "target": target, "unchecked": unchecked}
                notes.append(Note(kind="path_check_unchecked_paths", subject=cand, data=data))
                continue
            fixable = [pid for pid in failed if user_failed[pid].cause != "toolchain"]
            if fixable:
                data = {"target": target, "failed": fixable}
                notes.append(Note(kind="path_check_fixable", subject=cand, data=data))
                continue
            why = "; ".join(
                f"{pid} at {user_failed[pid].stage or 'start'}: {user_failed[pid].reason_line}"
                for pid in failed
            )
            reason = (
                f"your model did not make it to {target} with {cand}: every path failed in "
                f"its toolchain, not in your model ({why})"
            )
            vetoes.setdefault(
                cand,
                Veto(
                    candidate=cand,
                    reason=reason,
                    rule_id=user_failed[failed[0]].check,
                    sources=[],
                    by="paths_check",
                ),
            )
    return PathEvidence(items=items, vetoes=vetoes, notes=notes)
