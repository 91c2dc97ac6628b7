"""Writes of the intake: melding/aanvraag, questionnaire, diagnosis, override and route.

Every write and its audit row happen in one transaction. Services check the caller's
right to change the client (`may_do_intake`) themselves too, so no view can forget it.
Diagnoses are never changed: an override is a new Diagnosis, and so is every new
calculation (seed 001 §2.2: the consultant's judgement prevails, with a reason).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.db.models.functions import Length
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.audit import events, logevent
from trede.clients.constants import Gender
from trede.clients.models import Client
from trede.clients.validators import validate_bsn
from trede.utils.concurrency import StaleEditError, changes_since, claim_version, create_once, edit_token

from ..constants import (
    DIAGNOSIS_OVERRIDABLE,
    ApplicationKind,
    ApplicationStatus,
    AssessedBy,
    Category,
    ClientGroup,
    Route,
)
from ..policy.rules import classify, route_advice
from ..policy.selectors import active_policy
from . import limits
from .models import Application, Diagnosis, Questionnaire, RouteDecision, new_token
from .questionnaire import (
    DEFERRED,
    PROFILE_FIELD_LABELS,
    PROFILE_SOURCES,
    QUESTION_BY_ID,
    AnswerError,
    answer_status,
    answers_clean,
    missing_by_domain,
    missing_message,
    profile_values,
)
from .scoring import ladder_target_for, score
from .selectors import (
    answer_moments,
    benefit_months,
    consultant_of,
    diagnoses_of,
    may_register,
    profile_field_origin,
)

QUESTIONNAIRE_LINK_DAYS = 14
# The change reason of a profile value written from answers (a later questionnaire replaces it).
PROFILE_CHANGE_REASON = "vragenlijst"
CLIENT_ID_PREFIX = "T"
DIAGNOSIS_ID_PREFIX = "TD"
ID_WIDTH = 6

OVERRIDABLE = DIAGNOSIS_OVERRIDABLE

CLASSIFICATION_FIELDS = ("category", "route", "client_group")

_STATUS_ORDER = [
    ApplicationStatus.NIEUW,
    ApplicationStatus.VRAGENLIJST,
    ApplicationStatus.INTAKE,
    ApplicationStatus.DIAGNOSE,
    ApplicationStatus.AFGEROND,
]


class QuestionnaireLinkError(Exception):
    """A self-service link that cannot be used (unknown, expired or already used); Dutch message."""


class IncompleteQuestionnaire(ValidationError):
    """Required questions still open (`missing`: per life domain); nothing was saved."""

    def __init__(self, missing, *, for_applicant: bool):
        super().__init__(missing_message(missing, for_applicant=for_applicant), code="incomplete")
        self.missing = missing


def _require_complete(answers: Mapping[str, str], *, for_applicant: bool) -> None:
    missing = missing_by_domain(answers, allow_open=for_applicant)
    if missing:
        raise IncompleteQuestionnaire(missing, for_applicant=for_applicant)


def _intake_write(client_of):
    """Check the right to change the client, then run the service in one transaction.

    The check comes first, outside the transaction, so that the audit row of a refusal is
    kept when the refusal is raised.
    """

    def decorate(service):
        @functools.wraps(service)
        def wrapper(**kwargs):
            client = client_of(kwargs)
            if client is not None:
                perms.check(kwargs["user"], perms.INTAKE_WRITE, client, purpose=events.INTAKE)
            elif service.__name__ == "application_register" and kwargs.get("client_data") is not None:
                # A new applicant: the right to register, before the transaction too.
                perms.check(kwargs["user"], perms.INTAKE_REGISTER, purpose=events.INTAKE)
            with transaction.atomic():
                return service(**kwargs)

        return wrapper

    return decorate


def _next_id(model: type[models.Model], prefix: str) -> str:
    """The prefix and the next number after the highest existing id of that form."""
    field = model._meta.pk.name
    last = (
        model.objects.filter(**{f"{field}__regex": rf"^{prefix}[0-9]+$"})
        .annotate(_len=Length(field))
        .order_by("-_len", f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    number = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:0{ID_WIDTH}d}"


def _create_with_new_id(model: type[models.Model], prefix: str, **fields) -> models.Model:
    """Create a row with a fresh sequential id; retry when a concurrent write took the number."""
    field = model._meta.pk.name
    for _attempt in range(5):
        candidate = _next_id(model, prefix)
        try:
            with transaction.atomic():
                return model.objects.create(**{field: candidate}, **fields)
        except IntegrityError:
            if not model.objects.filter(pk=candidate).exists():
                raise
    raise IntegrityError(f"Geen vrij nummer gevonden voor {model._meta.verbose_name}.")


def _advance(application: Application | None, status: str) -> None:
    """Move an application forward in the intake (never back)."""
    if application is None:
        return
    if _STATUS_ORDER.index(status) > _STATUS_ORDER.index(application.status):
        application.status = status
        application.save(update_fields=["status"])


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _today(today: date | None) -> date:
    return today or timezone.localdate()


CLIENT_FIELDS = ("given_name", "family_name", "birth_date", "bsn", "gender", "statushouder", "postcode4")


def _registration_problems(*, received_on, note: str, client_data: Mapping | None, today: date) -> dict:
    """Implausible input of a registration, field by field, in Dutch (empty: none)."""
    problems = {
        "received_on": "Vul de datum van ontvangst in."
        if not isinstance(received_on, date)
        else limits.date_problem(received_on, label="De datum van ontvangst", today=today, future=None),
        "note": limits.text_problem(note, label="De toelichting", max_length=limits.NOTE_MAX_LENGTH),
    }
    if client_data is None:
        return problems
    for field, label, length in (("given_name", "De voornaam", 100), ("family_name", "De achternaam", 150)):
        value = (client_data.get(field) or "").strip()
        problems[field] = (
            f"Vul {label.lower()} in."
            if not value
            else limits.text_problem(value, label=label, max_length=length)
        )
    birth_date = client_data.get("birth_date")
    if not isinstance(birth_date, date):
        problems["birth_date"] = "Vul de geboortedatum in."
    elif birth_date < limits.EARLIEST_DATE:
        problems["birth_date"] = "De geboortedatum kan niet voor 1900 liggen."
    elif isinstance(received_on, date) and not problems["received_on"]:
        problems["birth_date"] = limits.birth_date_problem(birth_date, on=received_on)
    postcode = (client_data.get("postcode4") or "").strip()
    if postcode and not (len(postcode) == 4 and postcode.isascii() and postcode.isdigit()):
        problems["postcode4"] = "Vul de 4 cijfers van de postcode in."
    if (client_data.get("gender") or "") not in ("", *Gender.values):
        problems["gender"] = "Kies een van de mogelijkheden."
    if client_data.get("statushouder") not in (None, True, False):
        problems["statushouder"] = "Kies ja, nee of onbekend."
    return problems


@_intake_write(lambda kw: kw.get("client"))
def application_register(
    *,
    user,
    kind: str,
    received_on: date,
    client: Client | None = None,
    client_data: Mapping | None = None,
    note: str = "",
    submission_key=None,
    today: date | None = None,
) -> Application:
    """Register a melding or aanvraag, for an existing client or a new one.

    A new client gets the next number "T000001", … and becomes the registering
    consultant's caseload. An existing client must be in the consultant's caseload.
    `submission_key` is the key of the opened form: a second submit of that form (back
    button, double click) returns the application the first one made, and creates no
    second application or client.
    """
    if kind not in ApplicationKind.values:
        raise ValidationError({"kind": "Kies melding of aanvraag."})
    if (client is None) == (client_data is None):
        raise ValueError("Geef een bestaande klant of de gegevens van een nieuwe klant.")
    if client is None and not may_register(user):
        raise PermissionDenied(
            "Alleen een werkconsulent met een eigen caseload kan een nieuwe melding registreren."
        )
    if client_data is not None:
        unknown = set(client_data) - set(CLIENT_FIELDS)
        if unknown:
            raise ValueError(f"Onbekende gegevens: {', '.join(sorted(unknown))}")
    note = (note or "").strip()
    limits.refuse(
        _registration_problems(
            received_on=received_on, note=note, client_data=client_data, today=_today(today)
        )
    )

    def create(key) -> Application:
        owner = client if client is not None else _client_create(user=user, data=client_data)
        application = Application.objects.create(
            client=owner,
            kind=kind,
            received_on=received_on,
            consultant=owner.consultant,
            note=note,
            created_by=user,
            submission_key=key,
        )
        logevent.application_registered(user, application)
        return application

    application, _created = create_once(Application, submission_key, create)
    if client is not None and application.client_id != client.pk:
        # A key that made another client's application: not this form's first submit.
        raise ValidationError("Dit formulier is al gebruikt. Open de pagina opnieuw.")
    return application


def _client_create(*, user, data: Mapping) -> Client:
    bsn = (data.get("bsn") or "").strip()
    validate_bsn(bsn)
    if bsn and Client.objects.filter(bsn=bsn).exists():
        raise ValidationError(
            {
                "bsn": "Dit BSN is al bekend in Trede. Registreer de melding vanuit het dossier van de klant, "
                "of vraag de huidige consulent om de klant over te dragen."
            }
        )
    fields = {
        "given_name": (data.get("given_name") or "").strip(),
        "family_name": (data.get("family_name") or "").strip(),
        "birth_date": data["birth_date"],
        "bsn": bsn,
        "gender": data.get("gender") or "",
        "statushouder": data.get("statushouder"),
        "postcode4": (data.get("postcode4") or "").strip(),
        "consultant": consultant_of(user),
    }
    client = _create_with_new_id(Client, CLIENT_ID_PREFIX, **fields)
    logevent.client_registered(user, client, consultant_id=fields["consultant"].pk)
    return client


def _open_questionnaire(application: Application) -> Questionnaire | None:
    return application.questionnaires.order_by("-created_at", "-id").first()


@_intake_write(lambda kw: kw["application"].client)
def questionnaire_start(*, user, application: Application) -> Questionnaire:
    """The application's questionnaire; a new one (without a link) when there is none yet."""
    questionnaire = _open_questionnaire(application)
    if questionnaire is not None:
        return questionnaire
    questionnaire = Questionnaire.objects.create(client=application.client, application=application)
    logevent.questionnaire_started(user, questionnaire)
    return questionnaire


