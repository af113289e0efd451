"""Errors of `fwadvisor paths`."""

from __future__ import annotations

from fwadvisor.errors import FwAdvisorError


class PathCheckError(FwAdvisorError):
    """A paths request, user model or paths-check file is invalid (exit 2)."""
