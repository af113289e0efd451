"""The probe file while it is being measured: runs collected so far, rewritten atomically."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from fwadvisor.errors import ProbeRunError
from fwadvisor.fileio import write_atomic
from fwadvisor.fingerprint import Fingerprint, FrameworkInfo
from fwadvisor.measurements.aggregate import aggregate
from fwadvisor.measurements.schema import (
    LoadSample,
    MachineState,
    Measurement,
    NoiseCheck,
    ProbeFile,
    ProcessLoad,
    Run,
    Scaling,
    Settings,
)
from fwadvisor.probe.worker.protocol import Group, Noise
from fwadvisor.records import dump, dump_json
from fwadvisor.registry import Framework

RunKey = tuple[str, str, str, str]  # framework, workload, variant, mode


@dataclass
class ProbeState:
    """The probe file being built, written atomically after every result."""

    output: Path
    settings: Settings
    fingerprint: Fingerprint
    inductor_dir: str | None = None
    started: float = field(default_factory=time.monotonic)
    frameworks: dict[str, FrameworkInfo] = field(default_factory=dict)
    noise: list[NoiseCheck] = field(default_factory=list)
    runs: dict[RunKey, list[Run]] = field(default_factory=dict)
    params: dict[tuple[str, str], Group] = field(default_factory=dict)
    framework_wall: dict[str, float] = field(default_factory=dict)
    scaling: list[Scaling] = field(default_factory=list)
    machine: MachineState | None = None
    _cache: dict[RunKey, Measurement] = field(default_factory=dict)

    def add_wall(self, fw: str, seconds: float) -> None:
        self.framework_wall[fw] = self.framework_wall.get(fw, 0.0) + seconds

    def set_framework(self, fw: str, info: FrameworkInfo) -> None:
        self.frameworks[fw] = info

    def add_noise(self, fw: Framework, process: int, msg: Noise) -> None:
        self.noise.append(NoiseCheck(framework=fw, process=process, **dump(msg, exclude={"type"})))

    def set_quiet_load(self, state: MachineState, before: LoadSample | None) -> None:
        self.machine = replace(state, before=before)

    def add_load(self, load: ProcessLoad) -> None:
        if self.machine is not None:
            during = [*self.machine.during, load]
            self.machine = replace(self.machine, during=during)

    def add_run(self, fw: str, group: Group, mode: str, run: Run) -> None:
        self.params[(group.workload, group.variant)] = group
        key = (fw, group.workload, group.variant, mode)
        self.runs.setdefault(key, []).append(run)
        self._cache.pop(key, None)

    def has_run(self, fw: str, group: Group, mode: str, process: int) -> bool:
        runs = self.runs.get((fw, group.workload, group.variant, mode), [])
        return any(r.process == process for r in runs)

    def measured_any(self, fw: str, process: int) -> bool:
        """Whether this process of this framework has measured some workload (a run ok)."""
        return any(
            r.process == process and r.status == "ok"
            for (f, *_), runs in self.runs.items()
            if f == fw
            for r in runs
        )

    def _measurement(self, key: RunKey) -> Measurement:
        # the bootstrap is costly: recompute only what changed, workers are timing meanwhile
        if key not in self._cache:
            fw, w, v, mode = key
            self._cache[key] = aggregate(
                framework=fw,
                mode=mode,
                workload=w,
                variant=v,
                device=self.settings.device,
                params=self.params[(w, v)].params,
                runs=self.runs[key],
            )
        return self._cache[key]

    def build(self, complete: bool) -> ProbeFile:
        measurements = [self._measurement(key) for key in self.runs]
        fingerprint = replace(self.fingerprint, frameworks=dict(self.frameworks))
        return ProbeFile(
            complete=complete,
            wall_s=round(time.monotonic() - self.started, 3),
            framework_wall_s={fw: round(s, 3) for fw, s in self.framework_wall.items()},
            fingerprint=fingerprint,
            settings=self.settings,
            noise=list(self.noise),
            machine=self.machine,
            measurements=measurements,
            scaling=list(self.scaling),
        )

    def save(self, complete: bool = False) -> ProbeFile:
        probe = self.build(complete)
        try:
            # the CLI refused an existing file without --force before measuring began
            write_atomic(self.output, dump_json(probe, indent=1), force=True, what="probe")
        except OSError as exc:
            raise ProbeRunError(f"cannot write {self.output}: {exc.strerror}") from None
        return probe
