"""dp worker entry point: `python -m fwadvisor.probe.dpworker` (a DpSpec as JSON on stdin).

Loads probes/dp_<framework>.py by path (the framework is imported only here) and runs its
dp_train on the spec's devices; PyTorch runs one such process per rank.
"""

from __future__ import annotations

import sys

from fwadvisor.probe.dpspec import DP_PREFIX, DpFailed, DpResult, DpSpec
from fwadvisor.records import dump, validate_json
from fwadvisor.registry import INSTALL_HINT
from fwadvisor.workers.channel import encode_line, protocol_channel
from fwadvisor.workers.modules import load_file


def main() -> None:
    send = protocol_channel()
    spec = validate_json(DpSpec, sys.stdin.read())
    try:
        mod = load_file(spec.module_path, f"fwadvisor_dp_{spec.framework}")
    except ImportError as exc:
        reason = f"{spec.framework} is not installed ({exc}); {INSTALL_HINT[spec.framework]}"
        send.write(encode_line(DP_PREFIX, DpFailed(reason=reason, missing=True)))
        return
    try:
        samples = mod.dp_train(dump(spec))
        msg: DpResult | DpFailed = DpResult(step_s=samples, strategy=mod.STRATEGY[spec.device])
    except Exception as exc:  # a failed measurement, reported with its reason
        msg = DpFailed(reason=f"{type(exc).__name__}: {exc}"[:500])
    send.write(encode_line(DP_PREFIX, msg))
    send.flush()


if __name__ == "__main__":
    main()
