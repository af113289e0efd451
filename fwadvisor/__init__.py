"""fwadvisor: choose a deep-learning framework from sourced rules and your own measurements."""

# The single source of the version (hatch reads it from here; importlib.metadata costs ~40 ms
# of start-up on every command).
__version__ = "0.1.0"
