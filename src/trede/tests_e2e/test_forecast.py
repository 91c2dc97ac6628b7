"""The stock forecast in the browser (issue 11, point 5): `beleid` opens "Prognose" from the
navigation, sees the chart with its 80 % band, the table and the backtest; chooses the
scenario "Tweede golf" and sees it beside the basis; raises that scenario's inflow factor,
which moves the forecast; downloads the table as CSV. axe-core (WCAG 2.1 A/AA) finds
nothing on any page visited, and the page works at 390 px. The teamleider reads the
forecast but gets 403 on a scenario form."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .axe import axe_violations
from .conftest import E2E
from .phone import PHONE, phone_problems
from .test_journeys import nav
from .world import PASSWORD

pytestmark = E2E


def shipped_scenarios() -> None:
    """The scenarios the monitor's migration ships: a browser test runs on a flushed
    database (transactional), where data from migrations is gone."""
    from importlib import import_module

    from django.apps import apps

    import_module("trede.monitor.migrations.0002_seed_scenarios").create(apps, None)


@pytest.fixture
def history(transactional_db, _fast_passwords):
    """60 Participatiewet clients arriving every 23 days from 2019, two in three leaving
    for work after 300-700 days: a stock of about 25 with four years of history."""
    from trede.accounts.models import Role, User
    from trede.benefits.tests.factories import BenefitFactory
    from trede.clients.tests.factories import ClientFactory

    shipped_scenarios()
    users = {
        "beleid": User.objects.create_user(username="beleid", password=PASSWORD, role=Role.BELEID),
        "teamleider": User.objects.create_user(
            username="teamleider", password=PASSWORD, role=Role.TEAMLEIDER
        ),
    }
    start = timezone.localdate().replace(day=1) - timedelta(days=60 * 23)
    for i in range(60):
        begin = start + timedelta(days=23 * i)
        end = begin + timedelta(days=300 + 7 * i) if i % 3 else None
        if end is not None and end >= timezone.localdate():
            end = None
        BenefitFactory(
            client=ClientFactory(client_id=f"PR{i:04d}"),
            regulation="pw",
            start_date=begin,
            end_date=end,
            end_reason="werk" if end else "",
        )
    return users


def _last_expected(page) -> int:
    rows = page.locator("#tabel-prognose tbody tr")
    return int(rows.last.locator("td").first.text_content().strip())


def test_beleid_reads_the_forecast_changes_a_scenario_and_downloads_it(
    history, live_server, new_page, login, tmp_path
):
    page = login(new_page(), "beleid")
    nav(page, "Prognose")
    expect(page.get_by_role("heading", name="Prognose van het bestand", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Bestand: zoals het was en zoals verwacht")).to_be_visible()
    expect(page.get_by_role("heading", name="Hoe goed voorspelt de methode?")).to_be_visible()
    expect(page.locator("#backtest-mape")).to_contain_text("%")
    assert axe_violations(page) == []

    page.get_by_label("Maanden vooruit").fill("24")
    page.get_by_label("Scenario", exact=True).select_option(label="Tweede golf")
    page.get_by_role("button", name="Berekenen").click()
    expect(page.get_by_role("heading", name="Verwacht bestand: Tweede golf")).to_be_visible()
    expect(page.locator("#prognose-uitkomst")).to_contain_text("Verwacht (basis)")
    expect(page.locator("#tabel-prognose tbody tr")).to_have_count(24)
    assert "scenario=tweede_golf" in page.url  # htmx pushes the query, so the view can be shared
    before = _last_expected(page)
    assert axe_violations(page) == []

    page.get_by_role("link", name=re.compile(r"^Wijzigen\s*\(Tweede golf\)")).click()
    expect(page.get_by_role("heading", name="Scenario Tweede golf wijzigen", level=1)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label(re.compile("^Factor op de instroom|^Instroom", re.I)).fill("2.00")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Prognose van het bestand", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Verwacht bestand: Tweede golf")).to_be_visible()
    page.get_by_label("Maanden vooruit").fill("24")
    page.get_by_role("button", name="Berekenen").click()
    expect(page.locator("#tabel-prognose tbody tr")).to_have_count(24)
    assert _last_expected(page) > before  # twice the inflow instead of 1.25 times
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download als CSV: prognose per maand").click()
    csv_file = download.value
    assert csv_file.suggested_filename.endswith("-tweede_golf.csv")
    path = tmp_path / csv_file.suggested_filename
    csv_file.save_as(path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("maand;verwacht;laag (80 %);hoog (80 %);verwacht in de basis")
    assert len(lines) == 25

    page.set_viewport_size(PHONE)
    url = live_server.url + "/prognose/?as_of=" + timezone.localdate().isoformat()
    assert phone_problems(page, url + "&months=36&scenario=zwak_herstel&regulations=pw", "/prognose/") == []

    from trede.audit.models import AuditEvent

    assert AuditEvent.objects.filter(event="forecast_scenario_saved", user=history["beleid"]).count() == 1
    assert AuditEvent.objects.filter(event="export_made", user=history["beleid"]).count() == 1


def test_the_teamleider_reads_the_forecast_but_may_not_change_a_scenario(
    history, live_server, new_page, login
):
    page = login(new_page(), "teamleider")
    nav(page, "Prognose")
    expect(page.get_by_role("img", name="Bestand: zoals het was en zoals verwacht")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Wijzigen"))).to_have_count(0)
    response = page.goto(live_server.url + "/prognose/scenario/tweede_golf/")
    assert response is not None and response.status == 403
    assert axe_violations(page) == []
