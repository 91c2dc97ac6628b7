"""The handhaving pages: the inkomen worklist; a client's zaken with the form for a new
signal; one zaak with its history, horen, the decision (with what the verordening says),
four-eyes approval and the bezwaar term. Views stay thin: selectors read, services write
and audit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trede.accounts import permissions as perms
from trede.accounts.access import client_scope
from trede.accounts.permissions import allowed, open_client, permission_required
from trede.audit import events, logevent
from trede.utils.concurrency import new_submission_key
from trede.utils.forms import show_refusal

from . import selectors, services
from .forms import (
    ApproveForm,
    BesluitForm,
    HorenCorrectForm,
    HorenNewForm,
    ReasonForm,
    SignalCorrectForm,
    SignalNewForm,
)
from .models import BesluitStatus, Handhavingszaak, ZaakStatus

PURPOSE = events.HANDHAVING
LIST_NAME = "Handhaving: werklijst"
SIGNAL_FIELDS = ("signal_kind", "signal_date", "description", "benadelingsbedrag")
HOREN_FIELDS = ("held_on", "form", "statement")


def _scope(user):
    return client_scope(user, relations=perms.HANDHAVING_READ.relations)


@permission_required(perms.HANDHAVING_READ)
def handhaving_list(request):
    user = request.user
    today = timezone.localdate()
    work = selectors.worklist(_scope(user), today=today, user=user)
    logevent.handhaving_listed(user, work.client_ids, list_name=LIST_NAME)
    return render(request, "handhaving/list.html", {"today": today, "work": work})


def _signal_values(form) -> dict:
    return {k: form.cleaned_data[k] for k in SIGNAL_FIELDS}


@permission_required(perms.HANDHAVING_READ)
@require_http_methods(["GET", "POST"])
def handhaving_client(request, client_id: str):
    user = request.user
    client = open_client(user, perms.HANDHAVING_READ, client_id, purpose=PURPOSE)
    may_signal = allowed(user, perms.HANDHAVING_SIGNAL, client)
    status = 200
    form = None
    if request.method == "POST":
        if not may_signal:
            perms.check(user, perms.HANDHAVING_SIGNAL, client, purpose=PURPOSE)
        form = SignalNewForm(request.POST)
        if form.is_valid():
            try:
                zaak = services.zaak_register(
                    user=user,
                    client=client,
                    submission_key=form.cleaned_data["submission_key"],
                    **_signal_values(form),
                )
            except ValidationError as error:
                status = show_refusal(form, error)
            else:
                messages.success(
                    request, f"Handhavingszaak {zaak.number} is geopend; de klant wordt nu eerst gehoord."
                )
                return redirect("handhaving:zaak", pk=zaak.pk)
        else:
            status = 400
    logevent.client_sections_read(user, client.pk, ["uitkering"], purpose=PURPOSE)
    if form is None and may_signal:
        form = SignalNewForm(
            initial={"signal_date": timezone.localdate(), "submission_key": new_submission_key()}
        )
    zaken = list(selectors.zaken_of(_scope(user).filter(pk=client.pk)).order_by("-signal_date", "-id"))
    for zaak in zaken:
        zaak.decision = zaak.live[0] if zaak.live else None
    return render(
        request,
        "handhaving/client.html",
        {"client": client, "zaken": zaken, "form": form, "measures": list(client.measures.order_by("-date"))},
        status=status,
    )


def _zaak_or_404(user, pk: int) -> Handhavingszaak:
    client_id = Handhavingszaak.objects.filter(pk=pk).values_list("client_id", flat=True).first()
    if client_id is None:
        raise Http404("Deze handhavingszaak bestaat niet.")
    open_client(user, perms.HANDHAVING_READ, client_id, purpose=PURPOSE)
    return Handhavingszaak.objects.select_related("client", "created_by").get(pk=pk)


ACTIONS = {
    "signaal_corrigeren": SignalCorrectForm,
    "horen": HorenNewForm,
    "horen_corrigeren": HorenCorrectForm,
    "besluiten": BesluitForm,
    "goedkeuren": ApproveForm,
    "terugsturen": ReasonForm,
    "afzien": ReasonForm,
    "intrekken": ReasonForm,
    "intrekking_bevestigen": ApproveForm,
    "intrekking_weigeren": ReasonForm,
}
REASON_LABELS = {
    "terugsturen": "Reden van terugsturen",
    "afzien": "Reden van afzien",
    "intrekken": "Reden van intrekken",
    "intrekking_weigeren": "Reden van niet bevestigen",
}


def _form_for(action: str, data=None, *, zaak=None, policy=None, **kwargs):
    form_class = ACTIONS[action]
    if form_class is BesluitForm:
        return BesluitForm(data, categories=policy.categories if policy else (), **kwargs)
    if form_class is ReasonForm:
        return ReasonForm(data, prefix_id=action, label=REASON_LABELS[action], **kwargs)
    return form_class(data, **kwargs)


def _post(request, zaak, action: str, form, decision):
    """Carry out one step; returns the message of success."""
    user = request.user
    data = getattr(form, "cleaned_data", {})
    if action == "signaal_corrigeren":
        services.zaak_correct(
            user=user,
            zaak=zaak,
            token=data["token"],
            reason=data["reason"],
            **{k: data[k] for k in SIGNAL_FIELDS},
        )
        return "Het signaal is gecorrigeerd; de vorige versie blijft bewaard."
    if action == "horen":
        services.horen_register(
            user=user, zaak=zaak, submission_key=data["submission_key"], **{k: data[k] for k in HOREN_FIELDS}
        )
        return "Het horen is vastgelegd. Nu kan een besluit worden genomen."
    if action == "horen_corrigeren":
        hearing = zaak.hearings.filter(pk=request.POST.get("horen") or 0).first()
        if hearing is None:
            raise ValidationError("Dit horen hoort niet bij deze zaak.")
        services.horen_correct(
            user=user,
            hearing=hearing,
            token=data["token"],
            reason=data["reason"],
            **{k: data[k] for k in HOREN_FIELDS},
        )
        return "Het horen is gecorrigeerd; de vorige versie blijft bewaard."
    if action == "besluiten":
        besluit = services.besluit_take(
            user=user,
            zaak=zaak,
            submission_key=data["submission_key"],
            **{
                k: data[k]
                for k in (
                    "kind",
                    "verwijtbaarheid",
                    "motivation",
                    "dringende_redenen",
                    "dringende_redenen_note",
                    "category",
                    "tegenprestatie_months",
                    "hours_per_week",
                )
            },
        )
        if besluit.status == "ter_goedkeuring":
            return f"Besluit {besluit.number} staat ter goedkeuring: een collega keurt het goed (vier ogen)."
        return f"Besluit {besluit.number} is definitief; bezwaar kan tot en met {besluit.bezwaar_deadline:%d-%m-%Y}."
    if decision is None and action in (
        "goedkeuren",
        "terugsturen",
        "intrekken",
        "intrekking_bevestigen",
        "intrekking_weigeren",
    ):
        raise ValidationError("Er is geen besluit ter goedkeuring.")
    if action == "goedkeuren":
        besluit = services.besluit_approve(user=user, besluit=decision)
        return f"Besluit {besluit.number} is goedgekeurd en definitief; bezwaar kan tot en met {besluit.bezwaar_deadline:%d-%m-%Y}."
    if action == "terugsturen":
        services.besluit_return(user=user, besluit=decision, reason=data["reason"])
        return "Het besluit is teruggestuurd; er kan een nieuw besluit worden genomen."
    if action == "intrekken":
        besluit = services.besluit_withdraw(user=user, besluit=decision, reason=data["reason"])
        if besluit.status == "ingetrokken":
            return f"Besluit {besluit.number} is ingetrokken; er kan een nieuw besluit worden genomen."
        return f"De intrekking van besluit {besluit.number} wacht op een collega (vier ogen)."
    if action == "intrekking_bevestigen":
        besluit = services.besluit_withdraw_confirm(user=user, besluit=decision)
        return f"Besluit {besluit.number} is ingetrokken; er kan een nieuw besluit worden genomen."
    if action == "intrekking_weigeren":
        besluit = services.besluit_withdraw_refuse(user=user, besluit=decision, reason=data["reason"])
        return f"De intrekking van besluit {besluit.number} is niet bevestigd; het besluit blijft gelden."
    if action == "afzien":
        services.zaak_close(user=user, zaak=zaak, reason=data["reason"])
        return "Er is afgezien van een besluit; de zaak is gesloten."
    raise ValidationError("Onbekende handeling.")


def _beschikking_letters(user, client, decision) -> dict | None:
    """The final decision's letters (trede.letters) and whether this user may make one."""
    if decision is None or decision.status != BesluitStatus.DEFINITIEF:
        return None
    from trede.letters.models import SourceType
    from trede.letters.selectors import letters_of_source

    may_read = allowed(user, perms.LETTER_BESCHIKKING_READ, client)
    return {
        "may_make": allowed(user, perms.LETTER_BESCHIKKING_MAKE, client),
        "may_read": may_read,
        "letters": letters_of_source(SourceType.BESLUIT, decision.pk) if may_read else [],
    }


