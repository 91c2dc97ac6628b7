"""Fairness report of the diagnoses: `trede fairness diagnosis`.

Over the latest diagnosis per client (imported ones included), by gender, age band and
statushouder status: the number of clients, the distribution of the distance to work
(mean, median, quartiles), the share placed in a work route (directe bemiddeling or
re-integratie rather than participatie), the override rate and, per dimension, the
disparate-impact ratio: the lowest group's work-route share over the highest group's.
A ratio below 0.8 (the "four-fifths rule") is flagged.

Definitions:
- latest diagnosis: the most recent date; on the same date the highest id (ids compared
  by length, then text). Age is counted on the date of that diagnosis, in the bands of the
  monitor (<=20, 21-30, 31-40, 41-50, 51-60, >=61).
- route: the diagnosis's own route; when empty (imported diagnoses) derived from the
  months to work under the ACTIVE policy preset, as `policy.classify` does. Without months
  and route a diagnosis counts for n but not for the work-route share.
- override: `is_override` or assessed by the consultant.
- groups with fewer than `min_n` clients (default 10) are suppressed: their figures are not
  shown and they do not count in the ratio; neither does the group "onbekend".

Counts, sums and means are database aggregates; quartiles are computed from the months per
group (a portable median is not a database aggregate in SQLite).
"""

from __future__ import annotations

import statistics
from collections import defaultdict

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, Length, NullIf

from trede.utils.dutch import format_number

from ..constants import WORK_ROUTES
from ..policy.selectors import active_policy
from .models import Diagnosis

DI_THRESHOLD = 0.8
MIN_GROUP_SIZE = 10
UNKNOWN = "onbekend"

DIMENSIONS = {
    "gender": "Geslacht",
    "age_band": "Leeftijd",
    "statushouder": "Statushouder",
}

GROUP_ORDER = {
    "gender": ("man", "vrouw", "x", UNKNOWN),
    "age_band": ("<=20", "21-30", "31-40", "41-50", "51-60", ">=61", UNKNOWN),
    "statushouder": ("statushouder", "geen statushouder", UNKNOWN),
}


def latest_diagnoses():
    """The latest diagnosis of every client, as a queryset."""
    latest = (
        Diagnosis.objects.filter(client=OuterRef("client"))
        .annotate(_id_len=Length("diagnosis_id"))
        .order_by("-date", "-_id_len", "-diagnosis_id")
        .values("diagnosis_id")[:1]
    )
    return Diagnosis.objects.filter(diagnosis_id=Subquery(latest))


