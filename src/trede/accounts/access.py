"""Who may see which part of a client file: role and relationship, enforced on the server.

Every view and API endpoint that shows personal data asks this module, and every list
of clients is filtered by `client_scope` in the database (row level), so a client outside
someone's scope is neither listed nor reachable by guessing an id.

Sections of a client file:
- basis: name, client number, age, postcode, consultant
- identiteit: BSN
- werkprofiel: education, language, work history, skills, wishes, placements, loonwaarde
- diagnose: distance to work, ladder, category, route, client group and their explanation
- leefgebieden: health, psychological and debt details, care duties, household, housing
- uitkering: benefits; handhaving: warnings, fines, maatregelen
- plan: plan van aanpak; contacten: contact moments and notes
- trajecten: referrals to instruments and their results
- audit: who read or changed the file (privacy officer)

Relationships (`relationship`, the same conditions as `client_scope`) are as narrow as the
task: a werkconsulent has the own caseload, the team's new applicants while their intake
runs, and waarnemingen; a teamleider the team; an inkomen consultant the own caseload and
team; an accountmanager the candidates at the employer accounts they own; a provider the
clients referred to it; a resident the own file; the privacy officer every file (basis and
audit only). Anyone else's client only through a recorded waarneming.

Accountmanagers never get leefgebieden (health, psychological, debt or family details),
providers only basis and their own trajectories, policy staff no client file at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from .models import Role, Waarneming
from .permissions import Relation, sections_for_relation, sections_for_role

ALL_SECTIONS = frozenset(
    {
        "basis",
        "identiteit",
        "werkprofiel",
        "diagnose",
        "leefgebieden",
        "uitkering",
        "handhaving",
        "plan",
        "contacten",
        "trajecten",
    }
)

# Derived from the one declaration of permissions (`permissions.SECTION_READ`).
SECTIONS_BY_ROLE: dict[str, frozenset[str]] = {role: sections_for_role(role) for role in Role.values}

SECTION_LABELS = {
    "basis": "Basisgegevens",
    "identiteit": "BSN",
    "werkprofiel": "Werkprofiel",
    "diagnose": "Diagnose en route",
    "leefgebieden": "Leefgebieden",
    "uitkering": "Uitkering",
    "handhaving": "Handhaving",
    "plan": "Plan van aanpak",
    "contacten": "Contactmomenten",
    "trajecten": "Trajecten",
    "audit": "Auditlog",
}

# What "Mijn klanten" holds: the own caseload, for a teamleider the team's.
CASELOAD_RELATIONS = frozenset({Relation.EIGEN_CASELOAD, Relation.EIGEN_TEAM})


def team_of(user) -> str:
    """The team a user works in: their own `team`, or the team of their Consultant record."""
    if getattr(user, "team", ""):
        return user.team
    # The reverse one-to-one raises RelatedObjectDoesNotExist (an AttributeError) when absent.
    consultant = getattr(user, "consultant", None)
    return (consultant.team or "") if consultant is not None else ""


def _active_waarneming(user) -> Exists:
    return Exists(Waarneming.objects.filter(user=user, client=OuterRef("pk"), valid_until__gt=timezone.now()))


def _open_application() -> Exists:
    """A melding or aanvraag whose intake is still running (no route decided yet)."""
    application = apps.get_model("casework", "Application")
    return Exists(application.objects.filter(client=OuterRef("pk")).exclude(status="afgerond"))


def _candidate_at_own_employers(user) -> Q:
    """Clients placed with, or shortlisted with consent at, the employer accounts this
    accountmanager owns (decision 127).

    A voordracht counts from the client's consent on (and stays through the outcome, which
    the accountmanager records): before it, and after a refusal, the accountmanager knows
    the candidate only by the vacancy's label, never the person."""
    from trede.employers.constants import CONSENTED

    placement = apps.get_model("employers", "Placement")
    voordracht = apps.get_model("employers", "Voordracht")
    return Q(Exists(placement.objects.filter(client=OuterRef("pk"), employer__account_manager=user))) | Q(
        Exists(
            voordracht.objects.filter(
                client=OuterRef("pk"), vacancy__employer__account_manager=user, status__in=CONSENTED
            )
        )
    )


def _referred_to_own_provider(user) -> Q:
    trajectory = apps.get_model("instruments", "Trajectory")
    return Q(Exists(trajectory.objects.filter(client=OuterRef("pk"), provider_id=user.provider_id)))


