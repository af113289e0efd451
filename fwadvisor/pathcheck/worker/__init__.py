"""What runs inside a path-check worker subprocess: `python -m fwadvisor.pathcheck.worker`
(the checks, the user's model). Frameworks and converters are imported only here."""
