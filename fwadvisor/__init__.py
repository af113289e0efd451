"""fwadvisor: choose a deep-learning framework from sourced rules and your own measurements."""

# The single source of the version (hatch reads it from here; importlib.metadata would cost
# start-up on every command: docs/notes/startup.md).
__version__ = "0.1.0"
