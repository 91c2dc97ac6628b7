"""Breakage surfaces instead of being hidden: a page that does not resolve and a Trede
module that does not import are errors, not silently missing links or other content."""

import subprocess
import sys

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, include, path

from trede.accounts import permissions as perms
from trede.accounts.models import Role
from trede.casework.common import client_file_url
from trede.portal import navigation

# A URL configuration without the clients app (used by the test below through ROOT_URLCONF).
urlpatterns = [path("werk/", include("trede.casework.urls"))]


@override_settings(ROOT_URLCONF=__name__)
def test_client_file_link_without_the_client_file_is_an_error():
    # Before: the plan page was linked as "Dossier" instead.
    with pytest.raises(NoReverseMatch):
        client_file_url("K000001")


def test_client_file_link():
    assert client_file_url("K000001") == "/klanten/K000001/"


@pytest.mark.django_db
def test_a_navigation_item_that_does_not_resolve_is_an_error(monkeypatch, django_user_model):
    user = django_user_model.objects.create(username="beheer", role=Role.BEHEERDER)
    monkeypatch.setattr(navigation, "_ITEMS", list(navigation._ITEMS))
    navigation.nav_item_add(label="Kapot", url_name="casework:bestaat_niet", permission=perms.PRESET_EDIT)
    # Before: the item was silently left out of the menu.
    with pytest.raises(NoReverseMatch):
        navigation.nav_items_for(user)


def test_a_broken_question_catalogue_breaks_loudly():
    # Before: clients.selectors caught the ImportError and showed the answers unlabelled
    # (werkprofiel answers not at all), so a broken casework module went unnoticed.
    code = (
        "import sys; sys.modules['trede.casework.intake.questionnaire'] = None\n"
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'trede.conf.settings')\n"
        "django.setup()\n"
        "from trede.clients import selectors\n"
        "print(selectors._questionnaire_rows({'x': 'y'}, 'leefgebieden'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "trede.casework.intake.questionnaire" in result.stderr
