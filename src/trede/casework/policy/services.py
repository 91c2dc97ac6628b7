"""Writes on the municipal policy presets: the beheerder edits and activates them.

`rules.validate_config` checks the rules themselves (bands that connect, contact
frequencies within 1-730 days, caseload minimum below maximum, route limits in order);
this module adds the checks on the shape of the settings, so that a setting the worklist
needs can never go missing, and refuses with Dutch messages.

Changing a preset does not rewrite earlier route decisions: those stay as they were
decided (dated and reasoned); the new settings apply from now on.

Two beheerders editing one preset: the edit page carries `preset_edit_token(preset)` (the
preset's `lock_version` and every setting the form shows), and `preset_update` claims that
version inside its transaction; a save over a colleague's newer save is refused with the
settings that changed, by their Dutch labels (`trede.utils.concurrency`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from trede.accounts import permissions as perms
from trede.audit import events, logevent
from trede.benefits.handhaving.rules import config_problems as handhaving_config_problems
from trede.finance.premiums.rules import config_problems as premium_config_problems
from trede.utils.concurrency import claim_version, edit_token

from ..constants import ClientGroup, Route
from .forms import settings_shown
from .models import PolicyPreset
from .rules import validate_config

PURPOSE = events.PRESETS
PRESET_SNAPSHOT = ("name",)
CONTACT_BASES = ("client_group", "ladder_step", "route")
PLAN_REQUIREMENTS = ("under_27", "everyone")
LADDER_KEYS = tuple(str(step) for step in range(1, 7))


def preset_edit_token(preset: PolicyPreset) -> str:
    return edit_token(preset, PRESET_SNAPSHOT, described=settings_shown)


def preset_may_edit(user) -> bool:
    return perms.role_may(user, perms.PRESET_EDIT)


def _require_beheerder(user, preset: PolicyPreset) -> None:
    perms.check(user, perms.PRESET_EDIT, purpose=PURPOSE)


def _whole(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _number(value, low, high) -> bool:
    """A number (int or float, not a bool) within [low, high]."""
    return isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high


def _pct(value) -> str:
    return f"{value:g}".replace(".", ",")


def finance_problems(config: dict) -> list[str]:
    """The ceiling thresholds and the BUIG vangnet (decision 74), in Dutch. A preset stored
    before these settings existed has none and uses the default preset's
    (trede.finance.selectors.finance_policy); once present they must be usable."""
    problems = []
    ceilings = config.get("ceilings")
    if ceilings is not None:
        warn, block = (
            ceilings.get(k) if isinstance(ceilings, dict) else None for k in ("warn_pct", "block_pct")
        )
        if not _number(warn, 1, 100):
            problems.append("Plafonds: de waarschuwing geldt vanaf 1 tot en met 100 % van het plafond.")
        if not _number(block, 1, 150):
            problems.append("Plafonds: de blokkade ligt tussen 1 en 150 % van het plafond.")
        if _number(warn, 1, 100) and _number(block, 1, 150) and warn >= block:
            problems.append(
                f"Plafonds: de waarschuwing ({_pct(warn)} %) moet onder de blokkade ({_pct(block)} %) liggen, "
                "anders komt er geen waarschuwing vooraf."
            )
    vangnet = config.get("buig_vangnet")
    if vangnet is not None:
        own, band, share = (
            vangnet.get(k) if isinstance(vangnet, dict) else None
            for k in ("own_risk_pct", "band_to_pct", "band_share")
        )
        if not _number(own, 0, 100):
            problems.append("BUIG-vangnet: het eigen risico ligt tussen 0 en 100 % van het BUIG-budget.")
        if not _number(band, 0, 100):
            problems.append(
                "BUIG-vangnet: de grens van de gedeeltelijke vergoeding ligt tussen 0 en 100 % van het BUIG-budget."
            )
        elif _number(own, 0, 100) and band < own:
            problems.append(
                f"BUIG-vangnet: de grens van de gedeeltelijke vergoeding ({_pct(band)} %) ligt onder het eigen risico ({_pct(own)} %)."
            )
        if not _number(share, 0, 1):
            problems.append("BUIG-vangnet: het vergoede deel van het tekort ligt tussen 0 en 100 %.")
        if not isinstance(vangnet, dict) or not str(vangnet.get("source") or "").strip():
            problems.append("BUIG-vangnet: noem de bron van de regeling.")
    return problems


def config_problems(config: dict) -> list[str]:
    """Everything wrong with a preset's settings, in Dutch (empty when usable)."""
    problems: list[str] = []
    if not isinstance(config, dict):
        return ["De instellingen zijn onleesbaar."]
    bands = config.get("categories")
    if not isinstance(bands, list) or not bands:
        problems.append("Categorieën: geef ten minste één categorie met een minimum en maximum.")
    elif any(not _whole(b.get("min"), 0, 240) or not _whole(b.get("max"), 0, 240) for b in bands):
        problems.append("Categorieën: gebruik hele maanden van 0 tot 240.")
    band_2b = config.get("category_2b") or {}
    if not (_whole(band_2b.get("min"), 0, 240) and _whole(band_2b.get("max"), 0, 240)):
        problems.append("Categorie 2B: geef een minimum en maximum in hele maanden.")
    elif band_2b["min"] > band_2b["max"]:
        problems.append("Categorie 2B: het minimum ligt boven het maximum.")
    if not _whole(config.get("category_3b_max_ladder_step"), 1, 6):
        problems.append("Categorie 3B: kies een trede van 1 tot 6.")
    routes = config.get("routes") or {}
    if not (
        _whole(routes.get("directe_bemiddeling_max_months"), 0, 240)
        and _whole(routes.get("re_integratie_max_months"), 0, 240)
    ):
        problems.append("Routes: geef de grenzen in hele maanden.")
    limit = (config.get("route_limit_months") or {}).get("re_integratie")
    if not _whole(limit, 1, 120):
        problems.append("Maximale duur re-integratie: kies 1 tot 120 maanden.")
    if config.get("contact_basis") not in CONTACT_BASES:
        problems.append("Contactfrequentie: kies of die per klantgroep, per trede of per route geldt.")
    intervals = config.get("contact_interval_days") or {}
    expected = {
        "client_group": ClientGroup.values,
        "ladder_step": LADDER_KEYS,
        "route": Route.values,
    }
    for basis, keys in expected.items():
        missing = [k for k in keys if k not in (intervals.get(basis) or {})]
        if missing:
            problems.append(f"Contactfrequentie {basis}: ontbreekt voor {', '.join(missing)}.")
    rechtmatigheid = config.get("rechtmatigheid_months") or {}
    for group in ClientGroup.values:
        if rechtmatigheid.get(group) not in (12, 24):
            problems.append(f"Rechtmatigheidsonderzoek {group}: kies jaarlijks (12) of tweejaarlijks (24).")
    if config.get("plan_required") not in PLAN_REQUIREMENTS:
        problems.append("Plan van aanpak: kies 'jongeren' of 'iedereen'.")
    if not _whole(config.get("plan_required_under_age"), 16, 67):
        problems.append("Plan van aanpak verplicht onder de leeftijd: kies 16 tot 67 jaar.")
    if not _whole(config.get("plan_sign_days"), 1, 90):
        problems.append("Termijn ondertekening plan: kies 1 tot 90 dagen.")
    caseload = config.get("caseload") or {}
    if not (_whole(caseload.get("min"), 1, 500) and _whole(caseload.get("max"), 1, 500)):
        problems.append("Caseload: geef een minimum en maximum van 1 tot 500 klanten.")
    if not _whole(config.get("stale_diagnosis_months"), 1, 60):
        problems.append("Diagnose verouderd na: kies 1 tot 60 maanden.")
    if not _whole(config.get("no_show_days"), 1, 180):
        problems.append("Niet gestart na verwijzing: kies 1 tot 180 dagen.")
    if not _whole(config.get("no_show_contact_days"), 1, 180):
        problems.append("Niet verschenen op de werklijst: kies 1 tot 180 dagen.")
    if not _whole(config.get("nazorg_days"), 1, 1095):
        problems.append("Nazorg na einde uitkering: kies 1 tot 1095 dagen.")
    referrals = config.get("referrals") or {}
    if not (
        _whole(referrals.get("report_interval_weeks"), 1, 52)
        and _whole(referrals.get("report_grace_days"), 0, 90)
        and _whole(referrals.get("result_report_days"), 1, 180)
    ):
        problems.append(
            "Rapportages van aanbieders: elke 1 tot 52 weken, te laat na 0 tot 90 dagen, "
            "resultaat binnen 1 tot 180 dagen."
        )
    groups = config.get("client_groups") or {}
    if not (
        _whole(groups.get("direct_werk_max_months"), 0, 240)
        and _whole(groups.get("werken_en_ervaren_max_months"), 0, 240)
        and _whole(groups.get("zorg_max_ladder_step"), 1, 6)
    ):
        problems.append("Klantgroepen: geef de grenzen in hele maanden en een trede van 1 tot 6.")
    elif groups["direct_werk_max_months"] >= groups["werken_en_ervaren_max_months"]:
        problems.append(
            "Klantgroepen: de grens voor direct werk moet onder die voor werken en ervaren liggen."
        )
    target = config.get("ladder_target") or {}
    bounds = [target.get(k) for k in ("work_max_months", "step_5_max_months", "one_step_max_months")]
    if not (all(_whole(b, 0, 240) for b in bounds) and _whole(target.get("hold_from_step"), 1, 6)):
        problems.append("Doeltrede: geef de grenzen in hele maanden en een trede van 1 tot 6.")
    elif not bounds[0] < bounds[1] < bounds[2]:
        problems.append("Doeltrede: de grenzen moeten oplopen (betaald werk, trede 5, één trede hoger).")
    # Premiums (trede/finance/premiums/rules.py): amounts, months and thresholds.
    problems += premium_config_problems(config)
    problems += finance_problems(config)
    problems += handhaving_config_problems(config)
    if problems:
        # The rule checks below assume the shape is right.
        return problems
    return validate_config(config)


