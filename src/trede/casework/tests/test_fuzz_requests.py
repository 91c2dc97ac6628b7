"""Bad input never gives a 500: every casework POST endpoint (and the client file's) and
the query parameters of the start page and the lists, fuzzed with Hypothesis.

The fields of each form are read from the page that shows it (so a new field is fuzzed
without touching this file); each example keeps, drops or replaces them with text, huge
strings, NUL bytes, odd unicode, impossible dates and numbers, and adds unknown fields.
A refused request (4xx) must have written nothing: every domain table, history included,
is compared before and after. Bounded (25 examples an endpoint) to stay a few minutes.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trede.tests_e2e.world import build_world

pytestmark = pytest.mark.django_db

# TREDE_FUZZ_EXAMPLES raises the bound for a deeper local run.
EXAMPLES = int(os.environ.get("TREDE_FUZZ_EXAMPLES", "25"))
# Tables a request may write whatever its outcome: the audit log (reads and refusals are
# logged by design), sessions and login bookkeeping.
NOT_COMPARED = {"audit", "sessions", "axes", "admin", "contenttypes", "otp_static", "otp_totp"}

MISSING = object()

# Surrogates cannot be sent in a form; everything else can.
CHARS = st.characters(blacklist_categories=("Cs",))
NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "9999-12-31",
        "0000-01-01",
        "1899-12-31",
        "2024-02-30",
        "31-12-2024",
        "-1",
        "-99999999999999999999",
        "99999999999999999999",
        "1e10000000",
        "NaN",
        "Infinity",
        "0",
        "1.5",
        "²",
        "٣",
        "9" * 5000,
        "ja",
        "\u202e\u200b\ufeff",
        "\U0001f642" * 40,
        "Ｔ０００００１",
        "x" * 100_000,
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "../../etc/passwd",
    ]
)
# The hand-picked values twice as often as the generated ones: they are where bugs hide.
VALUE = st.one_of(
    NASTY,
    NASTY,
    st.text(CHARS, max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(lambda d: d.isoformat()),
)


class _Forms(HTMLParser):
    """The forms of a page: action and (name, default value) of every field."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, list[str]], str]] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append((a.get("action") or "", {}, (a.get("method") or "get").lower()))
            return
        if not self.forms:
            return
        fields = self.forms[-1][1]
        name = a.get("name")
        if tag == "input" and name and a.get("type") != "submit":
            kind = a.get("type", "text")
            values = fields.setdefault(name, [])
            if kind in ("radio", "checkbox"):
                if "checked" in a or not values:
                    values[:] = [a.get("value", "on")]
            else:
                values.append(a.get("value", ""))
        elif tag == "button" and name:
            fields.setdefault(name, [a.get("value", "")])
        elif tag == "textarea" and name:
            fields.setdefault(name, [""])
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, [])
        elif tag == "option" and self._select:
            values = fields[self._select]
            if "selected" in a or not values:
                values[:] = [a.get("value", "")]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_fields(page: str, action: str) -> dict[str, list[str]]:
    parser = _Forms()
    parser.feed(page)
    found: dict[str, list[str]] = {}
    for form_action, fields, method in parser.forms:
        if method == "post" and form_action.split("#")[0] in (action, ""):
            for name, values in fields.items():
                found.setdefault(name, values)
    return found


