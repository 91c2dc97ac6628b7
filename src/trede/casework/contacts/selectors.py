"""The worklist ("niemand uit beeld", seed 004): what a consultant must do, client by client.

Kinds of items, each with a due date:
- contact_overdue: the last held contact plus the contact interval of the active preset
  lies in the past (no contact in the current benefit spell: counted from its start).
  The interval follows the preset's basis (client group, ladder step or route) for the
  client's current RouteDecision, or, without one, for the latest diagnosis (its own
  classification, or `policy.classify` on its months to work).
- plan_missing: a plan van aanpak is required (under plan_required_under_age, 27 by law,
  or everyone under Hof van Twente)
  and there is no concept or signed plan. Due: start of benefit + plan_sign_days.
- plan_unsigned: a concept still not signed by both plan_sign_days after it was drawn up.
- stale_diagnosis: the latest diagnosis is older than stale_diagnosis_months (or there is
  none at all).
- route_limit: the route has a limit (re-integratie: 24 months) and the client has been
  on it without interruption for at least that long.
- no_show: a referral to a trajectory more than no_show_days ago that never started and
  has no final result; a no-show the provider registered in its portal, at once, until the
  consultant has handled it (`instruments.referrals`); or a contact moment in the last
  no_show_contact_days the client did not show up for.

A withdrawn contact moment counts for nothing here: not as the last contact, not as a
no-show.

Only clients in the consultant's caseload (Client.consultant) with a benefit running on
`today`. The number of queries does not depend on the size of the caseload.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from trede.benefits.models import Benefit
from trede.clients.models import Client
from trede.employers.constants import VoordrachtStatus
from trede.employers.models import Placement, Voordracht
from trede.instruments.models import Trajectory
from trede.instruments.referrals.selectors import open_no_show_condition
from trede.utils.dates import add_months, age_on

from ..caseload.models import Consultant
from ..constants import ContactOutcome, PlanStatus
from ..intake.models import Diagnosis, RouteDecision
from ..plans.models import Plan
from ..policy.rules import (
    classify,
    contact_interval_days,
    plan_required,
    plan_required_reason,
    route_limit_reached,
)
from ..policy.selectors import active_policy
from .models import Contact

FINAL_TRAJECTORY_RESULTS = ("geslaagd", "niet_geslaagd", "voortijdig_gestopt")
HELD_OUTCOMES = ("", ContactOutcome.GEHOUDEN)  # imported contacts carry no outcome: held

KINDS: dict[str, str] = {
    "contact_overdue": "Contact te laat",
    "plan_missing": "Plan van aanpak ontbreekt",
    "plan_unsigned": "Plan van aanpak niet ondertekend",
    "stale_diagnosis": "Diagnose verouderd",
    "route_limit": "Route op de maximale duur",
    "no_show": "Niet verschenen",
    "voordracht": "Voordracht: toestemming vragen",
    "nazorg": "Nazorg na plaatsing",
    "proefplaatsing": "Proefplaatsing afgelopen zonder contract",
    "draaideur": "Terug in de uitkering na werk (draaideur)",
}

ROUTE_LABELS = {
    "directe_bemiddeling": "directe bemiddeling",
    "re_integratie": "re-integratie",
    "participatie": "participatie",
}


@dataclass(frozen=True)
class WorkItem:
    kind: str
    client_id: str
    client_name: str
    due: date
    detail: str
    # What to do about it: "contact", "plan" or "" (open the client file).
    action: str = ""
    object_id: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    def days_late(self, today: date) -> int:
        return max(0, (today - self.due).days)


@dataclass(frozen=True)
class ClientRegime:
    """How the active preset sees a client today."""

    route: str
    client_group: str
    ladder_step: int | None
    source: str  # "routebesluit", "diagnose" or "" (not classified)
    route_since: date | None


def on_benefit(today: date) -> Exists:
    """Whether a client has a benefit running on `today` (end_date is the first day without)."""
    return Exists(Benefit.objects.filter(client=OuterRef("pk")).running_on(today))


def clients_on_benefit(today: date):
    return Client.objects.filter(on_benefit(today))


def _diagnosis_route(diagnosis: Diagnosis, *, dgr, placed: bool, config: dict) -> tuple[str, str]:
    """(route, client group) of a diagnosis: its own classification or the preset's."""
    result = classify(
        months_to_work=diagnosis.months_to_work,
        ladder_step=diagnosis.ladder_step,
        dgr=dgr,
        placed=placed,
        config=config,
        category=diagnosis.category,
        route=diagnosis.route,
        client_group=diagnosis.client_group,
    )
    return result.route, result.client_group


