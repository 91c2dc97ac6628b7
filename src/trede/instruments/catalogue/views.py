"""The catalogue (participatiekaart): the list with filters, 'past bij deze klant', an
instrument's page (providers with contracts, use and result, net effect), and the
contract manager's instrument form. Who may do what: `permissions.CATALOGUE_*`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trede.accounts import permissions as perms
from trede.accounts.permissions import open_client, permission_required, role_may
from trede.audit import logevent
from trede.evaluations.selectors import latest_effect_for_instrument
from trede.utils.disclosure import ESTIMATE_MIN_STARTS
from trede.utils.dutch import format_number
from trede.utils.forms import show_refusal

from ..models import Instrument
from . import selectors, services
from .forms import CatalogueFilterForm, InstrumentForm, InstrumentNewForm
from .rules import ClientFit
from .selectors import CatalogueFilter


def _filters(form: CatalogueFilterForm) -> CatalogueFilter:
    if not form.is_valid():
        return CatalogueFilter()
    data = form.cleaned_data
    return CatalogueFilter(
        text=data["q"].strip(),
        type=data["type"],
        route=data["route"],
        group=data["group"],
        funding=data["funding"],
        provider=data["provider"],
    )


def _catalogue_page(request, *, client=None, fit=None):
    form = CatalogueFilterForm(request.GET or None)
    if (
        fit is None
        and form.is_valid()
        and (form.cleaned_data["taal"] or form.cleaned_data["uren"] is not None)
    ):
        # Language and hours typed in: the same rule as for one client's file.
        fit = ClientFit(dutch_language=form.cleaned_data["taal"], hours_available=form.cleaned_data["uren"])
    today = timezone.localdate()
    rows = selectors.catalogue_rows(_filters(form), on=today, fit=fit)
    use_period = selectors.figure_period(today, selectors.PERIOD_LAST_12_MONTHS)
    use = selectors.catalogue_use(use_period, suppress=role_may(request.user, perms.FIGURES_SUPPRESSED))
    for row in rows:
        row.use = use.get(row.instrument.instrument_code)
    fitting = [r for r in rows if not r.not_fitting]
    not_fitting = [r for r in rows if r.not_fitting]
    return render(
        request,
        "instruments/catalogue.html",
        {
            "form": form,
            "rows": fitting,
            "not_fitting": not_fitting,
            "client": client,
            "fit": fit,
            "may_edit": role_may(request.user, perms.CATALOGUE_EDIT),
        },
    )


@login_required
@permission_required(perms.CATALOGUE_READ)
def catalogue(request):
    return _catalogue_page(request)


@login_required
@permission_required(perms.CATALOGUE_FOR_CLIENT)
def catalogue_for_client(request, client_id: str):
    client = open_client(request.user, perms.CATALOGUE_FOR_CLIENT, client_id, purpose="catalogus")
    fit = selectors.client_fit(client)
    logevent.catalogue_client_fit_read(request.user, client.pk)
    return _catalogue_page(request, client=client, fit=fit)


def _effect(user, instrument: Instrument) -> dict | None:
    estimate = latest_effect_for_instrument(instrument.instrument_code)
    if estimate is None or estimate.estimate is None:
        return None
    if role_may(user, perms.FIGURES_SUPPRESSED) and estimate.n_treated < ESTIMATE_MIN_STARTS:
        return {"suppressed": True, "min_starts": ESTIMATE_MIN_STARTS}

    def pp(value):
        return format_number(value * 100, 1, sign=True) + " procentpunt" if value is not None else "–"

    return {
        "suppressed": False,
        "estimate": pp(estimate.estimate),
        "low": pp(estimate.ci_low),
        "high": pp(estimate.ci_high),
        "n": format_number(estimate.n_treated),
        "horizon": estimate.run.horizon_months,
        "url": reverse("evaluations:instrument", args=[instrument.instrument_code]),
        "may_open": role_may(user, perms.EFFECTS_READ),
    }


def _instrument(code: str) -> Instrument:
    instrument = Instrument.objects.filter(pk=code).first()
    if instrument is None:
        raise Http404("Dit instrument staat niet in de catalogus.")
    return instrument


@login_required
@permission_required(perms.CATALOGUE_READ)
def instrument_detail(request, code: str):
    instrument = _instrument(code)
    today = timezone.localdate()
    contracts = list(selectors.instrument_contracts(instrument))
    return render(
        request,
        "instruments/instrument.html",
        {
            "instrument": instrument,
            "contracts": contracts,
            "running": [c for c in contracts if c.runs_on(today)],
            "may_read_contracts": role_may(request.user, perms.CONTRACT_READ),
            "may_edit": role_may(request.user, perms.CATALOGUE_EDIT),
            "effect": _effect(request.user, instrument),
            "figures": selectors.instrument_figures(
                instrument,
                period=selectors.figure_period(today, request.GET.get("periode")),
                suppress=role_may(request.user, perms.FIGURES_SUPPRESSED),
            ),
            "periods": selectors.figure_periods(today),
        },
    )


def _values(data: dict) -> dict:
    return {k: data[k] for k in services.INSTRUMENT_FIELDS if k in data}


@login_required
@permission_required(perms.CATALOGUE_EDIT)
@require_http_methods(["GET", "POST"])
def instrument_new(request):
    status = 200
    form = InstrumentNewForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                instrument = services.instrument_create(
                    user=request.user, code=form.cleaned_data["code"], values=_values(form.cleaned_data)
                )
            except ValidationError as error:
                status = show_refusal(form, error)
            else:
                messages.success(request, f"Instrument {instrument.instrument_code} staat in de catalogus.")
                return redirect("instruments:instrument", code=instrument.instrument_code)
        else:
            status = 400
    return render(
        request, "instruments/instrument_form.html", {"form": form, "instrument": None}, status=status
    )


@login_required
@permission_required(perms.CATALOGUE_EDIT)
@require_http_methods(["GET", "POST"])
def instrument_edit(request, code: str):
    instrument = _instrument(code)
    status = 200
    if request.method == "POST":
        form = InstrumentForm(request.POST)
        if form.is_valid():
            try:
                services.instrument_update(
                    user=request.user,
                    instrument=instrument,
                    token=form.cleaned_data["token"],
                    values=_values(form.cleaned_data),
                )
            except ValidationError as error:
                status = show_refusal(form, error)
            else:
                messages.success(request, f"Instrument {instrument.instrument_code} is opgeslagen.")
                return redirect("instruments:instrument", code=instrument.instrument_code)
        else:
            status = 400
    else:
        initial = model_to_dict(instrument, fields=list(services.INSTRUMENT_FIELDS))
        initial["token"] = services.instrument_edit_token(instrument)
        form = InstrumentForm(initial=initial)
    return render(
        request, "instruments/instrument_form.html", {"form": form, "instrument": instrument}, status=status
    )
