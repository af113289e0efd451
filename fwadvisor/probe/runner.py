"""Run the suite: fresh worker processes per framework, interleaved, within a time budget.

Process i of every framework runs before process i+1 of any (A 0, B 0,
A 1, B 1, ...) so drift and a budget cut hit both alike, and process i of each framework
pairs up for the cross-framework ratio. A worker that crashes, hangs or talks garbage costs
the workload it was on (recorded as failed with the reason); a new worker does the rest.
After every result the whole file is rewritten atomically, so Ctrl-C keeps what was measured.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from fwadvisor.fingerprint import FrameworkInfo
from fwadvisor.measurements.schema import Run, Settings
from fwadvisor.probe import machine
from fwadvisor.probe.output import ProbeState
from fwadvisor.probe.suites import Suite
from fwadvisor.probe.worker.protocol import (
    Done,
    Group,
    Hello,
    Message,
    Noise,
    Result,
    Sampling,
    Start,
    Unavailable,
    WorkerSpec,
    decode,
)
from fwadvisor.records import dump_json
from fwadvisor.registry import (
    COMPILE_CACHE_SUBDIR,
    INSTALL_HINT,
    MODES,
    SCALING_WORKLOADS,
    WORKER_MODULE,
    Framework,
)
from fwadvisor.workers.process import Ended, WorkerProcess, WorkerTimeout

DEFAULT_WORKER = (sys.executable, "-m", "fwadvisor.probe.worker")


class Reporter(Protocol):
    def begin(self, total: int, deadline: float) -> None: ...
    def working(self, label: str) -> None: ...
    def advance(self, steps: int = 1) -> None: ...


class SilentReporter:
    def begin(self, total: int, deadline: float) -> None: ...
    def working(self, label: str) -> None: ...
    def advance(self, steps: int = 1) -> None: ...


def first_round_guarantee(work_s: float, reserve: float, frameworks: int) -> float:
    """Seconds every framework's first process is sure of: an equal share of the working
    time (at least `reserve`). Later processes get nothing before every framework has had
    its first: one complete process measures every workload once."""
    return max(reserve, work_s / max(1, frameworks))


def first_round_deadline(
    now: float, work_deadline: float, reserve: float, *, after: int, guarantee: float
) -> float:
    """The deadline of a first-round worker: what is left once `guarantee` is kept for each
    of the `after` frameworks still to start their first process; at least `reserve` from
    now. (A framework slowed by a cold cache or a busy machine must not leave the next one
    no time to measure anything.)"""
    return max(now + reserve, work_deadline - guarantee * after)


def later_round_deadline(
    now: float, work_deadline: float, reserve: float, *, slots_left: int
) -> float | None:
    """A later process's deadline: an equal share of what is left among the processes still
    to run, this one included; None (skip it) when that share is under the reserve, too
    little to start a framework and measure a workload (a TensorFlow worker given 6 s spent
    them starting and measured nothing)."""
    share = (work_deadline - now) / max(1, slots_left)
    return now + share if share >= reserve else None


@dataclass
class Runner:
    """Runs the suite's worker processes (every framework's first before any second) within
    the budget."""

    settings: Settings
    suite: Suite
    probes: Path
    state: ProbeState
    reporter: Reporter = field(default_factory=SilentReporter)
    worker_cmd: Sequence[str] = DEFAULT_WORKER
    env: dict[str, str] = field(default_factory=dict)
    clock: Callable[[], float] = time.time
    unavailable: set[str] = field(default_factory=set)
    watch_machine: bool = True

    def groups(self, framework: str) -> list[Group]:
        return [
            Group(workload=w, variant=v, params=p, modes=list(MODES[framework]))
            for w, variants in self.suite.workloads.items()
            if w in self.settings.workloads and w not in SCALING_WORKLOADS
            for v, p in variants.items()
        ]

    def run(self) -> None:
        s = self.settings
        reserve = self.suite.slot_reserve_s
        # workers stop starting work `finish_s` early: the one in hand and the last timed
        # rounds still fit in the budget
        work_s = max(reserve, s.budget_s - self.suite.finish_s)
        work_deadline = self.clock() + work_s
        per_process = {fw: len(self.groups(fw)) for fw in s.frameworks}
        self.reporter.begin(sum(per_process.values()) * s.processes, work_deadline)
        guarantee = first_round_guarantee(work_s, reserve, len(s.frameworks))
        for process in range(s.processes):
            for index, fw in enumerate(s.frameworks):
                if fw in self.unavailable:
                    self.reporter.advance(per_process[fw])
                    continue
                if process == 0:  # every framework gets one try before any gets a second
                    slot_deadline: float | None = first_round_deadline(
                        self.clock(),
                        work_deadline,
                        reserve,
                        after=len(s.frameworks) - 1 - index,
                        guarantee=guarantee,
                    )
                else:
                    available = [f for f in s.frameworks if f not in self.unavailable]
                    later = s.frameworks[index:]
                    slot_deadline = later_round_deadline(
                        self.clock(),
                        work_deadline,
                        reserve,
                        slots_left=(s.processes - 1 - process) * len(available)
                        + sum(f not in self.unavailable for f in later),
                    )
                if slot_deadline is None:
                    self._skip(fw, process, self.groups(fw), "time budget exhausted")
                    self.reporter.advance(per_process[fw])
                    continue
                self._run_process(fw, process, slot_deadline)

    def _skip(self, fw: Framework, process: int, groups: Sequence[Group], reason: str) -> None:
        for g in groups:
            for mode in g.modes:
                run = Run(process=process, status="skipped", reason=reason)
                self.state.add_run(fw, g, mode, run)
        self.state.save()

    def _fail(self, fw: Framework, process: int, group: Group, reason: str) -> None:
        for mode in group.modes:
            if not self.state.has_run(fw, group, mode, process):
                self.state.add_run(
                    fw, group, mode, Run(process=process, status="failed", reason=reason)
                )
        self.state.save()
        self.reporter.advance()

    def _spec(
        self,
        fw: Framework,
        process: int,
        groups: list[Group],
        deadline: float,
        first_workload_always: bool = False,
    ) -> WorkerSpec:
        s = self.settings
        cache = self.state.inductor_dir
        if fw in COMPILE_CACHE_SUBDIR and s.compile_cache_dir:
            cache = str(Path(s.compile_cache_dir) / COMPILE_CACHE_SUBDIR[fw])
        return WorkerSpec(
            framework=fw,
            module_path=str(self.probes / WORKER_MODULE[fw]),
            device=s.device,
            threads_intra=s.threads_intra,
            threads_inter=s.threads_inter,
            process=process,
            seed=s.seed + process,
            deadline=deadline,
            compile_cache_dir=cache,
            timing=self.suite.timing,
            groups=groups,
            noise_check=True,
            first_workload_always=first_workload_always,
        )

    def _run_process(self, fw: Framework, process: int, deadline: float) -> None:
        pending = self.groups(fw)
        while pending:
            start = time.monotonic()
            window = machine.Window() if self.watch_machine else None
            # a framework's first process measures at least one workload however late it
            # starts (or nothing could be compared), until one is measured: a worker started
            # again after a crash keeps the guarantee only while nothing is, and each crash
            # costs a workload, so the restarts past the deadline are bounded
            first = process == 0 and not self.state.measured_any(fw, process)
            spec = self._spec(fw, process, pending, deadline, first_workload_always=first)
            worker: WorkerProcess[Message] = WorkerProcess(
                self.worker_cmd, self.env, spec, decode
            )
            try:
                pending = self._read(worker, fw, process, pending)
            finally:
                worker.close()
                self.state.add_wall(fw, time.monotonic() - start)
                load = machine.process_load(window, fw, process) if window else None
                if load is not None:
                    self.state.add_load(load)

    def _read(
        self, worker: WorkerProcess[Message], fw: Framework, process: int, pending: list[Group]
    ) -> list[Group]:
        """Consume one worker; return the groups still to do (for a fresh worker)."""
        by_key = {(g.workload, g.variant): g for g in pending}
        current: Group | None = None
        started: list[Group] = []  # prepared, waiting for the interleaved timed phase
        progressed = False
        done_modes: dict[tuple[str, str], int] = {}
        try:
            for msg in worker.messages(self.suite.timeout_s):
                if isinstance(msg, Hello):
                    self.state.set_framework(fw, msg.info)
                elif isinstance(msg, Unavailable):
                    self.unavailable.add(fw)
                    self.state.set_framework(fw, FrameworkInfo(installed=False, error=msg.reason))
                    self._skip(fw, process, pending, msg.reason)
                    self.reporter.advance(len(pending))
                    return []
                elif isinstance(msg, Noise):
                    self.state.add_noise(fw, process, msg)
                elif isinstance(msg, Start | Result) and (
                    (msg.workload, msg.variant) not in by_key
                    or (
                        isinstance(msg, Result)
                        and msg.mode not in by_key[(msg.workload, msg.variant)].modes
                    )
                ):
                    worker.kill()
                    why = f"garbage output from the worker: unexpected {dump_json(msg)[:200]}"
                    return self._lost(fw, process, pending, current, why, progressed, started)
                elif isinstance(msg, Start):
                    current = by_key[(msg.workload, msg.variant)]
                    started.append(current)
                    self.reporter.working(
                        f"{fw} #{process + 1}: preparing {msg.workload} ({msg.variant})"
                    )
                elif isinstance(msg, Sampling):
                    current = None
                    self.reporter.working(
                        f"{fw} #{process + 1}: timing {len(started)} workloads, interleaved"
                    )
                elif isinstance(msg, Result):
                    key = (msg.workload, msg.variant)
                    group = by_key[key]
                    self.state.add_run(fw, group, msg.mode, msg.run)
                    done_modes[key] = done_modes.get(key, 0) + 1
                    if done_modes[key] == len(group.modes):
                        # results come after the worker's timed phase: saving costs it nothing
                        self.state.save()
                        pending = [g for g in pending if g is not group]
                        started = [g for g in started if g is not group]
                        current = None
                        progressed = True
                        self.reporter.advance()
                elif isinstance(msg, Done):
                    return []
                elif isinstance(msg, Ended):
                    return self._lost(
                        fw, process, pending, current, msg.reason, progressed, started
                    )
        except WorkerTimeout as exc:
            worker.kill()
            why = f"timed out: {exc}"
            return self._lost(fw, process, pending, current, why, progressed, started)
        return []

    def _lost(
        self,
        fw: Framework,
        process: int,
        pending: list[Group],
        current: Group | None,
        reason: str,
        progressed: bool,
        started: Sequence[Group] = (),
    ) -> list[Group]:
        """The worker died: the workload it was on fails and a fresh worker does the rest.

        Dying while preparing a workload (compile, first call, warm-up) costs that workload;
        the ones prepared before it are redone by the fresh worker. Dying in the timed phase,
        where every prepared workload runs interleaved, cannot be pinned on one: all of them
        fail in this process. A worker that died before finishing any workload (broken
        install, garbage output) would die again: then everything left fails with its reason.
        """
        if current is None and started:
            for g in started:
                self._fail(fw, process, g, f"{reason} (while timing its workloads together)")
            return [g for g in pending if g not in started]
        if current is None and progressed:
            return pending
        if current is None:
            if fw not in self.state.frameworks:
                hint = INSTALL_HINT[fw]
                self.state.set_framework(
                    fw, FrameworkInfo(installed=False, error=f"{reason}; {hint}")
                )
            for g in pending:
                self._fail(fw, process, g, reason)
            return []
        self._fail(fw, process, current, reason)
        return [g for g in pending if g is not current]