def _run_start(timeline: list[tuple[date, str]], route: str) -> date | None:
    """Start of the uninterrupted run on `route` that ends with the last entry."""
    since = None
    for day, entry_route in reversed(timeline):
        if entry_route != route:
            break
        since = day
    return since


def client_regime(
    *, decisions: list[RouteDecision], diagnoses: list[Diagnosis], dgr, placed: bool, config: dict
) -> ClientRegime:
    """The current route, group and step (decisions and diagnoses sorted oldest first)."""
    latest_diagnosis = diagnoses[-1] if diagnoses else None
    if decisions:
        current = decisions[-1]
        step = current.ladder_step
        if step is None and latest_diagnosis is not None:
            step = latest_diagnosis.ladder_step
        group = current.client_group
        if not group and latest_diagnosis is not None:
            group = _diagnosis_route(latest_diagnosis, dgr=dgr, placed=placed, config=config)[1]
        timeline = [(d.decided_on, d.route) for d in decisions]
        return ClientRegime(
            route=current.route,
            client_group=group,
            ladder_step=step,
            source="routebesluit",
            route_since=_run_start(timeline, current.route),
        )
    if latest_diagnosis is None:
        return ClientRegime(route="", client_group="", ladder_step=None, source="", route_since=None)
    timeline = [(d.date, _diagnosis_route(d, dgr=dgr, placed=placed, config=config)[0]) for d in diagnoses]
    route, group = _diagnosis_route(latest_diagnosis, dgr=dgr, placed=placed, config=config)
    return ClientRegime(
        route=route,
        client_group=group,
        ladder_step=latest_diagnosis.ladder_step,
        source="diagnose",
        route_since=_run_start(timeline, route) if route else None,
    )


def _referral_of(trajectory):
    """The trajectory's referral made in Trede (None for an imported trajectory)."""
    try:
        return trajectory.referral
    except ObjectDoesNotExist:
        return None


