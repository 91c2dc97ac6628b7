"""Prestatiefinanciering in the browser (issue 9, point 8): a provider submits a claim,
one employee checks it, a second approves it and the provider sees it paid; the one who
checked gets no approve button. axe-core finds no violation on any page visited."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .axe import axe_violations
from .conftest import E2E
from .test_journeys import nav

pytestmark = E2E


def test_claim_checked_by_one_approved_by_another_and_seen_paid(world, live_server, new_page, login):
    from trede.instruments.models import Claim

    provider = login(new_page(), "aanbieder_p")
    nav(provider, "Declaraties")
    expect(provider.get_by_role("heading", name="Declaraties van Werkbedrijf Noord", level=1)).to_be_visible()
    # TA1 started on 15 March 2023 under a 6-instalment contract; instalment 1 is claimed already.
    expect(provider.get_by_role("checkbox", name="TA1")).to_have_count(5)
    assert axe_violations(provider) == []
    provider.get_by_role("button", name="Declaratie indienen").click()
    expect(provider.get_by_role("status")).to_contain_text("is ingediend")
    claim = Claim.objects.latest("pk")
    assert claim.lines.count() == 5 and claim.status == "ingediend"
    expect(provider.get_by_text("Er is nu niets te declareren.")).to_be_visible()

    checker = login(new_page(), "contractmanager")
    nav(checker, "Declaraties")
    assert axe_violations(checker) == []
    checker.get_by_role("link", name=claim.number, exact=True).click()
    expect(checker.get_by_role("heading", name=re.compile(claim.number), level=1)).to_be_visible()
    assert axe_violations(checker) == []
    checker.get_by_role("button", name="Gecontroleerd").click()
    expect(checker.get_by_role("status")).to_contain_text("gecontroleerd")
    # The checker may approve claims, but not this one: no button, and the page says why.
    expect(checker.get_by_role("button", name="Goedkeuren en betalen")).to_have_count(0)
    expect(checker.get_by_text("Een collega keurt haar goed (vier ogen)")).to_be_visible()
    assert axe_violations(checker) == []

    approver = login(new_page(), "tl_noord")
    nav(approver, "Declaraties")
    approver.get_by_role("link", name=claim.number, exact=True).click()
    approver.get_by_role("button", name="Goedkeuren en betalen").click()
    expect(approver.get_by_role("status")).to_contain_text("goedgekeurd en telt als betaald")
    assert axe_violations(approver) == []
    claim.refresh_from_db()
    assert claim.checked_by.username == "contractmanager" and claim.approved_by.username == "tl_noord"

    provider.reload()
    expect(provider.get_by_role("row", name=re.compile(claim.number))).to_contain_text("betaald")
    assert axe_violations(provider) == []
