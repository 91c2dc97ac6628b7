"""The beschikking of a handhavingszaak's decision: only once final (four eyes), with what
only the decision holds (the boete's amount, the motivation, its own legal ground and the
later of its bezwaar date and six weeks after the letter), one letter whichever page makes
it, and the button on the zaak page for who may make it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from trede.benefits.handhaving import services as handhaving
from trede.benefits.handhaving.tests.test_handhaving import TODAY, _decide, _hear, _signal, world  # noqa: F401
from trede.letters import rules, services
from trede.letters.kinds import LetterKind
from trede.letters.models import Letter, SourceType
from trede.letters.sources import besluit_source, measure_source
from trede.letters.tests.test_letters import needs_pdftotext, pdf_text
from trede.portal.formatting import dutch_date

pytestmark = pytest.mark.django_db

MOTIVATION = "U had uw inkomsten uit de bijbaan bij de bakker niet gemeld."


def _boete(people):
    zaak = _signal(people, kind="inkomsten_niet_gemeld", benadelingsbedrag=Decimal("900"))
    _hear(people, zaak)
    return _decide(people, zaak, kind="boete", category="", verwijtbaarheid="opzet", motivation=MOTIVATION)


@needs_pdftotext
def test_a_boete_beschikking_only_once_final_and_with_the_decisions_own_facts(world, tmp_path):  # noqa: F811 (the handhaving tests' world fixture)
    besluit = _boete(world)
    with pytest.raises(ValidationError, match="definitief besluit"):
        services.letter_make(user=world["ink"], source=besluit_source(besluit))
    assert not Letter.objects.exists()
    besluit = handhaving.besluit_approve(user=world["ink2"], besluit=besluit)
    letter, made = services.letter_make(user=world["ink"], source=besluit_source(besluit), today=TODAY)
    assert made and letter.kind == LetterKind.BOETE and letter.source_type == SourceType.BESLUIT
    text = pdf_text(bytes(letter.pdf), tmp_path)
    assert "€ 900,00" in text
    assert MOTIVATION in text
    assert besluit.legal_ground.split(",")[0] in text
    later = max(besluit.bezwaar_deadline, rules.bezwaar_deadline(TODAY))
    assert later >= TODAY + timedelta(weeks=6)
    assert f"uiterlijk op {dutch_date(later)}" in text
    assert world["HH001"].bsn not in text and "Ik was de brief vergeten" not in text
    assert f"HH-{besluit.number}" in text


def test_the_measure_of_a_decision_makes_the_same_letter_as_the_decision(world):  # noqa: F811 (the handhaving tests' world fixture)
    besluit = handhaving.besluit_approve(user=world["ink2"], besluit=_boete(world))
    first, made = services.letter_make(user=world["ink"], source=besluit_source(besluit), today=TODAY)
    again, made_again = services.letter_make(
        user=world["ink"], source=measure_source(besluit.measure), today=TODAY
    )
    assert made and not made_again and again == first
    assert Letter.objects.count() == 1


def test_the_zaak_page_makes_the_beschikking_for_inkomen_only(world, client):  # noqa: F811 (the handhaving tests' world fixture)
    besluit = handhaving.besluit_approve(user=world["ink2"], besluit=_boete(world))
    page = reverse("handhaving:zaak", args=[besluit.zaak_id])
    make = reverse("letters:besluit_make", args=[besluit.pk])

    client.force_login(world["tl"])  # reads the zaak, makes no letters
    html = client.get(page).content.decode()
    assert "Beschikking maken" not in html
    assert client.post(make).status_code == 403

    client.force_login(world["ink"])
    html = client.get(page).content.decode()
    assert "Beschikking maken" in html and "Er is nog geen beschikking gemaakt." in html
    response = client.post(make)
    assert response.status_code == 302 and response["Location"] == page
    client.post(make)  # a double submit
    letter = Letter.objects.get()
    html = client.get(page).content.decode()
    assert reverse("letters:download", args=[letter.pk]) in html
    assert client.get(reverse("letters:download", args=[letter.pk])).content.startswith(b"%PDF")

    client.force_login(world["zuid"])  # inkomen of another team
    assert client.post(make).status_code == 404
    assert Letter.objects.count() == 1
