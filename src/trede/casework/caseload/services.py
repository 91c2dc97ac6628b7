"""Writes on caseloads: handing clients over to another consultant (rebalancing).

The client's file stays as it is (contacts, plans, diagnoses belong to the client, not to
the consultant). The change of consultant is kept twice: in the client's history
(simple-history, with the reason as change reason) and as a CaseloadTransfer row; each
hand-over also writes an audit row, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from trede.accounts.models import Role
from trede.audit import events
from trede.audit.models import Action
from trede.audit.services import audit_record
from trede.clients.models import Client

from .models import CaseloadTransfer, Consultant

REBALANCE_ROLES = frozenset({Role.TEAMLEIDER, Role.BEHEERDER})


def caseload_may_rebalance(user) -> bool:
    role = getattr(user, "role", None)
    return role == Role.BEHEERDER or (role == Role.TEAMLEIDER and bool(getattr(user, "team", "")))


def caseload_teams_for(user) -> list[str] | None:
    """The teams whose caseload this user manages (None: every team)."""
    if getattr(user, "role", None) == Role.BEHEERDER:
        return None
    if caseload_may_rebalance(user):
        return [user.team]
    return []


def caseload_transfer(
    *, user, clients: Iterable[Client], to_consultant: Consultant, reason: str
) -> list[CaseloadTransfer]:
    """Hand clients over to `to_consultant`; a teamleider only within their own team."""
    if not caseload_may_rebalance(user):
        audit_record(user=user, action=Action.DENIED, object_type="caseload", purpose=events.REBALANCE)
        raise PermissionDenied("Alleen een teamleider of beheerder kan klanten overdragen.")
    reason = (reason or "").strip()
    client_ids = sorted({c.pk for c in clients})
    problems = []
    if not reason:
        problems.append("Geef een reden voor de overdracht.")
    elif len(reason) > 300:
        problems.append("De reden mag hooguit 300 tekens lang zijn.")
    if not client_ids:
        problems.append("Kies ten minste één klant.")
    if problems:
        raise ValidationError(problems)
    teams = caseload_teams_for(user)
    with transaction.atomic():
        locked = list(
            Client.objects.select_for_update(of=("self",))
            .filter(pk__in=client_ids)
            .select_related("consultant")
        )
        if teams is not None:
            outside = [c.pk for c in locked if c.consultant is None or c.consultant.team not in teams]
            if to_consultant.team not in teams or outside:
                audit_record(
                    user=user, action=Action.DENIED, object_type="caseload", purpose=events.REBALANCE
                )
                raise PermissionDenied("U kunt alleen klanten binnen uw eigen team overdragen.")
        already = [c.pk for c in locked if c.consultant_id == to_consultant.pk]
        if already:
            raise ValidationError([f"Klant {pk} staat al bij {to_consultant}." for pk in already])
        transfers = []
        for client in locked:
            previous = client.consultant
            client.consultant = to_consultant
            client._change_reason = reason
            client._history_user = user
            client.save(update_fields=["consultant"])
            transfers.append(
                CaseloadTransfer.objects.create(
                    client=client,
                    from_consultant=previous,
                    to_consultant=to_consultant,
                    reason=reason,
                    transferred_by=user,
                )
            )
            audit_record(
                user=user,
                action=Action.UPDATE,
                client_id=client.pk,
                object_type="caseload_transfer",
                object_id=transfers[-1].pk,
                section="basis",
                purpose=events.REBALANCE,
                details={"from": previous.pk if previous else "", "to": to_consultant.pk},
            )
    return transfers
