"""`fwadvisor paths`: list, show, and bad requests and user models (exit 2, no traceback)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fwadvisor.cli.app import main
from fwadvisor.pathcheck.catalog import load_catalog, unknown_paths
from fwadvisor.pathcheck.session import PathsRequest, plan
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.restrict import default_comparison

ROOT = Path(__file__).resolve().parents[2]
FAKE = ROOT / "tests" / "fixtures" / "paths_fake"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(["paths", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return int(info.value.code or 0), out, err


def test_catalog_names_only_rulebook_paths() -> None:
    catalog, _ = load_catalog()
    assert unknown_paths(catalog, load_rulebook(None)) == []


def test_list_shows_every_path_and_its_checks(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "list")
    assert code == 0
    assert "pt-android-executorch" in out and "torch-executorch-xnnpack" in out
    assert "pt-ios-coremltools" in out  # an unchecked path is listed too


def test_show_prints_steps_sources_and_checks(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "show", "tf-android-litert")
    assert code == 0
    assert "steps:" in out and "sources:" in out and "as_of:" in out
    assert "tf-litert-int8" in out


def test_show_unknown_path_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "show", "pt-android-nothing")
    assert code == 2 and "pt-android-nothing" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--targets", "mars_rover"], "mobile_android"),
        (["--candidates", "caffe"], "pytorch, tensorflow"),
        (["--model", "no_colon.py"], "FILE.py:FACTORY"),
        (["--model", "missing.py:build"], "model file not found"),
        (["--timeout", "0"], "positive"),
    ],
)
def test_bad_requests_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], expected: str
) -> None:
    code, _, err = cli(capsys, "check", *args, "--output", str(tmp_path / "p.json"))
    assert code == 2
    assert expected in err


def test_existing_output_needs_force(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    out.write_text("mine")
    code, _, err = cli(capsys, "check", "--output", str(out))
    assert code == 2 and "--force" in err
    assert out.read_text() == "mine"


@pytest.mark.parametrize(
    ("source", "factory", "expected"),
    [
        (
            "import nonexistent_module_xyz\n",
            "build",
            "does not import (line 1): ModuleNotFoundError",
        ),
        ("def build(:\n", "build", "does not import"),
        ("def other():\n    return 1\n", "build", "has no function 'build'"),
        (
            "def build():\n    raise ValueError('no weights file')\n",
            "build",
            "build() raised (line 2): ValueError: no weights file",
        ),
        ("def build():\n    return 42\n", "build", "must return (model, example_inputs)"),
        ("def build():\n    return object(), (1,)\n", "build", "not a model of a framework"),
    ],
)
def test_bad_user_model_exits_2_with_file_and_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, source: str, factory: str, expected: str
) -> None:
    model = tmp_path / "my_model.py"
    model.write_text(source)
    code, _, err = cli(
        capsys, "check", "--model", f"{model}:{factory}", "--output", str(tmp_path / "p.json")
    )
    assert code == 2
    assert str(model) in err
    assert expected in err
    assert not (tmp_path / "p.json").exists()


def test_cli_process_imports_no_framework(tmp_path: Path) -> None:
    """Planning a check (catalog, rulebook, answers) imports no framework and no NumPy."""
    code = (
        "import sys\n"
        "from fwadvisor.cli.app import main\n"
        "try:\n"
        "    main(['paths', 'check', '--targets', 'mars', '--output', sys.argv[1]])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted({'torch', 'tensorflow', 'jax', 'numpy', 'keras'} & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "p.json")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def _planned(tmp_path: Path, **req: object) -> tuple[list[str], list[str]]:
    p = plan(load_rulebook(None), PathsRequest(output=tmp_path / "p.json", **req))  # type: ignore[arg-type]
    return p.settings.candidates, [c.id for c in p.checks]


def test_default_candidates_are_the_default_comparison(tmp_path: Path) -> None:
    rulebook = load_rulebook(None)
    candidates, checks = _planned(tmp_path)
    assert candidates == list(default_comparison(rulebook))
    frameworks = {c.framework for c in load_catalog()[0].checks if c.id in checks}
    assert frameworks == set(candidates) & set(load_catalog()[0].frameworks)


def test_an_answers_file_naming_candidates_adds_their_checks(tmp_path: Path) -> None:
    answers = ROOT / "examples" / "mobile_app.yaml"
    three = tmp_path / "three.yaml"
    three.write_text(f"candidates: [pytorch, tensorflow, jax]\n{answers.read_text()}")
    candidates, checks = _planned(tmp_path, answers=three)
    assert "jax" in candidates
    assert "jax-jax2tf-litert-float" in checks  # mobile targets: the LiteRT route
    assert "jax-jax2tf-savedmodel" not in checks  # a server path, not a target here


@pytest.mark.parametrize("cache", ["off", "refused"])
def test_without_a_trusted_cache_the_compilers_cache_in_the_runs_private_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: str
) -> None:
    """Never the compilers' defaults in the shared temporary directory (`/tmp/torchinductor_<user>`,
    which anyone can create first and fill with code the worker would import)."""
    from fwadvisor.pathcheck import session

    if cache == "off":
        monkeypatch.setenv("FWADVISOR_NO_CACHE", "1")
    else:
        shared = tmp_path / "shared"
        shared.mkdir()
        shared.chmod(0o777)
        monkeypatch.setenv("FWADVISOR_CACHE_DIR", str(shared))
    seen: dict[str, object] = {}

    class Capture:
        def __init__(self, *args: object) -> None:
            seen["workdir"], seen["env"] = args[3], args[4]

        def run(self, checks: object, models: object) -> None:
            workdir = Path(str(seen["workdir"]))
            env = seen["env"]
            assert isinstance(env, dict)
            for var in ("TORCHINDUCTOR_CACHE_DIR", "TRITON_CACHE_DIR", "JAX_COMPILATION_CACHE_DIR"):
                assert Path(env[var]).is_relative_to(workdir), var
            info = workdir.stat()
            assert info.st_uid == os.geteuid() and info.st_mode & 0o077 == 0

    monkeypatch.setattr(session, "CheckRunner", Capture)
    p = plan(load_rulebook(None), PathsRequest(output=tmp_path / "p.json"))
    session.run_checks(p, tmp_path / "p.json")
    assert "env" in seen
