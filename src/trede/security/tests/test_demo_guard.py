"""Demo accounts and the password "demo" log in only in demo mode on a demo database."""

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse

from trede.accounts.services import demo_users_create
from trede.security.models import DemoAccount, DemoDatabase

pytestmark = pytest.mark.django_db


def test_demo_users_mark_the_database_and_themselves(settings):
    settings.DEMO_MODE = True
    users = demo_users_create()
    assert DemoDatabase.objects.count() == 1
    assert set(DemoAccount.objects.values_list("user__username", flat=True)) == {u.username for u in users}
    demo_users_create()  # idempotent
    assert DemoDatabase.objects.count() == 1


def test_demo_login_in_demo_mode(client, login_post, settings):
    settings.DEMO_MODE = True
    demo_users_create()
    response = login_post(client, "consulent", "demo")
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200


def test_demo_login_refused_when_demo_mode_is_off(client, login_post, settings):
    settings.DEMO_MODE = True
    demo_users_create()
    settings.DEMO_MODE = False
    response = login_post(client, "consulent", "demo")
    assert response.status_code == 200
    assert "Inloggen is niet gelukt" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert authenticate(username="consulent", password="demo") is None


def test_a_demo_account_with_another_password_is_refused_too(client, login_post, settings):
    settings.DEMO_MODE = True
    (user, *_rest) = demo_users_create()
    user.set_password("een-ander-lang-wachtwoord")
    user.save()
    settings.DEMO_MODE = False
    assert login_post(client, user.username, "een-ander-lang-wachtwoord").status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_demo_refused_outside_demo_mode(client, login_post, make_user, settings):
    make_user(username="echt", password="demo")
    settings.DEMO_MODE = False
    assert login_post(client, "echt", "demo").status_code == 200
    assert "_auth_user_id" not in client.session


def test_demo_mode_on_a_database_that_is_not_a_demo_database(client, login_post, make_user, settings):
    """TREDE_DEMO=1 against a real database does not open accounts with password "demo"."""
    make_user(username="echt", password="demo")
    settings.DEMO_MODE = True
    assert not DemoDatabase.objects.exists()
    assert login_post(client, "echt", "demo").status_code == 200
    assert "_auth_user_id" not in client.session


def test_real_accounts_log_in_with_demo_mode_off(client, login_post, make_user, settings):
    make_user()
    settings.DEMO_MODE = False
    assert login_post(client, "sanne", "een-lang-wachtwoord-42").status_code == 302


def test_a_demo_session_ends_when_demo_mode_is_switched_off(client, login_post, settings):
    settings.DEMO_MODE = True
    demo_users_create()
    login_post(client, "beleid", "demo")
    assert client.get(reverse("portal:home")).status_code == 200
    settings.DEMO_MODE = False
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
