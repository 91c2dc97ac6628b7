"""Reads for the consultant's hub: search, the caseload list, the client file and its timeline.

Every read starts from `accounts.access.client_scope` (row level) and every part of a file
is tagged with its section, so what a role may not see is never queried or rendered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import F, Max, Q, QuerySet
from django.db.models.functions import Length
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.accounts.access import CASELOAD_RELATIONS, client_scope, relationship
from trede.accounts.permissions import Relation, role_may
from trede.benefits.constants import EndReason, MeasureKind, Regulation
from trede.benefits.models import Benefit, Measure
from trede.casework.classification import CLIENT_GROUP_LABELS
from trede.casework.constants import (
    LADDER_STEPS,
    ApplicationKind,
    ApplicationStatus,
    AssessedBy,
    Category,
    ContactKind,
    ContactOutcome,
    PlanStatus,
    Route,
)
from trede.casework.contacts.selectors import contacts_with_actions
from trede.casework.intake.questionnaire import answer_rows
from trede.casework.models import (
    Application,
    CaseloadTransfer,
    Contact,
    Diagnosis,
    Plan,
    Questionnaire,
    RouteDecision,
)
from trede.casework.policy.rules import classify
from trede.casework.policy.selectors import active_policy
from trede.employers.matching.rules import occupation_name
from trede.employers.models import Placement
from trede.instruments.constants import TrajectoryResult
from trede.instruments.models import Trajectory
from trede.utils.dates import age_on
from trede.utils.dutch import format_number

from .models import Client, ClientProfile

BSN_RE = re.compile(r"^\d{9}$")
SEARCH_LIMIT = 50


def _label(choices, value) -> str:
    if not value:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def nl_number(value) -> str:
    """A number the Dutch way: no trailing zeros, a decimal comma (24 / 24,5)."""
    return format_number(value, None, empty="")


def sort_name(family_name: str, given_name: str) -> str:
    """Sorted the Dutch way: "de Vries" under V (a tussenvoegsel goes after the name)."""
    words = (family_name or "").split()
    prefix = []
    while len(words) > 1 and words[0].islower():
        prefix.append(words.pop(0))
    return " ".join([*words, *prefix, given_name or ""]).strip().lower()


def may_search_bsn(user) -> bool:
    """Only roles that may see the BSN may look a person up by it (the privacy officer
    too: requests for inspection arrive with a BSN)."""
    return role_may(user, perms.CLIENT_SEARCH_BSN)


# --------------------------------------------------------------------------- search


def client_search(*, user, query: str, limit: int = SEARCH_LIMIT) -> list[Client]:
    """Clients within the user's scope matching a name (every word a part of the given or
    family name), an exact BSN, or the start of a client number."""
    text = " ".join((query or "").split())
    if not text:
        return []
    condition = Q(client_id__istartswith=text)
    if BSN_RE.match(text) and may_search_bsn(user):
        condition |= Q(bsn=text)
    words = text.split(" ")
    if not any(w.isdigit() for w in words):
        by_name = Q()
        for word in words:
            by_name &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
        condition |= by_name
    return list(
        client_scope(user)
        .filter(condition)
        .select_related("consultant")
        .order_by("family_name", "given_name", "client_id")[:limit]
    )


# --------------------------------------------------------------------------- caseload


@dataclass(frozen=True)
class CaseloadRow:
    client_id: str
    name: str
    sort_name: str
    age: int | None
    consultant: str
    route: str
    route_label: str
    client_group: str
    client_group_label: str
    category: str
    ladder_step: int | None
    last_contact: date | None
    benefit_status: str  # lopend / beeindigd / geen
    benefit_label: str
    benefit_end: date | None
    plan_status: str  # ondertekend / concept / vervallen / "" (no plan)
    plan_label: str
    derived: bool = False  # route, category and group derived from the diagnosis, not decided

    @property
    def benefit_status_label(self) -> str:
        return BENEFIT_STATUS_LABELS.get(self.benefit_status, self.benefit_status)


BENEFIT_STATUS_LABELS = {"lopend": "lopend", "beeindigd": "beëindigd", "geen": "geen uitkering"}
# "Huidige klanten": everyone except those whose benefit ended longer ago than nazorg lasts
# (the preset's `nazorg_days`).
BENEFIT_FILTERS = {
    "actueel": "Huidige klanten",
    "lopend": "Met een lopende uitkering",
    "beeindigd": "Uitkering beëindigd",
    "geen": "Zonder uitkering",
    "alle": "Alle klanten",
}


def caseload_scope(*, user) -> QuerySet:
    """The clients of "Mijn klanten": a werkconsulent's own caseload, a teamleider's team
    (not waarnemingen, nor the team's new applicants a werkconsulent can also open)."""
    if not role_may(user, perms.CASELOAD_READ):
        return Client.objects.none()
    return client_scope(user, relations=CASELOAD_RELATIONS)


def _first_per_client(rows) -> dict:
    """The first row per client_id of rows ordered by client_id and then by preference."""
    first: dict = {}
    for row in rows:
        first.setdefault(row["client_id"], row)
    return first


def caseload_data(*, user, today: date | None = None) -> list[dict]:
    """Every client of the caseload with the facts of each column: seven queries whatever
    the size of the caseload (one per table, each an indexed scan of these clients' rows;
    the latest row per client is picked in Python)."""
    today = today or timezone.localdate()
    scope = caseload_scope(user=user)
    people = list(
        scope.order_by().values(
            "client_id", "given_name", "family_name", "birth_date", "dgr", "consultant__name", "consultant_id"
        )
    )
    if not people:
        return []
    # The ids as a list: seven small indexed lookups, no subquery to compile seven times.
    ids = [p["client_id"] for p in people]
    decisions = _first_per_client(
        RouteDecision.objects.filter(client__in=ids)
        .order_by("client_id", "-decided_on", "-id")
        .values("client_id", "route", "client_group", "category", "ladder_step")
    )
    # The latest diagnosis; ties on date go to the highest id (docs/decisions.md, 4).
    diagnoses = _first_per_client(
        Diagnosis.objects.filter(client__in=ids)
        .order_by("client_id", "-date", Length("diagnosis_id").desc(), "-diagnosis_id")
        .values("client_id", "route", "client_group", "category", "ladder_step", "months_to_work")
    )
    last_contact = dict(
        Contact.objects.not_withdrawn()
        .filter(client__in=ids, date__lte=today)
        .order_by()
        .values("client_id")
        .annotate(last=Max("date"))
        .values_list("client_id", "last")
    )
    benefit_rows = list(
        Benefit.objects.filter(client__in=ids, start_date__lte=today)
        .with_running(today)
        .order_by("client_id", "-start_date", "-benefit_id")
        .values("client_id", "regulation", "start_date", "end_date", "end_reason", "running")
    )
    latest_benefit = _first_per_client(benefit_rows)
    running_benefit = _first_per_client(r for r in benefit_rows if r["running"])
    placed = set(
        Placement.objects.filter(client__in=ids)
        .running_on(today)
        .order_by()
        .values_list("client_id", flat=True)
    )
    plans = _first_per_client(
        Plan.objects.filter(client__in=ids)
        .order_by("client_id", "-version")
        .values("client_id", "status", "version")
    )
    for person in people:
        cid = person["client_id"]
        person.update(
            decision=decisions.get(cid),
            diagnosis=diagnoses.get(cid),
            last_contact=last_contact.get(cid),
            benefit=running_benefit.get(cid) or latest_benefit.get(cid),
            benefit_running=cid in running_benefit,
            placed=cid in placed,
            plan=plans.get(cid),
        )
    return people


def _labels(choices) -> dict[str, str]:
    """Code → label of a code list, translated once (not once per row)."""
    return {value: str(label) for value, label in choices.choices}


def _benefit_label(benefit: dict | None, running: bool, labels: dict) -> tuple[str, str]:
    if benefit is None:
        return "geen", "geen uitkering"
    regulation = labels["regulation"].get(benefit["regulation"]) or "uitkering"
    if running:
        return "lopend", f"{regulation} sinds {benefit['start_date']:%d-%m-%Y}"
    reason = labels["end_reason"].get(benefit["end_reason"], "")
    ended = f"beëindigd per {benefit['end_date']:%d-%m-%Y}" if benefit["end_date"] else "beëindigd"
    return "beeindigd", f"{ended}{f' ({reason})' if reason else ''}"


def _plan_label(plan: dict | None, labels: dict) -> str:
    if not plan:
        return "geen plan"
    status, version = plan["status"], plan["version"]
    if status == PlanStatus.ONDERTEKEND:
        return f"ondertekend (versie {version})"
    if status == PlanStatus.CONCEPT:
        return f"concept, nog niet ondertekend (versie {version})"
    return f"{labels['plan'].get(status, status)} (versie {version})"


def _row(p: dict, today: date, labels: dict, policy) -> CaseloadRow:
    decision, diagnosis = p["decision"] or {}, p["diagnosis"] or {}
    route = decision.get("route") or diagnosis.get("route") or ""
    group = decision.get("client_group") or diagnosis.get("client_group") or ""
    category = decision.get("category") or diagnosis.get("category") or ""
    step = decision.get("ladder_step")
    if step is None:
        step = diagnosis.get("ladder_step")
    derived = False
    months = diagnosis.get("months_to_work")
    if not decision and not (route and group) and months is not None:
        # An imported diagnosis without Trede's classification: what the active policy
        # makes of the same facts, shown as derived (no decision has been taken).
        result = classify(
            months_to_work=months,
            ladder_step=step,
            dgr=p["dgr"],
            placed=p["placed"],
            config=policy(),
            category=category,
            route=route,
            client_group=group,
        )
        route, group, category, derived = result.route, result.client_group, result.category, True
    elif not group and p["placed"]:
        group, derived = "geplaatst", True
    benefit_status, benefit_label = _benefit_label(p["benefit"], p["benefit_running"], labels)
    name = " ".join(part for part in (p["given_name"], p["family_name"]) if part) or p["client_id"]
    return CaseloadRow(
        client_id=p["client_id"],
        name=name,
        sort_name=sort_name(p["family_name"], p["given_name"]) or p["client_id"].lower(),
        age=age_on(p["birth_date"], today),
        consultant=p["consultant__name"] or p["consultant_id"] or "",
        route=route,
        route_label=labels["route"].get(route, route),
        client_group=group,
        client_group_label=CLIENT_GROUP_LABELS.get(group, group) if group else "",
        category=category,
        ladder_step=step,
        last_contact=p["last_contact"],
        benefit_status=benefit_status,
        benefit_label=benefit_label,
        benefit_end=None if p["benefit_running"] or not p["benefit"] else p["benefit"]["end_date"],
        plan_status=(p["plan"] or {}).get("status", ""),
        plan_label=_plan_label(p["plan"], labels),
        derived=derived,
    )


SORT_KEYS = {
    "naam": lambda r: (r.sort_name, r.client_id),
    "klantnummer": lambda r: (r.client_id,),
    "leeftijd": lambda r: (r.age is None, r.age or 0, r.sort_name),
    "route": lambda r: (not r.route, r.route_label, r.sort_name),
    "klantgroep": lambda r: (not r.client_group, r.client_group_label, r.sort_name),
    "trede": lambda r: (r.ladder_step is None, r.ladder_step or 0, r.sort_name),
    # No contact yet counts as the oldest: first when sorting on the longest-ago contact.
    "contact": lambda r: (r.last_contact or date.min, r.sort_name),
    "uitkering": lambda r: (r.benefit_status, r.sort_name),
    "plan": lambda r: (r.plan_status, r.sort_name),
    "consulent": lambda r: (r.consultant, r.sort_name),
}


def caseload_rows(
    *,
    user,
    route: str = "",
    client_group: str = "",
    benefit: str = "",
    sort: str = "naam",
    today: date | None = None,
) -> list[CaseloadRow]:
    """Every client of the consultant (or the teamleider's team), one row each, in a constant
    number of queries; filtered and sorted in Python (a caseload is at most a few hundred)."""
    today = today or timezone.localdate()
    labels = {
        "route": _labels(Route),
        "regulation": _labels(Regulation),
        "end_reason": _labels(EndReason),
        "plan": _labels(PlanStatus),
    }
    config: list[dict] = []

    def policy() -> dict:  # fetched once, and only when a row needs it
        if not config:
            config.append(active_policy().config)
        return config[0]

    rows = [_row(p, today, labels, policy) for p in caseload_data(user=user, today=today)]
    if route:
        rows = [r for r in rows if r.route == route]
    if client_group:
        rows = [r for r in rows if r.client_group == client_group]
    if benefit == "actueel":
        since = today - timedelta(days=int(policy()["nazorg_days"]))
        rows = [r for r in rows if r.benefit_status != "beeindigd" or (r.benefit_end or date.min) >= since]
    elif benefit in BENEFIT_STATUS_LABELS:
        rows = [r for r in rows if r.benefit_status == benefit]
    descending = sort.startswith("-")
    key = SORT_KEYS.get(sort.lstrip("-"), SORT_KEYS["naam"])
    rows.sort(key=key, reverse=descending)
    return rows


CASELOAD_CSV_COLUMNS = (
    "klantnummer",
    "naam",
    "leeftijd",
    "consulent",
    "route",
    "klantgroep",
    "categorie",
    "trede",
    "laatste contact",
    "uitkering",
    "plan van aanpak",
)


def caseload_csv_rows(rows: list[CaseloadRow]):
    for r in rows:
        yield (
            r.client_id,
            r.name,
            "" if r.age is None else r.age,
            r.consultant,
            r.route_label,
            r.client_group_label,
            r.category,
            "" if r.ladder_step is None else r.ladder_step,
            r.last_contact.isoformat() if r.last_contact else "",
            r.benefit_label,
            r.plan_label,
        )


# --------------------------------------------------------------------------- the client file


# The order in which a file shows its sections.
SECTION_ORDER = (
    "basis",
    "identiteit",
    "diagnose",
    "werkprofiel",
    "leefgebieden",
    "plan",
    "contacten",
    "trajecten",
    "uitkering",
    "handhaving",
)


def _questionnaire_rows(answers, sensitivity: str) -> list[dict]:
    """Answers of the questions of one sensitivity (werkprofiel or leefgebieden), per life
    domain, as the intake's question catalogue labels them."""
    return answer_rows(answers or {}, sensitivities={sensitivity})


def _latest_questionnaire(client: Client) -> Questionnaire | None:
    return (
        Questionnaire.objects.filter(client=client)
        .order_by(
            F("completed_at").desc(nulls_last=True),
            F("submitted_by_client_at").desc(nulls_last=True),
            "-created_at",
        )
        .first()
    )


@dataclass
class ClientFile:
    """The parts of one client's file that one user may see; a part the user may not see is
    absent from `data` (not empty), so a template cannot show it by mistake."""

    client: Client
    sections: tuple[str, ...]
    data: dict = field(default_factory=dict)
    age: int | None = None
    route_label: str = ""
    client_group_label: str = ""
    category: str = ""
    derived: bool = False  # route, category and group derived from the diagnosis, not decided


def _diagnosis_data(client: Client) -> dict:
    diagnoses = list(
        Diagnosis.objects.filter(client=client).order_by(
            "-date", Length("diagnosis_id").desc(), "-diagnosis_id"
        )
    )
    decisions = list(RouteDecision.objects.filter(client=client).select_related("decided_by"))
    latest = diagnoses[0] if diagnoses else None
    current = decisions[0] if decisions else None
    return {
        "latest": latest,
        "current": current,
        "diagnoses": diagnoses,
        "decisions": decisions,
        "ladder_labels": {k: str(v) for k, v in LADDER_STEPS.items()},
        "dgr": client.dgr,
        "statushouder": client.statushouder,
    }


def _leefgebieden_data(client: Client, questionnaire: Questionnaire | None) -> dict:
    return {
        "household": client.get_household_display() if client.household else "",
        "questionnaire": questionnaire,
        "answers": _questionnaire_rows(questionnaire.answers, "leefgebieden") if questionnaire else [],
    }


def _with_referral_links(trajectories: list, user) -> list:
    """Each trajectory with `referral_url`: its referral's page for this user ('' for an
    imported trajectory, or when the role has no referral page)."""
    from django.core.exceptions import ObjectDoesNotExist
    from django.urls import reverse

    from trede.accounts import permissions as perms

    name = ""
    if perms.role_may(user, perms.REFERRAL_READ):
        name = "instruments:referral"
    elif perms.role_may(user, perms.PARTICIPANTS_READ):
        name = "instruments:participant"
    for trajectory in trajectories:
        try:
            referral = trajectory.referral
        except ObjectDoesNotExist:
            referral = None
        trajectory.referral_url = reverse(name, args=[referral.pk]) if name and referral else ""
    return trajectories


def _trajectories(client: Client, user) -> QuerySet:
    trajectories = Trajectory.objects.filter(client=client).select_related(
        "instrument", "provider", "referral"
    )
    if relationship(user, client) == Relation.VERWEZEN:
        # A provider sees only the trajectories it runs itself.
        trajectories = trajectories.filter(provider_id=user.provider_id)
    return trajectories.order_by("-referral_date", "-trajectory_id")


def client_file(*, user, client: Client, sections, today: date | None = None) -> ClientFile:
    """The visible parts of a client file; queries only the sections in `sections`."""
    today = today or timezone.localdate()
    shown = tuple(s for s in SECTION_ORDER if s in sections)
    result = ClientFile(client=client, sections=shown, age=age_on(client.birth_date, today))
    data = result.data
    if "basis" in shown:
        data["basis"] = {"consultant": client.consultant if client.consultant_id else None}
    if "identiteit" in shown:
        data["identiteit"] = {"bsn": client.bsn}
    if "diagnose" in shown:
        data["diagnose"] = diagnosis = _diagnosis_data(client)
        current, latest = diagnosis["current"], diagnosis["latest"]
        route = (current and current.route) or (latest and latest.route) or ""
        group = (current and current.client_group) or (latest and latest.client_group) or ""
        category = (current and current.category) or (latest and latest.category) or ""
        if (
            current is None
            and latest is not None
            and latest.months_to_work is not None
            and not (route and group)
        ):
            # As on "Mijn klanten": an imported diagnosis classified by the active policy.
            placed = Placement.objects.filter(client=client).running_on(today).exists()
            derived = classify(
                months_to_work=latest.months_to_work,
                ladder_step=latest.ladder_step,
                dgr=client.dgr,
                placed=placed,
                config=active_policy().config,
                category=category,
                route=route,
                client_group=group,
            )
            route, category, group = derived.route, derived.category, derived.client_group
            result.derived = True
        result.route_label = _label(Route, route)
        result.client_group_label = CLIENT_GROUP_LABELS.get(group, "") if group else ""
        result.category = category
    questionnaire = None
    if "werkprofiel" in shown or "leefgebieden" in shown:
        questionnaire = _latest_questionnaire(client)
    if "werkprofiel" in shown:
        profile = ClientProfile.objects.filter(client=client).first()
        data["werkprofiel"] = {
            "education": client.get_education_display() if client.education else "",
            "dutch_language": client.get_dutch_language_display() if client.dutch_language else "",
            "profile": profile,
            # ISCO codes are never shown without their label (issue 10).
            "occupations": [
                occupation_name(str(code)) for code in (profile.desired_occupations if profile else [])
            ],
            "placements": list(
                Placement.objects.filter(client=client).select_related("employer").order_by("-start_date")
            ),
            # The placement pages (trede.employers.placements): who may open and record them.
            "may_open_placements": perms.allowed(user, perms.PLACEMENT_READ, client),
            "may_record_placement": perms.allowed(user, perms.PLACEMENT_RECORD, client),
            "questionnaire": questionnaire,
            "answers": _questionnaire_rows(questionnaire.answers, "werkprofiel") if questionnaire else [],
        }
    if "leefgebieden" in shown:
        data["leefgebieden"] = _leefgebieden_data(client, questionnaire)
    if "plan" in shown:
        data["plan"] = {"plans": list(Plan.objects.filter(client=client).prefetch_related("actions"))}
    if "contacten" in shown:
        data["contacten"] = {
            # Withdrawn and corrected contacts stay on the list, marked, with their history.
            "contacts": contacts_with_actions(
                user,
                client,
                Contact.objects.filter(client=client)
                .select_related("consultant")
                .order_by("-date", "-contact_id"),
            ),
            "transfers": list(
                CaseloadTransfer.objects.filter(client=client).select_related(
                    "from_consultant", "to_consultant"
                )
            ),
            "applications": list(Application.objects.filter(client=client).order_by("-received_on", "-id")),
        }
    if "trajecten" in shown:
        data["trajecten"] = {"trajectories": _with_referral_links(list(_trajectories(client, user)), user)}
    if "uitkering" in shown:
        data["uitkering"] = {
            "benefits": list(Benefit.objects.filter(client=client).order_by("-start_date", "-benefit_id")),
            "today": today,
        }
    if "handhaving" in shown:
        data["handhaving"] = {"measures": list(Measure.objects.filter(client=client).order_by("-date"))}
    return result


# --------------------------------------------------------------------------- the timeline


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    section: str
    kind: str  # a short Dutch label: "Uitkering", "Contact", "Diagnose" ...
    title: str
    detail: str = ""
    moment: datetime | None = None  # for ordering entries of the same day

    @property
    def sort_key(self):
        return (self.day, self.moment.timestamp() if self.moment else 0.0)


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _timeline_benefits(client, user, rows=None):
    for b in Benefit.objects.filter(client=client) if rows is None else rows:
        regulation = _label(Regulation, b.regulation) or "Uitkering"
        yield TimelineEntry(b.start_date, "uitkering", "Uitkering", f"{regulation}: uitkering gestart")
        if b.end_date:
            reason = _label(EndReason, b.end_reason)
            yield TimelineEntry(
                b.end_date,
                "uitkering",
                "Uitkering",
                f"{regulation}: uitkering beëindigd",
                reason and f"Reden: {reason}",
            )


def _timeline_measures(client, user, rows=None):
    for m in Measure.objects.filter(client=client) if rows is None else rows:
        parts = []
        if m.percentage is not None:
            parts.append(f"{nl_number(m.percentage)} %")
        if m.months is not None:
            months = nl_number(m.months)
            parts.append(f"{months} {'maand' if months == '1' else 'maanden'}")
        yield TimelineEntry(
            m.date,
            "handhaving",
            "Handhaving",
            (_label(MeasureKind, m.kind) or "Besluit").capitalize(),
            ", ".join(parts),
        )


def _timeline_diagnoses(client, user, rows=None):
    for d in Diagnosis.objects.filter(client=client) if rows is None else rows:
        parts = []
        if d.months_to_work is not None:
            parts.append(f"afstand tot werk {d.months_to_work} maanden")
        if d.ladder_step is not None:
            parts.append(f"trede {d.ladder_step}" + (f", doel {d.ladder_target}" if d.ladder_target else ""))
        if d.category:
            parts.append(f"categorie {d.category}")
        by = _label(AssessedBy, d.assessed_by)
        title = "Diagnose vastgesteld" + (f" ({by})" if by else "")
        if d.is_override:
            title += ", afwijkend van het instrument"
        yield TimelineEntry(d.date, "diagnose", "Diagnose", title, "; ".join(parts))


def _timeline_route_decisions(client, user, rows=None):
    for r in RouteDecision.objects.filter(client=client) if rows is None else rows:
        parts = [p for p in (r.category, CLIENT_GROUP_LABELS.get(r.client_group, "")) if p]
        yield TimelineEntry(
            r.decided_on,
            "diagnose",
            "Route",
            f"Route: {_label(Route, r.route)}"
            + (f" (afwijkend van het advies {_label(Route, r.advised_route)})" if r.deviates else ""),
            ", ".join(parts),
            r.created_at,
        )


def _timeline_contacts(client, user):
    for c in Contact.objects.filter(client=client).select_related("consultant"):
        kind = (_label(ContactKind, c.kind) or "contact").capitalize()
        outcome = _label(ContactOutcome, c.outcome)
        who = f"met {c.consultant}" if c.consultant_id else ""
        title = f"{kind}{f': {outcome}' if outcome else ''}"
        if c.is_withdrawn:
            title, who = f"{title} (ingetrokken)", f"Ingetrokken: {c.withdrawal_reason}"
        elif c.is_corrected:
            title = f"{title} (gecorrigeerd)"
        yield TimelineEntry(c.date, "contacten", "Contact", title, who)


def _timeline_transfers(client, user, rows=None):
    if rows is None:
        rows = CaseloadTransfer.objects.filter(client=client).select_related(
            "from_consultant", "to_consultant"
        )
    for t in rows:
        source = f"van {t.from_consultant} " if t.from_consultant_id else ""
        yield TimelineEntry(
            _local_day(t.transferred_at),
            "contacten",
            "Overdracht",
            f"Overgedragen {source}naar {t.to_consultant}",
            f"Reden: {t.reason}",
            t.transferred_at,
        )


def _timeline_applications(client, user, rows=None):
    for a in Application.objects.filter(client=client) if rows is None else rows:
        yield TimelineEntry(
            a.received_on,
            "contacten",
            "Intake",
            f"{_label(ApplicationKind, a.kind).capitalize()} ontvangen",
            f"Stand: {_label(ApplicationStatus, a.status)}",
            a.created_at,
        )


def _timeline_questionnaires(client, user):
    for q in Questionnaire.objects.filter(client=client):
        if q.submitted_by_client_at:
            yield TimelineEntry(
                _local_day(q.submitted_by_client_at),
                "leefgebieden",
                "Vragenlijst",
                "Vragenlijst ingevuld door de inwoner",
                moment=q.submitted_by_client_at,
            )
        if q.completed_at:
            yield TimelineEntry(
                _local_day(q.completed_at),
                "leefgebieden",
                "Vragenlijst",
                "Vragenlijst afgerond in het intakegesprek",
                moment=q.completed_at,
            )


def _timeline_trajectories(client, user, rows=None):
    for t in _trajectories(client, user) if rows is None else rows:
        what = str(t.instrument) if t.instrument_id else "traject"
        at = f" bij {t.provider}" if t.provider_id else ""
        yield TimelineEntry(t.referral_date, "trajecten", "Traject", f"Verwezen naar {what}{at}")
        if t.start_date:
            yield TimelineEntry(t.start_date, "trajecten", "Traject", f"{what.capitalize()} gestart{at}")
        if t.end_date:
            result = _label(TrajectoryResult, t.result)
            yield TimelineEntry(
                t.end_date,
                "trajecten",
                "Traject",
                f"{what.capitalize()} beëindigd",
                result and f"Resultaat: {result}",
            )


def _timeline_placements(client, user, rows=None):
    for p in Placement.objects.filter(client=client).select_related("employer") if rows is None else rows:
        at = f" bij {p.employer}" if p.employer_id else ""
        hours = f"{nl_number(p.hours_per_week)} uur per week" if p.hours_per_week is not None else ""
        yield TimelineEntry(p.start_date, "werkprofiel", "Werk", f"Aan het werk{at}", hours)
        if p.end_date:
            yield TimelineEntry(p.end_date, "werkprofiel", "Werk", f"Werk beëindigd{at}")


def _timeline_plans(client, user, rows=None):
    for p in Plan.objects.filter(client=client) if rows is None else rows:
        yield TimelineEntry(
            _local_day(p.created_at),
            "plan",
            "Plan",
            f"Plan van aanpak versie {p.version} opgesteld",
            moment=p.created_at,
        )
        if p.status == PlanStatus.ONDERTEKEND and p.client_agreed_at:
            moment = max(p.client_agreed_at, p.consultant_agreed_at or p.client_agreed_at)
            yield TimelineEntry(
                _local_day(moment),
                "plan",
                "Plan",
                f"Plan van aanpak versie {p.version} ondertekend",
                moment=moment,
            )


# Each source with the section it belongs to: a source is not even queried for a user who
# may not see its section.
TIMELINE_SOURCES = (
    ("uitkering", _timeline_benefits),
    ("handhaving", _timeline_measures),
    ("diagnose", _timeline_diagnoses),
    ("diagnose", _timeline_route_decisions),
    ("contacten", _timeline_contacts),
    ("contacten", _timeline_transfers),
    ("contacten", _timeline_applications),
    ("leefgebieden", _timeline_questionnaires),
    ("trajecten", _timeline_trajectories),
    ("werkprofiel", _timeline_placements),
    ("plan", _timeline_plans),
)


# Sources whose rows a client file has already loaded: (section, key) in `ClientFile.data`.
# The file page shows its sections and the timeline together; these are not queried twice.
TIMELINE_ROWS_IN_FILE = {
    _timeline_benefits: ("uitkering", "benefits"),
    _timeline_measures: ("handhaving", "measures"),
    _timeline_diagnoses: ("diagnose", "diagnoses"),
    _timeline_route_decisions: ("diagnose", "decisions"),
    _timeline_transfers: ("contacten", "transfers"),
    _timeline_applications: ("contacten", "applications"),
    _timeline_trajectories: ("trajecten", "trajectories"),
    _timeline_placements: ("werkprofiel", "placements"),
    _timeline_plans: ("plan", "plans"),
}


def client_timeline(
    *, user, client: Client, sections=None, file: ClientFile | None = None
) -> list[TimelineEntry]:
    """Everything that happened to a client, newest first, as one list; only entries of
    sections this user may see (pass `sections` when already known, and the `client_file`
    of the same request to reuse the rows it loaded)."""
    if sections is None:
        from trede.accounts.access import sections_for

        sections = sections_for(user, client)
    loaded = file.data if file is not None and file.client.pk == client.pk else {}
    entries: list[TimelineEntry] = []
    for section, source in TIMELINE_SOURCES:
        if section in sections:
            rows = None
            if source in TIMELINE_ROWS_IN_FILE:
                part, key = TIMELINE_ROWS_IN_FILE[source]
                rows = loaded.get(part, {}).get(key)
            produced = source(client, user) if rows is None else source(client, user, rows)
            entries.extend(e for e in produced if e.section in sections)
    entries.sort(key=lambda e: e.sort_key, reverse=True)
    return entries


def category_label(code: str) -> str:
    return _label(Category, code)