def _conditions(user) -> list[tuple[str, Q]]:
    """Each relationship this user can have to a client, as a database condition on Client.

    The one definition behind both `client_scope` (the union) and `relationship` (the first
    that holds), so the two cannot disagree. Order is priority: the own caseload before the
    team before a waarneming.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    role = user.role
    team = team_of(user)
    own = [(Relation.EIGEN_CASELOAD, Q(consultant__user=user))]
    team_clients = [(Relation.EIGEN_TEAM, Q(consultant__team=team))] if team else []
    waarneming = [(Relation.WAARNEMING, Q(_active_waarneming(user)))]
    if role == Role.CONSULENT_WERK:
        # New applicants of the team are shared until their route is decided: a colleague
        # takes the call while the one who registered them is away.
        new_in_team = (
            [(Relation.TEAM_AANMELDING, Q(consultant__team=team) & Q(_open_application()))] if team else []
        )
        return own + new_in_team + waarneming
    if role == Role.TEAMLEIDER:
        return team_clients + waarneming
    if role == Role.CONSULENT_INKOMEN:
        # The benefits of the own caseload and team (registered applicants without a benefit
        # yet included); other clients only through a recorded waarneming.
        return own + team_clients + waarneming
    if role == Role.ACCOUNTMANAGER:
        return [(Relation.KANDIDAAT, _candidate_at_own_employers(user))]
    if role == Role.AANBIEDER:
        return [(Relation.VERWEZEN, _referred_to_own_provider(user))] if user.provider_id else []
    if role == Role.PRIVACY:
        return [(Relation.PRIVACYCONTROLE, Q(pk__isnull=False))]
    if role == Role.INWONER:
        return [(Relation.EIGEN_DOSSIER, Q(pk=user.client_id))] if user.client_id else []
    return []


def relations_of(user) -> frozenset[str]:
    """The relationships this user can have to any client at all."""
    return frozenset(relation for relation, _q in _conditions(user))


def client_scope(user, *, relations=None) -> QuerySet:
    """The clients this user may open, as a queryset (row-level authorisation).

    `relations` narrows it to clients with one of these relationships (e.g. the caseload).
    """
    from trede.clients.models import Client

    conditions = [q for relation, q in _conditions(user) if relations is None or relation in relations]
    if not conditions:
        return Client.objects.none()
    union = Q()
    for q in conditions:
        union |= q
    return Client.objects.filter(union)


# Relationships already looked up in this request: {(user pk, client pk): relation}. A
# client file asks for the same one a dozen times (the sections, every link's permission);
# None outside `relationships_per_request` (commands, tests calling functions directly).
_remembered: ContextVar[dict | None] = ContextVar("trede_relationships", default=None)


def _forget_on_write(execute, sql, params, many, context):
    """Any statement but a SELECT may change a relationship (a waarneming, a transfer, a new
    application, a changed role or team): forget them all before it runs."""
    remembered = _remembered.get()
    if remembered and sql.lstrip()[:6].upper() != "SELECT":
        remembered.clear()
    return execute(sql, params, many, context)


@contextmanager
def relationships_per_request() -> Iterator[None]:
    """Remember the relationships looked up inside the block (one request: the middleware
    `trede.accounts.middleware.RelationshipsPerRequestMiddleware`), until the block ends or
    a statement that is not a SELECT runs. Never shared between requests or users."""
    if _remembered.get() is not None:
        yield
        return
    token = _remembered.set({})
    try:
        with connection.execute_wrapper(_forget_on_write):
            yield
    finally:
        _remembered.reset(token)


def _remember(user, client_pk, relation: str) -> None:
    remembered = _remembered.get()
    if remembered is not None:
        remembered[(user.pk, client_pk)] = relation


def relationship_case(user) -> Case | None:
    """The relationship as an expression on Client ('' when none holds); None when this
    user can have no relationship at all."""
    conditions = _conditions(user)
    if not conditions:
        return None
    return Case(
        *(When(q, then=Value(relation)) for relation, q in conditions),
        default=Value(""),
        output_field=CharField(),
    )


def client_with_relationship(user, client_id, *, queryset=None):
    """(client, relationship) in one query, or (None, "") when this user has no relationship
    to that client (or it does not exist): the same answer as `client_scope` and
    `relationship`, built from the same conditions."""
    from trede.clients.models import Client

    case = relationship_case(user)
    if case is None:
        return None, ""
    client = (queryset if queryset is not None else Client.objects.all()).filter(pk=client_id)
    client = client.annotate(_relation=case).first()
    if client is None or not client._relation:
        return None, ""
    _remember(user, client.pk, client._relation)
    return client, client._relation


def relationship(user, client) -> str:
    """Why this user may open this client's file ('' when not): one query on the client,
    once per request."""
    from trede.clients.models import Client

    if client is None or client.pk is None or not getattr(user, "is_authenticated", False):
        return ""
    remembered = _remembered.get()
    key = (user.pk, client.pk)
    if remembered is not None and key in remembered:
        return remembered[key]
    case = relationship_case(user)
    if case is None:
        return ""
    value = (
        Client.objects.filter(pk=client.pk)
        .annotate(_relation=case)
        .values_list("_relation", flat=True)
        .first()
    ) or ""
    _remember(user, client.pk, value)
    return value


def sections_for(user, client) -> frozenset[str]:
    """The sections of this client's file the user may see (empty: no access)."""
    relation = relationship(user, client)
    if not relation:
        return frozenset()
    return sections_for_relation(user.role, relation)


def can_view(user, client, section: str) -> bool:
    return section in sections_for(user, client)


def require_section(user, client, section: str, *, purpose: str = "") -> None:
    """Raise PermissionDenied (and log the refusal) unless the user may see this section."""
    if can_view(user, client, section):
        return
    from trede.audit import logevent

    logevent.access_denied(
        user, client_id=client.pk, section=section, purpose=purpose, reason="onderdeel niet voor deze rol"
    )
    raise PermissionDenied("U heeft geen toegang tot dit onderdeel van het dossier.")
