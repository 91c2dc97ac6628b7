"""The policy advisor's journey of issue 11 (point 8), across the steering pages: `beleid`
opens the monitor, narrows every panel to statushouders, changes a forecast scenario and
downloads the council report as PDF; the teamleider, a role allowed to see the clients
behind a figure, drills down from the statushouders' stock to exactly those clients. axe-core
(WCAG 2.1 A/AA) finds nothing on any page visited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .axe import axe_violations
from .conftest import E2E
from .test_journeys import nav
from .world import PASSWORD

pytestmark = E2E


@pytest.fixture
def city(transactional_db, _fast_passwords):
    """Team Noord: 9 statushouders on PW for two years (3 left for work a year ago) and 7
    other PW clients; all of them in the teamleider's team."""
    from trede.accounts.models import Role, User
    from trede.benefits.tests.factories import BenefitFactory
    from trede.casework.tests.factories import ConsultantFactory
    from trede.clients.tests.factories import ClientFactory

    from .test_forecast import shipped_scenarios

    shipped_scenarios()
    users = {
        name: User.objects.create_user(username=name, password=PASSWORD, role=role, team=team)
        for name, role, team in (("beleid", Role.BELEID, ""), ("teamleider", Role.TEAMLEIDER, "Noord"))
    }
    noord = ConsultantFactory(team="Noord")
    today = timezone.localdate()
    start, left = today.replace(day=1) - timedelta(days=730), today.replace(day=1) - timedelta(days=365)
    for n in range(16):
        client = ClientFactory(
            client_id=f"S{n:04d}", family_name=f"Beleidsklant{n}", consultant=noord, statushouder=n < 9
        )
        end = left if n < 3 else None
        BenefitFactory(
            client=client, regulation="pw", start_date=start, end_date=end, end_reason="werk" if end else ""
        )
    return users


def _inflated(content: bytes) -> bytes:
    """The PDF with every Flate stream decompressed: its page and font objects (WeasyPrint
    puts them in compressed object streams) become readable, and every stream must inflate.
    Objects are read in order, so bytes inside a stream are never taken for a keyword."""
    import zlib

    parts, position = [content], 0
    header = re.compile(rb"\d+ \d+ obj\s*<<(.*?)>>\s*stream\r?\n", re.S)
    while (match := header.search(content, position)) is not None:
        length = re.search(rb"/Length (\d+)", match[1])
        start = match.end()
        end = start + int(length[1]) if length else content.index(b"endstream", start)
        if b"/FlateDecode" in match[1]:
            parts.append(zlib.decompress(content[start:end]))
        position = content.index(b"endstream", end)
    return b"\n".join(parts)


def test_a_policy_advisor_filters_changes_a_scenario_and_downloads_the_council_report(
    city, live_server, new_page, login, tmp_path
):
    page = login(new_page(), "beleid")
    nav(page, "Monitor")
    page.get_by_label("Groep", exact=True).select_option(label="Statushouders")
    page.get_by_role("button", name="Tonen").click()
    assert "doelgroep=statushouder" in page.url
    expect(page.locator("main")).to_contain_text("alleen statushouders")
    expect(page.locator("#tabel-samenstelling tfoot")).to_contain_text("6")  # 9 minus the 3 who left
    assert page.locator("a[href*='/monitor/klanten/']").count() == 0  # beleid sees no client
    assert axe_violations(page) == []

    nav(page, "Prognose")
    page.get_by_role("link", name=re.compile(r"^Wijzigen\s*\(Zwak herstel\)")).click()
    page.get_by_label("Factor op de instroom").fill("1.30")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Verwacht bestand: Zwak herstel")).to_be_visible()
    expect(page.locator("#tabel-scenarios")).to_contain_text("1,3")
    assert axe_violations(page) == []

    nav(page, "Raadsrapportage")
    page.get_by_label("Bestand", exact=True).select_option("pdf")
    with page.expect_download() as pdf_download:
        page.get_by_role("button", name="Downloaden").click()
    pdf = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf)
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF") and content.rstrip().endswith(b"%%EOF")
    opened = _inflated(content)  # no PDF reader on this machine: open its streams by hand
    assert re.search(rb"/Type\s*/Page\b", opened) and b"/Font" in opened
    assert b"Beleidsklant" not in opened  # no personal data
    assert axe_violations(page) == []

    from trede.audit.models import AuditEvent
    from trede.monitor.models import ForecastScenario

    assert str(ForecastScenario.objects.get(code="zwak_herstel").inflow_multiplier) == "1.30"
    assert AuditEvent.objects.filter(
        event="export_made", user=city["beleid"], details__formaat="PDF"
    ).exists()


def test_the_teamleider_drills_down_to_the_statushouders_behind_the_figure(
    city, live_server, new_page, login
):
    page = login(new_page(), "teamleider")
    nav(page, "Monitor")
    page.get_by_label("Groep", exact=True).select_option(label="Statushouders")
    page.get_by_role("button", name="Tonen").click()
    total = page.locator("#tabel-samenstelling tfoot").get_by_role("link")
    assert int(total.inner_text().strip()) == 6
    total.click()
    expect(page.locator("#lijst-telling")).to_contain_text("Het cijfer is 6")
    rows = page.locator("#tabel-klanten tbody tr")
    expect(rows).to_have_count(6)
    for n in range(3, 9):
        expect(page.locator("#tabel-klanten")).to_contain_text(f"S{n:04d}")
    expect(page.locator("#tabel-klanten")).not_to_contain_text("S0009")  # not a statushouder
    assert axe_violations(page) == []
