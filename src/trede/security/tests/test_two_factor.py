"""Staff enrol TOTP and log in with a code; where the policy requires it, Trede is not
usable without (TREDE_2FA_REQUIRED, TREDE_2FA_ROLES)."""

from base64 import b32decode
from datetime import timedelta

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from .conftest import STEP

pytestmark = pytest.mark.django_db

GOOD = "een-lang-wachtwoord-42"
SETUP_STEP = "trede_setup_view-current_step"


@pytest.fixture
def required(settings):
    settings.TREDE_2FA_REQUIRED = True
    settings.TREDE_2FA_ROLES = ["consulent_werk", "beheerder"]


def code(key: bytes) -> str:
    return f"{totp(key):06d}"


def enrol(client) -> bytes:
    """Walk the enrolment wizard with a code computed from the shown secret."""
    assert "Inloggen met een code instellen" in client.get(reverse("two_factor:setup")).content.decode()
    page = client.post(reverse("two_factor:setup"), {SETUP_STEP: "welcome"})
    assert "Scan deze QR-code" in page.content.decode()
    secret = page.context["secret_key"]
    assert page.context["otpauth_url"].startswith("otpauth://totp/Trede%3A%20sanne?secret=")
    key = b32decode(secret)
    wrong = client.post(reverse("two_factor:setup"), {SETUP_STEP: "generator", "generator-token": "000000"})
    assert wrong.status_code == 200 and "error-summary" in wrong.content.decode()
    done = client.post(reverse("two_factor:setup"), {SETUP_STEP: "generator", "generator-token": code(key)})
    assert done.status_code == 302 and done["Location"] == reverse("two_factor:setup_complete")
    return key


def test_enrol_and_log_in_with_a_code(client, login_post, make_user, required):
    user = make_user()
    with freeze_time("2026-03-02 09:00:00") as clock:
        # Without a device, the required second step sends a consultant to enrolment.
        assert login_post(client, "sanne", GOOD).status_code == 302
        response = client.get(reverse("portal:home"))
        assert response.status_code == 302 and response["Location"] == reverse("two_factor:setup")

        key = enrol(client)
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed
        assert client.get(reverse("portal:home")).status_code == 200  # verified in this session
        assert client.get(reverse("two_factor:setup_complete")).status_code == 200

        client.post(reverse("logout"))
        clock.tick(timedelta(seconds=60))  # a fresh code: each one works only once

        # Password first, then the code.
        step = login_post(client, "sanne", GOOD)
        assert step.status_code == 200
        assert "Code uit de app" in step.content.decode()
        assert "_auth_user_id" not in client.session
        wrong = client.post(reverse("login"), {STEP: "token", "token-otp_token": "123456"})
        assert wrong.status_code == 200 and "_auth_user_id" not in client.session
        clock.tick(timedelta(seconds=5))  # django-otp slows down guessing after a wrong code
        done = client.post(reverse("login"), {STEP: "token", "token-otp_token": code(key)})
        assert done.status_code == 302 and done["Location"] == reverse("portal:home")
        assert client.get(reverse("portal:home")).status_code == 200


def test_backup_code_logs_in_once(client, login_post, make_user, required):
    user = make_user()
    with freeze_time("2026-03-02 09:00:00"):
        login_post(client, "sanne", GOOD)
        enrol(client)
        client.post(reverse("two_factor:backup_tokens"))
        token = user.staticdevice_set.get().token_set.first().token
        client.post(reverse("logout"))
        login_post(client, "sanne", GOOD)
        page = client.post(reverse("login"), {STEP: "token", "wizard_goto_step": "backup"})
        assert "Reservecode" in page.content.decode()
        done = client.post(reverse("login"), {STEP: "backup", "backup-otp_token": token})
        assert done.status_code == 302
        assert not user.staticdevice_set.get().token_set.filter(token=token).exists()


def test_unverified_session_of_an_enrolled_user_must_log_in_again(client, make_user, required):
    user = make_user()
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    client.force_login(user)  # a session without the second step
    response = client.get(reverse("clients:caseload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert "_auth_user_id" not in client.session


def test_roles_outside_the_policy_need_no_code(client, make_user, required):
    client.force_login(make_user(username="kim", role="beleid"))
    assert client.get(reverse("portal:home")).status_code == 200


def test_policy_off_everyone_logs_in_with_password_only(client, login_post, make_user, settings):
    settings.TREDE_2FA_REQUIRED = False
    make_user()
    assert login_post(client, "sanne", GOOD).status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


def test_required_second_step_cannot_be_switched_off(client, login_post, make_user, required):
    user = make_user()
    with freeze_time("2026-03-02 09:00:00"):
        login_post(client, "sanne", GOOD)
        enrol(client)
        response = client.post(reverse("two_factor:disable"), {"understand": "on"})
        assert response.status_code == 302 and response["Location"] == reverse("two_factor:profile")
        assert TOTPDevice.objects.filter(user=user).exists()
