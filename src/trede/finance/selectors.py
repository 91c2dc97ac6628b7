"""`trede budget report`: budget, spending, commitments and forecast per budget line.

Budget and spent are as docs/interchange.md defines them. Committed and forecast follow
Trede's own rule (docs/decisions.md, decision 38):

- committed (per line): for every trajectory running on D (`start_date <= D <` end, the
  `planned_end_date` while `end_date` is empty) with a planned end after D and a known
  expected cost (`cost_eur`, else its instrument's `price_eur`): what is still to be paid
  (expected cost minus all its payments so far, never below 0), spread evenly over the
  days from D to its planned end, the part that falls in year Y. It is booked on the line
  and funding of the trajectory's latest payment; a running trajectory without any
  payment has no known line and commits nothing.
- run-rate (per line): payments of the recurring kinds (`uitkering`,
  `loonkostensubsidie`) in the RUN_RATE_DAYS days before D, per day, times the days of Y
  from D to the year's end.
- forecast = spent + committed + run-rate; for a year that ended before D it is spent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, Sum

from . import ceilings
from .buig import Vangnet, VangnetRule
from .models import Budget, Payment
from .money import cents

RUN_RATE_DAYS = 91  # about the last three months: a forecasting choice, not municipal policy
RECURRING_KINDS = ("uitkering", "loonkostensubsidie")
ZERO = Decimal(0)
BUIG = "buig"


@dataclass
class LineFigures:
    line: str | None
    funding: str
    budget: Decimal = ZERO
    spent: Decimal = ZERO
    committed: Decimal = ZERO
    run_rate: Decimal = ZERO
    has_budget: bool = False
    has_payment: bool = False

    @property
    def forecast(self) -> Decimal:
        return self.spent + self.committed + self.run_rate


@dataclass
class BudgetReport:
    year: int
    as_of: date
    lines: list[LineFigures] = field(default_factory=list)
    unlined: list[LineFigures] = field(default_factory=list)  # payments without a line, per funding

    def by_funding(self) -> dict[str, dict[str, Decimal]]:
        out: dict[str, dict[str, Decimal]] = {}
        for figures in self.lines + self.unlined:
            slot = out.setdefault(figures.funding, {"budget": ZERO, "spent": ZERO, "forecast": ZERO})
            slot["budget"] += figures.budget
            slot["spent"] += figures.spent
            slot["forecast"] += figures.forecast
        return dict(sorted(out.items()))


def _committed(as_of: date, year_end: date) -> dict[tuple[str, str], Decimal]:
    from trede.instruments.models import Trajectory

    running = Trajectory.objects.filter(start_date__lte=as_of).filter(
        Q(end_date__gt=as_of) | Q(end_date__isnull=True, planned_end_date__gt=as_of)
    )
    rows = list(
        running.filter(planned_end_date__gt=as_of).values_list(
            "trajectory_id", "cost_eur", "instrument__price_eur", "planned_end_date"
        )
    )
    ids = [r[0] for r in rows]
    paid: dict[str, Decimal] = {}
    latest: dict[str, tuple] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for tid, total in (
            Payment.objects.filter(trajectory_id__in=chunk, date__lte=as_of)
            .values("trajectory_id")
            .annotate(total=Sum("amount_eur"))
            .values_list("trajectory_id", "total")
        ):
            paid[tid] = Decimal(total)
        for tid, line, funding in (
            Payment.objects.filter(trajectory_id__in=chunk)
            .order_by("trajectory_id", "date", "payment_id")
            .values_list("trajectory_id", "line", "funding")
        ):
            latest[tid] = (line, funding)  # ordered: the last one wins
    committed: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for tid, cost, price, planned_end in rows:
        expected = cost if cost is not None else price
        if expected is None or tid not in latest or not latest[tid][0]:
            continue
        remaining = max(Decimal(expected) - paid.get(tid, ZERO), ZERO)
        total_days = (planned_end - as_of).days
        in_year = (min(planned_end, year_end) - as_of).days
        if remaining and in_year > 0:
            committed[latest[tid]] += remaining * in_year / total_days
    return committed


def budget_report(year: int, as_of: date) -> BudgetReport:
    year_start, year_end = date(year, 1, 1), date(year + 1, 1, 1)
    cutoff = min(as_of, year_end)
    groups: dict[tuple[str | None, str], LineFigures] = {}

    def group(line: str | None, funding: str) -> LineFigures:
        key = (line or None, funding)
        if key not in groups:
            groups[key] = LineFigures(line or None, funding)
        return groups[key]

    for line, funding, amount in Budget.objects.filter(year=year).values_list(
        "line", "funding", "amount_eur"
    ):
        figures = group(line, funding)
        figures.budget += Decimal(amount)
        figures.has_budget = True
    for line, funding, total in (
        Payment.objects.filter(date__gte=year_start, date__lt=cutoff)
        .values("line", "funding")
        .annotate(total=Sum("amount_eur"))
        .values_list("line", "funding", "total")
    ):
        figures = group(line, funding)
        figures.spent += Decimal(total)
        figures.has_payment = True
    if year_start <= as_of < year_end:
        for key, amount in _committed(as_of, year_end).items():
            group(*key).committed += amount
        days_left = (year_end - as_of).days
        window = Payment.objects.filter(
            kind__in=RECURRING_KINDS, date__gte=as_of - timedelta(days=RUN_RATE_DAYS), date__lt=as_of
        )
        for line, funding, total in (
            window.values("line", "funding")
            .annotate(total=Sum("amount_eur"))
            .values_list("line", "funding", "total")
        ):
            key = (line or None, funding)
            if key in groups:  # only lines that appear in Y (a line or a payment of Y)
                groups[key].run_rate += Decimal(total) * days_left / RUN_RATE_DAYS
    lined = [g for g in groups.values() if g.line is not None and (g.has_budget or g.has_payment)]
    report = BudgetReport(year=year, as_of=as_of)
    report.lines = sorted(lined, key=lambda g: (g.line, g.funding))
    report.unlined = [g for g in groups.values() if g.line is None and g.has_payment]
    return report


def budget_report_json(year: int, as_of: date) -> dict:
    report = budget_report(year, as_of)
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "lines": [
            {
                "line": g.line,
                "funding": g.funding or None,
                "budget_eur": cents(g.budget),
                "spent_eur": cents(g.spent),
                "committed_eur": cents(g.committed),
                "forecast_eur": cents(g.forecast),
            }
            for g in report.lines
        ],
        "by_funding": {
            funding: {
                "budget_eur": cents(v["budget"]),
                "spent_eur": cents(v["spent"]),
                "forecast_eur": cents(v["forecast"]),
            }
            for funding, v in report.by_funding().items()
        },
    }


# --------------------------------------------------------------------------- ceilings and BUIG
# The rules are pure (`ceilings`, `buig`); these reads gather their inputs. Budget-line
# figures come from `budget_report` itself, so the page and the command cannot disagree.


def finance_policy() -> tuple[ceilings.Thresholds, VangnetRule]:
    """The thresholds and the vangnet rule of the active preset; a preset stored before
    these settings existed uses the default preset's values."""
    from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
    from trede.casework.policy.selectors import active_policy

    config, default = active_policy().config, PRESETS[DEFAULT_PRESET]["config"]
    return (
        ceilings.Thresholds.of(config.get("ceilings") or default["ceilings"]),
        VangnetRule.of(config.get("buig_vangnet") or default["buig_vangnet"]),
    )


