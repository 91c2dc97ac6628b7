"""In Debian's Chromium: a consultant whose role requires the second step enrols a TOTP app
(the QR code loads under the Content-Security-Policy), then logs in with a code; and a
locked-out login shows the Dutch lockout page."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from trede.conftest import E2E
from trede.tests_e2e.conftest import csp_violations, login, new_page, world  # noqa: F401
from trede.tests_e2e.world import PASSWORD

pytestmark = E2E


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def fill_login(page, url, username, password):
    page.goto(url + "/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_enrol_and_log_in_with_a_code(world, live_server, new_page, settings, csp_violations):  # noqa: F811
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from playwright.sync_api import expect

    settings.TREDE_2FA_REQUIRED = True
    settings.TREDE_2FA_ROLES = ["consulent_werk"]
    page = new_page()
    fill_login(page, live_server.url, "sanne", PASSWORD)
    expect(page.get_by_role("heading", name="Inloggen met een code instellen")).to_be_visible()
    page.get_by_role("button", name="Beginnen").click()
    qr = page.get_by_role("img", name="QR-code om Trede aan uw authenticator-app toe te voegen")
    expect(qr).to_be_visible()
    # The QR code (an SVG from Trede itself) really loads: waits until it has, or times out.
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    secret = page.locator("code.secret-key").inner_text().replace(" ", "")
    key = b32decode(secret)
    page.get_by_label("Code uit de app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Code controleren").click()
    expect(page.get_by_role("heading", name="Inloggen met een code is ingesteld")).to_be_visible()
    assert TOTPDevice.objects.get(user__username="sanne").confirmed

    # Next login: password, then a fresh code (each code works once: use the next period's).
    page.get_by_role("button", name="Uitloggen").click()
    fill_login(page, live_server.url, "sanne", PASSWORD)
    expect(page.get_by_label("Code uit de app")).to_be_visible()
    device = TOTPDevice.objects.get(user__username="sanne")
    page.get_by_label("Code uit de app").fill(f"{totp(key, t0=device.t0 - device.step):06d}")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    expect(page.get_by_role("heading", name="Uitkeringen in cijfers")).to_be_visible()
    assert csp_violations == []


def test_lockout_page_in_the_browser(world, live_server, new_page, csp_violations):  # noqa: F811
    from playwright.sync_api import expect

    page = new_page()
    for _ in range(5):
        fill_login(page, live_server.url, "sanne", "fout")
    expect(page.get_by_role("heading", name="Inloggen tijdelijk geblokkeerd")).to_be_visible()
    fill_login(page, live_server.url, "sanne", PASSWORD)
    expect(page.get_by_role("heading", name="Inloggen tijdelijk geblokkeerd")).to_be_visible()
    expect(page.get_by_text("de komende 15 minuten")).to_be_visible()
    assert csp_violations == []
