"""Deployment paths checked for real: each toolchain run end to end in a worker process.

Parent side (this package, framework-free): the check catalog (probes/paths/checks.yaml),
the plan for a team's targets, the runner and the paths-check file, and findings for
`recommend --paths-check`. Worker side: `fwadvisor.pathcheck.worker`, which loads the
framework code from probes/paths/ by path.
"""
