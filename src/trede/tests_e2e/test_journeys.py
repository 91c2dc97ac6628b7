"""The four journeys of the casework issue, in Debian's Chromium, asserting what people read:

1. a new applicant, from the questionnaire to a signed plan;
2. a consultant works the worklist;
3. a client sees only their own plan;
4. a teamleider rebalances a caseload.
"""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import expect

from trede.casework.intake.questionnaire import QUESTIONS

from .axe import axe_violations
from .conftest import E2E, text_of

NAV = "Hoofdmenu"

pytestmark = E2E


def nav(page, label: str):
    page.get_by_role("navigation", name=NAV).get_by_role("link", name=label, exact=True).click()


def select_containing(select, text: str):
    """Choose the option whose label contains `text` (labels may carry counts)."""
    labels = [label.strip() for label in select.locator("option").all_inner_texts()]
    select.select_option(label=next(label for label in labels if text in label))


def answer_questionnaire(page, *, open_answer_for=(), text="magazijn, schoonmaak"):
    """Answer every question on the page: the second choice of each (or "bespreken" for
    the questions in `open_answer_for`), and a short text for the open questions."""
    for question in QUESTIONS:
        if question.is_text:
            field = page.get_by_label(question.label)
            if field.count():
                field.fill(text)
            continue
        group = page.get_by_role("group", name=question.label, exact=True)
        if not group.count():
            continue
        wanted = next((c for c in question.choices if c.rank is None), None)
        if question.id not in open_answer_for or wanted is None:
            wanted = question.choices[1]
        group.get_by_label(wanted.label, exact=True).check()


# --------------------------------------------------------------------------- 1


