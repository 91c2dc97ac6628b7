"""Reading stored effect estimates: latest runs, tables, segments and recommendations.

`latest_effect_for_instrument(code)` is the entry point for an instrument catalogue.
Recommendations for a client use age band, duration band, ladder step and client group
only: never statushouder, gender, origin or language (DOMAIN.md: no origin features).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max
from django.utils import timezone

from trede.casework.classification import CLIENT_GROUP_LABELS, client_group
from trede.effects.bands import AGE_BANDS, DURATION_BANDS
from trede.utils.dates import age_on, completed_years

from .models import EffectEstimate, EffectRun

DIMENSION_LABELS = {
    "age_band": "Leeftijd",
    "duration_band": "Duur uitkering (jaren)",
    "ladder_step": "Trede participatieladder",
    "client_group": "Klantgroep",
    "statushouder": "Statushouder",
}
# The dimensions a client's recommendation may use. Statushouder only adjusts the
# estimates (a covariate) and splits the policy reports; it never ranks instruments.
RECOMMENDATION_DIMENSIONS = ("age_band", "duration_band", "ladder_step", "client_group")


def level_label(dimension: str, level: str) -> str:
    if dimension == "client_group":
        return CLIENT_GROUP_LABELS.get(level, level)
    if dimension == "statushouder":
        return {"1": "ja", "0": "nee", "True": "ja", "False": "nee"}.get(level, level)
    if dimension == "age_band":
        return f"{level} jaar" if level != "onbekend" else level
    if dimension == "duration_band":
        return f"{level} jaar" if level != "onbekend" else level
    if dimension == "ladder_step":
        return f"trede {level}" if level != "onbekend" else level
    return level


# --------------------------------------------------------------------------- runs


def latest_runs() -> list[EffectRun]:
    """The newest run per horizon, shortest horizon first."""
    newest = (
        EffectRun.objects.values("horizon_months").annotate(last=Max("pk")).values_list("last", flat=True)
    )
    return list(EffectRun.objects.filter(pk__in=list(newest)).order_by("horizon_months"))


def latest_run(horizon: int | None = None) -> EffectRun | None:
    runs = latest_runs()
    if not runs:
        return None
    if horizon is not None:
        return next((r for r in runs if r.horizon_months == horizon), None)
    return next((r for r in runs if r.horizon_months == 12), runs[0])


def overall_estimates(run: EffectRun) -> list[EffectEstimate]:
    """One row per instrument, best estimated effect first (no estimate last)."""
    rows = list(run.estimates.filter(dimension="").select_related("instrument"))
    return sorted(rows, key=lambda r: (r.estimate is None, -(r.estimate or 0.0), r.instrument_code))


def instrument_estimates(run: EffectRun, code: str) -> tuple[EffectEstimate | None, dict[str, list]]:
    """(overall row, {dimension: [segment rows]}) of one instrument in a run."""
    rows = list(run.estimates.filter(instrument_code=code).select_related("instrument"))
    overall = next((r for r in rows if r.dimension == ""), None)
    segments: dict[str, list[EffectEstimate]] = {}
    for dim in DIMENSION_LABELS:
        segments[dim] = sorted(
            (r for r in rows if r.dimension == dim), key=lambda r: _level_key(dim, r.level)
        )
    return overall, {d: s for d, s in segments.items() if s}


def _level_key(dimension: str, level: str):
    order = {"age_band": AGE_BANDS, "duration_band": DURATION_BANDS}.get(dimension)
    if order and level in order:
        return (0, order.index(level), level)
    if dimension == "client_group":
        keys = list(CLIENT_GROUP_LABELS)
        return (0, keys.index(level) if level in keys else 99, level)
    return (1 if level == "onbekend" else 0, 0, level)


def latest_effect_for_instrument(instrument_code: str, *, horizon: int = 12) -> EffectEstimate | None:
    """The overall estimate of this instrument in the newest run with this horizon (for a catalogue)."""
    return (
        EffectEstimate.objects.filter(
            instrument_code=instrument_code, dimension="", run__horizon_months=horizon
        )
        .select_related("run", "instrument")
        .order_by("-run__created_at", "-run__pk")
        .first()
    )


# --------------------------------------------------------------------------- a client


def _band(value: float, edges: tuple[int, ...], labels: tuple[str, ...]) -> str:
    index = sum(1 for e in edges if value >= e)
    return labels[index]


def client_segments(client, today: date | None = None) -> dict[str, str]:
    """The client's levels of the recommendation dimensions, defined as in trede.effects.panel.

    Reads birth date, the current benefit spell, the latest diagnosis, doelgroepregister
    and a running placement. Never statushouder, gender, origin or language.
    """
    today = today or timezone.localdate()
    out: dict[str, str] = {}
    out["age_band"] = (
        _band(age_on(client.birth_date, today), (21, 31, 41, 51, 61), AGE_BANDS)
        if client.birth_date
        else "onbekend"
    )
    # Spell: benefits that overlap or touch, merged; the one running today (else the latest).
    benefits = sorted(
        client.benefits.filter(start_date__lte=today).values_list("start_date", "end_date"),
        key=lambda b: b[0],
    )
    spell_start = None
    spell_end = None
    for start, end in benefits:
        if spell_start is None or (spell_end is not None and start > spell_end):
            spell_start, spell_end = start, end
        elif spell_end is not None:
            spell_end = None if end is None else max(spell_end, end)
    out["duration_band"] = (
        _band(completed_years(spell_start, today), (1, 3, 5), DURATION_BANDS) if spell_start else "onbekend"
    )
    diagnoses = list(client.diagnoses.filter(date__lte=today).order_by("date", "pk"))
    ladder = next((d.ladder_step for d in reversed(diagnoses) if d.ladder_step is not None), None)
    months = next((d.months_to_work for d in reversed(diagnoses) if d.months_to_work is not None), None)
    out["ladder_step"] = "onbekend" if ladder is None else str(int(ladder))
    placed = client.placements.running_on(today).exists()
    out["client_group"] = client_group(
        months_to_work=months, ladder_step=ladder, dgr=client.dgr, placed=placed
    )
    return out


@dataclass
class SegmentFigure:
    dimension: str
    level: str
    row: EffectEstimate | None  # the segment row (None when the run has no such segment)
    used: EffectEstimate  # the row whose figure counts: the segment, or the overall one
    fallback: bool  # True: the segment was too small or poorly comparable

    @property
    def dimension_label(self) -> str:
        return DIMENSION_LABELS[self.dimension]

    @property
    def level_label(self) -> str:
        return level_label(self.dimension, self.level)


@dataclass
class Recommendation:
    instrument_code: str
    overall: EffectEstimate
    figures: list[SegmentFigure] = field(default_factory=list)

    @property
    def score(self) -> float:
        """Mean of the matching segments' estimates (the overall one where a segment is small)."""
        values = [f.used.estimate for f in self.figures if f.used.estimate is not None]
        return sum(values) / len(values) if values else (self.overall.estimate or 0.0)

    @property
    def name(self) -> str:
        inst = self.overall.instrument
        return inst.name if inst is not None and inst.name else self.instrument_code


