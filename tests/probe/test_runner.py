"""The runner against fake workers: crashes, hangs and garbage cost one workload, not the run."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from fwadvisor.errors import ExitCode, ProbeRunError
from fwadvisor.measurements.read import load_probe_file
from fwadvisor.measurements.schema import ProbeFile
from fwadvisor.probe.session import ProbeRequest, prepare, run_probe
from fwadvisor.probe.suites import load_suites
from fwadvisor.resources import probes_dir

FAKE = [sys.executable, str(Path(__file__).with_name("fake_worker.py"))]


def _run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, behaviour: str, timeout: float | None = None
) -> ProbeFile:
    monkeypatch.setenv("FAKE_WORKER", behaviour)
    monkeypatch.setenv("FWADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "probe.json"
    settings, state = prepare(
        ProbeRequest(suite="quick", device="cpu", output=out), detect=lambda: []
    )
    if timeout is not None:
        import fwadvisor.probe.runner as runner_mod

        orig = runner_mod.Runner.run

        def patched(self: runner_mod.Runner) -> None:
            self.suite = replace(self.suite, timeout_s=timeout)
            orig(self)

        monkeypatch.setattr(runner_mod.Runner, "run", patched)
    probe = run_probe(settings, state, worker_cmd=FAKE)
    assert load_probe_file(out) == probe  # the file on disk is the result, and consistent
    return probe


def _statuses(probe: ProbeFile, workload: str) -> set[str]:
    return {m.status for m in probe.measurements if m.workload == workload}


def test_all_ok(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    probe = _run(tmp_path, monkeypatch, "ok")
    assert probe.complete
    assert all(m.status == "ok" and m.processes == 3 for m in probe.measurements)
    assert len(probe.measurements) == 8 * 5  # 8 workload variants, 2 + 3 modes
    assert probe.fingerprint.frameworks["pytorch"].threads_intra == probe.settings.threads_intra


def test_crash_fails_one_workload_rest_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe = _run(tmp_path, monkeypatch, "crash:matmul")
    assert _statuses(probe, "matmul") == {"failed"}
    reason = next(m.reason for m in probe.measurements if m.workload == "matmul")
    assert reason and "signal" not in reason and "code 139" in reason
    assert "Segmentation fault" in reason
    for workload in ("dispatch", "mlp_train", "cnn_infer", "dynamic"):
        assert _statuses(probe, workload) == {"ok"}


def test_death_while_timing_together_fails_that_process_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe = _run(tmp_path, monkeypatch, "crash_sampling:1")
    assert probe.measurements
    for m in probe.measurements:
        assert m.status == "ok" and m.processes == 2  # processes 0 and 2 still count
        (lost,) = [r for r in m.runs if r.status == "failed"]
        assert lost.process == 1
        assert "code 134" in (lost.reason or "") and "together" in (lost.reason or "")
        assert "1 of 3 processes" in (m.reason or "")


def _specs_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, behaviour: str
) -> dict[str, list[tuple[str, str]]]:
    """(process, first_workload_always) of every worker started, per framework."""
    log = tmp_path / "specs.log"
    monkeypatch.setenv("FAKE_WORKER_SPEC_LOG", str(log))
    _run(tmp_path, monkeypatch, behaviour)
    specs = [tuple(line.split()) for line in log.read_text().splitlines()]
    return {fw: [(p, always) for f, p, always in specs if f == fw] for fw in ("pytorch", "tensorflow")}


def test_only_a_first_process_measures_past_its_deadline_until_it_has_measured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A framework's first process is told to measure one workload however late it starts;
    once it has measured one, a worker started again after a crash is not (each restart past
    the deadline would measure one more), and later processes never are."""
    for fw, mine in _specs_sent(tmp_path, monkeypatch, "crash:matmul").items():
        assert mine[0] == ("0", "True"), fw
        assert ("0", "False") in mine, fw  # took over after the crash, workloads measured
        assert {always for p, always in mine if p != "0"} == {"False"}, fw


