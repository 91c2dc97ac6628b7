"""Writes of the employers app: vacancies (by the accountmanager who owns the employer
account) and the voordracht (shortlist entry) from proposal through the client's consent
to the outcome.

Each service checks the role and, where it is about one client, the relationship
(`perms.check`, audited) before its transaction opens; a create carries a submission key
(`create_once`: a double submit makes one), an edit the page's edit token (`claim_version`:
409 over a newer save). A refusal that does not fit the entry's state is a Dutch 409.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from trede.accounts import permissions as perms
from trede.audit import logevent
from trede.utils.concurrency import claim_version, create_once, edit_token, move_status

from .constants import CONSENTED, VacancyKind, VacancyStatus, VoordrachtStatus
from .matching.rules import isco_code, norm_skill
from .models import Employer, Vacancy, Voordracht

# What a vacancy's edit form shows (a refusal names what changed).
VACANCY_FIELDS = (
    "title",
    "occupation_code",
    "kind",
    "hours_per_week",
    "postcode4",
    "start_date",
    "positions",
    "status",
    "close_date",
)
TITLE_MAX = 200
SKILLS_MAX = 30
SKILL_MAX = 100
HOURS_MAX = Decimal("60")
POSITIONS_MAX = 500
REASON_MIN, REASON_MAX = 5, 500
START_YEARS_AHEAD = 2  # a plausibility bound against a mistyped year, not policy


class VoordrachtRefused(ValidationError):
    """A step that does not fit the voordracht's state now."""

    status_code = 409


@dataclass(frozen=True)
class VacancyInput:
    title: str
    occupation_code: str
    kind: str = VacancyKind.REGULIER
    skills: tuple[str, ...] = ()
    hours_per_week: Decimal | None = None
    postcode4: str = ""
    start_date: date | None = None
    positions: int = 1
    status: str = VacancyStatus.OPEN


# --------------------------------------------------------------------------- vacancies


def may_edit_employer(user, employer: Employer) -> bool:
    return perms.role_may(user, perms.VACANCY_EDIT) and employer.account_manager_id == user.pk


def _check_owner(user, employer: Employer) -> None:
    perms.check(user, perms.VACANCY_EDIT)
    if employer.account_manager_id != user.pk:
        logevent.access_denied(
            user, section="", purpose="matching", reason=f"werkgever {employer.pk} is niet uw account"
        )
        raise PermissionDenied("Dit werkgeversaccount is van een andere accountmanager.")


def parse_skills(text: str) -> tuple[str, ...]:
    """One skill per line or separated by commas; duplicates (without case) once."""
    unique: dict[str, str] = {}
    for part in (text or "").replace(",", "\n").splitlines():
        shown = " ".join(part.split())
        if shown:
            unique.setdefault(norm_skill(shown), shown)
    return tuple(unique.values())


def _validated(data: VacancyInput, *, today: date) -> VacancyInput:
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    title = " ".join((data.title or "").split())
    if not title:
        refuse("title", "Vul de functie in.")
    elif len(title) > TITLE_MAX:
        refuse("title", f"De functie is te lang (ten hoogste {TITLE_MAX} tekens).")
    if not isco_code(data.occupation_code):
        refuse("occupation", "Kies het beroep dat bij de functie hoort.")
    if data.kind not in VacancyKind.values:
        refuse("kind", "Kies een soort vacature uit de lijst.")
    if data.status not in VacancyStatus.values:
        refuse("status", "Kies een status uit de lijst.")
    if len(data.skills) > SKILLS_MAX:
        refuse("skills", f"Noem ten hoogste {SKILLS_MAX} vaardigheden.")
    if any(len(s) > SKILL_MAX for s in data.skills):
        refuse("skills", f"Een vaardigheid is ten hoogste {SKILL_MAX} tekens.")
    if data.hours_per_week is not None and not (0 < data.hours_per_week <= HOURS_MAX):
        refuse("hours_per_week", f"Uren per week liggen tussen 0 en {HOURS_MAX}.")
    pc = (data.postcode4 or "").strip()
    if pc and not (len(pc) == 4 and pc.isdigit() and pc[0] != "0"):
        refuse("postcode4", "Een postcode bestaat hier uit vier cijfers, bijvoorbeeld 2271.")
    if data.start_date is not None and data.start_date.year > today.year + START_YEARS_AHEAD:
        refuse("start_date", f"De startdatum ligt ten hoogste {START_YEARS_AHEAD} jaar vooruit.")
    if data.start_date is not None and data.start_date.year < 1900:
        refuse("start_date", "Vul een geldige startdatum in.")
    if not (1 <= int(data.positions or 0) <= POSITIONS_MAX):
        refuse("positions", f"Het aantal plaatsen ligt tussen 1 en {POSITIONS_MAX}.")
    if errors:
        raise ValidationError(errors)
    return VacancyInput(
        title=title,
        occupation_code=data.occupation_code,
        kind=data.kind,
        skills=data.skills,
        hours_per_week=data.hours_per_week,
        postcode4=pc,
        start_date=data.start_date,
        positions=int(data.positions),
        status=data.status,
    )


