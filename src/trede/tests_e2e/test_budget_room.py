"""Room beyond a budget line in the browser (issue 9, point 4; decision 55): an approval that
would take the line "trajecten" beyond its budget is refused for the teamleider, with the way
on; the contract manager allows room on the budget page, written the Dutch way (1.250,50)
and with a reason; a second submit of the same form adds nothing; then the same approval
passes. Every page visited is checked with axe-core, the budget page also at 390 px."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from .axe import axe_violations
from .conftest import E2E
from .phone import PHONE, phone_problems
from .test_journeys import nav

pytestmark = E2E


def test_a_contract_manager_allows_room_beyond_a_budget_line_and_the_approval_then_passes(
    world, live_server, new_page, login
):
    from trede.finance.models import Budget, BudgetAllowance, Payment
    from trede.instruments.models import Claim

    year = timezone.localdate().year
    # The world's contract books on "trajecten"; a budget of € 1.000 for this year is less
    # than the € 2.000 the provider will claim.
    Budget.objects.create(
        budget_id="B-E2E",
        year=year,
        line="trajecten",
        funding="reintegratiebudget",
        amount_eur=Decimal("1000"),
    )

    provider = login(new_page(), "aanbieder_p")
    nav(provider, "Declaraties")
    provider.get_by_role("button", name="Declaratie indienen").click()
    expect(provider.get_by_role("status")).to_contain_text("is ingediend")
    claim = Claim.objects.latest("pk")

    manager = login(new_page(), "contractmanager")
    nav(manager, "Declaraties")
    manager.get_by_role("link", name=claim.number, exact=True).click()
    manager.get_by_role("button", name="Gecontroleerd").click()
    expect(manager.get_by_role("status")).to_contain_text("gecontroleerd")

    # The teamleider approves: refused, nothing is booked, and the page says who can go on.
    approver = login(new_page(), "tl_noord")
    nav(approver, "Declaraties")
    approver.get_by_role("link", name=claim.number, exact=True).click()
    approver.get_by_role("button", name="Goedkeuren en betalen").click()
    refusal = approver.get_by_role("alert")
    expect(refusal).to_contain_text("Boven het plafond")
    expect(refusal).to_contain_text("trajecten")
    assert axe_violations(approver) == []
    assert not Payment.objects.filter(payment_id__startswith="TREDE-DECL-").exists()

    # The contract manager allows room on the budget page; a mistake first gets a message.
    nav(manager, "Budget")
    expect(manager.get_by_role("heading", name="Ruimte boven het budget")).to_be_visible()
    expect(manager.get_by_text(f"Geen ruimte boven het budget toegestaan in {year}.")).to_be_visible()
    form = manager.locator("form", has=manager.get_by_role("button", name="Ruimte toestaan"))
    form.get_by_label("Begrotingsregel").select_option(value="trajecten|reintegratiebudget")
    form.get_by_label("Ruimte boven het budget (euro)").fill("1.250,50")
    form.get_by_label("Reden").fill("kort")
    form.get_by_role("button", name="Ruimte toestaan").click()
    expect(manager.get_by_text(re.compile("Geef als reden|minimaal|ten minste")).first).to_be_visible()
    assert not BudgetAllowance.objects.exists()
    assert axe_violations(manager) == []

    form = manager.locator("form", has=manager.get_by_role("button", name="Ruimte toestaan"))
    form.get_by_label("Begrotingsregel").select_option(value="trajecten|reintegratiebudget")
    form.get_by_label("Ruimte boven het budget (euro)").fill("1.250,50")
    form.get_by_label("Reden").fill("Raadsbesluit extra trajecten voor statushouders.")
    # A double click is one submission: the submission key makes the second one a no-op.
    form.get_by_role("button", name="Ruimte toestaan").dblclick()
    room = manager.get_by_role("region", name="Toegestane ruimte boven het budget")
    expect(room).to_contain_text("€ 1.250,50")
    expect(room).to_contain_text("Raadsbesluit extra trajecten voor statushouders.")
    allowance = BudgetAllowance.objects.get()
    assert allowance.amount_eur == Decimal("1250.50")
    assert Budget.objects.get(budget_id="B-E2E").amount_eur == Decimal("1000")  # the council's budget
    assert axe_violations(manager) == []
    manager.set_viewport_size(PHONE)
    assert phone_problems(manager, f"{live_server.url}/budget/", "/budget/") == []

    # Now the same approval passes and the provider's claim counts as paid.
    nav(approver, "Declaraties")
    approver.get_by_role("link", name=claim.number, exact=True).click()
    approver.get_by_role("button", name="Goedkeuren en betalen").click()
    expect(approver.get_by_role("status")).to_contain_text("goedgekeurd en telt als betaald")
    assert Payment.objects.filter(payment_id__startswith="TREDE-DECL-").count() == claim.lines.count()
    assert axe_violations(approver) == []
