"""`trede budget report`: budget, spending, commitments and forecast per budget line.

Budget and spent are as shared/interchange.md defines them. Committed and forecast follow
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

from .models import Budget, Payment
from .money import cents

RUN_RATE_DAYS = 91  # about the last three months: a forecasting choice, not municipal policy
RECURRING_KINDS = ("uitkering", "loonkostensubsidie")
ZERO = Decimal(0)


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
