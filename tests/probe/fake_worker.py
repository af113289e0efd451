"""A stand-in worker for runner tests. FAKE_WORKER picks its behaviour:
ok | crash:<workload> | hang:<workload> | garbage | unavailable | silent_exit | bogus
(well-formed messages about a workload nobody asked for) | crash_sampling:<process> (that
process prepares every workload, announces the interleaved timed phase, then dies).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from fwadvisor.measurements.schema import FrameworkInfo, Run
from fwadvisor.probe.worker.protocol import (
    Done,
    Hello,
    Noise,
    Result,
    Sampling,
    Start,
    Unavailable,
    WorkerSpec,
    encode,
)
from fwadvisor.records import validate_json
from fwadvisor.workers.channel import protocol_channel


def main() -> None:
    spec = validate_json(WorkerSpec, sys.stdin.read())
    behaviour = os.environ.get("FAKE_WORKER", "ok")
    if os.environ.get("FAKE_WORKER_TMP_FILE"):  # where the worker's temporary files go
        with Path(os.environ["FAKE_WORKER_TMP_FILE"]).open("a") as record:
            record.write(f"{tempfile.gettempdir()}\t{os.environ.get('FWADVISOR_TORCH_HEADERS')}\n")
    if os.environ.get("FAKE_WORKER_SPEC_LOG"):  # which specs the runner sent
        with Path(os.environ["FAKE_WORKER_SPEC_LOG"]).open("a") as log:
            log.write(f"{spec.framework} {spec.process} {spec.first_workload_always}\n")
    out = protocol_channel()
    if behaviour == "garbage":
        out.write("hello, I am not a protocol\n@@fwprobe {broken json\n")
        out.flush()
        return
    if behaviour == "silent_exit":
        sys.exit(0)
    if behaviour == "unavailable":
        out.write(encode(Unavailable(reason="pytorch is not installed; pip install it")))
        return
    info = FrameworkInfo(
        installed=True,
        version="9.9",
        threads_intra=spec.threads_intra,
        threads_inter=spec.threads_inter,
        devices=["cpu"],
    )
    out.write(encode(Hello(info=info, compile_cache="warm")))
    out.write(encode(Noise(ratio_ci95=(0.99, 1.01), floor=0.01)))
    out.flush()
    if behaviour == "bogus":
        out.write(encode(Start(workload="resnet", variant="default")))
        out.flush()
        time.sleep(5)
        return
    kind, _, target = behaviour.partition(":")
    if kind == "crash_sampling" and str(spec.process) == target:
        for g in spec.groups:
            out.write(encode(Start(workload=g.workload, variant=g.variant)))
        out.write(encode(Sampling()))
        out.flush()
        os._exit(134)
    for g in spec.groups:
        out.write(encode(Start(workload=g.workload, variant=g.variant)))
        out.flush()
        if g.workload == target and kind == "crash":
            sys.stderr.write("Segmentation fault in fake kernel\n")
            sys.stderr.flush()
            os._exit(139)
        if g.workload == target and kind == "hang":
            if os.environ.get("FAKE_WORKER_PID_FILE"):  # tests check it is gone afterwards
                Path(os.environ["FAKE_WORKER_PID_FILE"]).write_text(str(os.getpid()))
            time.sleep(600)
        for i, mode in enumerate(g.modes):
            base = 1e-3 * (1 + i * 0.1) * (1 + 0.01 * spec.process)
            samples = [base * (1 + 0.001 * j) for j in range(5)]
            run = Run(
                process=spec.process,
                status="ok",
                samples_s=samples,
                median_s=sorted(samples)[2],
                compile_s=0.1 if mode != "eager" else None,
            )
            out.write(encode(Result(workload=g.workload, variant=g.variant, mode=mode, run=run)))
        out.flush()
    out.write(encode(Done()))


if __name__ == "__main__":
    main()
