"""Handhavingszaken of the demo municipality, through the services (so they are audited
as real work): in the `inkomen` user's team, clients on benefit get a zaak in every step
of the workflow, so `inkomen` sees a worklist at once: signals waiting for horen, heard
zaken waiting for a decision (one where the policy gives a waarschuwing instead of a
boete), maatregelen waiting for the teamleider's approval, final decisions with their
bezwaar term running, one that has passed and one closed without a decision.
Deterministic; only when no zaak exists."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from trede.accounts import permissions as perms
from trede.accounts.access import client_scope
from trede.accounts.models import User

from ..models import Benefit
from . import services
from .models import Handhavingszaak

# (signal, days before today, benadelingsbedrag, what happens: horen / besluit / goedkeuring / ...)
PLAN = [
    ("afspraak_gemist", 6, None, "horen"),
    ("aanbod_geweigerd", 9, None, "horen"),
    ("inkomsten_niet_gemeld", 12, "640.00", "horen"),
    ("inkomsten_niet_gemeld", 20, "95.00", "gehoord"),
    ("onvoldoende_inspanning", 24, None, "gehoord"),
    ("afspraak_gemist", 30, None, "ter_goedkeuring"),
    ("aanbod_geweigerd", 34, None, "ter_goedkeuring"),
    ("afspraak_gemist", 40, None, "goedgekeurd"),
    ("inkomsten_niet_gemeld", 45, "1200.00", "goedgekeurd_boete"),
    ("wijziging_niet_gemeld", 50, "60.00", "waarschuwing"),
    ("afspraak_gemist", 120, None, "oud"),
    ("afspraak_gemist", 15, None, "afgezien"),
]
TEXTS = {
    "afspraak_gemist": "Niet verschenen op het gesprek bij de werkconsulent, zonder bericht.",
    "aanbod_geweigerd": "Het aangeboden traject (werkervaringsplaats) geweigerd.",
    "onvoldoende_inspanning": "Minder sollicitaties dan afgesproken in het plan van aanpak.",
    "inkomsten_niet_gemeld": "Inkomsten uit parttime werk niet gemeld (gebleken uit de polisadministratie).",
    "wijziging_niet_gemeld": "Een kleine erfenis niet gemeld.",
}
STATEMENTS = [
    "Ik had de brief niet gezien; ik was bij mijn moeder in het ziekenhuis.",
    "Ik dacht dat het niet hoefde omdat het maar een paar uur was.",
    "Ik erken het; ik zal het voortaan op tijd doorgeven.",
]


def demo_handhaving_seed(*, today: date) -> dict[str, int]:
    if Handhavingszaak.objects.exists():
        return {}
    inkomen = User.objects.filter(username="inkomen").first()
    teamleider = User.objects.filter(username="teamleider").first()
    if inkomen is None or teamleider is None or not inkomen.team:
        return {}
    scope = client_scope(inkomen, relations=perms.HANDHAVING_READ.relations)
    on_benefit = (
        scope.filter(benefits__in=Benefit.objects.running_on(today - timedelta(days=130)))
        .distinct()
        .order_by("client_id")
    )
    clients = list(on_benefit[: len(PLAN)])
    counts: dict[str, int] = {}
    with transaction.atomic():
        for n, (client, (kind, days, amount, end)) in enumerate(zip(clients, PLAN, strict=False)):
            zaak = services.zaak_register(
                user=inkomen,
                client=client,
                signal_kind=kind,
                signal_date=today - timedelta(days=days),
                description=TEXTS[kind],
                benadelingsbedrag=Decimal(amount) if amount else None,
                today=today,
            )
            counts[end] = counts.get(end, 0) + 1
            if end == "horen":
                continue
            if end == "afgezien":
                services.zaak_close(user=inkomen, zaak=zaak, reason="Klant was opgenomen in het ziekenhuis.")
                continue
            decided_on = today - timedelta(days=max(days - 10, 1))
            services.horen_register(
                user=inkomen,
                zaak=zaak,
                held_on=today - timedelta(days=max(days - 5, 0)),
                form="gesprek" if n % 2 else "telefonisch",
                statement=STATEMENTS[n % len(STATEMENTS)],
                today=today,
            )
            if end == "gehoord":
                continue
            if end == "waarschuwing":
                services.besluit_take(
                    user=inkomen,
                    zaak=zaak,
                    kind="waarschuwing",
                    verwijtbaarheid="verminderd",
                    motivation="Klein benadelingsbedrag en geen eerdere waarschuwing: het beleid geeft een waarschuwing.",
                    today=decided_on,
                )
                continue
            boete = end == "goedgekeurd_boete"
            besluit = services.besluit_take(
                user=inkomen,
                zaak=zaak,
                kind="boete" if boete else "maatregel",
                category="" if boete else ("2" if kind == "aanbod_geweigerd" else "1"),
                verwijtbaarheid="grove_schuld" if boete else "verwijtbaar",
                motivation=(
                    "De inkomsten zijn maanden niet gemeld; de klant wist dat dit moest."
                    if boete
                    else "De klant is gehoord; de uitleg is geen geldige reden om niet te komen of te weigeren."
                ),
                today=decided_on,
            )
            if end in ("goedgekeurd", "goedgekeurd_boete", "oud"):
                services.besluit_approve(user=teamleider, besluit=besluit, today=decided_on)
    return counts
