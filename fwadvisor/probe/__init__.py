"""The hardware probe. Framework workers run in subprocesses; this package imports no framework.

Modules: ids (stable names), schema (the probe JSON file), stats (median, IQR, bootstrap),
harness (worker-side timing), protocol (worker <-> runner messages), worker (entry point),
suites (probes/suites.yaml), locate (where probes/ is), fingerprint (the machine), runner
(subprocesses, budget, partial results), aggregate (runs -> measurements), compare
(speedups and ratios with intervals), summary (terminal tables).
"""
