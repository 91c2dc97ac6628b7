"""Failed logins: 5 failures of one username from one address lock that combination out
for 15 minutes (django-axes); a success resets the count; the address behind a proxy is
read only from a configured header."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from freezegun import freeze_time

pytestmark = pytest.mark.django_db

GOOD = "een-lang-wachtwoord-42"


def fail(client, login_post, times, username="sanne", **extra):
    """`times` wrong passwords; the first four get the form again, the fifth the lockout."""
    for attempt in range(1, times + 1):
        response = login_post(client, username, "fout", **extra)
        assert response.status_code == (200 if attempt < 5 else 429)
    return response


def test_the_documented_policy():
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=15) == django_settings.AXES_COOLOFF_TIME
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert django_settings.AXES_RESET_ON_SUCCESS is True


def test_five_failures_lock_out_even_the_right_password(client, login_post, make_user):
    make_user()
    fail(client, login_post, 4)
    assert login_post(client, "sanne", "fout").status_code == 429  # the 5th failure locks
    response = login_post(client, "sanne", GOOD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Inloggen tijdelijk geblokkeerd" in html
    assert "de komende 15 minuten" in html
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address(client, login_post, make_user):
    make_user()
    make_user(username="mo")
    fail(client, login_post, 5)
    # The same address, another colleague: not locked.
    assert login_post(client, "mo", GOOD).status_code == 302
    client.logout()
    # The same username from another address: not locked either.
    assert login_post(client, "sanne", GOOD, REMOTE_ADDR="10.1.2.3").status_code == 302


def test_lockout_ends_after_fifteen_minutes(client, login_post, make_user):
    make_user()
    with freeze_time("2026-03-02 09:00:00") as clock:
        fail(client, login_post, 5)
        clock.tick(timedelta(minutes=14))
        assert login_post(client, "sanne", GOOD).status_code == 429
        # That attempt restarted the cool-off: 15 minutes from now.
        clock.tick(timedelta(minutes=14))
        assert login_post(client, "sanne", GOOD).status_code == 429
        clock.tick(timedelta(minutes=16))
        assert login_post(client, "sanne", GOOD).status_code == 302


def test_a_successful_login_resets_the_count(client, login_post, make_user):
    make_user()
    fail(client, login_post, 4)
    assert login_post(client, "sanne", GOOD).status_code == 302
    client.logout()
    fail(client, login_post, 4)
    assert login_post(client, "sanne", GOOD).status_code == 302


def test_forwarded_for_is_ignored_without_a_configured_proxy_header(client, login_post, make_user):
    make_user()
    for i in range(5):
        login_post(client, "sanne", "fout", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    # Inventing a new address per guess does not help.
    assert login_post(client, "sanne", GOOD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_behind_a_proxy_the_configured_header_gives_the_address(client, login_post, make_user, settings):
    settings.TREDE_CLIENT_IP_HEADER = "X-Forwarded-For"
    make_user()
    # All requests come from the proxy (one REMOTE_ADDR); the proxy appends the client.
    for _ in range(5):
        login_post(client, "sanne", "fout", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert login_post(client, "sanne", GOOD, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # A colleague behind the same proxy, another address: not locked.
    assert login_post(client, "sanne", GOOD, HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 302
    client.logout()
    # A spoofed left-most entry does not change the address the proxy appended.
    response = login_post(client, "sanne", GOOD, HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7")
    assert response.status_code == 429


def test_lockout_signal_is_a_hook_for_the_audit_log(client, login_post, make_user):
    from axes.signals import user_locked_out

    seen = []

    def handler(sender, request, username, ip_address, **kwargs):
        seen.append((username, ip_address))

    user_locked_out.connect(handler)
    try:
        make_user()
        fail(client, login_post, 4)
        login_post(client, "sanne", "fout")
    finally:
        user_locked_out.disconnect(handler)
    assert seen == [("sanne", "127.0.0.1")]


def test_admin_login_goes_through_trede_login(client):
    response = client.get("/beheer/login/?next=/beheer/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/beheer/"