def _withdrawal_letters(user, client, decisions) -> list[dict]:
    """The withdrawn decisions of the zaak with their intrekkingsbesluit letters."""
    from trede.letters.kinds import LetterKind
    from trede.letters.models import SourceType
    from trede.letters.selectors import letters_of_source

    withdrawn = [d for d in decisions if d.status == BesluitStatus.INGETROKKEN]
    if not withdrawn:
        return []
    may_read = allowed(user, perms.LETTER_BESCHIKKING_READ, client)
    may_make = allowed(user, perms.LETTER_BESCHIKKING_MAKE, client)
    return [
        {
            "decision": d,
            "may_make": may_make,
            "may_read": may_read,
            "letters": [
                letter
                for letter in letters_of_source(SourceType.BESLUIT, d.pk)
                if letter.kind == LetterKind.INTREKKING
            ]
            if may_read
            else [],
        }
        for d in withdrawn
    ]


@permission_required(perms.HANDHAVING_READ)
@require_http_methods(["GET", "POST"])
def handhaving_zaak(request, pk: int):
    user = request.user
    zaak = _zaak_or_404(user, pk)
    client = zaak.client
    policy = selectors.handhaving_policy()
    decision = selectors.live_decision(zaak)
    may = {
        "signal": allowed(user, perms.HANDHAVING_SIGNAL, client),
        "decide": allowed(user, perms.HANDHAVING_DECIDE, client),
        "approve": allowed(user, perms.HANDHAVING_APPROVE, client),
    }
    status = 200
    failed, action = None, ""
    if request.method == "POST":
        action = request.POST.get("actie", "")
        if action not in ACTIONS:
            raise Http404("Onbekende handeling.")
        needed = {
            "signaal_corrigeren": perms.HANDHAVING_SIGNAL,
            "goedkeuren": perms.HANDHAVING_APPROVE,
            "terugsturen": perms.HANDHAVING_APPROVE,
            "intrekking_bevestigen": perms.HANDHAVING_APPROVE,
            "intrekking_weigeren": perms.HANDHAVING_APPROVE,
        }.get(action, perms.HANDHAVING_DECIDE)
        perms.check(user, needed, client, purpose=PURPOSE)
        form = _form_for(action, request.POST, policy=policy)
        if not form.is_valid():
            failed, status = form, 400
        else:
            try:
                done = _post(request, zaak, action, form, decision)
            except ValidationError as error:
                failed = form
                status = show_refusal(failed, error)
            else:
                messages.success(request, done)
                return redirect("handhaving:zaak", pk=zaak.pk)
        zaak.refresh_from_db()
        decision = selectors.live_decision(zaak)
    logevent.client_sections_read(user, client.pk, ["uitkering"], purpose=PURPOSE)
    open_steps = zaak.status in (ZaakStatus.HOREN, ZaakStatus.GEHOORD)
    hearings = selectors.hearings_of(zaak)

    def shown(name, make):
        return failed if failed is not None and action == name else make()

    forms = {}
    if may["decide"] and open_steps:
        forms["horen"] = shown(
            "horen",
            lambda: HorenNewForm(
                initial={"held_on": timezone.localdate(), "submission_key": new_submission_key()}
            ),
        )
        forms["afzien"] = shown(
            "afzien", lambda: ReasonForm(prefix_id="afzien", label=REASON_LABELS["afzien"])
        )
        if zaak.status == ZaakStatus.GEHOORD or action == "besluiten":
            forms["besluiten"] = shown(
                "besluiten",
                lambda: BesluitForm(
                    categories=policy.categories, initial={"submission_key": new_submission_key()}
                ),
            )
    if (
        may["signal"]
        and open_steps
        and request.GET.get("corrigeer") == "signaal"
        or action == "signaal_corrigeren"
    ):
        forms["signaal_corrigeren"] = shown(
            "signaal_corrigeren",
            lambda: SignalCorrectForm(
                initial={k: getattr(zaak, k) for k in SIGNAL_FIELDS} | {"token": services.zaak_token(zaak)}
            ),
        )
    correcting = next(
        (h for h in hearings if str(h.pk) == (request.POST.get("horen") or request.GET.get("horen"))), None
    )
    if correcting is not None and may["decide"] and open_steps:
        forms["horen_corrigeren"] = shown(
            "horen_corrigeren",
            lambda: HorenCorrectForm(
                initial={k: getattr(correcting, k) for k in HOREN_FIELDS}
                | {"token": services.horen_token(correcting)}
            ),
        )
    if decision is not None and decision.status == "ter_goedkeuring" and may["approve"]:
        forms["terugsturen"] = shown(
            "terugsturen", lambda: ReasonForm(prefix_id="terugsturen", label=REASON_LABELS["terugsturen"])
        )
        if failed is not None and action == "goedkeuren":
            forms["goedkeuren"] = failed
    if decision is not None and decision.status == "definitief":
        if may["decide"] and not decision.withdrawal_requested_by_id:
            forms["intrekken"] = shown(
                "intrekken", lambda: ReasonForm(prefix_id="intrekken", label=REASON_LABELS["intrekken"])
            )
        if failed is not None and action == "intrekking_bevestigen":
            forms["intrekking_bevestigen"] = failed
        if (
            decision.withdrawal_requested_by_id
            and decision.withdrawal_requested_by_id != user.pk
            and may["approve"]
        ):
            forms["intrekking_weigeren"] = shown(
                "intrekking_weigeren",
                lambda: ReasonForm(
                    prefix_id="intrekking_weigeren", label=REASON_LABELS["intrekking_weigeren"]
                ),
            )
    decisions = selectors.decisions_of(zaak)
    return render(
        request,
        "handhaving/zaak.html",
        {
            "zaak": zaak,
            "client": client,
            "hearings": hearings,
            "decision": decision,
            "decisions": decisions,
            "withdrawals": _withdrawal_letters(user, client, decisions),
            "history": selectors.history_of(zaak),
            "advice": selectors.advice(zaak, policy, today=timezone.localdate())
            if zaak.status == ZaakStatus.GEHOORD
            else None,
            "forms": forms,
            "may": may,
            "own_decision": decision is not None and decision.proposed_by_id == user.pk,
            "own_withdrawal": decision is not None and decision.withdrawal_requested_by_id == user.pk,
            "correcting": correcting,
            "beschikking": _beschikking_letters(user, client, decision),
            "may_correct_signal": may["signal"] and open_steps and "signaal_corrigeren" not in forms,
        },
        status=status,
    )