def test_new_applicant_from_questionnaire_to_signed_plan(world, live_server, new_page, login):
    consultant = login(new_page(), "sanne")
    nav(consultant, "Intake")
    expect(consultant.get_by_role("heading", name="Intake", level=1)).to_be_visible()
    consultant.get_by_role("link", name="Nieuwe melding").click()

    # The consultant registers a melding of a new inwoner.
    consultant.get_by_label("Voornaam").fill("Noor")
    consultant.get_by_label("Achternaam").fill("Haddou")
    consultant.get_by_label("Geboortedatum").fill("2001-04-09")
    consultant.get_by_label("Postcode (alleen de 4 cijfers)").fill("2261")
    consultant.get_by_role("radio", name="aanvraag").check()
    consultant.get_by_label("Ontvangen op").fill(timezone.localdate().isoformat())
    consultant.get_by_role("button", name="Melding registreren").click()
    expect(consultant.get_by_role("heading", name="Aanvraag van Noor Haddou")).to_be_visible()
    expect(consultant.get_by_role("status").first).to_contain_text("geregistreerd voor klant")

    # A link to fill in the questionnaire at home, before the conversation.
    consultant.get_by_role("button", name="Link voor zelf invullen maken").click()
    link = consultant.get_by_label("Link voor de inwoner").input_value()
    assert link.startswith(live_server.url)

    applicant = new_page()
    applicant.goto(link)
    expect(
        applicant.get_by_role("heading", name="Vragenlijst voor uw gesprek met de gemeente")
    ).to_be_visible()
    assert "Haddou" not in text_of(applicant)  # the link shows nothing from the file
    answer_questionnaire(applicant, open_answer_for={"gezondheid_psychisch"})
    applicant.get_by_role("button", name="Vragenlijst insturen").click()
    expect(applicant.get_by_role("heading", name="Dank u wel!")).to_be_visible()

    # In the conversation the consultant completes it and lets Trede compute the diagnosis.
    consultant.reload()
    expect(consultant.get_by_text("Ingevuld door de inwoner op")).to_be_visible()
    # Which questions were answered, per domain, before the conversation (no answers shown).
    overview = consultant.get_by_role("list", name="Beantwoord per onderwerp")
    expect(overview).to_contain_text("Werk en ervaring: 2 van 2 beantwoord")
    expect(overview).to_contain_text("Gezondheid: 2 van 3 beantwoord, 1 liever in het gesprek")
    expect(overview).to_contain_text("wil dit liever in het gesprek bespreken")
    assert "magazijn, schoonmaak" not in text_of(consultant)
    assert axe_violations(consultant) == []
    consultant.get_by_role("link", name="Vragenlijst invullen in het gesprek").click()
    expect(consultant.get_by_role("heading", name="Vragenlijst van Noor Haddou")).to_be_visible()
    answer_questionnaire(consultant)
    consultant.get_by_role("button", name="Afronden en diagnose berekenen").click()
    expect(consultant.get_by_role("heading", name="Diagnose van Noor Haddou")).to_be_visible()

    # The date input's default is not shown by the browser (see report), so it is filled in.
    consultant.get_by_label("Ingangsdatum").fill(timezone.localdate().isoformat())
    consultant.get_by_label("Reden van het besluit").fill(
        "Uitkomst van de diagnose besproken en overgenomen."
    )
    consultant.get_by_role("button", name="Route besluiten").click()
    expect(consultant.locator("#route table")).to_contain_text(
        "Uitkomst van de diagnose besproken en overgenomen."
    )

    # The plan van aanpak, agreed by both in the conversation.
    consultant.get_by_role("link", name="Dossier van Noor Haddou").first.click()
    expect(consultant.get_by_role("heading", name="Noor Haddou", level=1)).to_be_visible()
    consultant.get_by_role("link", name="Plan van aanpak openen").click()
    consultant.get_by_role("link", name="Plan opstellen").click()
    consultant.get_by_label("Doelen").fill("Binnen zes maanden werk in de schoonmaak, 24 uur per week.")
    consultant.get_by_label("Afspraak 1: afspraak").fill("Sollicitatietraining volgen")
    consultant.get_by_label("Afspraak 1: wie").select_option(label="klant")
    consultant.get_by_label("Afspraak 1: uiterlijk").fill("2030-01-31")
    consultant.get_by_role("button", name="Plan opslaan als concept").click()
    expect(consultant.get_by_role("heading", name="Versie 1 wacht op akkoord")).to_be_visible()
    consultant.get_by_role("button", name="Ik ga akkoord met versie 1").click()
    consultant.get_by_role("button", name="Klant gaf in het gesprek akkoord").click()
    expect(consultant.get_by_role("heading", name=re.compile(r"Versie 1\s+ondertekend"))).to_be_visible()

    # The client file tells the whole story on one timeline.
    nav(consultant, "Zoeken")
    consultant.get_by_label("Naam, BSN of klantnummer").fill("Haddou")
    consultant.get_by_role("button", name="Zoeken").click()
    consultant.get_by_role("link", name="Noor Haddou").click()
    expect(consultant.get_by_role("heading", name="Versie 1: ondertekend")).to_be_visible()
    timeline = consultant.get_by_test_id("tijdlijn")
    for line in (
        "Aanvraag ontvangen",
        "Vragenlijst ingevuld door de inwoner",
        "Vragenlijst afgerond in het intakegesprek",
        "Diagnose vastgesteld",
        "Route:",
        "Plan van aanpak versie 1 opgesteld",
        "Plan van aanpak versie 1 ondertekend",
    ):
        expect(timeline).to_contain_text(line)
    nav(consultant, "Mijn klanten")
    expect(consultant.get_by_role("row", name=re.compile("Noor Haddou"))).to_contain_text(
        "ondertekend (versie 1)"
    )


# --------------------------------------------------------------------------- 2