def _grouped(rows, key: str = "client_id") -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def worklist_for(*, consultant: Consultant, today: date, config: dict | None = None) -> list[WorkItem]:
    """Every open item of this consultant's caseload on `today`, most overdue first."""
    config = config if config is not None else active_policy().config
    running_benefit = Benefit.objects.filter(client=OuterRef("pk")).running_on(today).order_by("start_date")
    running_placement = Placement.objects.filter(client=OuterRef("pk")).running_on(today)
    last_held = (
        Contact.objects.not_withdrawn()
        .filter(client=OuterRef("pk"), date__lte=today, outcome__in=HELD_OUTCOMES)
        .order_by("-date")
        .values("date")[:1]
    )
    clients = list(
        Client.objects.filter(consultant=consultant)
        .filter(Exists(running_benefit))
        .annotate(
            benefit_start=Subquery(running_benefit.values("start_date")[:1]),
            placed=Exists(running_placement),
            last_contact=Subquery(last_held),
        )
        .only("client_id", "given_name", "family_name", "birth_date", "dgr")
        .order_by("family_name", "given_name", "client_id")
    )
    ids = [c.pk for c in clients]
    if not ids:
        # Nazorg goes on after the benefit ended.
        items = _placement_items(consultant=consultant, clients=[], today=today, config=config)
        items.sort(key=lambda i: (i.due, i.client_name, i.kind))
        return items
    decisions = _grouped(
        RouteDecision.objects.filter(client_id__in=ids, decided_on__lte=today).order_by("decided_on", "id")
    )
    diagnoses = _grouped(
        Diagnosis.objects.filter(client_id__in=ids, date__lte=today)
        .only(
            "diagnosis_id",
            "client_id",
            "date",
            "months_to_work",
            "ladder_step",
            "category",
            "route",
            "client_group",
        )
        .order_by("date", "diagnosis_id")
    )
    plans = _grouped(
        Plan.objects.filter(client_id__in=ids)
        .exclude(status=PlanStatus.VERVALLEN)
        .only("id", "client_id", "version", "status", "created_at")
        .order_by("version")
    )
    no_show_after = today - timedelta(days=int(config["no_show_days"]))
    # Not started in time (without a no-show the provider registered, which counts from the
    # day it was registered until the consultant handled it): one query for both.
    trajectories = _grouped(
        Trajectory.objects.filter(client_id__in=ids, start_date__isnull=True)
        .exclude(result__in=FINAL_TRAJECTORY_RESULTS)
        .filter(
            (Q(referral_date__lt=no_show_after) & Q(referral__no_show_on__isnull=True))
            | open_no_show_condition("referral__")
        )
        .select_related("instrument", "provider", "referral")
        .order_by("referral_date")
    )
    missed_contacts = _grouped(
        Contact.objects.not_withdrawn()
        .filter(
            client_id__in=ids,
            outcome=ContactOutcome.NIET_VERSCHENEN,
            date__gte=today - timedelta(days=int(config["no_show_contact_days"])),
            date__lte=today,
        )
        .order_by("date")
    )

    # A client proposed for a vacancy (by the accountmanager or a colleague) whose consent
    # is still open: the consultant asks the client (decision 128).
    voordrachten = _grouped(
        Voordracht.objects.filter(client_id__in=ids, status=VoordrachtStatus.VOORGESTELD)
        .select_related("vacancy", "vacancy__employer")
        .order_by("proposed_at")
    )

    sign_days = int(config["plan_sign_days"])
    stale_months = int(config["stale_diagnosis_months"])
    items: list[WorkItem] = []
    for client in clients:
        name = client.name
        add = items.append
        regime = client_regime(
            decisions=decisions.get(client.pk, []),
            diagnoses=diagnoses.get(client.pk, []),
            dgr=client.dgr,
            placed=client.placed,
            config=config,
        )

        # Contact regime.
        interval = contact_interval_days(
            config=config,
            client_group=regime.client_group,
            ladder_step=regime.ladder_step,
            route=regime.route,
        )
        # A contact from an earlier benefit spell does not count for this one: a client who
        # returns after years off benefit is due from the start of the current spell, not
        # thousands of days late on a contact held before they left.
        in_spell = (
            client.last_contact
            if client.last_contact and client.last_contact >= client.benefit_start
            else None
        )
        base = in_spell or client.benefit_start
        due = base + timedelta(days=interval)
        if due < today:
            if in_spell:
                last = f"laatste contact {in_spell:%d-%m-%Y}"
            elif client.last_contact:
                last = f"nog geen contact sinds de start van de uitkering op {client.benefit_start:%d-%m-%Y}"
            else:
                last = "nog geen contact"
            add(
                WorkItem("contact_overdue", client.pk, name, due, f"{last}; elke {interval} dagen", "contact")
            )

        # Plan van aanpak.
        client_plans = plans.get(client.pk, [])
        if not client_plans:
            if plan_required(age=age_on(client.birth_date, today), config=config):
                reason = plan_required_reason(config)
                add(
                    WorkItem(
                        "plan_missing",
                        client.pk,
                        name,
                        client.benefit_start + timedelta(days=sign_days),
                        f"geen plan van aanpak ({reason})",
                        "plan",
                    )
                )
        else:
            for plan in client_plans:
                if plan.status != PlanStatus.CONCEPT:
                    continue
                drawn_up = timezone.localtime(plan.created_at).date() if plan.created_at else today
                due = drawn_up + timedelta(days=sign_days)
                if due < today:
                    add(
                        WorkItem(
                            "plan_unsigned",
                            client.pk,
                            name,
                            due,
                            f"versie {plan.version} opgesteld {drawn_up:%d-%m-%Y}, nog niet door beiden akkoord",
                            "plan",
                            str(plan.pk),
                        )
                    )

        # Diagnosis.
        client_diagnoses = diagnoses.get(client.pk, [])
        if not client_diagnoses:
            add(
                WorkItem("stale_diagnosis", client.pk, name, client.benefit_start, "geen diagnose vastgelegd")
            )
        else:
            latest = client_diagnoses[-1]
            due = add_months(latest.date, stale_months)
            if due < today:
                add(
                    WorkItem(
                        "stale_diagnosis",
                        client.pk,
                        name,
                        due,
                        f"laatste diagnose {latest.date:%d-%m-%Y} (ouder dan {stale_months} maanden)",
                    )
                )

        # Route limit.
        if regime.route_since is not None and route_limit_reached(
            route=regime.route, since=regime.route_since, today=today, config=config
        ):
            limit = int(config["route_limit_months"][regime.route])
            add(
                WorkItem(
                    "route_limit",
                    client.pk,
                    name,
                    add_months(regime.route_since, limit),
                    f"{ROUTE_LABELS.get(regime.route, regime.route)} sinds {regime.route_since:%d-%m-%Y} "
                    f"(maximaal {limit} maanden): heroverweeg de route",
                )
            )

        # No-shows.
        for trajectory in trajectories.get(client.pk, []):
            what = str(trajectory.instrument) if trajectory.instrument_id else "traject"
            where = f" bij {trajectory.provider}" if trajectory.provider_id else ""
            referral = _referral_of(trajectory)
            if referral is not None and referral.no_show_on is not None:
                add(
                    WorkItem(
                        "no_show",
                        client.pk,
                        name,
                        referral.no_show_on,
                        f"niet gestart bij {what}{where} (gemeld {referral.no_show_on:%d-%m-%Y}): "
                        f"{referral.get_no_show_reason_display()}",
                        "referral",
                        str(referral.pk),
                    )
                )
                continue
            add(
                WorkItem(
                    "no_show",
                    client.pk,
                    name,
                    trajectory.referral_date + timedelta(days=int(config["no_show_days"])),
                    f"verwezen naar {what}{where} op {trajectory.referral_date:%d-%m-%Y}, niet gestart",
                    "",
                    trajectory.pk,
                )
            )
        for contact in missed_contacts.get(client.pk, []):
            add(
                WorkItem(
                    "no_show",
                    client.pk,
                    name,
                    contact.date,
                    f"niet verschenen op {contact.get_kind_display() or 'afspraak'} van {contact.date:%d-%m-%Y}",
                    "contact",
                    contact.pk,
                )
            )
        for entry in voordrachten.get(client.pk, []):
            proposed = timezone.localtime(entry.proposed_at).date()
            vacancy = entry.vacancy
            add(
                WorkItem(
                    "voordracht",
                    client.pk,
                    name,
                    proposed,
                    f"voorgedragen voor {vacancy.title or vacancy.pk}"
                    + (f" bij {vacancy.employer}" if vacancy.employer_id else "")
                    + f" op {proposed:%d-%m-%Y}: vraag de klant om toestemming (online in het eigen dossier)",
                    "vacatures",
                    str(entry.pk),
                )
            )
    items.extend(_placement_items(consultant=consultant, clients=clients, today=today, config=config))
    items.sort(key=lambda i: (i.due, i.client_name, i.kind))
    return items


