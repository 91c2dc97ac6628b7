"""The admin's password form refuses a system account with a message (a system account
never has a password; the database constraint would otherwise end the save in a 500)."""

import pytest
from django.urls import reverse

from trede.accounts.models import Role
from trede.accounts.tokens.tests.factories import SystemAccountFactory
from trede.casework.tests.factories_plans import UserFactory

pytestmark = pytest.mark.django_db


def test_a_system_account_gets_no_password_in_the_admin(client):
    beheerder = UserFactory(role=Role.BEHEERDER, is_staff=True, is_superuser=True)
    client.force_login(beheerder)
    account = SystemAccountFactory(username="zaaksysteem", role=Role.BELEID)
    url = reverse("admin:auth_user_password_change", args=[account.pk])
    response = client.post(
        url, {"password1": "Een-lang-wachtwoord-2026", "password2": "Een-lang-wachtwoord-2026"}
    )
    assert response.status_code == 200
    assert "Een systeemaccount heeft geen wachtwoord" in response.content.decode()
    account.refresh_from_db()
    assert not account.has_usable_password()


def test_a_person_still_gets_a_new_password(client):
    beheerder = UserFactory(role=Role.BEHEERDER, is_staff=True, is_superuser=True)
    client.force_login(beheerder)
    person = UserFactory(role=Role.CONSULENT_WERK)
    url = reverse("admin:auth_user_password_change", args=[person.pk])
    response = client.post(
        url, {"password1": "Een-lang-wachtwoord-2026", "password2": "Een-lang-wachtwoord-2026"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Een-lang-wachtwoord-2026")
