"""fwadvisor: choose a deep-learning framework from sourced rules and your own measurements."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("fwadvisor")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0+src"
