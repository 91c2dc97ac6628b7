"""Writes on the plan van aanpak: versions, agreement by client and consultant, actions.

Rules (issue 3, point 6):
- A plan is never edited after it is drawn up: a revision is a new version (n + 1).
- At most one concept at a time: a new version replaces an older, still unsigned concept
  (that concept becomes `vervallen`). The signed plan stays in force until its successor
  is signed; then the earlier signed version becomes `vervallen`. Nothing is deleted.
- A plan is `ondertekend` once both the consultant and the client agreed. The client
  agrees online (the inwoner, for their own plan only) or in a conversation (recorded by
  the consultant, `in_gesprek`).
- Every change writes its audit row in the same transaction (purpose: plan van aanpak).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.audit import events
from trede.audit.models import Action
from trede.audit.services import audit_record

from ..constants import ActionOwner, PlanStatus
from .models import Plan, PlanAction

VIA_ONLINE = "online"
VIA_IN_GESPREK = "in_gesprek"
AGREEMENT_CHANNELS = {VIA_ONLINE: "online door de inwoner", VIA_IN_GESPREK: "in gesprek met de consulent"}


def plan_may_write(user, client) -> bool:
    """Whether this user may draw up plans and record agreement for this client."""
    return perms.allowed(user, perms.PLAN_WRITE, client)


def _clean_actions(actions: Iterable[dict]) -> list[dict]:
    cleaned, problems = [], []
    for number, action in enumerate(actions, start=1):
        description = (action.get("description") or "").strip()
        owner = action.get("owner") or ""
        deadline = action.get("deadline")
        done_on = action.get("done_on")
        if not description:
            problems.append(f"Afspraak {number}: beschrijf de afspraak.")
        if owner not in ActionOwner.values:
            problems.append(f"Afspraak {number}: kies wie de afspraak uitvoert.")
        if not isinstance(deadline, date):
            problems.append(f"Afspraak {number}: geef een uiterste datum.")
        cleaned.append(
            {"description": description[:300], "owner": owner, "deadline": deadline, "done_on": done_on}
        )
    if not cleaned:
        problems.append("Een plan van aanpak heeft ten minste één afspraak.")
    if problems:
        raise ValidationError(problems)
    return cleaned


def plan_create(*, user, client, goals: str, actions: Iterable[dict]) -> Plan:
    """Draw up a plan (version 1) or a revision (version n + 1) as a concept."""
    perms.check(user, perms.PLAN_WRITE, client, purpose=events.PLAN)
    goals = (goals or "").strip()
    if not goals:
        raise ValidationError(["Beschrijf de doelen van het plan."])
    cleaned = _clean_actions(actions)
    with transaction.atomic():
        # Lock the client row so that two revisions at once cannot get the same number.
        list(type(client).objects.select_for_update().filter(pk=client.pk).values_list("pk", flat=True))
        latest = Plan.objects.filter(client=client).aggregate(v=Max("version"))["v"]
        superseded = list(
            Plan.objects.filter(client=client, status=PlanStatus.CONCEPT).values_list("pk", "version")
        )
        Plan.objects.filter(pk__in=[pk for pk, _v in superseded]).update(status=PlanStatus.VERVALLEN)
        plan = Plan.objects.create(
            client=client, version=(latest or 0) + 1, goals=goals, status=PlanStatus.CONCEPT, created_by=user
        )
        PlanAction.objects.bulk_create(
            PlanAction(plan=plan, position=position, **action) for position, action in enumerate(cleaned)
        )
        audit_record(
            user=user,
            action=Action.CREATE,
            client_id=client.pk,
            object_type="plan",
            object_id=plan.pk,
            section="plan",
            purpose=events.PLAN,
            details={
                "version": plan.version,
                "actions": len(cleaned),
                "replaces_concepts": [v for _pk, v in superseded],
            },
        )
    return plan


def _require_open(plan: Plan) -> None:
    if plan.status != PlanStatus.CONCEPT:
        raise ValidationError(
            [
                "Dit plan is al ondertekend."
                if plan.is_signed
                else "Deze versie is vervangen door een nieuwere."
            ]
        )


def _sign_if_complete(*, user, plan: Plan) -> None:
    if plan.consultant_agreed_at is None or plan.client_agreed_at is None:
        return
    replaced = list(
        Plan.objects.filter(client_id=plan.client_id, status=PlanStatus.ONDERTEKEND)
        .exclude(pk=plan.pk)
        .values_list("version", flat=True)
    )
    Plan.objects.filter(client_id=plan.client_id, status=PlanStatus.ONDERTEKEND).exclude(pk=plan.pk).update(
        status=PlanStatus.VERVALLEN
    )
    plan.status = PlanStatus.ONDERTEKEND
    plan.save(update_fields=["status"])
    audit_record(
        user=user,
        action=Action.UPDATE,
        client_id=plan.client_id,
        object_type="plan",
        object_id=plan.pk,
        section="plan",
        purpose=events.PLAN,
        details={"version": plan.version, "status": PlanStatus.ONDERTEKEND, "replaces_signed": replaced},
    )


def plan_agree_consultant(*, user, plan: Plan) -> Plan:
    """The consultant agrees with the plan (signs it when the client already agreed)."""
    perms.check(user, perms.PLAN_AGREE_CONSULTANT, plan.client, purpose=events.PLAN)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        _require_open(plan)
        if plan.consultant_agreed_at is not None:
            raise ValidationError(["De consulent heeft al akkoord gegeven."])
        plan.consultant_agreed_at = timezone.now()
        plan.consultant_agreed_by = user
        plan.save(update_fields=["consultant_agreed_at", "consultant_agreed_by"])
        audit_record(
            user=user,
            action=Action.UPDATE,
            client_id=plan.client_id,
            object_type="plan",
            object_id=plan.pk,
            section="plan",
            purpose=events.PLAN,
            details={"version": plan.version, "agreed": "consulent"},
        )
        _sign_if_complete(user=user, plan=plan)
    return plan


def plan_agree_client(*, user, plan: Plan, via: str = VIA_ONLINE) -> Plan:
    """The client agrees: online by the inwoner themselves, or recorded in a conversation."""
    if via == VIA_ONLINE:
        perms.check(user, perms.PLAN_AGREE_CLIENT, plan.client, purpose=events.PLAN)
    elif via == VIA_IN_GESPREK:
        perms.check(user, perms.PLAN_AGREE_CONSULTANT, plan.client, purpose=events.PLAN)
    else:
        raise ValidationError(["Kies hoe de klant akkoord gaf: online of in gesprek."])
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        _require_open(plan)
        if plan.client_agreed_at is not None:
            raise ValidationError(["De klant heeft al akkoord gegeven."])
        plan.client_agreed_at = timezone.now()
        plan.client_agreed_via = via
        plan.save(update_fields=["client_agreed_at", "client_agreed_via"])
        audit_record(
            user=user,
            action=Action.UPDATE,
            client_id=plan.client_id,
            object_type="plan",
            object_id=plan.pk,
            section="plan",
            purpose=events.PLAN,
            details={"version": plan.version, "agreed": "klant", "via": via},
        )
        _sign_if_complete(user=user, plan=plan)
    return plan


def plan_action_done(*, user, action: PlanAction, done_on: date | None = None) -> PlanAction:
    """Record that an agreed action was carried out (on `done_on`, default today)."""
    plan = action.plan
    perms.check(user, perms.PLAN_WRITE, plan.client, purpose=events.PLAN)
    if plan.status == PlanStatus.VERVALLEN:
        raise ValidationError(["Deze versie van het plan is vervangen; werk de huidige versie bij."])
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise ValidationError(["Een afspraak kan niet in de toekomst zijn uitgevoerd."])
    with transaction.atomic():
        action.done_on = done_on
        action.save(update_fields=["done_on"])
        audit_record(
            user=user,
            action=Action.UPDATE,
            client_id=plan.client_id,
            object_type="plan_action",
            object_id=action.pk,
            section="plan",
            purpose=events.PLAN,
            details={"version": plan.version, "done_on": done_on.isoformat()},
        )
    return action
