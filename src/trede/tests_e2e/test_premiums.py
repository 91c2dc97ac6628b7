"""Premiums in the browser (issue 9, point 5): the inkomen consultant proposes an earned
part of the uitstroompremie and checks it, gets no approve button; the teamleider approves
and pays it; both see it paid with its payment number. axe-core finds no violation on any
page visited."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from .axe import axe_violations
from .conftest import E2E
from .test_journeys import nav

pytestmark = E2E


def test_premium_proposed_checked_approved_by_another_and_seen_paid(world, live_server, new_page, login):
    from trede.benefits.models import Benefit
    from trede.casework.models import Consultant
    from trede.clients.models import Client
    from trede.finance.models import Payment, PremiumPart

    # Sanne's team: out of benefit to work on 1 March 2023 after four years.
    client = Client.objects.create(
        client_id="KP1234",
        bsn="111222333",
        given_name="Pieter",
        family_name="Premie",
        birth_date=date(1985, 1, 1),
        consultant=Consultant.objects.get(consultant_id="M-SANNE"),
    )
    Benefit.objects.create(
        benefit_id="UP1",
        client=client,
        regulation="pw",
        start_date=date(2019, 1, 1),
        end_date=date(2023, 3, 1),
        end_reason="werk",
    )

    inkomen = login(new_page(), "inkomen")
    nav(inkomen, "Premies")
    expect(inkomen.get_by_role("heading", name="Premies", level=1)).to_be_visible()
    expect(inkomen.get_by_role("row", name=re.compile("Pieter Premie"))).to_have_count(2)
    assert axe_violations(inkomen) == []
    inkomen.get_by_role("button", name="Deel 1 van Pieter Premie voorstellen").click()
    expect(inkomen.get_by_role("status")).to_contain_text("is voorgesteld")
    part = PremiumPart.objects.get()
    inkomen.get_by_role("button", name=f"{part.number} gecontroleerd").click()
    expect(inkomen.get_by_role("status")).to_contain_text("is gecontroleerd")
    # The one who proposed and checked gets no approve button, and the page says why.
    expect(inkomen.get_by_role("button", name=re.compile("goedkeuren en betalen"))).to_have_count(0)
    expect(inkomen.get_by_text("een collega keurt het goed (vier ogen)")).to_be_visible()
    assert axe_violations(inkomen) == []

    approver = login(new_page(), "tl_noord")
    nav(approver, "Premies")
    approver.get_by_role("button", name=f"{part.number} goedkeuren en betalen").click()
    expect(approver.get_by_role("status")).to_contain_text("goedgekeurd en betaald")
    assert axe_violations(approver) == []
    part.refresh_from_db()
    assert part.status == "betaald" and part.checked_by.username == "inkomen"
    assert part.approved_by.username == "tl_noord"
    assert Payment.objects.get(pk=f"TREDE-PREMIE-{part.pk}").kind == "premie"

    inkomen.reload()
    expect(inkomen.get_by_role("row", name=re.compile(part.number))).to_contain_text(
        f"TREDE-PREMIE-{part.pk}"
    )
    # Part 1 is paid: only part 2 is still to propose.
    # (Other clients of the shared world earn werkpremie months: only Pieter's buttons count.)
    expect(inkomen.get_by_role("button", name=re.compile("van Pieter Premie voorstellen"))).to_have_count(1)
    assert axe_violations(inkomen) == []
