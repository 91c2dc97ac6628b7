"""Writes of the catalogue: the contract manager creates and edits instruments (with an
edit token: an edit over a newer save is refused; history kept)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from trede.accounts import permissions as perms
from trede.audit import logevent
from trede.utils.concurrency import claim_version, edit_token

from ..constants import SuccessKind
from ..models import Instrument

# What the edit form shows (and so what a refusal over a newer save names).
INSTRUMENT_FIELDS = (
    "name",
    "type",
    "funding",
    "goal",
    "target_routes",
    "target_groups",
    "min_dutch_language",
    "min_hours_per_week",
    "conditions",
    "max_duration_months",
    "success_kind",
    "success_hours_per_week",
    "success_months",
    "success_language_level",
    "success_text",
    "capacity",
    "waiting_weeks",
    "active",
)


def instrument_edit_token(instrument: Instrument) -> str:
    return edit_token(instrument, INSTRUMENT_FIELDS)


def instrument_problems(values: dict) -> dict[str, str]:
    """Field → Dutch message for values that do not make a judgeable instrument."""
    problems = {}
    kind = values.get("success_kind") or ""
    if kind == SuccessKind.WORK_HOURS:
        if not values.get("success_hours_per_week"):
            problems["success_hours_per_week"] = "Geef het aantal uur per week dat als succes telt."
        if not values.get("success_months"):
            problems["success_months"] = "Geef het aantal maanden dat het werk moet duren."
    elif kind == SuccessKind.LANGUAGE_LEVEL and not values.get("success_language_level"):
        problems["success_language_level"] = "Kies het taalniveau dat als succes telt."
    elif kind == SuccessKind.FREE_TEXT and not (values.get("success_text") or "").strip():
        problems["success_text"] = "Omschrijf wanneer het traject geslaagd is."
    return problems


def _normalise(values: dict) -> dict:
    kind = values.get("success_kind") or ""
    out = dict(values)
    # Keep only what the chosen kind of criterion uses.
    if kind != SuccessKind.WORK_HOURS:
        out["success_hours_per_week"], out["success_months"] = None, None
    if kind != SuccessKind.LANGUAGE_LEVEL:
        out["success_language_level"] = ""
    if kind != SuccessKind.FREE_TEXT:
        out["success_text"] = ""
    out["target_routes"] = sorted(values.get("target_routes") or [])
    out["target_groups"] = sorted(values.get("target_groups") or [])
    return out


def instrument_create(*, user, code: str, values: dict) -> Instrument:
    perms.check(user, perms.CATALOGUE_EDIT)
    code = code.strip()
    problems = instrument_problems(values)
    if not code:
        problems["code"] = "Geef het instrument een code."
    if problems:
        raise ValidationError(problems)
    values = _normalise(values)
    with transaction.atomic():
        if Instrument.objects.filter(pk=code).exists():
            raise ValidationError({"code": f"Er is al een instrument met code {code}."})
        instrument = Instrument(
            instrument_code=code, **{k: values[k] for k in INSTRUMENT_FIELDS if k in values}
        )
        instrument._change_reason = "catalogus: aangemaakt"
        instrument.save(force_insert=True)
        logevent.instrument_saved(
            user, instrument, created=True, fields=[k for k in INSTRUMENT_FIELDS if k in values]
        )
    return instrument


def instrument_update(*, user, instrument: Instrument, token: str, values: dict) -> Instrument:
    perms.check(user, perms.CATALOGUE_EDIT)
    problems = instrument_problems(values)
    if problems:
        raise ValidationError(problems)
    values = _normalise(values)
    with transaction.atomic():
        current = claim_version(instrument, token, INSTRUMENT_FIELDS, what="dit instrument")
        changed = [k for k in INSTRUMENT_FIELDS if k in values and getattr(current, k) != values[k]]
        for key in changed:
            setattr(current, key, values[key])
        current._change_reason = "catalogus: " + (", ".join(changed) or "opnieuw opgeslagen")
        current.save()
        logevent.instrument_saved(user, current, created=False, fields=changed)
    return current
