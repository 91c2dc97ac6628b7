"""The register's entries: each algorithm's declaration, the active preset's thresholds and
the latest fairness figures, in the Algoritmeregister's field names (decision 94).

Nothing here is about one person: declarations and settings are code and policy, the
fairness figures are aggregates with small groups suppressed (decision 95), so reading the
register writes no audit row of personal data.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from trede.casework.intake import scoring
from trede.casework.intake.fairness import DIMENSIONS, MIN_GROUP_SIZE, diagnosis_fairness, disparate_impact
from trede.casework.policy.selectors import active_policy
from trede.effects import register as effects_register
from trede.employers.matching import rules as matching_rules
from trede.employers.matching.fairness import DIMENSIONS as MATCHING_DIMENSIONS
from trede.employers.matching.fairness import matching_fairness
from trede.evaluations.models import EffectEstimate
from trede.evaluations.selectors import latest_run, level_label
from trede.utils.disclosure import ESTIMATE_MIN_STARTS, count_value

from .declaration import Declaration

# The algorithms in the register, in the order of the chain (intake, matching, evaluation).
DECLARATIONS: tuple[Declaration, ...] = (scoring.REGISTER, matching_rules.REGISTER, effects_register.REGISTER)
STANDARD = "Algoritmeregister publicatiestandaard 1.0 (veldnamen van de API); Trede-velden onder x_trede"
PROVIDER = "Trede (open source), gebouwd en beheerd door de gemeente"


def declaration(key: str) -> Declaration | None:
    return next((d for d in DECLARATIONS if d.key == key), None)


def preset_value(config: dict, path: str):
    """The value at a dotted path in the preset's config (KeyError when the preset lacks it)."""
    value = config
    for part in path.split("."):
        value = value[part]
    return value


# --------------------------------------------------------------------------- fairness


def protect_groups(groups: list[dict]) -> list[dict]:
    """Secondary suppression within one dimension: when exactly one group is hidden and the
    total is known, the smallest other shown group is hidden too, so that neither can be
    computed as the total minus the others (the rule of `trede.utils.disclosure.protect`,
    with the fairness report's larger minimum group). Returns new dicts; a hidden group keeps
    only its name."""
    out = [dict(g) for g in groups]
    hidden = [g for g in out if g["suppressed"]]
    shown = [g for g in out if not g["suppressed"] and g["n"]]
    if len(hidden) == 1 and shown:
        smallest = min(shown, key=lambda g: (g["n"], g["group"]))
        smallest["suppressed"] = True
        smallest["secondary"] = True
    for g in out:
        if g["suppressed"]:
            for key in list(g):
                if key not in ("group", "suppressed", "secondary"):
                    g[key] = None
    return out


def _protected_dimensions(report: dict, titles: dict, share: str) -> list[dict]:
    """Each dimension of a fairness report with secondary suppression, and the disparate
    impact of `share` recomputed from the groups still shown."""
    dimensions = []
    for key, title in titles.items():
        groups = protect_groups(report["dimensions"][key]["groups"])
        shares = {
            g["group"]: g[share]
            for g in groups
            if not g["suppressed"] and g["group"] != "onbekend" and g[share] is not None
        }
        dimensions.append(
            {"dimension": key, "title": title, "groups": groups, "disparate_impact": disparate_impact(shares)}
        )
    return dimensions


def diagnosis_figures(*, min_n: int = MIN_GROUP_SIZE) -> dict:
    """`trede fairness diagnosis` as it is now, with secondary suppression per dimension."""
    report = diagnosis_fairness(min_n=min_n)
    return {
        "report": "diagnosis",
        "command": "trede fairness diagnosis",
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "population": report["population"],
        "n": count_value(report["n"], suppress=True),
        "min_group_size": report["min_group_size"],
        "threshold": report["threshold"],
        "dimensions": _protected_dimensions(report, DIMENSIONS, "work_route_share"),
    }


def matching_figures(*, min_n: int = MIN_GROUP_SIZE) -> dict:
    """`trede fairness matching` for today, with secondary suppression per dimension."""
    report = matching_fairness(timezone.localdate(), min_n=min_n)
    return {
        "report": "matching",
        "command": f"trede fairness matching --as-of {report['as_of']}",
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "population": report["population"],
        "as_of": report["as_of"],
        "top": report["top"],
        "n": count_value(report["n"], suppress=True),
        "vacancies": report["vacancies"],
        "min_group_size": report["min_group_size"],
        "threshold": report["threshold"],
        "dimensions": _protected_dimensions(report, MATCHING_DIMENSIONS, "listed_share"),
    }


