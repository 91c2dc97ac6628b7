"""The beheerder's template pages: edit with history, refusals in Dutch beside the field,
a stale edit refused, a preview PDF with example data only; the letters use the new version."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trede.audit.models import AuditEvent
from trede.letters import services
from trede.letters.kinds import KINDS, LetterKind
from trede.letters.models import LetterTemplate
from trede.tests_e2e.world import build_world

pytestmark = pytest.mark.django_db
KIND = LetterKind.WAARSCHUWING


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def _form(client, kind=KIND):
    page = client.get(reverse("letters:template_edit", args=[kind]))
    assert page.status_code == 200
    return page.context["form"].initial


def test_the_list_shows_every_kind_and_warns_about_the_letterhead(world, client):
    client.force_login(world.user("beheerder"))
    page = client.get(reverse("letters:templates"))
    body = page.content.decode()
    for _kind, label in LetterKind.choices:
        assert label in body
    assert "Het briefhoofd is nog de meegeleverde tekst" in body
    assert 'href="/brieven/sjablonen/"' in body  # in the main navigation


def test_the_beheerder_saves_a_version_and_the_history_keeps_both(world, client):
    client.force_login(world.user("beheerder"))
    initial = _form(client)
    new_body = initial["body"].replace("Deze keer krijgt u geen verlaging", "Nu krijgt u nog geen verlaging")
    response = client.post(
        reverse("letters:template_edit", args=[KIND]),
        {
            "subject": initial["subject"],
            "body": new_body,
            "edit_token": initial["edit_token"],
            "actie": "opslaan",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "opgeslagen als versie 2" in response.content.decode()
    stored = LetterTemplate.objects.get(kind=KIND)
    assert stored.version == 2 and "Nu krijgt u nog geen verlaging" in stored.body
    assert [h.version for h in stored.history.order_by("history_id")] == [1, 2]
    assert stored.history.order_by("history_id").first().body == KINDS[KIND].body
    row = AuditEvent.objects.get(event="letter_template_saved")
    assert row.username == "beheerder" and row.details["versie"] == 2
    # An earlier version comes back into the form on request.
    page = client.get(reverse("letters:template_edit", args=[KIND]), {"van_versie": 1})
    assert page.context["form"].initial["body"] == KINDS[KIND].body


def test_an_undeclared_placeholder_is_refused_beside_the_field_and_nothing_is_stored(world, client):
    client.force_login(world.user("beheerder"))
    initial = _form(client)
    response = client.post(
        reverse("letters:template_edit", args=[KIND]),
        {
            "subject": initial["subject"],
            "body": initial["body"] + "\n{{ diagnose }} {% load static %}",
            "edit_token": initial["edit_token"],
            "actie": "opslaan",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["body"]
    assert any("{% load %} is niet toegestaan" in e for e in errors)
    assert (
        not LetterTemplate.objects.exists()
        and not AuditEvent.objects.filter(event="letter_template_saved").exists()
    )


def test_a_beschikking_without_bezwaar_clause_is_refused(world, client):
    client.force_login(world.user("beheerder"))
    initial = _form(client)
    response = client.post(
        reverse("letters:template_edit", args=[KIND]),
        {
            "subject": "Waarschuwing",
            "body": "Beste {{ naam }}, dit is een waarschuwing.",
            "edit_token": initial["edit_token"],
        },
    )
    assert response.status_code == 400
    assert "bezwaarclausule" in " ".join(response.context["form"].errors["body"])


def test_a_save_over_a_colleagues_newer_version_is_refused(world, client):
    beheerder = world.user("beheerder")
    client.force_login(beheerder)
    initial = _form(client)
    services.template_save(
        user=beheerder,
        kind=KIND,
        subject="Besluit: een waarschuwing",
        body=initial["body"],
        token=initial["edit_token"],
    )
    response = client.post(
        reverse("letters:template_edit", args=[KIND]),
        {"subject": "Iets anders", "body": initial["body"], "edit_token": initial["edit_token"]},
    )
    assert response.status_code == 409
    assert LetterTemplate.objects.get(kind=KIND).subject == "Besluit: een waarschuwing"


def test_the_preview_is_a_pdf_with_example_data_and_stores_nothing(world, client):
    client.force_login(world.user("beheerder"))
    initial = _form(client)
    response = client.post(
        reverse("letters:template_edit", args=[KIND]),
        {
            "subject": initial["subject"],
            "body": initial["body"],
            "edit_token": initial["edit_token"],
            "actie": "voorbeeld",
        },
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from trede.letters.models import Letter

    assert not Letter.objects.exists()


@pytest.mark.parametrize("actor", ["sanne", "inkomen", "tl_noord", "beleid", "privacy"])
def test_only_the_beheerder_edits_templates(world, client, actor):
    client.force_login(world.user(actor))
    assert client.get(reverse("letters:templates")).status_code == 403
    assert (
        client.post(reverse("letters:template_edit", args=[KIND]), {"subject": "x", "body": "y"}).status_code
        == 403
    )
    assert not LetterTemplate.objects.exists()


def test_an_unknown_kind_is_404(world, client):
    client.force_login(world.user("beheerder"))
    assert client.get(reverse("letters:template_edit", args=["geen_soort"])).status_code == 404