@_intake_write(lambda kw: kw["application"].client)
def questionnaire_send(*, user, application: Application, now: datetime | None = None) -> Questionnaire:
    """A self-service link, valid for 14 days; a new link makes an earlier one unusable."""
    now = _now(now)
    questionnaire = _open_questionnaire(application)
    if questionnaire is not None and questionnaire.completed_at:
        raise ValidationError("De vragenlijst is al afgerond in het intakegesprek.")
    if questionnaire is not None and questionnaire.submitted_by_client_at:
        raise ValidationError(
            "De inwoner heeft de vragenlijst al ingevuld. Rond die af in het intakegesprek."
        )
    if questionnaire is None:
        questionnaire = Questionnaire(client=application.client, application=application)
    # An earlier link, still valid or expired, is replaced: its token no longer exists.
    replaced = questionnaire.token_valid_until is not None
    questionnaire.token = new_token()
    questionnaire.token_valid_until = now + timedelta(days=QUESTIONNAIRE_LINK_DAYS)
    questionnaire.save()
    _advance(application, ApplicationStatus.VRAGENLIJST)
    logevent.questionnaire_link_made(user, questionnaire, replaced=replaced)
    return questionnaire


def questionnaire_link_check(questionnaire: Questionnaire | None, *, now: datetime | None = None) -> None:
    """Raise QuestionnaireLinkError, in plain Dutch, when the link cannot be used (any more)."""
    now = _now(now)
    if questionnaire is None or questionnaire.token_valid_until is None:
        raise QuestionnaireLinkError(
            "Deze link werkt niet. Controleer of u de hele link heeft overgenomen, "
            "of vraag uw consulent om een nieuwe link."
        )
    if questionnaire.submitted_by_client_at is not None:
        raise QuestionnaireLinkError(
            "U heeft deze vragenlijst al ingestuurd. Dank u wel! Wilt u iets veranderen? "
            "Dat kan in het gesprek met uw consulent."
        )
    if questionnaire.completed_at is not None:
        raise QuestionnaireLinkError("Deze vragenlijst is al ingevuld in het gesprek met uw consulent.")
    if now >= questionnaire.token_valid_until:
        day = timezone.localtime(questionnaire.token_valid_until).strftime("%d-%m-%Y")
        raise QuestionnaireLinkError(
            f"Deze link is verlopen op {day}. Vraag uw consulent om een nieuwe link."
        )


