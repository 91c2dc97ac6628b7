"""The council report in the browser (issue 11, point 6): `beleid` opens "Raadsrapportage"
from the navigation, chooses a quarter and downloads the PDF and the HTML; the HTML holds
the tables with their suppression marks. axe-core (WCAG 2.1 A/AA) finds nothing on any page
visited, on a desktop and at 390 px. A consultant gets 403 and nothing is audited as a
download."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from .axe import axe_violations
from .conftest import E2E
from .phone import PHONE, phone_problems
from .test_journeys import nav
from .world import PASSWORD

pytestmark = E2E


@pytest.fixture
def council(transactional_db, _fast_passwords):
    """12 Participatiewet clients of 44-45 and 3 IOAW clients of 57, on benefit since 2020:
    in every quarter the IOAW row is a small cell (<5) and the PW row is not."""
    from trede.accounts.models import Role, User
    from trede.benefits.tests.factories import BenefitFactory
    from trede.clients.tests.factories import ClientFactory

    users = {
        "beleid": User.objects.create_user(username="beleid", password=PASSWORD, role=Role.BELEID),
        "consulent": User.objects.create_user(
            username="consulent", password=PASSWORD, role=Role.CONSULENT_WERK
        ),
    }
    people = [("pw", date(1981, 6, 15))] * 12 + [("ioaw", date(1969, 3, 2))] * 3
    for n, (regulation, birth) in enumerate(people):
        client = ClientFactory(
            client_id=f"KR{n:04d}",
            given_name=f"Raadslid{n}",
            family_name="Voorbeeldinwoner",
            birth_date=birth,
        )
        BenefitFactory(
            client=client, regulation=regulation, start_date=date(2020, 1, 1), end_date=None, end_reason=""
        )
    return users


def test_beleid_downloads_the_council_report_as_pdf_and_html(council, live_server, new_page, login, tmp_path):
    page = login(new_page(), "beleid")
    assert axe_violations(page) == []  # the start page after logging in
    nav(page, "Raadsrapportage")
    expect(page.get_by_role("heading", name="Raadsrapportage", level=1)).to_be_visible()
    assert page.url.endswith("/raadsrapportage/")
    assert axe_violations(page) == []

    # The quarter before the last complete one.
    quarter = page.get_by_label("Kwartaal", exact=True)
    option = quarter.locator("option").nth(1)
    label, title = option.get_attribute("value"), option.inner_text().strip()
    assert re.fullmatch(r"\d{4}-Q[1-4]", label)
    quarter.select_option(label)

    page.get_by_label("Bestand", exact=True).select_option("pdf")
    with page.expect_download() as pdf_download:
        page.get_by_role("button", name="Downloaden").click()
    pdf = pdf_download.value
    assert pdf.suggested_filename == f"raadsrapportage-{label}.pdf"
    pdf_path = tmp_path / pdf.suggested_filename
    pdf.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")

    page.get_by_label("Bestand", exact=True).select_option("html")
    with page.expect_download() as html_download:
        page.get_by_role("button", name="Downloaden").click()
    html = html_download.value
    assert html.suggested_filename == f"raadsrapportage-{label}.html"
    html_path = tmp_path / html.suggested_filename
    html.save_as(html_path)
    text = html_path.read_text(encoding="utf-8")
    assert "Voorbeeldinwoner" not in text and "KR0001" not in text  # no personal data

    # The downloaded file in the browser: its tables, with the small cells as <5.
    report = new_page()
    report.goto(html_path.as_uri())
    expect(report.get_by_role("heading", name="Raadsrapportage Participatiewet", level=1)).to_be_visible()
    expect(report.locator("main")).to_contain_text(title)
    stock = report.locator("table#bestand_eind_age")  # on the last day of the quarter, by age
    expect(stock.locator("caption")).to_contain_text("naar regeling en leeftijd")
    ioaw = stock.get_by_role("row", name=re.compile("^IOAW"))
    expect(ioaw).to_contain_text("<5")
    pw = stock.get_by_role("row", name=re.compile("^Participatiewet"))
    expect(pw).to_contain_text("12")
    assert report.locator("main table").count() >= 5
    assert report.locator("main td", has_text=re.compile(r"^\s*(<5|x)\s*$")).count() >= 2
    assert axe_violations(report) == []

    # The same two pages on a phone.
    for shown in (page, report):
        shown.set_viewport_size(PHONE)
    assert phone_problems(page, live_server.url + "/raadsrapportage/", "/raadsrapportage/") == []
    assert phone_problems(report, html_path.as_uri(), html.suggested_filename) == []

    from trede.audit.models import AuditEvent

    downloads = AuditEvent.objects.filter(event="export_made", user=council["beleid"])
    assert sorted(e.details["formaat"] for e in downloads) == ["HTML", "PDF"]
    assert {e.details["wat"] for e in downloads} == {f"Raadsrapportage {label}"}


def test_a_consultant_gets_403_and_nothing_is_audited_as_a_download(council, live_server, new_page, login):
    page = login(new_page(), "consulent")
    expect(
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Raadsrapportage")
    ).to_have_count(0)
    for path in ("/raadsrapportage/", "/raadsrapportage/download/?kwartaal=2025-Q1&formaat=pdf"):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 403, path
        assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    problems = phone_problems(page, live_server.url + "/raadsrapportage/", "/raadsrapportage/")
    assert problems == ["/raadsrapportage/: status 403"]

    from trede.audit.models import AuditEvent

    assert not AuditEvent.objects.filter(event="export_made", user=council["consulent"]).exists()
