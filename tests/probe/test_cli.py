"""`fwadvisor probe` bad usage: exit 2 with the valid values, no traceback, no framework import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fwadvisor.cli.app import main
from fwadvisor.measurements.schema import GpuInfo
from fwadvisor.probe import session
from fwadvisor.workers import fingerprint

ROOT = Path(__file__).resolve().parents[2]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(["probe", *args])
    _, err = capsys.readouterr()
    assert "Traceback" not in err
    return int(info.value.code or 0), err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--suite", "huge"], "smoke, quick, full"),
        (["--frameworks", "pytorch,mxnet"], "pytorch, tensorflow, jax"),
        (["--workloads", "matmul,resnet"], "dispatch, matmul, mlp_train, cnn_infer, dynamic"),
        (["--device", "tpu"], "auto, cpu, cuda"),
        (["--budget", "-1"], "positive"),
    ],
)
def test_bad_values_exit_2_with_valid_values(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], expected: str
) -> None:
    code, err = cli(capsys, *args, "--output", str(tmp_path / "p.json"))
    assert code == 2
    assert expected in err


def test_cuda_without_gpu_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session, "nvidia_gpus", lambda: [])
    code, err = cli(capsys, "--device", "cuda", "--output", str(tmp_path / "p.json"))
    assert code == 2
    assert "no NVIDIA GPU" in err


def test_existing_output_needs_force(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    out.write_text("{}")
    code, err = cli(capsys, "--output", str(out), "--device", "cpu")
    assert code == 2 and "--force" in err


def test_auto_device_picks_cuda_when_a_gpu_is_found() -> None:
    gpu = GpuInfo(name="NVIDIA H100", driver="550.54", memory_bytes=80 * 2**30)
    assert session.resolve_device("auto", lambda: [gpu]) == ("cuda", [gpu])
    assert session.resolve_device("auto", lambda: []) == ("cpu", [])
    assert session.resolve_device("cpu", lambda: [gpu]) == ("cpu", [])


def test_nvidia_smi_output_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    class Done:
        stdout = "NVIDIA H100 80GB HBM3, 550.54.15, 81559\n"

    monkeypatch.setattr(fingerprint.shutil, "which", lambda _: "/usr/bin/nvidia-smi")
    monkeypatch.setattr(fingerprint.subprocess, "run", lambda *a, **k: Done())
    (gpu,) = fingerprint.nvidia_gpus()
    assert gpu.name == "NVIDIA H100 80GB HBM3" and gpu.driver == "550.54.15"
    assert gpu.memory_bytes == 81559 * 1024 * 1024


def test_cli_process_never_imports_a_framework() -> None:
    code = (
        "import sys; import fwadvisor.cli.app, fwadvisor.probe.session, fwadvisor.measurements.summary,"
        " fwadvisor.measurements.evidence, fwadvisor.probe.worker;"
        " bad = [m for m in ('torch', 'tensorflow') if m in sys.modules]; print(bad); sys.exit(bool(bad))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
