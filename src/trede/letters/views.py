"""The letter screens: the templates (beheerder), a client's letters with the buttons that
make them, and the PDF download. Views stay thin: selectors read, services write and audit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trede.accounts import permissions as perms
from trede.accounts.access import relationship
from trede.accounts.permissions import open_client, permission_required, role_may
from trede.audit import logevent
from trede.audit.services import audit_read
from trede.benefits.models import Measure
from trede.casework.models import Plan
from trede.utils.forms import show_refusal

from . import selectors, services
from .forms import TemplateForm
from .kinds import BESCHIKKING_FOR_MEASURE, KINDS, PLACEHOLDERS, LetterKind
from .sources import besluit_source, measure_source, plan_source, withdrawal_source

PURPOSE = services.PURPOSE


def _kind_or_404(kind: str) -> str:
    if kind not in KINDS:
        raise Http404("Deze soort brief bestaat niet.")
    return kind


@permission_required(perms.LETTER_TEMPLATES_EDIT)
@require_GET
def template_list(request):
    rows = selectors.template_rows()
    head = next(r for r in rows if r.kind == LetterKind.BRIEFHOOFD)
    return render(
        request,
        "letters/templates.html",
        {"rows": rows, "letterhead_unchanged": not head.changed_from_shipped},
    )


def _placeholder_rows(kind: str) -> list[dict]:
    spec = KINDS[kind]
    return [
        {
            "name": name,
            "label": PLACEHOLDERS[name].label,
            "items": PLACEHOLDERS[name].items,
            "required": name in spec.required,
        }
        for name in spec.placeholders
    ]


@permission_required(perms.LETTER_TEMPLATES_EDIT)
@require_http_methods(["GET", "POST"])
def template_edit(request, kind: str):
    kind = _kind_or_404(kind)
    template = selectors.template_or_shipped(kind)
    history = selectors.template_history(template)
    status = 200
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if request.POST.get("actie") == "voorbeeld":
                    pdf = services.letter_preview(
                        user=request.user, kind=kind, subject=data["subject"], body=data["body"]
                    )
                    return HttpResponse(
                        pdf,
                        content_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="voorbeeld-{kind}.pdf"'},
                    )
                saved = services.template_save(
                    user=request.user,
                    kind=kind,
                    subject=data["subject"],
                    body=data["body"],
                    token=data["edit_token"],
                )
            except ValidationError as error:
                status = show_refusal(form, error)
            else:
                messages.success(
                    request,
                    f"Het sjabloon '{saved.get_kind_display()}' is opgeslagen als versie {saved.version}.",
                )
                return redirect("letters:template_edit", kind=kind)
        else:
            status = 400
    else:
        initial = {
            "subject": template.subject,
            "body": template.body,
            "edit_token": services.template_token(template),
        }
        wanted = request.GET.get("van_versie", "")
        if wanted.isascii() and wanted.isdigit() and len(wanted) <= 6:
            older = next((h for h in history if h.version == int(wanted)), None)
            if older is not None:
                initial |= {"subject": older.subject, "body": older.body}
        form = TemplateForm(initial=initial)
    return render(
        request,
        "letters/template_edit.html",
        {
            "kind": kind,
            "label": LetterKind(kind).label,
            "template": template,
            "form": form,
            "placeholders": _placeholder_rows(kind),
            "history": history,
            "spec": KINDS[kind],
        },
        status=status,
    )


@login_required
@require_GET
def client_letters(request, client_id: str):
    user = request.user
    client = open_client(user, perms.LETTER_LIST, client_id, purpose=PURPOSE)
    relation = relationship(user, client)
    kinds = selectors.readable_kinds(user, client, relation=relation)
    letters = selectors.letters_of_client(client, kinds)
    may_make_beschikking = perms.allowed(user, perms.LETTER_BESCHIKKING_MAKE, client, relation=relation)
    measures = []
    if may_make_beschikking:
        measures = list(Measure.objects.filter(client=client).order_by("-date", "measure_id"))
    sections = {services.read_permission(k).section for k in kinds}
    if measures:
        sections.add("handhaving")
    for section in sorted(sections):
        audit_read(user=user, client_id=client.pk, section=section, purpose=PURPOSE)
    may_plan = perms.allowed(user, perms.SECTION_READ["plan"], client, relation=relation)
    return render(
        request,
        "letters/client.html",
        {
            "client": client,
            "letters": letters,
            "measures": [(m, BESCHIKKING_FOR_MEASURE.get(m.kind)) for m in measures],
            "may_make_beschikking": may_make_beschikking,
            "may_plan": may_plan,
        },
    )


def _refused_object(user, perm, *, client_id="", what: str):
    logevent.access_denied(
        user,
        client_id=client_id,
        section=perm.section,
        purpose=PURPOSE,
        reason="bestaat niet of buiten bereik",
        object_type=what,
    )
    return Http404("Dit bestaat niet of valt buiten uw werk.")


def _make(request, source, *, perm):
    try:
        letter, made = services.letter_make(user=request.user, source=source)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None
    if made:
        messages.success(
            request,
            f"De brief {letter.number} ({letter.get_kind_display()}) is gemaakt en bewaard bij het dossier.",
        )
    else:
        messages.info(request, f"Deze brief was al gemaakt ({letter.number}); er is geen tweede gemaakt.")
    return letter


def _make_about(request, perm, *, find, client_of, source_of, what: str):
    """The one path of the three "make" buttons: a role that makes no such letter gets 403
    before anything is looked up; a source that does not exist or lies outside the user's
    work is one audited 404; otherwise the letter is made (or found, on a double submit)."""
    user = request.user
    if not role_may(user, perm):
        raise perms.refuse(user, perm, purpose=PURPOSE)
    found = find()
    client = client_of(found) if found is not None else None
    if found is None or not perms.allowed(user, perm, client):
        raise _refused_object(user, perm, client_id=getattr(client, "client_id", ""), what=what)
    _make(request, source_of(found), perm=perm)
    return found


@login_required
@require_POST
def plan_letter_make(request, plan_id: int):
    plan = _make_about(
        request,
        perms.LETTER_PLAN_MAKE,
        find=lambda: Plan.objects.select_related("client").filter(pk=plan_id).first(),
        client_of=lambda plan: plan.client,
        source_of=plan_source,
        what="plan",
    )
    return redirect("casework:plan_detail", client_id=plan.client_id)


@login_required
@require_POST
def measure_letter_make(request, measure_id: str):
    measure = _make_about(
        request,
        perms.LETTER_BESCHIKKING_MAKE,
        find=lambda: Measure.objects.select_related("client").filter(pk=measure_id).first(),
        client_of=lambda measure: measure.client,
        source_of=measure_source,
        what="handhavingsbesluit",
    )
    return redirect("letters:client", client_id=measure.client_id)


@login_required
@require_POST
def besluit_letter_make(request, besluit_id: int):
    """The beschikking of a final handhaving decision, made from its zaak page."""
    from trede.benefits.handhaving.models import Besluit

    besluit = _make_about(
        request,
        perms.LETTER_BESCHIKKING_MAKE,
        find=lambda: Besluit.objects.select_related("zaak__client").filter(pk=besluit_id).first(),
        client_of=lambda besluit: besluit.zaak.client,
        source_of=besluit_source,
        what="handhavingsbesluit",
    )
    return redirect("handhaving:zaak", pk=besluit.zaak_id)


@login_required
@require_POST
def withdrawal_letter_make(request, besluit_id: int):
    """The intrekkingsbesluit of a withdrawn handhaving decision, made from its zaak page."""
    from trede.benefits.handhaving.models import Besluit

    besluit = _make_about(
        request,
        perms.LETTER_BESCHIKKING_MAKE,
        find=lambda: Besluit.objects.select_related("zaak__client").filter(pk=besluit_id).first(),
        client_of=lambda besluit: besluit.zaak.client,
        source_of=withdrawal_source,
        what="handhavingsbesluit",
    )
    return redirect("handhaving:zaak", pk=besluit.zaak_id)


@login_required
@require_GET
def letter_pdf(request, letter_id: int):
    """The stored PDF. A role that reads no letters gets 403 before anything is looked up;
    a letter that does not exist, of a client outside the user's work or of a kind the user
    may not read is one 404, so a guessed number confirms nothing."""
    user = request.user
    if not any(
        role_may(user, p)
        for p in (perms.LETTER_PLAN_READ, perms.LETTER_BESCHIKKING_READ, perms.LETTER_ONDERZOEK_READ)
    ):
        raise perms.refuse(user, perms.LETTER_LIST, purpose=PURPOSE)
    letter = selectors.letter_or_none(letter_id)
    if letter is None or not perms.allowed(user, services.read_permission(letter.kind), letter.client):
        raise _refused_object(
            user, perms.LETTER_LIST, client_id=getattr(letter, "client_id", ""), what="brief"
        )
    pdf = services.letter_download(user=user, letter=letter)
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{letter.filename}"'},
    )
