"""A fixed, self-contained Recommendation for the report tests (not built from the live rules/).

It exercises every section: a clear winner, a veto, weight changes, evidence from two
machines with eager and graph modes, counterfactuals, deployment paths and probe fingerprints.
The project name is hostile on purpose.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Literal

from fwadvisor.fingerprint import GpuInfo, ProbeFingerprint
from fwadvisor.models import (
    AnswerEcho,
    CandidateTime,
    Contribution,
    Counterfactual,
    CriterionScore,
    EvidenceItem,
    Finding,
    LeafTrace,
    NotFired,
    PathStepPlan,
    Provenance,
    RankEntry,
    Recommendation,
    Robustness,
    Veto,
    Weight,
    WeightChange,
)

HOSTILE = "<script>alert(1)</script>"


def _leaf(fact: str, op: str, expected: object, actual: object, result: bool = True) -> LeafTrace:
    return LeafTrace(
        path="when", fact=fact, op=op, expected=expected, actual=actual, known=True, result=result
    )


def _evidence(
    machine: str,
    device: str,
    workload: str,
    modes: tuple[str, str],
    times: tuple[float | None, float | None],
    ci: tuple[float, float] | None,
    verdict: Literal["pytorch", "tensorflow", "indistinguishable", "unstable", "missing"],
    points: float,
) -> EvidenceItem:
    pt, tf = times
    ratio = pt / tf if pt and tf else None
    winner = {"pytorch": "pytorch", "tensorflow": "tensorflow"}.get(verdict)
    return EvidenceItem(
        machine=machine,
        device=device,
        workload=workload,
        purpose="training" if "train" in workload else "inference",
        pytorch_mode=modes[0],
        tensorflow_mode=modes[1],
        pytorch_median_s=pt,
        tensorflow_median_s=tf,
        by_candidate={
            "pytorch": CandidateTime(mode=modes[0], median_s=pt),
            "tensorflow": CandidateTime(mode=modes[1], median_s=tf),
        },
        ratio=ratio,
        ratio_ci95=ci,
        verdict=verdict,
        points={winner: points} if winner else {},
        note="" if ratio else "TensorFlow graph mode failed on this machine",
    )


def build_recommendation(project: str | None = HOSTILE) -> Recommendation:
    criteria = [
        ("research_flexibility", "Research flexibility", 3.0, 3.0, 0.0),
        ("production_serving", "Production serving", 4.0, 3.0, 1.0),
        ("team_fit", "Team fit", 3.0, 3.0, 0.0),
        ("measured_performance", "Measured performance", 2.0, 2.0, 0.0),
        ("browser", "Browser", 0.0, 0.0, 0.0),
    ]
    raw = {
        "pytorch": {
            "research_flexibility": 2.0,
            "production_serving": 0.5,
            "team_fit": 1.0,
            "measured_performance": 0.5,
            "browser": 0.0,
        },
        "tensorflow": {
            "research_flexibility": 0.0,
            "production_serving": 1.0,
            "team_fit": -1.0,
            "measured_performance": 0.0,
            "browser": 0.0,
        },
    }
    weights = {c[0]: c[2] for c in criteria}
    scores = {
        cand: {k: CriterionScore(raw=v, weighted=v * weights[k]) for k, v in per.items()}
        for cand, per in raw.items()
    }
    totals = {c: sum(s.weighted for s in per.values()) for c, per in scores.items()}
    findings = [
        Finding(
            rule_id="research-novel-arch",
            title="Novel architectures | fast iteration favour *eager* Python",
            area="research",
            rationale="Most new model code is published for PyTorch first; see [papers].",
            sources=["https://paperswithcode.com/trends", "https://example.org/a_(b)"],
            as_of=dt.date(2025, 3, 1),
            confidence="high",
            because=[_leaf("novel_architectures", "eq", True, True)],
            contributions=[
                Contribution(candidate="pytorch", criterion="research_flexibility", delta=2.0)
            ],
            impact=6.0,
        ),
        Finding(
            rule_id="serving-tf-serving",
            title="An existing TF Serving fleet keeps serving TensorFlow models",
            area="serving",
            rationale="TF Serving loads SavedModel directly; PyTorch needs an export step.",
            sources=["https://www.tensorflow.org/tfx/guide/serving"],
            as_of=dt.date(2024, 11, 5),
            confidence="medium",
            because=[_leaf("existing_serving", "contains", "tf_serving", ["tf_serving"])],
            contributions=[
                Contribution(candidate="tensorflow", criterion="production_serving", delta=1.0),
                Contribution(candidate="pytorch", criterion="production_serving", delta=0.5),
            ],
            weight_changes=[WeightChange(criterion="production_serving", delta=1.0)],
            impact=-2.0,
        ),
        Finding(
            rule_id="team-knows-pytorch",
            title="The team already knows PyTorch",
            area="team",
            rationale="Retraining a team costs months.",
            sources=["not a url, a book: Brooks 1975"],
            as_of=dt.date(2025, 9, 1),
            confidence="low",
            because=[_leaf("team_expertise", "contains", "pytorch", ["pytorch"])],
            contributions=[
                Contribution(candidate="pytorch", criterion="team_fit", delta=1.0),
                Contribution(candidate="tensorflow", criterion="team_fit", delta=-1.0),
            ],
            impact=6.0,
        ),
        Finding(
            rule_id="browser-no-jax",
            title="JAX has no browser runtime",
            area="browser",
            rationale="No maintained browser runtime loads JAX programs.",
            sources=["https://jax.readthedocs.io/"],
            as_of=dt.date(2025, 1, 15),
            confidence="high",
            because=[_leaf("deployment_targets", "contains", "browser", ["browser", "cloud_gpu"])],
            vetoes=["jax"],
            impact=0.0,
        ),
    ]
    evidence = [
        _evidence(
            "gpu-box",
            "cuda",
            "mlp_train",
            ("eager", "eager"),
            (0.0021, 0.0030),
            (0.62, 0.81),
            "pytorch",
            0.5,
        ),
        _evidence(
            "gpu-box",
            "cuda",
            "mlp_train",
            ("compile", "graph"),
            (0.0012, 0.0011),
            (0.95, 1.2),
            "indistinguishable",
            0.0,
        ),
        _evidence(
            "gpu-box",
            "cuda",
            "cnn_infer",
            ("eager", "graph"),
            (0.0150, 0.0120),
            (1.1, 1.45),
            "tensorflow",
            0.0,
        ),
        _evidence(
            "laptop $HOME",
            "cpu",
            "mlp_train",
            ("eager", "eager"),
            (0.030, 0.034),
            (0.7, 1.3),
            "indistinguishable",
            0.0,
        ),
        _evidence(
            "laptop $HOME",
            "cpu",
            "cnn_infer",
            ("eager", "graph"),
            (0.21, None),
            None,
            "missing",
            0.0,
        ),
    ]
    return Recommendation(
        project=project,
        verdict="clear",
        winner="pytorch",
        leader="pytorch",
        margin=0.5,
        summary="PyTorch leads TensorFlow by 0.50 points per unit weight and wins 91% of "
        "1000 random re-weightings.",
        ranking=[
            RankEntry(
                candidate="pytorch",
                name="PyTorch",
                total=totals["pytorch"],
                normalized=round(totals["pytorch"] / 12, 3),
                color="#c8501e",
            ),
            RankEntry(
                candidate="tensorflow",
                name="TensorFlow",
                total=totals["tensorflow"],
                normalized=round(totals["tensorflow"] / 12, 3),
                color="#1f6fb2",
            ),
            RankEntry(candidate="jax", name="JAX", total=0.0, normalized=0.0, vetoed=True),
        ],
        weights=[
            Weight(
                criterion=k, name=n, weight=w, base=b, rule_delta=d, from_question=f"priority_{k}"
            )
            for k, n, w, b, d in criteria
        ],
        scores={**scores, "jax": {k: CriterionScore(raw=0.0, weighted=0.0) for k in weights}},
        findings=findings,
        not_fired=[
            NotFired(
                rule_id="dist-tpu-pods",
                title="TPU pods favour TensorFlow",
                failed=[_leaf("hardware", "contains", "google_tpu", ["nvidia_gpu"], False)],
            ),
        ],
        vetoes=[
            Veto(
                candidate="jax",
                reason="the team must ship to browsers",
                rule_id="browser-no-jax",
                sources=["https://jax.readthedocs.io/"],
            ),
        ],
        evidence=evidence,
        robustness=Robustness(
            samples=1000,
            seed=0,
            method="weights x U(0.5, 1.5)",
            winner_share=0.91,
            shares={"pytorch": 0.91, "tensorflow": 0.09},
        ),
        counterfactuals=[
            Counterfactual(
                kind="answer",
                description="team_expertise: pytorch -> tensorflow",
                new_winner="tensorflow",
                question_id="team_expertise",
                from_value=["pytorch"],
                to_value=["tensorflow"],
            ),
            Counterfactual(
                kind="weight",
                description="Production serving weight 4 -> 9",
                new_winner="tensorflow",
                criterion="production_serving",
                from_weight=4.0,
                to_weight=9.0,
            ),
        ],
        paths=[
            PathStepPlan(
                target="cloud_gpu",
                target_label="GPU servers",
                candidate="pytorch",
                kind="native",
                steps=["torch.export", "TorchInductor AOT", "Triton server"],
                summary="Export, compile ahead of time, serve with Triton.",
                path_id="cloud-pytorch-aoti",
                sources=["https://docs.pytorch.org/docs/stable/export.html"],
                as_of=dt.date(2025, 6, 1),
                confidence="medium",
            ),
            PathStepPlan(
                target="browser",
                target_label="Web browser",
                candidate="pytorch",
                kind="hybrid",
                steps=["torch.onnx.export", "ONNX Runtime Web"],
                summary="Export to ONNX and run with ONNX Runtime Web.",
                path_id="browser-pytorch-ort",
                sources=["https://onnxruntime.ai/docs/"],
                as_of=dt.date(2025, 2, 1),
                confidence="high",
            ),
        ],
        answers=[
            AnswerEcho(
                question_id="project_name",
                prompt="What is the project called?",
                value=project or "",
                display=project or "",
                origin="given",
            ),
            AnswerEcho(
                question_id="novel_architectures",
                prompt="Will you invent architectures?",
                value=True,
                display="yes",
                origin="given",
            ),
            AnswerEcho(
                question_id="existing_serving",
                prompt="What serves models today?",
                value=["tf_serving"],
                display="TensorFlow Serving",
                origin="given",
            ),
            AnswerEcho(
                question_id="team_expertise",
                prompt="What does the team know?",
                value=["pytorch"],
                display="PyTorch | a bit of *Keras*",
                origin="given",
            ),
            AnswerEcho(
                question_id="deployment_targets",
                prompt="Where will models run?",
                value=["browser", "cloud_gpu"],
                display="Web browser, GPU servers",
                origin="default",
            ),
            AnswerEcho(
                question_id="hardware",
                prompt="Which accelerators?",
                value=["nvidia_gpu"],
                display="NVIDIA GPUs",
                origin="default",
            ),
        ],
        notes=["No path for <edge> targets; see `rules list`."],
        provenance=Provenance(
            tool_version="0.1.0",
            rulebook_hash="sha256:" + "ab" * 32,
            rule_count=4,
            as_of_oldest=dt.date(2024, 11, 5),
            as_of_newest=dt.date(2025, 9, 1),
            facts_verified_oldest=dt.date(2024, 11, 5),
            facts_verified_newest=dt.date(2025, 9, 1),
            answers_hash="sha256:" + "cd" * 32,
            probe_fingerprints=[
                ProbeFingerprint(
                    machine="gpu-box",
                    cpu_model="AMD EPYC 7R13",
                    cpu_cores_logical=32,
                    gpus=[GpuInfo(name="NVIDIA H100")],
                    os="Linux 6.8",
                    python="3.11.9",
                    fwadvisor_version="0.1.0",
                    timestamp="2025-10-01T10:00:00Z",
                    suite="quick",
                ),
                ProbeFingerprint(
                    machine="laptop $HOME",
                    cpu_model="Apple M3",
                    cpu_cores_logical=8,
                    os="macOS 15",
                    python="3.11.9",
                    fwadvisor_version="0.1.0",
                    timestamp="2025-10-02T10:00:00Z",
                    suite="quick",
                ),
            ],
            generated_at="2025-10-03T12:00:00+00:00",
        ),
    )


def without_evidence(rec: Recommendation) -> Recommendation:
    return replace(
        rec,
        **{
            "evidence": [],
            "provenance": replace(rec.provenance, **{"probe_fingerprints": []}),
        },
    )


def all_vetoed(rec: Recommendation) -> Recommendation:
    return replace(
        rec,
        **{
            "verdict": "all_vetoed",
            "winner": None,
            "leader": None,
            "paths": [],
            "project": None,
            "findings": [],
            "counterfactuals": [],
        },
    )
