"""Run the effect estimation on the database and store the result (one transaction).

`effects_run_store` loads the interchange-shaped frames from the database, runs
`trede.effects.estimate_instruments` and stores an EffectRun with one EffectEstimate per
instrument (overall) and per segment. The audit log gets one aggregate READ row: the
engine reads every client's data, but only aggregates leave it (no client ids).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from trede.audit import logevent
from trede.effects.errors import EffectsError, NoStartMonth
from trede.effects.instruments import InstrumentEffect, InstrumentsReport, estimate_instruments
from trede.effects.panel import SEGMENT_DIMENSIONS
from trede.effects.result import EffectResult

from .errors import dutch_effects_error
from .models import EffectEstimate, EffectRun

Progress = Callable[[str, int, "int | None"], None]


class EffectsUnavailable(Exception):
    """No estimate is possible (no starts, or the horizon does not fit the data); Dutch message."""


def data_until_default() -> date:
    """The end of the observed data: the first day of the month after the last registered
    event (benefits, trajectories, diagnoses), and never later than this month's first day."""
    from trede.benefits.models import Benefit
    from trede.casework.models import Diagnosis
    from trede.instruments.models import Trajectory

    days = [
        *Benefit.objects.aggregate(a=Max("start_date"), b=Max("end_date")).values(),
        *Trajectory.objects.aggregate(
            a=Max("referral_date"), b=Max("start_date"), c=Max("end_date")
        ).values(),
        *Diagnosis.objects.aggregate(a=Max("date")).values(),
    ]
    today = timezone.localdate()
    this_month = today.replace(day=1)
    known = [d for d in days if d is not None and d <= today]
    if not known:
        return this_month
    last = max(known)
    next_month = (last.replace(day=28) + timedelta(days=4)).replace(day=1)
    return min(next_month, this_month) if last < this_month else this_month


def _num(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _diagnostics(result: EffectResult | None) -> dict:
    """Overlap, trimming share, balance (largest differences) and E-values, as plain JSON."""
    if result is None or result.diagnostics is None:
        return {}
    full = result.to_dict()["diagnostics"]
    balance = full["balance"]
    after = balance["smd_after"]
    largest = sorted(balance["smd_before"].items(), key=lambda kv: -abs(kv[1] or 0))[:8]
    return {
        "overlap": full["overlap"],
        "share_trimmed": full["overlap"]["share_trimmed_treated"],
        "balance": {
            "max_abs_smd_before": balance["max_abs_smd_before"],
            "max_abs_smd_after": balance["max_abs_smd_after"],
            "largest": [{"covariate": k, "before": v, "after": after.get(k)} for k, v in largest],
        },
        "sensitivity": full["sensitivity"],
        "n_clusters": result.n_clusters,
    }


def _rows(
    run: EffectRun, code: str, effect: InstrumentEffect, instrument_ids: set[str]
) -> list[EffectEstimate]:
    instrument_id = code if code in instrument_ids else None
    r = effect.result
    rows = [
        EffectEstimate(
            run=run,
            instrument_id=instrument_id,
            instrument_code=code,
            dimension="",
            level="",
            estimate=None if r is None else _num(r.estimate),
            ci_low=None if r is None else _num(r.ci_low),
            ci_high=None if r is None else _num(r.ci_high),
            std_error=None if r is None else _num(r.std_error),
            n_treated=effect.n_starts if r is None else r.n_treated,
            n_control=effect.n_control,
            small_n=r is None,
            poor_overlap=effect.no_overlap
            if r is None or r.diagnostics is None
            else r.diagnostics.overlap.share_trimmed_treated > 0.10,
            diagnostics=_diagnostics(r),
        )
    ]
    for dimension, levels in effect.segments.items():
        for level, seg in levels.items():
            s = seg.result
            rows.append(
                EffectEstimate(
                    run=run,
                    instrument_id=instrument_id,
                    instrument_code=code,
                    dimension=dimension,
                    level=str(level)[:64],
                    estimate=_num(s.estimate),
                    ci_low=_num(s.ci_low),
                    ci_high=_num(s.ci_high),
                    std_error=_num(s.std_error),
                    n_treated=int(s.n_treated),
                    n_control=int(s.n_control),
                    small_n=bool(seg.small_n),
                    poor_overlap=bool(seg.poor_overlap),
                    diagnostics=_diagnostics(s),
                )
            )
    return rows


def report_store(
    report: InstrumentsReport, *, user, data_until: date, method: str, seconds: float
) -> EffectRun:
    """Store an InstrumentsReport as an EffectRun with its estimates, audited, in one transaction."""
    from trede.instruments.models import Instrument

    codes = list(report.instruments)
    instrument_ids = set(Instrument.objects.filter(pk__in=codes).values_list("pk", flat=True))
    with transaction.atomic():
        run = EffectRun.objects.create(
            horizon_months=report.horizon_months,
            outcome=report.outcome,
            first_start_month=report.start_months[0],
            last_start_month=report.start_months[1],
            data_until=data_until,
            method=method,
            n_instruments=len(codes),
            duration_seconds=round(seconds, 2),
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        rows = [row for code in codes for row in _rows(run, code, report.instruments[code], instrument_ids)]
        EffectEstimate.objects.bulk_create(rows, batch_size=500)
        logevent.effects_run_stored(
            user, run, instruments=len(codes), estimates=len(rows), data_until=data_until.isoformat()
        )
    return run


def effects_run_store(
    *,
    user,
    horizon: int,
    until: date | None = None,
    outcome: str = "werk",
    method: str = "aipw",
    instruments: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> EffectRun:
    """Estimate every instrument's effect on outflow to work within `horizon` months and store it.

    Raises EffectsUnavailable (nothing stored) when the data hold no starts or the horizon
    does not fit between the first start and `until`.
    """
    from .data import load_frames_from_db

    if horizon < 1:
        raise EffectsUnavailable("de horizon moet minstens 1 maand zijn")
    until = until or data_until_default()
    clock = time.perf_counter()
    if progress:
        progress("Gegevens lezen", 0, 1)
    frames = load_frames_from_db()
    if progress:
        progress("Gegevens lezen", 1, 1)
    try:
        report = estimate_instruments(
            frames,
            horizon=horizon,
            until=until,
            outcome=outcome,
            instruments=instruments,
            progress=progress,
            method=method,
            segments=SEGMENT_DIMENSIONS,
        )
    except NoStartMonth as exc:
        raise EffectsUnavailable(
            f"de gegevens (tot {until}) zijn te kort voor een horizon van {horizon} maanden"
        ) from exc
    except EffectsError as exc:
        raise EffectsUnavailable(dutch_effects_error(exc)) from exc
    return report_store(
        report, user=user, data_until=until, method=method, seconds=time.perf_counter() - clock
    )
