"""Writes of the referral flow. The consultant refers a client (a new Trajectory with its
Referral); the provider records the intake, the start or a no-show, progress reports and
the end with the result; the consultant confirms or disputes that result (only a
confirmation makes the trajectory's result final) and handles a no-show.

Every change is audited in its transaction; a refusal of the role or relationship is
audited by `perms.check` before any transaction opens. An edit of a referral carries the
edit token of the page (`claim_version`: 409 over a newer save); a create carries a
submission key (`create_once`: a double submit creates one).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.audit import logevent
from trede.finance import ceilings
from trede.finance.selectors import contract_ceilings
from trede.finance.services import CeilingExceeded, ceiling_refusal_audit, ensure_within_ceiling
from trede.utils.concurrency import claim_version, create_once, edit_token
from trede.utils.dutch import format_number

from ..constants import END_RESULTS, NoShowReason, ReviewStatus, TrajectoryResult
from ..models import Contract, EndReport, Instrument, ProgressReport, Provider, Referral, Trajectory
from .models import GOAL_MAX, NOTE_MAX, REPORT_MAX
from .rules import ReferralSettings, latest_planned_end, next_report

REASON_MIN, REASON_MAX = 5, 500
# What an edit of a referral snapshots (the page shows these; a refusal names them).
EDIT_FIELDS = ("intake_date", "no_show_reason", "no_show_on")


class ReferralRefused(ValidationError):
    """A step that does not fit the referral's state now (already started, ended, ...)."""

    status_code = 409


def _described(referral: Referral) -> dict[str, tuple[str, str]]:
    trajectory = Trajectory.objects.get(pk=referral.trajectory_id)
    standing = EndReport.objects.filter(referral=referral).exclude(review=ReviewStatus.BETWIST).first()

    def day(value) -> str:
        return f"{value:%d-%m-%Y}" if value else ""

    return {
        "start": ("Startdatum", day(trajectory.start_date)),
        "end": ("Einddatum", day(trajectory.end_date)),
        "result": ("Resultaat", trajectory.get_result_display() if trajectory.result else ""),
        "report": (
            "Eindrapportage",
            f"{standing.get_result_display()} ({standing.get_review_display()})" if standing else "",
        ),
    }


def referral_edit_token(referral: Referral) -> str:
    return edit_token(referral, EDIT_FIELDS, described=_described)


def _claim(referral: Referral, token: str) -> Referral:
    return claim_version(referral, token, EDIT_FIELDS, what="deze verwijzing", described=_described)


def _text(value: str, label: str, *, maximum: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"Vul {label} in.")
    if len(value) > maximum:
        raise ValidationError(f"{label[:1].upper()}{label[1:]} is te lang (ten hoogste {maximum} tekens).")
    return value


def _check_ceilings(*, user, contract: Contract, on: date) -> list:
    """The one call point of budget and volume ceilings on a referral, inside the
    transaction that creates the trajectory (the contract row stays locked until it
    commits, so two referrals cannot take the last place together).

    Refuses (`CeilingExceeded`, a Dutch 409) a referral beyond the contract's volume
    ceiling or once its money ceiling is reached; returns the contract's figures so the
    page can warn from 90 % on. A consultant cannot override: the contract manager raises
    the ceiling on the contract (decision 47)."""
    figures, _overrides = ensure_within_ceiling(contract, user=user, as_of=on)
    return figures


def ceiling_warnings(referral: Referral) -> list[str]:
    """Dutch warnings for the contract of a referral just made: each ceiling at or past the
    warning threshold (the figures are read again after the referral committed)."""
    contract = running_contract(
        referral.trajectory.provider_id, referral.trajectory.instrument_id, referral.trajectory.referral_date
    )
    if contract is None:
        return []
    return [
        f"Contract {f.subject} van {f.provider} zit nu op {format_number(f.share, 0)} % van het "
        f"{'geldplafond' if f.measure == ceilings.GELD else 'volumeplafond'} ({f.status_label})."
        for f in contract_ceilings(as_of=referral.trajectory.referral_date, contract_pks=[contract.pk])
        if f.status in (ceilings.WAARSCHUWING, ceilings.BLOKKADE) and f.share is not None
    ]


# --------------------------------------------------------------------------- consultant


