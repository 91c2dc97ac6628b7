"""'Wat werkt voor wie': stored effect estimates per instrument and group, explained in plain Dutch.

- index: the newest run per horizon, a table per instrument with interval chart (inline SVG);
- instrument: the segments and the diagnostics explained;
- export: the table as CSV;
- client: decision support for a client in the user's client_scope (audited, section
  "diagnose"); ranks on age band, duration band, ladder step and client group only.

Roles: beleid, consulent werk, teamleider, beheerder (others 403). For beleid (permission
`cijfers.alleen_afgeschermd`) the rules of `trede.utils.disclosure` apply: counts of 1-4 read
`<5` (within a dimension with secondary suppression against the instrument's total), and
an estimate resting on fewer than ESTIMATE_MIN_STARTS starts is not shown.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from trede.accounts import permissions as perms
from trede.accounts.access import require_section
from trede.accounts.permissions import open_client, role_may
from trede.audit import logevent
from trede.utils.disclosure import (
    ESTIMATE_MIN_STARTS,
    SUPPRESSED,
    count_text,
    count_value,
    is_small,
    protect,
)
from trede.utils.dutch import format_number
from trede.utils.export import requested_format, table_response

from . import selectors
from .models import EffectEstimate, EffectRun

CHART_WIDTH = 260
CHART_PAD = 12
DECISION_TEXT = "Dit is een hulpmiddel bij uw afweging, geen besluit."
METHOD_LABELS = {
    "aipw": "dubbel robuuste schatting (AIPW)",
    "ipw": "weging met de kans op starten (IPW)",
    "matching": "matching op de kans op starten",
}
COVARIATE_LABELS = {
    "age": "leeftijd",
    "duration_years": "duur van de uitkering",
    "months_to_work": "afstand tot werk",
    "wage_value_pct": "loonwaarde",
    "prior_trajectories": "eerdere trajecten",
    "prior_spells_max3": "eerdere uitkeringen",
    "placed": "lopende plaatsing",
    "month_index": "startmaand",
    "ladder_step": "trede",
    "client_group": "klantgroep",
    "education": "opleiding",
    "dutch_language": "Nederlandse taal",
    "household": "huishouden",
    "gender": "geslacht",
    "statushouder": "statushouder",
    "dgr": "doelgroepregister",
}


# --------------------------------------------------------------------------- formatting


def _nl(value: float, digits: int = 1) -> str:
    return format_number(value, digits)


def pct_points(value: float | None, *, sign: bool = True) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return format_number(100 * value, 1, sign=sign) + " %-punt"


def covariate_label(name: str) -> str:
    base, _, level = name.partition("=")
    for key, label in COVARIATE_LABELS.items():
        if base == key or base.startswith(key + "_"):
            return f"{label} ({level})" if level else label
    return name


def _check_role(request) -> bool:
    """Raise 403 unless the role may see this page; True when small cells must be suppressed."""
    if not role_may(request.user, perms.EFFECTS_READ):
        raise perms.refuse(request.user, perms.EFFECTS_READ)
    return role_may(request.user, perms.FIGURES_SUPPRESSED)


def _suppressed(row: EffectEstimate, suppress: bool) -> bool:
    """The estimate is hidden (the count follows the small-cell rule separately)."""
    return suppress and row.n_treated < ESTIMATE_MIN_STARTS


def _flags(row: EffectEstimate) -> list[str]:
    flags = []
    if row.estimate is None and row.poor_overlap:
        # The engine refused (NoOverlap): no start had comparable non-starters.
        return ["geen vergelijkbare klanten voor een schatting"]
    if row.estimate is None:
        flags.append("te weinig starts voor een schatting")
    elif row.small_n:
        flags.append("weinig starts")
    if row.poor_overlap:
        flags.append("slechte overlap")
    return flags


def _scale(rows: list[EffectEstimate]) -> tuple[float, float]:
    values = [0.0]
    for r in rows:
        values += [v for v in (r.ci_low, r.ci_high, r.estimate) if v is not None and math.isfinite(v)]
    lo, hi = min(values), max(values)
    span = max(hi - lo, 0.02)
    return lo - 0.05 * span, hi + 0.05 * span


def _chart(row: EffectEstimate, scale: tuple[float, float]) -> dict | None:
    if row.estimate is None or row.ci_low is None or row.ci_high is None:
        return None
    lo, hi = scale

    def x(v: float) -> float:
        return round(CHART_PAD + (v - lo) / (hi - lo) * (CHART_WIDTH - 2 * CHART_PAD), 1)

    return {
        "width": CHART_WIDTH,
        "zero": x(0.0),
        "low": x(row.ci_low),
        "high": x(row.ci_high),
        "est": x(row.estimate),
        "color": "#1d6fb8" if row.ci_low > 0 else ("#b3261e" if row.ci_high < 0 else "#5f6b78"),
        "label": f"effect {pct_points(row.estimate)}, interval {pct_points(row.ci_low)} tot {pct_points(row.ci_high)}",
    }


def _name(row: EffectEstimate) -> str:
    inst = row.instrument
    return inst.name if inst is not None and inst.name else row.instrument_code


def meaning(row: EffectEstimate, *, name: str, horizon: int, who: str = "") -> str:
    """What the number means, in plain Dutch (B1)."""
    if row.estimate is None:
        return f"Er zijn te weinig starts met {name} om iets over het effect te zeggen."
    size = pct_points(abs(row.estimate), sign=False)
    more = "vaker" if row.estimate >= 0 else "minder vaak"
    text = (
        f"Klanten{who} die {name} startten, kwamen binnen {horizon} maanden {size} {more} aan werk "
        f"dan vergelijkbare klanten die in die maand niet startten."
    )
    if row.ci_low is not None and row.ci_high is not None:
        if row.ci_low <= 0 <= row.ci_high:
            text += (
                f" Het echte verschil ligt waarschijnlijk tussen {pct_points(row.ci_low)} en "
                f"{pct_points(row.ci_high)}. Dat kan ook nul zijn: we weten niet zeker of het helpt."
            )
        else:
            text += (
                f" Het echte verschil ligt waarschijnlijk tussen {pct_points(row.ci_low)} en "
                f"{pct_points(row.ci_high)}."
            )
    return text


def _table_row(
    row: EffectEstimate, *, suppress: bool, scale, horizon: int, label: str = "", n_text: str | None = None
) -> dict:
    hidden = _suppressed(row, suppress)
    return {
        "row": row,
        "code": row.instrument_code,
        "name": _name(row),
        "label": label,
        "suppressed": hidden,
        "estimate": "" if hidden else pct_points(row.estimate),
        "interval": ""
        if hidden or row.ci_low is None
        else f"{pct_points(row.ci_low)} tot {pct_points(row.ci_high)}",
        "n": n_text if n_text is not None else count_text(row.n_treated, suppress=suppress),
        "flags": [] if hidden else _flags(row),
        "chart": None if hidden else _chart(row, scale),
    }


def _run_context(request, suppress: bool) -> tuple[EffectRun | None, dict]:
    horizon = request.GET.get("horizon")
    run = selectors.latest_run(int(horizon) if horizon and horizon.isdigit() else None)
    runs = selectors.latest_runs()
    return run, {
        "run": run,
        "runs": runs,
        "method_label": METHOD_LABELS.get(run.method, run.method) if run else "",
        "suppress": suppress,
        "estimate_min_starts": ESTIMATE_MIN_STARTS,
        "suppressed_text": SUPPRESSED,
    }


# --------------------------------------------------------------------------- pages


@login_required
def index(request):
    suppress = _check_role(request)
    run, context = _run_context(request, suppress)
    rows = []
    if run is not None:
        estimates = selectors.overall_estimates(run)
        scale = _scale([r for r in estimates if not _suppressed(r, suppress)])
        rows = [_table_row(r, suppress=suppress, scale=scale, horizon=run.horizon_months) for r in estimates]
        context["scale"] = {"low": pct_points(scale[0]), "high": pct_points(scale[1])}
    context.update(rows=rows, may_advise=role_may(request.user, perms.EFFECTS_CLIENT_ADVICE))
    return render(request, "evaluations/index.html", context)


@login_required
def instrument(request, code: str):
    suppress = _check_role(request)
    run, context = _run_context(request, suppress)
    if run is None:
        raise Http404("Er zijn nog geen effectschattingen.")
    overall, segments = selectors.instrument_estimates(run, code)
    if overall is None:
        raise Http404("Dit instrument komt niet voor in deze effectschatting.")
    name = _name(overall)
    all_rows = [overall, *(r for rows in segments.values() for r in rows)]
    scale = _scale([r for r in all_rows if not _suppressed(r, suppress)])
    sections = []
    for dim, rows in segments.items():
        # The groups of one dimension add up to (about) the instrument's starts, which are
        # shown: one hidden group count must not be the total minus the others.
        cells = protect([r.n_treated for r in rows], total=overall.n_treated, suppress=suppress)
        table = []
        for i, r in enumerate(rows):
            label = selectors.level_label(dim, r.level)
            item = _table_row(
                r,
                suppress=suppress,
                scale=scale,
                horizon=run.horizon_months,
                label=label,
                n_text=cells.text(i, r.n_treated),
            )
            item["meaning"] = "" if item["suppressed"] else meaning(r, name=name, horizon=run.horizon_months)
            table.append(item)
        sections.append({"dimension": dim, "label": selectors.DIMENSION_LABELS.get(dim, dim), "rows": table})
    head = _table_row(overall, suppress=suppress, scale=scale, horizon=run.horizon_months)
    context.update(
        name=name,
        code=code,
        head=head,
        meaning="" if head["suppressed"] else meaning(overall, name=name, horizon=run.horizon_months),
        sections=sections,
        diagnostics=[] if head["suppressed"] else diagnostics_explained(overall, suppress=suppress),
    )
    return render(request, "evaluations/instrument.html", context)


def diagnostics_explained(row: EffectEstimate, *, suppress: bool = False) -> list[dict]:
    """The diagnostics of an estimate as short plain-Dutch statements."""
    d = row.diagnostics or {}
    out = []
    overlap = d.get("overlap") or {}
    if overlap:
        share = d.get("share_trimmed", overlap.get("share_trimmed_treated", 0.0)) or 0.0
        trimmed = int(overlap.get("n_trimmed_treated", 0) or 0)
        if suppress and is_small(trimmed):
            # The share of the (shown) starts would give the hidden count back.
            who = f"{SUPPRESSED} van de starters"
        else:
            who = f"{format_number(trimmed)} van de starters ({_nl(100 * share)} %)"
        text = f"{who} hadden geen vergelijkbare klanten die niet startten. Zij tellen niet mee."
        if row.poor_overlap:
            text += " Dat is meer dan 10 %: het effect geldt dan niet goed voor alle starters."
        out.append({"title": "Overlap: zijn er vergelijkbare klanten?", "text": text})
    balance = d.get("balance") or {}
    if balance:
        before, after = balance.get("max_abs_smd_before"), balance.get("max_abs_smd_after")
        largest = balance.get("largest") or []
        text = ""
        if largest:
            text = f"Vóór de correctie verschilden starters en niet-starters het meest in {covariate_label(largest[0]['covariate'])}. "
        if before is not None and after is not None:
            text += (
                f"Het grootste verschil was {_nl(before, 2)} voor en {_nl(after, 2)} na de correctie "
                "(gestandaardiseerd verschil; onder 0,1 geldt als goed vergelijkbaar)."
            )
            if after >= 0.1:
                text += " Na de correctie is er nog een duidelijk verschil: wees voorzichtig."
        out.append({"title": "Balans: lijken de groepen na de correctie op elkaar?", "text": text.strip()})
    sens = d.get("sensitivity") or {}
    if sens.get("evalue_estimate") is not None:
        e, e_ci = sens["evalue_estimate"], sens.get("evalue_ci")
        text = (
            f"E-waarde {_nl(e, 2)}. Misschien verschillen starters en niet-starters in iets wat niet is "
            f"geregistreerd, zoals motivatie of gezondheid. Zo'n verschil zou de kans op starten én de kans "
            f"op werk allebei ongeveer {_nl(e, 2)} keer zo groot moeten maken om dit hele effect te "
            "verklaren. Hoe dichter bij 1, hoe minder er nodig is."
        )
        if e_ci is not None:
            if e_ci <= 1.0001:
                text += " Het interval bevat nul al: ook zonder verborgen verschillen is het effect onzeker."
            else:
                text += f" Om het interval tot nul te laten reiken is een factor {_nl(e_ci, 2)} al genoeg."
        out.append({"title": "Gevoeligheid: hoe sterk moet een verborgen verschil zijn?", "text": text})
    return out


@login_required
def export(request):
    """The overall table as CSV (default) or XLSX (`?formaat=xlsx`)."""
    suppress = _check_role(request)
    run, _context = _run_context(request, suppress)
    if run is None:
        raise Http404("Er zijn nog geen effectschattingen.")
    header = [
        "instrument",
        "naam",
        "horizon_maanden",
        "effect_procentpunt",
        "ondergrens_95",
        "bovengrens_95",
        "starts",
        "controles",
        "weinig_starts",
        "slechte_overlap",
    ]

    def pp(value):
        return None if value is None else Decimal(repr(100 * value)).quantize(Decimal("0.01"))

    rows = []
    for r in selectors.overall_estimates(run):
        starts = count_value(r.n_treated, suppress=suppress)
        controls = count_value(r.n_control, suppress=suppress)
        if _suppressed(r, suppress):
            rows.append(
                [
                    r.instrument_code,
                    _name(r),
                    run.horizon_months,
                    None,
                    None,
                    None,
                    starts,
                    controls,
                    None,
                    None,
                ]
            )
            continue
        rows.append(
            [
                r.instrument_code,
                _name(r),
                run.horizon_months,
                pp(r.estimate),
                pp(r.ci_low),
                pp(r.ci_high),
                starts,
                controls,
                r.small_n,
                r.poor_overlap,
            ]
        )
    logevent.export_made(
        request.user,
        what="Wat werkt voor wie (alleen totalen)",
        count=len(rows),
        purpose="wat werkt voor wie: tabel (alleen totalen)",
        fmt=requested_format(request).upper(),
        object_type="effect_run",
        object_id=run.pk,
    )
    return table_response(
        request, filename=f"wat-werkt-h{run.horizon_months}", header=header, rows=rows, sheet="wat werkt"
    )


@login_required
def client_advice(request, client_id: str):
    _check_role(request)
    user = request.user
    # Out of the user's relationships: 404, or 403 with the waarneming form for consultants.
    client = open_client(user, perms.EFFECTS_CLIENT_ADVICE, client_id, purpose="wat werkt voor wie")
    require_section(user, client, "diagnose", purpose="wat werkt voor wie")
    logevent.effects_advice_read(user, client.pk)
    run, context = _run_context(request, False)
    segments = selectors.client_segments(client)
    ranked, without = ([], []) if run is None else selectors.recommendations(run, segments)
    items = []
    for rank, rec in enumerate(ranked, start=1):
        figures = [
            {
                "dimension": f.dimension_label,
                "level": f.level_label,
                "estimate": pct_points(f.used.estimate),
                "interval": f"{pct_points(f.used.ci_low)} tot {pct_points(f.used.ci_high)}",
                "n": f.used.n_treated,
                "fallback": f.fallback,
            }
            for f in rec.figures
        ]
        items.append(
            {
                "rank": rank,
                "code": rec.instrument_code,
                "name": rec.name,
                "score": pct_points(rec.score),
                "overall": pct_points(rec.overall.estimate),
                "interval": f"{pct_points(rec.overall.ci_low)} tot {pct_points(rec.overall.ci_high)}",
                "n": rec.overall.n_treated,
                "uncertain": rec.overall.ci_low is not None
                and rec.overall.ci_low <= 0 <= rec.overall.ci_high,
                "figures": figures,
                "url": reverse("evaluations:instrument", args=[rec.instrument_code])
                + f"?horizon={run.horizon_months}",
            }
        )
    context.update(
        client=client,
        segments=[
            {"label": selectors.DIMENSION_LABELS[d], "value": selectors.level_label(d, segments[d])}
            for d in selectors.RECOMMENDATION_DIMENSIONS
        ],
        items=items,
        without=[_name(r) for r in without],
        decision_text=DECISION_TEXT,
    )
    return render(request, "evaluations/client.html", context)