def _placement_items(*, consultant: Consultant, clients: list, today: date, config: dict) -> list[WorkItem]:
    """Nazorg, proefplaatsingen without their contract and the draaideur (decisions 175,
    177): the date rules are `trede.employers.placements.rules`, the settings the preset's
    `plaatsingen` and the monitor's draaideur window. Nazorg is for the caseload's clients
    whether or not their benefit runs (after an outflow it often does not); the draaideur
    is for those back on benefit (`clients`). Three queries, whatever the caseload."""
    from trede.employers.models import NazorgContact
    from trede.employers.placements import rules as placement_rules
    from trede.employers.placements.settings import placement_settings

    settings = placement_settings(config)
    months = settings["nazorg_months"]
    last_open = int(settings["nazorg_last_open_months"])
    window = int(settings["draaideur_months"])
    reach = max([int(m) for m in months] + [0]) + last_open
    oldest = add_months(today, -max(reach, window + 1))
    benefit_ids = {c.pk: c for c in clients}
    placements = list(
        Placement.objects.filter(client__consultant=consultant)
        .filter(Q(start_date__gte=oldest) | Q(end_date__isnull=True) | Q(end_date__gte=oldest))
        .select_related("employer", "client")
        .only(
            "placement_id",
            "client_id",
            "employer_id",
            "employer__name",
            "start_date",
            "end_date",
            "contract",
            "subsidy",
            "client__given_name",
            "client__family_name",
            "client__client_id",
        )
        .order_by("start_date", "placement_id")
    )
    done: dict[str, set[int]] = defaultdict(set)
    if placements:
        for placement_id, moment in NazorgContact.objects.filter(
            placement__in=[p.pk for p in placements]
        ).values_list("placement_id", "moment_months"):
            done[placement_id].add(moment)
    by_client = _grouped(placements)
    spells = defaultdict(list)
    for client_id, start, end, reason in (
        Benefit.objects.filter(client_id__in=list(benefit_ids))
        .order_by("start_date")
        .values_list("client_id", "start_date", "end_date", "end_reason")
    ):
        spells[client_id].append((start, end, reason or ""))

    items: list[WorkItem] = []
    for placement in placements:
        name = placement.client.name
        where = f" bij {placement.employer}" if placement.employer_id else ""
        if placement.is_proefplaatsing:
            end = placement.end_date
            if (
                end is None
                or end > today
                or end < oldest
                or placement_rules.PROEF_END_MOMENT in done[placement.pk]
            ):
                continue
            later = [
                placement_rules.Span(p.start_date, p.end_date, p.employer_id or "", p.is_proefplaatsing)
                for p in by_client[placement.client_id]
                if p.pk != placement.pk
            ]
            proef = placement_rules.Span(placement.start_date, end, placement.employer_id or "", True)
            if placement_rules.proef_followed(
                proef,
                later,
                min_months=int(settings["proefplaatsing_contract_min_months"]),
                follow_days=int(settings["proefplaatsing_follow_days"]),
            ):
                continue
            items.append(
                WorkItem(
                    "proefplaatsing",
                    placement.client_id,
                    name,
                    end,
                    f"proefplaatsing{where} eindigde op {end:%d-%m-%Y} zonder contract van minstens "
                    f"{settings['proefplaatsing_contract_min_months']} maanden: leg de afloop vast",
                    "placement",
                    placement.pk,
                )
            )
            continue
        moment = placement_rules.nazorg_open(
            placement.start_date, months, done[placement.pk], today, last_open_months=last_open
        )
        if moment is not None:
            m, due = moment
            items.append(
                WorkItem(
                    "nazorg",
                    placement.client_id,
                    name,
                    due,
                    f"nazorgcontact na {m} maand{'en' if m != 1 else ''}{where} "
                    f"(plaatsing gestart {placement.start_date:%d-%m-%Y})",
                    "placement",
                    placement.pk,
                )
            )

    # The draaideur: the running spell started within the window after an outflow to work
    # or the end of a placement, and no contact has been held since it started.
    for client_id, client in benefit_ids.items():
        joined = placement_rules.spells_of(spells.get(client_id, []))
        current = next(
            (sp for sp in reversed(joined) if sp[0] <= today and (sp[1] is None or sp[1] > today)), None
        )
        if current is None:
            continue
        start = current[0]
        if client.last_contact is not None and client.last_contact >= start:
            continue
        before = [sp for sp in joined if sp[1] is not None and sp[1] <= start and sp[0] < start]
        reason = ""
        if (
            before
            and before[-1][2] == "werk"
            and placement_rules.returned_within(before[-1][1], start, window)
        ):
            reason = f"uitstroom naar werk op {before[-1][1]:%d-%m-%Y}"
        for placement in reversed(by_client.get(client_id, [])):
            if reason:
                break
            if (
                placement.start_date < start
                and placement.end_date is not None
                and placement_rules.returned_within(placement.end_date, start, window)
            ):
                where = f" bij {placement.employer}" if placement.employer_id else ""
                reason = f"einde plaatsing{where} op {placement.end_date:%d-%m-%Y}"
        if reason:
            items.append(
                WorkItem(
                    "draaideur",
                    client_id,
                    client.name,
                    start,
                    f"terug in de uitkering sinds {start:%d-%m-%Y}, binnen {window} maanden na {reason}: "
                    "bespreek wat er misging en wat nu helpt",
                    "contact",
                )
            )
    return items


