"""Budget lines as ceilings: a payment that takes a line beyond its budget (plus the room a
contract manager allowed) is refused at approval, for claims and premiums alike; a contract
manager may go beyond it with a reason (the room exactly needed is kept), or allow room on
the budget page beforehand. Nothing of this changes the budget itself."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.audit.rendering import describe
from trede.casework.tests.factories_plans import UserFactory
from trede.finance import ceilings
from trede.finance.models import Budget, BudgetAllowance, Payment
from trede.finance.premiums import services as premiums
from trede.finance.services import budget_allowance_create
from trede.instruments.claims import selectors, services
from trede.instruments.models import Claim
from trede.instruments.tests.factories import (
    ContractFactory,
    InstrumentFactory,
    ProviderFactory,
    TrajectoryFactory,
)

pytestmark = pytest.mark.django_db
AS_OF = date(2024, 12, 1)


@pytest.fixture
def s(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    year = timezone.localdate().year  # approval books on today
    provider = ProviderFactory(provider_id="P7", name="Werkbedrijf Zeven")
    wep = InstrumentFactory(instrument_code="WEP7")
    # T-OK: 6 × 400 + 1500 = 3900 once approved; no contract ceiling.
    ContractFactory(reference="C-7", provider=provider, instruments=[wep], budget_line="trajecten")
    TrajectoryFactory(trajectory_id="T-OK", provider=provider, instrument=wep, succeeded=True)
    Budget.objects.create(
        budget_id="B1", year=year, line="trajecten", funding="reintegratiebudget", amount_eur=Decimal("3000")
    )
    return {
        "year": year,
        "provider": provider,
        "staff": UserFactory(role=Role.AANBIEDER, provider=provider),
        "cm": UserFactory(role=Role.CONTRACTMANAGER, username="cm"),
        "cm2": UserFactory(role=Role.CONTRACTMANAGER, username="cm2"),
        "tl": UserFactory(role=Role.TEAMLEIDER, username="tl"),
        "beleid": UserFactory(role=Role.BELEID, username="beleid"),
    }


def _checked(s, checker):
    keys = [d.key_text for d in selectors.due_lines([s["provider"].pk], as_of=AS_OF)]
    claim = services.claim_submit(user=s["staff"], keys=keys, as_of=AS_OF)
    return services.claim_check(user=checker, claim=claim)


def test_paying_beyond_a_lines_budget_is_refused_and_nothing_is_booked(s):
    claim = _checked(s, s["cm"])
    with pytest.raises(ValidationError) as refused:
        services.claim_approve(user=s["tl"], claim=claim)
    text = " ".join(refused.value.messages)
    assert "begrotingsregel trajecten" in text and "€ 3.900,00" in text and "€ 3.000,00" in text
    assert Claim.objects.get(pk=claim.pk).status == "gecontroleerd"
    assert not Payment.objects.exists() and not BudgetAllowance.objects.exists()
    event = AuditEvent.objects.get(event="budget_line_refused")
    assert "trajecten" in describe(event) and event.object_type == "begrotingsregel"
    # A teamleider cannot go beyond it with a reason; a contract manager can.
    with pytest.raises(ValidationError, match="Alleen een contractmanager"):
        services.claim_approve(user=s["tl"], claim=claim, override_reason="Extra trajecten in overleg.")
    services.claim_approve(user=s["cm2"], claim=claim, override_reason="Raad heeft extra budget toegekend.")
    allowance = BudgetAllowance.objects.get()
    # Exactly the room needed: 3900 − 3000.
    assert (allowance.amount_eur, allowance.use_before, allowance.ceiling_before) == (
        Decimal("900.00"),
        Decimal("0.00"),
        Decimal("3000.00"),
    )
    assert (allowance.claim, allowance.created_by, allowance.line) == (claim, s["cm2"], "trajecten")
    assert "Raad heeft extra budget toegekend." in describe(
        AuditEvent.objects.get(event="budget_allowance_made")
    )
    assert Payment.objects.filter(line="trajecten").count() == claim.lines.count()
    assert Budget.objects.get().amount_eur == Decimal("3000")  # the council's budget is unchanged


def test_room_allowed_beforehand_lets_the_approval_pass(s):
    budget_allowance_create(
        user=s["cm"],
        year=s["year"],
        line="trajecten",
        funding="reintegratiebudget",
        amount_eur=Decimal("900"),
        reason="Besluit college: extra trajecten.",
    )
    claim = _checked(s, s["cm"])
    services.claim_approve(user=s["tl"], claim=claim)  # exactly at 100 % of 3000 + 900
    assert Claim.objects.get(pk=claim.pk).status == "goedgekeurd"
    assert BudgetAllowance.objects.count() == 1


def test_allowance_is_the_contract_managers_and_checked(s):
    common = {"year": s["year"], "line": "trajecten", "funding": "reintegratiebudget"}
    with pytest.raises(PermissionDenied):
        budget_allowance_create(user=s["tl"], amount_eur=100, reason="Om een goede reden.", **common)
    with pytest.raises(ValidationError) as refused:
        budget_allowance_create(user=s["cm"], amount_eur=0, reason="kort", **common)
    assert len(refused.value.messages) == 2
    with pytest.raises(ValidationError, match="is voorbij"):
        budget_allowance_create(
            user=s["cm"], **(common | {"year": s["year"] - 1}), amount_eur=100, reason="Om een goede reden."
        )
    with pytest.raises(ValidationError, match="geen budget"):
        budget_allowance_create(
            user=s["cm"], **(common | {"line": "werkpremies"}), amount_eur=100, reason="Om een goede reden."
        )
    assert not BudgetAllowance.objects.exists() and not AuditEvent.objects.filter(
        event="budget_allowance_made"
    )


def test_premium_approval_beyond_its_line_is_refused_until_room_is_allowed(s):
    from trede.benefits.tests.factories import BenefitFactory
    from trede.casework.tests.factories import ConsultantFactory
    from trede.clients.tests.factories import ClientFactory

    Budget.objects.create(
        budget_id="B2", year=s["year"], line="uitstroompremie", funding="reintegratiebudget", amount_eur=100
    )
    consultant = ConsultantFactory(team="Noord")
    person = ClientFactory(client_id="KP0001", consultant=consultant)
    BenefitFactory(client=person, start_date=date(2020, 1, 1), end_date=date(2021, 3, 1), end_reason="werk")
    inkomen = UserFactory(username="ink", role=Role.CONSULENT_INKOMEN, team="Noord")
    tl = UserFactory(username="tln", role=Role.TEAMLEIDER, team="Noord")
    today = timezone.localdate()
    part = premiums.premium_propose(
        user=inkomen, client=person, scheme="uitstroompremie", part=1, as_of=today
    )
    premiums.premium_check(user=inkomen, part=part)
    with pytest.raises(premiums.PremiumRefused, match="Vraag de contractmanager om ruimte"):
        premiums.premium_approve(user=tl, part=part, as_of=today)
    assert not Payment.objects.exists()
    assert AuditEvent.objects.filter(event="budget_line_refused").count() == 1
    assert AuditEvent.objects.filter(event="premium_refused").count() == 1
    budget_allowance_create(
        user=s["cm"],
        year=s["year"],
        line="uitstroompremie",
        funding="reintegratiebudget",
        amount_eur=Decimal("275"),
        reason="Meer duurzame uitstroom dan begroot.",
    )
    paid = premiums.premium_approve(user=tl, part=part, as_of=today)
    assert paid.status == "betaald" and paid.payment.line == "uitstroompremie"


def test_the_budget_page_offers_the_form_to_the_contract_manager_only(s, client):
    client.force_login(s["beleid"])
    page = client.get(reverse("finance:budget"))
    assert page.status_code == 200 and "Ruimte toestaan" not in page.content.decode()
    assert client.post(reverse("finance:budget_allowance")).status_code == 403
    client.force_login(s["cm"])
    page = client.get(reverse("finance:budget"))
    html = page.content.decode()
    assert "Ruimte toestaan" in html and 'value="trajecten|reintegratiebudget"' in html
    key = page.context["allowance_form"]["submission_key"].value()
    data = {
        "regel": "trajecten|reintegratiebudget",
        "amount_eur": "1.250,50",
        "reason": "Besluit college 12 november.",
        "submission_key": key,
    }
    url = reverse("finance:budget_allowance") + f"?jaar={s['year']}"
    first = client.post(url, data)
    assert first.status_code == 302, first.context["allowance_form"].errors
    assert client.post(url, data).status_code == 302  # a double submit makes one
    allowance = BudgetAllowance.objects.get()
    assert allowance.amount_eur == Decimal("1250.50") and allowance.created_by == s["cm"]
    html = client.get(reverse("finance:budget")).content.decode()
    assert "€ 1.250,50" in html and "Besluit college 12 november." in html
    bad = client.post(url, data | {"amount_eur": "-5", "submission_key": ""})
    assert bad.status_code == 400 and BudgetAllowance.objects.count() == 1


def test_a_line_at_its_ceiling_signals_block(s):
    from trede.finance.selectors import as_of_through, ceiling_signals

    claim = _checked(s, s["cm"])
    services.claim_approve(user=s["cm2"], claim=claim, override_reason="Raad heeft extra budget toegekend.")
    signals = ceiling_signals(as_of=as_of_through(timezone.localdate()))
    (line,) = [f for f in signals.block if f.contract_pk is None]
    assert (line.subject, line.use, line.ceiling, line.budget) == (
        "trajecten",
        Decimal("3900"),
        Decimal("3900"),
        Decimal("3000"),
    )


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2)


@given(after=money, ceiling=money, block=st.sampled_from([Decimal(100), Decimal(95), Decimal(110)]))
def test_room_needed_is_the_smallest_raise_that_lets_the_use_pass(after, ceiling, block):
    thresholds = ceilings.Thresholds(warn_pct=Decimal(90), block_pct=block)
    room = ceilings.room_needed(after, ceiling, thresholds)
    assert room >= 0
    assert not ceilings.blocked(Decimal(0), after, ceiling + room, thresholds)
    if room > 0:
        assert ceilings.blocked(Decimal(0), after, ceiling + room - ceilings.CENT, thresholds)
