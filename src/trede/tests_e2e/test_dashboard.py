"""The monitor dashboard in the browser (issue 11, points 1 and 4): `beleid` opens "Monitor"
from the navigation, sees the three panels with charts and tables, filters to IOAW (a small
cell, shown as <5, and no link to any client) and downloads a table as CSV; the teamleider
drills down from a cell of the breakdown to the clients behind it, only those of the team,
as many as the cell says. axe-core (WCAG 2.1 A/AA) finds nothing on any page visited, and
the pages work at 390 px. A consultant gets 403 on the dashboard."""

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


@pytest.fixture
def monitor(transactional_db, _fast_passwords):
    """Team Noord: 9 PW clients of about 45 since two years ago, 3 of them left for work a
    year ago; team Zuid: 4 PW clients of about 25; 2 IOAW clients of 60 (a small cell)."""
    from trede.accounts.models import Role, User
    from trede.benefits.tests.factories import BenefitFactory
    from trede.casework.tests.factories import ConsultantFactory
    from trede.clients.tests.factories import ClientFactory

    users = {
        name: User.objects.create_user(username=name, password=PASSWORD, role=role, team=team)
        for name, role, team in (
            ("beleid", Role.BELEID, ""),
            ("teamleider", Role.TEAMLEIDER, "Noord"),
            ("consulent", Role.CONSULENT_WERK, ""),
        )
    }
    noord, zuid = ConsultantFactory(team="Noord"), ConsultantFactory(team="Zuid")
    today = timezone.localdate()
    start, left = today.replace(day=1) - timedelta(days=730), today.replace(day=1) - timedelta(days=365)
    people = [("N", noord, "pw", 45)] * 9 + [("Z", zuid, "pw", 25)] * 4 + [("I", zuid, "ioaw", 60)] * 2
    for n, (prefix, consultant, regulation, age) in enumerate(people):
        client = ClientFactory(
            client_id=f"{prefix}{n:04d}",
            family_name=f"Monitorklant{n}",
            consultant=consultant,
            birth_date=today.replace(year=today.year - age, day=1),
        )
        end = left if prefix == "N" and n < 3 else None
        BenefitFactory(
            client=client,
            regulation=regulation,
            start_date=start,
            end_date=end,
            end_reason="werk" if end else "",
        )
    return users