def worklist_grouped(items: list[WorkItem]) -> list[dict]:
    """Items grouped by kind, in the fixed order of KINDS (empty groups included)."""
    by_kind: dict[str, list[WorkItem]] = {kind: [] for kind in KINDS}
    for item in items:
        by_kind[item.kind].append(item)
    return [{"kind": kind, "label": label, "items": by_kind[kind]} for kind, label in KINDS.items()]


def worklist_consultants_for(user) -> list[Consultant]:
    """Whose worklist this user may open: their own, or (teamleider) their team's."""
    from trede.accounts import permissions as perms
    from trede.accounts.access import relations_of, team_of

    if not perms.role_may(user, perms.WORKLIST_READ):
        return []
    relations = relations_of(user)
    if perms.Relation.EIGEN_TEAM in relations:
        return list(Consultant.objects.filter(team=team_of(user)))
    if perms.Relation.EIGEN_CASELOAD in relations:
        return list(Consultant.objects.filter(user=user))
    return []


# --------------------------------------------------------------------------- corrections


@dataclass(frozen=True)
class ContactChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ContactVersion:
    """One stored version of a contact moment: what it said then, and who made it so, why."""

    number: int
    at: datetime
    who: str
    event: str  # "vastgelegd", "ingelezen", "gecorrigeerd", "ingetrokken" or "gewijzigd"
    reason: str
    changes: tuple[ContactChange, ...]
    date: date
    kind: str
    outcome: str
    note: str


