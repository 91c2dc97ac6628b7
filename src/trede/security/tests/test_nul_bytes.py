"""A NUL byte in an address or a query parameter is refused with a Dutch 400, never a 500.

PostgreSQL cannot hold a NUL in a text value, so a client number like `%00` in the path
reached the database as an error (500) on PostgreSQL and as a silent miss on SQLite.
"""

import pytest
from django.urls import reverse

from trede.casework.tests.factories_intake import consultant_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    client.force_login(consultant_user("sanne"))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/klanten/%00/",
        "/klanten/KA%0001/",
        reverse("clients:caseload") + "?sorteer=%00",
        reverse("clients:search") + "?q=%00",
        reverse("clients:search") + "?q=a&q=%00",
        reverse("portal:home") + "?peildatum=2024-01-01%00",
        "/audit/klant/%00/",
    ],
)
def test_a_nul_byte_is_a_400_in_dutch(signed_in, url):
    response = signed_in.get(url)
    assert response.status_code == 400
    assert "Ongeldig teken in het adres" in response.content.decode()


def test_a_nul_byte_in_a_posted_field_reaches_the_form_not_the_guard(signed_in):
    # Forms refuse NUL themselves with a message at the field; the guard is for addresses.
    response = signed_in.post(reverse("clients:search"), {"q": "a\x00b"})
    assert response.status_code != 500
