"""Reads for the intake screens: applications, questionnaires, diagnoses and the active policy."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, F, QuerySet
from django.db.models.functions import Length

from trede.accounts import permissions as perms
from trede.accounts.access import client_scope
from trede.utils.dates import months_between

from .models import Application, Diagnosis, Questionnaire, RouteDecision


def may_do_intake(user, client) -> bool:
    """Whether the user may change this client's intake, diagnosis and route (perms.INTAKE_WRITE)."""
    return perms.allowed(user, perms.INTAKE_WRITE, client)


def may_register(user) -> bool:
    """Registering a new applicant makes them the consultant's caseload, so a Consultant is needed."""
    return perms.role_may(user, perms.INTAKE_REGISTER) and consultant_of(user) is not None


def consultant_of(user):
    if not getattr(user, "is_authenticated", False):
        return None
    # The reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError.
    return getattr(user, "consultant", None)


def applications_for(user) -> QuerySet[Application]:
    """Applications of the clients this user may open (row level)."""
    return (
        Application.objects.filter(client__in=client_scope(user))
        .select_related("client", "consultant")
        .order_by("-received_on", "-id")
    )


def questionnaire_for(application: Application) -> Questionnaire | None:
    return application.questionnaires.order_by("-created_at", "-id").first()


def questionnaire_by_token(token: str) -> Questionnaire | None:
    if not token or len(token) > 64:
        return None
    return Questionnaire.objects.select_related("application").filter(token=token).first()


def answer_moments(questionnaire: Questionnaire) -> dict[str, datetime]:
    """When each current answer got its value: the applicant's submission or the completion
    in the conversation in which it last changed (read from the questionnaire's history);
    confirming an unchanged answer does not make it newer."""
    moments: dict[str, datetime] = {}
    previous: dict = {}
    # history_id is the order of the saves; history_date only says when (a clock can go back).
    for record in questionnaire.history.order_by("history_id"):
        answers = record.answers or {}
        moment = record.completed_at or record.submitted_by_client_at or record.history_date
        for key, value in answers.items():
            if previous.get(key) != value:
                moments[key] = moment
        previous = answers
    fallback = questionnaire.completed_at or questionnaire.submitted_by_client_at or questionnaire.updated_at
    return {
        key: moments[key] if key in moments and previous.get(key) == value else fallback
        for key, value in (questionnaire.answers or {}).items()
    }


def profile_field_origin(client, field: str) -> tuple[datetime | None, str]:
    """When the client's current value of `field` was recorded, and the change reason of
    that record ("" when none); (None, "") when the history does not show the value."""
    records = client.history.order_by("-history_id").values("history_date", "history_change_reason", field)
    current = getattr(client, field)
    origin = None
    for record in records:
        if record[field] != current:
            break
        origin = record
    if origin is None:
        return None, ""
    return origin["history_date"], origin["history_change_reason"] or ""


def diagnoses_of(client) -> QuerySet[Diagnosis]:
    """Every diagnosis of the client, newest first (ids compared by length, then text)."""
    return (
        Diagnosis.objects.filter(client=client)
        .select_related("created_by")
        .annotate(_id_len=Length("diagnosis_id"))
        .order_by("-date", "-_id_len", "-diagnosis_id")
    )


def route_decisions_of(client) -> QuerySet[RouteDecision]:
    return RouteDecision.objects.filter(client=client).select_related("decided_by", "diagnosis")


def benefit_months(*, client, on: date) -> int | None:
    """Completed months on benefit in the spell running on `on` (None when no benefit runs).

    Benefits that overlap or touch form one spell (as in the monitor's definition).
    """
    spell_start = None
    spell_end: date | None = None
    for start, end in client.benefits.order_by("start_date").values_list("start_date", "end_date"):
        if start > on:
            break
        if spell_start is None or (spell_end is not None and start > spell_end):
            spell_start = start
            spell_end = end
        elif spell_end is not None:
            spell_end = None if end is None else max(spell_end, end)
    if spell_start is None or (spell_end is not None and spell_end <= on):
        return None
    return max(0, months_between(spell_start, on))


def route_deviation_counts(*, start: date | None = None, end: date | None = None) -> dict:
    """How often consultants chose another route than the preset advised, for policy staff.

    Over route decisions with a recorded advice whose effective date lies in [start, end]:
    the number of decisions, the deviations, and the deviations per (advised, chosen) route
    pair. Aggregates only; a page that shows them to `beleid` suppresses small cells.
    """
    decisions = RouteDecision.objects.exclude(advised_route="")
    if start is not None:
        decisions = decisions.filter(decided_on__gte=start)
    if end is not None:
        decisions = decisions.filter(decided_on__lte=end)
    deviating = decisions.exclude(route=F("advised_route"))
    pairs = {
        (row["advised_route"], row["route"]): row["n"]
        for row in deviating.values("advised_route", "route").annotate(n=Count("id")).order_by()
    }
    return {"decisions": decisions.count(), "deviations": sum(pairs.values()), "pairs": pairs}