def test_a_crash_before_anything_was_measured_keeps_the_guarantee(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first worker dies on the suite's first workload: the one taking over has measured
    nothing yet, so it keeps the guarantee (the crash cost that workload, so this ends)."""
    first = load_suites(probes_dir()).suites["quick"].workloads
    sent = _specs_sent(tmp_path, monkeypatch, f"crash:{next(iter(first))}")
    for fw, mine in sent.items():
        assert [m for m in mine if m[0] == "0"] == [("0", "True"), ("0", "True")], fw


def test_hang_times_out_rest_go_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    probe = _run(tmp_path, monkeypatch, "hang:dynamic", timeout=1.5)
    assert _statuses(probe, "dynamic") == {"failed"}
    assert "timed out" in (
        next(m.reason for m in probe.measurements if m.workload == "dynamic") or ""
    )
    assert _statuses(probe, "cnn_infer") == {"ok"}


def test_garbage_output_is_probe_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ProbeRunError) as info:
        _run(tmp_path, monkeypatch, "garbage")
    assert info.value.exit_code == ExitCode.PROBE_FAILED
    probe = load_probe_file(tmp_path / "probe.json")
    assert probe.measurements
    assert all(m.status == "failed" and "garbage" in (m.reason or "") for m in probe.measurements)


def test_well_formed_but_unexpected_messages_are_garbage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ProbeRunError):
        _run(tmp_path, monkeypatch, "bogus")
    probe = load_probe_file(tmp_path / "probe.json")
    assert probe.measurements
    assert all("unexpected" in (m.reason or "") for m in probe.measurements)


def test_silent_exit_is_probe_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ProbeRunError):
        _run(tmp_path, monkeypatch, "silent_exit")
    probe = load_probe_file(tmp_path / "probe.json")
    assert probe.measurements
    assert all("exited with code 0" in (m.reason or "") for m in probe.measurements)


def test_missing_framework_is_skipped_with_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ProbeRunError):
        _run(tmp_path, monkeypatch, "unavailable")
    probe = load_probe_file(tmp_path / "probe.json")
    assert {m.status for m in probe.measurements} == {"skipped"}
    assert not probe.fingerprint.frameworks["pytorch"].installed


class _InterruptAfter:
    def __init__(self, n: int) -> None:
        self.n = n

    def begin(self, total: int, deadline: float) -> None: ...
    def working(self, label: str) -> None: ...

    def advance(self, steps: int = 1) -> None:
        self.n -= 1
        if self.n == 0:
            raise KeyboardInterrupt


def test_ctrl_c_keeps_partial_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_WORKER", "ok")
    monkeypatch.setenv("FWADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "probe.json"
    settings, state = prepare(
        ProbeRequest(suite="quick", device="cpu", output=out), detect=lambda: []
    )
    with pytest.raises(KeyboardInterrupt):
        run_probe(settings, state, reporter=_InterruptAfter(3), worker_cmd=FAKE)
    probe = load_probe_file(out)
    assert not probe.complete
    assert 0 < sum(m.status == "ok" for m in probe.measurements) < 30
    assert not list(tmp_path.glob(".probe.json.*"))  # no temp file left behind


def test_first_round_shares_the_budget_between_frameworks() -> None:
    """Process 0 of PyTorch on a busy machine used to take all but 10 s of the budget,
    leaving TensorFlow's first process no time to measure anything."""
    from fwadvisor.probe.runner import first_round_deadline, first_round_guarantee

    # quick, the command: 115 s less 8 s to finish, 2 frameworks
    guarantee = first_round_guarantee(107.0, 10.0, frameworks=2)
    assert guarantee == 53.5  # an equal share
    pytorch = first_round_deadline(0.0, 107.0, 10.0, after=1, guarantee=guarantee)
    assert pytorch == 53.5  # it may overrun its share, not the next one's guarantee
    # PyTorch stopped starting workloads at 56 s: TensorFlow has the rest
    assert first_round_deadline(56.0, 107.0, 10.0, after=0, guarantee=guarantee) == 107.0
    # never less than the reserve from now
    assert first_round_deadline(106.0, 107.0, 10.0, after=0, guarantee=guarantee) == 116.0


def _schedule(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    frameworks: list[str],
    full_process_s: dict[str, float],
) -> tuple[list[tuple[str, int, float, float]], float]:
    """The runner's plan against a fake clock: a worker measures workloads until its
    deadline (a complete process takes full_process_s) and overruns it by up to 3 s (the
    workload in hand, the timed phase's minimum rounds); it returns (fw, process, start,
    end) per worker and the budget."""
    import fwadvisor.probe.runner as runner_mod

    monkeypatch.setenv("FWADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    settings, state = prepare(
        ProbeRequest(
            suite="quick",
            device="cpu",
            output=tmp_path / "p.json",
            frameworks=",".join(frameworks),
        ),
        detect=lambda: [],
    )
    from fwadvisor.probe.suites import load_suites
    from fwadvisor.resources import probes_dir

    suite = load_suites(probes_dir()).suites["quick"]
    now = [1000.0]
    plan: list[tuple[str, int, float, float]] = []

    def fake_process(self: runner_mod.Runner, fw: str, process: int, deadline: float) -> None:
        start = now[0]
        now[0] = min(start + full_process_s[fw], max(deadline + 3.0, start + 3.0))
        plan.append((fw, process, start, now[0]))

    monkeypatch.setattr(runner_mod.Runner, "_run_process", fake_process)
    runner = runner_mod.Runner(
        settings, suite, probes_dir(), state, clock=lambda: now[0], watch_machine=False
    )
    runner.run()
    return plan, settings.budget_s


def test_quiet_three_framework_run_completes_every_first_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quiet, warm three-framework quick run on a 2-core machine: one complete process took
    PyTorch 13 s, TensorFlow 26 s and JAX 19 s (measured 2026-12-07). The runner used to keep
    10 s for each of the six later processes out of the first round, so TensorFlow's first
    process stopped before the transformer workloads; and the last worker ran past the budget
    (123 s for 115). Now every first process completes, later processes share what is left,
    and the run ends within the budget."""
    durations = {"pytorch": 13.0, "tensorflow": 26.0, "jax": 19.0}
    plan, budget = _schedule(tmp_path, monkeypatch, list(durations), durations)
    first = [p for p in plan if p[1] == 0]
    assert [p[0] for p in first] == ["pytorch", "tensorflow", "jax"]
    for fw, _, start, end in first:
        assert end - start == durations[fw]  # not cut
    assert any(p[1] > 0 for p in plan)  # the time left goes to later processes
    assert plan[-1][3] - 1000.0 <= budget


def test_cold_first_process_leaves_the_others_their_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold compile cache can make PyTorch's first process take minutes: it is cut, and
    TensorFlow and JAX still get an equal share each, enough for a complete process."""
    durations = {"pytorch": 300.0, "tensorflow": 26.0, "jax": 19.0}
    plan, budget = _schedule(tmp_path, monkeypatch, list(durations), durations)
    first = {p[0]: p for p in plan if p[1] == 0}
    assert first["tensorflow"][3] - first["tensorflow"][2] == 26.0
    assert first["jax"][3] - first["jax"][2] == 19.0
    assert plan[-1][3] - 1000.0 <= budget


def test_no_cache_leaves_nothing_in_tmpdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """FWADVISOR_NO_CACHE: the cold compile caches and the workers' scratch folders live in
    $TMPDIR only while the probe runs."""
    import tempfile

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setenv("FAKE_WORKER", "ok")
    monkeypatch.setenv("FWADVISOR_NO_CACHE", "1")
    settings, state = prepare(
        ProbeRequest(suite="quick", device="cpu", output=tmp_path / "probe.json"),
        detect=lambda: [],
    )
    assert settings.compile_cache_dir and Path(settings.compile_cache_dir).parent == tmp
    run_probe(settings, state, worker_cmd=FAKE)
    assert list(tmp.iterdir()) == []


def test_probe_workers_leave_nothing_in_the_users_tmpdir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker's $TMPDIR is private and removed when it ends (TensorFlow's autograph
    files, compiler scratch); torch's precompiled headers (150-600 MB, which torch puts under
    $TMPDIR whatever its cache settings) are pointed into the probe's private cache."""
    import tempfile

    user_tmp = tmp_path / "user-tmp"
    user_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(user_tmp))
    record = tmp_path / "worker-tmp.txt"
    monkeypatch.setenv("FAKE_WORKER_TMP_FILE", str(record))
    probe = _run(tmp_path, monkeypatch, "ok")
    lines = [line.split("\t") for line in record.read_text().splitlines()]
    assert len(lines) == 3 * len(probe.settings.frameworks)  # one per worker process
    cache = Path(probe.settings.compile_cache_dir or "")
    for worker_tmp, headers in lines:
        assert Path(worker_tmp).parent == user_tmp and not Path(worker_tmp).exists()
        assert Path(headers) == cache / "torch-headers"
    assert list(user_tmp.iterdir()) == []


def test_a_later_process_too_short_to_measure_is_not_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first round left 11.6 s; later processes were skipped until the share reached
    5.8 s, and TensorFlow's third process then spent 10 s starting and measured nothing.
    A later process starts only with at least the suite's reserve (10 s) ahead of it."""
    durations = {"pytorch": 38.0, "tensorflow": 33.0, "jax": 24.0}
    plan, _ = _schedule(tmp_path, monkeypatch, list(durations), durations)
    later = [p for p in plan if p[1] > 0]
    assert all(end - start >= 10.0 for _, _, start, end in later)
    assert [p[:2] for p in later] == [("jax", 2)]  # 12 s were left: one reserve, the last slot