@transaction.atomic
def questionnaire_submit_by_client(
    *, token: str, answers: Mapping, now: datetime | None = None
) -> Questionnaire:
    """The applicant sends the questionnaire through the link (no login); the link is then used up."""
    now = _now(now)
    questionnaire = (
        Questionnaire.objects.select_for_update().filter(token=token).first()
        if token and len(token) <= 64
        else None
    )
    questionnaire_link_check(questionnaire, now=now)
    try:
        clean = answers_clean(answers, allow_open=True)
    except AnswerError as exc:
        raise ValidationError(str(exc)) from exc
    # Refused before anything is saved: the link keeps working for a complete answer.
    _require_complete(clean, for_applicant=True)
    questionnaire.answers = clean
    questionnaire.submitted_by_client_at = now
    questionnaire.token_valid_until = now  # used: the link no longer works
    questionnaire.save()
    deferred = sum(1 for key in clean if answer_status(QUESTION_BY_ID[key], clean) == DEFERRED)
    logevent.questionnaire_submitted(questionnaire, answered=len(clean) - deferred, deferred=deferred)
    return questionnaire


@_intake_write(lambda kw: kw["questionnaire"].client)
def questionnaire_complete(
    *, user, questionnaire: Questionnaire, answers: Mapping, now: datetime | None = None
) -> Questionnaire:
    """The consultant completes the questionnaire with the applicant in the intake conversation.

    Every choice question needs an answer (no "liever bespreken": this is that conversation).
    """
    now = _now(now)
    try:
        clean = answers_clean(answers, allow_open=False)
    except AnswerError as exc:
        raise ValidationError(str(exc)) from exc
    _require_complete(clean, for_applicant=False)
    questionnaire.refresh_from_db(fields=["answers"])  # changed against what is stored, not a stale copy
    changed = sorted(
        key
        for key in set(clean) | set(questionnaire.answers)
        if questionnaire.answers.get(key) != clean.get(key)
    )
    questionnaire.answers = clean
    questionnaire.completed_at = now
    questionnaire.completed_by = user
    if questionnaire.token_valid_until and questionnaire.token_valid_until > now:
        questionnaire.token_valid_until = now  # the open link cannot overwrite the intake any more
    questionnaire.save()
    _advance(questionnaire.application, ApplicationStatus.INTAKE)
    logevent.questionnaire_completed(user, questionnaire, changed_questions=changed)
    questionnaire.profile_fill = _profile_from_questionnaire(user=user, questionnaire=questionnaire)
    return questionnaire


