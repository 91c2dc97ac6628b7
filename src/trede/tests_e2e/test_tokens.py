"""Application tokens in the browser (issue 8, point 2): the beheerder opens
"Applicatietokens", makes a token for a BI tool (system account with role beleid, scope
cijfers.lezen), sees the secret once, the tool reads the monitor figures with it and not
the clients, and the beheerder revokes it, after which it is refused. axe-core (WCAG 2.1
A/AA) finds nothing on the page, also at 390 px."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from .axe import axe_violations
from .conftest import E2E
from .phone import PHONE, phone_problems
from .test_journeys import nav
from .world import PASSWORD

pytestmark = E2E


@pytest.fixture
def beheer(transactional_db, _fast_passwords):
    from trede.accounts.models import Role, User

    User.objects.create_user(username="beheerder", password=PASSWORD, role=Role.BEHEERDER, first_name="Bea")


def _get(url: str, secret: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, headers={"Authorization": f"Token {secret}", "Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the test's own server)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_the_beheerder_makes_a_token_that_reads_figures_only_and_revokes_it(
    beheer, live_server, new_page, login
):
    page = login(new_page(), "beheerder")
    nav(page, "Applicatietokens")
    expect(page.get_by_role("heading", name="Nieuw token", level=2)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Naam van de applicatie of koppeling").fill("Power BI afdeling Beleid")
    page.get_by_label("Systeemaccount", exact=True).fill("powerbi")
    page.get_by_label("Rol van het systeemaccount").select_option("beleid")
    page.locator("input[name=scopes][value='cijfers.lezen']").check()
    page.get_by_role("button", name="Token aanmaken").click()
    secret = page.get_by_label("Geheim voor Power BI afdeling Beleid").input_value()
    assert len(secret) >= 32
    assert axe_violations(page) == []

    status, body = _get(live_server.url + "/api/v1/monitor/bestand/?as_of=2024-01-01", secret)
    assert status == 200, body
    assert "total" in body
    status, body = _get(live_server.url + "/api/v1/klanten/", secret)
    assert status == 403, body  # no scope for clients, and beleid reads no client

    page.reload()
    expect(page.get_by_label("Geheim voor Power BI afdeling Beleid")).to_have_count(0)  # shown once
    page.get_by_role("button", name="Intrekken").click()
    expect(page.locator("table")).to_contain_text("ingetrokken")
    status, _body = _get(live_server.url + "/api/v1/monitor/bestand/?as_of=2024-01-01", secret)
    assert status == 401
    page.set_viewport_size(PHONE)
    assert phone_problems(page, page.url, "/toegang/applicaties/") == []
