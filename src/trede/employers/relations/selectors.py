"""Reads of the employer relationship, for the employer's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from ..models import Employer, Placement
from .models import EmployerAgreement, EmployerContact, EmployerContactMoment

HISTORY_SHOWN = 50  # the latest contacts on the page; the rest stays in the export


@dataclass(frozen=True)
class AgreementProgress:
    agreement: EmployerAgreement
    placements: int  # placements at this employer that started within the agreement's period
    target: int | None

    @property
    def share(self) -> float | None:
        return None if not self.target else self.placements / self.target

    def running(self, today: date) -> bool:
        return self.agreement.start_date <= today and (
            self.agreement.end_date is None or self.agreement.end_date >= today
        )


def placements_within(employer: Employer, start: date, end: date | None) -> int:
    """Placements at the employer that started within [start, end] (end open: until now).
    One rule for the agreement's progress: a placement counts for the period it starts in."""
    period = Q(start_date__gte=start) & (Q() if end is None else Q(start_date__lte=end))
    return Placement.objects.filter(period, employer=employer).count()


def agreements_of(employer: Employer) -> list[AgreementProgress]:
    return [
        AgreementProgress(
            agreement=a,
            placements=placements_within(employer, a.start_date, a.end_date),
            target=a.target_jobs,
        )
        for a in EmployerAgreement.objects.filter(employer=employer)
    ]


def contacts_of(employer: Employer) -> list[EmployerContact]:
    return list(EmployerContact.objects.filter(employer=employer))


def moments_of(employer: Employer, limit: int | None = HISTORY_SHOWN) -> list[EmployerContactMoment]:
    rows = EmployerContactMoment.objects.filter(employer=employer).select_related(
        "contact", "created_by", "corrected_by"
    )
    return list(rows[:limit] if limit else rows)


def relation_of(employer: Employer) -> dict:
    """What the employer's page shows of the relationship."""
    moments = moments_of(employer)
    return {
        "contacts": contacts_of(employer),
        "agreements": agreements_of(employer),
        "moments": moments,
        "moments_total": EmployerContactMoment.objects.filter(employer=employer).count(),
    }


def contact_for(employer: Employer, pk) -> EmployerContact | None:
    return EmployerContact.objects.filter(employer=employer, pk=pk).first()


def agreement_for(employer: Employer, pk) -> EmployerAgreement | None:
    return EmployerAgreement.objects.filter(employer=employer, pk=pk).first()


def moment_for(employer: Employer, pk) -> EmployerContactMoment | None:
    return EmployerContactMoment.objects.filter(employer=employer, pk=pk).select_related("contact").first()
