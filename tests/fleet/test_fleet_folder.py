"""The fleet without a cluster: kinds of node, the folder and its index, the evidence per use."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from fwadvisor.errors import ProbeError
from fwadvisor.fleet.kinds import Kind, NodeSeen, group_nodes
from fwadvisor.fleet.output import FleetWriter, cluster_node
from fwadvisor.fleet.runtime_env import from_extras, runtime_env
from fwadvisor.measurements.evidence import build_evidence
from fwadvisor.measurements.fleet import INDEX_NAME, load_fleet_index, load_probe_folder
from fwadvisor.measurements.schema import GpuInfo, ProbeFile
from fwadvisor.registry import INFERENCE_HARDWARE, TRAINING_HARDWARE, WORKLOAD_USES
from tests.measurements.helpers import ROOT, around, measurement, probe_file


def node(node_id: str, *, gpus: int = 0, cpu: str = "Test CPU", **labels: str) -> NodeSeen:
    p = probe_file([])
    fp = replace(p.fingerprint, cpu_model=cpu, gpus=[GpuInfo(name="NVIDIA H100")] * gpus)
    return NodeSeen(
        node_id=node_id, address="127.0.0.1", labels=labels, fingerprint=fp, settings=p.settings
    )


def test_nodes_group_by_hardware_label_or_node() -> None:
    nodes = [node("b", gpus=8), node("a", gpus=8), node("c"), node("d", cpu="Other CPU")]
    kinds = group_nodes(nodes)
    assert [len(k.nodes) for k in kinds] == [2, 1, 1]
    assert kinds[0].chosen.node_id == "a"  # the first by id: reruns measure the same node
    assert kinds[0].key["gpu"] == "8x NVIDIA H100"
    assert len({k.name for k in kinds}) == 3
    labelled = [node("a", role="train"), node("b", role="serve"), node("c", role="serve")]
    assert sorted(k.name for k in group_nodes(labelled, group_by="role")) == [
        "role-serve",
        "role-train",
    ]
    assert len(group_nodes(labelled, every_node=True)) == 3


def test_nodes_that_could_not_describe_themselves_are_no_kind() -> None:
    broken = NodeSeen(node_id="x", address="10.0.0.9", error="ModuleNotFoundError: fwadvisor")
    assert group_nodes([broken, node("a")])[0].chosen.node_id == "a"
    assert len(group_nodes([broken, node("a")])) == 1


def kinds_of(*nodes: NodeSeen) -> list[Kind]:
    return group_nodes(list(nodes), group_by="role")


def on_node(probe: ProbeFile, kind: Kind) -> ProbeFile:
    """The probe file as the node writes it: its fingerprint names the node and kind."""
    fp = replace(probe.fingerprint, cluster_node=cluster_node(kind))
    return replace(probe, fingerprint=fp)


def test_folder_keeps_finished_and_partial_runs(tmp_path: Path) -> None:
    train, serve, gone = kinds_of(
        node("a", role="train"), node("b", role="serve"), node("c", role="gone")
    )
    writer = FleetWriter(tmp_path, "local", "smoke", "role", False)
    writer.start([train, serve, gone])
    assert not load_fleet_index(tmp_path).complete
    done = probe_file([measurement("pytorch", "eager", "matmul", "default", around(1e-3))])
    writer.finish(train.name, on_node(done, train))
    partial = replace(on_node(done, serve), complete=False)
    writer.snapshot(serve.name, partial)
    writer.fail(serve, "node lost: raylet died", partial)
    writer.fail(gone, "timed out after 60 s", None)
    index = load_fleet_index(tmp_path)
    status = {e.kind: (e.status, e.reason) for e in index.kinds}
    assert status == {
        "role-train": ("complete", None),
        "role-serve": ("incomplete", "node lost: raylet died"),
        "role-gone": ("incomplete", "timed out after 60 s"),
    }
    assert not index.complete
    probes = {p.fingerprint.cluster_node.kind: p for p in load_probe_folder(tmp_path)}  # type: ignore[union-attr]
    assert probes["role-train"].complete
    assert probes["role-serve"].incomplete_reason == "node lost: raylet died"
    assert probes["role-serve"].measurements  # what it measured is kept
    assert not probes["role-gone"].measurements and not probes["role-gone"].complete


def test_folder_index_must_not_point_outside(tmp_path: Path) -> None:
    writer = FleetWriter(tmp_path, "local", "smoke", None, False)
    (kind,) = kinds_of(node("a", role="x"))
    writer.start([kind])
    data = json.loads((tmp_path / INDEX_NAME).read_text())
    data["kinds"][0]["file"] = "../elsewhere.json"
    (tmp_path / INDEX_NAME).write_text(json.dumps(data))
    with pytest.raises(ProbeError, match="not a JSON file name inside the folder"):
        load_probe_folder(tmp_path)
    with pytest.raises(ProbeError, match=r"without fleet-index\.json"):
        load_probe_folder(tmp_path / "..")


def fleet_probe(device: str, pt: float, tf: float, kind: str) -> ProbeFile:
    ms = [
        measurement(fw, mode, w, v, around(t))
        for w, v in (("mlp_train", "default"), ("cnn_infer", "throughput"))
        for fw, mode, t in (
            ("pytorch", "eager", pt),
            ("pytorch", "compiled", pt),
            ("tensorflow", "eager", tf),
            ("tensorflow", "function", tf),
            ("tensorflow", "xla", tf),
        )
    ]
    p = probe_file(ms)
    (k,) = kinds_of(node(kind, role=kind))
    p = replace(p, settings=replace(p.settings, device=device))
    return on_node(p, k)


def test_each_kind_counts_where_the_answers_use_it() -> None:
    gpu = fleet_probe("cuda", 1e-3, 2e-3, "gpu")  # PyTorch twice as fast on the GPU nodes
    cpu = fleet_probe("cpu", 2e-3, 1e-3, "cpu")  # TensorFlow twice as fast on the CPU nodes
    answers = {
        WORKLOAD_USES: ["training", "batch_inference"],
        TRAINING_HARDWARE: ["nvidia_gpu"],
        INFERENCE_HARDWARE: ["cpu"],
    }
    ev = build_evidence([gpu, cpu], answers)
    counted = {(i.machine, i.workload): i.points for i in ev.items}
    assert counted[("role-gpu (cuda)", "mlp_train")]["pytorch"] > 0
    assert counted[("role-cpu (cpu)", "mlp_train")] == {}
    assert counted[("role-cpu (cpu)", "cnn_infer")]["tensorflow"] > 0
    assert counted[("role-gpu (cuda)", "cnn_infer")] == {}
    assert [i.machine for i in ev.items] == ["role-gpu (cuda)"] * 2 + ["role-cpu (cpu)"] * 2
    skipped = [i for i in ev.items if not i.points]
    assert all(i.note.startswith("not counted") for i in skipped)
    # a full share each: one kind counts per use
    assert ev.points["pytorch"] == pytest.approx(
        counted[("role-gpu (cuda)", "mlp_train")]["pytorch"]
    )
    # inference "the same as for training": the GPU kind counts for both
    same = build_evidence([gpu, cpu], {**answers, INFERENCE_HARDWARE: ["same_as_training"]})
    assert {i.machine for i in same.items if i.points} == {"role-gpu (cuda)"}
    # no hardware answered: every kind counts, as for files of separate machines
    every = build_evidence([gpu, cpu], {WORKLOAD_USES: ["training"]})
    assert all(i.points for i in every.items)


def test_runtime_env_from_extras_and_from_a_file(tmp_path: Path) -> None:
    env = from_extras(["pytorch", "jax"], ROOT / "fwadvisor")
    assert any(r.startswith("torch") for r in env["pip"])
    assert any(r.startswith("jax") for r in env["pip"])
    assert not any(r.startswith("tensorflow") for r in env["pip"])
    assert env["working_dir"] == str(ROOT) and ".venv" in env["excludes"]
    own = tmp_path / "env.yaml"
    own.write_text("pip: [torch]\nenv_vars: {OMP_NUM_THREADS: '4'}\n")
    assert runtime_env(str(own), ["pytorch"]) == {
        "pip": ["torch"],
        "env_vars": {"OMP_NUM_THREADS": "4"},
    }
    assert runtime_env(None, ["pytorch"]) is None


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fwadvisor", *args],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(cwd)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--group-by", "role"], "only go with --ray"),
        (["--ray", "local", "--every-node", "--group-by", "role"], "exclude each other"),
        (["--ray", "local", "--output", "afile"], "is a file"),
        (["--ray", "local", "--runtime-env", "list.yaml"], "must hold a mapping"),
        (["--ray", "--every-node"], "is not a Ray address"),
    ],
)
def test_fleet_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "afile").write_text("x")
    (tmp_path / "list.yaml").write_text("- a\n")
    proc = run_cli("probe", *args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_cli_start_up_does_not_import_ray() -> None:
    code = (
        "import sys\nfrom fwadvisor.cli.app import main\n"
        "try:\n    main(['probe', '--help'])\nexcept SystemExit:\n    pass\n"
        "assert 'ray' not in sys.modules, 'ray imported'\nprint('--ray' in sys.argv or 'ok')"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    assert "--ray" in proc.stdout and proc.stdout.strip().endswith("ok")


def test_recommend_reads_a_fleet_folder(tmp_path: Path) -> None:
    folder = tmp_path / "fleet"
    folder.mkdir()
    gpu, cpu = fleet_probe("cuda", 1e-3, 2e-3, "gpu"), fleet_probe("cpu", 2e-3, 1e-3, "cpu")
    writer = FleetWriter(folder, "local", "quick", "role", False)
    kinds = kinds_of(node("gpu", role="gpu"), node("cpu", role="cpu"))
    writer.start(kinds)
    for kind, probe in zip(kinds, (cpu, gpu), strict=True):  # kinds come sorted by node id
        writer.finish(kind.name, probe)
    proc = run_cli(
        "recommend",
        "--answers",
        str(ROOT / "examples" / "default.yaml"),
        "--probe",
        str(folder),
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    rec = json.loads(proc.stdout)
    machines = {e["machine"] for e in rec["evidence"]}
    assert machines == {"role-gpu (cuda)", "role-cpu (cpu)"}