def _apply(vacancy: Vacancy, data: VacancyInput, *, today: date) -> list[str]:
    """Set the fields; returns the Dutch names of those that changed."""
    changed = []
    values = {
        "title": data.title,
        "occupation_code": data.occupation_code,
        "kind": data.kind,
        "skills": list(data.skills),
        "hours_per_week": data.hours_per_week,
        "postcode4": data.postcode4,
        "start_date": data.start_date,
        "positions": data.positions,
        "status": data.status,
    }
    for name, value in values.items():
        if getattr(vacancy, name) != value:
            setattr(vacancy, name, value)
            changed.append(str(Vacancy._meta.get_field(name).verbose_name))
    # A vacancy that is filled or withdrawn closes today; reopening it clears that, so the
    # engine's rule (open and close dates) and the status never disagree.
    if data.status in (VacancyStatus.VERVULD, VacancyStatus.INGETROKKEN):
        if vacancy.close_date is None:
            vacancy.close_date = max(today, vacancy.open_date)
    elif data.status == VacancyStatus.OPEN and vacancy.close_date is not None and vacancy.close_date <= today:
        vacancy.close_date = None
    return changed


def _new_vacancy_id() -> str:
    # Interchange ids are text; 'VT' marks a vacancy entered in Trede.
    return f"VT{uuid.uuid4().hex[:10].upper()}"


def vacancy_create(
    *, user, employer: Employer, data: VacancyInput, submission_key=None, today: date | None = None
) -> Vacancy:
    _check_owner(user, employer)
    today = today or timezone.localdate()
    data = _validated(data, today=today)

    def create(key):
        vacancy = Vacancy(
            vacancy_id=_new_vacancy_id(),
            employer=employer,
            open_date=today,
            created_by=user,
            submission_key=key,
        )
        _apply(vacancy, data, today=today)
        vacancy.save()
        logevent.vacancy_saved(user, vacancy, created=True, fields=[])
        return vacancy

    vacancy, _created = create_once(Vacancy, submission_key, create)
    return vacancy


def vacancy_edit_token(vacancy: Vacancy) -> str:
    return edit_token(vacancy, VACANCY_FIELDS, described=_described_skills)


def _described_skills(vacancy: Vacancy) -> dict[str, tuple[str, str]]:
    return {"skills": ("Vaardigheden", ", ".join(vacancy.skills or []))}


def vacancy_update(
    *, user, vacancy: Vacancy, data: VacancyInput, token: str, today: date | None = None
) -> Vacancy:
    _check_owner(user, vacancy.employer)
    today = today or timezone.localdate()
    data = _validated(data, today=today)
    with transaction.atomic():
        current = claim_version(
            vacancy, token, VACANCY_FIELDS, what="deze vacature", described=_described_skills
        )
        changed = _apply(current, data, today=today)
        current.save()
        logevent.vacancy_saved(user, current, created=False, fields=changed)
    return current


