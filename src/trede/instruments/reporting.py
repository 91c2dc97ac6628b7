"""`trede instruments report`: use, no-shows, success and cost per instrument and provider.

Exactly as docs/interchange.md ("Toevoegingen in versie 2") defines it; the catalogue page
may call `instrument_report` too. Reads only: trajectories and payments.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from trede.finance.models import Payment
from trede.finance.money import cents

from .models import Trajectory

BY_CHOICES = ("instrument", "provider", "instrument_provider")
# Not a choice of the command: one row over every instrument and provider (the dashboard's
# total beside its rows per provider), from the same tally.
BY_ALL = "all"
ENDED_RESULTS = ("geslaagd", "niet_geslaagd", "voortijdig_gestopt")


class ReportError(ValueError):
    """Wrong arguments (a Dutch message)."""


@dataclass(frozen=True)
class InstrumentReportRow:
    instrument_code: str | None
    provider_id: str | None
    referrals: int
    no_shows: int
    no_show_rate: float | None
    starts: int
    ended: int
    successes: int
    success_rate: float | None
    cost_eur: float | None
    cost_per_success_eur: float | None


@dataclass
class _Tally:
    referrals: int = 0
    no_shows: int = 0
    starts: int = 0
    ended: int = 0
    successes: int = 0
    cost: Decimal = Decimal(0)


def _ratio(numerator, denominator):
    return None if not denominator else numerator / denominator


def trajectory_costs(trajectory_ids: list[str]) -> dict[str, Decimal]:
    """Net payments per trajectory (recoveries subtracted), for those with payment rows."""
    costs: dict[str, Decimal] = {}
    for i in range(0, len(trajectory_ids), 500):
        chunk = trajectory_ids[i : i + 500]
        rows = (
            Payment.objects.filter(trajectory_id__in=chunk)
            .values("trajectory_id")
            .annotate(total=Sum("amount_eur"))
            .values_list("trajectory_id", "total")
        )
        costs.update({tid: Decimal(total) for tid, total in rows})
    return costs


def instrument_report(
    date_from: date, date_to: date, by: str = "instrument", *, instrument_code: str | None = None
) -> list[InstrumentReportRow]:
    """One row per instrument, provider or pair with a trajectory event in [date_from, date_to).

    `instrument_code` narrows the rows to one instrument (the catalogue's instrument page);
    the command never passes it, so its figures are the whole report's.
    """
    if by not in (*BY_CHOICES, BY_ALL):
        raise ReportError(f"--by moet een van {', '.join(BY_CHOICES)} zijn, niet '{by}'")
    if date_from >= date_to:
        raise ReportError("--from moet voor --to liggen (--to telt niet mee)")

    def inside(field: str) -> Q:
        return Q(**{f"{field}__gte": date_from, f"{field}__lt": date_to})

    trajectories = Trajectory.objects.filter(
        inside("referral_date") | inside("start_date") | inside("end_date")
    )
    if instrument_code is not None:
        trajectories = trajectories.filter(instrument_id=instrument_code)
    rows = list(
        trajectories.values_list(
            "trajectory_id",
            "instrument_id",
            "provider_id",
            "referral_date",
            "start_date",
            "end_date",
            "result",
            "cost_eur",
        )
    )

    def within(day: date | None) -> bool:
        return day is not None and date_from <= day < date_to

    ended_ids = [r[0] for r in rows if within(r[5]) and r[6] in ENDED_RESULTS]
    paid = trajectory_costs(sorted(ended_ids))
    tallies: dict[tuple, _Tally] = defaultdict(_Tally)
    for tid, instrument, provider, referral, start, end, result, cost_eur in rows:
        key = (
            instrument if by not in ("provider", BY_ALL) else None,
            provider if by not in ("instrument", BY_ALL) else None,
        )
        tally = tallies[key]
        if within(referral):
            tally.referrals += 1
            if start is None:
                tally.no_shows += 1
        if within(start):
            tally.starts += 1
        if within(end) and result in ENDED_RESULTS:
            tally.ended += 1
            if result == "geslaagd":
                tally.successes += 1
            tally.cost += paid[tid] if tid in paid else Decimal(cost_eur or 0)
    report = []
    for key in sorted(tallies, key=lambda k: tuple("" if part is None else part for part in k)):
        t = tallies[key]
        per_success = None if not t.successes else t.cost / t.successes
        report.append(
            InstrumentReportRow(
                instrument_code=key[0],
                provider_id=key[1],
                referrals=t.referrals,
                no_shows=t.no_shows,
                no_show_rate=_ratio(t.no_shows, t.referrals),
                starts=t.starts,
                ended=t.ended,
                successes=t.successes,
                success_rate=_ratio(t.successes, t.ended),
                cost_eur=cents(t.cost),
                cost_per_success_eur=cents(per_success),
            )
        )
    return report


def instrument_report_json(date_from: date, date_to: date, by: str = "instrument") -> dict:
    rows = instrument_report(date_from, date_to, by)
    return {
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "by": by,
        "rows": [asdict(row) for row in rows],
    }