def running_contract(provider_id: str, instrument_code: str, on: date) -> Contract | None:
    """The provider's contract for this instrument that runs on `on` (the newest start)."""
    return (
        Contract.objects.filter(provider_id=provider_id, instruments__instrument_code=instrument_code)
        .filter(start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .order_by("-start_date", "-pk")
        .first()
    )


def _new_trajectory_id() -> str:
    # Interchange ids are text; 'VW' marks a trajectory that started as a referral in Trede.
    return f"VW{uuid.uuid4().hex[:10].upper()}"


def referral_create(
    *,
    user,
    client,
    instrument_code: str,
    provider_id: str,
    goal: str,
    planned_end_date: date | None,
    note: str = "",
    today: date | None = None,
    submission_key=None,
) -> Referral:
    """Refer the client to an instrument at a provider with a running contract for it: a
    new trajectory (referred today) with the referral's goal and note for the provider."""
    perms.check(user, perms.REFERRAL_CREATE, client, purpose="verwijzen")
    today = today or timezone.localdate()
    existing = Referral.objects.filter(submission_key=submission_key).first() if submission_key else None
    if existing is not None:
        return existing
    instrument = Instrument.objects.filter(pk=instrument_code, active=True).first()
    provider = Provider.objects.filter(pk=provider_id).first()
    if instrument is None or provider is None:
        raise ValidationError("Kies een instrument en aanbieder uit de lijst.")
    contract = running_contract(provider.pk, instrument.pk, today)
    if contract is None:
        raise ValidationError(
            f"{provider} heeft vandaag geen lopend contract voor {instrument}. Kies een aanbieder met een contract."
        )
    goal = _text(goal, "het doel", maximum=GOAL_MAX)
    note = _text(note, "de toelichting voor de aanbieder", maximum=NOTE_MAX, required=False)
    if planned_end_date is None:
        raise ValidationError("Vul de geplande einddatum in.")
    if planned_end_date <= today:
        raise ValidationError("De geplande einddatum ligt na vandaag.")
    latest = latest_planned_end(today, instrument.max_duration_months)
    if latest is not None and planned_end_date > latest:
        raise ValidationError(
            f"{instrument} duurt ten hoogste {instrument.max_duration_months} maanden: "
            f"kies een einddatum tot en met {latest:%d-%m-%Y}."
        )
    if contract.end_date is not None and planned_end_date > contract.end_date:
        raise ValidationError(
            f"Het contract met {provider} loopt tot {contract.end_date:%d-%m-%Y}: kies een einddatum daarvoor."
        )

    def create(key):
        _check_ceilings(user=user, contract=contract, on=today)
        trajectory = Trajectory(
            trajectory_id=_new_trajectory_id(),
            client=client,
            instrument=instrument,
            provider=provider,
            referral_date=today,
            planned_end_date=planned_end_date,
            result=TrajectoryResult.LOPEND,
        )
        trajectory._change_reason = "verwijzing"
        trajectory.save()
        referral = Referral.objects.create(
            trajectory=trajectory,
            goal=goal,
            note_for_provider=note,
            referred_by=user,
            referred_at=timezone.now(),
            submission_key=key,
        )
        logevent.referral_created(user, referral)
        return referral

    try:
        referral, _created = create_once(Referral, submission_key, create)
    except CeilingExceeded as error:
        # The refusal's audit rows rolled back with the referral's transaction.
        ceiling_refusal_audit(user, error)
        raise
    return referral


def _consultant_referral(user, referral: Referral, perm) -> Referral:
    referral = Referral.objects.select_related("trajectory__client").get(pk=referral.pk)
    perms.check(user, perm, referral.trajectory.client, purpose="verwijzing")
    return referral


def _standing_report(referral: Referral) -> EndReport | None:
    return (
        EndReport.objects.filter(referral=referral)
        .exclude(review=ReviewStatus.BETWIST)
        .order_by("-reported_at", "-pk")
        .first()
    )


def result_confirm(*, user, referral: Referral, edit_token: str) -> EndReport:
    """The consultant confirms the provider's end report: the trajectory's result is final."""
    referral = _consultant_referral(user, referral, perms.REFERRAL_REVIEW)
    with transaction.atomic():
        referral = _claim(referral, edit_token)
        report = _standing_report(referral)
        if report is None or report.review != ReviewStatus.OPEN:
            raise ReferralRefused("Er is geen gemeld resultaat dat op uw bevestiging wacht.")
        report.review = ReviewStatus.BEVESTIGD
        report.reviewed_by = user
        report.reviewed_at = timezone.now()
        report.save()
        trajectory = referral.trajectory
        trajectory.result = report.result
        trajectory._change_reason = "resultaat bevestigd door de consulent"
        trajectory.save()
        referral.save()
        logevent.referral_result_confirmed(user, report)
    return report


def result_dispute(*, user, referral: Referral, reason: str, edit_token: str) -> EndReport:
    """The consultant disputes the end report with a reason: it stays as reported (marked
    betwist) and the provider sends a corrected one; the result is not final."""
    referral = _consultant_referral(user, referral, perms.REFERRAL_REVIEW)
    reason = (reason or "").strip()
    if not (REASON_MIN <= len(reason) <= REASON_MAX):
        raise ValidationError(f"Geef een reden van {REASON_MIN} tot {REASON_MAX} tekens.")
    with transaction.atomic():
        referral = _claim(referral, edit_token)
        report = _standing_report(referral)
        if report is None or report.review != ReviewStatus.OPEN:
            raise ReferralRefused("Er is geen gemeld resultaat dat op uw beoordeling wacht.")
        report.review = ReviewStatus.BETWIST
        report.reviewed_by = user
        report.reviewed_at = timezone.now()
        report.dispute_reason = reason
        report.save()
        referral.save()
        logevent.referral_result_disputed(user, report)
    return report


def no_show_handle(*, user, referral: Referral, edit_token: str) -> Referral:
    """The consultant has acted on a provider's no-show: it leaves the worklist."""
    referral = _consultant_referral(user, referral, perms.REFERRAL_REVIEW)
    with transaction.atomic():
        referral = _claim(referral, edit_token)
        if not referral.is_no_show or referral.no_show_handled_at is not None:
            raise ReferralRefused("Er is geen open no-show bij deze verwijzing.")
        referral.no_show_handled_by = user
        referral.no_show_handled_at = timezone.now()
        referral.save()
        logevent.referral_no_show_handled(user, referral)
    return referral


# --------------------------------------------------------------------------- provider


def provider_referral(user, pk) -> Referral | None:
    """The referral when it is one of this provider's (None otherwise: the caller answers
    404 and audits the refusal)."""
    if not getattr(user, "provider_id", None):
        return None
    return (
        Referral.objects.select_related(
            "trajectory__client", "trajectory__instrument", "trajectory__provider"
        )
        .filter(pk=pk, trajectory__provider_id=user.provider_id)
        .first()
    )


def _provider_check(user, referral: Referral) -> Referral:
    """The referral as stored now, when this provider may act on it (audited refusal)."""
    referral = Referral.objects.select_related("trajectory__client", "trajectory__instrument").get(
        pk=referral.pk
    )
    client = referral.trajectory.client
    perms.check(user, perms.PARTICIPANT_UPDATE, client, purpose="aanbiedersportaal")
    if referral.trajectory.provider_id != user.provider_id:
        logevent.access_denied(
            user,
            client_id=client.pk,
            section="trajecten",
            purpose="aanbiedersportaal",
            reason="verwijzing naar een andere aanbieder",
        )
        raise PermissionDenied("Deze verwijzing is niet naar uw organisatie.")
    return referral


def _plausible(day: date | None, label: str, *, not_before: date, today: date) -> date:
    if day is None:
        raise ValidationError(f"Vul de {label} in.")
    if day < not_before:
        raise ValidationError(f"De {label} ligt niet voor {not_before:%d-%m-%Y}.")
    if day > today:
        raise ValidationError(f"De {label} ligt niet in de toekomst.")
    return day


def intake_record(
    *, user, referral: Referral, intake_date: date | None, edit_token: str, today=None
) -> Referral:
    referral = _provider_check(user, referral)
    today = today or timezone.localdate()
    trajectory = referral.trajectory
    _plausible(intake_date, "intakedatum", not_before=trajectory.referral_date, today=today)
    with transaction.atomic():
        referral = _claim(referral, edit_token)
        if referral.is_no_show or trajectory.end_date is not None:
            raise ReferralRefused("Dit traject is al afgesloten; de intake is niet meer te wijzigen.")
        referral.intake_date = intake_date
        referral.save()
        logevent.referral_intake_recorded(user, referral)
    return referral


def start_record(
    *, user, referral: Referral, start_date: date | None, edit_token: str, today=None
) -> Referral:
    referral = _provider_check(user, referral)
    today = today or timezone.localdate()
    trajectory = referral.trajectory
    _plausible(
        start_date, "startdatum", not_before=referral.intake_date or trajectory.referral_date, today=today
    )
    if trajectory.planned_end_date is not None and start_date > trajectory.planned_end_date:
        raise ValidationError("De startdatum ligt na de geplande einddatum.")
    with transaction.atomic():
        referral = _claim(referral, edit_token)
        trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
        if referral.is_no_show:
            raise ReferralRefused("Er is al gemeld dat deze klant niet is gestart.")
        if trajectory.start_date is not None:
            raise ReferralRefused("Dit traject is al gestart.")
        trajectory.start_date = start_date
        trajectory._change_reason = "start gemeld door de aanbieder"
        trajectory.save()
        referral.trajectory = trajectory
        referral.save()
        logevent.referral_started(user, referral)
    return referral


def no_show_record(
    *, user, referral: Referral, reason: str, note: str = "", edit_token: str, today=None
) -> Referral:
    """The client did not start: the consultant sees it at once on the worklist. The
    trajectory keeps an empty start date (a no-show in the interchange)."""
    referral = _provider_check(user, referral)
    if reason not in NoShowReason.values:
        raise ValidationError("Kies waarom de klant niet is gestart.")
    note = _text(note, "de toelichting", maximum=300, required=reason == NoShowReason.ANDERS)
    with transaction.atomic():
        referral = _claim(referral, edit_token)
        trajectory = Trajectory.objects.select_for_update().get(pk=referral.trajectory_id)
        if trajectory.start_date is not None:
            raise ReferralRefused("Dit traject is al gestart; meld dan het einde met het resultaat.")
        if referral.is_no_show:
            raise ReferralRefused("Er is al gemeld dat deze klant niet is gestart.")
        referral.no_show_reason = reason
        referral.no_show_note = note
        referral.no_show_on = today or timezone.localdate()
        referral.save()
        logevent.referral_no_show(user, referral)
    return referral


def progress_report(
    *, user, referral: Referral, text: str, on_track: bool | None, config: dict, submission_key=None
) -> ProgressReport:
    """The next progress report of a running trajectory (number n, due n × the interval
    after the start). A double submit creates one; two different submits for the same
    number: the second is refused (unique number)."""
    referral = _provider_check(user, referral)
    existing = (
        ProgressReport.objects.filter(submission_key=submission_key).first() if submission_key else None
    )
    if existing is not None:
        return existing
    text = _text(text, "de voortgang", maximum=REPORT_MAX)
    if on_track is None:
        raise ValidationError("Geef aan of het traject op koers is.")
    trajectory = referral.trajectory
    if trajectory.start_date is None:
        raise ReferralRefused("Het traject is nog niet gestart: meld eerst de start.")
    if trajectory.end_date is not None:
        raise ReferralRefused("Het traject is beëindigd; de eindrapportage vervangt de voortgang.")
    settings = ReferralSettings.of(config)
    reported = set(referral.progress_reports.values_list("number", flat=True))
    number, due = next_report(trajectory.start_date, settings.report_interval_weeks, reported)

    def create(key):
        report = ProgressReport.objects.create(
            referral=referral,
            number=number,
            due_date=due,
            text=text,
            on_track=on_track,
            reported_by=user,
            reported_at=timezone.now(),
            submission_key=key,
        )
        logevent.referral_progress_reported(user, report)
        return report

    try:
        report, _created = create_once(ProgressReport, submission_key, create)
    except IntegrityError as error:
        raise ReferralRefused(
            f"Rapportage {number} is intussen al vastgelegd. Open de pagina opnieuw."
        ) from error
    return report


def end_report(
    *,
    user,
    referral: Referral,
    end_date: date | None,
    result: str,
    criterion_met: bool | None,
    note: str = "",
    edit_token: str,
    today=None,
    submission_key=None,
) -> EndReport:
    """The end with the result, judged against the instrument's success criterion. The
    trajectory gets its end date; its result stays 'lopend' until the consultant confirms.
    After a dispute the provider reports again: a corrected report, the original kept."""
    referral = _provider_check(user, referral)
    existing = EndReport.objects.filter(submission_key=submission_key).first() if submission_key else None
    if existing is not None:
        return existing
    today = today or timezone.localdate()
    trajectory = referral.trajectory
    if trajectory.start_date is None:
        raise ReferralRefused("Het traject is niet gestart: meld de start of dat de klant niet is gestart.")
    _plausible(end_date, "einddatum", not_before=trajectory.start_date, today=today)
    if result not in END_RESULTS:
        raise ValidationError("Kies het resultaat.")
    if criterion_met is None:
        raise ValidationError("Geef aan of het succescriterium is gehaald.")
    if criterion_met and result != TrajectoryResult.GESLAAGD:
        raise ValidationError("Het succescriterium is gehaald: het resultaat is dan 'geslaagd'.")
    if result == TrajectoryResult.GESLAAGD and not criterion_met:
        raise ValidationError("'Geslaagd' vraagt dat het succescriterium is gehaald.")
    note = _text(note, "de toelichting", maximum=NOTE_MAX, required=False)
    with transaction.atomic():
        referral = _claim(referral, edit_token)
        previous = EndReport.objects.filter(referral=referral).order_by("-reported_at", "-pk").first()
        if previous is not None and previous.review != ReviewStatus.BETWIST:
            raise ReferralRefused("Het einde is al gemeld; de consulent beoordeelt het resultaat.")
        trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
        instrument = trajectory.instrument
        report = EndReport.objects.create(
            referral=referral,
            corrects=previous,
            end_date=end_date,
            result=result,
            criterion_met=criterion_met,
            criterion=(instrument.success_criterion if instrument else "")[:300],
            note=note,
            reported_by=user,
            reported_at=timezone.now(),
            submission_key=submission_key,
        )
        trajectory.end_date = end_date
        trajectory._change_reason = "einde gemeld door de aanbieder"
        trajectory.save()
        referral.save()
        logevent.referral_end_reported(user, report)
    return report
