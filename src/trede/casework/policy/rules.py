"""The rules that apply a policy preset (pure functions, no database).

The presets themselves, with the values each municipality ships, are in `presets.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from trede.utils.dates import months_between

from ..classification import client_group as classify_client_group


@dataclass(frozen=True)
class Classification:
    category: str
    route: str
    client_group: str
    derived: bool = True  # False: all three as the diagnosis recorded them


def category_for(
    months_to_work: int, *, beschut_or_banenafspraak: bool, ladder_step: int | None, config: dict
) -> str:
    months = max(0, int(months_to_work))
    band_2b = config["category_2b"]
    if beschut_or_banenafspraak and band_2b["min"] <= months <= band_2b["max"]:
        return "2B"
    for band in config["categories"]:
        if band["min"] <= months <= band["max"]:
            if (
                band["code"] == "3A"
                and ladder_step is not None
                and ladder_step <= config["category_3b_max_ladder_step"]
            ):
                return "3B"
            return band["code"]
    # Beyond the last band (months above its maximum): the farthest category.
    return "3B" if ladder_step is not None and ladder_step <= config["category_3b_max_ladder_step"] else "3A"


def route_for(months_to_work: int, *, category: str, config: dict) -> str:
    routes = config["routes"]
    months = max(0, int(months_to_work))
    if category == "2B":
        return "re_integratie"
    if months <= routes["directe_bemiddeling_max_months"]:
        return "directe_bemiddeling"
    if months <= routes["re_integratie_max_months"]:
        return "re_integratie"
    return "participatie"


@dataclass(frozen=True)
class RouteAdvice:
    """The route the preset advises for a diagnosis, and why, in Dutch."""

    route: str
    why: str


def route_advice(months_to_work: int, *, category: str, config: dict) -> RouteAdvice:
    """`route_for` with the rule that decided it, for the consultant who may deviate."""
    routes = config["routes"]
    months = max(0, int(months_to_work))
    direct_max, reint_max = routes["directe_bemiddeling_max_months"], routes["re_integratie_max_months"]
    route = route_for(months, category=category, config=config)
    if category == "2B":
        why = "Categorie 2B (beschut werk of banenafspraak): het beleid kiest dan re-integratie."
    elif route == "directe_bemiddeling":
        why = (
            f"Afstand tot werk {months} maanden; tot en met {direct_max} maanden is dat directe bemiddeling."
        )
    elif route == "re_integratie":
        why = (
            f"Afstand tot werk {months} maanden; van {direct_max + 1} tot en met {reint_max} maanden "
            "is dat re-integratie."
        )
    else:
        why = f"Afstand tot werk {months} maanden; boven {reint_max} maanden is dat participatie."
    return RouteAdvice(route=route, why=why)


def classify(
    *,
    months_to_work: int | None,
    ladder_step: int | None,
    dgr: bool | None,
    placed: bool = False,
    beschut_or_banenafspraak: bool | None = None,
    config: dict,
    category: str = "",
    route: str = "",
    client_group: str = "",
) -> Classification:
    """Category, route and client group of a diagnosis under a preset: the one place that
    classifies.

    `category`, `route` and `client_group` are what the diagnosis (or a route decision)
    recorded: when route and group are both recorded, or the months to work are unknown,
    the recorded values stand; otherwise what is missing is derived from the facts by the
    preset's rules (an imported diagnosis without Trede's classification).
    """
    if (route and client_group) or months_to_work is None:
        return Classification(category=category, route=route, client_group=client_group, derived=False)
    derived = _classify_facts(
        months_to_work=months_to_work,
        ladder_step=ladder_step,
        dgr=dgr,
        placed=placed,
        beschut_or_banenafspraak=beschut_or_banenafspraak,
        config=config,
    )
    return Classification(
        category=category or derived.category,
        route=route or derived.route,
        client_group=client_group or derived.client_group,
        derived=True,
    )


def _classify_facts(
    *,
    months_to_work: int,
    ladder_step: int | None,
    dgr: bool | None,
    placed: bool,
    beschut_or_banenafspraak: bool | None,
    config: dict,
) -> Classification:
    indicated = bool(dgr) if beschut_or_banenafspraak is None else beschut_or_banenafspraak
    category = category_for(
        months_to_work, beschut_or_banenafspraak=indicated, ladder_step=ladder_step, config=config
    )
    return Classification(
        category=category,
        route=route_for(months_to_work, category=category, config=config),
        client_group=classify_client_group(
            months_to_work=months_to_work, ladder_step=ladder_step, dgr=dgr, placed=placed, config=config
        ),
    )


def contact_interval_days(
    *, config: dict, client_group: str = "", ladder_step: int | None = None, route: str = ""
) -> int:
    """Days allowed between contact moments under the preset's basis (group, step or route)."""
    basis = config["contact_basis"]
    table = config["contact_interval_days"][basis]
    key = {"client_group": client_group, "ladder_step": str(ladder_step or ""), "route": route}[basis]
    if key in table:
        return int(table[key])
    # Not yet classified: the most intensive regime of the preset, so nobody drops out of sight.
    return int(min(table.values()))


def route_limit_reached(*, route: str, since: date, today: date, config: dict) -> bool:
    limit = config["route_limit_months"].get(route)
    return limit is not None and months_between(since, today) >= limit


def plan_required(*, age: int, config: dict) -> bool:
    return config["plan_required"] == "everyone" or (
        age is not None and age < config["plan_required_under_age"]
    )


def plan_required_reason(config: dict) -> str:
    """Why the preset requires a plan, in Dutch (for the worklist)."""
    if config["plan_required"] == "everyone":
        return "verplicht voor iedereen"
    return f"jonger dan {config['plan_required_under_age']}"


def caseload_status(count: int, *, config: dict) -> str:
    low, high = config["caseload"]["min"], config["caseload"]["max"]
    return "te_laag" if count < low else "te_hoog" if count > high else "binnen_norm"


def validate_config(config: dict) -> list[str]:
    """Problems with an edited preset, in Dutch; empty when usable."""
    problems = []
    bands = config.get("categories", [])
    previous_max = -1
    for band in bands:
        if band["min"] != previous_max + 1:
            problems.append(
                f"Categorie {band['code']} sluit niet aan op de vorige (begint bij {band['min']})."
            )
        if band["max"] < band["min"]:
            problems.append(f"Categorie {band['code']}: het maximum ligt onder het minimum.")
        previous_max = band["max"]
    for basis, table in config.get("contact_interval_days", {}).items():
        for key, days in table.items():
            if not isinstance(days, int) or days < 1 or days > 730:
                problems.append(f"Contactfrequentie {basis} {key}: kies 1 tot 730 dagen.")
    caseload = config.get("caseload", {})
    if caseload and caseload.get("min", 0) > caseload.get("max", 0):
        problems.append("Caseload: het minimum ligt boven het maximum.")
    routes = config.get("routes", {})
    if routes and routes["directe_bemiddeling_max_months"] >= routes["re_integratie_max_months"]:
        problems.append("Routes: de grens voor directe bemiddeling moet onder die voor re-integratie liggen.")
    return problems
