"""Writes of placements: recorded by the consultant who works the file (from the file, or
from a hired voordracht, prefilled), corrected with a reason (the version before stays in
the history), the nazorg contacts, and the accountmanager's 'gezien'.

The subsidy's rules are checked here, not in the form: LKS needs a wage value under
100 %; a proefplaatsing has an end within the preset's maximum and is followed by a
contract of at least six months (`rules.proef_followed`); part-time work beside a
supplementary benefit is a placement (the benefit runs on: no outflow). A second active
jobcoach at one employer is a warning, never a refusal (decision 176).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.audit import events, logevent
from trede.utils.concurrency import claim_version, create_once, edit_token

from ..constants import Contract, Subsidy, VoordrachtStatus
from ..models import Employer, NazorgContact, Placement, Vacancy, Voordracht
from . import rules
from .settings import placement_settings

# What the correction form shows (a refusal over a newer save names what changed).
FIELDS = (
    "employer",
    "vacancy",
    "start_date",
    "end_date",
    "contract",
    "hours_per_week",
    "subsidy",
    "wage_value_pct",
    "supplementary_benefit",
    "jobcoach",
    "jobcoach_name",
)
HOURS_MAX = Decimal("60")
REASON_MIN, REASON_MAX = 5, 500
REMARKS_MAX = 2000
YEARS_BACK, YEARS_AHEAD = 10, 2  # plausibility bounds against a mistyped year, not policy


@dataclass(frozen=True)
class PlacementInput:
    employer: Employer
    start_date: date
    contract: str
    hours_per_week: Decimal | None
    vacancy: Vacancy | None = None
    end_date: date | None = None
    subsidy: str = Subsidy.GEEN
    wage_value_pct: Decimal | None = None
    supplementary_benefit: bool = False
    jobcoach: object | None = None  # a staff user
    jobcoach_name: str = ""


@dataclass
class Saved:
    placement: Placement
    warnings: list[str] = field(default_factory=list)
    created: bool = True


def _validated(data: PlacementInput, *, today: date, config: dict) -> PlacementInput:
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.employer is None:
        refuse("employer", "Kies de werkgever.")
    if (
        data.vacancy is not None
        and data.employer is not None
        and data.vacancy.employer_id != data.employer.pk
    ):
        refuse("vacancy", "Deze vacature hoort bij een andere werkgever.")
    if data.contract not in Contract.values:
        refuse("contract", "Kies de soort contract.")
    if data.subsidy not in Subsidy.values:
        refuse("subsidy", "Kies de subsidie (of ‘geen’).")
    start, end = data.start_date, data.end_date
    if start is None:
        refuse("start_date", "Vul de startdatum in.")
    elif not (today.year - YEARS_BACK <= start.year <= today.year + YEARS_AHEAD):
        refuse(
            "start_date",
            f"De startdatum ligt ten hoogste {YEARS_BACK} jaar terug en {YEARS_AHEAD} jaar vooruit.",
        )
    if start is not None and end is not None and end < start:
        refuse("end_date", "De einddatum ligt na de startdatum.")
    hours = data.hours_per_week
    if hours is None:
        refuse("hours_per_week", "Vul de uren per week in.")
    elif not (0 < hours <= HOURS_MAX):
        refuse("hours_per_week", f"Uren per week liggen tussen 0 en {HOURS_MAX}.")
    wage = data.wage_value_pct
    if wage is not None and not (0 < wage <= 100):
        refuse("wage_value_pct", "De loonwaarde ligt tussen 0 en 100 % van het wettelijk minimumloon.")
    if data.subsidy == Subsidy.LKS:
        if wage is None:
            refuse("wage_value_pct", "Bij loonkostensubsidie hoort de vastgestelde loonwaarde.")
        elif wage >= 100:
            refuse("wage_value_pct", "Bij een loonwaarde van 100 % is er geen loonkostensubsidie.")
    proef = data.contract == Contract.PROEFPLAATSING or data.subsidy == Subsidy.PROEFPLAATSING
    max_months = int(config["proefplaatsing_max_months"])
    if proef and start is not None:
        if end is None:
            refuse("end_date", f"Een proefplaatsing heeft een einddatum (ten hoogste {max_months} maanden).")
        elif rules.proef_too_long(start, end, max_months):
            refuse("end_date", f"Een proefplaatsing duurt ten hoogste {max_months} maanden.")
    if data.subsidy == Subsidy.PROEFPLAATSING and data.contract not in (Contract.PROEFPLAATSING, ""):
        refuse("contract", "Een proefplaatsing met subsidie heeft contractsoort ‘proefplaatsing’.")
    name = " ".join((data.jobcoach_name or "").split())
    if data.jobcoach is not None and name:
        refuse("jobcoach_name", "Kies een medewerker als jobcoach of vul een naam in, niet allebei.")
    if len(name) > 200:
        refuse("jobcoach_name", "De naam van de jobcoach is te lang (ten hoogste 200 tekens).")
    if errors:
        raise ValidationError(errors)
    return PlacementInput(**{**data.__dict__, "jobcoach_name": name, "wage_value_pct": wage})


def _apply(placement: Placement, data: PlacementInput) -> list[str]:
    changed = []
    values = {
        "employer": data.employer,
        "vacancy": data.vacancy,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "contract": data.contract,
        "hours_per_week": data.hours_per_week,
        "subsidy": data.subsidy,
        "wage_value_pct": data.wage_value_pct,
        "supplementary_benefit": data.supplementary_benefit,
        "jobcoach": data.jobcoach,
        "jobcoach_name": data.jobcoach_name,
    }
    for name, value in values.items():
        old = (
            getattr(placement, f"{name}_id")
            if name in ("employer", "vacancy", "jobcoach")
            else getattr(placement, name)
        )
        new = getattr(value, "pk", value) if name in ("employer", "vacancy", "jobcoach") else value
        if old != new:
            setattr(placement, name, value)
            changed.append(str(Placement._meta.get_field(name).verbose_name))
    return changed


def jobcoach_warnings(placement: Placement, *, day: date) -> list[str]:
    """A second jobcoach at one employer (seed 001 §2.4: one jobcoach per employer): the
    other placements there running on `day` (or on the placement's start, if later) with a
    different jobcoach."""
    coach = (placement.jobcoach_id, placement.jobcoach_name.casefold())
    if placement.employer_id is None or coach == (None, ""):
        return []
    on = max(day, placement.start_date)
    others = (
        Placement.objects.filter(employer_id=placement.employer_id)
        .exclude(pk=placement.pk)
        .running_on(on)
        .select_related("jobcoach")
    )
    names = set()
    for other in others:
        theirs = (other.jobcoach_id, other.jobcoach_name.casefold())
        if theirs != (None, "") and theirs != coach:
            names.add(other.jobcoach_shown)
    if not names:
        return []
    return [
        f"Let op: bij {placement.employer} is al een andere jobcoach actief ({', '.join(sorted(names))}). "
        "De afspraak is één jobcoach per werkgever; overleg met de accountmanager."
    ]


def _new_id() -> str:
    return f"PT{uuid.uuid4().hex[:10].upper()}"


def hired_voordracht(voordracht: Voordracht | None, client) -> Voordracht | None:
    if (
        voordracht is None
        or voordracht.client_id != client.pk
        or voordracht.status != VoordrachtStatus.AANGENOMEN
    ):
        return None
    return voordracht


def placement_record(
    *,
    user,
    client,
    data: PlacementInput,
    voordracht: Voordracht | None = None,
    submission_key=None,
    today: date | None = None,
) -> Saved:
    perms.check(user, perms.PLACEMENT_RECORD, client, purpose=events.PLACEMENTS)
    today = today or timezone.localdate()
    data = _validated(data, today=today, config=placement_settings())
    if voordracht is not None and hired_voordracht(voordracht, client) is None:
        raise ValidationError("Een plaatsing volgt alleen uit een voordracht met uitkomst ‘aangenomen’.")
    if voordracht is not None and Placement.objects.filter(voordracht=voordracht).exists():
        existing = Placement.objects.get(voordracht=voordracht)
        if submission_key is None or existing.submission_key != submission_key:
            raise ValidationError("Bij deze voordracht is de plaatsing al vastgelegd.")

    def create(key):
        placement = Placement(
            placement_id=_new_id(),
            client=client,
            voordracht=voordracht,
            created_by=user,
            created_at=timezone.now(),
            submission_key=key,
        )
        _apply(placement, data)
        placement._history_user = user
        placement.save(force_insert=True)
        logevent.placement_recorded(user, placement)
        return placement

    try:
        placement, created = create_once(Placement, submission_key, create)
    except IntegrityError as error:
        raise ValidationError("Bij deze voordracht is de plaatsing zojuist al vastgelegd.") from error
    return Saved(placement, jobcoach_warnings(placement, day=today), created)


def placement_edit_token(placement: Placement) -> str:
    return edit_token(placement, FIELDS)


def placement_correct(
    *, user, placement: Placement, data: PlacementInput, token: str, reason: str, today: date | None = None
) -> Saved:
    perms.check(user, perms.PLACEMENT_CORRECT, placement.client, purpose=events.PLACEMENTS)
    today = today or timezone.localdate()
    data = _validated(data, today=today, config=placement_settings())
    reason = " ".join((reason or "").split())
    if not (REASON_MIN <= len(reason) <= REASON_MAX):
        raise ValidationError(
            {"reason": f"Geef de reden van de correctie ({REASON_MIN} tot {REASON_MAX} tekens)."}
        )
    with transaction.atomic():
        current = claim_version(placement, token, FIELDS, what="deze plaatsing")
        changed = _apply(current, data)
        if not changed:
            raise ValidationError("Er is niets gewijzigd: pas een gegeven van de plaatsing aan.")
        current.corrected_at = timezone.now()
        current.corrected_by = user
        current.correction_reason = reason
        current._history_user = user
        current.save()
        logevent.placement_corrected(user, current, changed=changed, reason=reason)
    return Saved(current, jobcoach_warnings(current, day=today), False)


def moment_label(months: int) -> str:
    if months == rules.PROEF_END_MOMENT:
        return "afloop proefplaatsing"
    return f"na {months} maand" + ("en" if months != 1 else "")


def nazorg_register(
    *,
    user,
    placement: Placement,
    moment_months: int,
    contact_date: date,
    still_at_work: bool,
    remarks: str = "",
    submission_key=None,
    today: date | None = None,
) -> NazorgContact:
    perms.check(user, perms.NAZORG_REGISTER, placement.client, purpose=events.PLACEMENTS)
    today = today or timezone.localdate()
    config = placement_settings()
    allowed = {m for m, _d in rules.nazorg_moments(placement.start_date, config["nazorg_months"])}
    if placement.is_proefplaatsing:
        allowed = {rules.PROEF_END_MOMENT}
    errors: dict[str, list[str]] = {}
    if moment_months not in allowed:
        errors["moment_months"] = ["Kies een nazorgmoment van deze plaatsing."]
    if contact_date is None or contact_date > today:
        errors["contact_date"] = ["De datum van het contact ligt niet in de toekomst."]
    elif contact_date < placement.start_date:
        errors["contact_date"] = ["Het nazorgcontact ligt na de start van de plaatsing."]
    remarks = (remarks or "").strip()
    if len(remarks) > REMARKS_MAX:
        errors["remarks"] = [f"De opmerkingen zijn te lang (ten hoogste {REMARKS_MAX} tekens)."]
    if errors:
        raise ValidationError(errors)
    existing = NazorgContact.objects.filter(placement=placement, moment_months=moment_months).first()
    if existing is not None and (submission_key is None or existing.submission_key != submission_key):
        raise ValidationError(f"Het nazorgcontact {moment_label(moment_months)} is al vastgelegd.")

    def create(key):
        contact = NazorgContact(
            placement=placement,
            moment_months=moment_months,
            date=contact_date,
            still_at_work=still_at_work,
            remarks=remarks,
            registered_by=user,
            submission_key=key,
        )
        contact._history_user = user
        contact.save(force_insert=True)
        logevent.nazorg_registered(user, contact, moment=moment_label(moment_months))
        return contact

    try:
        contact, _created = create_once(NazorgContact, submission_key, create)
    except IntegrityError as error:
        raise ValidationError(
            f"Het nazorgcontact {moment_label(moment_months)} is zojuist al vastgelegd."
        ) from error
    return contact


def placement_signal_seen(*, user, placement: Placement) -> Placement:
    perms.check(user, perms.PLACEMENT_SIGNAL_SEEN)
    if placement.employer is None or placement.employer.account_manager_id != user.pk:
        raise ValidationError("Deze plaatsing is niet bij een van uw werkgeversaccounts.")
    with transaction.atomic():
        moved = Placement.objects.filter(pk=placement.pk, account_manager_seen_at__isnull=True).update(
            account_manager_seen_at=timezone.now()
        )
        if moved:
            placement.refresh_from_db()
            logevent.placement_signal_seen(user, placement)
    return placement


def default_end(start: date) -> date:
    """The prefilled end of a proefplaatsing: the preset's maximum."""
    return rules.add_months(start, int(placement_settings()["proefplaatsing_max_months"]))
