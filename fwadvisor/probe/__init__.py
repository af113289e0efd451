"""The hardware probe, parent side: the request (session), the suites, the workers'
runner and the probe file (output).

What runs inside a worker is in probe.worker; the worker plumbing both measuring programs
share (subprocess, channel, harness, machine fingerprint) is in workers; reading probe files
back is in measurements. This package imports no framework.
"""
