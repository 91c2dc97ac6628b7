"""The start page in a real browser (Debian's Chromium): log in, change the peildatum,
download a CSV. Run with `-m e2e`; needs /usr/bin/chromium."""

import csv
import io
from pathlib import Path

import pytest

from trede.conftest import E2E

from .data import small_municipality

pytestmark = E2E


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(accept_downloads=True, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


def test_staff_member_sees_figures_and_downloads_csv_and_xlsx(
    live_server, browser_page, django_user_model, tmp_path: Path
):
    from playwright.sync_api import expect

    page = browser_page
    small_municipality()
    # A teamleider sees exact counts; policy staff see these (all below 5) as `<5`
    # (test_small_cells.py).
    django_user_model.objects.create_user(
        username="teamleider", password="een-lang-wachtwoord-42", role="teamleider"
    )

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    page.get_by_label("Gebruikersnaam").fill("teamleider")
    page.get_by_label("Wachtwoord").fill("een-lang-wachtwoord-42")
    page.get_by_role("button", name="Inloggen").click()

    # An English browser still gets Dutch screens and Dutch numbers.
    expect(page.get_by_role("heading", name="Uitkeringen in cijfers")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    total = page.get_by_test_id("bestand-totaal")
    expect(total).to_have_text("3")  # default peildatum: 1 May 2024, the last date in the data
    expect(page.get_by_text("Klanten met een uitkering op 1 mei 2024")).to_be_visible()

    # On 15 April 2024 the client who left for work on 1 May is still counted.
    page.get_by_label("Peildatum", exact=True).fill("2024-04-15")
    page.get_by_role("button", name="Cijfers tonen").click()
    expect(total).to_have_text("4")
    expect(page.get_by_text("Klanten met een uitkering op 15 april 2024")).to_be_visible()
    assert "peildatum=2024-04-15" in page.url

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als CSV: leeftijd").click()
    target = tmp_path / "leeftijd.csv"
    download_info.value.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert {r["peildatum"] for r in rows} == {"2024-04-15"}
    assert sum(int(r["aantal"]) for r in rows) == 4

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als Excel: leeftijd").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")
    target = tmp_path / "leeftijd.xlsx"
    download_info.value.save_as(target)
    from openpyxl import load_workbook

    values = list(load_workbook(target).active.iter_rows(values_only=True))
    assert values[0][4] == "aantal" and sum(r[4] for r in values[1:]) == 4

    # Log out with the POST form in the header.
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
