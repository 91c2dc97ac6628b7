"""The `persoon` filter names a staff member, and an empty user field never breaks a page."""

import pytest
from django.template import Context, Template

from trede.accounts.models import User


def render(text, **context):
    return Template("{% load trede_dutch %}" + text).render(Context(context))


def test_empty_user_field_gives_the_fallback_instead_of_an_error():
    assert render('{{ who|persoon:"geen" }}', who=None) == "geen"
    assert render("[{{ who|persoon }}]", who=None) == "[]"


@pytest.mark.django_db
def test_full_name_first_then_user_name():
    named = User(username="sanne", first_name="Sanne", last_name="de Vries")
    bare = User(username="bob")
    assert render("{{ who|persoon }}", who=named) == "Sanne de Vries"
    assert render('{{ who|persoon:"geen" }}', who=bare) == "bob"
