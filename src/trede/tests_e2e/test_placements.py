"""A placement's aftercare contacts in the worklist, in the browser (issue 10, points 7 and
10): the consultant records a placement from the client file (started three months ago,
with loonkostensubsidie), its nazorg contact after three months appears on the worklist,
the consultant registers it and it leaves the worklist; the accountmanager sees the
placement at the own employer. axe-core finds no violation, and every page works at 390 px."""

from __future__ import annotations

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from trede.utils.dates import add_months

from .axe import axe_violations
from .conftest import E2E
from .phone import PHONE, phone_problems
from .test_journeys import nav

pytestmark = E2E


def test_a_placements_nazorg_appears_on_the_worklist_and_leaves_when_registered(
    world, live_server, new_page, login
):
    from trede.employers.models import NazorgContact, Placement

    start = add_months(timezone.localdate(), -3) - timedelta(days=5)
    bob = login(new_page(), "bob")
    bob.goto(live_server.url + reverse("clients:file", args=["KB0002"]))
    assert axe_violations(bob) == []
    bob.get_by_role("link", name="Plaatsing vastleggen").click()
    expect(bob.get_by_role("heading", name="Plaatsing vastleggen", level=1)).to_be_visible()
    assert axe_violations(bob) == []
    bob.get_by_label("Werkgever").select_option(label="Distributiecentrum Ypenburg")
    bob.get_by_label("Startdatum").fill(start.isoformat())
    bob.get_by_label("Soort contract").select_option("tijdelijk")
    bob.get_by_label("Uren per week").fill("24")
    bob.get_by_label("Subsidie").select_option("lks")
    # Loonkostensubsidie without a wage value is refused by the service, with the reason.
    bob.get_by_role("button", name="Plaatsing vastleggen").click()
    expect(bob.get_by_role("alert")).to_contain_text(
        "Bij loonkostensubsidie hoort de vastgestelde loonwaarde"
    )
    assert axe_violations(bob) == []
    bob.get_by_label("Loonwaarde (% van het wettelijk minimumloon)").fill("60")
    bob.get_by_role("button", name="Plaatsing vastleggen").click()
    expect(bob.get_by_role("status")).to_contain_text("is vastgelegd")
    expect(
        bob.get_by_role("heading", name="Plaatsing bij Distributiecentrum Ypenburg", level=1)
    ).to_be_visible()
    assert axe_violations(bob) == []
    placement = Placement.objects.get(client_id="KB0002")
    assert (placement.subsidy, placement.created_by.username) == ("lks", "bob")

    nav(bob, "Werklijst")
    row = bob.get_by_role(
        "row", name=re.compile("nazorgcontact na 3 maanden bij Distributiecentrum Ypenburg")
    )
    expect(row).to_be_visible()
    assert axe_violations(bob) == []
    row.get_by_role("link", name=re.compile("Nazorg vastleggen")).click()
    expect(bob.get_by_label("Nazorgmoment", exact=True)).to_have_value("3")
    bob.get_by_role("radio", name="Ja").check()
    bob.get_by_label("Opmerkingen").fill("Werkt goed mee, werkgever tevreden.")
    bob.get_by_role("button", name="Nazorgcontact vastleggen").click()
    expect(bob.get_by_role("status")).to_contain_text("Het nazorgcontact (na 3 maanden) is vastgelegd")
    expect(bob.locator("main")).to_contain_text("nog aan het werk")
    assert axe_violations(bob) == []
    assert NazorgContact.objects.filter(placement=placement, moment_months=3, still_at_work=True).exists()
    nav(bob, "Werklijst")
    expect(bob.get_by_role("row", name=re.compile("nazorgcontact na 3 maanden"))).to_have_count(0)

    # The accountmanager of E1 sees the consultant's placement, anonymised, and marks it seen.
    am = login(new_page(), "am")
    nav(am, "Werkgevers")
    signals = am.get_by_role("region", name=re.compile("Plaatsingen door consulenten"))
    expect(signals).to_contain_text("Distributiecentrum Ypenburg")
    expect(signals).not_to_contain_text("Bakker")
    assert axe_violations(am) == []
    signals.get_by_role("button", name=re.compile("^Gezien")).click()
    expect(am.get_by_role("status")).to_contain_text("Gemarkeerd als gezien")
    assert axe_violations(am) == []

    problems = []
    bob.set_viewport_size(PHONE)
    for path in (
        reverse("employers:placement_new", args=["KB0002"]),
        reverse("employers:placement", args=[placement.pk]),
        reverse("employers:placement_correct", args=[placement.pk]),
        reverse("casework:worklist"),
    ):
        problems += phone_problems(bob, live_server.url + path, path)
    assert problems == []
