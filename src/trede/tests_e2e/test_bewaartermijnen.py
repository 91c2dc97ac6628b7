"""Retention and destruction in the browser (issue 12, points 4 and 7): `beheerder` opens
"Bewaartermijnen" from the navigation, sees one expired client file (a count, no client
number) and proposes its destruction; the page says a colleague decides. `privacy`, a
different user, sees the client number, approves, and the client is gone from every
table; the destruction log shows the run without a client number. axe-core (WCAG 2.1
A/AA) finds nothing on any page visited, and the pages work at 390 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .axe import axe_violations
from .conftest import E2E
from .phone import PHONE, phone_problems
from .test_journeys import nav
from .world import PASSWORD

pytestmark = E2E


@pytest.fixture
def archive(transactional_db, _fast_passwords):
    from trede.accounts.models import Role, User
    from trede.retention.tests.world import full_client

    full_client()
    for username, role in (("beheerder", Role.BEHEERDER), ("privacy", Role.PRIVACY)):
        User.objects.create_user(
            username=username, password=PASSWORD, role=role, first_name=username.capitalize()
        )


def test_beheerder_proposes_privacy_approves_and_the_client_is_gone(archive, live_server, new_page, login):
    from trede.retention.tests.test_destruction import tables_holding
    from trede.retention.tests.world import UNIQUE_BSN, UNIQUE_ID

    page = login(new_page(), "beheerder")
    nav(page, "Bewaartermijnen")
    expect(page.get_by_role("heading", name=re.compile("^Bewaar\u00ad?termijnen$"), level=1)).to_be_visible()
    expect(page.get_by_test_id("verlopen-klanten")).to_have_text("1")
    expect(page.locator("main")).not_to_contain_text(UNIQUE_ID)
    assert axe_violations(page) == []
    page.get_by_role("link", name="Bewaartermijnen wijzigen").click()
    expect(page.get_by_label("Bewaartermijn in jaren").first).to_have_value("10")
    assert axe_violations(page) == []
    nav(page, "Bewaartermijnen")
    page.get_by_role("button", name="Vernietiging voorstellen van de klantdossiers").click()
    expect(page.locator(".messages")).to_contain_text("is voorgesteld")
    expect(page.get_by_test_id("status")).to_have_text("voorgesteld")
    expect(page.get_by_role("button", name="Goedkeuren en vernietigen")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Een collega")
    assert axe_violations(page) == []
    run_path = page.url.removeprefix(live_server.url)

    other = login(new_page(), "privacy")
    nav(other, "Bewaartermijnen")
    expect(other.locator("#tabel-verlopen")).to_contain_text(UNIQUE_ID)
    assert axe_violations(other) == []
    other.get_by_role("link", name=re.compile(r"^Vernietiging \d+")).click()
    expect(other.locator("#klanten-in-voorstel")).to_contain_text(UNIQUE_ID)
    assert axe_violations(other) == []
    other.get_by_role("button", name="Goedkeuren en vernietigen").click()
    expect(other.locator(".messages")).to_contain_text("is uitgevoerd: 1 vernietigd")
    expect(other.get_by_test_id("status")).to_have_text("uitgevoerd: vernietigd")
    expect(other.locator("#tabel-per-tabel")).to_contain_text("clients_client")
    expect(other.locator("main")).not_to_contain_text(UNIQUE_ID)
    assert axe_violations(other) == []
    other.get_by_role("link", name="Vernietigingslog").click()
    expect(other.locator("#tabel-log")).to_contain_text("uitgevoerd")
    expect(other.locator("main")).not_to_contain_text(UNIQUE_ID)
    assert axe_violations(other) == []

    # Gone from every table, history tables included (the audit log keeps its own period).
    assert tables_holding(UNIQUE_ID, UNIQUE_BSN) == {}

    other.set_viewport_size(PHONE)
    for path in ("/bewaartermijnen/", run_path, "/bewaartermijnen/vernietigingen/"):
        assert phone_problems(other, live_server.url + path, path) == []
    page.set_viewport_size(PHONE)
    assert (
        phone_problems(page, live_server.url + "/bewaartermijnen/termijnen/", "/bewaartermijnen/termijnen/")
        == []
    )