# --------------------------------------------------------------------------- the voordracht


def candidate_label(vacancy_id: str, client_id: str) -> str:
    """The name a candidate has for the accountmanager: per vacancy, so two vacancies'
    lists cannot be joined into one person, and keyed, so it reveals nothing."""
    digest = salted_hmac("trede.employers.candidate", f"{vacancy_id}|{client_id}").hexdigest()
    return f"Kandidaat {digest[:3].upper()}-{digest[3:6].upper()}"


def _propose(*, user, vacancy: Vacancy, client, score, submission_key) -> Voordracht:
    if vacancy.status != VacancyStatus.OPEN:
        raise VoordrachtRefused(
            "Deze vacature staat niet open; voordragen kan alleen voor een open vacature."
        )
    existing = Voordracht.objects.filter(vacancy=vacancy, client=client).first()
    if existing is not None and (submission_key is None or existing.submission_key != submission_key):
        raise VoordrachtRefused(
            f"Deze kandidaat is al voorgedragen voor deze vacature ({existing.get_status_display()})."
        )

    def create(key):
        entry = Voordracht.objects.create(
            vacancy=vacancy,
            client=client,
            proposed_by=user,
            score=None if score is None else Decimal(str(score)),
            submission_key=key,
        )
        logevent.voordracht_proposed(user, entry)
        return entry

    try:
        entry, _created = create_once(Voordracht, submission_key, create)
    except IntegrityError as error:
        # Two people proposed the same client at once: the database kept the first.
        raise VoordrachtRefused("Deze kandidaat is zojuist al voorgedragen voor deze vacature.") from error
    return entry


def voordracht_from_vacancy(*, user, vacancy: Vacancy, client, score=None, submission_key=None) -> Voordracht:
    """The accountmanager proposes an anonymised candidate of an own employer's vacancy."""
    perms.check(user, perms.VOORDRACHT_FROM_VACANCY)
    if vacancy.employer is None or vacancy.employer.account_manager_id != user.pk:
        logevent.access_denied(
            user,
            client_id=client.pk,
            section="werkprofiel",
            purpose="matching",
            reason="vacature van een ander account",
        )
        raise PermissionDenied("Deze vacature hoort niet bij een van uw werkgeversaccounts.")
    return _propose(user=user, vacancy=vacancy, client=client, score=score, submission_key=submission_key)


def voordracht_for_client(*, user, vacancy: Vacancy, client, score=None, submission_key=None) -> Voordracht:
    """The consultant who works the file proposes the client for a vacancy."""
    perms.check(user, perms.VOORDRACHT_FOR_CLIENT, client)
    return _propose(user=user, vacancy=vacancy, client=client, score=score, submission_key=submission_key)


def voordracht_consent(*, user, voordracht: Voordracht, given: bool, today: date | None = None) -> Voordracht:
    """The client gives or refuses consent in the own portal (recorded with the date)."""
    perms.check(user, perms.VOORDRACHT_CONSENT, voordracht.client)
    today = today or timezone.localdate()
    target = VoordrachtStatus.TOESTEMMING if given else VoordrachtStatus.GEWEIGERD
    if voordracht.status == target:
        return voordracht  # a second click on the same answer writes nothing
    refused = VoordrachtRefused(
        "Over deze voordracht is al beslist. Gaf u toestemming, dan kunt u die intrekken; "
        "anders neemt u contact op met uw consulent als u van gedachten bent veranderd."
    )
    with transaction.atomic():
        entry = _move(
            voordracht,
            user=user,
            expected=VoordrachtStatus.VOORGESTELD,
            refused=refused,
            status=target,
            consent_on=today,
            consent_by=user,
        )
        logevent.voordracht_consent(user, entry, given=given, via="online in het eigen dossier")
    return entry


# Consent is withdrawn before the outcome: once hired or rejected, the voordracht is history.
WITHDRAWABLE = (VoordrachtStatus.TOESTEMMING, VoordrachtStatus.BIJ_WERKGEVER)


