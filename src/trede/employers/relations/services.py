"""Writes of the employer relationship: contact persons, agreements and contact moments.

Only the accountmanager who owns the account writes them (`perms.EMPLOYER_RELATION_EDIT`
and the account's owner), the same rule as the account's vacancies. A new record is made
once per opened form (submission key); a change carries the version the user saw (edit
token) and is refused over someone else's newer save. A contact moment is corrected with a
reason and its earlier version stays in the history table; contact persons and agreements
are kept up to date (their history table keeps every earlier version too)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.audit import logevent
from trede.utils.concurrency import claim_version, create_once, edit_token

from ..models import Employer
from .constants import AgreementKind
from .models import EmployerAgreement, EmployerContact, EmployerContactMoment

REASON_MIN_LENGTH = 5
REASON_MAX_LENGTH = 500
CONTACT_FIELDS = ("name", "function", "email", "phone", "active")
AGREEMENT_FIELDS = (
    "kind",
    "description",
    "start_date",
    "end_date",
    "target_jobs",
    "sroi_amount",
    "pso_level",
)
MOMENT_FIELDS = ("date", "kind", "contact_id", "subject", "note")
LABELS = {
    "name": "naam",
    "function": "functie",
    "email": "e-mailadres",
    "phone": "telefoonnummer",
    "active": "nog aanspreekpunt",
    "kind": "soort",
    "description": "omschrijving",
    "start_date": "ingangsdatum",
    "end_date": "einddatum",
    "target_jobs": "afgesproken plaatsingen",
    "sroi_amount": "SROI-bedrag",
    "pso_level": "PSO-niveau",
    "date": "datum",
    "contact_id": "met",
    "subject": "onderwerp",
    "note": "verslag",
}


def may_edit_relation(user, employer: Employer) -> bool:
    return perms.role_may(user, perms.EMPLOYER_RELATION_EDIT) and employer.account_manager_id == user.pk


def _check_owner(user, employer: Employer) -> None:
    perms.check(user, perms.EMPLOYER_RELATION_EDIT)
    if employer.account_manager_id != user.pk:
        raise perms.refuse(user, perms.EMPLOYER_RELATION_EDIT, purpose="werkgeversrelatie")


def _changed(record, values: dict) -> list[str]:
    return [name for name, value in values.items() if getattr(record, name) != value]


def _save_new(user, model, record_values: dict, *, employer, what: str, submission_key):
    def create(key):
        record = model(employer=employer, submission_key=key, **record_values)
        record._history_user = user
        record.save()
        logevent.employer_relation_saved(user, record, what=what, created=True, fields=[])
        return record

    with transaction.atomic():
        record, _created = create_once(model, submission_key, create)
    return record


def _save_change(user, record, values: dict, *, fields, what: str, token: str, reason: str = ""):
    with transaction.atomic():
        current = claim_version(record, token, fields, what=f"deze {what}")
        changed = _changed(current, values)
        if not changed:
            raise ValidationError("Er is niets gewijzigd.")
        for name in changed:
            setattr(current, name, values[name])
        if reason:
            current.corrected_at = timezone.now()
            current.corrected_by = user
            current.correction_reason = reason
        current._history_user = user
        current.save()
        logevent.employer_relation_saved(
            user, current, what=what, created=False, fields=[LABELS[n] for n in changed], reason=reason
        )
    return current


# --------------------------------------------------------------------------- contact persons


@dataclass(frozen=True)
class ContactInput:
    name: str
    function: str = ""
    email: str = ""
    phone: str = ""
    active: bool = True


def _contact_values(data: ContactInput) -> dict:
    name = " ".join(data.name.split())
    errors = {}
    if not name:
        errors["name"] = "Vul de naam van de contactpersoon in."
    if not (data.email.strip() or data.phone.strip()):
        errors["email"] = (
            "Vul een e-mailadres of een telefoonnummer in, zodat de contactpersoon bereikbaar is."
        )
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "function": data.function.strip(),
        "email": data.email.strip(),
        "phone": data.phone.strip(),
        "active": bool(data.active),
    }


def contact_create(*, user, employer: Employer, data: ContactInput, submission_key=None) -> EmployerContact:
    _check_owner(user, employer)
    return _save_new(
        user,
        EmployerContact,
        _contact_values(data),
        employer=employer,
        what="contactpersoon",
        submission_key=submission_key,
    )


def contact_edit_token(contact: EmployerContact) -> str:
    return edit_token(contact, CONTACT_FIELDS)


def contact_update(*, user, contact: EmployerContact, data: ContactInput, token: str) -> EmployerContact:
    _check_owner(user, contact.employer)
    return _save_change(
        user, contact, _contact_values(data), fields=CONTACT_FIELDS, what="contactpersoon", token=token
    )


# --------------------------------------------------------------------------- agreements


@dataclass(frozen=True)
class AgreementInput:
    kind: str
    start_date: date
    description: str = ""
    end_date: date | None = None
    target_jobs: int | None = None
    sroi_amount: Decimal | None = None
    pso_level: int | None = None


def _agreement_values(data: AgreementInput) -> dict:
    errors: dict[str, str] = {}
    if data.kind not in AgreementKind.values:
        errors["kind"] = "Kies de soort afspraak."
    if data.start_date is None:
        errors["start_date"] = "Vul de ingangsdatum in."
    elif data.end_date is not None and data.end_date < data.start_date:
        errors["end_date"] = "De einddatum ligt vóór de ingangsdatum."
    if data.target_jobs is not None and data.target_jobs < 1:
        errors["target_jobs"] = "Het aantal afgesproken plaatsingen is minstens 1 (of laat het leeg)."
    if data.sroi_amount is not None and data.sroi_amount <= 0:
        errors["sroi_amount"] = "Het SROI-bedrag is meer dan 0 euro (of laat het leeg)."
    # What each kind is measured by: an SROI obligation is an amount, a banenafspraak a
    # number of jobs, a PSO certificate a level. Without it the agreement cannot be followed.
    if data.kind == AgreementKind.SROI and data.sroi_amount is None:
        errors["sroi_amount"] = (
            "Een SROI-verplichting heeft een bedrag: hoeveel euro moet sociaal worden besteed?"
        )
    if data.kind in (AgreementKind.BANENAFSPRAAK, AgreementKind.WERKSTAGE) and data.target_jobs is None:
        errors["target_jobs"] = "Vul in hoeveel plaatsingen zijn afgesproken."
    if data.kind == AgreementKind.PSO and data.pso_level is None:
        errors["pso_level"] = "Kies het PSO-niveau van het certificaat."
    if data.kind != AgreementKind.PSO and data.pso_level is not None:
        errors["pso_level"] = "Een PSO-niveau hoort alleen bij een PSO-afspraak."
    if errors:
        raise ValidationError(errors)
    return {
        "kind": data.kind,
        "description": " ".join(data.description.split()),
        "start_date": data.start_date,
        "end_date": data.end_date,
        "target_jobs": data.target_jobs,
        "sroi_amount": data.sroi_amount,
        "pso_level": data.pso_level,
    }


def agreement_create(
    *, user, employer: Employer, data: AgreementInput, submission_key=None
) -> EmployerAgreement:
    _check_owner(user, employer)
    values = _agreement_values(data) | {"created_by": user}
    return _save_new(
        user, EmployerAgreement, values, employer=employer, what="afspraak", submission_key=submission_key
    )


def agreement_edit_token(agreement: EmployerAgreement) -> str:
    return edit_token(agreement, AGREEMENT_FIELDS)


def agreement_update(
    *, user, agreement: EmployerAgreement, data: AgreementInput, token: str
) -> EmployerAgreement:
    _check_owner(user, agreement.employer)
    return _save_change(
        user, agreement, _agreement_values(data), fields=AGREEMENT_FIELDS, what="afspraak", token=token
    )


# --------------------------------------------------------------------------- contact moments


@dataclass(frozen=True)
class MomentInput:
    date: date
    kind: str
    subject: str
    note: str = ""
    contact: EmployerContact | None = None


def _moment_values(data: MomentInput, *, employer: Employer, today: date) -> dict:
    from .constants import MomentKind

    errors: dict[str, str] = {}
    if data.date is None:
        errors["date"] = "Vul de datum van het contact in."
    elif data.date > today:
        errors["date"] = "Een contact in de toekomst kan nog niet worden vastgelegd."
    if data.kind not in MomentKind.values:
        errors["kind"] = "Kies de soort contact."
    subject = " ".join((data.subject or "").split())
    if not subject:
        errors["subject"] = "Vul het onderwerp in."
    if data.contact is not None and data.contact.employer_id != employer.pk:
        errors["contact"] = "Deze contactpersoon hoort niet bij deze werkgever."
    if errors:
        raise ValidationError(errors)
    return {
        "date": data.date,
        "kind": data.kind,
        "subject": subject,
        "note": (data.note or "").strip(),
        "contact_id": data.contact.pk if data.contact is not None else None,
    }


def moment_create(
    *, user, employer: Employer, data: MomentInput, submission_key=None, today: date | None = None
) -> EmployerContactMoment:
    _check_owner(user, employer)
    values = _moment_values(data, employer=employer, today=today or timezone.localdate())
    return _save_new(
        user,
        EmployerContactMoment,
        values | {"created_by": user},
        employer=employer,
        what="contact",
        submission_key=submission_key,
    )


def moment_edit_token(moment: EmployerContactMoment) -> str:
    return edit_token(moment, MOMENT_FIELDS)


def _valid_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": f"Geef een reden voor de correctie (minstens {REASON_MIN_LENGTH} tekens): wat was er niet juist?"
            }
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"De reden is te lang: ten hoogste {REASON_MAX_LENGTH} tekens."})
    return reason


def moment_correct(
    *,
    user,
    moment: EmployerContactMoment,
    data: MomentInput,
    token: str,
    reason: str,
    today: date | None = None,
) -> EmployerContactMoment:
    """Correct a recorded contact with a reason; the version before stays in the history."""
    _check_owner(user, moment.employer)
    values = _moment_values(data, employer=moment.employer, today=today or timezone.localdate())
    return _save_change(
        user, moment, values, fields=MOMENT_FIELDS, what="contact", token=token, reason=_valid_reason(reason)
    )
