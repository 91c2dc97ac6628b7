"""Reads of the catalogue (participatiekaart): instruments with their running contracts,
filtered, and what 'past bij deze klant' knows of a client."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from ..models import Contract, Instrument
from .rules import ClientFit, fit_reasons


@dataclass(frozen=True)
class CatalogueFilter:
    text: str = ""
    type: str = ""
    route: str = ""
    group: str = ""
    funding: str = ""
    provider: str = ""
    include_inactive: bool = False


@dataclass
class CatalogueRow:
    instrument: Instrument
    contracts: list[Contract] = field(default_factory=list)
    not_fitting: list[str] = field(default_factory=list)

    @property
    def providers(self) -> list:
        seen, out = set(), []
        for contract in self.contracts:
            if contract.provider_id not in seen:
                seen.add(contract.provider_id)
                out.append(contract.provider)
        return out


def running_contracts(on: date) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("provider")
        .order_by("provider__name", "provider_id", "reference")
    )


def instruments_filtered(filters: CatalogueFilter) -> QuerySet[Instrument]:
    qs = Instrument.objects.all()
    if not filters.include_inactive:
        qs = qs.filter(active=True)
    if filters.text:
        qs = qs.filter(
            Q(name__icontains=filters.text)
            | Q(instrument_code__icontains=filters.text)
            | Q(goal__icontains=filters.text)
        )
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.funding:
        qs = qs.filter(funding=filters.funding)
    return qs.order_by("name", "instrument_code")


def catalogue_rows(filters: CatalogueFilter, *, on: date, fit: ClientFit | None = None) -> list[CatalogueRow]:
    """Instruments with the contracts running on `on`; route and group filter in Python
    (lists in a JSON field, compared the same way on both databases). With `fit`, each row
    says why the instrument does not suit the client ([] = it suits)."""
    qs = instruments_filtered(filters).prefetch_related(
        Prefetch("contracts", queryset=running_contracts(on), to_attr="running")
    )
    rows = []
    for instrument in qs:
        if filters.route and instrument.target_routes and filters.route not in instrument.target_routes:
            continue
        if filters.group and instrument.target_groups and filters.group not in instrument.target_groups:
            continue
        contracts = list(instrument.running)
        if filters.provider and not any(c.provider_id == filters.provider for c in contracts):
            continue
        rows.append(
            CatalogueRow(
                instrument=instrument,
                contracts=contracts,
                not_fitting=fit_reasons(instrument, fit) if fit is not None else [],
            )
        )
    return rows


def instrument_contracts(instrument: Instrument) -> QuerySet[Contract]:
    return instrument.contracts.select_related("provider").order_by(
        "-start_date", "provider__name", "reference"
    )


def client_fit(client) -> ClientFit:
    """Route and client group of the client's newest diagnosis (a route decision after it
    decides the route), Dutch language and hours available from the file."""
    from trede.casework.intake.selectors import diagnoses_of, route_decisions_of

    diagnosis = diagnoses_of(client).first()
    decision = route_decisions_of(client).order_by("-decided_on", "-pk").first()
    route = group = ""
    if diagnosis is not None:
        route, group = diagnosis.route, diagnosis.client_group
    if decision is not None and (diagnosis is None or decision.decided_on >= diagnosis.date):
        route = decision.route or route
        group = decision.client_group or group
    profile = getattr(client, "profile", None)
    hours = getattr(profile, "hours_available", None) if profile is not None else None
    return ClientFit(
        route=route or "",
        client_group=group or "",
        dutch_language=client.dutch_language or "",
        hours_available=hours,
    )


def instrument_figures(instrument: Instrument, *, user) -> dict | None:
    """Use, no-show rate, success rate and cost per success, as `trede instruments report`
    computes them; None until that report exists in this installation."""
    return None