@dataclass(frozen=True)
class ProfileFill:
    """What the answers wrote into the client's file, and what they left as recorded."""

    filled: tuple[tuple[str, str], ...] = ()  # (Dutch field name, new value's label)
    kept: tuple[tuple[str, str, datetime | None], ...] = ()  # (name, recorded value's label, recorded at)

    def message(self) -> str:
        parts = []
        if self.filled:
            parts.append(
                "Overgenomen in het dossier: "
                + ", ".join(f"{name} ({value})" for name, value in self.filled)
                + "."
            )
        if self.kept:
            kept = ", ".join(
                f"{name} ({value}, vastgelegd {timezone.localtime(at):%d-%m-%Y})"
                if at
                else f"{name} ({value})"
                for name, value, at in self.kept
            )
            parts.append(f"Niet overgenomen, want later vastgelegd dan het antwoord: {kept}.")
        return " ".join(parts)


def _profile_label(client: Client, field: str) -> str:
    value = getattr(client, field)
    if field == "dgr":
        return "ja" if value else "nee"
    return str(getattr(client, f"get_{field}_display")())


def _profile_from_questionnaire(*, user, questionnaire: Questionnaire) -> ProfileFill:
    """Write the completed answers into the client's profile (education, Dutch language,
    doelgroepregister, household); decision 30 in docs/decisions.md.

    A field takes the answer when it is empty or "onbekend", when its value came from an
    earlier questionnaire, or when it was recorded before the answer was given. A value a
    person recorded after the answer (or at a moment the history does not show) stays, and
    an answer never takes away a registered indication (UWV's register, which an applicant
    may not know they are in).
    """
    client = Client.objects.select_for_update().get(pk=questionnaire.client_id)
    moments = answer_moments(questionnaire)
    written: list[str] = []
    kept: list[tuple[str, str, datetime | None]] = []
    for field, value in profile_values(questionnaire.answers).items():
        current = getattr(client, field)
        if current == value:
            continue
        if current not in ("", None, "onbekend"):
            answered_at = max(moments[q] for q in PROFILE_SOURCES[field] if q in moments)
            recorded_at, reason = profile_field_origin(client, field)
            from_answers = reason.startswith(PROFILE_CHANGE_REASON)
            registered = field == "dgr" and current is True
            if registered or (not from_answers and (recorded_at is None or recorded_at >= answered_at)):
                kept.append((PROFILE_FIELD_LABELS[field], _profile_label(client, field), recorded_at))
                continue
        setattr(client, field, value)
        written.append(field)
    if written:
        client._change_reason = f"{PROFILE_CHANGE_REASON} {questionnaire.pk}"
        client.save(update_fields=written)
    filled = [(PROFILE_FIELD_LABELS[f], _profile_label(client, f)) for f in written]
    if filled or kept:
        logevent.client_profile_filled(
            user, questionnaire, filled=[name for name, _v in filled], kept=[name for name, _v, _at in kept]
        )
    return ProfileFill(filled=tuple(filled), kept=tuple(kept))


