"""An audit row as one readable Dutch sentence (the "Toelichting" column and the CSV).

A row of a documented event (`logevent.EVENTS`) gets that event's text; any other row
(written before the list existed, or by code that still calls `audit_record`) gets its
details with Dutch labels, field names replaced by the model's verbose_name.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache

from django.apps import apps

from trede.accounts.access import SECTION_LABELS
from trede.accounts.models import Role

ROLE_LABELS = {value: str(label) for value, label in Role.choices}

# Keys that appear in details, in the words of the privacy officer.
DETAIL_LABELS = {
    "aantal": "aantal",
    "activated": "geactiveerd",
    "adres": "adres",
    "agreed": "akkoord van",
    "changed": "gewijzigd",
    "clients": "klanten",
    "consultant": "consulent",
    "count": "aantal",
    "dagen": "dagen",
    "date": "datum",
    "deactivated": "gedeactiveerd",
    "derived": "daardoor ook gewijzigd",
    "done_on": "afgerond op",
    "fields": "gewijzigde gegevens",
    "from": "van",
    "items": "signalen",
    "kind": "soort",
    "lengte": "lengte zoekopdracht",
    "list": "lijst",
    "lijst": "lijst",
    "outcome": "uitkomst",
    "override_of": "correctie van",
    "reden": "reden",
    "replaces_signed": "vervangt getekend plan",
    "status": "status",
    "to": "naar",
    "version": "versie",
    "via": "via",
}
OBJECT_LABELS = {
    "application": "melding of aanvraag",
    "caseload": "caseload",
    "caseload_transfer": "overdracht",
    "client": "klant",
    "contact": "contactmoment",
    "diagnosis": "diagnose",
    "effect_run": "effectschatting",
    "geweigerd": "geweigerde pogingen",
    "handhavingszaak": "handhavingszaak",
    "gebruiker": "gebruiker",
    "importrun": "import",
    "applicatietoken": "applicatietoken",
    "plan": "plan van aanpak",
    "plan_action": "afspraak",
    "policy_preset": "beleidsinstelling",
    "questionnaire": "vragenlijst",
    "referral": "verwijzing",
    "referral_signals": "signalen aanbieders",
    "route_decision": "routebesluit",
    "waarneming": "waarneming",
    "worklist": "werklijst",
}
RIGHTS_LABELS = {"is_staff": "beheerscherm", "is_superuser": "alle rechten", "is_active": "actief"}
# object_type → model name, where they differ.
_MODEL_NAMES = {"contact": "contact", "plan_action": "planaction", "route_decision": "routedecision"}


@cache
def _field_labels(object_type: str) -> dict[str, str]:
    model_name = _MODEL_NAMES.get(object_type, object_type.replace("_", ""))
    for model in apps.get_models():
        if model._meta.model_name == model_name:
            return {
                f.name: str(f.verbose_name) for f in model._meta.get_fields() if hasattr(f, "verbose_name")
            }
    return {}


def _plain(value) -> str:
    if value is None or value == "":
        return "leeg"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime):
        return f"{value:%d-%m-%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"{value[8:10]}-{value[5:7]}-{value[:4]}"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}.*", value):
        return f"{value[8:10]}-{value[5:7]}-{value[:4]} {value[11:16]}"
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value) or "geen"
    return str(value)


def _field(name: str, labels: dict[str, str]) -> str:
    return labels.get(name, name.replace("_", " "))


def _value(key: str, value, labels: dict[str, str]) -> str:
    if key in ("fields", "derived", "changed") and isinstance(value, list | tuple | dict):
        if isinstance(value, dict):
            return ", ".join(
                f"{_field(k, labels)} {_plain(v[0])} → {_plain(v[1])}"
                if isinstance(v, list | tuple) and len(v) == 2
                else f"{_field(k, labels)} {_plain(v)}"
                for k, v in value.items()
            )
        return ", ".join(_field(str(v), labels) for v in value) or "geen"
    if isinstance(value, dict):
        return ", ".join(f"{_field(str(k), labels)}: {_plain(v)}" for k, v in value.items())
    return _plain(value)


def details_sentence(details: dict | None, object_type: str = "") -> str:
    """'Gewijzigde gegevens: route, trede; daardoor ook gewijzigd: klantgroep.'"""
    if not details:
        return ""
    labels = _field_labels(object_type) if object_type else {}
    parts = [
        f"{DETAIL_LABELS.get(k, k.replace('_', ' '))}: {_value(k, v, labels)}" for k, v in details.items()
    ]
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


class _Context(dict):
    def __missing__(self, key):
        return "–"


def describe(event) -> str:
    """The Dutch sentence for one audit row."""
    from .logevent import EVENTS

    details = dict(event.details or {})
    kind = EVENTS.get(event.event)
    if kind is None:
        sentence = details_sentence(details, event.object_type)
        if event.object_type and event.object_type in OBJECT_LABELS:
            what = OBJECT_LABELS[event.object_type].capitalize()
            number = f" {event.object_id}" if event.object_id else ""
            return f"{what}{number}. {sentence}".strip()
        return sentence
    context = _Context({k: _plain(v) for k, v in details.items()})
    for key in ("oud", "nieuw", "rol"):
        if key in details:
            context[key] = ROLE_LABELS.get(details[key], details[key] or "geen")
    if isinstance(details.get("wijziging"), dict):
        context["wijziging"] = ", ".join(
            f"{RIGHTS_LABELS.get(k, k)} {_plain(v[0])} → {_plain(v[1])}"
            for k, v in details["wijziging"].items()
        )
    for key, labels in kind.labels.items():
        if isinstance(details.get(key), list):
            context[key] = ", ".join(labels.get(code, code) for code in details[key]) or "geen"
    context["onderdeel"] = SECTION_LABELS.get(event.section, event.section or "–")
    context["soort"] = OBJECT_LABELS.get(event.object_type, event.object_type)
    context["nummer"] = event.object_id
    return kind.text.format_map(context)


def who(event) -> str:
    """'Sanne de Vries (sanne)', or the username alone for rows without a stored name."""
    if event.full_name and event.username:
        return f"{event.full_name} ({event.username})"
    return event.full_name or event.username or "–"