def _annotated(config: dict):
    routes = config["routes"]
    band_2b = config["category_2b"]
    months = "months_to_work"
    route = Case(
        When(~Q(route=""), then=F("route")),
        When(months_to_work__isnull=True, then=Value("")),
        When(category="2B", then=Value("re_integratie")),
        When(
            Q(client__dgr=True, months_to_work__gte=band_2b["min"], months_to_work__lte=band_2b["max"]),
            then=Value("re_integratie"),
        ),
        When(
            **{f"{months}__lte": routes["directe_bemiddeling_max_months"]}, then=Value("directe_bemiddeling")
        ),
        When(**{f"{months}__lte": routes["re_integratie_max_months"]}, then=Value("re_integratie")),
        default=Value("participatie"),
        output_field=CharField(),
    )
    qs = latest_diagnoses().annotate(
        _md_d=ExtractMonth("date") * 100 + ExtractDay("date"),
        _md_b=ExtractMonth("client__birth_date") * 100 + ExtractDay("client__birth_date"),
    )
    qs = qs.annotate(
        _age=ExtractYear("date")
        - ExtractYear("client__birth_date")
        - Case(When(_md_d__lt=F("_md_b"), then=Value(1)), default=Value(0), output_field=IntegerField()),
        route_effective=route,
    )
    return qs.annotate(
        gender=Coalesce(NullIf("client__gender", Value("")), Value(UNKNOWN), output_field=CharField()),
        age_band=Case(
            When(_age__lte=20, then=Value("<=20")),
            When(_age__lte=30, then=Value("21-30")),
            When(_age__lte=40, then=Value("31-40")),
            When(_age__lte=50, then=Value("41-50")),
            When(_age__lte=60, then=Value("51-60")),
            When(_age__gte=61, then=Value(">=61")),
            default=Value(UNKNOWN),
            output_field=CharField(),
        ),
        statushouder=Case(
            When(client__statushouder=True, then=Value("statushouder")),
            When(client__statushouder=False, then=Value("geen statushouder")),
            default=Value(UNKNOWN),
            output_field=CharField(),
        ),
        _has_route=Case(
            When(~Q(route_effective=""), then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
        _work=Case(
            When(route_effective__in=[str(r) for r in WORK_ROUTES], then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        _override=Case(
            When(Q(is_override=True) | Q(assessed_by="consultant"), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )


def quartiles(values: list[int]) -> dict:
    """Mean, median and quartiles (inclusive method) of a list of months; None when empty."""
    if not values:
        return {"mean": None, "median": None, "q1": None, "q3": None}
    ordered = sorted(values)
    if len(ordered) == 1:
        q1 = med = q3 = float(ordered[0])
    else:
        q1, med, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return {
        "mean": round(statistics.fmean(ordered), 2),
        "median": round(float(med), 2),
        "q1": round(float(q1), 2),
        "q3": round(float(q3), 2),
    }


def disparate_impact(shares: dict[str, float]) -> dict:
    """Lowest share over highest share (None when there are fewer than two groups or the highest is 0)."""
    if len(shares) < 2:
        return {"ratio": None, "lowest": None, "highest": None, "flag": False}
    lowest = min(shares, key=lambda g: (shares[g], g))
    highest = max(shares, key=lambda g: (shares[g], g))
    if shares[highest] == 0:
        return {"ratio": None, "lowest": lowest, "highest": highest, "flag": False}
    ratio = shares[lowest] / shares[highest]
    return {"ratio": round(ratio, 4), "lowest": lowest, "highest": highest, "flag": ratio < DI_THRESHOLD}


def diagnosis_fairness(*, min_n: int = MIN_GROUP_SIZE) -> dict:
    """The report as one dict (see the module docstring for the definitions)."""
    policy = active_policy()
    qs = _annotated(policy.config)
    total = qs.count()
    result = {
        "population": "laatste diagnose per klant",
        "preset": policy.key,
        "n": total,
        "min_group_size": min_n,
        "threshold": DI_THRESHOLD,
        "dimensions": {},
    }
    for dimension, title in DIMENSIONS.items():
        rows = (
            qs.values(dimension)
            .annotate(
                n=Count("diagnosis_id"),
                n_route=Sum("_has_route"),
                n_work=Sum("_work"),
                n_override=Sum("_override"),
                mean=Avg("months_to_work"),
            )
            .order_by(dimension)
        )
        months: dict[str, list[int]] = defaultdict(list)
        for group, value in qs.filter(months_to_work__isnull=False).values_list(dimension, "months_to_work"):
            months[group].append(value)
        order = GROUP_ORDER[dimension]
        groups = []
        for row in sorted(rows, key=lambda r: order.index(r[dimension]) if r[dimension] in order else 99):
            group = row[dimension]
            entry = {"group": group, "n": row["n"], "suppressed": row["n"] < min_n}
            if entry["suppressed"]:
                entry.update(
                    {
                        "n": None,
                        "mean": None,
                        "median": None,
                        "q1": None,
                        "q3": None,
                        "n_route": None,
                        "work_route_share": None,
                        "override_rate": None,
                    }
                )
            else:
                entry.update(quartiles(months.get(group, [])))
                n_route = row["n_route"] or 0
                entry["n_route"] = n_route
                entry["work_route_share"] = round((row["n_work"] or 0) / n_route, 4) if n_route else None
                entry["override_rate"] = round((row["n_override"] or 0) / row["n"], 4)
            groups.append(entry)
        shares = {
            g["group"]: g["work_route_share"]
            for g in groups
            if not g["suppressed"] and g["group"] != UNKNOWN and g["work_route_share"] is not None
        }
        result["dimensions"][dimension] = {
            "title": title,
            "groups": groups,
            "disparate_impact": disparate_impact(shares),
        }
    return result


def _pct(value) -> str:
    return "–" if value is None else format_number(value * 100, 1) + " %"


def _num(value) -> str:
    return format_number(value, 1)


def render_fairness(report: dict) -> str:
    """The report in Dutch, for the terminal."""
    lines = [
        "Eerlijkheidsrapport diagnose",
        f"Laatste diagnose per klant: {report['n']} klanten. Beleid: {report['preset']}.",
        "Werkroute = directe bemiddeling of re-integratie (niet participatie). "
        f"Groepen kleiner dan {report['min_group_size']} worden niet getoond.",
    ]
    header = (
        f"  {'groep':<20} {'n':>6} {'gem.':>6} {'mediaan':>8} {'Q1':>6} {'Q3':>6}"
        f" {'werkroute':>10} {'afwijking':>10}"
    )
    for dimension in report["dimensions"].values():
        lines += ["", dimension["title"], header]
        for g in dimension["groups"]:
            if g["suppressed"]:
                lines.append(
                    f"  {g['group']:<20} {'<' + str(report['min_group_size']):>6}  (te klein, niet getoond)"
                )
                continue
            lines.append(
                f"  {g['group']:<20} {g['n']:>6} {_num(g['mean']):>6} {_num(g['median']):>8} {_num(g['q1']):>6}"
                f" {_num(g['q3']):>6} {_pct(g['work_route_share']):>10} {_pct(g['override_rate']):>10}"
            )
        di = dimension["disparate_impact"]
        if di["ratio"] is None:
            lines.append(
                "  Disparate impact: niet te berekenen (minder dan twee groepen met genoeg klanten)."
            )
        else:
            ratio = format_number(di["ratio"], 2)
            lines.append(
                f"  Disparate impact (laagste / hoogste aandeel werkroute): {ratio} ({di['lowest']} / {di['highest']})"
            )
            if di["flag"]:
                lines.append(
                    f"  LET OP: onder de grens van {str(report['threshold']).replace('.', ',')}. "
                    "Onderzoek of de diagnose deze groep benadeelt."
                )
    return "\n".join(lines) + "\n"


def render_matching_fairness(report: dict) -> str:
    """`trede fairness matching` in Dutch, for the terminal."""
    lines = [
        "Eerlijkheidsrapport matching",
        f"Peildatum {report['as_of']}: {report['n']} kandidaten, {report['vacancies']} open vacatures.",
        f"Op een kandidatenlijst = bij de beste {report['top']} van minstens één vacature. "
        f"Groepen kleiner dan {report['min_group_size']} worden niet getoond.",
    ]
    header = f"  {'groep':<20} {'n':>6} {'beste score':>12} {'op een lijst':>13}"
    for dimension in report["dimensions"].values():
        lines += ["", dimension["title"], header]
        for g in dimension["groups"]:
            if g["suppressed"]:
                lines.append(
                    f"  {g['group']:<20} {'<' + str(report['min_group_size']):>6}  (te klein, niet getoond)"
                )
                continue
            lines.append(
                f"  {g['group']:<20} {g['n']:>6} {format_number(g['mean_best_score'], 3):>12}"
                f" {_pct(g['listed_share']):>13}"
            )
        di = dimension["disparate_impact"]
        if di["ratio"] is None:
            lines.append(
                "  Disparate impact: niet te berekenen (minder dan twee groepen met genoeg kandidaten)."
            )
        else:
            lines.append(
                f"  Disparate impact (laagste / hoogste aandeel op een lijst): {format_number(di['ratio'], 2)}"
                f" ({di['lowest']} / {di['highest']})"
            )
            if di["flag"]:
                lines.append(
                    f"  LET OP: onder de grens van {str(report['threshold']).replace('.', ',')}. "
                    "Onderzoek welke kenmerken deze groep minder vaak op een lijst brengen."
                )
        pdi = dimension.get("proposed_disparate_impact")
        if pdi and pdi["ratio"] is not None:
            lines.append(
                f"  Disparate impact voorgedragen (laagste / hoogste aandeel voorgedragen): "
                f"{format_number(pdi['ratio'], 2)} ({pdi['lowest']} / {pdi['highest']})"
            )
    outcomes = report.get("outcomes")
    if outcomes:
        lines += [
            "",
            f"Voordrachten tot en met de peildatum: {outcomes['n']} klanten voorgedragen, "
            f"{outcomes['hired']} aangenomen.",
        ]
        for dimension in outcomes["dimensions"].values():
            lines += [
                "",
                dimension["title"],
                f"  {'groep':<20} {'voorgedragen':>12} {'aangenomen':>11} {'aandeel':>8}",
            ]
            for g in dimension["groups"]:
                if g["suppressed"]:
                    lines.append(
                        f"  {g['group']:<20} {'<' + str(report['min_group_size']):>12}  (te klein, niet getoond)"
                    )
                    continue
                lines.append(
                    f"  {g['group']:<20} {g['proposed']:>12} {g['hired']:>11} {_pct(g['hired_share']):>8}"
                )
            di = dimension["disparate_impact"]
            if di["ratio"] is None:
                lines.append("  Disparate impact aangenomen: niet te berekenen.")
            else:
                lines.append(
                    f"  Disparate impact (laagste / hoogste aandeel aangenomen): {format_number(di['ratio'], 2)}"
                    f" ({di['lowest']} / {di['highest']})"
                )
                if di["flag"]:
                    lines.append(
                        f"  LET OP: onder de grens van {str(report['threshold']).replace('.', ',')}. "
                        "Onderzoek waarom deze groep minder vaak wordt aangenomen."
                    )
    return "\n".join(lines) + "\n"
