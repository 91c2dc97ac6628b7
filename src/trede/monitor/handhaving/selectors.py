"""Enforcement in figures (beleid, teamleider): the measures of the interchange's
`measures.csv` (imported or written by a final handhaving decision) per year and kind, per
1,000 people on benefit, and how the handhavingszaken went (decision 122).

Counts only, no client: the measures are `benefits.Measure` (whatever their origin, so a
history imported from the old system counts as well as what Trede decided), the cases and
decisions those of `benefits.handhaving`. A year is that of the measure's date, of the
case's signal date (the gedraging) and of the decision's date.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from trede.benefits.constants import MeasureKind
from trede.benefits.handhaving.models import Besluit, BesluitStatus, Handhavingszaak, ZaakStatus
from trede.benefits.models import Measure

from ..selectors import stock_totals

OPEN_STATUSES = (ZaakStatus.HOREN, ZaakStatus.GEHOORD, ZaakStatus.TER_GOEDKEURING)


@dataclass
class EnforcementYear:
    year: int
    whole: bool  # every month of the year lies before the day of the figures
    measures: dict[str, int] = field(default_factory=dict)  # per MeasureKind, "" = no kind
    clients: int = 0  # distinct clients with at least one measure
    average_stock: float | None = None  # Participatiewet, the year's month starts up to today
    zaken: int = 0  # handhavingszaken with their gedraging in the year
    besloten: int = 0
    afgezien: int = 0
    open: int = 0
    decisions: int = 0  # final decisions dated in the year
    four_eyes: int = 0
    boete_eur: Decimal = Decimal("0")
    median_days_to_decision: float | None = None

    @property
    def total(self) -> int:
        return sum(self.measures.values())

    @property
    def per_1000(self) -> float | None:
        """Measures per 1,000 people on benefit (the year's average stock)."""
        return 1000 * self.total / self.average_stock if self.average_stock else None


def enforcement_figures(*, year_from: int, year_to: int, as_of: date) -> list[EnforcementYear]:
    years = {y: EnforcementYear(y, whole=date(y + 1, 1, 1) <= as_of) for y in range(year_from, year_to + 1)}
    start, end = date(year_from, 1, 1), date(year_to + 1, 1, 1)
    measures = (
        Measure.objects.filter(date__gte=start, date__lt=end, date__lte=as_of)
        .annotate(year=ExtractYear("date"))
        .values_list("year", "kind")
        .annotate(n=Count("pk"))
    )
    for year, kind, n in measures:
        years[year].measures[kind or ""] = n
    clients = (
        Measure.objects.filter(date__gte=start, date__lt=end, date__lte=as_of)
        .annotate(year=ExtractYear("date"))
        .values_list("year")
        .annotate(n=Count("client", distinct=True))
    )
    for year, n in clients:
        years[year].clients = n
    days = [date(y, m, 1) for y in years for m in range(1, 13) if date(y, m, 1) <= as_of]
    totals = stock_totals(days=days, regulations=("pw",))
    for year in years.values():
        values = [totals[d] for d in days if d.year == year.year]
        year.average_stock = sum(values) / len(values) if values else None
    zaken = (
        Handhavingszaak.objects.filter(signal_date__gte=start, signal_date__lt=end)
        .annotate(year=ExtractYear("signal_date"))
        .values_list("year", "status")
        .annotate(n=Count("pk"))
    )
    for year, status, n in zaken:
        row = years[year]
        row.zaken += n
        if status == ZaakStatus.BESLOTEN:
            row.besloten += n
        elif status == ZaakStatus.AFGEZIEN:
            row.afgezien += n
        elif status in OPEN_STATUSES:
            row.open += n
    final = Besluit.objects.filter(
        status=BesluitStatus.DEFINITIEF, decided_on__gte=start, decided_on__lt=end, decided_on__lte=as_of
    )
    waits: dict[int, list[int]] = {}
    for decided_on, signal_date, four_eyes in final.values_list(
        "decided_on", "zaak__signal_date", "four_eyes"
    ):
        row = years[decided_on.year]
        row.decisions += 1
        row.four_eyes += four_eyes
        waits.setdefault(decided_on.year, []).append((decided_on - signal_date).days)
    for year, days_waited in waits.items():
        years[year].median_days_to_decision = statistics.median(days_waited)
    boetes = (
        final.filter(kind=MeasureKind.BOETE)
        .annotate(year=ExtractYear("decided_on"))
        .values_list("year")
        .annotate(total=Sum("amount_eur"))
    )
    for year, total in boetes:
        years[year].boete_eur = total or Decimal("0")
    return list(years.values())
