"""What else uses the CPUs: load, steal and frequency read from /proc around the workers.

The CPU time of every process on the machine (/proc/stat) minus our own (this process and
the workers it has reaped, from os.times) over a window is the load of other processes,
in cores. Linux only; elsewhere the probe records no machine state and says so.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fwadvisor.measurements.schema import LoadSample, MachineState, ProcessLoad
from fwadvisor.records import Record, dump, record
from fwadvisor.registry import Framework

PROC = Path("/proc")
BEFORE_WINDOW_S = 0.5


@record
class CpuTimes(Record):
    """The machine's CPU time so far (/proc/stat): busy, stolen and total seconds."""

    busy_s: float  # user, nice, system, irq, softirq over all CPUs
    steal_s: float
    total_s: float


def cpu_times(proc: Path = PROC) -> CpuTimes | None:
    try:
        line = (proc / "stat").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    fields = line.split()
    if not fields or fields[0] != "cpu":
        return None
    v = [int(x) for x in fields[1:9]] + [0] * max(0, 9 - len(fields))
    user, nice, system, idle, iowait, irq, softirq, steal = v[:8]
    hz = os.sysconf("SC_CLK_TCK")
    busy = user + nice + system + irq + softirq
    return CpuTimes(
        busy_s=busy / hz, steal_s=steal / hz, total_s=(busy + idle + iowait + steal) / hz
    )


def own_cpu_s() -> float:
    """CPU time of this process and of its reaped children (the workers and theirs)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def children_cpu_s() -> float:
    t = os.times()
    return t.children_user + t.children_system


def cpu_mhz(proc: Path = PROC) -> float | None:
    try:
        text = (proc / "cpuinfo").read_text()
    except OSError:
        return None
    values = [float(line.split(":")[1]) for line in text.splitlines() if line.startswith("cpu MHz")]
    return sum(values) / len(values) if values else None


def loadavg(proc: Path = PROC) -> float | None:
    try:
        return float((proc / "loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def cores_allowed() -> list[int]:
    try:
        return sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return list(range(os.cpu_count() or 1))


@dataclass
class Window:
    """Open at the start of a stretch of time, close at its end: the foreign load over it."""

    clock: Callable[[], float] = time.monotonic
    read: Callable[[], CpuTimes | None] = cpu_times
    own: Callable[[], float] = own_cpu_s

    def __post_init__(self) -> None:
        self.t0 = self.clock()
        self.cpu0 = self.read()
        self.own0 = self.own()
        self.children0 = children_cpu_s()
        mhz = cpu_mhz()
        self.mhz = [mhz] if mhz is not None else []

    def sample_frequency(self) -> None:
        mhz = cpu_mhz()
        if mhz is not None:
            self.mhz.append(mhz)

    def close(self) -> LoadSample | None:
        cpu1, own1, wall = self.read(), self.own(), self.clock() - self.t0
        self.sample_frequency()
        if self.cpu0 is None or cpu1 is None or wall <= 0:
            return None
        busy = cpu1.busy_s - self.cpu0.busy_s
        steal = cpu1.steal_s - self.cpu0.steal_s
        total = cpu1.total_s - self.cpu0.total_s
        foreign = max(0.0, busy - (own1 - self.own0)) / wall
        return LoadSample(
            wall_s=round(wall, 3),
            foreign_cores=round(foreign, 3),
            steal_share=round(min(1.0, max(0.0, steal / total)) if total > 0 else 0.0, 4),
            cpu_mhz=round(sum(self.mhz) / len(self.mhz), 1) if self.mhz else None,
            loadavg_1m=loadavg(),
        )

    def worker_cpu_s(self) -> float:
        return children_cpu_s() - self.children0


def quiet_window(seconds: float = BEFORE_WINDOW_S) -> LoadSample | None:
    """The load over a short window before any worker runs."""
    window = Window()
    time.sleep(seconds)
    return window.close()


def process_load(window: Window, framework: Framework, process: int) -> ProcessLoad | None:
    cpu = window.worker_cpu_s()
    sample = window.close()
    if sample is None:
        return None
    return ProcessLoad(
        framework=framework, process=process, worker_cpu_s=round(cpu, 3), **dump(sample)
    )


def new_state() -> MachineState:
    return MachineState(cores_allowed=cores_allowed())
