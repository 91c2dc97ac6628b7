"""Letters: a real PDF read back with pdftotext holds the decision and the bezwaar clause,
and nothing the letter does not declare; who may make and read; audit rows; double submit."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trede.audit.models import AuditEvent
from trede.benefits.models import Measure
from trede.letters import services
from trede.letters.kinds import LetterKind
from trede.letters.models import Letter, LetterTemplate
from trede.letters.sources import measure_source, plan_source
from trede.tests_e2e.world import (
    APPLICATION_NOTE,
    CONTACT_NOTE,
    MEASURE_REASON,
    SENSITIVE_STRINGS,
    build_world,
)

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")
# In CI (TREDE_REQUIRE_E2E=1, which installs poppler-utils) a missing pdftotext fails.
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None and not os.environ.get("TREDE_REQUIRE_E2E"),
    reason="pdftotext ontbreekt (apt-get install poppler-utils)",
)


def pdf_text(pdf: bytes, tmp_path) -> str:
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())  # one line: words wrapped at the margin still match


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def _measure(world) -> Measure:
    return Measure.objects.get(pk="MA1")


@needs_pdftotext
def test_a_maatregel_beschikking_holds_the_decision_and_the_bezwaar_clause_and_no_more(world, tmp_path):
    inkomen = world.user("inkomen")
    letter, made = services.letter_make(
        user=inkomen, source=measure_source(_measure(world)), today=date(2026, 12, 3)
    )
    assert made and letter.kind == LetterKind.MAATREGEL and letter.client_id == "KA0001"
    text = pdf_text(bytes(letter.pdf), tmp_path)
    # The decision: what, why, how much, how long, on what ground.
    assert "Besluit: wij verlagen uw uitkering" in text
    assert "Anna de Vries" in text and "KA0001" in text and "HH-MA1" in text
    assert "met 20%, 1 maand lang" in text
    assert MEASURE_REASON in text
    assert "artikel 18, tweede lid, van de Participatiewet" in text
    # The bezwaar clause: six weeks after 3 December 2026 is Thursday 14 January 2027.
    assert "Bent u het niet eens met dit besluit?" in text
    assert "binnen zes weken" in text and "uiterlijk op 14 januari 2027" in text
    assert "Mohamed El Amrani" in text  # the sender
    # Not in it: the BSN (declared for beschikkingen, not used by the shipped text), the
    # diagnosis, health and debt details, notes, and the other client.
    assert "111222333" not in text
    # (The decision's own reason names the debt-relief programme: that is its motivation.)
    others = [s for s in SENSITIVE_STRINGS if s not in MEASURE_REASON]
    for sensitive in (*others, APPLICATION_NOTE, CONTACT_NOTE, "1C", "re_integratie", "Bert", "Bakker"):
        assert sensitive not in text, sensitive
    assert letter.fields_used and "bsn" not in letter.fields_used


@needs_pdftotext
def test_the_plan_letter_holds_the_goals_and_agreements_not_the_bsn(world, tmp_path):
    sanne = world.user("sanne")
    letter, made = services.letter_make(user=sanne, source=plan_source(world.extra["plan"]))
    text = pdf_text(bytes(letter.pdf), tmp_path)
    assert made and "Uw plan van aanpak (versie 1)" in text
    assert "Binnen een jaar betaald werk in de logistiek." in text
    assert "Heftruckcertificaat halen. Wie: u. Uiterlijk: 1 september 2023." in text
    assert "111222333" not in text and MEASURE_REASON not in text
    for sensitive in SENSITIVE_STRINGS:
        assert sensitive not in text


@needs_pdftotext
def test_the_bsn_is_in_the_letter_only_when_the_template_declares_and_uses_it(world, tmp_path):
    beheerder = world.user("beheerder")
    shipped = services._shipped(LetterKind.MAATREGEL)
    services.template_save(
        user=beheerder,
        kind=LetterKind.MAATREGEL,
        subject=shipped.subject,
        body="Uw BSN: {{ bsn }}\n\n" + shipped.body,
        token=services.SHIPPED,
    )
    letter, _ = services.letter_make(user=world.user("inkomen"), source=measure_source(_measure(world)))
    assert "Uw BSN: 111222333" in pdf_text(bytes(letter.pdf), tmp_path)
    assert "bsn" in letter.fields_used and letter.template_version == 2
    # The plan van aanpak does not declare the BSN: such a template is not stored.
    with pytest.raises(ValidationError, match="hoort niet bij deze brief"):
        services.template_save(
            user=beheerder,
            kind=LetterKind.PLAN,
            subject="Plan",
            body="{{ naam }} {{ bsn }}",
            token=services.SHIPPED,
        )


def test_a_double_submit_makes_one_letter_and_a_new_template_version_a_new_one(world):
    inkomen = world.user("inkomen")
    source = measure_source(_measure(world))
    first, made = services.letter_make(user=inkomen, source=source)
    again, made_again = services.letter_make(user=inkomen, source=source)
    assert made and not made_again and again.pk == first.pk
    assert Letter.objects.count() == 1
    assert AuditEvent.objects.filter(event="letter_made").count() == 1
    template = LetterTemplate.objects.get(kind=LetterKind.MAATREGEL)
    services.template_save(
        user=world.user("beheerder"),
        kind=LetterKind.MAATREGEL,
        subject="Besluit over uw uitkering",
        body=template.body,
        token=services.template_token(template),
    )
    newer, made_newer = services.letter_make(user=inkomen, source=source)
    assert made_newer and newer.template_version == 2 and Letter.objects.count() == 2


def test_a_changed_source_makes_a_new_letter(world):
    inkomen = world.user("inkomen")
    measure = _measure(world)
    services.letter_make(user=inkomen, source=measure_source(measure))
    measure.percentage = 30
    measure.save()
    letter, made = services.letter_make(user=inkomen, source=measure_source(measure))
    assert made and Letter.objects.count() == 2


def test_the_beschikking_must_fit_the_decision(world):
    measure = _measure(world)
    measure.kind = ""
    measure.save()
    with pytest.raises(ValidationError, match="soort niet bekend"):
        services.letter_make(user=world.user("inkomen"), source=measure_source(measure))


@pytest.mark.parametrize(
    "actor", ["sanne", "tl_noord", "bob", "beleid", "aanbieder_p", "beheerder", "inwoner_a"]
)
def test_only_inkomen_in_the_team_makes_a_beschikking(world, actor):
    with pytest.raises(PermissionDenied):
        services.letter_make(user=world.user(actor), source=measure_source(_measure(world)))
    assert not Letter.objects.exists()
    assert AuditEvent.objects.filter(action="denied", client_id="KA0001").exists()


@pytest.mark.parametrize("actor", ["inkomen", "tl_noord", "bob", "beleid", "aanbieder_p", "inwoner_a"])
def test_only_the_consultant_working_the_file_makes_the_plan_letter(world, actor):
    with pytest.raises(PermissionDenied):
        services.letter_make(user=world.user(actor), source=plan_source(world.extra["plan"]))


def test_a_waarneming_may_make_the_plan_letter(world):
    letter, made = services.letter_make(user=world.user("wim"), source=plan_source(world.extra["plan"]))
    assert made and letter.created_by.username == "wim"


def _download(client, letter):
    return client.get(reverse("letters:download", args=[letter.pk]))


READERS_OF_BESCHIKKING = {"inkomen": 200, "tl_noord": 200, "sanne": 200, "wim": 200}
OTHERS = {
    "bob": 404,
    "tl_zuid": 404,
    "beleid": 403,
    "aanbieder_p": 403,
    "beheerder": 403,
    "privacy": 403,
    "am": 403,
    "inwoner_a": 403,
}


@pytest.mark.parametrize("actor,status", [*READERS_OF_BESCHIKKING.items(), *OTHERS.items()])
def test_who_may_download_a_beschikking(world, client, actor, status):
    letter, _ = services.letter_make(user=world.user("inkomen"), source=measure_source(_measure(world)))
    client.force_login(world.user(actor))
    response = _download(client, letter)
    assert response.status_code == status
    downloads = AuditEvent.objects.filter(event="letter_downloaded", client_id="KA0001")
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content == bytes(letter.pdf)
        assert "attachment" in response["Content-Disposition"]
        row = downloads.get()
        assert row.username == actor and row.object_id == str(letter.pk)
    else:
        assert not downloads.exists()
        assert AuditEvent.objects.filter(action="denied", user__username=actor).exists()


@pytest.mark.parametrize(
    "actor,status",
    [("sanne", 200), ("tl_noord", 200), ("wim", 200), ("inkomen", 404), ("bob", 404), ("beleid", 403)],
)
def test_who_may_download_a_plan_letter(world, client, actor, status):
    letter, _ = services.letter_make(user=world.user("sanne"), source=plan_source(world.extra["plan"]))
    client.force_login(world.user(actor))
    assert _download(client, letter).status_code == status


def test_a_letter_number_that_does_not_exist_is_the_same_404(world, client):
    client.force_login(world.user("inkomen"))
    assert client.get(reverse("letters:download", args=[999999])).status_code == 404


def test_the_client_page_makes_a_beschikking_once_per_double_submit(world, client):
    client.force_login(world.user("inkomen"))
    page = client.get(reverse("letters:client", args=["KA0001"]))
    assert page.status_code == 200 and "Beschikking maken bij MA1" in page.content.decode()
    url = reverse("letters:measure_make", args=["MA1"])
    first = client.post(url, follow=True)
    second = client.post(url, follow=True)
    assert first.status_code == second.status_code == 200
    assert Letter.objects.count() == 1
    body = second.content.decode()
    assert "er is geen tweede gemaakt" in body
    assert "Download BR-" in body
    assert AuditEvent.objects.filter(event="letter_made", username="inkomen").count() == 1


def test_the_client_page_shows_only_the_letters_a_role_may_read(world, client):
    services.letter_make(user=world.user("inkomen"), source=measure_source(_measure(world)))
    services.letter_make(user=world.user("sanne"), source=plan_source(world.extra["plan"]))
    client.force_login(world.user("inkomen"))
    body = client.get(reverse("letters:client", args=["KA0001"])).content.decode()
    assert "Beschikking maatregel" in body and "PVA-KA0001" not in body
    client.force_login(world.user("sanne"))
    body = client.get(reverse("letters:client", args=["KA0001"])).content.decode()
    assert "PVA-KA0001" in body and "HH-MA1" in body
    assert "Beschikking maken" not in body  # sanne reads handhaving, she does not decide it


def test_making_a_measure_letter_of_another_team_is_404_and_audited(world, client):
    Measure.objects.create(
        measure_id="MB1", client=world.clients["B"], date=date(2024, 1, 1), kind="waarschuwing"
    )
    client.force_login(world.user("inkomen"))
    response = client.post(reverse("letters:measure_make", args=["MB1"]))
    assert response.status_code == 404 and not Letter.objects.exists()
    assert AuditEvent.objects.filter(action="denied", client_id="KB0002", username="inkomen").exists()


def test_the_plan_page_offers_the_letter_to_the_consultant(world, client):
    client.force_login(world.user("sanne"))
    page = client.get(reverse("casework:plan_detail", args=["KA0001"]))
    assert "Brief maken van versie 1" in page.content.decode()
    client.post(reverse("letters:plan_make", args=[world.extra["plan"].pk]))
    page = client.get(reverse("casework:plan_detail", args=["KA0001"]))
    assert "Download BR-" in page.content.decode()
    client.force_login(world.user("tl_noord"))
    page = client.get(reverse("casework:plan_detail", args=["KA0001"]))
    body = page.content.decode()
    assert "Brief maken van versie 1" not in body and "Download BR-" in body


def test_letters_go_with_the_client(world):
    from trede.clients.models import Client

    c = Client.objects.create(
        client_id="KC0003",
        given_name="Cor",
        family_name="Smit",
        birth_date=date(1980, 1, 1),
        consultant=world.consultants["sanne"],
    )
    measure = Measure.objects.create(measure_id="MC1", client=c, date=date(2024, 1, 1), kind="waarschuwing")
    services.letter_make(user=world.user("inkomen"), source=measure_source(measure))
    assert Letter.objects.filter(client=c).count() == 1
    c.delete()  # retention destroys the file: the letters go with it
    assert not Letter.objects.filter(client_id="KC0003").exists()
