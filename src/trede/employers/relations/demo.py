"""The demo's employer relationships: for the demo accountmanager's first accounts a
contact person, an agreement (a banenafspraak, an SROI obligation, a PSO certificate) and
a few recorded contacts, so the employer page shows what a relationship looks like (once;
nothing when the accountmanager has no accounts)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ..models import Employer
from .constants import AgreementKind, MomentKind, PsoLevel
from .models import EmployerAgreement, EmployerContact, EmployerContactMoment

PEOPLE = [
    ("Petra de Vries", "HR-adviseur"),
    ("Jeroen Bakker", "Eigenaar"),
    ("Samira Amrani", "Teamleider productie"),
]


def demo_relation_seed(*, accountmanager, today: date) -> int:
    if accountmanager is None or EmployerContact.objects.exists():
        return 0
    employers = list(Employer.objects.filter(account_manager=accountmanager).order_by("pk")[: len(PEOPLE)])
    year = date(today.year, 1, 1)
    agreements = [
        {"kind": AgreementKind.BANENAFSPRAAK, "target_jobs": 4, "description": "Banenafspraak 2026"},
        {
            "kind": AgreementKind.SROI,
            "sroi_amount": Decimal("25000"),
            "description": "Onderhoud groen, 5 % SROI",
        },
        {"kind": AgreementKind.PSO, "pso_level": PsoLevel.TREDE_2, "description": "Certificaat PSO"},
    ]
    for employer, (name, function), agreement in zip(employers, PEOPLE, agreements, strict=False):
        slug = name.split()[0].lower()
        person = EmployerContact.objects.create(
            employer=employer, name=name, function=function, email=f"{slug}@voorbeeld.nl"
        )
        EmployerAgreement.objects.create(
            employer=employer,
            start_date=year,
            end_date=date(today.year, 12, 31),
            created_by=accountmanager,
            **agreement,
        )
        for days, kind, subject in (
            (60, MomentKind.BEZOEK, "Kennismaking en rondleiding"),
            (14, MomentKind.TELEFOON, "Vacatures voor het komende kwartaal"),
        ):
            EmployerContactMoment.objects.create(
                employer=employer,
                date=today - timedelta(days=days),
                kind=kind,
                contact=person,
                subject=subject,
                created_by=accountmanager,
            )
    return len(employers)
