"""Reads of the catalogue (participatiekaart): instruments with their running contracts,
filtered, and what 'past bij deze klant' knows of a client."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet

from trede.utils.disclosure import SUPPRESSED, is_small, protect
from trede.utils.dutch import EMPTY, format_number, format_percent

from ..models import Contract, Instrument, Provider
from ..reporting import InstrumentReportRow, instrument_report
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
    use: CatalogueUse | None = None  # referrals and success in the last twelve months

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


# ---- use and result (the figures of `trede instruments report`)

PERIOD_LAST_12_MONTHS = "12m"
PERIOD_YEARS_BACK = 3  # full calendar years offered besides the last twelve months


@dataclass(frozen=True)
class FigurePeriod:
    value: str
    label: str
    date_from: date
    date_to: date  # exclusive, as in the report

    @property
    def last_day(self) -> date:
        return self.date_to - timedelta(days=1)


def figure_periods(today: date) -> list[FigurePeriod]:
    """The last twelve months up to and including today, then the previous full years."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    periods = [
        FigurePeriod(
            PERIOD_LAST_12_MONTHS,
            "de afgelopen 12 maanden",
            year_ago + timedelta(days=1),
            today + timedelta(days=1),
        )
    ]
    for year in range(today.year - 1, today.year - 1 - PERIOD_YEARS_BACK, -1):
        periods.append(FigurePeriod(str(year), str(year), date(year, 1, 1), date(year + 1, 1, 1)))
    return periods


def figure_period(today: date, value: str | None) -> FigurePeriod:
    periods = figure_periods(today)
    return next((p for p in periods if p.value == value), periods[0])


@dataclass(frozen=True)
class FigureRow:
    """One line of use and result, as text (counts of 1-4 as '<5' where suppressed)."""

    label: str
    referrals: str
    no_shows: str
    no_show_rate: str
    starts: str
    ended: str
    successes: str
    success_rate: str
    cost: str
    cost_per_success: str


@dataclass(frozen=True)
class InstrumentFigures:
    period: FigurePeriod
    total: FigureRow | None
    providers: list[FigureRow]
    suppressed: bool


COUNT_FIELDS = ("referrals", "no_shows", "starts", "ended", "successes")


def _money_text(value) -> str:
    return EMPTY if value is None else f"€ {format_number(value, 2)}"


def figure_rows(report_rows: list[InstrumentReportRow], labels: list[str], total, *, suppress: bool):
    """FigureRows for `report_rows` and their `total`, hiding small cells per column as a group
    with its total (`trede.utils.disclosure.protect`), and every rate or amount that rests
    on a hidden count."""
    hidden: dict[str, tuple[list[bool], bool]] = {}
    for name in COUNT_FIELDS:
        counts = [getattr(r, name) for r in report_rows]
        protection = protect(counts, total=getattr(total, name), suppress=suppress)
        hidden[name] = (list(protection.hidden), protection.total_hidden)

    def row(r: InstrumentReportRow, label: str, is_hidden) -> FigureRow:
        def count(name):
            return SUPPRESSED if is_hidden(name) else format_number(getattr(r, name))

        def rate(value, *names):
            return SUPPRESSED if any(is_hidden(n) for n in names) else format_percent(value, 0)

        return FigureRow(
            label=label,
            referrals=count("referrals"),
            no_shows=count("no_shows"),
            no_show_rate=rate(r.no_show_rate, "no_shows", "referrals"),
            starts=count("starts"),
            ended=count("ended"),
            successes=count("successes"),
            success_rate=rate(r.success_rate, "successes", "ended"),
            cost=SUPPRESSED if is_hidden("ended") else _money_text(r.cost_eur),
            cost_per_success=SUPPRESSED if is_hidden("successes") else _money_text(r.cost_per_success_eur),
        )

    rows = [
        row(r, label, lambda name, i=i: hidden[name][0][i])
        for i, (r, label) in enumerate(zip(report_rows, labels, strict=True))
    ]
    return rows, row(total, "Totaal", lambda name: hidden[name][1])


def instrument_figures(instrument: Instrument, *, period: FigurePeriod, suppress: bool) -> InstrumentFigures:
    """Use, no-shows, success and cost per success of one instrument, per provider and in
    total, computed by `trede instruments report` itself (`instrument_report`) so the page
    and the command cannot disagree. No-shows are referrals in the period without a start,
    as the interchange defines them: a referral not yet started counts until it starts."""
    code = instrument.instrument_code
    totals = instrument_report(period.date_from, period.date_to, "instrument", instrument_code=code)
    if not totals:
        return InstrumentFigures(period=period, total=None, providers=[], suppressed=suppress)
    per_provider = instrument_report(
        period.date_from, period.date_to, "instrument_provider", instrument_code=code
    )
    names = Provider.objects.in_bulk([r.provider_id for r in per_provider if r.provider_id])
    labels = [
        str(names[r.provider_id]) if r.provider_id in names else (r.provider_id or "zonder aanbieder")
        for r in per_provider
    ]
    rows, total = figure_rows(per_provider, labels, totals[0], suppress=suppress)
    return InstrumentFigures(period=period, total=total, providers=rows, suppressed=suppress)


@dataclass(frozen=True)
class CatalogueUse:
    referrals: str
    success_rate: str


def catalogue_use(period: FigurePeriod, *, suppress: bool) -> dict[str, CatalogueUse]:
    """Per instrument code its referrals and success rate in `period` (for the list)."""
    use = {}
    for r in instrument_report(period.date_from, period.date_to, "instrument"):
        if r.instrument_code is None:
            continue
        small_referrals = suppress and is_small(r.referrals)
        small_success = suppress and (is_small(r.successes) or is_small(r.ended))
        use[r.instrument_code] = CatalogueUse(
            referrals=SUPPRESSED if small_referrals else format_number(r.referrals),
            success_rate=SUPPRESSED if small_success else format_percent(r.success_rate, 0),
        )
    return use
