"""Budget and ceilings in the browser (issue 9, point 8): a contract manager sees a provider
cross 90 % of its money ceiling after an approval, on the budget page and as a signal on
"Declaraties"; beyond 100 % only the contract manager approves, with a reason. axe-core
finds no violation on any page visited."""

from __future__ import annotations

import re
from decimal import Decimal

from playwright.sync_api import expect

from .axe import axe_violations
from .conftest import E2E
from .test_journeys import nav

pytestmark = E2E


def test_a_contract_manager_sees_a_provider_cross_90_percent_of_its_ceiling(
    world, live_server, new_page, login
):
    from trede.finance.models import CeilingOverride, Payment
    from trede.instruments.models import Claim

    contract = world.extra["contract"]
    contract.money_ceiling_eur = Decimal("2200.00")
    contract.save()

    manager = login(new_page(), "contractmanager")
    nav(manager, "Budget")
    expect(manager.get_by_role("heading", name=re.compile(r"^Budget \d{4}$"), level=1)).to_be_visible()
    ceilings = manager.get_by_role("table", name=re.compile("Gebruik van de plafonds"))
    expect(ceilings.get_by_role("row", name=re.compile("C-2023-P1-WEP geld"))).to_contain_text(
        "binnen het plafond"
    )
    expect(manager.get_by_role("heading", name="Signalen: plafonds")).to_have_count(0)
    assert axe_violations(manager) == []

    # The provider claims instalments 2-6 of TA1 (€ 2.000); the manager checks, a teamleider approves.
    provider = login(new_page(), "aanbieder_p")
    nav(provider, "Declaraties")
    provider.get_by_role("button", name="Declaratie indienen").click()
    expect(provider.get_by_role("status")).to_contain_text("is ingediend")
    claim = Claim.objects.latest("pk")
    nav(manager, "Declaraties")
    manager.get_by_role("link", name=claim.number, exact=True).click()
    manager.get_by_role("button", name="Gecontroleerd").click()
    expect(manager.get_by_role("status")).to_contain_text("gecontroleerd")
    approver = login(new_page(), "tl_noord")
    nav(approver, "Declaraties")
    approver.get_by_role("link", name=claim.number, exact=True).click()
    expect(approver.get_by_role("region", name="Geldplafond")).to_contain_text("boven de waarschuwingsgrens")
    assert axe_violations(approver) == []
    approver.get_by_role("button", name="Goedkeuren en betalen").click()
    expect(approver.get_by_role("status")).to_contain_text("goedgekeurd en telt als betaald")
    assert Payment.objects.filter(payment_id__startswith="TREDE-DECL-").count() == 5

    # 2.000 of 2.200: past 90 %, on the budget page and as a signal on "Declaraties".
    nav(manager, "Budget")
    signals = manager.get_by_role("region", name="Signalen: plafonds")
    expect(signals).to_contain_text("Werkbedrijf Noord, contract C-2023-P1-WEP (geldplafond): 90,9 %")
    expect(ceilings.get_by_role("row", name=re.compile("C-2023-P1-WEP geld"))).to_contain_text(
        "boven de waarschuwingsgrens"
    )
    assert axe_violations(manager) == []
    nav(manager, "Declaraties")
    expect(manager.get_by_role("region", name="Signalen: plafonds")).to_contain_text("90,9 %")
    assert axe_violations(manager) == []

    # The first instalment's claim (€ 400) would take it to 2.400: the teamleider checks it,
    # the contract manager approves it only with a reason, which is kept.
    first = world.extra["claim"]
    nav(approver, "Declaraties")
    approver.get_by_role("link", name=first.number, exact=True).click()
    approver.get_by_role("button", name="Gecontroleerd").click()
    expect(approver.get_by_role("status")).to_contain_text("gecontroleerd")
    nav(manager, "Declaraties")
    manager.get_by_role("link", name=first.number, exact=True).click()
    expect(manager.get_by_role("region", name="Geldplafond")).to_contain_text("boven het plafond")
    assert axe_violations(manager) == []
    manager.get_by_role("button", name="Goedkeuren en betalen").click()
    expect(manager.get_by_role("alert")).to_contain_text("Boven het plafond")
    manager.get_by_label("Reden om boven het plafond goed te keuren").fill(
        "Extra plaatsen afgesproken met de wethouder."
    )
    manager.get_by_role("button", name="Goedkeuren en betalen").click()
    expect(manager.get_by_role("status")).to_contain_text("goedgekeurd en telt als betaald")
    assert CeilingOverride.objects.get().reason == "Extra plaatsen afgesproken met de wethouder."
    nav(manager, "Budget")
    expect(manager.get_by_role("region", name="Signalen: plafonds")).to_contain_text("plafond bereikt")
    assert axe_violations(manager) == []
