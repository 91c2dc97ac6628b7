"""/api/v1/: each domain's endpoints (its `api.py`, `ROUTES`) and the committed schema."""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse
from django.urls import path
from django.views.decorators.http import require_GET
from rest_framework.routers import SimpleRouter

from trede.benefits import api as benefits
from trede.casework.contacts import api as contacts
from trede.casework.intake import api as intake
from trede.casework.plans import api as plans
from trede.clients import api as clients
from trede.employers import api as employers
from trede.instruments import api as instruments
from trede.monitor import api as monitor

SCHEMA_FILE = Path(__file__).with_name("openapi.yaml")

app_name = "api"

router = SimpleRouter()
for module in (clients, benefits, intake, plans, contacts, instruments, employers):
    for prefix, viewset, basename in module.ROUTES:
        router.register(prefix, viewset, basename=basename)


@require_GET
def schema(request):
    """The committed OpenAPI schema (the one the tests hold the code to); no personal data."""
    return FileResponse(SCHEMA_FILE.open("rb"), content_type="application/vnd.oai.openapi; charset=utf-8")


urlpatterns = [
    path("schema/", schema, name="schema"),
    path("monitor/bestand/", monitor.StockView.as_view(), name="monitor_stock"),
    path("monitor/stromen/", monitor.FlowsView.as_view(), name="monitor_flows"),
    *router.urls,
]
