"""No English, whatever the browser asks for: Django's own messages and the error pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path, reverse

from trede.conf.urls import urlpatterns as trede_urls

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("kapot")


urlpatterns = [path("verboden/", _forbidden), path("kapot/", _broken), *trede_urls]


def test_only_dutch_is_offered(settings):
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _name in settings.LANGUAGES] == ["nl"]


def test_login_error_in_dutch(client, login_post, make_user):
    make_user()
    response = login_post(client, "sanne", "fout", **EN)
    html = response.content.decode()
    assert response["Content-Language"] == "nl"
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in html
    assert "Please enter" not in html and "case-sensitive" not in html


def test_form_validation_error_in_dutch(client, login_post):
    html = login_post(client, "", "", **EN).content.decode()
    assert "Dit veld is verplicht." in html
    assert "This field is required" not in html


def test_404_in_dutch(client):
    response = client.get("/bestaat-niet/", **EN)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html and 'lang="nl"' in html
    assert "Not Found" not in html and "not found" not in html


@override_settings(ROOT_URLCONF=__name__)
def test_403_in_dutch(client):
    response = client.get("/verboden/", **EN)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Geen toegang" in html
    assert "Forbidden" not in html


def test_csrf_failure_in_dutch(make_user):
    """An expired login form (a stale CSRF token) says so in Dutch, not Django's English."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"auth-username": "x"}, **EN)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Het formulier is verlopen" in html
    assert "Forbidden" not in html and "CSRF verification failed" not in html


@override_settings(ROOT_URLCONF=__name__)
def test_500_in_dutch():
    client = Client(raise_request_exception=False)
    response = client.get("/kapot/", **EN)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging iets mis" in html
    assert "Server Error" not in html
