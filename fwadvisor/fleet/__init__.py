"""`fwadvisor probe --ray`: the same probe on every kind of node of a Ray cluster.

Only `cluster` imports Ray (an import-linter contract says so); the rest is plain Python the
CLI, the tests and the nodes share.
"""
