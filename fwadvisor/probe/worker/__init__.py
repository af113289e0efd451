"""What runs inside a probe worker subprocess: `python -m fwadvisor.probe.worker` (the wire
protocol, the NumPy reference case; the harness is shared, in fwadvisor.workers). Frameworks
are imported only in worker processes: here and in the path-check worker."""
