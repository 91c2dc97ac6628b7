"""The intrekkingsbesluit: a letter of its own kind once a final decision is withdrawn (not
while the withdrawal waits for a colleague), in plain Dutch with the bezwaar clause, naming
what was withdrawn and why but not the original's facts nor the BSN; made from the zaak
page by inkomen only, stored with the client and audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from trede.audit.models import AuditEvent
from trede.benefits.handhaving import services as handhaving
from trede.benefits.handhaving.tests.test_handhaving import TODAY, _decide, _hear, _signal, world  # noqa: F401
from trede.letters import rules, services
from trede.letters.kinds import LetterKind
from trede.letters.models import Letter, SourceType
from trede.letters.sources import besluit_source, withdrawal_source
from trede.letters.tests.test_letters import needs_pdftotext, pdf_text
from trede.portal.formatting import dutch_date

pytestmark = pytest.mark.django_db

REASON = "De afspraak van 3 november was door ons verplaatst."


def _final_maatregel(people):
    zaak = _signal(people)
    _hear(people, zaak)
    return handhaving.besluit_approve(user=people["tl"], besluit=_decide(people, zaak))


@needs_pdftotext
def test_the_withdrawal_letter_only_once_withdrawn_plain_with_the_clause_and_no_bsn(world, tmp_path):  # noqa: F811
    besluit = _final_maatregel(world)
    handhaving.besluit_withdraw(user=world["ink"], besluit=besluit, reason=REASON)
    besluit.refresh_from_db()
    with pytest.raises(ValidationError, match="ingetrokken besluit"):
        services.letter_make(user=world["ink"], source=withdrawal_source(besluit))
    besluit = handhaving.besluit_withdraw_confirm(user=world["ink2"], besluit=besluit)
    letter, made = services.letter_make(user=world["ink"], source=withdrawal_source(besluit), today=TODAY)
    assert made and letter.kind == LetterKind.INTREKKING and letter.source_type == SourceType.BESLUIT
    assert "bsn" not in letter.fields_used
    text = pdf_text(bytes(letter.pdf), tmp_path)
    assert REASON in text
    assert "verlaging van uw uitkering" in text and f"HH-{besluit.number}" in text
    assert "Bent u het niet eens met dit besluit?" in text and "bezwaar maken" in text
    assert f"uiterlijk op {dutch_date(rules.bezwaar_deadline(TODAY))}" in text
    assert "nieuw besluit" in text
    assert world["HH001"].bsn not in text
    assert "Ik was de brief vergeten" not in text  # what the client said at the hearing
    assert besluit.motivation not in text  # the original's facts are not repeated
    # A double submit is the same letter; the beschikking of the original is another kind.
    again, made_again = services.letter_make(
        user=world["ink"], source=withdrawal_source(besluit), today=TODAY
    )
    assert again == letter and not made_again
    with pytest.raises(ValidationError, match="definitief besluit"):
        services.letter_make(user=world["ink"], source=besluit_source(besluit))
    assert AuditEvent.objects.filter(event="letter_made", user=world["ink"]).count() == 1


def test_the_zaak_page_makes_the_withdrawal_letter_for_inkomen_only(world, client):  # noqa: F811
    besluit = _final_maatregel(world)
    handhaving.besluit_withdraw(user=world["ink"], besluit=besluit, reason=REASON)
    besluit = handhaving.besluit_withdraw_confirm(user=world["ink2"], besluit=besluit)
    page = reverse("handhaving:zaak", args=[besluit.zaak_id])
    make = reverse("letters:withdrawal_make", args=[besluit.pk])

    client.force_login(world["tl"])  # reads the zaak, makes no letters
    assert "Intrekkingsbesluit maken" not in client.get(page).content.decode()
    assert client.post(make).status_code == 403
    client.force_login(world["zuid"])  # inkomen of another team: outside their work
    assert client.post(make).status_code == 404
    client.force_login(world["werk"])
    assert client.post(make).status_code == 403
    assert not Letter.objects.exists()

    client.force_login(world["ink"])
    html = client.get(page).content.decode()
    assert "Intrekkingsbesluit maken" in html and "Er is nog geen intrekkingsbesluit gemaakt." in html
    response = client.post(make)
    assert response.status_code == 302 and response["Location"] == page
    client.post(make)  # a double submit
    letter = Letter.objects.get()
    assert letter.kind == LetterKind.INTREKKING
    html = client.get(page).content.decode()
    assert reverse("letters:download", args=[letter.pk]) in html
    download = client.get(reverse("letters:download", args=[letter.pk]))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(event="letter_made").count() == 1
    assert AuditEvent.objects.filter(event="letter_downloaded", user=world["ink"]).count() == 1


def test_the_beheerder_edits_the_withdrawal_template_but_keeps_the_clause(world):  # noqa: F811
    from trede.accounts.models import Role
    from trede.casework.tests.factories_plans import UserFactory

    beheerder = UserFactory(username="beh", role=Role.BEHEERDER)
    spec_body = services.template_in_use(LetterKind.INTREKKING).body
    with pytest.raises(ValidationError):
        services.template_save(
            user=beheerder,
            kind=LetterKind.INTREKKING,
            subject="Intrekking",
            body=spec_body.replace("{{ bezwaar_uiterlijk }}", ""),
            token=services.SHIPPED,
        )
    with pytest.raises(ValidationError):  # a placeholder of another kind
        services.template_save(
            user=beheerder,
            kind=LetterKind.INTREKKING,
            subject="Intrekking",
            body=spec_body + "{{ bedrag }}",
            token=services.SHIPPED,
        )
    saved = services.template_save(
        user=beheerder,
        kind=LetterKind.INTREKKING,
        subject="Wij trekken een besluit in",
        body=spec_body,
        token=services.SHIPPED,
    )
    assert saved.version == 2