def recommendations(
    run: EffectRun, segments: dict[str, str]
) -> tuple[list[Recommendation], list[EffectEstimate]]:
    """Instruments ranked by estimated effect for the client's segments, and those without an estimate.

    Only RECOMMENDATION_DIMENSIONS are read from `segments`; anything else is ignored.
    """
    rows = list(run.estimates.select_related("instrument").exclude(dimension="statushouder"))
    overall = {r.instrument_code: r for r in rows if r.dimension == ""}
    by_cell = {(r.instrument_code, r.dimension, r.level): r for r in rows if r.dimension}
    ranked: list[Recommendation] = []
    without: list[EffectEstimate] = []
    for code, base in overall.items():
        if base.estimate is None:
            without.append(base)
            continue
        rec = Recommendation(code, base)
        for dim in RECOMMENDATION_DIMENSIONS:
            level = segments.get(dim, "onbekend")
            seg = by_cell.get((code, dim, level))
            usable = seg is not None and seg.estimate is not None and not seg.small_n and not seg.poor_overlap
            rec.figures.append(SegmentFigure(dim, level, seg, seg if usable else base, not usable))
        ranked.append(rec)
    ranked.sort(key=lambda r: (-r.score, r.instrument_code))
    without.sort(key=lambda r: r.instrument_code)
    return ranked, without
