"""The REST API: the same access, scope and audit as the pages (trede.api and each app's api.py)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from trede.audit.models import AuditEvent
from trede.casework.models import Contact
from trede.clients.tests.factories import ClientFactory
from trede.monitor.selectors import flow_figures, stock_figures

PROBLEM = "application/problem+json"
A, B = "KA0001", "KB0002"


def ids(response, key):
    assert response.status_code == 200, response.content
    return sorted(str(row[key]) for row in response.json()["results"])


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == status
    return body


# Per endpoint: its list, a role without its permission, the key of a record and what
# Sanne (werkconsulent, client A on her caseload, not B) sees.
ENDPOINTS = [
    ("klanten", "beleid", "client_id", [A]),
    ("uitkeringen", "am", "benefit_id", ["U-A1"]),
    ("maatregelen", "am", "measure_id", ["MA1"]),
    ("diagnoses", "inkomen", "diagnosis_id", ["DA1"]),
    ("contactmomenten", "am", "contact_id", ["GA1"]),
    ("trajecten", "inkomen", "trajectory_id", ["TA1", "TA2"]),
    ("plaatsingen", "inkomen", "placement_id", ["PA1"]),
    ("aanbieders", "inkomen", "provider_id", ["P1", "Q1"]),
    ("instrumenten", "inkomen", "instrument_code", ["WEP"]),
    ("werkgevers", "inkomen", "employer_id", ["E1"]),
    ("vacatures", "inkomen", "vacancy_id", []),
]
# A record of client B (Bob's caseload, Sanne has no relationship with B).
OF_B = {
    "klanten": B,
    "uitkeringen": "U-B1",
    "contactmomenten": "GB1",
    "trajecten": "TB1",
}


@pytest.mark.parametrize(("name", "refused", "key", "expected"), ENDPOINTS)
def test_endpoint_lists_only_what_the_pages_show(api, name, refused, key, expected):
    client = api("sanne")
    assert ids(client.get(f"/api/v1/{name}/"), key) == expected


@pytest.mark.parametrize(("name", "refused", "key", "expected"), ENDPOINTS)
def test_endpoint_refuses_a_role_without_the_permission(api, name, refused, key, expected):
    body = assert_problem(api(refused).get(f"/api/v1/{name}/"), 403)
    assert body["type"].endswith("geen-toegang")
    assert AuditEvent.objects.filter(event="access_denied", username=refused).exists()


@pytest.mark.parametrize("name", sorted(OF_B))
def test_a_record_outside_the_relationships_is_404_as_a_missing_one(api, name):
    client = api("sanne")
    outside = assert_problem(client.get(f"/api/v1/{name}/{OF_B[name]}/"), 404)
    missing = assert_problem(client.get(f"/api/v1/{name}/BESTAAT-NIET/"), 404)
    assert outside["title"] == missing["title"]
    denied = AuditEvent.objects.filter(event="access_denied", username="sanne")
    assert denied.count() == 2


def test_not_logged_in_is_401_problem(client, world):
    response = client.get("/api/v1/klanten/")
    assert_problem(response, 401)
    assert response.has_header("WWW-Authenticate")


def test_client_list_audits_every_client_shown(api):
    client = api("tl_noord")
    assert ids(client.get("/api/v1/klanten/"), "client_id") == [A]
    rows = AuditEvent.objects.filter(event="client_listed", username="tl_noord")
    assert [r.client_id for r in rows] == [A]
    assert rows[0].details["lijst"] == "Klanten (API)"
    assert AuditEvent.objects.filter(event="list_viewed", username="tl_noord").count() == 1


def test_client_file_has_exactly_the_sections_of_the_role(api):
    am = api("am").get(f"/api/v1/klanten/{A}/").json()
    assert "werkprofiel" in am and "basis" in am
    for absent in ("leefgebieden", "contacten", "handhaving", "identiteit", "uitkering", "diagnose"):
        assert absent not in am
    assert "psycholoog" not in str(am)
    read = set(
        AuditEvent.objects.filter(event="client_section_read", username="am").values_list(
            "section", flat=True
        )
    )
    assert read == set(am["sections"])

    sanne = api("sanne").get(f"/api/v1/klanten/{A}/").json()
    assert {"leefgebieden", "contacten", "handhaving", "identiteit", "uitkering", "diagnose"} <= set(sanne)
    assert sanne["identiteit"]["bsn"] == "111222333"
    assert [c["contact_id"] for c in sanne["contacten"]] == ["GA1"]


def test_a_colleagues_client_is_404_not_the_waarneming_form(api):
    body = assert_problem(api("sanne").get(f"/api/v1/klanten/{B}/"), 404)
    assert "waarneming" in body["detail"]
    # With a recorded waarneming (Wim has one for A) the file opens.
    assert api("wim").get(f"/api/v1/klanten/{A}/").status_code == 200


def test_a_provider_sees_only_its_own_trajectories(api):
    client = api("aanbieder_p")
    assert ids(client.get("/api/v1/trajecten/"), "trajectory_id") == ["TA1"]
    assert_problem(client.get("/api/v1/trajecten/TA2/"), 404)


def test_list_reads_are_audited_per_client_shown(api):
    client = api("tl_noord")
    client.get("/api/v1/uitkeringen/")
    rows = AuditEvent.objects.filter(event="client_section_read", username="tl_noord")
    assert [(r.client_id, r.section) for r in rows] == [(A, "uitkering")]


def test_cursor_pagination(api, world):
    for _ in range(4):
        ClientFactory(consultant=world.consultants["sanne"])
    client = api("sanne")
    first = client.get("/api/v1/klanten/?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"]
    seen = [r["client_id"] for r in first["results"]]
    url = first["next"]
    while url:
        page = client.get(url).json()
        seen += [r["client_id"] for r in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 5
    # Only the clients on each page were logged as shown.
    assert AuditEvent.objects.filter(event="client_listed", username="sanne").count() == 5


def test_filters(api, world):
    client = api("sanne")
    assert ids(client.get("/api/v1/uitkeringen/?regulation=ioaw"), "benefit_id") == []
    assert ids(client.get("/api/v1/uitkeringen/?regulation=pw&from=2023-06-01"), "benefit_id") == ["U-A1"]
    today = timezone.localdate()
    assert ids(client.get(f"/api/v1/contactmomenten/?from={today - timedelta(days=20)}"), "contact_id") == [
        "GA1"
    ]
    assert ids(client.get(f"/api/v1/contactmomenten/?from={today}"), "contact_id") == []
    tl = api("tl_noord")
    assert ids(tl.get("/api/v1/klanten/?category=1C"), "client_id") == [A]
    assert ids(tl.get("/api/v1/klanten/?category=1A"), "client_id") == []
    assert ids(tl.get("/api/v1/klanten/?team=Noord"), "client_id") == [A]
    assert ids(tl.get("/api/v1/klanten/?consultant_id=M-BOB"), "client_id") == []


def test_bad_input_is_a_400_problem_with_invalid_params(api):
    client = api("sanne")
    body = assert_problem(client.get("/api/v1/contactmomenten/?from=gisteren"), 400)
    assert body["invalidParams"][0]["name"] == "from"
    assert body["invalidParams"][0]["reason"]
    body = assert_problem(client.get("/api/v1/klanten/?cursor=niet-geldig"), 400)
    assert body["invalidParams"][0]["name"] == "cursor"
    body = assert_problem(client.get("/api/v1/uitkeringen/?regulation=xyz"), 400)
    assert body["invalidParams"][0]["name"] == "regulation"


def test_category_filter_refused_for_a_role_that_does_not_see_diagnoses(api):
    assert_problem(api("am").get("/api/v1/klanten/?category=1C"), 403)


def _contact(**extra):
    return {
        "client_id": A,
        "date": timezone.localdate().isoformat(),
        "kind": "telefonisch",
        "note": "Gebeld over de afspraak.",
        **extra,
    }


def test_contact_create_goes_through_the_service_once_per_key(api):
    client = api("sanne")
    key = str(uuid.uuid4())
    first = client.post(
        "/api/v1/contactmomenten/", _contact(submission_key=key), content_type="application/json"
    )
    assert first.status_code == 201, first.content
    number = first.json()["contact_id"]
    assert number.startswith("TC")
    again = client.post(
        "/api/v1/contactmomenten/", _contact(submission_key=key), content_type="application/json"
    )
    assert again.status_code == 200
    assert again.json()["contact_id"] == number
    assert Contact.objects.filter(client_id=A, kind="telefonisch").count() == 1
    assert AuditEvent.objects.filter(event="contact_registered", client_id=A).count() == 1
    contact = Contact.objects.get(pk=number)
    assert contact.created_by.username == "sanne"
    # The same with the header.
    header = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    one = client.post(
        "/api/v1/contactmomenten/", _contact(kind="gesprek"), content_type="application/json", **header
    )
    two = client.post(
        "/api/v1/contactmomenten/", _contact(kind="gesprek"), content_type="application/json", **header
    )
    assert (one.status_code, two.status_code) == (201, 200)
    assert one.json()["contact_id"] == two.json()["contact_id"]


def test_contact_create_refusals(api):
    sanne = api("sanne")
    body = assert_problem(
        sanne.post("/api/v1/contactmomenten/", _contact(client_id=B), content_type="application/json"), 404
    )
    assert body["status"] == 404
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    body = assert_problem(
        sanne.post(
            "/api/v1/contactmomenten/", _contact(date=future, kind="xyz"), content_type="application/json"
        ),
        400,
    )
    assert {p["name"] for p in body["invalidParams"]} == {"kind"}
    body = assert_problem(
        sanne.post("/api/v1/contactmomenten/", _contact(date=future), content_type="application/json"), 400
    )
    assert "toekomst" in body["invalidParams"][0]["reason"]
    assert_problem(
        api("am").post("/api/v1/contactmomenten/", _contact(), content_type="application/json"), 403
    )
    assert not Contact.objects.filter(pk__startswith="TC").exists()


def test_a_key_of_someone_elses_contact_is_refused(api):
    key = str(uuid.uuid4())
    assert (
        api("sanne")
        .post("/api/v1/contactmomenten/", _contact(submission_key=key), content_type="application/json")
        .status_code
        == 201
    )
    body = assert_problem(
        api("tl_noord").post(
            "/api/v1/contactmomenten/", _contact(submission_key=key), content_type="application/json"
        ),
        400,
    )
    assert body["invalidParams"][0]["name"] == "submission_key"
    assert "Gebeld" not in str(body)


def test_monitor_has_the_keys_and_figures_of_the_cli(api):
    client = api("tl_noord")
    stock = client.get("/api/v1/monitor/bestand/?as_of=2024-06-01&regulations=pw")
    assert stock.json() == {**stock_figures(as_of=timezone.datetime(2024, 6, 1).date(), regulations=["pw"])}
    flows = client.get("/api/v1/monitor/stromen/?from=2022-01-01&to=2024-01-01&period=year")
    expected = flow_figures(
        date_from=timezone.datetime(2022, 1, 1).date(),
        date_to=timezone.datetime(2024, 1, 1).date(),
        period="year",
    )
    assert flows.json() == expected
    assert_problem(client.get("/api/v1/monitor/stromen/?from=2024-01-01&to=2022-01-01"), 400)
    assert_problem(client.get("/api/v1/monitor/bestand/?as_of=2024-06-01&regulations=xx"), 400)
    assert_problem(api("sanne").get("/api/v1/monitor/bestand/?as_of=2024-06-01"), 403)


def test_monitor_suppresses_small_counts_for_beleid(api):
    stock = api("beleid").get("/api/v1/monitor/bestand/?as_of=2024-06-01").json()
    assert stock["total"] == "<5"
    assert set(stock["by_age_band"]) == {"<=20", "21-30", "31-40", "41-50", "51-60", ">=61"}


def test_an_application_token_must_allow_the_permission(rf, world):
    from rest_framework.exceptions import PermissionDenied
    from rest_framework.request import Request

    from trede.accounts import permissions as perms
    from trede.api.permissions import DeclaredPermission

    class Token:
        def __init__(self, allowed):
            self.allowed = allowed

        def allows(self, permission):
            return permission.name in self.allowed

    class View:
        permission = perms.SECTION_READ["basis"]

    request = Request(rf.get("/api/v1/klanten/"))
    request.user = world.user("sanne")
    request.auth = Token({"dossier.basis.lezen"})
    assert DeclaredPermission().has_permission(request, View())
    request.auth = Token(set())
    with pytest.raises(PermissionDenied):
        DeclaredPermission().has_permission(request, View())
    assert AuditEvent.objects.filter(event="access_denied", details__reden__startswith="token").exists()


def test_a_body_that_is_not_json_is_a_dutch_400(api):
    response = api("sanne").post("/api/v1/contactmomenten/", b"\xb0{", content_type="application/json")
    body = assert_problem(response, 400)
    assert body["invalidParams"][0]["name"] == "body"
    assert "JSON" in body["detail"] and "codec" not in body["detail"]
    response = api("sanne").post("/api/v1/contactmomenten/", "client_id=KA0001", content_type="text/plain")
    assert_problem(response, 415)


def test_unknown_path_and_nul_byte_under_api_are_problems(api):
    client = api("sanne")
    assert_problem(client.get("/api/v1/bestaat-niet/"), 404)
    body = assert_problem(client.get("/api/v1/klanten/?team=a%00b"), 400)
    assert body["invalidParams"][0]["code"] == "null_character"


def test_a_session_without_the_second_step_gets_a_problem_not_a_redirect(api, settings):
    settings.TREDE_2FA_REQUIRED = True
    response = api("sanne").get("/api/v1/klanten/")
    body = assert_problem(response, 403)
    assert "tweede stap" in body["detail"]
