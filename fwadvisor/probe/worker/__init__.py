"""What runs inside a worker subprocess: `python -m fwadvisor.probe.worker` (the harness,
the wire protocol, the NumPy reference case, peak RSS). Frameworks are imported only in worker processes: here and in
the path-check worker."""