def _indicated(answers: Mapping, client: Client) -> bool | None:
    """An indication for beschut werk or the banenafspraak: the answer, else the registry."""
    if answers.get("indicatie") == "ja" or client.dgr:
        return True
    if answers.get("indicatie") == "nee" or client.dgr is False:
        return False
    return None


def _group(code: str) -> str:
    return code if code in ClientGroup.values else ""


@_intake_write(lambda kw: kw["questionnaire"].client)
def diagnosis_from_questionnaire(
    *, user, questionnaire: Questionnaire, today: date | None = None, submission_key=None
) -> Diagnosis:
    """The tool's diagnosis from a completed questionnaire, with its explanation in tool_result.

    `submission_key`: the key of the form that asked for it, so a second submit returns the
    diagnosis the first one made."""
    client = questionnaire.client
    if questionnaire.completed_at is None:
        raise ValidationError("Rond eerst de vragenlijst af in het intakegesprek.")
    today = _today(today)
    answers = dict(questionnaire.answers)
    months_on_benefit = benefit_months(client=client, on=today)
    policy = active_policy()
    result = score(answers, months_on_benefit, policy.config)
    indicated = _indicated(answers, client)
    classification = classify(
        months_to_work=result.months_to_work,
        ladder_step=result.ladder_step,
        dgr=indicated,
        config=policy.config,
    )
    computed = {
        "months_to_work": result.months_to_work,
        "ladder_step": result.ladder_step,
        "ladder_target": result.ladder_target,
        "wage_value_pct": result.wage_value_pct,
        "wage_value_band": result.wage_value_band,
        "wage_value_band_label": result.wage_value_band_label,
        "category": classification.category,
        "route": classification.route,
        "client_group": _group(classification.client_group),
    }
    tool_result = {
        "model": result.model,
        "preset": {"key": policy.key, "name": policy.name},
        "computed": computed,
        "months_total": result.months_total,
        "contributions": [
            {
                "question_id": c.question_id,
                "question": c.question,
                "answer": c.answer,
                "answer_label": c.answer_label,
                "months": c.months,
                "wage_points": c.wage_points,
                "ladder": c.ladder,
            }
            for c in result.contributions
        ],
        "notes": list(result.notes),
        "missing": list(result.missing),
        "benefit_months": months_on_benefit,
        "indicated": indicated,
        "answers": answers,
    }

    def create(key) -> Diagnosis:
        _supersede_diagnoses(client)
        diagnosis = _create_with_new_id(
            Diagnosis,
            DIAGNOSIS_ID_PREFIX,
            client=client,
            date=today,
            months_to_work=result.months_to_work,
            ladder_step=result.ladder_step,
            ladder_target=result.ladder_target,
            wage_value_pct=Decimal(result.wage_value_pct),
            assessed_by=AssessedBy.TOOL,
            category=classification.category,
            route=classification.route,
            client_group=_group(classification.client_group),
            questionnaire=questionnaire,
            tool_result=tool_result,
            created_by=user,
            submission_key=key,
        )
        _advance(questionnaire.application, ApplicationStatus.DIAGNOSE)
        logevent.diagnosis_calculated(user, diagnosis, preset_key=policy.key)
        return diagnosis

    diagnosis, _created = create_once(Diagnosis, submission_key, create)
    return diagnosis


