"""Hostile input files are refused with one message (exit 2), never a hang or a traceback:
special files by type, alias bombs and nesting before anything is built, invalid dates,
oversized integers, deep JSON."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from fwadvisor.errors import InputFileError
from fwadvisor.yamlio import load_document, load_json, parse_text, read_text
from tests.cli_run import cli

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "default.yaml"


def _bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_quickly() -> None:
    text = _bomb()
    assert len(text) < 1100
    start = time.perf_counter()
    with pytest.raises(InputFileError, match="aliases"):
        parse_text(text, "bomb.yaml")
    assert time.perf_counter() - start < 1.0


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(InputFileError, match="refers to itself"):
        parse_text("a: &a [1, *a]\n", "loop.yaml")


def test_few_aliases_are_fine() -> None:
    doc = parse_text("base: &b {x: 1}\nuse: [*b, *b]\n", "ok.yaml")
    assert doc.data == {"base": {"x": 1}, "use": [{"x": 1}, {"x": 1}]}


@pytest.mark.parametrize("depth", [150, 5000])
def test_deep_yaml_is_refused(depth: int) -> None:
    with pytest.raises(InputFileError, match="nest"):
        parse_text("a: " + "[" * depth + "]" * depth + "\n", "deep.yaml")


def test_invalid_date_names_line_and_field() -> None:
    with pytest.raises(InputFileError) as info:
        parse_text("schema_version: 1\nanswers:\n  project_name: 2026-02-30\n", "a.yaml")
    problem = info.value.problems[0]
    assert (problem.file, problem.line, problem.field) == ("a.yaml", 3, "answers.project_name")
    assert "2026-02-30" in problem.message


def test_huge_yaml_integer_names_line() -> None:
    with pytest.raises(InputFileError) as info:
        parse_text("a: 1\nb: " + "9" * 5000 + "\n", "big.yaml")
    assert info.value.problems[0].line == 2 and info.value.problems[0].field == "b"


@pytest.mark.parametrize(
    "text, match",
    [
        ("[" * 100_000 + "]" * 100_000, "nested"),
        ('{"a": ' + "9" * 5000 + "}", "digits"),
        ('{"a": [' * 300 + "1" + "]}" * 300, "nested"),
    ],
)
def test_hostile_json_is_refused(tmp_path: Path, text: str, match: str) -> None:
    f = tmp_path / "x.json"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError, match=match):
        load_json(f)


def _finishes(fn: object, seconds: float) -> object:
    box: list[object] = []

    def go() -> None:
        try:
            box.append(fn())  # type: ignore[operator]
        except BaseException as exc:
            box.append(exc)

    t = threading.Thread(target=go, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), "reading did not finish"
    return box[0]


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_device_files_are_refused_by_type(special: str) -> None:
    result = _finishes(lambda: read_text(Path(special), "answers file"), 5)
    assert isinstance(result, InputFileError)
    assert "not a regular file" in result.render()


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.yaml"
    os.mkfifo(fifo)
    result = _finishes(lambda: load_document(fifo, "answers file"), 5)
    assert isinstance(result, InputFileError)
    assert "not a regular file" in result.render()


def test_file_growing_past_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("a: 1\n" * 100, encoding="utf-8")
    monkeypatch.setattr("fwadvisor.yamlio.MAX_BYTES", 50)
    with pytest.raises(InputFileError, match="too large"):
        read_text(f)


@pytest.mark.parametrize(
    "args",
    [
        ["recommend", "--answers", "{fifo}"],
        ["recommend", "--answers", str(EXAMPLE), "--probe", "/dev/zero"],
        ["recommend", "--answers", str(EXAMPLE), "--paths-check", "{fifo}"],
        ["report", "/dev/urandom"],
        ["recommend", "--answers", str(EXAMPLE), "--rules", "{rules}"],
    ],
)
def test_special_files_exit_2_on_every_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    rules = tmp_path / "rules"
    (rules / "rules").mkdir(parents=True)
    for name in ("candidates.yaml", "criteria.yaml", "questions.yaml"):
        (rules / name).symlink_to("/dev/zero")
    argv = [a.format(fifo=fifo, rules=rules) for a in args]
    result = _finishes(lambda: cli(capsys, *argv), 20)
    assert isinstance(result, tuple)
    code, _, err = result
    assert code == 2, err
    assert "Traceback" not in err and "not a regular file" in err


def test_json_nesting_in_every_json_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    big = tmp_path / "big.json"
    big.write_text('{"schema_version": ' + "9" * 5000 + "}", encoding="utf-8")
    for f in (deep, big):
        for args in (
            ["recommend", "--answers", str(EXAMPLE), "--probe", str(f)],
            ["recommend", "--answers", str(EXAMPLE), "--paths-check", str(f)],
            ["report", str(f)],
        ):
            code, _, err = cli(capsys, *args)
            assert code == 2, err
            assert err.startswith("error: ") and str(f) in err


def test_alias_bomb_answers_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    levels = ['&a0 ["x","x","x","x","x","x","x","x","x","x"]']
    levels += [f"&a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    f = tmp_path / "a.yaml"
    f.write_text(
        "schema_version: 1\nanswers:\n  project_name: [" + ", ".join(levels) + "]\n",
        encoding="utf-8",
    )
    assert f.stat().st_size < 1100
    start = time.perf_counter()
    result = _finishes(lambda: cli(capsys, "recommend", "--answers", str(f)), 20)
    assert isinstance(result, tuple)
    code, _, err = result
    assert code == 2 and "aliases" in err, err
    assert time.perf_counter() - start < 5


def test_alias_bomb_in_a_rule_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(Path(__file__).resolve().parent / "fixtures" / "mini_rules", rules)
    (rules / "rules" / "bomb.yaml").write_text(_bomb(), encoding="utf-8")
    start = time.perf_counter()
    result = _finishes(lambda: cli(capsys, "rules", "validate", "--rules", str(rules)), 20)
    assert isinstance(result, tuple)
    code, _, err = result
    assert code == 2 and "bomb.yaml" in err and "aliases" in err, err
    assert time.perf_counter() - start < 5