def test_beleid_reads_filters_and_downloads_without_any_client(
    monitor, live_server, new_page, login, tmp_path
):
    page = login(new_page(), "beleid")
    nav(page, "Monitor")
    expect(page.get_by_role("heading", name="Monitor", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Bestand op de eerste dag van elke periode")).to_be_visible()
    expect(page.get_by_role("heading", name="Instroom en uitstroom", level=2)).to_be_visible()
    expect(page.get_by_role("heading", name="Uitstroom naar werk tegen het doel", level=2)).to_be_visible()
    expect(page.locator("#tabel-doelen")).to_contain_text("%")
    assert page.locator("a[href*='/monitor/klanten/']").count() == 0
    assert axe_violations(page) == []

    page.get_by_label("Participatiewet").uncheck()
    page.get_by_label("IOAW").check()
    page.get_by_label("Per", exact=True).select_option("quarter")
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator("#tabel-samenstelling tfoot")).to_contain_text("<5")
    assert "regelingen=ioaw" in page.url and "periode=quarter" in page.url
    expect(page.locator("#tabel-stromen tbody tr").first).to_contain_text("kwartaal")
    assert page.locator("a[href*='/monitor/klanten/']").count() == 0
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download als CSV: samenstelling").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "leeftijd;aantal;aandeel" and lines[-1] == "totaal;<5;"
    assert "<5" in next(line for line in lines if line.startswith("51-60"))

    page.set_viewport_size(PHONE)
    assert phone_problems(page, live_server.url + "/monitor/", "/monitor/") == []

    from trede.audit.models import AuditEvent

    assert AuditEvent.objects.filter(event="export_made", user=monitor["beleid"]).count() == 1
    assert not AuditEvent.objects.filter(event="client_listed", user=monitor["beleid"]).exists()


def test_the_teamleider_drills_down_to_the_teams_clients(monitor, live_server, new_page, login):
    page = login(new_page(), "teamleider")
    nav(page, "Monitor")
    composition = page.locator("#tabel-samenstelling")
    expect(composition).to_be_visible()
    band = composition.get_by_role("row", name=re.compile("^41-50"))
    link = band.get_by_role("link")
    shown = int(link.inner_text().strip())
    assert shown == 6 + 0  # the 9 of Noord minus the 3 who left; Zuid is 25, not 41-50
    link.click()
    expect(page.get_by_role("heading", name="Klanten achter een cijfer", level=1)).to_be_visible()
    expect(page.locator("#lijst-telling")).to_contain_text(f"Het cijfer is {shown}")
    expect(page.locator("#tabel-klanten tbody tr")).to_have_count(shown)
    expect(page.locator("#tabel-klanten")).not_to_contain_text("Z00")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Terug naar de monitor").click()
    total = page.locator("#tabel-samenstelling tfoot").get_by_role("link")
    assert int(total.inner_text().strip()) == 6 + 4
    total.click()
    expect(page.locator("#lijst-telling")).to_contain_text("Binnen uw bereik vallen 6 van deze klanten")
    expect(page.locator("#tabel-klanten tbody tr")).to_have_count(6)

    page.set_viewport_size(PHONE)
    assert phone_problems(page, page.url, "/monitor/klanten/") == []
    assert phone_problems(page, live_server.url + "/monitor/", "/monitor/") == []

    from trede.audit.models import AuditEvent

    listed = AuditEvent.objects.filter(event="client_listed", user=monitor["teamleider"])
    assert {e.client_id[0] for e in listed} == {"N"}
    assert AuditEvent.objects.filter(event="list_viewed", user=monitor["teamleider"]).count() >= 2


def test_a_consultant_has_no_dashboard(monitor, live_server, new_page, login):
    page = login(new_page(), "consulent")
    expect(
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Monitor")
    ).to_have_count(0)
    response = page.goto(live_server.url + "/monitor/")
    assert response is not None and response.status == 403
    assert axe_violations(page) == []


def test_durability_beleid_sees_small_cells_hidden_and_the_teamleider_the_counts(
    monitor, live_server, new_page, login
):
    """ "Duurzaamheid": the three who left for work a year ago are all still off benefit a
    month later: `<5` for beleid, 3 for the teamleider; both pages pass axe and work at 390 px."""
    left_year = str((timezone.localdate().replace(day=1) - timedelta(days=365)).year)
    page = login(new_page(), "beleid")
    nav(page, "Duurzaamheid")
    expect(page.get_by_role("heading", name="Duurzame uitstroom en draaideur", level=1)).to_be_visible()
    row = page.locator("#tabel-uitstroom").get_by_role("row", name=re.compile(f"^{left_year}"))
    expect(row).to_contain_text("<5")
    expect(page.locator("#tabel-draaideur")).to_be_visible()
    expect(page.locator("#tabel-plaatsingen")).to_be_visible()
    expect(page.locator("#tabel-cbs")).to_be_visible()  # CBS's definition beside it
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    assert phone_problems(page, page.url, "/monitor/duurzaamheid/") == []

    page = login(new_page(), "teamleider")
    nav(page, "Duurzaamheid")
    row = page.locator("#tabel-uitstroom").get_by_role("row", name=re.compile(f"^{left_year}"))
    expect(row.locator("td").first).to_have_text("3")
    expect(row.locator("td").nth(2)).to_have_text("3")  # after one month: all three still off benefit
    expect(page.get_by_role("img", name=re.compile("Aandeel nog zonder uitkering"))).to_be_visible()
    assert axe_violations(page) == []


def test_the_teamleider_sees_how_the_teams_caseloads_stand(monitor, live_server, new_page, login):
    """ "Uitvoering": the team's consultant with the 6 Noord clients still on benefit, none
    of them ever contacted (so all late); axe finds nothing, also at 390 px."""
    page = login(new_page(), "teamleider")
    nav(page, "Uitvoering")
    expect(page.get_by_role("heading", name="Uitvoering: team Noord", level=1)).to_be_visible()
    total = page.locator("#tabel-uitvoering").get_by_role("row", name=re.compile("^Team Noord"))
    expect(total.locator("td").nth(1)).to_have_text("6")
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    assert phone_problems(page, page.url, "/werk/uitvoering/") == []


def test_enforcement_figures_pass_axe_also_at_phone_width(monitor, live_server, new_page, login):
    page = login(new_page(), "beleid")
    nav(page, "Handhaving in cijfers")
    expect(page.get_by_role("heading", name="Handhaving in cijfers", level=1)).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Maatregelen per jaar"))).to_be_visible()
    expect(page.locator("#tabel-zaken tbody tr")).to_have_count(5)
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    assert phone_problems(page, page.url, "/monitor/handhaving/") == []


def test_the_panels_of_other_pages_pass_axe_and_link_to_their_pages(monitor, live_server, new_page, login):
    """The dashboard's panels of instruments, budget, durability and enforcement (decision
    153): beleid sees the provider with two referrals as <5, the teamleider the counts and
    the three who left for work in the durability panel, whose link opens "Duurzaamheid";
    axe finds nothing on the page with every panel, also at 390 px."""
    from trede.clients.models import Client
    from trede.finance.models import Budget
    from trede.instruments.tests.factories import ProviderFactory, TrajectoryFactory

    today = timezone.localdate()
    provider = ProviderFactory(name="Aanbieder Oost")
    for client in Client.objects.order_by("client_id")[:2]:
        TrajectoryFactory(
            client=client, provider=provider, referral_date=today.replace(day=1) - timedelta(days=60)
        )
    Budget.objects.create(
        budget_id="B1", year=today.year, line="trajecten", funding="reintegratiebudget", amount_eur=5000
    )

    page = login(new_page(), "beleid")
    nav(page, "Monitor")
    row = page.locator("#tabel-instrumenten").get_by_role("row", name=re.compile("^Aanbieder Oost"))
    expect(row.locator("td").first).to_have_text("<5")
    expect(page.get_by_role("img", name=re.compile("^Verwezen en geslaagd per aanbieder"))).to_be_visible()
    expect(page.locator("#tabel-budget")).to_contain_text("€ 5.000")
    expect(page.locator("#tabel-handhaving tbody tr").first).to_be_visible()
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    assert phone_problems(page, live_server.url + "/monitor/", "/monitor/") == []

    page = login(new_page(), "teamleider")
    nav(page, "Monitor")
    row = page.locator("#tabel-instrumenten").get_by_role("row", name=re.compile("^Aanbieder Oost"))
    expect(row.locator("td").first).to_have_text("2")
    left_year = str((today.replace(day=1) - timedelta(days=365)).year)
    durable = page.locator("#tabel-duurzaamheid").get_by_role("row", name=re.compile(f"^{left_year}"))
    expect(durable.locator("td").first).to_have_text("3")
    assert axe_violations(page) == []
    page.get_by_role("link", name="pagina Duurzaamheid").click()
    expect(page.get_by_role("heading", name="Duurzame uitstroom en draaideur", level=1)).to_be_visible()
    assert axe_violations(page) == []