# Lost updates on diagnoses (issue 7, point 5). A diagnosis is never changed; it is followed
# by a newer one (an override, a new calculation), and the newest is the client's diagnosis.
# A correction is made on the diagnosis its page showed, which must still be the newest: the
# override form carries `diagnosis_edit_token`, and `diagnosis_override` claims that
# diagnosis' `lock_version`. Every new diagnosis raises the lock of the ones before it, so
# an override opened before it is refused with what the newer diagnosis says differently.
DIAGNOSIS_SNAPSHOT = ("date", *DIAGNOSIS_OVERRIDABLE)
STALE_DIAGNOSIS = "de diagnose van deze klant"


def diagnosis_edit_token(diagnosis: Diagnosis) -> str:
    return edit_token(diagnosis, DIAGNOSIS_SNAPSHOT)


def _supersede_diagnoses(client: Client) -> None:
    """A new diagnosis follows the client's earlier ones (their row locks also wait for an
    override of them that is being saved)."""
    Diagnosis.objects.filter(client=client).update(lock_version=F("lock_version") + 1)


def _claim_newest(diagnosis: Diagnosis, token: str | None) -> None:
    """Inside the transaction: refuse (StaleEditError) unless `diagnosis` is unchanged since
    the page showed `token` and still the client's newest; no token: the stored version."""
    locked = Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)
    if token is None:
        token = diagnosis_edit_token(locked)
    try:
        claim_version(locked, token, DIAGNOSIS_SNAPSHOT, what=STALE_DIAGNOSIS)
    except StaleEditError:
        claimed = False
    else:
        claimed = True
    newest = diagnoses_of(diagnosis.client).first()
    if not claimed or newest.pk != diagnosis.pk:
        changes = changes_since(locked, token, DIAGNOSIS_SNAPSHOT, now=newest)
        raise StaleEditError(changes, what=STALE_DIAGNOSIS)


def _override_value(field: str, value):
    """A changed value in its stored type, or ValidationError in Dutch."""
    if field in ("months_to_work", "ladder_step", "ladder_target"):
        low, high, label = {
            "months_to_work": (0, 120, "De afstand tot werk"),
            "ladder_step": (1, 6, "De trede"),
            "ladder_target": (1, 6, "De doeltrede"),
        }[field]
        if value is None or value == "":
            return None
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError({field: f"{label} is een heel getal."}) from None
        if not low <= number <= high:
            raise ValidationError({field: f"{label} ligt tussen {low} en {high}."})
        return number
    if field == "wage_value_pct":
        if value is None or value == "":
            return None
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            raise ValidationError({field: "De loonwaarde is een percentage."}) from None
        if not Decimal(0) <= number <= Decimal(100):
            raise ValidationError({field: "De loonwaarde ligt tussen 0 en 100 %."})
        return number.quantize(Decimal("0.01"))
    choices = {"category": Category, "route": Route, "client_group": ClientGroup}[field]
    value = value or ""
    if value and value not in choices.values:
        raise ValidationError({field: "Kies een van de mogelijkheden."})
    return value


def _json_value(value):
    return float(value) if isinstance(value, Decimal) else value


