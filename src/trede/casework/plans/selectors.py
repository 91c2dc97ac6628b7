"""Reads of plans van aanpak."""

from __future__ import annotations

from ..constants import PlanStatus
from .models import Plan


def plan_current(*, client) -> Plan | None:
    """The plan in force: the latest signed version, else the latest concept."""
    plans = Plan.objects.filter(client=client).exclude(status=PlanStatus.VERVALLEN).order_by("-version")
    signed = next((p for p in plans if p.status == PlanStatus.ONDERTEKEND), None)
    return signed or next(iter(plans), None)
