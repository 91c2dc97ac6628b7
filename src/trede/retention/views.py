"""The bewaartermijnen pages: what passed its period (counts for everyone with the
permission, client numbers for the privacy officer), a proposal, the run page where a
second person approves or rejects, the destruction log and the periods form. Views stay
thin: selectors read, services write and audit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trede.accounts import permissions as perms
from trede.accounts.permissions import permission_required, role_may
from trede.audit import logevent

from . import selectors, services
from .constants import RecordType, RunStatus
from .forms import PeriodForm, RejectForm
from .models import DestructionRun

PURPOSE = services.PURPOSE
# Client numbers on one page at most (each one is an audit row).
LIST_LIMIT = 200
LIST_NAME = "Bewaartermijn voorbij"


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


@permission_required(perms.RETENTION_READ)
@require_http_methods(["GET", "POST"])
def index(request):
    user = request.user
    today = timezone.localdate()
    if request.method == "POST":
        perms.check(user, perms.DESTRUCTION_PROPOSE, purpose=PURPOSE)
        record_type = request.POST.get("soort", "")
        try:
            run = services.run_propose(user=user, record_type=record_type, as_of=today)
        except ValidationError as error:
            messages.error(request, _refusal(error))
            return redirect("retention:index")
        messages.success(
            request, f"Vernietiging {run.pk} is voorgesteld. Een collega keurt haar goed of wijst haar af."
        )
        return redirect("retention:run", run_id=run.pk)
    clients = selectors.expired_clients(as_of=today)
    audit = selectors.expired_audit(as_of=today)
    may_list = role_may(user, perms.RETENTION_LIST_CLIENTS)
    shown = clients.expired[:LIST_LIMIT] if may_list else []
    logevent.retention_listed(user, what="klantdossiers", count=len(clients.expired))
    if shown:
        logevent.clients_listed(user, [e.client_id for e in shown], list_name=LIST_NAME, purpose=PURPOSE)
    return render(
        request,
        "retention/index.html",
        {
            "today": today,
            "periods": {p.record_type: p for p in selectors.periods()},
            "clients": clients,
            "audit": audit,
            "shown": shown,
            "shown_more": max(0, len(clients.expired) - len(shown)) if may_list else 0,
            "may_list": may_list,
            "may_propose": role_may(user, perms.DESTRUCTION_PROPOSE),
            "may_edit": role_may(user, perms.RETENTION_EDIT),
            "open_runs": selectors.open_runs(),
        },
    )


@permission_required(perms.RETENTION_READ)
@require_http_methods(["GET", "POST"])
def run_detail(request, run_id: int):
    user = request.user
    run = DestructionRun.objects.select_related("proposed_by", "decided_by").filter(pk=run_id).first()
    if run is None:
        raise Http404("Deze vernietiging bestaat niet.")
    reject_form = RejectForm()
    status = 200
    if request.method == "POST":
        perms.check(user, perms.DESTRUCTION_APPROVE, purpose=PURPOSE)
        action = request.POST.get("actie", "")
        try:
            if action == "goedkeuren":
                run = services.run_approve(user=user, run=run)
                messages.success(
                    request,
                    f"Vernietiging {run.pk} is uitgevoerd: {run.destroyed_count} vernietigd, "
                    f"{run.skipped_count} overgeslagen.",
                )
                return redirect("retention:run", run_id=run.pk)
            if action == "verder":
                run = services.run_execute(run=run)
                messages.success(request, f"Vernietiging {run.pk} is afgemaakt.")
                return redirect("retention:run", run_id=run.pk)
            if action == "afwijzen":
                reject_form = RejectForm(request.POST)
                if reject_form.is_valid():
                    services.run_reject(user=user, run=run, reason=reject_form.cleaned_data["reason"])
                    messages.success(request, f"Vernietiging {run.pk} is afgewezen; er is niets vernietigd.")
                    return redirect("retention:run", run_id=run.pk)
                status = 400
            else:
                raise ValidationError("Onbekende handeling.")
        except ValidationError as error:
            messages.error(request, _refusal(error))
            status = getattr(error, "status_code", 400)
            run.refresh_from_db()
    may_list = role_may(user, perms.RETENTION_LIST_CLIENTS)
    clients = selectors.run_clients(run)[:LIST_LIMIT] if may_list else []
    if clients:
        logevent.clients_listed(
            user,
            clients,
            list_name=f"Vernietiging {run.pk}",
            purpose=PURPOSE,
            object_type="destruction_run",
            object_id=run.pk,
        )
    may_decide = role_may(user, perms.DESTRUCTION_APPROVE)
    return render(
        request,
        "retention/run.html",
        {
            "run": run,
            "counts": sorted(run.counts.items()),
            "rows_total": sum(run.counts.values()),
            "clients": clients,
            "clients_more": max(0, run.items.count() - len(clients)) if may_list else 0,
            "may_decide": may_decide
            and run.status == RunStatus.VOORGESTELD
            and run.proposed_by_id != user.pk,
            "own_proposal": run.proposed_by_id == user.pk,
            "may_continue": may_decide and run.status == RunStatus.GOEDGEKEURD,
            "reject_form": reject_form,
            "is_clients": run.record_type == RecordType.KLANTDOSSIER,
        },
        status=status,
    )


@permission_required(perms.RETENTION_READ)
def log(request):
    return render(request, "retention/log.html", {"runs": selectors.runs()})


@permission_required(perms.RETENTION_EDIT)
@require_http_methods(["GET", "POST"])
def periods(request):
    user = request.user
    failed: dict[str, PeriodForm] = {}
    status = 200
    if request.method == "POST":
        record_type = request.POST.get("record_type", "")
        form = PeriodForm(request.POST, auto_id=f"id_{record_type}_%s")
        if form.is_valid():
            data = form.cleaned_data
            try:
                row = services.period_update(
                    user=user, record_type=data["record_type"], years=data["years"], basis=data["basis"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, f"De bewaartermijn van {row.get_record_type_display()} is nu {row.years} jaar."
                )
                return redirect("retention:periods")
        failed[record_type] = form
        status = 400
    rows = []
    for period in selectors.periods():
        form = failed.get(period.record_type) or PeriodForm(
            initial={"record_type": period.record_type, "years": period.years, "basis": period.basis},
            auto_id=f"id_{period.record_type}_%s",
        )
        rows.append({"period": period, "form": form, "history": selectors.period_history(period.record_type)})
    return render(request, "retention/periods.html", {"rows": rows}, status=status)
