"""Writes on caseloads: handing clients over to another consultant (rebalancing).

The client's file stays as it is (contacts, plans, diagnoses belong to the client, not to
the consultant). The change of consultant is kept twice: in the client's history
(simple-history, with the reason as change reason) and as a CaseloadTransfer row; each
hand-over also writes an audit row, all in one transaction. A refusal is decided and
written before that transaction opens, so its DENIED row is never rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from trede.accounts import permissions as perms
from trede.accounts.access import relations_of, team_of
from trede.accounts.permissions import Relation, role_may
from trede.audit import events, logevent
from trede.clients.models import Client

from .models import CaseloadTransfer, Consultant


def caseload_teams_for(user) -> list[str] | None:
    """The teams whose caseload this user manages (None: every team; []: none).

    Someone who works within a team (a teamleider) manages that team only; the beheerder,
    who has no relationship with clients at all, every team.
    """
    if not role_may(user, perms.CASELOAD_BALANCE):
        return []
    relations = relations_of(user)
    if Relation.EIGEN_TEAM in relations:
        return [team_of(user)]
    return [] if relations else None


def caseload_may_rebalance(user) -> bool:
    return caseload_teams_for(user) != []


def _outside(clients: Iterable[Client], teams: list[str]) -> list[str]:
    return [c.pk for c in clients if c.consultant is None or c.consultant.team not in teams]


def caseload_transfer(
    *, user, clients: Iterable[Client], to_consultant: Consultant, reason: str
) -> list[CaseloadTransfer]:
    """Hand clients over to `to_consultant`; a teamleider only within their own team."""
    perms.check(user, perms.CASELOAD_BALANCE, purpose=events.REBALANCE)
    teams = caseload_teams_for(user)
    if teams == []:
        raise perms.refuse(user, perms.CASELOAD_BALANCE, purpose=events.REBALANCE)
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
    if teams is not None:
        current = Client.objects.filter(pk__in=client_ids).select_related("consultant")
        if to_consultant.team not in teams or _outside(current, teams):
            perms.refuse(user, perms.CASELOAD_BALANCE, purpose=events.REBALANCE)
            raise PermissionDenied("U kunt alleen klanten binnen uw eigen team overdragen.")
    with transaction.atomic():
        locked = list(
            Client.objects.select_for_update(of=("self",))
            .filter(pk__in=client_ids)
            .select_related("consultant")
        )
        # Checked again under the lock: a client moved to another team meanwhile is not
        # ours to hand over (a race, not an attempt: no DENIED row, a message instead).
        if teams is not None and (moved := _outside(locked, teams)):
            raise ValidationError(
                [f"Klant {pk} is intussen naar een ander team overgedragen." for pk in moved]
            )
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
            logevent.client_transferred(
                user,
                transfers[-1],
                from_consultant=previous.pk if previous else "",
                to_consultant=to_consultant.pk,
                reason=reason,
            )
    return transfers