def db_state() -> str:
    """A digest of every domain table's rows (history tables included)."""
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if model._meta.app_label in NOT_COMPARED:
            continue
        rows = model._default_manager.order_by("pk").values_list()
        digest.update(model._meta.label.encode())
        digest.update(repr(list(rows)).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Endpoint:
    name: str
    user: str | None  # None: anonymous (the public questionnaire)
    page: str  # where the form is shown
    action: str  # where it posts


def _endpoints(world) -> list[Endpoint]:
    from trede.casework.intake.models import Application, Questionnaire
    from trede.casework.plans.models import Plan, PlanAction

    a = world.clients["A"]
    b = world.clients["B"]
    application = Application.objects.create(
        client=a, kind="melding", received_on=timezone.localdate(), consultant=a.consultant
    )
    public = Questionnaire.objects.create(
        client=a, application=application, token_valid_until=timezone.now() + timedelta(days=14)
    )
    diagnosis = world.extra["diagnosis"]
    plan = Plan.objects.create(client=a, version=2, status="concept", goals="Werk in de zorg.")
    PlanAction.objects.create(
        plan=plan, description="Cv maken", owner="klant", deadline=timezone.localdate() + timedelta(days=30)
    )
    u = reverse
    detail = u("casework:intake_detail", kwargs={"pk": application.pk})
    diag = u("casework:diagnosis_detail", kwargs={"diagnosis_id": diagnosis.pk})
    plan_page = u("casework:plan_detail", kwargs={"client_id": a.pk})
    new_for_a = u("casework:intake_new_for_client", kwargs={"client_id": a.pk})
    contact = u("casework:contact_new", kwargs={"client_id": a.pk})
    correct = u("casework:contact_correct", kwargs={"contact_id": "GA1"})
    withdraw = u("casework:contact_withdraw", kwargs={"contact_id": "GA1"})
    plan_new = u("casework:plan_new", kwargs={"client_id": a.pk})
    questionnaire = u("casework:intake_questionnaire", kwargs={"pk": application.pk})
    public_url = u("casework:questionnaire_public", kwargs={"token": public.token})
    balance = u("casework:caseload_balance")
    signed_action = world.extra["plan"].actions.first()
    preset = u("casework:preset_edit", kwargs={"key": "leidschendam_voorburg"})
    waarneming = u("clients:waarneming", kwargs={"client_id": b.pk})
    return [
        Endpoint("intake_new", "sanne", u("casework:intake_new"), u("casework:intake_new")),
        Endpoint("intake_new_for_client", "sanne", new_for_a, new_for_a),
        Endpoint("intake_send", "sanne", detail, u("casework:intake_send", kwargs={"pk": application.pk})),
        Endpoint("intake_questionnaire", "sanne", questionnaire, questionnaire),
        Endpoint(
            "intake_diagnose", "sanne", detail, u("casework:intake_diagnose", kwargs={"pk": application.pk})
        ),
        Endpoint(
            "diagnosis_override",
            "sanne",
            diag,
            u("casework:diagnosis_override", kwargs={"diagnosis_id": diagnosis.pk}),
        ),
        Endpoint(
            "route_decide", "sanne", diag, u("casework:route_decide", kwargs={"diagnosis_id": diagnosis.pk})
        ),
        Endpoint("questionnaire_public", None, public_url, public_url),
        Endpoint("contact_new", "sanne", contact, contact),
        Endpoint("contact_correct", "sanne", correct, correct),
        Endpoint("contact_withdraw", "sanne", withdraw, withdraw),
        Endpoint("plan_new", "sanne", plan_new, plan_new),
        Endpoint("plan_agree", "sanne", plan_page, u("casework:plan_agree", kwargs={"plan_id": plan.pk})),
        Endpoint(
            "plan_action_done",
            "sanne",
            plan_page + "?versie=1",
            u("casework:plan_action_done", kwargs={"action_id": signed_action.pk}),
        ),
        Endpoint(
            "my_plan_agree",
            "inwoner_a",
            u("casework:my_plan"),
            u("casework:my_plan_agree", kwargs={"plan_id": plan.pk}),
        ),
        Endpoint("caseload_balance", "tl_noord", balance + "?van=M-SANNE", balance),
        Endpoint("preset_edit", "beheerder", preset, preset),
        Endpoint(
            "preset_activate",
            "beheerder",
            u("casework:preset_list"),
            u("casework:preset_activate", kwargs={"key": "steenwijkerland"}),
        ),
        Endpoint("waarneming", "sanne", waarneming, waarneming),
    ]


ENDPOINT_NAMES = [
    "intake_new",
    "intake_new_for_client",
    "intake_send",
    "intake_questionnaire",
    "intake_diagnose",
    "diagnosis_override",
    "route_decide",
    "questionnaire_public",
    "contact_new",
    "contact_correct",
    "contact_withdraw",
    "plan_new",
    "plan_agree",
    "plan_action_done",
    "my_plan_agree",
    "caseload_balance",
    "preset_edit",
    "preset_activate",
    "waarneming",
]


@pytest.fixture
def fuzz_world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    return world, {e.name: e for e in _endpoints(world)}


def test_every_casework_post_endpoint_is_fuzzed():
    """The list above covers every POST view of the casework URL confs and the client file."""
    from django.urls import get_resolver

    post_views = set()
    for pattern in get_resolver().url_patterns:
        _collect(pattern, "", post_views)
    assert post_views == set(ENDPOINT_NAMES), sorted(post_views ^ set(ENDPOINT_NAMES))


def _collect(pattern, namespace, found):
    from django.urls import URLPattern, URLResolver

    if isinstance(pattern, URLResolver):
        ns = pattern.namespace or namespace
        for sub in pattern.url_patterns:
            _collect(sub, ns, found)
        return
    if not isinstance(pattern, URLPattern) or namespace not in ("casework", "clients"):
        return
    view = pattern.callback
    methods = _allowed_methods(view)
    if methods is not None and "POST" in methods:
        found.add(pattern.name)


def _allowed_methods(view):
    """The methods a view's require_http_methods allows (None: not declared)."""
    import inspect

    while view is not None:
        closure = inspect.getclosurevars(view).nonlocals if hasattr(view, "__code__") else {}
        if "request_method_list" in closure:
            return set(closure["request_method_list"])
        view = getattr(view, "__wrapped__", None)
    return None


def _request_data(draw, fields: dict[str, list[str]]) -> dict:
    data = {}
    for name, defaults in sorted(fields.items()):
        choice = draw(st.sampled_from(["keep", "keep", "drop", "fuzz", "many"]))
        if choice == "keep":
            data[name] = defaults
        elif choice == "fuzz":
            data[name] = draw(VALUE)
        elif choice == "many":
            data[name] = draw(st.lists(VALUE, min_size=0, max_size=3))
    extra = draw(st.dictionaries(st.text(CHARS, min_size=1, max_size=12), VALUE, max_size=3))
    for name, value in extra.items():
        data.setdefault(name, value)
    return data


@pytest.mark.parametrize("name", ENDPOINT_NAMES)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_bad_post_never_gives_a_500_and_a_refusal_writes_nothing(client, fuzz_world, name, data):
    world, endpoints = fuzz_world
    endpoint = endpoints[name]
    # Every example starts from the same world: what one example wrote is rolled back, so
    # the form (and so what Hypothesis draws) does not depend on earlier examples.
    with transaction.atomic():
        if endpoint.user:
            client.force_login(world.user(endpoint.user))
        page = client.get(endpoint.page)
        assert page.status_code < 500
        fields = form_fields(page.content.decode(), endpoint.action)
        body = _request_data(data.draw, fields)
        before = db_state()
        response = client.post(endpoint.action, body)
        assert response.status_code < 500, (name, _short(body))
        if response.status_code >= 400:
            assert db_state() == before, (name, response.status_code, _short(body))
        transaction.set_rollback(True)


def _short(body: dict) -> dict:
    """The request for an assertion message (the 100.000-character value abbreviated)."""
    return {k: (v[:80] + "…" if isinstance(v, str) and len(v) > 80 else v) for k, v in body.items()}


GET_PAGES = [
    ("sanne", "portal:home", {}, ["peildatum", "regeling", "tabel", "formaat"]),
    ("beleid", "portal:home", {}, ["peildatum", "regeling"]),
    ("beleid", "portal:figures_csv", {"table": "huishouden"}, ["peildatum", "regeling", "formaat"]),
    ("sanne", "clients:caseload", {}, ["route", "klantgroep", "uitkering", "sorteer", "pagina"]),
    ("sanne", "clients:caseload_csv", {}, ["route", "klantgroep", "uitkering", "sorteer", "formaat"]),
    ("sanne", "clients:search", {}, ["q", "pagina"]),
    ("sanne", "casework:worklist", {}, ["consulent", "peildatum"]),
    ("tl_noord", "casework:worklist", {}, ["consulent", "peildatum"]),
    ("sanne", "casework:intake_list", {}, ["status", "pagina"]),
    ("sanne", "casework:plan_detail", {"client_id": "KA0001"}, ["versie"]),
    ("sanne", "casework:contact_new", {"client_id": "KA0001"}, ["next"]),
    ("tl_noord", "casework:caseload_balance", {}, ["van"]),
    ("beheerder", "casework:preset_list", {}, ["pagina"]),
]


@pytest.mark.parametrize(
    ("user", "name", "kwargs", "params"), GET_PAGES, ids=[f"{p[0]}-{p[1]}" for p in GET_PAGES]
)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_bad_query_parameters_never_give_a_500(client, fuzz_world, user, name, kwargs, params, data):
    world, _endpoints_by_name = fuzz_world
    client.force_login(world.user(user))
    query = {}
    for param in params:
        value = data.draw(st.one_of(st.just(MISSING), VALUE, st.lists(VALUE, max_size=3)))
        if value is not MISSING:
            query[param] = value
    query |= data.draw(st.dictionaries(st.text(CHARS, min_size=1, max_size=12), VALUE, max_size=2))
    with transaction.atomic():
        response = client.get(reverse(name, kwargs=kwargs), query)
        assert response.status_code < 500, (name, _short(query))
        transaction.set_rollback(True)


@pytest.mark.parametrize("peildatum", ["9999-12-31", "0000-01-01", "2099-01-01", "1800-01-01", "\x00"])
def test_start_page_refuses_a_peildatum_far_outside_the_data(client, fuzz_world, peildatum):
    world, _ = fuzz_world
    client.force_login(world.user("beleid"))
    response = client.get(reverse("portal:home"), {"peildatum": peildatum})
    assert response.status_code in (200, 400)


# What the fuzz found, kept as plain regression tests.


@pytest.mark.parametrize("versie", ["²", "9" * 5000, "٣", "-1", ""])
def test_plan_version_parameter_that_is_no_small_number_shows_the_current_plan(client, fuzz_world, versie):
    """ "²".isdigit() is true but int("²") a ValueError, and so is a 5.000-digit number (500s)."""
    world, _ = fuzz_world
    client.force_login(world.user("sanne"))
    response = client.get(reverse("casework:plan_detail", kwargs={"client_id": "KA0001"}), {"versie": versie})
    assert response.status_code == 200


def test_caseload_source_with_a_nul_byte_is_not_found(client, fuzz_world):
    """PostgreSQL refused the NUL in the consultant lookup (DataError, a 500). In a query
    parameter the address guard answers first (400); in a posted field the view (404)."""
    world, _ = fuzz_world
    client.force_login(world.user("tl_noord"))
    url = reverse("casework:caseload_balance")
    assert client.get(url, {"van": "M-SANNE\x00"}).status_code == 400
    assert client.post(url, {"van": "\x00", "reason": "x"}).status_code == 404