@_intake_write(lambda kw: kw["diagnosis"].client)
def diagnosis_override(
    *,
    user,
    diagnosis: Diagnosis,
    changes: Mapping,
    reason: str,
    today: date | None = None,
    edit_token: str | None = None,
    submission_key=None,
) -> Diagnosis:
    """The consultant's judgement on any part of a diagnosis: a NEW diagnosis, with a mandatory reason.

    When the distance or the current step changes, category, route and client group follow
    the active policy and the target step follows the tool's rule, unless the consultant
    sets them too. `edit_token`: what the page showed of `diagnosis` (refused when a newer
    diagnosis followed it since); `submission_key`: a second submit of the same form
    returns the diagnosis the first one made.
    """
    client = diagnosis.client
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Geef de reden waarom u afwijkt van de uitkomst."})
    unknown = set(changes) - set(OVERRIDABLE)
    if unknown:
        raise ValueError(f"Deze onderdelen kunnen niet worden aangepast: {', '.join(sorted(unknown))}")
    values = {f: getattr(diagnosis, f) for f in OVERRIDABLE}
    changed: dict[str, list] = {}
    for field, raw in changes.items():
        new = _override_value(field, raw)
        old = values[field]
        if field == "wage_value_pct" and old is not None:
            old = Decimal(old).quantize(Decimal("0.01"))
        if new != old:
            changed[field] = [_json_value(old), _json_value(new)]
            values[field] = new
    if not changed:
        raise ValidationError("U heeft niets aangepast. Wijzig minstens één onderdeel.")
    explicit = (set(diagnosis.overridden_fields) if diagnosis.is_override else set()) | set(changed)
    derived: dict[str, list] = {}
    if {"months_to_work", "ladder_step"} & set(changed) and values["months_to_work"] is not None:
        policy = active_policy()
        classification = classify(
            months_to_work=values["months_to_work"],
            ladder_step=values["ladder_step"],
            dgr=diagnosis.tool_result.get("indicated", client.dgr),
            config=policy.config,
        )
        follows = {f: getattr(classification, f) for f in CLASSIFICATION_FIELDS}
        follows["client_group"] = _group(follows["client_group"])
        if values["ladder_step"] is not None:
            follows["ladder_target"], _rule = ladder_target_for(
                ladder_step=values["ladder_step"],
                months_to_work=values["months_to_work"],
                config=policy.config,
            )
        for field, new in follows.items():
            if field not in explicit and new != values[field]:
                derived[field] = [values[field], new]
                values[field] = new
    tool_result = dict(diagnosis.tool_result or {})
    tool_result["override"] = {"of": diagnosis.pk, "fields": changed, "derived": derived}

    def create(key) -> Diagnosis:
        Diagnosis.objects.select_for_update().filter(pk=diagnosis.pk).first()
        if key is not None:
            twin = Diagnosis.objects.filter(submission_key=key).first()
            if twin is not None:  # the same form, sent again while the first was saved
                return twin
        _claim_newest(diagnosis, edit_token)
        new_diagnosis = _create_with_new_id(
            Diagnosis,
            DIAGNOSIS_ID_PREFIX,
            client=client,
            date=_today(today),
            assessed_by=AssessedBy.CONSULTANT,
            is_override=True,
            overridden_fields=sorted(explicit),
            override_reason=reason,
            questionnaire=diagnosis.questionnaire,
            tool_result=tool_result,
            created_by=user,
            submission_key=key,
            **values,
        )
        logevent.diagnosis_overridden(
            user, new_diagnosis, override_of=diagnosis.pk, fields=changed, derived=derived
        )
        return new_diagnosis

    new_diagnosis, _created = create_once(Diagnosis, submission_key, create)
    return new_diagnosis


def route_advice_for(diagnosis: Diagnosis, *, config: dict):
    """The preset's advice for a diagnosis (None without a distance to work), and the
    category and client group its rules give."""
    if diagnosis.months_to_work is None:
        return None, None
    classification = classify(
        months_to_work=diagnosis.months_to_work,
        ladder_step=diagnosis.ladder_step,
        dgr=(diagnosis.tool_result or {}).get("indicated", diagnosis.client.dgr),
        config=config,
    )
    advice = route_advice(diagnosis.months_to_work, category=classification.category, config=config)
    return advice, classification


def route_proposed(diagnosis: Diagnosis, advice) -> str:
    """The route the form starts with: the consultant's own route in an override, else the advice."""
    explicit = set(diagnosis.overridden_fields) if diagnosis.is_override else set()
    if "route" in explicit:
        return diagnosis.route
    return advice.route if advice else ""


