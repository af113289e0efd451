"""What both measuring programs (the probe and the path checks) share: the worker subprocess
and its channel (parent side), and inside a worker the module loader, the timing harness,
peak RSS; the machine's fingerprint. Imports no framework."""