def _contracts(provider_ids=None, pks=None):
    from trede.instruments.models import Contract

    contracts = Contract.objects.select_related("provider").prefetch_related("instruments")
    if provider_ids is not None:
        contracts = contracts.filter(provider_id__in=provider_ids)
    contracts = list(contracts)
    for contract in contracts:
        contract.instrument_codes = {i.pk for i in contract.instruments.all()}
    if pks is not None:
        return [c for c in contracts if c.pk in pks], contracts
    return contracts, contracts


def _trajectories_by_contract(chosen, all_contracts) -> dict[int, list]:
    """The trajectories each contract covers, by the claims' own rule (`contract_for`)."""
    from trede.instruments.claims.selectors import contract_for
    from trede.instruments.models import Trajectory

    wanted = {c.pk for c in chosen}
    providers = {c.provider_id for c in chosen}
    codes = set().union(*(c.instrument_codes for c in chosen)) if chosen else set()
    out: dict[int, list] = defaultdict(list)
    rows = Trajectory.objects.filter(provider_id__in=providers, instrument_id__in=codes).select_related(
        "instrument"
    )
    for trajectory in rows:
        contract = contract_for(trajectory, all_contracts)
        if contract is not None and contract.pk in wanted:
            out[contract.pk].append(trajectory)
    return out


