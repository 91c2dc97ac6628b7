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

Lost updates (issue 7, point 5; `trede.utils.concurrency`): every form that changes an
existing plan carries `plan_edit_token(plan)`, and the service claims the plan's
`lock_version` inside its transaction, so a change made on what the page showed is refused
(`StaleEditError`, naming what changed) when someone saved in between. A revision carries
the tokens of every open plan the page was based on: a version drawn up, agreed or changed
since is refused, and so is a plan that appeared while the page was open. Every write that
changes a plan row raises its `lock_version`, also the indirect ones (a concept or signed
version that becomes `vervallen`). A service called without a token (a script, a test)
claims the version that is stored. A plan is drawn up once per opened form
(`create_once` with the form's submission key), whatever the back button or a double click
sends.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.audit import events, logevent
from trede.utils.concurrency import (
    ExpiredEditError,
    FieldChange,
    StaleEditError,
    claim_version,
    create_once,
    edit_token,
    token_pk,
)
from trede.utils.dates import add_months

from ..constants import ActionOwner, PlanStatus
from .models import Plan, PlanAction

VIA_ONLINE = "online"
VIA_IN_GESPREK = "in_gesprek"
AGREEMENT_CHANNELS = {VIA_ONLINE: "online door de inwoner", VIA_IN_GESPREK: "in gesprek met de consulent"}


# A deadline further ahead than this is taken for a typing error (2062 for 2026): a
# plausibility bound, not municipal policy, so a constant and not a preset setting.
DEADLINE_MAX_YEARS_AHEAD = 5
GOALS_MAX_CHARS = 5000
# What a page shows of a plan and a change would overwrite: the plan's own fields here,
# its agreements and actions in `plan_described`.
PLAN_SNAPSHOT = ("status", "goals")
STALE_WHAT = "dit plan van aanpak"


def _moment(value) -> str:
    return f"{timezone.localtime(value):%d-%m-%Y %H:%M}"


def plan_described(plan: Plan) -> dict[str, tuple[str, str]]:
    """The agreements and actions of a plan as the pages show them (for the edit token)."""
    if plan.consultant_agreed_at is None:
        consultant = "nog niet"
    else:
        who = plan.consultant_agreed_by
        name = (who.get_full_name() or who.get_username()) if who is not None else ""
        consultant = f"gegeven op {_moment(plan.consultant_agreed_at)}" + (f" door {name}" if name else "")
    if plan.client_agreed_at is None:
        client = "nog niet"
    else:
        channel = "online" if plan.client_agreed_via == VIA_ONLINE else "in gesprek"
        client = f"gegeven op {_moment(plan.client_agreed_at)} ({channel})"
    values = {"consultant": ("Akkoord consulent", consultant), "client": ("Akkoord klant", client)}
    for action in plan.actions.all():
        state = f"gedaan op {action.done_on:%d-%m-%Y}" if action.done_on else "nog niet gedaan"
        values[f"action-{action.pk}"] = (f"Afspraak “{action.description}”", state)
    return values


def plan_edit_token(plan: Plan) -> str:
    """The hidden value of every form that changes this plan."""
    return edit_token(plan, PLAN_SNAPSHOT, described=plan_described)


def _claim(plan: Plan, token: str | None) -> Plan:
    """Inside the transaction: the plan, locked and its version claimed (StaleEditError when
    it changed since the page showed `token`; no token: the stored version)."""
    if token is None:
        token = plan_edit_token(Plan.objects.select_for_update().get(pk=plan.pk))
    return claim_version(plan, token, PLAN_SNAPSHOT, what=STALE_WHAT, described=plan_described)


def _retire(plans) -> None:
    """Open versions that a newer one replaces: `vervallen`, and their version raised."""
    plans.update(status=PlanStatus.VERVALLEN, lock_version=F("lock_version") + 1)


def deadline_problem(deadline: date, *, today: date | None = None) -> str:
    """Why an action's deadline cannot be right ("" when it can). Today is allowed."""
    today = today or timezone.localdate()
    if deadline < today:
        return f"de uiterste datum {deadline:%d-%m-%Y} ligt in het verleden; kies vandaag of later."
    latest = add_months(today, 12 * DEADLINE_MAX_YEARS_AHEAD)
    if deadline > latest:
        return (
            f"de uiterste datum {deadline:%d-%m-%Y} ligt meer dan {DEADLINE_MAX_YEARS_AHEAD} jaar "
            "vooruit; controleer het jaartal."
        )
    return ""


def plan_may_write(user, client) -> bool:
    """Whether this user may draw up plans and record agreement for this client."""
    return perms.allowed(user, perms.PLAN_WRITE, client)


def _clean_actions(actions: Iterable[dict], *, today: date) -> list[dict]:
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
        elif problem := deadline_problem(deadline, today=today):
            problems.append(f"Afspraak {number}: {problem}")
        cleaned.append(
            {"description": description[:300], "owner": owner, "deadline": deadline, "done_on": done_on}
        )
    if not cleaned:
        problems.append("Een plan van aanpak heeft ten minste één afspraak.")
    if problems:
        raise ValidationError(problems)
    return cleaned


def plan_create(
    *,
    user,
    client,
    goals: str,
    actions: Iterable[dict],
    seen: Sequence[str] | None = None,
    submission_key=None,
    today: date | None = None,
) -> Plan:
    """Draw up a plan (version 1) or a revision (version n + 1) as a concept.

    `seen`: the edit tokens of the open plans the form was based on (empty: the page showed
    no plan); None for a caller that is not a form. `submission_key`: the opened form's key,
    so a second submit returns the plan the first one made.
    """
    perms.check(user, perms.PLAN_WRITE, client, purpose=events.PLAN)
    goals = (goals or "").strip()
    if not goals:
        raise ValidationError(["Beschrijf de doelen van het plan."])
    if len(goals) > GOALS_MAX_CHARS:
        raise ValidationError([f"Houd de doelen korter dan {GOALS_MAX_CHARS:,} tekens.".replace(",", ".")])
    cleaned = _clean_actions(actions, today=today or timezone.localdate())

    def create(key) -> Plan:
        # Lock the client row so that two revisions at once cannot get the same number.
        list(type(client).objects.select_for_update().filter(pk=client.pk).values_list("pk", flat=True))
        if key is not None:
            twin = Plan.objects.filter(submission_key=key).first()
            if twin is not None:  # the same form, sent again while the first was saved
                return twin
        if seen is not None:
            _claim_seen(client, seen)
        latest = Plan.objects.filter(client=client).aggregate(v=Max("version"))["v"]
        concepts = Plan.objects.filter(client=client, status=PlanStatus.CONCEPT)
        superseded = list(concepts.values_list("version", flat=True))
        _retire(concepts)
        plan = Plan.objects.create(
            client=client,
            version=(latest or 0) + 1,
            goals=goals,
            status=PlanStatus.CONCEPT,
            created_by=user,
            submission_key=key,
        )
        PlanAction.objects.bulk_create(
            PlanAction(plan=plan, position=position, **action) for position, action in enumerate(cleaned)
        )
        logevent.plan_drawn_up(user, plan, actions=len(cleaned), replaced_concepts=superseded)
        return plan

    plan, _created = create_once(Plan, submission_key, create)
    return plan


def _claim_seen(client, seen: Sequence[str]) -> None:
    """A revision is based on the open plans its page showed: claim each of them, and refuse
    when one changed or an open plan exists that the page did not show, naming every change
    by version (a colleague's new version changes the plan it replaced, and appears)."""
    claimed, changes, stale = set(), [], False
    for token in seen:
        pk = token_pk(token)
        plan = Plan.objects.filter(client=client, pk=pk).first() if pk and pk.isdigit() else None
        if plan is None:
            raise ExpiredEditError()
        try:
            _claim(plan, token)
        except StaleEditError as error:
            stale = True
            changes += [
                FieldChange(f"Versie {plan.version}, {c.label[:1].lower()}{c.label[1:]}", c.seen, c.now)
                for c in error.changes
            ]
        claimed.add(plan.pk)
    unseen = Plan.objects.filter(client=client).exclude(status=PlanStatus.VERVALLEN).exclude(pk__in=claimed)
    changes += [
        FieldChange(f"Versie {plan.version}", "(er was nog geen)", plan.get_status_display())
        for plan in unseen.order_by("version")
    ]
    if stale or changes:
        raise StaleEditError(changes, what="het plan van aanpak van deze klant")


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
    earlier = Plan.objects.filter(client_id=plan.client_id, status=PlanStatus.ONDERTEKEND).exclude(pk=plan.pk)
    replaced = list(earlier.values_list("version", flat=True))
    _retire(earlier)
    plan.status = PlanStatus.ONDERTEKEND
    plan.save(update_fields=["status"])
    logevent.plan_signed(user, plan, replaced_signed=replaced)


def plan_agree_consultant(*, user, plan: Plan, edit_token: str | None = None) -> Plan:
    """The consultant agrees with the plan (signs it when the client already agreed).

    The same consultant's second submit (a double click) changes nothing and is no error."""
    perms.check(user, perms.PLAN_AGREE_CONSULTANT, plan.client, purpose=events.PLAN)
    with transaction.atomic():
        stored = Plan.objects.select_for_update().get(pk=plan.pk)
        if stored.consultant_agreed_by_id == user.pk and stored.consultant_agreed_at is not None:
            return stored
        plan = _claim(stored, edit_token)
        _require_open(plan)
        if plan.consultant_agreed_at is not None:
            raise ValidationError(["De consulent heeft al akkoord gegeven."])
        plan.consultant_agreed_at = timezone.now()
        plan.consultant_agreed_by = user
        plan.save(update_fields=["consultant_agreed_at", "consultant_agreed_by"])
        logevent.plan_agreed_by_consultant(user, plan)
        _sign_if_complete(user=user, plan=plan)
    return plan


def plan_agree_client(*, user, plan: Plan, via: str = VIA_ONLINE, edit_token: str | None = None) -> Plan:
    """The client agrees: online by the inwoner themselves, or recorded in a conversation.

    An agreement already recorded the same way (a double click) changes nothing and is no error."""
    if via == VIA_ONLINE:
        perms.check(user, perms.PLAN_AGREE_CLIENT, plan.client, purpose=events.PLAN)
    elif via == VIA_IN_GESPREK:
        perms.check(user, perms.PLAN_AGREE_CONSULTANT, plan.client, purpose=events.PLAN)
    else:
        raise ValidationError(["Kies hoe de klant akkoord gaf: online of in gesprek."])
    with transaction.atomic():
        stored = Plan.objects.select_for_update().get(pk=plan.pk)
        if stored.client_agreed_at is not None and stored.client_agreed_via == via:
            return stored
        plan = _claim(stored, edit_token)
        _require_open(plan)
        if plan.client_agreed_at is not None:
            raise ValidationError(["De klant heeft al akkoord gegeven."])
        plan.client_agreed_at = timezone.now()
        plan.client_agreed_via = via
        plan.save(update_fields=["client_agreed_at", "client_agreed_via"])
        logevent.plan_agreed_by_client(user, plan, online=via == VIA_ONLINE)
        _sign_if_complete(user=user, plan=plan)
    return plan


EARLIEST_DONE_ON = date(1900, 1, 1)


def plan_action_done(
    *, user, action: PlanAction, done_on: date | None = None, edit_token: str | None = None
) -> PlanAction:
    """Record that an agreed action was carried out (on `done_on`, default today).

    Marking an action done changes its plan, so it claims the plan's version; an action
    that is already done stays as it is (a double click is no error)."""
    plan = action.plan
    perms.check(user, perms.PLAN_WRITE, plan.client, purpose=events.PLAN)
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise ValidationError(["Een afspraak kan niet in de toekomst zijn uitgevoerd."])
    if done_on < EARLIEST_DONE_ON:
        raise ValidationError(["Een afspraak kan niet voor 1900 zijn uitgevoerd."])
    with transaction.atomic():
        action = PlanAction.objects.select_for_update().get(pk=action.pk)
        if action.done_on is not None:
            return action
        plan = _claim(plan, edit_token)
        if plan.status == PlanStatus.VERVALLEN:
            raise ValidationError(["Deze versie van het plan is vervangen; werk de huidige versie bij."])
        action.plan = plan
        action.done_on = done_on
        action.save(update_fields=["done_on"])
        logevent.plan_action_done(user, action)
    return action