def _client_out_of_sight(world):
    """Cor Smit: on Sanne's caseload, directe bemiddeling (contact every 14 days under the
    Leidschendam-Voorburg preset), last seen 60 days ago; plan signed, diagnosis recent."""
    from datetime import timedelta

    from trede.benefits.models import Benefit
    from trede.casework.models import Contact, Diagnosis, Plan, RouteDecision
    from trede.clients.models import Client

    today, now = timezone.localdate(), timezone.now()
    cor = Client.objects.create(
        client_id="KC0003",
        given_name="Cor",
        family_name="Smit",
        birth_date="1985-02-02",
        consultant=world.consultants["sanne"],
    )
    Benefit.objects.create(
        benefit_id="U-C1", client=cor, regulation="pw", start_date=today - timedelta(days=200)
    )
    Diagnosis.objects.create(
        diagnosis_id="DC1", client=cor, date=today - timedelta(days=30), months_to_work=0, ladder_step=5
    )
    RouteDecision.objects.create(
        client=cor,
        decided_on=today - timedelta(days=30),
        route="directe_bemiddeling",
        category="1A",
        client_group="direct_werk",
        reason="Klaar voor werk.",
    )
    Contact.objects.create(contact_id="GC1", client=cor, date=today - timedelta(days=60), kind="gesprek")
    Plan.objects.create(
        client=cor,
        version=1,
        status="ondertekend",
        goals="Werk",
        consultant_agreed_at=now,
        client_agreed_at=now,
    )
    return cor


