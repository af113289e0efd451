"""Plain-language wording shared by the renderers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fwadvisor.models import (
    CandidateTime,
    Counterfactual,
    EvidenceItem,
    LeafTrace,
    Note,
    Recommendation,
    Weight,
)
from fwadvisor.registry import FRAMEWORK_NAME, RATIO_PAIR

OP_WORDS = {
    "eq": "is",
    "ne": "is not",
    "in": "is one of",
    "not_in": "is none of",
    "contains": "includes",
    "not_contains": "does not include",
    "contains_any": "includes any of",
    "contains_all": "includes all of",
    "contains_only": "includes nothing but",
    "gt": ">",
    "gte": ">=",
    "lt": "<",
    "lte": "<=",
    "is_set": "is answered",
}


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, list):
        return ", ".join(_value(x) for x in v) or "(none)"
    return str(v)


def describe_leaf(leaf: LeafTrace) -> str:
    """e.g. `existing_serving includes tf_serving (answer: tf_serving, tfx)`."""
    negated = leaf.negated
    words = OP_WORDS.get(leaf.op, leaf.op)
    if leaf.op == "is_set":
        held = leaf.result != negated
        return f"{leaf.fact} {'is' if held else 'is not'} answered"
    test = f"{leaf.fact} {'NOT ' if negated else ''}{words} {_value(leaf.expected)}"
    if not leaf.known:
        return f"{test} (not answered)"
    return f"{test} (answer: {_value(leaf.actual)})"


def describe_leaves(leaves: list[LeafTrace], limit: int = 4) -> str:
    seen: list[str] = []
    for leaf in leaves:
        text = describe_leaf(leaf)
        if text not in seen:
            seen.append(text)
    more = len(seen) - limit
    return "; ".join(seen[:limit]) + (f"; and {more} more" if more > 0 else "")


def answer_display(kind: str, value: Any, label: Callable[[str], str]) -> str:
    """An answer as people read it: choice labels (`label` of a choice value), yes/no."""
    if kind == "single" and isinstance(value, str):
        return label(value)
    if kind == "multi" and isinstance(value, list):
        return ", ".join(label(v) for v in value) or "(none)"
    if kind == "bool":
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def answer_change(
    question_id: str, kind: str, old: Any, new: Any, label: Callable[[str], str]
) -> str:
    """A counterfactual answer change, e.g. `team_size: 3 -> 12`, `serving: add TF Serving`."""
    if kind == "multi":
        before, after = set(old or []), set(new)
        if after - before:
            return f"{question_id}: add {answer_display(kind, sorted(after - before), label)}"
        return f"{question_id}: remove {answer_display(kind, sorted(before - after), label)}"
    shown = answer_display(kind, old, label) if old is not None else "(unanswered)"
    return f"{question_id}: {shown} -> {answer_display(kind, new, label)}"


def _tipping_weight(target: float, now: float) -> str:
    """The tipping weight with two decimals, or as many more as it takes to differ from `now`
    (never "falls from 4 past 4.00")."""
    for digits in range(2, 7):
        shown = f"{target:.{digits}f}"
        if float(shown) != now:
            return shown
    return f"{target:g}"


def weight_change(criterion_name: str, target: float, now: float) -> str:
    """A counterfactual weight move, e.g. `Ecosystem: weight rises above 4.25 (now 3)`."""
    direction = "rises above" if target > now else "falls below"
    return f"{criterion_name}: weight {direction} {_tipping_weight(target, now)} (now {now:g})"


def seconds(value: float | None) -> str:
    """A duration with a unit people read at a glance: 1.23 s, 45.6 ms, 7.8 µs, 900 ns."""
    if value is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value * 1e9:.3g} ns"


def candidate_names(rec: Recommendation) -> dict[str, str]:
    """Candidate id -> display name, from the ranking."""
    return {r.candidate: r.name for r in rec.ranking}


def pair_modes(e: EvidenceItem) -> str:
    """The candidates and modes the evidence compared, e.g. `PyTorch eager vs TensorFlow
    function` (the ratio's order)."""
    times = e.candidate_times()
    return " vs ".join(
        f"{FRAMEWORK_NAME.get(fw, fw)} {times[fw].mode if fw in times else '-'}"
        for fw in (e.numerator, e.denominator)
    )


def ratio_names(rec: Recommendation) -> tuple[str, str]:
    """The display names of the RATIO_PAIR: from the ranking, or for one left out of the
    comparison, the probe's own name for it."""
    names = candidate_names(rec)
    first, second = (names.get(fw) or FRAMEWORK_NAME.get(fw, fw) for fw in RATIO_PAIR)
    return first, second


def ratio_title(rec: Recommendation) -> str:
    """e.g. `PyTorch time / TensorFlow time`, with the names from the ranking."""
    return " / ".join(f"{name} time" for name in ratio_names(rec))


def compared(rec: Recommendation) -> list[str]:
    """The compared candidates in a stable column order: as chosen (`candidates`), else the
    ranking's order for a file saved before `candidates` existed."""
    ranked = [r.candidate for r in rec.ranking]
    chosen = [c for c in rec.candidates if c in ranked]
    return chosen + [c for c in ranked if c not in chosen]


def time_columns(rec: Recommendation) -> list[tuple[str, str]]:
    """(candidate, header) of the measurements table: every compared candidate, then a member
    of the RATIO_PAIR that was measured but not compared (the ratio's other time), marked so."""
    names = candidate_names(rec)
    columns = [(c, names[c]) for c in compared(rec)]
    for fw in RATIO_PAIR:
        if fw not in names and any(time_of(e, fw) is not None for e in rec.evidence):
            columns.append((fw, f"{FRAMEWORK_NAME.get(fw, fw)} (not compared)"))
    return columns


def time_of(e: EvidenceItem, candidate: str) -> CandidateTime | None:
    """The mode a candidate was judged in for this item and its median; None when its probe
    file has no measurement of it."""
    return e.candidate_times().get(candidate)


def unscored(rec: Recommendation) -> list[str]:
    """Compared candidates with a measured time in some evidence item that no ratio scores
    (in no item's pair), in column order."""
    paired = {c for e in rec.evidence for c in (e.numerator, e.denominator)}
    return [
        c
        for c in compared(rec)
        if c not in paired and any(time_of(e, c) is not None for e in rec.evidence)
    ]


def headline(rec: Recommendation) -> str:
    """The verdict in a few words, the same in every format."""
    names = candidate_names(rec)
    tier = rec.strength
    among = ""
    if rec.left_out_leader is not None:
        among = f", among {' and '.join(names[c] for c in compared(rec))} only"
    if tier in ("clear", "only_option") and rec.winner:
        label = "clear" if tier == "clear" else "the only option left"
        return f"Recommended: {names[rec.winner]} ({label}{among})"
    if tier == "leaning" and rec.leader:
        return f"Leaning to {names[rec.leader]} (not a clear verdict{among})"
    if tier == "close_call":
        ahead = f" ({names[rec.leader]} ahead on points{among})" if rec.leader else ""
        return f"Close call: no clear winner{ahead}"
    return "Every candidate ruled out"


def left_out_line(rec: Recommendation) -> str | None:
    """When a candidate that was not compared would lead: the sentence for the top of a report."""
    if rec.left_out_leader is None:
        return None
    name = FRAMEWORK_NAME.get(rec.left_out_leader, rec.left_out_leader)
    command = rec.left_out_command or "fwadvisor recommend --candidates ..."
    return (
        f"{name} was not compared, and with these answers it would lead a comparison of every "
        f"candidate. Compare it: `{command}`"
    )


def change_outcome(rec: Recommendation, c: Counterfactual) -> str:
    """What a change really produces: another leader, or the same leader with a lead too small
    for the verdict's tier."""
    names = candidate_names(rec)
    if c.outcome == "new_leader":
        who = names.get(c.new_winner or "", c.new_winner or "no candidate")
        by = ""
        if c.new_margin is not None:
            by = f" (by {c.new_margin:.2f})" if c.new_margin >= 0.005 else " (by less than 0.01)"
        return f"{who} would lead{by}"
    leader = names.get(c.new_winner or rec.leader or "", "the leader")
    result = "no longer clear" if rec.strength == "clear" else "a close call"
    if c.new_margin is None:
        return f"{leader} still leads, but {result}"
    return f"{leader} still leads, by only {c.new_margin:.2f}: {result}"


def weight_text(w: Weight) -> str:
    """A criterion's weight on the scale the questionnaire uses: the 0-5 priority, plus what
    rules added, e.g. `8 (5 +3)`."""
    if not w.rule_delta:
        return f"{w.weight:g}"
    return f"{w.weight:g} ({w.base:g} {w.rule_delta:+g})"


# Notes: each kind's sentence from the note's data (the pipeline and the stages only say what
# is to be noted; the words are here).


def _joined(values: Any) -> str:
    return ", ".join(str(v) for v in values)


def _answer_not_used(n: Note) -> str:
    return f"Answer to {n.subject!r} was not used: it {n.data['why']}."


def _no_deployment_path(n: Note) -> str:
    return (
        f"The rulebook has no deployment path for {n.data['target_label']} with "
        f"{n.data['candidate']}."
    )


def _path_check_failed(n: Note) -> str:
    d = n.data
    note = f"Your model failed {n.subject} ({_joined(d['paths'])}) at {d['stage'] or 'start'}: "
    note += d["reason"]
    if d.get("hint"):
        return f"{note}. Fix: {d['hint']}."
    if d.get("cause") == "toolchain":
        return f"{note} (a failure of the toolchain, not of your model)."
    return f"{note} (cause not recognised; not held against {d['candidate']})."


def _path_check_unchecked_paths(n: Note) -> str:
    d = n.data
    return (
        f"Your model failed {_joined(d['failed'])} ({d['target']}, {n.subject}); "
        f"{_joined(d['unchecked'])} could not be checked here and may still work."
    )


def _path_check_fixable(n: Note) -> str:
    return (
        f"{n.subject} is not ruled out for {n.data['target']}: {_joined(n.data['failed'])} "
        "failed for a reason in your model (or one not recognised), which you can change."
    )


def _no_answers(_n: Note) -> str:
    return (
        "No answers were given: every question took its default, so this verdict is for a "
        "default team; answer the questionnaire or pass --answers FILE."
    )


def _partial_file(n: Note) -> str:
    return (
        f"The {n.data['file_kind']} file from {n.subject} is partial (complete: false: it was "
        "interrupted); what it did not measure counts as not measured. Run it again to "
        "complete it."
    )


def _left_out_leader(n: Note) -> str:
    return (
        f"{n.data['name']} was not compared, but with these answers it would lead a comparison "
        f"of all {n.data['candidates']} candidates: run {n.data['command']} to see it."
    )


def _coarse_samples(n: Note) -> str:
    samples = n.data["samples"]
    return (
        f"Robustness rests on only {samples} sample{'s' if samples > 1 else ''}: a share moves "
        f"in steps of {1 / samples:.0%}, too coarse to place the leader against the "
        f"{n.data['clear_share']:.0%} (clear) and {n.data['leaning_share']:.0%} (leaning) "
        f"thresholds; rerun with --samples {n.data['enough']} or more."
    )


def _no_probe_evidence(_n: Note) -> str:
    return (
        "No probe evidence was given: measured performance scored zero for every candidate "
        "(run `fwadvisor probe` and pass --probe FILE)."
    )


def _not_measured(n: Note) -> str:
    return (
        f"The probe files hold no measurements for {_joined(n.data['names'])}: its measured "
        "performance scored zero while the others could gain points."
    )


def _not_scored(n: Note) -> str:
    return (
        f"{_joined(n.data['names'])} was measured (its times are in the measurements table) but "
        f"only the {' / '.join(n.data['pair'])} time ratio scores measured performance: its "
        "measured performance scored zero while the others could gain points."
    )


_NOTE_WORDS = {
    "answer_not_used": _answer_not_used,
    "no_deployment_path": _no_deployment_path,
    "path_check_failed": _path_check_failed,
    "path_check_unchecked_paths": _path_check_unchecked_paths,
    "path_check_fixable": _path_check_fixable,
    "no_answers": _no_answers,
    "partial_file": _partial_file,
    "left_out_leader": _left_out_leader,
    "coarse_samples": _coarse_samples,
    "no_probe_evidence": _no_probe_evidence,
    "not_measured": _not_measured,
    "not_scored": _not_scored,
}


def note_text(note: Note) -> str:
    """A note in words."""
    return _NOTE_WORDS[note.kind](note)


CAUTIONS = ("no_answers", "partial_file")
"""Notes a reader must see before trusting the verdict: defaults only, a partial input file."""
