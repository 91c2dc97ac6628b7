"""Catalogue rules without the database: the success criterion in Dutch, and whether an
instrument suits a client (route, client group, Dutch language, hours available)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from trede.casework.constants import ClientGroup, Route
from trede.clients.constants import DutchLanguage

from ..constants import SuccessKind

# The ERK levels in order; "moedertaal" counts as the highest, "onbekend" as unknown.
LANGUAGE_ORDER = ["a0", "a1", "a2", "b1", "b2", "c1", "c2", "moedertaal"]


def language_rank(level: str) -> int | None:
    return LANGUAGE_ORDER.index(level) if level in LANGUAGE_ORDER else None


def _nl(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


def success_criterion_text(instrument) -> str:
    kind = instrument.success_kind
    if kind == SuccessKind.WORK_HOURS:
        return (
            f"werk ≥ {_nl(instrument.success_hours_per_week)} uur per week "
            f"gedurende ≥ {instrument.success_months} maanden"
        )
    if kind == SuccessKind.LANGUAGE_LEVEL:
        return f"taalniveau {DutchLanguage(instrument.success_language_level).label} of hoger"
    if kind == SuccessKind.FREE_TEXT:
        return instrument.success_text
    return ""


@dataclass(frozen=True)
class ClientFit:
    """What the catalogue's filter 'past bij deze klant' knows of a client."""

    route: str = ""
    client_group: str = ""
    dutch_language: str = ""
    hours_available: Decimal | None = None

    def describe(self) -> list[str]:
        parts = []
        if self.route:
            parts.append(f"route {Route(self.route).label}")
        if self.client_group:
            parts.append(f"klantgroep {ClientGroup(self.client_group).label}")
        if self.dutch_language and self.dutch_language != "onbekend":
            parts.append(f"Nederlands {DutchLanguage(self.dutch_language).label}")
        if self.hours_available is not None:
            parts.append(f"{_nl(self.hours_available)} uur per week beschikbaar")
        return parts


def suits_text(instrument) -> str:
    """For whom the instrument is meant, in Dutch ('iedereen' when it names nobody)."""
    parts = []
    if instrument.target_routes:
        parts.append("route " + ", ".join(str(Route(r).label) for r in instrument.target_routes))
    if instrument.target_groups:
        parts.append("klantgroep " + ", ".join(str(ClientGroup(g).label) for g in instrument.target_groups))
    if instrument.min_dutch_language:
        parts.append(f"Nederlands vanaf {DutchLanguage(instrument.min_dutch_language).label}")
    if instrument.min_hours_per_week is not None:
        parts.append(f"vanaf {_nl(instrument.min_hours_per_week)} uur per week")
    return "; ".join(parts) or "iedereen"


def fit_reasons(instrument, fit: ClientFit) -> list[str]:
    """Why this instrument does NOT suit the client ([] = it suits). Unknown client values
    never exclude: the consultant judges them."""
    reasons = []
    routes = instrument.target_routes or []
    if fit.route and routes and fit.route not in routes:
        reasons.append("niet voor deze route")
    groups = instrument.target_groups or []
    if fit.client_group and groups and fit.client_group not in groups:
        reasons.append("niet voor deze klantgroep")
    need, have = language_rank(instrument.min_dutch_language), language_rank(fit.dutch_language)
    if need is not None and have is not None and have < need:
        reasons.append(f"vraagt Nederlands op niveau {DutchLanguage(instrument.min_dutch_language).label}")
    if (
        instrument.min_hours_per_week is not None
        and fit.hours_available is not None
        and fit.hours_available < instrument.min_hours_per_week
    ):
        reasons.append(f"vraagt {_nl(instrument.min_hours_per_week)} uur per week")
    return reasons