@_intake_write(lambda kw: kw["client"])
def route_decide(
    *,
    user,
    client: Client,
    diagnosis: Diagnosis,
    reason: str,
    route: str | None = None,
    deviation_reason: str = "",
    decided_on: date | None = None,
    today: date | None = None,
) -> RouteDecision:
    """A reasoned route decision from a diagnosis under the ACTIVE policy preset.

    The preset advises a route (`route_advice`); the consultant may choose another one
    (`route`), and then gives the reason for deviating. Without `route` the decision takes
    the route the consultant set in an override of the diagnosis, else the advice. Category
    and client group the consultant overrode stand; the rest follows the preset.
    """
    if diagnosis.client_id != client.pk:
        raise ValidationError("Deze diagnose hoort niet bij deze klant.")
    newest = diagnoses_of(client).first()
    if newest is not None and newest.pk != diagnosis.pk:
        # A route follows the client's current diagnosis: one decided on a page opened
        # before a newer diagnosis (an override, a new calculation) is refused, with what
        # the newer one says differently.
        stale_token = diagnosis_edit_token(diagnosis)
        raise StaleEditError(
            changes_since(diagnosis, stale_token, DIAGNOSIS_SNAPSHOT, now=newest), what=STALE_DIAGNOSIS
        )
    today = _today(today)
    reason = (reason or "").strip()
    deviation_reason = (deviation_reason or "").strip()
    decided_on = decided_on or today
    limits.refuse(
        {
            "reason": "Geef de reden van het routebesluit."
            if not reason
            else limits.text_problem(reason, label="De reden", max_length=limits.REASON_MAX_LENGTH),
            "deviation_reason": limits.text_problem(
                deviation_reason, label="De reden van de afwijking", max_length=limits.REASON_MAX_LENGTH
            ),
            "decided_on": limits.date_problem(decided_on, label="De ingangsdatum", today=today),
        }
    )
    explicit = set(diagnosis.overridden_fields) if diagnosis.is_override else set()
    policy = active_policy()
    advice, classification = route_advice_for(diagnosis, config=policy.config)
    if classification is not None:
        decided = {"category": classification.category, "client_group": classification.client_group}
    elif "route" in explicit:
        decided = {"category": "", "client_group": ""}
    else:
        raise ValidationError("De diagnose heeft geen afstand tot werk. Stel die eerst vast.")
    for field in ("category", "client_group"):
        if field in explicit:
            decided[field] = getattr(diagnosis, field)
    chosen = route_proposed(diagnosis, advice) if route is None else (route or "")
    if chosen not in Route.values:
        # "Geen" (an override that cleared the route, or no choice) leaves nothing to decide;
        # refused here rather than by the database's check constraint (a 500).
        raise ValidationError({"route": "Kies een route. Zonder route (“Geen”) is er geen routebesluit."})
    advised = advice.route if advice else ""
    deviates = bool(advised) and chosen != advised
    if deviates and not deviation_reason and "route" in explicit and chosen == diagnosis.route:
        # The consultant already gave the reason for this route in the override.
        deviation_reason = diagnosis.override_reason[: limits.REASON_MAX_LENGTH]
    if deviates and len(deviation_reason) < limits.DEVIATION_REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "deviation_reason": f"U kiest een andere route dan het advies ({Route(advised).label}). "
                f"Geef de reden van de afwijking (minstens {limits.DEVIATION_REASON_MIN_LENGTH} tekens)."
            }
        )
    decision = RouteDecision.objects.create(
        client=client,
        decided_on=decided_on,
        route=chosen,
        advised_route=advised,
        deviation_reason=deviation_reason if deviates else "",
        category=decided["category"],
        client_group=_group(decided["client_group"]),
        ladder_step=diagnosis.ladder_step,
        ladder_target=diagnosis.ladder_target,
        diagnosis=diagnosis,
        preset_key=policy.key,
        reason=reason,
        decided_by=user,
    )
    open_application = (
        client.applications.exclude(status=ApplicationStatus.AFGEROND).order_by("-received_on", "-id").first()
    )
    _advance(open_application, ApplicationStatus.AFGEROND)
    logevent.route_decided(user, decision)
    return decision
