"""What a letter is about, and the values of its placeholders.

Each source gives its client, its kenmerk and, for the placeholders a template uses (and
only those: an unused BSN is never read), a plain string or a list of plain dicts. New
sources (the handhaving decision, an invitation) add one `Source` constructor and their
values here; the rest of the app does not change."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from trede.portal.formatting import dutch_date

from . import rules
from .kinds import KINDS, LetterKind
from .models import SourceType

# Values that follow from the day the letter is made, not from the source: left out of the
# digest, so the same unchanged source gives the same letter on a double submit.
DATED = frozenset({"datum_brief", "bezwaar_uiterlijk"})

OWNER_WORDS = {
    "klant": "u",
    "consulent": "uw consulent",
    "aanbieder": "de aanbieder",
    "werkgever": "de werkgever",
    "anders": "iemand anders",
}


@dataclass(frozen=True)
class Source:
    type: str
    id: str
    client: object
    reference: str
    obj: object
    # The letter kind when the source itself does not say (a withdrawn decision).
    kind: str = ""


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
    return text.replace(".", ",")


def _day(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):  # a datetime: the Dutch calendar day
        value = timezone.localtime(value).date()
    return dutch_date(value)


def plan_source(plan) -> Source:
    return Source(
        type=SourceType.PLAN,
        id=str(plan.pk),
        client=plan.client,
        reference=f"PVA-{plan.client_id}-v{plan.version}",
        obj=plan,
    )


def besluit_source(besluit) -> Source:
    """A decision of a handhavingszaak (final: `check_source` refuses it otherwise)."""
    return Source(
        type=SourceType.BESLUIT,
        id=str(besluit.pk),
        client=besluit.zaak.client,
        reference=f"HH-{besluit.number}",
        obj=besluit,
    )


def withdrawal_source(besluit) -> Source:
    """The withdrawal of a final decision (its intrekkingsbesluit): `check_source` refuses
    a decision that is not withdrawn (yet: a withdrawal awaiting a colleague is not one)."""
    return Source(
        type=SourceType.BESLUIT,
        id=str(besluit.pk),
        client=besluit.zaak.client,
        reference=f"HH-{besluit.number}-IN",
        obj=besluit,
        kind=LetterKind.INTREKKING,
    )


@dataclass(frozen=True)
class Invitation:
    """The appointment of a rechtmatigheidsonderzoek, as the consultant filled it in."""

    on: date
    at: object  # datetime.time
    place: str
    bring: str = ""


PLACE_MAX = 200
BRING_MAX = 300


def onderzoek_source(client, invitation: Invitation) -> Source:
    """The invitation to the rechtmatigheidsonderzoek a client on benefit is due for
    (decision 169); `check_source` refuses a client without a running benefit, a date in
    the past and an empty place."""
    day = invitation.on.strftime("%Y%m%d") if isinstance(invitation.on, date) else ""
    return Source(
        type=SourceType.ONDERZOEK,
        id=str(client.pk),
        client=client,
        reference=f"RO-{client.pk}-{day}",
        obj=invitation,
        kind=LetterKind.UITNODIGING_ONDERZOEK,
    )


def measure_source(measure) -> Source:
    """A handhaving row; one that a handhavingszaak's decision wrote is that decision, so
    its letter has what only the decision holds (one letter per decision, whichever page
    it is made from)."""
    from trede.benefits.handhaving.models import Besluit

    besluit = Besluit.objects.select_related("zaak__client").filter(measure=measure).first()
    if besluit is not None:
        return besluit_source(besluit)
    return Source(
        type=SourceType.MAATREGEL,
        id=str(measure.pk),
        client=measure.client,
        reference=f"HH-{measure.pk}",
        obj=measure,
    )


def kind_for_source(source: Source) -> str:
    if source.kind:
        return source.kind
    if source.type == SourceType.PLAN:
        return LetterKind.PLAN
    from .kinds import BESCHIKKING_FOR_MEASURE

    kind = BESCHIKKING_FOR_MEASURE.get(source.obj.kind)
    if kind is None:
        raise ValidationError(
            "Bij dit handhavingsbesluit is de soort niet bekend (waarschuwing, boete, maatregel of "
            "tegenprestatie): er is geen beschikking voor te maken."
        )
    return kind


def check_source(kind: str, source: Source) -> None:
    """Refuse a source that does not fit the kind (Dutch)."""
    spec = KINDS[kind]
    if kind == LetterKind.UITNODIGING_ONDERZOEK:
        _check_invitation(source)
        return
    if kind == LetterKind.INTREKKING:
        if source.type != SourceType.BESLUIT or source.obj.status != "ingetrokken":
            raise ValidationError(
                "Een intrekkingsbesluit hoort bij een ingetrokken besluit: dit besluit is niet (of nog niet: "
                "de intrekking wacht op een collega) ingetrokken."
            )
        return
    fits = {spec.source} | ({SourceType.BESLUIT} if spec.source == SourceType.MAATREGEL else set())
    if source.type not in fits:
        raise ValidationError(f"Een brief '{spec.kind}' kan niet over dit onderwerp worden gemaakt.")
    if source.type == SourceType.BESLUIT and source.obj.status != "definitief":
        raise ValidationError(
            "Een beschikking hoort bij een definitief besluit: dit besluit wacht nog op goedkeuring "
            "(vier ogen) of is teruggestuurd."
        )
    if source.type == SourceType.PLAN and source.obj.status == "vervallen":
        raise ValidationError(
            f"Versie {source.obj.version} van het plan is vervangen door een nieuwe versie: maak de brief van het plan dat nu geldt."
        )
    if source.type in (SourceType.MAATREGEL, SourceType.BESLUIT) and source.obj.kind != spec.measure_kind:
        raise ValidationError(
            f"Dit besluit is een {source.obj.get_kind_display() or 'besluit zonder soort'}, geen {spec.measure_kind}."
        )


def _check_invitation(source: Source) -> None:
    from trede.benefits.models import Benefit

    if source.type != SourceType.ONDERZOEK or not isinstance(source.obj, Invitation):
        raise ValidationError(
            "Een uitnodiging voor een rechtmatigheidsonderzoek hoort bij een klant met een uitkering."
        )
    invitation, today = source.obj, timezone.localdate()
    errors = {}
    if not isinstance(invitation.on, date):
        errors["on"] = "Vul de datum van het gesprek in."
    elif invitation.on < today:
        errors["on"] = "De datum van het gesprek ligt in het verleden. Kies vandaag of een latere dag."
    if invitation.at is None:
        errors["at"] = "Vul de tijd van het gesprek in."
    place = (invitation.place or "").strip()
    if len(place) < 3:
        errors["place"] = "Vul de plaats van het gesprek in (het adres of de naam van het gebouw)."
    elif len(place) > PLACE_MAX:
        errors["place"] = f"De plaats is {len(place)} tekens; het mogen er hoogstens {PLACE_MAX} zijn."
    if len(invitation.bring or "") > BRING_MAX:
        errors["bring"] = f"Wat de klant verder meeneemt is hoogstens {BRING_MAX} tekens."
    if errors:
        raise ValidationError(errors)
    if not Benefit.objects.filter(client=source.client).running_on(today).exists():
        raise ValidationError(
            f"{source.client.name} heeft vandaag geen uitkering: er is geen rechtmatigheidsonderzoek om voor uit te nodigen."
        )


def _invitation_values(invitation: Invitation, used) -> dict:
    computed = {
        "afspraak_datum": lambda: f"{WEEKDAYS[invitation.on.weekday()]} {dutch_date(invitation.on)}",
        "afspraak_tijd": lambda: f"{invitation.at:%H.%M} uur",
        "afspraak_plaats": lambda: " ".join(invitation.place.split()),
        "ook_meenemen": lambda: " ".join((invitation.bring or "").split()),
    }
    return {name: compute() for name, compute in computed.items() if name in used}


WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def _plan_values(plan, used) -> dict:
    values = {}
    if "plan_versie" in used:
        values["plan_versie"] = str(plan.version)
    if "plan_datum" in used:
        values["plan_datum"] = _day(plan.created_at)
    if "plan_status" in used:
        values["plan_status"] = plan.status
    if "doelen" in used:
        values["doelen"] = plan.goals
    if "afspraken" in used:
        values["afspraken"] = [
            {
                "omschrijving": a.description,
                "wie": OWNER_WORDS.get(a.owner, a.owner),
                "uiterlijk": _day(a.deadline),
                "gedaan": _day(a.done_on),
            }
            for a in plan.actions.order_by("position", "deadline", "pk")
        ]
    if "akkoord_consulent" in used:
        values["akkoord_consulent"] = _day(plan.consultant_agreed_at)
    if "akkoord_klant" in used:
        values["akkoord_klant"] = _day(plan.client_agreed_at)
    return values


def _measure_values(measure, used, *, spec, letter_date: date) -> dict:
    computed = {
        "besluitdatum": lambda: _day(measure.date),
        "reden": lambda: measure.reason,
        "wettelijke_grondslag": lambda: spec.legal_ground,
        "percentage": lambda: f"{_number(measure.percentage)}%" if measure.percentage is not None else "",
        "maanden": lambda: _number(measure.months),
        # The interchange's measures carry no amount or hours; the handhaving decision does.
        "bedrag": lambda: "",
        "uren_per_week": lambda: "",
        "bezwaar_uiterlijk": lambda: _day(rules.bezwaar_deadline(letter_date)),
    }
    return {name: compute() for name, compute in computed.items() if name in used}


def _euro(value: Decimal | None) -> str:
    if value is None:
        return ""
    whole, cents = f"{value:,.2f}".split(".")
    return f"€ {whole.replace(',', '.')},{cents}"


def _besluit_values(besluit, used, *, letter_date: date) -> dict:
    """From the decision's own beschikking record (`handhaving.selectors.beschikking`). The
    bezwaar date is the later of the decision's and six weeks after the letter's date: the
    term runs from the day the letter is sent, and a letter never states a shorter term
    than the worklist follows."""
    from trede.benefits.handhaving.selectors import beschikking

    facts = beschikking(besluit)
    computed = {
        "besluitdatum": lambda: _day(facts["decided_on"]),
        "reden": lambda: facts["motivation"],
        "wettelijke_grondslag": lambda: facts["legal_ground"],
        "percentage": lambda: f"{_number(facts['percentage'])}%" if facts["percentage"] is not None else "",
        "maanden": lambda: _number(facts["months"]),
        "bedrag": lambda: _euro(facts["amount_eur"]),
        "uren_per_week": lambda: _number(facts["hours_per_week"]),
        "bezwaar_uiterlijk": lambda: _day(
            max(d for d in (facts["bezwaar_deadline"], rules.bezwaar_deadline(letter_date)) if d is not None)
        ),
    }
    return {name: compute() for name, compute in computed.items() if name in used}


# What was withdrawn, in the words of the letter (not the decision's facts).
WITHDRAWN_WORDS = {
    "waarschuwing": "een schriftelijke waarschuwing",
    "boete": "een boete",
    "maatregel": "een verlaging van uw uitkering (maatregel)",
    "tegenprestatie": "een tegenprestatie",
}


def _withdrawal_values(besluit, used, *, letter_date: date) -> dict:
    computed = {
        "besluitdatum": lambda: _day(besluit.decided_on),
        "ingetrokken_besluit": lambda: WITHDRAWN_WORDS.get(besluit.kind, "een besluit"),
        "ingetrokken_kenmerk": lambda: f"HH-{besluit.number}",
        "reden_intrekking": lambda: besluit.withdrawal_reason,
        "intrekkingsdatum": lambda: _day(besluit.withdrawn_at),
        "bezwaar_uiterlijk": lambda: _day(rules.bezwaar_deadline(letter_date)),
    }
    return {name: compute() for name, compute in computed.items() if name in used}


def values_for(
    kind: str, source: Source | None, used: set[str], *, user, letter_date: date, municipality: str
):
    """The values of exactly the placeholders in `used`."""
    spec = KINDS[kind]
    client = source.client if source is not None else None
    common = {
        "gemeente": lambda: municipality,
        "datum_brief": lambda: dutch_date(letter_date),
        "kenmerk": lambda: source.reference,
        "naam": lambda: client.name,
        "klantnummer": lambda: client.client_id,
        "bsn": lambda: client.bsn,
        "afzender": lambda: user.get_full_name() or user.get_username(),
    }
    values = {name: compute() for name, compute in common.items() if name in used}
    if source is not None and source.type == SourceType.PLAN:
        values |= _plan_values(source.obj, used)
    elif source is not None and source.type == SourceType.MAATREGEL:
        values |= _measure_values(source.obj, used, spec=spec, letter_date=letter_date)
    elif source is not None and kind == LetterKind.UITNODIGING_ONDERZOEK:
        values |= _invitation_values(source.obj, used)
    elif source is not None and kind == LetterKind.INTREKKING:
        values |= _withdrawal_values(source.obj, used, letter_date=letter_date)
    elif source is not None and source.type == SourceType.BESLUIT:
        values |= _besluit_values(source.obj, used, letter_date=letter_date)
    missing = used - values.keys()
    if missing:  # a declared placeholder without a value for this source: a bug, not a blank
        raise RuntimeError(f"geen waarde voor {sorted(missing)} bij {kind}")
    return values


def digest(values: dict) -> str:
    stable = {k: v for k, v in values.items() if k not in DATED}
    return hashlib.sha256(json.dumps(stable, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
