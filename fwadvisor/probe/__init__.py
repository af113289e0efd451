"""The hardware probe, parent side: the request (session), the machine (fingerprint), the
suites, the workers' subprocesses (runner, workerproc) and the probe file (output).

What runs inside a worker is in probe.worker; reading probe files back is in measurements.
This package imports no framework.
"""
