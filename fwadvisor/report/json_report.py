"""JSON: the recommendation schema itself (`fwadvisor schema recommendation`)."""

from __future__ import annotations

from fwadvisor.models import Recommendation


def render(rec: Recommendation) -> str:
    return rec.model_dump_json(indent=2) + "\n"