def voordracht_consent_withdraw(*, user, voordracht: Voordracht, today: date | None = None) -> Voordracht:
    """The client withdraws the consent given, in the own portal, as easily as it was
    given (AVG art. 7(3)). The municipality presents the client no further, the
    accountmanager's relationship that came from it ends, and the history keeps the consent
    that was given before."""
    perms.check(user, perms.VOORDRACHT_CONSENT, voordracht.client)
    today = today or timezone.localdate()
    if voordracht.status == VoordrachtStatus.INGETROKKEN:
        return voordracht  # a second click writes nothing
    if voordracht.status not in WITHDRAWABLE:
        raise VoordrachtRefused(
            "Toestemming intrekken kan alleen zolang u toestemming heeft gegeven en er nog geen uitkomst is."
        )
    refused = VoordrachtRefused("Deze voordracht is intussen veranderd; bekijk hem opnieuw.")
    with transaction.atomic():
        entry = _move(
            voordracht,
            user=user,
            expected=voordracht.status,
            refused=refused,
            status=VoordrachtStatus.INGETROKKEN,
            consent_on=today,
            consent_by=user,
        )
        logevent.voordracht_consent_withdrawn(user, entry, via="online in het eigen dossier")
    return entry


def voordracht_present(*, user, voordracht: Voordracht, today: date | None = None) -> Voordracht:
    """Presented to the employer: only after the client's consent."""
    perms.check(user, perms.VOORDRACHT_OUTCOME, voordracht.client)
    today = today or timezone.localdate()
    if voordracht.status in (VoordrachtStatus.VOORGESTELD, VoordrachtStatus.GEWEIGERD):
        raise VoordrachtRefused(
            "De klant heeft (nog) geen toestemming gegeven; de werkgever mag niets van deze kandidaat zien."
        )
    refused = VoordrachtRefused("Deze kandidaat is al aan de werkgever voorgesteld.")
    with transaction.atomic():
        entry = _move(
            voordracht,
            user=user,
            expected=VoordrachtStatus.TOESTEMMING,
            refused=refused,
            status=VoordrachtStatus.BIJ_WERKGEVER,
            presented_on=today,
        )
        logevent.voordracht_presented(user, entry)
    return entry


def voordracht_outcome(
    *, user, voordracht: Voordracht, hired: bool, reason: str = "", today: date | None = None
) -> Voordracht:
    perms.check(user, perms.VOORDRACHT_OUTCOME, voordracht.client)
    today = today or timezone.localdate()
    reason = " ".join((reason or "").split())
    if not hired and not (REASON_MIN <= len(reason) <= REASON_MAX):
        raise ValidationError(
            {"reason": f"Geef de reden van de afwijzing ({REASON_MIN} tot {REASON_MAX} tekens)."}
        )
    if voordracht.status != VoordrachtStatus.BIJ_WERKGEVER:
        raise VoordrachtRefused("Een uitkomst volgt pas als de kandidaat aan de werkgever is voorgesteld.")
    with transaction.atomic():
        entry = _move(
            voordracht,
            user=user,
            expected=VoordrachtStatus.BIJ_WERKGEVER,
            refused=VoordrachtRefused("De uitkomst van deze voordracht is al vastgelegd."),
            status=VoordrachtStatus.AANGENOMEN if hired else VoordrachtStatus.AFGEWEZEN,
            outcome_on=today,
            rejection_reason="" if hired else reason,
        )
        logevent.voordracht_outcome(user, entry)
    return entry


def _move(voordracht: Voordracht, *, user, expected: str, refused: Exception, **changes) -> Voordracht:
    """The status step wins only from `expected` (one UPDATE decides between two people at
    once); the row is then saved once more so its history keeps the step and who took it."""
    entry = move_status(voordracht, expected=expected, refused=refused, **changes)
    entry._history_user = user
    entry.save()
    return entry


def consented(voordracht: Voordracht) -> bool:
    return voordracht.status in CONSENTED
