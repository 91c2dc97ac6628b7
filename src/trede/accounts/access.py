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

Accountmanagers never get leefgebieden (health, psychological, debt or family details),
providers only basis and their own trajectories, policy staff no client file at all.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import Role, Waarneming
from .permissions import sections_for_role

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

# Roles that work with individual client files at all.
CLIENT_FILE_ROLES = frozenset(r for r, s in SECTIONS_BY_ROLE.items() if s)


def _active_waarneming(user):
    return Waarneming.objects.filter(user=user, client=OuterRef("pk"), valid_until__gt=timezone.now())


def client_scope(user) -> QuerySet:
    """The clients this user may open, as a queryset (row-level authorisation)."""
    from trede.clients.models import Client

    clients = Client.objects.all()
    if not getattr(user, "is_authenticated", False):
        return clients.none()
    role = user.role
    if role == Role.CONSULENT_WERK:
        return clients.filter(Q(consultant__user=user) | Exists(_active_waarneming(user)))
    if role == Role.TEAMLEIDER:
        if not user.team:
            return clients.none()
        return clients.filter(Q(consultant__team=user.team) | Exists(_active_waarneming(user)))
    if role == Role.CONSULENT_INKOMEN:
        return clients.filter(benefits__isnull=False).distinct()
    if role == Role.ACCOUNTMANAGER:
        # Candidates for matching: clients with a work profile or a placement.
        return clients.filter(Q(profile__isnull=False) | Q(placements__isnull=False)).distinct()
    if role == Role.AANBIEDER:
        if user.provider_id is None:
            return clients.none()
        return clients.filter(trajectories__provider_id=user.provider_id).distinct()
    if role == Role.PRIVACY:
        return clients
    if role == Role.INWONER:
        return clients.filter(pk=user.client_id) if user.client_id else clients.none()
    return clients.none()


def relationship(user, client) -> str:
    """Why this user may open this client's file ('' when not)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    role = user.role
    if role == Role.CONSULENT_WERK and client.consultant_id and client.consultant.user_id == user.pk:
        return "eigen caseload"
    if role == Role.TEAMLEIDER and user.team and client.consultant_id and client.consultant.team == user.team:
        return "eigen team"
    if role in (Role.CONSULENT_WERK, Role.TEAMLEIDER):
        if Waarneming.objects.filter(user=user, client=client, valid_until__gt=timezone.now()).exists():
            return "waarneming"
        return ""
    if role == Role.INWONER:
        return "eigen dossier" if user.client_id == client.pk else ""
    if client_scope(user).filter(pk=client.pk).exists():
        return {
            Role.CONSULENT_INKOMEN: "uitkering",
            Role.ACCOUNTMANAGER: "kandidaat voor bemiddeling",
            Role.AANBIEDER: "verwezen naar uw organisatie",
            Role.PRIVACY: "privacycontrole",
        }.get(role, "")
    return ""


def sections_for(user, client) -> frozenset[str]:
    """The sections of this client's file the user may see (empty: no access)."""
    if not relationship(user, client):
        return frozenset()
    return SECTIONS_BY_ROLE.get(user.role, frozenset())


def can_view(user, client, section: str) -> bool:
    return section in sections_for(user, client)


def require_section(user, client, section: str, *, purpose: str = "") -> None:
    """Raise PermissionDenied (and log the refusal) unless the user may see this section."""
    if can_view(user, client, section):
        return
    from trede.audit.models import Action
    from trede.audit.services import audit_record

    audit_record(user=user, action=Action.DENIED, client_id=client.pk, section=section, purpose=purpose)
    raise PermissionDenied("U heeft geen toegang tot dit onderdeel van het dossier.")


def colleague_may_request_waarneming(user) -> bool:
    return getattr(user, "role", "") in (Role.CONSULENT_WERK, Role.TEAMLEIDER)
