"""Deployment paths checked for real: each toolchain run end to end in a worker process.

Parent side (this package, framework-free): the check catalog (probes/paths/checks.yaml),
the plan for a team's targets, the runner and the paths-check file it writes. Worker side:
the `fwadvisor.pathcheck.worker` package, which loads the framework code from probes/paths/
by path. Reading a paths-check file back is in measurements (paths_file, paths_evidence).
"""