def preset_update(*, user, preset: PolicyPreset, config: dict, edit_token: str | None = None) -> PolicyPreset:
    """Store edited settings after validation; refuses with Dutch messages.

    `edit_token`: what the edit page showed (None for a caller that is not a form: the
    stored version is claimed)."""
    _require_beheerder(user, preset)
    problems = config_problems(config)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        if edit_token is None:
            edit_token = preset_edit_token(PolicyPreset.objects.select_for_update().get(pk=preset.pk))
        preset = claim_version(
            preset, edit_token, PRESET_SNAPSHOT, what="deze beleidsinstelling", described=settings_shown
        )
        changed = sorted(k for k in set(config) | set(preset.config) if config.get(k) != preset.config.get(k))
        preset.config = config
        preset.updated_by = user
        preset.save(update_fields=["config", "updated_by", "updated_at"])
        logevent.preset_updated(user, preset, parts=changed)
    return preset


def preset_activate(*, user, preset: PolicyPreset) -> PolicyPreset:
    """Make this preset the one in use (exactly one preset is active)."""
    _require_beheerder(user, preset)
    with transaction.atomic():
        preset = PolicyPreset.objects.select_for_update().get(pk=preset.pk)
        problems = config_problems(preset.config)
        if problems:
            raise ValidationError(["Deze instellingen zijn niet bruikbaar:", *problems])
        previous = list(
            PolicyPreset.objects.filter(active=True).exclude(pk=preset.pk).values_list("key", flat=True)
        )
        PolicyPreset.objects.filter(active=True).exclude(pk=preset.pk).update(active=False)
        preset.active = True
        preset.updated_by = user
        preset.save(update_fields=["active", "updated_by", "updated_at"])
        logevent.preset_activated(user, preset, previous=previous)
    return preset
