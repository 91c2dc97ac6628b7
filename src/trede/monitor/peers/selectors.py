"""Reads of the comparison: the own figures from the monitor's selectors, the peers'
from the reference table, side by side per year (decision 79).

Own benefits per 1,000 inhabitants in year Y: the stock on 1 January of Y + 1 (those on
benefit at the end of Y, a count at one moment as published yearly figures are), by
`stock_totals` (the same spells and regulations as `trede monitor stock --as-of`), over the
preset's inhabitants. Own outflow-to-work rate in Y: `flow_figures`' rate (outflow to
work in Y over the mean of its twelve month-start stocks). A peer's rate per 1,000 is the
file's, or follows from its inhabitants and benefits; its outflow rate is its outflow to
work over its benefits (or over rate × inhabitants / 1,000).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from statistics import median

from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
from trede.casework.policy.selectors import active_policy

from ..models import PeerFigure, PeerImport
from ..selectors import flow_figures, stock_totals
from . import rates

EXAMPLE_FILE = Path(__file__).with_name("data") / "g10_bijstand_per_1000.csv"
EXAMPLE_SOURCE = (
    "CBS, bewerking BEA: bijstandsuitkeringen per 1.000 inwoners, G10 2014-2018 (seed 003, bijlage IV)"
)


@dataclass(frozen=True)
class PeerSettings:
    name: str
    population: int
    years: int


def peers_settings() -> PeerSettings:
    """The active policy's `peers` settings over its shipped preset's (a preset stored
    before the setting existed takes the shipped value for just that setting)."""
    policy = active_policy()
    shipped = PRESETS.get(policy.key, PRESETS[DEFAULT_PRESET])["config"]["peers"]
    stored = policy.config.get("peers") or {}
    return PeerSettings(
        name=policy.name,
        population=int(stored.get("population", shipped["population"])),
        years=int(stored.get("years", shipped["years"])),
    )


@dataclass(frozen=True)
class OwnYear:
    year: int
    counted_on: date  # the stock's day: 1 January of the next year
    stock: int
    per_1000: Decimal
    outflow_to_work: int | None  # None: the year is not complete yet
    outflow_rate: float | None


def own_figures(*, years: Sequence[int], today: date, regulations: Sequence[str] = ("pw",)) -> list[OwnYear]:
    """The own municipality per complete year (1 January of the next year on or before
    `today`); other years are left out."""
    settings = peers_settings()
    complete = sorted(y for y in set(years) if date(y + 1, 1, 1) <= today)
    if not complete:
        return []
    days = [date(y + 1, 1, 1) for y in complete]
    stocks = stock_totals(days=days, regulations=regulations)
    flows = flow_figures(
        date_from=date(complete[0], 1, 1),
        date_to=date(complete[-1] + 1, 1, 1),
        period="year",
        regulations=regulations,
    )
    to_work = {int(p["period"][:4]): p["outflow"]["werk"] for p in flows["periods"]}
    rate = flows["outflow_to_work_rate"]
    return [
        OwnYear(
            year=y,
            counted_on=date(y + 1, 1, 1),
            stock=stocks[date(y + 1, 1, 1)],
            per_1000=rates.per_1000(stocks[date(y + 1, 1, 1)], settings.population),
            outflow_to_work=to_work.get(y),
            outflow_rate=rate.get(str(y)),
        )
        for y in complete
    ]


@dataclass(frozen=True)
class PeerYear:
    name: str
    year: int
    per_1000: Decimal
    computed: bool  # True: from inhabitants and benefits, not given by the file
    population: int | None
    benefits: int | None
    outflow_to_work: int | None
    outflow_rate: float | None
    source: str


def peer_year(figure: PeerFigure) -> PeerYear:
    if figure.per_1000 is not None:
        rate, computed = Decimal(figure.per_1000), False
        if rate == rate.quantize(rates.ONE_DECIMAL):
            rate = rate.quantize(rates.ONE_DECIMAL)  # 27.00 as stored is the file's 27.0
    else:
        rate, computed = rates.per_1000(figure.benefits, figure.population), True
    outflow_rate = None
    if figure.outflow_to_work is not None:
        if figure.benefits is not None:
            base = Decimal(figure.benefits)
        else:
            base = rates.benefits_from_rate(rate, figure.population)
        outflow_rate = rates.outflow_rate(figure.outflow_to_work, base)
    return PeerYear(
        name=figure.municipality.name,
        year=figure.year,
        per_1000=rate,
        computed=computed,
        population=figure.population,
        benefits=figure.benefits,
        outflow_to_work=figure.outflow_to_work,
        outflow_rate=outflow_rate,
        source=figure.source_import.source,
    )


def peer_figures() -> list[PeerYear]:
    figures = PeerFigure.objects.select_related("municipality", "source_import").order_by(
        "municipality__name", "year"
    )
    return [peer_year(f) for f in figures]


def peer_imports() -> list[PeerImport]:
    return list(PeerImport.objects.select_related("imported_by")[:20])


@dataclass(frozen=True)
class Comparison:
    settings: PeerSettings
    years: list[int]
    own: dict[int, OwnYear]
    peers: dict[str, dict[int, PeerYear]]  # name → year → figures
    median: dict[int, Decimal]  # the peers' median per 1,000 per year
    low: dict[int, Decimal]
    high: dict[int, Decimal]
    has_outflow: bool  # a peer gives outflow to work

    @property
    def names(self) -> list[str]:
        return sorted(self.peers, key=str.casefold)


def comparison(
    *, today: date, year_from: int | None = None, year_to: int | None = None, regulations=("pw",)
) -> Comparison:
    """Own and peers' figures for the years from `year_from` to `year_to` (by default the
    peers' first year, or the preset's number of years back, up to the last complete year)."""
    settings = peers_settings()
    figures = peer_figures()
    last_complete = today.year - 1
    peer_years = sorted({f.year for f in figures})
    if year_to is None:
        year_to = max([last_complete, *peer_years[-1:]])
    if year_from is None:
        year_from = min([last_complete - settings.years + 1, *peer_years[:1]])
    years = list(range(year_from, year_to + 1))
    peers: dict[str, dict[int, PeerYear]] = {}
    for f in figures:
        if year_from <= f.year <= year_to:
            peers.setdefault(f.name, {})[f.year] = f
    own = {o.year: o for o in own_figures(years=years, today=today, regulations=regulations)}
    med, low, high = {}, {}, {}
    for year in years:
        values = [by_year[year].per_1000 for by_year in peers.values() if year in by_year]
        if values:
            med[year] = Decimal(median(values)).quantize(rates.ONE_DECIMAL, rounding=ROUND_HALF_UP)
            low[year], high[year] = min(values), max(values)
    return Comparison(
        settings=settings,
        years=years,
        own=own,
        peers=peers,
        median=med,
        low=low,
        high=high,
        has_outflow=any(p.outflow_rate is not None for by in peers.values() for p in by.values()),
    )
