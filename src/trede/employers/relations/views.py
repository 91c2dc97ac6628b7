"""Pages of the employer relationship: a form per record kind (new and edit share one
page), the correction of a contact with its reason, and the contact history as a table.
Views parse, call a service or selector and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from trede.accounts import permissions as perms
from trede.accounts.permissions import permission_required
from trede.audit import events, logevent
from trede.utils import export
from trede.utils.concurrency import new_submission_key, parse_submission_key
from trede.utils.forms import show_refusal

from .. import selectors as employer_selectors
from . import forms, selectors, services


def _own_employer(request, employer_id: str):
    employer = employer_selectors.employer_for(request.user, employer_id)
    if employer is None:
        raise Http404("Deze werkgever bestaat niet of is niet een van uw accounts.")
    if not services.may_edit_relation(request.user, employer):
        raise perms.refuse(request.user, perms.EMPLOYER_RELATION_EDIT, purpose="werkgeversrelatie")
    return employer


def _record(found, what: str):
    if found is None:
        raise Http404(f"Deze {what} bestaat niet bij deze werkgever.")
    return found


def _form_page(request, *, employer, form, title: str, record=None, status=200, template="form.html"):
    return render(
        request,
        f"employers/relations/{template}",
        {"employer": employer, "form": form, "title": title, "record": record},
        status=status,
    )


def _saved(request, employer, text: str):
    messages.success(request, text)
    return redirect("employers:employer", employer_id=employer.pk)


# --------------------------------------------------------------------------- contact persons


def _contact_input(data) -> services.ContactInput:
    return services.ContactInput(
        name=data["name"],
        function=data["function"],
        email=data["email"],
        phone=data["phone"],
        active=data["active"],
    )


def _record_page(
    request,
    employer,
    record,
    *,
    form_class,
    titles,
    fields,
    token,
    create,
    update,
    saved_text,
    new_initial=None,
):
    """New (record None) and edit share one page: a contact person or an agreement. `create`
    and `update` are the service calls, `saved_text` the message after saving."""
    title = titles[1] if record else titles[0]
    if request.method == "POST":
        form = form_class(request.POST)
        if not form.is_valid():
            return _form_page(request, employer=employer, form=form, title=title, record=record, status=400)
        data = form.cleaned_data
        try:
            if record is None:
                saved = create(data, parse_submission_key(data["submission_key"]))
            else:
                saved = update(data, data["edit_token"])
        except ValidationError as error:
            status = show_refusal(form, error)
            return _form_page(
                request, employer=employer, form=form, title=title, record=record, status=status
            )
        return _saved(request, employer, saved_text(saved))
    if record is None:
        form = form_class(initial={"submission_key": new_submission_key(), **(new_initial or {})})
    else:
        form = form_class(
            initial={name: getattr(record, name) for name in fields} | {"edit_token": token(record)}
        )
    return _form_page(request, employer=employer, form=form, title=title, record=record)


def _contact_page(request, employer, contact=None):
    return _record_page(
        request,
        employer,
        contact,
        form_class=forms.ContactForm,
        titles=("Nieuwe contactpersoon", "Contactpersoon wijzigen"),
        fields=services.CONTACT_FIELDS,
        token=services.contact_edit_token,
        create=lambda data, key: services.contact_create(
            user=request.user, employer=employer, data=_contact_input(data), submission_key=key
        ),
        update=lambda data, token: services.contact_update(
            user=request.user, contact=contact, data=_contact_input(data), token=token
        ),
        saved_text=lambda saved: f"Contactpersoon ‘{saved.name}’ is opgeslagen.",
        new_initial={"active": True},
    )


@login_required
@permission_required(perms.EMPLOYER_RELATION_EDIT)
@require_http_methods(["GET", "POST"])
def contact_new(request, employer_id: str):
    return _contact_page(request, _own_employer(request, employer_id))


@login_required
@permission_required(perms.EMPLOYER_RELATION_EDIT)
@require_http_methods(["GET", "POST"])
def contact_edit(request, employer_id: str, pk: int):
    employer = _own_employer(request, employer_id)
    return _contact_page(request, employer, _record(selectors.contact_for(employer, pk), "contactpersoon"))


# --------------------------------------------------------------------------- agreements


def _agreement_input(data) -> services.AgreementInput:
    return services.AgreementInput(
        kind=data["kind"],
        description=data["description"],
        start_date=data["start_date"],
        end_date=data["end_date"],
        target_jobs=data["target_jobs"],
        sroi_amount=data["sroi_amount"],
        pso_level=data["pso_level"],
    )


def _agreement_page(request, employer, agreement=None):
    return _record_page(
        request,
        employer,
        agreement,
        form_class=forms.AgreementForm,
        titles=("Nieuwe afspraak", "Afspraak wijzigen"),
        fields=services.AGREEMENT_FIELDS,
        token=services.agreement_edit_token,
        create=lambda data, key: services.agreement_create(
            user=request.user, employer=employer, data=_agreement_input(data), submission_key=key
        ),
        update=lambda data, token: services.agreement_update(
            user=request.user, agreement=agreement, data=_agreement_input(data), token=token
        ),
        saved_text=lambda saved: "De afspraak is opgeslagen.",
    )


@login_required
@permission_required(perms.EMPLOYER_RELATION_EDIT)
@require_http_methods(["GET", "POST"])
def agreement_new(request, employer_id: str):
    return _agreement_page(request, _own_employer(request, employer_id))


@login_required
@permission_required(perms.EMPLOYER_RELATION_EDIT)
@require_http_methods(["GET", "POST"])
def agreement_edit(request, employer_id: str, pk: int):
    employer = _own_employer(request, employer_id)
    return _agreement_page(request, employer, _record(selectors.agreement_for(employer, pk), "afspraak"))


# --------------------------------------------------------------------------- contact moments


def _moment_input(employer, data) -> services.MomentInput:
    contact = selectors.contact_for(employer, data["contact"]) if data["contact"] else None
    return services.MomentInput(
        date=data["date"], kind=data["kind"], subject=data["subject"], note=data["note"], contact=contact
    )


@login_required
@permission_required(perms.EMPLOYER_RELATION_EDIT)
@require_http_methods(["GET", "POST"])
def moment_new(request, employer_id: str):
    employer = _own_employer(request, employer_id)
    contacts = selectors.contacts_of(employer)
    title = "Contact vastleggen"
    if request.method == "POST":
        form = forms.MomentForm(request.POST, contacts=contacts)
        if not form.is_valid():
            return _form_page(request, employer=employer, form=form, title=title, status=400)
        try:
            services.moment_create(
                user=request.user,
                employer=employer,
                data=_moment_input(employer, form.cleaned_data),
                submission_key=parse_submission_key(form.cleaned_data["submission_key"]),
            )
        except ValidationError as error:
            status = show_refusal(form, error)
            return _form_page(request, employer=employer, form=form, title=title, status=status)
        return _saved(request, employer, "Het contact is vastgelegd.")
    form = forms.MomentForm(initial={"submission_key": new_submission_key()}, contacts=contacts)
    return _form_page(request, employer=employer, form=form, title=title)


@login_required
@permission_required(perms.EMPLOYER_RELATION_EDIT)
@require_http_methods(["GET", "POST"])
def moment_correct(request, employer_id: str, pk: int):
    employer = _own_employer(request, employer_id)
    moment = _record(selectors.moment_for(employer, pk), "contact")
    contacts = selectors.contacts_of(employer)
    title = "Contact corrigeren"
    if request.method == "POST":
        form = forms.MomentCorrectForm(request.POST, contacts=contacts)
        if not form.is_valid():
            return _form_page(request, employer=employer, form=form, title=title, record=moment, status=400)
        try:
            services.moment_correct(
                user=request.user,
                moment=moment,
                data=_moment_input(employer, form.cleaned_data),
                token=form.cleaned_data["edit_token"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            status = show_refusal(form, error)
            return _form_page(
                request, employer=employer, form=form, title=title, record=moment, status=status
            )
        return _saved(request, employer, "De correctie is opgeslagen; de vorige versie blijft bewaard.")
    form = forms.MomentCorrectForm(
        initial={
            "date": moment.date,
            "kind": moment.kind,
            "contact": moment.contact_id,
            "subject": moment.subject,
            "note": moment.note,
            "edit_token": services.moment_edit_token(moment),
        },
        contacts=contacts,
    )
    return _form_page(request, employer=employer, form=form, title=title, record=moment)


@login_required
@permission_required(perms.EMPLOYER_RELATION_EXPORT)
@require_GET
def moments_export(request, employer_id: str):
    employer = employer_selectors.employer_for(request.user, employer_id)
    if employer is None:
        raise Http404("Deze werkgever bestaat niet of is niet een van uw accounts.")
    fmt = export.requested_format(request)
    moments = selectors.moments_of(employer, limit=None)
    logevent.export_made(
        request.user,
        what=f"Contacthistorie van werkgever {employer.pk}",
        count=len(moments),
        purpose=events.MATCHING,
        fmt=fmt.upper(),
        object_type="employer",
        object_id=employer.pk,
    )
    return export.table_response(
        request,
        filename=f"contacthistorie-{employer.pk}",
        header=[
            "Datum",
            "Soort",
            "Met",
            "Onderwerp",
            "Verslag",
            "Vastgelegd door",
            "Gecorrigeerd",
            "Reden correctie",
        ],
        rows=[
            [
                m.date,
                m.get_kind_display(),
                str(m.contact) if m.contact else "",
                m.subject,
                m.note,
                m.created_by.get_full_name() or m.created_by.username if m.created_by else "",
                m.corrected_at,
                m.correction_reason,
            ]
            for m in moments
        ],
        sheet="Contacthistorie",
        fmt=fmt,
    )
