"""Municipal policy presets and the rules that apply them (pure functions, no database).

Three presets come from the seeds; the beheerder edits them (stored in PolicyPreset.config).
Every preset carries every setting, so Trede works whichever one is active; each preset
puts its own municipality's emphasis first.

- Leidschendam-Voorburg (seed 001 §2.2, Tabel 2): categories by whole months to work
  (1A 0-3, 1B 4-12, 1C 13-24, 2A 25-48, 2B 25-48 for beschut werk and the banenafspraak,
  3A/3B 49 and more); routes: directe bemiddeling at 0 months, re-integratie at 1-24
  months and for 2B, at most two years, participatie above 24 months.
- Steenwijkerland (seed 002 §3-4): six client groups, each with a service level. The seed
  only says "intensief" for the groups nearest to work and "minimaal één keer per jaar"
  for the others; the contact intervals below are our editable defaults (casework/SERVICE_LEVELS.md).
- Hof van Twente (seed 004 §1, §4): the participatieladder, an approach per step, and a
  plan van aanpak for everyone.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date

from .classification import client_group as classify_client_group

CATEGORY_BANDS_LV = [
    {"code": "1A", "min": 0, "max": 3},
    {"code": "1B", "min": 4, "max": 12},
    {"code": "1C", "min": 13, "max": 24},
    {"code": "2A", "min": 25, "max": 48},
    {"code": "3A", "min": 49, "max": 120},
]

_COMMON = {
    "categories": CATEGORY_BANDS_LV,
    # 25-48 months with an indication for beschut werk or the banenafspraak: 2B.
    "category_2b": {"min": 25, "max": 48},
    # 49+ months: 3B (dienstverlening op maat) when the ladder step is at most this, else 3A.
    "category_3b_max_ladder_step": 2,
    "routes": {"directe_bemiddeling_max_months": 0, "re_integratie_max_months": 24},
    "route_limit_months": {"re_integratie": 24},
    "contact_basis": "client_group",
    "contact_interval_days": {
        "client_group": {
            "direct_werk": 14,
            "werken_en_ervaren": 28,
            "leren_en_ontwikkelen": 91,
            "zorg": 182,
            "werkvoorzienend": 365,
            "geplaatst": 182,
        },
        "ladder_step": {"1": 91, "2": 91, "3": 42, "4": 42, "5": 14, "6": 28},
        "route": {"directe_bemiddeling": 14, "re_integratie": 42, "participatie": 182},
    },
    "rechtmatigheid_months": {
        "direct_werk": 12,
        "werken_en_ervaren": 12,
        "leren_en_ontwikkelen": 12,
        "zorg": 24,
        "werkvoorzienend": 24,
        "geplaatst": 24,
    },
    "plan_required": "under_27",
    "plan_sign_days": 14,
    "caseload": {"min": 70, "max": 90},
    "stale_diagnosis_months": 12,
    "no_show_days": 28,
    "ladder_approach": {
        "1": "Zorg en welzijn eerst: contact via de wijkteams, doel is contact buiten de deur.",
        "2": "Sociale activering en vrijwilligerswerk in de buurt.",
        "3": "Georganiseerde activiteiten, dagbesteding of participatieplaats.",
        "4": "Onbetaald werk met perspectief: werkervaringsplaats, leerwerkplek.",
        "5": "Betaald werk met ondersteuning: loonkostensubsidie, jobcoach, proefplaatsing.",
        "6": "Betaald werk: bemiddeling naar regulier werk en nazorg.",
    },
}

PRESETS: dict[str, dict] = {
    "leidschendam_voorburg": {
        "name": "Leidschendam-Voorburg",
        "description": "Categorieën 1A-3B op afstand tot werk in maanden; routes directe bemiddeling, "
        "re-integratie (maximaal twee jaar) en participatie.",
        "config": {**copy.deepcopy(_COMMON), "contact_basis": "route"},
    },
    "steenwijkerland": {
        "name": "Steenwijkerland",
        "description": "Zes klantgroepen, elk met een eigen dienstverleningsniveau (contactfrequentie en "
        "rechtmatigheidsonderzoek jaarlijks of tweejaarlijks).",
        "config": {**copy.deepcopy(_COMMON), "contact_basis": "client_group"},
    },
    "hof_van_twente": {
        "name": "Hof van Twente",
        "description": "De participatieladder: een aanpak per trede en een plan van aanpak voor iedereen.",
        "config": {**copy.deepcopy(_COMMON), "contact_basis": "ladder_step", "plan_required": "everyone"},
    },
}
DEFAULT_PRESET = "leidschendam_voorburg"


@dataclass(frozen=True)
class Classification:
    category: str
    route: str
    client_group: str


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


def classify(
    *,
    months_to_work: int,
    ladder_step: int | None,
    dgr: bool | None,
    placed: bool = False,
    beschut_or_banenafspraak: bool | None = None,
    config: dict,
) -> Classification:
    """Category, route and client group for a diagnosis under a preset."""
    indicated = bool(dgr) if beschut_or_banenafspraak is None else beschut_or_banenafspraak
    category = category_for(
        months_to_work, beschut_or_banenafspraak=indicated, ladder_step=ladder_step, config=config
    )
    return Classification(
        category=category,
        route=route_for(months_to_work, category=category, config=config),
        client_group=classify_client_group(
            months_to_work=months_to_work, ladder_step=ladder_step, dgr=dgr, placed=placed
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


def months_between(start: date, end: date) -> int:
    """Completed months from start to end."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (end.day < start.day)


def route_limit_reached(*, route: str, since: date, today: date, config: dict) -> bool:
    limit = config["route_limit_months"].get(route)
    return limit is not None and months_between(since, today) >= limit


def plan_required(*, age: int, config: dict) -> bool:
    return config["plan_required"] == "everyone" or age < 27


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
