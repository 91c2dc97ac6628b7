"""The rechtmatigheid pages: the worklist of onderzoeken due with, per consultant, how many
are on time; and one client's onderzoeken with the form to register, correct or withdraw
one. Views stay thin: selectors read, services write and audit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trede.accounts import permissions as perms
from trede.accounts.access import client_scope
from trede.accounts.permissions import open_client, permission_required, role_may
from trede.audit import events, logevent
from trede.portal.formatting import dutch_percent
from trede.utils import export
from trede.utils.concurrency import new_submission_key
from trede.utils.forms import show_refusal

from . import rules, selectors, services
from .forms import CorrectForm, InvitationForm, RegisterForm, WithdrawForm

PURPOSE = events.RECHTMATIGHEID
# Names on one page at most (each is an audit row); the rest follow as these are held.
LIST_LIMIT = 100
LIST_NAME = "Rechtmatigheidsonderzoeken aan de beurt"


def _scope(user):
    return client_scope(user, relations=perms.ONDERZOEK_READ.relations)


@permission_required(perms.ONDERZOEK_READ)
def onderzoek_list(request):
    user = request.user
    today = timezone.localdate()
    settings = selectors.onderzoek_settings()
    rows = selectors.overview(_scope(user), today=today, settings=settings)
    due = selectors.worklist(rows)
    shown = due[:LIST_LIMIT]
    compliance = selectors.compliance(rows)
    if request.GET.get(export.FORMAT_PARAMETER):
        logevent.export_made(
            user,
            what=f"Rechtmatigheidsonderzoeken op tijd per consulent op {today.isoformat()}",
            count=len(compliance),
            purpose=PURPOSE,
            fmt=export.requested_format(request).upper(),
        )
        return export.table_response(
            request,
            filename=f"rechtmatigheid-op-tijd-{today.isoformat()}",
            header=[
                "consulent",
                "klanten met uitkering",
                "op tijd",
                "te laat",
                "binnenkort",
                "aandeel op tijd",
            ],
            rows=[
                [c.consultant, c.on_benefit, c.on_time, c.overdue, c.due_soon, c.on_time_share]
                for c in compliance
            ],
            sheet="Op tijd",
        )
    logevent.onderzoeken_listed(user, [r.client.pk for r in shown], list_name=LIST_NAME)
    return render(
        request,
        "onderzoek/list.html",
        {
            "today": today,
            "settings": settings,
            "intervals": [
                (selectors.GROUP_LABELS.get(g, g), months) for g, months in settings.months_by_group.items()
            ],
            "due": shown,
            "due_total": len(due),
            "due_more": max(0, len(due) - len(shown)),
            "overdue_total": sum(r.due.status == rules.OVERDUE for r in due),
            "on_benefit": len(rows),
            "compliance": [(c, dutch_percent(c.on_time_share)) for c in compliance],
            "may_register": role_may(user, perms.ONDERZOEK_REGISTER),
        },
    )


def _post(request, client) -> tuple[str, object | None]:
    """Carry out one step; returns the message of success and the form to show on a refusal."""
    user = request.user
    action = request.POST.get("actie", "")
    if action == "vastleggen":
        form = RegisterForm(request.POST)
        if not form.is_valid():
            return "", form
        onderzoek = services.onderzoek_register(
            user=user,
            client=client,
            submission_key=form.cleaned_data["submission_key"],
            **{k: form.cleaned_data[k] for k in ("held_on", "outcome", "note")},
        )
        return f"Onderzoek {onderzoek.number} van {onderzoek.held_on:%d-%m-%Y} is vastgelegd.", None
    onderzoek = selectors.history_of(client)
    target = next((o for o in onderzoek if str(o.pk) == request.POST.get("onderzoek", "")), None)
    if target is None:
        raise ValidationError("Dit onderzoek bestaat niet of hoort niet bij deze klant.")
    if action == "corrigeren":
        form = CorrectForm(request.POST)
        if not form.is_valid():
            return "", form
        services.onderzoek_correct(
            user=user,
            onderzoek=target,
            token=form.cleaned_data["token"],
            reason=form.cleaned_data["reason"],
            **{k: form.cleaned_data[k] for k in ("held_on", "outcome", "note")},
        )
        return f"Onderzoek {target.number} is gecorrigeerd; de vorige versie blijft bewaard.", None
    if action == "intrekken":
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            return "", form
        services.onderzoek_withdraw(
            user=user, onderzoek=target, token=form.cleaned_data["token"], reason=form.cleaned_data["reason"]
        )
        return f"Onderzoek {target.number} is ingetrokken en telt niet meer mee.", None
    raise ValidationError("Onbekende handeling.")


@permission_required(perms.ONDERZOEK_READ)
@require_http_methods(["GET", "POST"])
def onderzoek_client(request, client_id: str):
    user = request.user
    client = open_client(user, perms.ONDERZOEK_READ, client_id, purpose=PURPOSE)
    may_register = role_may(user, perms.ONDERZOEK_REGISTER)
    status = 200
    failed = None  # the submitted form with its errors
    may_invite = perms.allowed(user, perms.LETTER_ONDERZOEK_MAKE, client)
    invitation_form = None
    if request.method == "POST" and request.POST.get("actie") == "uitnodigen":
        if not may_invite:
            perms.check(user, perms.LETTER_ONDERZOEK_MAKE, client, purpose=PURPOSE)
        invitation_form = InvitationForm(request.POST)
        if invitation_form.is_valid() and _invite(request, client, invitation_form):
            return redirect("onderzoek:client", client_id=client.pk)
        status = 400
    elif request.method == "POST":
        if not may_register:
            perms.check(user, perms.ONDERZOEK_REGISTER, client, purpose=PURPOSE)
        try:
            done, failed = _post(request, client)
        except ValidationError as error:
            failed = _form_for(request)
            failed.is_valid()
            status = show_refusal(failed, error)
        else:
            if failed is None:
                messages.success(request, done)
                return redirect("onderzoek:client", client_id=client.pk)
            status = 400
    logevent.client_sections_read(user, client.pk, ["uitkering"], purpose=PURPOSE)
    today = timezone.localdate()
    rows = selectors.overview(_scope(user).filter(pk=client.pk), today=today)
    history = selectors.history_of(client)
    if invitation_form is None and may_invite and rows:
        invitation_form = InvitationForm()
    correcting = _correcting(request, history, failed)
    register_form = failed if failed is not None and request.POST.get("actie") == "vastleggen" else None
    if register_form is None and may_register:
        register_form = RegisterForm(initial={"held_on": today, "submission_key": new_submission_key()})
    return render(
        request,
        "onderzoek/client.html",
        {
            "client": client,
            "row": rows[0] if rows else None,
            "history": history,
            "may_register": may_register,
            "register_form": register_form,
            "invitation_form": invitation_form,
            "invitations": _invitations(user, client),
            **correcting,
        },
        status=status,
    )


def _invite(request, client, form) -> bool:
    """Make the invitation letter (trede.letters: stored with the client, audited); a
    refusal goes beside its field."""
    from trede.letters import services as letters
    from trede.letters.sources import Invitation, onderzoek_source

    data = form.cleaned_data
    invitation = Invitation(on=data["on"], at=data["at"], place=data["place"], bring=data["bring"])
    try:
        letter, made = letters.letter_make(user=request.user, source=onderzoek_source(client, invitation))
    except ValidationError as error:
        show_refusal(form, error)
        return False
    if made:
        messages.success(request, f"De uitnodiging {letter.number} is gemaakt en bewaard bij het dossier.")
    else:
        messages.info(
            request, f"Deze uitnodiging was al gemaakt ({letter.number}); er is geen tweede gemaakt."
        )
    return True


def _invitations(user, client) -> dict:
    """The client's invitation letters, for a user who may read them."""
    from trede.letters.kinds import LetterKind
    from trede.letters.models import SourceType
    from trede.letters.selectors import letters_of_source

    may_read = perms.allowed(user, perms.LETTER_ONDERZOEK_READ, client)
    letters = letters_of_source(SourceType.ONDERZOEK, client.pk) if may_read else []
    return {
        "may_read": may_read,
        "letters": [letter for letter in letters if letter.kind == LetterKind.UITNODIGING_ONDERZOEK],
    }


def _form_for(request):
    action = request.POST.get("actie", "")
    form_class = {"corrigeren": CorrectForm, "intrekken": WithdrawForm}.get(action, RegisterForm)
    return form_class(request.POST)


def _correcting(request, history, failed) -> dict:
    """The correction and withdrawal forms of the onderzoek named by `?corrigeer=` (or of
    the one whose correction was just refused)."""
    wanted = request.POST.get("onderzoek") if request.method == "POST" else request.GET.get("corrigeer")
    target = next((o for o in history if str(o.pk) == str(wanted) and o.withdrawn_at is None), None)
    if target is None:
        return {}
    token = services.edit_token_for(target)
    action = request.POST.get("actie") if failed is not None else ""
    correct = failed if action == "corrigeren" else None
    withdraw = failed if action == "intrekken" else None
    return {
        "target": target,
        "correct_form": correct
        or CorrectForm(
            initial={
                "held_on": target.held_on,
                "outcome": target.outcome,
                "note": target.note,
                "token": token,
            }
        ),
        "withdraw_form": withdraw or WithdrawForm(initial={"token": token}),
    }
