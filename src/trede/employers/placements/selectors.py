"""Reads of placements: one placement's nazorg schedule (each moment with its due date and
contact, and the one asked for now), whether a proefplaatsing was followed by its contract,
the corrections, and the accountmanager's signals of placements consultants recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..models import NazorgContact, Placement
from . import rules
from .services import moment_label
from .settings import placement_settings


@dataclass(frozen=True)
class Moment:
    months: int
    label: str
    due: date | None
    contact: NazorgContact | None
    asked: bool  # on the worklist now


def schedule(placement: Placement, *, today: date, config: dict | None = None) -> list[Moment]:
    settings = placement_settings(config)
    contacts = {
        c.moment_months: c
        for c in NazorgContact.objects.filter(placement=placement).select_related("registered_by")
    }
    if placement.is_proefplaatsing:
        asked = (
            placement.end_date is not None
            and placement.end_date <= today
            and rules.PROEF_END_MOMENT not in contacts
            and not proef_followed(placement, settings=settings)
        )
        return [
            Moment(
                rules.PROEF_END_MOMENT,
                moment_label(rules.PROEF_END_MOMENT),
                placement.end_date,
                contacts.get(rules.PROEF_END_MOMENT),
                asked,
            )
        ]
    open_now = rules.nazorg_open(
        placement.start_date,
        settings["nazorg_months"],
        contacts,
        today,
        last_open_months=int(settings["nazorg_last_open_months"]),
    )
    return [
        Moment(m, moment_label(m), due, contacts.get(m), open_now is not None and open_now[0] == m)
        for m, due in rules.nazorg_moments(placement.start_date, settings["nazorg_months"])
    ]


def proef_followed(placement: Placement, *, settings: dict | None = None) -> bool:
    settings = settings or placement_settings()
    others = Placement.objects.filter(client_id=placement.client_id).exclude(pk=placement.pk)
    return rules.proef_followed(
        rules.Span(placement.start_date, placement.end_date, placement.employer_id or "", True),
        [rules.Span(p.start_date, p.end_date, p.employer_id or "", p.is_proefplaatsing) for p in others],
        min_months=int(settings["proefplaatsing_contract_min_months"]),
        follow_days=int(settings["proefplaatsing_follow_days"]),
    )


def registrable(moments: list[Moment], *, today: date) -> list[Moment]:
    """The moments a contact may be registered for now: due and without one."""
    return [m for m in moments if m.contact is None and m.due is not None and m.due <= today]


def history(placement: Placement) -> list:
    return list(placement.history.select_related("history_user").order_by("-history_date", "-history_id"))


def signals_for(user) -> list[Placement]:
    """Decision 142's mechanism for placements: a placement recorded by someone else (a
    consultant) at one of the user's own employer accounts, until the user marks it seen."""
    return list(
        Placement.objects.filter(
            employer__account_manager=user, created_by__isnull=False, account_manager_seen_at__isnull=True
        )
        .exclude(created_by=user)
        .select_related("employer", "created_by", "vacancy")
        .order_by("created_at", "placement_id")
    )