_HISTORY_FIELDS = {"date": "Datum", "kind": "Soort contact", "outcome": "Uitkomst", "note": "Verslag"}


def _shown(row, name: str) -> str:
    if name == "date":
        return f"{row.date:%d-%m-%Y}"
    if name in ("kind", "outcome"):
        return getattr(row, f"get_{name}_display")() or "–"
    return row.note or "–"


def _who(row) -> str:
    user = row.history_user
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def contact_history(contact: Contact) -> list[ContactVersion]:
    """Every stored version of this contact moment, newest first (simple_history)."""
    rows = list(contact.history.select_related("history_user").order_by("history_date", "history_id"))
    versions: list[ContactVersion] = []
    previous = None
    for number, row in enumerate(rows, start=1):
        if previous is None:
            event = "vastgelegd" if row.history_user_id else "ingelezen"
            reason = ""
        elif row.withdrawn_at and not previous.withdrawn_at:
            event, reason = "ingetrokken", row.withdrawal_reason
        elif row.corrected_at and row.corrected_at != previous.corrected_at:
            event, reason = "gecorrigeerd", row.correction_reason
        else:
            event, reason = ("gewijzigd" if row.history_user_id else "ingelezen"), ""
        changes = ()
        if previous is not None:
            changes = tuple(
                ContactChange(
                    label,
                    "" if name == "note" else _shown(previous, name),
                    "" if name == "note" else _shown(row, name),
                )
                for name, label in _HISTORY_FIELDS.items()
                if getattr(previous, name) != getattr(row, name)
            )
        versions.append(
            ContactVersion(
                number=number,
                at=row.history_date,
                who=_who(row) or "de import (geen gebruiker)",
                event=event,
                reason=reason,
                changes=changes,
                date=row.date,
                kind=_shown(row, "kind"),
                outcome=_shown(row, "outcome"),
                note=row.note,
            )
        )
        previous = row
    return versions[::-1]


def contacts_with_actions(user, client, contacts):
    """The contacts, each with `may_correct` and `may_withdraw` for this user (one
    relationship lookup for the whole list)."""
    from trede.accounts import permissions as perms
    from trede.accounts.access import relationship

    contacts = list(contacts)
    may_at_all = perms.role_may(user, perms.CONTACT_CORRECT) or perms.role_may(user, perms.CONTACT_WITHDRAW)
    relation = relationship(user, client) if may_at_all else ""
    for contact in contacts:
        open_ = not contact.is_withdrawn and bool(relation)
        contact.may_correct = open_ and perms.allowed(
            user, perms.CONTACT_CORRECT, client, record=contact, relation=relation
        )
        contact.may_withdraw = open_ and perms.allowed(
            user, perms.CONTACT_WITHDRAW, client, record=contact, relation=relation
        )
    return contacts