def test_consultant_works_the_worklist(world, live_server, new_page, login):
    page = new_page()
    _client_out_of_sight(world)
    login(page, "sanne")
    nav(page, "Werklijst")
    expect(page.get_by_role("heading", name="Werklijst", level=1)).to_be_visible()
    overdue = page.get_by_role("region", name=re.compile("^Contact te laat"))
    expect(overdue.get_by_role("heading")).to_have_text("Contact te laat (1)")
    row = overdue.get_by_role("row", name=re.compile("Cor Smit"))
    expect(row).to_contain_text("dagen te laat")
    row.get_by_role("link", name=re.compile("Contact vastleggen")).click()

    expect(page.get_by_role("heading", name="Contactmoment vastleggen")).to_be_visible()
    expect(page.get_by_label("Datum")).to_have_value(timezone.localdate().isoformat())
    page.get_by_label("Soort contact").select_option(label="telefonisch")
    page.get_by_label("Verslag").fill("Gebeld over vacatures in de logistiek; sollicitatie volgende week.")
    page.get_by_role("button", name="Contactmoment vastleggen").click()

    # Back on the worklist: Cor is no longer overdue.
    expect(page.get_by_role("heading", name="Werklijst", level=1)).to_be_visible()
    expect(page.get_by_text("Het contactmoment met Cor Smit is vastgelegd.")).to_be_visible()
    expect(overdue.get_by_role("heading")).to_have_text("Contact te laat (0)")
    expect(overdue).not_to_contain_text("Cor Smit")

    # The caseload and the client file show today's contact.
    nav(page, "Mijn klanten")
    expect(page.get_by_role("row", name=re.compile("Cor Smit"))).to_contain_text(
        timezone.localdate().strftime("%d-%m-%Y")
    )
    page.get_by_role("link", name="Cor Smit").click()
    expect(page.get_by_test_id("tijdlijn")).to_contain_text("Telefonisch: gehouden")
    contacts = page.locator("#sectie-contacten")
    expect(contacts).to_contain_text("Gebeld over vacatures in de logistiek")

    # She corrects her own contact: the call was about the warehouse, with a reason.
    today_nl = timezone.localdate().strftime("%d-%m-%Y")
    contacts.get_by_role("link", name=f"Corrigeren contactmoment {today_nl}").click()
    expect(page.get_by_role("heading", name="Contactmoment corrigeren", level=1)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Verslag").fill("Gebeld over vacatures in het magazijn; sollicitatie volgende week.")
    page.get_by_label("Reden van de correctie").fill("Verkeerde sector genoteerd.")
    page.get_by_role("button", name="Correctie opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("is gecorrigeerd")
    expect(page.get_by_role("heading", name="Versie 2 (huidige): gecorrigeerd")).to_be_visible()
    expect(page.get_by_role("heading", name="Versie 1: vastgelegd")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Verkeerde sector genoteerd.")
    expect(page.locator("main")).to_contain_text("Gebeld over vacatures in de logistiek")  # the original
    assert axe_violations(page) == []

    # Withdrawn after all (it was another client's call): Cor is overdue again.
    page.get_by_role("link", name="Intrekken").click()
    assert axe_violations(page) == []
    page.get_by_label("Reden van het intrekken").fill("Dit gesprek was met een andere klant.")
    page.get_by_role("button", name="Contactmoment intrekken").click()
    expect(page.get_by_test_id("ingetrokken")).to_contain_text("Dit gesprek was met een andere klant.")
    expect(page.get_by_role("heading", name="Versie 3 (huidige): ingetrokken")).to_be_visible()
    nav(page, "Werklijst")
    late = page.get_by_role("region", name="Contact te laat (1)")
    expect(late.get_by_role("row", name=re.compile("Cor Smit"))).to_contain_text("dagen te laat")


# --------------------------------------------------------------------------- 3


def test_client_sees_only_their_own_plan(world, live_server, new_page, login):
    page = new_page()
    login(page, "inwoner_a")
    nav(page, "Mijn plan")
    expect(page.get_by_role("heading", name="Mijn plan", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Binnen een jaar betaald werk in de logistiek.")
    expect(page.locator("main")).to_contain_text("Heftruckcertificaat halen")
    main = text_of(page)
    assert "Bert" not in main and "Bakker" not in main

    # Someone else's file or plan: not found, and nothing of it on the page.
    for url in ("/klanten/KB0002/", "/werk/klanten/KB0002/plan/", "/klanten/KB0002/onderdeel/plan/"):
        response = page.goto(live_server.url + url)
        assert response.status in (403, 404), url
        assert "Bert" not in text_of(page)
    # The own file: the plan, but not what the consultant records about contacts or benefits.
    page.goto(live_server.url + "/klanten/KA0001/")
    expect(page.get_by_role("heading", name="Plan van aanpak")).to_be_visible()
    expect(page.get_by_role("heading", name="Contactmomenten")).to_have_count(0)
    expect(page.get_by_role("heading", name="Uitkering")).to_have_count(0)


# --------------------------------------------------------------------------- 4


def test_teamleider_rebalances_a_caseload(world, live_server, new_page, login):
    page = login(new_page(), "tl_zuid")
    nav(page, "Caseload en verdeling")
    expect(page.get_by_role("heading", name="Caseload en verdeling", level=1)).to_be_visible()
    select_containing(page.get_by_label("Van consulent"), "Bob Jansen")
    page.get_by_role("button", name="Toon klanten").click()
    page.get_by_label(re.compile("Bert Bakker")).check()
    select_containing(page.get_by_label("Naar consulent"), "Wim Kok")
    page.get_by_label("Reden").fill("Bob gaat minder uren werken.")
    page.get_by_role("button", name="Overdragen").click()
    expect(page.get_by_role("status").first).to_contain_text("overgedragen")

    # Bert is now on Wim's caseload; the file shows the handover in its timeline.
    page.goto(live_server.url + "/klanten/KB0002/")
    expect(page.get_by_role("heading", name="Bert Bakker", level=1)).to_be_visible()
    expect(page.get_by_test_id("consulent")).to_have_text("Wim Kok")
    expect(page.get_by_test_id("tijdlijn")).to_contain_text("Overgedragen van Bob Jansen naar Wim Kok")
    expect(page.get_by_test_id("tijdlijn")).to_contain_text("Reden: Bob gaat minder uren werken.")

    # Wim finds Bert on his own caseload; Bob no longer has him (and gets no file).
    wim = login(new_page(), "wim")
    nav(wim, "Mijn klanten")
    expect(wim.get_by_role("row", name=re.compile("Bert Bakker"))).to_be_visible()
    bob = login(new_page(), "bob")
    nav(bob, "Mijn klanten")
    expect(bob.get_by_text("U heeft nog geen klanten in uw caseload.")).to_be_visible()
    bob.goto(live_server.url + "/klanten/KB0002/")
    expect(bob.get_by_role("heading", name="Waarneming aanvragen")).to_be_visible()