def effects_figures() -> dict:
    """The latest stored effect run, split by statushouder: per group how many instruments
    have an estimate that may be shown, how many carry a warning, and the starts (small
    counts suppressed)."""
    run = latest_run()
    if run is None:
        return {
            "report": "effects",
            "command": "trede effects instruments --store",
            "run": None,
            "groups": [],
        }
    groups = []
    rows = EffectEstimate.objects.filter(run=run, dimension="statushouder").order_by("level")
    by_level: dict[str, list[EffectEstimate]] = {}
    for row in rows:
        by_level.setdefault(row.level, []).append(row)
    for level, estimates in by_level.items():
        shown = [
            e
            for e in estimates
            if e.estimate is not None and not e.small_n and e.n_treated >= ESTIMATE_MIN_STARTS
        ]
        groups.append(
            {
                "group": level_label("statushouder", level),
                "instruments": len(estimates),
                "instruments_estimated": len(shown),
                "instruments_warned": sum(1 for e in estimates if e.small_n or e.poor_overlap),
                "starts": count_value(sum(e.n_treated for e in estimates), suppress=True),
                "mean_effect": round(sum(e.estimate for e in shown) / len(shown), 4) if shown else None,
            }
        )
    return {
        "report": "effects",
        "command": "trede effects instruments --store",
        "run": {
            "created_at": run.created_at.isoformat(timespec="seconds"),
            "horizon_months": run.horizon_months,
            "outcome": run.outcome,
            "data_until": run.data_until.isoformat(),
            "method": run.method,
        },
        "groups": groups,
    }


FAIRNESS = {"diagnosis": diagnosis_figures, "matching": matching_figures, "effects": effects_figures}


# --------------------------------------------------------------------------- entries


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _sentences(items) -> str:
    return " ".join(items)


def entry(decl: Declaration, *, policy=None, with_fairness: bool = True) -> dict:
    """One register entry: the standard's fields first, Trede's own under `x_trede`."""
    policy = policy or active_policy()
    thresholds = [
        {"path": t.path, "label": t.label, "value": preset_value(policy.config, t.path)}
        for t in decl.thresholds
    ]
    used = [{"key": d.key, "label": d.label, "source": d.source} for d in decl.data_used]
    not_used = [{"key": n.key, "label": n.label, "reason": n.reason} for n in decl.data_not_used]
    source_data = (
        "Gebruikt: "
        + "; ".join(d.label for d in decl.data_used)
        + ". Niet gebruikt: "
        + "; ".join(f"{n.label} ({_lower_first(n.reason.rstrip('.'))})" for n in decl.data_not_used)
        + "."
    )
    settings_text = "; ".join(f"{t['label']} ({t['path']})" for t in thresholds)
    methods = decl.methods_and_models
    if settings_text:
        methods += f" Instellingen uit het beleid \u201c{policy.name}\u201d: {settings_text}."
    return {
        "source_id": decl.key,
        "name": decl.name,
        "organization": f"Gemeente (beleid: {policy.name})",
        "description_short": decl.description_short,
        "status": decl.status,
        "goal": decl.goal,
        "impact": decl.impact,
        "proportionality": decl.proportionality,
        "human_intervention": _sentences(decl.human_intervention),
        "risks": _sentences(decl.risks),
        "lawful_basis": "\n".join(b.title for b in decl.lawful_basis),
        "lawful_basis_grouping": [{"title": b.title, "link": b.link} for b in decl.lawful_basis],
        "impacttoetsen": decl.impacttoetsen
        or "Geen IAMA of DPIA in Trede vastgelegd; de gemeente voert die uit en vermeldt ze hier.",
        "source_data": source_data,
        "methods_and_models": methods,
        "provider": PROVIDER,
        "publiccode": list(decl.publiccode),
        "lang": "NLD",
        "x_trede": {
            "data_used": used,
            "data_not_used": not_used,
            "human_intervention_points": list(decl.human_intervention),
            "thresholds": thresholds,
            "preset": {"key": policy.key, "name": policy.name},
            "constants": [{"label": label, "value": _plain(value)} for label, value in decl.constants],
            "fairness": FAIRNESS[decl.fairness]() if with_fairness else None,
        },
    }


def _plain(value):
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def register(*, with_fairness: bool = True, now: datetime | None = None) -> dict:
    """The whole register as one JSON-ready dict."""
    policy = active_policy()
    return {
        "standard": STANDARD,
        "generated_at": (now or timezone.now()).isoformat(timespec="seconds"),
        "algorithms": [entry(d, policy=policy, with_fairness=with_fairness) for d in DECLARATIONS],
    }


# The flat table of the CSV/XLSX download: one row per algorithm, the standard's text fields.
TABLE_FIELDS = (
    ("source_id", "source_id"),
    ("name", "naam"),
    ("organization", "organisatie"),
    ("description_short", "korte omschrijving"),
    ("status", "status"),
    ("goal", "doel"),
    ("impact", "impact"),
    ("proportionality", "afwegingen"),
    ("human_intervention", "menselijke tussenkomst"),
    ("risks", "risicobeheer"),
    ("lawful_basis", "wettelijke basis"),
    ("impacttoetsen", "impacttoetsen"),
    ("source_data", "gebruikte data"),
    ("methods_and_models", "technische werking"),
    ("provider", "leverancier"),
    ("publiccode", "link naar broncode"),
)


def table_rows(data: dict) -> list[list]:
    rows = []
    for e in data["algorithms"]:
        rows.append(
            [", ".join(e[key]) if isinstance(e[key], list) else e[key] for key, _label in TABLE_FIELDS]
        )
    return rows
