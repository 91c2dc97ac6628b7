"""Contracts with providers: a contract's page and the contract manager's form
(`permissions.CONTRACT_READ`, `CATALOGUE_EDIT`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from trede.accounts import permissions as perms
from trede.accounts.permissions import permission_required, role_may
from trede.utils.concurrency import new_submission_key
from trede.utils.forms import show_refusal

from ..models import Contract
from . import services
from .forms import ContractForm


def _contract(pk: int) -> Contract:
    contract = Contract.objects.select_related("provider", "created_by").filter(pk=pk).first()
    if contract is None:
        raise Http404("Dit contract bestaat niet.")
    return contract


@login_required
@permission_required(perms.CONTRACT_READ)
def contract_detail(request, pk: int):
    contract = _contract(pk)
    history = contract.history.select_related("history_user").order_by("-history_date")[:20]
    return render(
        request,
        "instruments/contract.html",
        {
            "contract": contract,
            "instruments": contract.instruments.order_by("name"),
            "history": history,
            "may_edit": role_may(request.user, perms.CATALOGUE_EDIT),
        },
    )


def _values(data: dict) -> dict:
    return {k: data.get(k) for k in (*services.CONTRACT_FIELDS, "instruments")}


@login_required
@permission_required(perms.CATALOGUE_EDIT)
@require_http_methods(["GET", "POST"])
def contract_new(request):
    status = 200
    if request.method == "POST":
        form = ContractForm(request.POST)
        if form.is_valid():
            try:
                contract = services.contract_create(
                    user=request.user,
                    values=_values(form.cleaned_data),
                    submission_key=form.cleaned_data["submission_key"],
                )
            except ValidationError as error:
                status = show_refusal(form, error)
            else:
                messages.success(request, f"Contract {contract.reference} is vastgelegd.")
                return redirect("instruments:contract", pk=contract.pk)
        else:
            status = 400
    else:
        initial = {"submission_key": new_submission_key()}
        if request.GET.get("instrument"):
            initial["instruments"] = [request.GET["instrument"]]
        form = ContractForm(initial=initial)
    return render(request, "instruments/contract_form.html", {"form": form, "contract": None}, status=status)


@login_required
@permission_required(perms.CATALOGUE_EDIT)
@require_http_methods(["GET", "POST"])
def contract_edit(request, pk: int):
    contract = _contract(pk)
    status = 200
    if request.method == "POST":
        form = ContractForm(request.POST)
        if form.is_valid():
            try:
                services.contract_update(
                    user=request.user,
                    contract=contract,
                    token=form.cleaned_data["token"],
                    values=_values(form.cleaned_data),
                )
            except ValidationError as error:
                status = show_refusal(form, error)
            else:
                messages.success(request, f"Contract {contract.reference} is opgeslagen.")
                return redirect("instruments:contract", pk=contract.pk)
        else:
            status = 400
    else:
        initial = model_to_dict(contract, fields=[*services.CONTRACT_FIELDS, "instruments"])
        initial["token"] = services.contract_edit_token(contract)
        form = ContractForm(initial=initial)
    return render(
        request, "instruments/contract_form.html", {"form": form, "contract": contract}, status=status
    )