def _paid_by_trajectory(contract_pks) -> dict[int, dict[str, Decimal]]:
    """Approved (paid) claim lines per contract and trajectory, net of recoveries."""
    from trede.instruments.constants import ClaimStatus
    from trede.instruments.models import ClaimLine

    paid: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for contract_pk, tid, total in (
        ClaimLine.objects.filter(
            contract_id__in=contract_pks, released=False, claim__status=ClaimStatus.GOEDGEKEURD
        )
        .values("contract_id", "trajectory_id")
        .annotate(total=Sum("amount_eur"))
        .values_list("contract_id", "trajectory_id", "total")
    ):
        paid[contract_pk][str(tid)] = Decimal(total)
    return paid


def _running(trajectory, as_of: date) -> bool:
    return (
        trajectory.start_date is not None
        and trajectory.start_date <= as_of
        and (trajectory.end_date is None or trajectory.end_date > as_of)
    )


def contract_ceilings(
    *,
    as_of: date,
    contract_pks=None,
    extra_paid: dict[int, dict[str, Decimal]] | None = None,
    measure_all: bool = False,
) -> list[ceilings.Figures]:
    """Per contract with a ceiling: its volume (trajectories referred under it in its
    period) and its money use (`ceilings.money_use`). With `extra_paid` (contract →
    trajectory → amount) the money figures carry `use_after`: the use were that paid too.
    `measure_all`: both measures for every chosen contract, with or without a ceiling."""
    thresholds, _rule = finance_policy()
    chosen, everything = _contracts(pks=set(contract_pks) if contract_pks is not None else None)
    if not measure_all:
        chosen = [c for c in chosen if c.volume_ceiling is not None or c.money_ceiling_eur is not None]
    covered = _trajectories_by_contract(chosen, everything)
    paid = _paid_by_trajectory([c.pk for c in chosen])
    out = []
    for contract in sorted(chosen, key=lambda c: (c.provider.name or c.provider_id, c.reference)):
        trajectories = covered.get(contract.pk, [])
        common = {
            "subject": contract.reference,
            "thresholds": thresholds,
            "provider": str(contract.provider),
            "contract_pk": contract.pk,
        }
        if contract.volume_ceiling is not None or measure_all:
            referred = sum(1 for t in trajectories if contract.runs_on(t.referral_date))
            out.append(
                ceilings.Figures(
                    measure=ceilings.VOLUME,
                    use=Decimal(referred),
                    ceiling=None if contract.volume_ceiling is None else Decimal(contract.volume_ceiling),
                    **common,
                )
            )
        if contract.money_ceiling_eur is not None or measure_all:
            contract_paid = paid.get(contract.pk, {})
            expected = {}
            for t in trajectories:
                cost = (
                    t.cost_eur if t.cost_eur is not None else t.instrument.price_eur if t.instrument else None
                )
                if cost is not None and _running(t, as_of):
                    expected[str(t.pk)] = Decimal(cost)
            use = ceilings.money_use(contract_paid, expected)
            use_after = None
            if extra_paid is not None and contract.pk in extra_paid:
                after = dict(contract_paid)
                for tid, amount in extra_paid[contract.pk].items():
                    after[tid] = after.get(tid, ZERO) + amount
                use_after = ceilings.money_use(after, expected)
            out.append(
                ceilings.Figures(
                    measure=ceilings.GELD,
                    use=use,
                    ceiling=None
                    if contract.money_ceiling_eur is None
                    else Decimal(contract.money_ceiling_eur),
                    use_after=use_after,
                    **common,
                )
            )
    return out


def line_allowances(year: int) -> dict[tuple[str, str], Decimal]:
    """Per (line, funding) the room beyond the budget that contract managers allowed in
    `year` (`BudgetAllowance`, decision 55)."""
    from .models import BudgetAllowance

    return {
        (line, funding): Decimal(total)
        for line, funding, total in BudgetAllowance.objects.filter(year=year)
        .values("line", "funding")
        .annotate(total=Sum("amount_eur"))
        .values_list("line", "funding", "total")
    }


