"""The invitation to a rechtmatigheidsonderzoek (decision 169): a letter kind of its own,
made by inkomen on the client's onderzoek page with the date, time and place they fill in,
from the beheerder's text in plain Dutch (why, what to bring, the inlichtingenplicht, what
happens if one does not come); no BSN, nothing of other cases; stored with the client and
audited as every letter."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trede.audit.models import AuditEvent
from trede.benefits.onderzoek.tests.test_onderzoek import TODAY, world  # noqa: F401 (the fixture)
from trede.letters import services
from trede.letters.kinds import KINDS, LetterKind
from trede.letters.models import Letter, SourceType
from trede.letters.sources import Invitation, onderzoek_source
from trede.letters.tests.test_letters import needs_pdftotext, pdf_text
from trede.portal.formatting import dutch_date

pytestmark = pytest.mark.django_db

KIND = LetterKind.UITNODIGING_ONDERZOEK
DAY = TODAY + timedelta(days=10)
PLACE = "Gemeentehuis, Raadhuisplein 1, balie 3"


def _invitation(**changes):
    return Invitation(**({"on": DAY, "at": time(10, 30), "place": PLACE, "bring": ""} | changes))


@needs_pdftotext
def test_the_invitation_says_why_what_to_bring_when_where_and_what_if_not_and_no_more(world, tmp_path):  # noqa: F811
    client = world["late"]
    from trede.benefits.handhaving import services as handhaving

    # Another case of this client (handhaving) and an earlier onderzoek: neither is in it.
    zaak = handhaving.zaak_register(
        user=world["inkomen"],
        client=client,
        signal_kind="afspraak_gemist",
        signal_date=TODAY - timedelta(days=5),
        description="Niet verschenen op het gesprek van 10 uur.",
    )
    letter, made = services.letter_make(
        user=world["inkomen"],
        source=onderzoek_source(client, _invitation(bring="Het contract van uw nieuwe baan.")),
        today=TODAY,
    )
    assert made and letter.kind == KIND and letter.source_type == SourceType.ONDERZOEK
    assert letter.source_id == client.pk and letter.client == client
    assert "bsn" not in letter.fields_used and "bsn" not in KINDS[KIND].placeholders
    assert not KINDS[KIND].is_beschikking
    text = pdf_text(bytes(letter.pdf), tmp_path)
    weekday = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")[DAY.weekday()]
    assert f"{weekday} {dutch_date(DAY)}" in text and "10.30 uur" in text and PLACE in text
    assert "rechtmatigheidsonderzoek" in text and "Waarom dit gesprek?" in text
    assert "Wat neemt u mee?" in text and "bankrekeningen" in text
    assert "Het contract van uw nieuwe baan." in text
    assert "artikel 17 van de Participatiewet" in text  # the inlichtingenplicht
    assert "Wat gebeurt er als u niet komt?" in text and "uitkering stopzetten" in text
    assert client.name in text and client.client_id in text
    assert client.bsn not in text
    assert zaak.description not in text and zaak.number not in text
    assert "bezwaar" not in text.lower()  # an invitation is not a beschikking
    event = AuditEvent.objects.get(event="letter_made")
    assert event.client_id == client.pk and event.section == "uitkering"
    # A double submit is the same letter; another appointment is another letter.
    again, made_again = services.letter_make(
        user=world["inkomen"],
        source=onderzoek_source(client, _invitation(bring="Het contract van uw nieuwe baan.")),
        today=TODAY,
    )
    assert again == letter and not made_again
    other, _ = services.letter_make(
        user=world["inkomen"], source=onderzoek_source(client, _invitation(at=time(14, 0))), today=TODAY
    )
    assert other != letter and Letter.objects.count() == 2


def test_the_invitation_is_refused_without_an_appointment_or_a_benefit(world):  # noqa: F811
    make = lambda client, **changes: services.letter_make(  # noqa: E731
        user=world["inkomen"], source=onderzoek_source(client, _invitation(**changes))
    )
    with pytest.raises(ValidationError) as refused:
        make(world["late"], on=TODAY - timedelta(days=1), place="  ", at=None)
    assert set(refused.value.error_dict) == {"on", "place", "at"}
    with pytest.raises(ValidationError, match="geen uitkering"):
        make(world["ended"])
    with pytest.raises(PermissionDenied):  # team Zuid's client
        make(world["zuid"])
    for name in ("tl", "werk"):
        with pytest.raises(PermissionDenied):
            services.letter_make(user=world[name], source=onderzoek_source(world["late"], _invitation()))
    assert not Letter.objects.exists()


def test_the_onderzoek_page_makes_the_invitation_for_inkomen_and_shows_it(world, client):  # noqa: F811
    page = reverse("onderzoek:client", args=["RO001"])
    form = {"actie": "uitnodigen", "on": DAY.isoformat(), "at": "10:30", "place": PLACE, "bring": ""}

    client.force_login(world["tl"])  # reads the onderzoeken, makes no letter
    html = client.get(page).content.decode()
    assert "Uitnodiging maken" not in html
    assert client.post(page, form).status_code == 403
    client.force_login(world["werk"])
    assert client.get(page).status_code in (403, 404)
    assert not Letter.objects.exists()

    client.force_login(world["inkomen"])
    html = client.get(page).content.decode()
    assert "Uitnodiging maken" in html and 'for="uitnodiging_place"' in html
    assert "Er is nog geen uitnodiging gemaakt." in html
    refused = client.post(page, form | {"place": ""})
    assert refused.status_code == 400 and "Vul de plaats van het gesprek in" in refused.content.decode()
    refused = client.post(page, form | {"on": (TODAY - timedelta(days=2)).isoformat()})  # the service's
    assert refused.status_code == 400
    assert "uitnodiging_on_error" in refused.content.decode()
    assert "ligt in het verleden" in refused.content.decode()
    response = client.post(page, form)
    assert response.status_code == 302 and response["Location"] == page
    client.post(page, form)  # a double submit
    letter = Letter.objects.get()
    html = client.get(page).content.decode()
    assert reverse("letters:download", args=[letter.pk]) in html
    download = client.get(reverse("letters:download", args=[letter.pk]))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(event="letter_downloaded", user=world["inkomen"]).count() == 1

    client.force_login(world["tl"])  # the teamleider reads it, in the team
    assert client.get(reverse("letters:download", args=[letter.pk])).status_code == 200
    assert reverse("letters:download", args=[letter.pk]) in client.get(page).content.decode()
    client.force_login(world["werk"])  # the consulent werk does not
    assert client.get(reverse("letters:download", args=[letter.pk])).status_code in (403, 404)
    # Without a benefit there is nothing to invite for: no form.
    client.force_login(world["inkomen"])
    ended = client.get(reverse("onderzoek:client", args=["RO006"])).content.decode()
    assert "Uitnodiging maken" not in ended


def test_the_beheerder_edits_the_invitation_but_keeps_date_time_and_place(world):  # noqa: F811
    from trede.accounts.models import Role
    from trede.casework.tests.factories_plans import UserFactory

    beheerder = UserFactory(username="beh", role=Role.BEHEERDER)
    body = services.template_in_use(KIND).body
    for cut in ("{{ afspraak_datum }}", "{{ afspraak_plaats }}", "{{ afspraak_tijd }}"):
        with pytest.raises(ValidationError):
            services.template_save(
                user=beheerder,
                kind=KIND,
                subject="Uitnodiging",
                body=body.replace(cut, ""),
                token=services.SHIPPED,
            )
    for extra in ("{{ bsn }}", "{{ bedrag }}", "{{ reden }}"):
        with pytest.raises(ValidationError):
            services.template_save(
                user=beheerder, kind=KIND, subject="Uitnodiging", body=body + extra, token=services.SHIPPED
            )
    saved = services.template_save(
        user=beheerder, kind=KIND, subject="Uitnodiging voor een gesprek", body=body, token=services.SHIPPED
    )
    assert saved.version == 2
    assert services.letter_preview(user=beheerder, kind=KIND, subject=saved.subject, body=body).startswith(
        b"%PDF"
    )
