"""JSON: the recommendation schema itself (`fwadvisor schema recommendation`)."""

from __future__ import annotations

from fwadvisor.models import Recommendation
from fwadvisor.records import dump_json


def render(rec: Recommendation) -> str:
    return dump_json(rec, indent=2) + "\n"
