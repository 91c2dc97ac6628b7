"""The algorithm register in the browser (issue 12 point 6): `beleid` opens
"Algoritmeregister" from the navigation, reads per algorithm the human intervention, the
data used and deliberately not used and the fairness tables (a group too small shows as
"niet getoond"), and downloads the register as JSON in the register's field names; a
consultant has no such item. axe-core (WCAG 2.1 A/AA) finds nothing, and the page works at
390 px."""

from __future__ import annotations

import json
from datetime import date

import pytest
from playwright.sync_api import expect

from .axe import axe_violations
from .conftest import E2E
from .phone import PHONE, phone_problems
from .test_journeys import NAV, nav
from .world import PASSWORD

pytestmark = E2E


@pytest.fixture
def people(transactional_db, _fast_passwords):
    from trede.accounts.models import Role, User
    from trede.casework.tests.factories import DiagnosisFactory
    from trede.clients.tests.factories import ClientFactory

    for i, (gender, n) in enumerate((("vrouw", 14), ("man", 12), ("x", 3))):
        for j in range(n):
            client = ClientFactory(gender=gender, statushouder=False, birth_date=date(1980 + i, 1, 1 + j))
            DiagnosisFactory(
                client=client,
                date=date(2025, 3, 1),
                months_to_work=6 * j,
                route="re_integratie" if j % 2 else "participatie",
            )
    for username, role in (("beleid", Role.BELEID), ("consulent", Role.CONSULENT_WERK)):
        User.objects.create_user(
            username=username, password=PASSWORD, role=role, first_name=username.capitalize()
        )


def test_policy_advisor_reads_and_downloads_the_register(people, live_server, new_page, login):
    from trede.algorithms.selectors import DECLARATIONS

    page = login(new_page(), "beleid")
    nav(page, "Algoritmeregister")
    expect(page.get_by_role("heading", name="Algoritmeregister", level=1)).to_be_visible()
    for decl in DECLARATIONS:
        expect(page.get_by_role("heading", name=decl.name, level=2)).to_be_visible()
    diagnosis = page.get_by_test_id("algoritme-trede-diagnose")
    expect(diagnosis.get_by_role("heading", name="Menselijke tussenkomst")).to_be_visible()
    expect(diagnosis).to_contain_text("wijkt af met een verplichte reden")
    expect(diagnosis).to_contain_text("Nationaliteit")
    gender = page.get_by_test_id("eerlijkheid-gender")
    expect(gender).to_contain_text("vrouw")
    expect(gender.get_by_role("row", name="x")).to_contain_text("niet getoond")
    # x (3) is hidden, and then men (12) too: neither can be computed from the total.
    expect(gender.get_by_role("row", name="man")).to_contain_text("niet getoond")
    assert axe_violations(page) == []

    with page.expect_download() as info:
        page.get_by_role("link", name="JSON (velden van het register)").click()
    data = json.loads(info.value.path().read_text(encoding="utf-8"))
    assert [e["source_id"] for e in data["algorithms"]] == [d.key for d in DECLARATIONS]
    assert {"name", "goal", "human_intervention", "risks", "lawful_basis", "source_data"} <= set(
        data["algorithms"][0]
    )

    page.set_viewport_size(PHONE)
    assert phone_problems(page, live_server.url + "/algoritmeregister/", "/algoritmeregister/") == []

    other = login(new_page(), "consulent")
    expect(
        other.get_by_role("navigation", name=NAV).get_by_role("link", name="Algoritmeregister")
    ).to_have_count(0)
    assert other.goto(live_server.url + "/algoritmeregister/").status == 403
