"""Referral in the browser (issue 9, point 8): a consultant refers a client from the file,
the provider registers a no-show in its portal, and it appears in the consultant's
worklist, from where the consultant handles it. axe-core finds no violation on any page."""

from __future__ import annotations

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from .axe import axe_violations
from .conftest import E2E
from .test_journeys import nav

pytestmark = E2E


def test_consultant_refers_provider_registers_no_show_consultant_sees_it(world, live_server, new_page, login):
    from trede.instruments.models import Referral

    consultant = login(new_page(), "sanne")
    consultant.goto(live_server.url + reverse("clients:file", args=["KA0001"]))
    consultant.get_by_role("link", name="Verwijzen naar een instrument").click()
    expect(consultant.get_by_role("heading", name="Verwijzen naar een instrument", level=1)).to_be_visible()
    assert axe_violations(consultant) == []
    consultant.get_by_label("Instrument en aanbieder").select_option(value="WEP|P1")
    consultant.get_by_label("Doel van de verwijzing").fill("Werkritme opdoen, daarna werk van 20 uur.")
    end = timezone.localdate() + timedelta(days=90)
    consultant.get_by_label("Geplande einddatum").fill(end.isoformat())
    consultant.get_by_label("Toelichting voor de aanbieder").fill("Bereikbaar in de ochtend.")
    consultant.get_by_role("button", name="Verwijzen").click()
    expect(consultant.get_by_role("status")).to_contain_text(
        "Verwezen naar Werkervaringsplaats bij Werkbedrijf Noord"
    )
    assert axe_violations(consultant) == []
    referral = Referral.objects.latest("pk")
    number = referral.trajectory.pk

    provider = login(new_page(), "aanbieder_p")
    nav(provider, "Deelnemers")
    expect(provider.get_by_role("heading", name="Deelnemers van Werkbedrijf Noord", level=1)).to_be_visible()
    assert axe_violations(provider) == []
    provider.get_by_role("row", name=re.compile(number)).get_by_role("link", name="Anna de Vries").click()
    expect(provider.get_by_text("Bereikbaar in de ochtend.")).to_be_visible()
    assert axe_violations(provider) == []
    provider.get_by_label("Waarom is de klant niet gestart?").select_option("niet_verschenen")
    provider.get_by_role("button", name="Niet gestart melden").click()
    expect(provider.get_by_role("status")).to_contain_text("de consulent ziet dit op de werklijst")
    assert axe_violations(provider) == []

    # The other provider does not see this participant, and cannot open it.
    other = login(new_page(), "aanbieder_q")
    nav(other, "Deelnemers")
    expect(other.get_by_text(number)).to_have_count(0)
    response = other.goto(live_server.url + reverse("instruments:participant", args=[referral.pk]))
    assert response.status == 404

    consultant.reload()
    nav(consultant, "Werklijst")
    row = consultant.get_by_role("row", name=re.compile("niet gestart bij Werkervaringsplaats"))
    expect(row).to_contain_text("niet verschenen")
    assert axe_violations(consultant) == []
    row.get_by_role("link", name=re.compile("Verwijzing openen")).click()
    consultant.get_by_role("button", name="No-show afgehandeld").click()
    expect(consultant.get_by_role("status")).to_contain_text("afgehandeld")
    assert axe_violations(consultant) == []
    nav(consultant, "Werklijst")
    expect(
        consultant.get_by_role("row", name=re.compile("niet gestart bij Werkervaringsplaats"))
    ).to_have_count(0)