def line_ceilings(report: BudgetReport, keys=None) -> list[ceilings.Figures]:
    """Per budget line of the report with a budget row: spent + committed against its
    ceiling, the budget plus the room allowed beyond it (`line_allowances`). `keys`:
    only these (line, funding) pairs."""
    thresholds, _rule = finance_policy()
    allowed = line_allowances(report.year)
    return [
        ceilings.Figures(
            subject=g.line,
            measure=ceilings.GELD,
            use=g.spent + g.committed,
            ceiling=g.budget + allowed.get((g.line, g.funding), ZERO),
            thresholds=thresholds,
            provider=g.funding,
            year=report.year,
            budget=g.budget,
        )
        for g in report.lines
        if g.has_budget and (keys is None or (g.line, g.funding) in keys)
    ]


def budget_lines_locked(year: int, keys) -> None:
    """Two approvals paying on one budget line at once: the second waits for the first
    (PostgreSQL; SQLite writes one at a time anyway), so both cannot pass the same room."""
    from django.db import transaction

    if not transaction.get_connection().in_atomic_block or not keys:
        return
    match = Q(pk__in=[])
    for line, funding in keys:
        match |= Q(line=line, funding=funding)
    list(
        Budget.objects.select_for_update()
        .filter(match, year=year)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@dataclass
class CeilingSignals:
    warn: list[ceilings.Figures]  # at or over the warning level, under the block level
    block: list[ceilings.Figures]  # at or over the block level

    def __bool__(self) -> bool:
        return bool(self.warn or self.block)


def as_of_through(day: date) -> date:
    """The report's peildatum that includes `day` (`--as-of` is exclusive): the pages show
    the money up to and including today, so an approval of today counts at once."""
    return day + timedelta(days=1)


def ceiling_signals(*, as_of: date) -> CeilingSignals:
    """The contracts and budget lines (this year) that crossed the warning or block level.
    `as_of` is exclusive, as the report's: the year is that of the day before it (so the
    last day of a year, passed as `as_of_through`, still signals that year's lines)."""
    year = (as_of - timedelta(days=1)).year
    figures = contract_ceilings(as_of=as_of) + line_ceilings(budget_report(year, as_of))
    return CeilingSignals(
        warn=[f for f in figures if f.status == ceilings.WAARSCHUWING],
        block=[f for f in figures if f.status == ceilings.BLOKKADE],
    )


@dataclass(frozen=True)
class BuigFigures:
    year: int
    lines: list[LineFigures]  # the report's BUIG lines (uitkeringen, loonkostensubsidie, ...)
    benefits_spent: Decimal  # BUIG payments of kind uitkering in Y before D
    lks_spent: Decimal  # BUIG payments of kind loonkostensubsidie in Y before D
    budget: Decimal
    spent: Decimal
    forecast: Decimal
    vangnet: Vangnet


def buig_figures(report: BudgetReport) -> BuigFigures:
    """BUIG from the budget report itself: its budget, spending and forecast (`by_funding`)
    and its lines; spending split by kind (benefit or LKS); the vangnet on the forecast."""
    _thresholds, rule = finance_policy()
    totals = report.by_funding().get(BUIG, {"budget": ZERO, "spent": ZERO, "forecast": ZERO})
    cutoff = min(report.as_of, date(report.year + 1, 1, 1))
    by_kind = dict(
        Payment.objects.filter(funding=BUIG, date__gte=date(report.year, 1, 1), date__lt=cutoff)
        .values("kind")
        .annotate(total=Sum("amount_eur"))
        .values_list("kind", "total")
    )
    return BuigFigures(
        year=report.year,
        lines=[g for g in report.lines if g.funding == BUIG],
        benefits_spent=Decimal(by_kind.get("uitkering") or 0),
        lks_spent=Decimal(by_kind.get("loonkostensubsidie") or 0),
        budget=totals["budget"],
        spent=totals["spent"],
        forecast=totals["forecast"],
        vangnet=Vangnet(budget=totals["budget"], expected=totals["forecast"], rule=rule),
    )
