"""Ceilings in use: approval beyond a contract's money ceiling is refused unless a contract
manager gives a reason (kept, audited); a referral service's `ensure_within_ceiling`;
the signals of contracts and lines past 90 % and 100 %."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.audit.rendering import describe
from trede.casework.tests.factories_plans import UserFactory
from trede.finance import ceilings
from trede.finance.models import Budget, CeilingOverride, Payment
from trede.finance.selectors import as_of_through, ceiling_signals, contract_ceilings
from trede.finance.services import CeilingExceeded, ensure_within_ceiling
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
def s():
    provider = ProviderFactory(provider_id="P9", name="Werkbedrijf Negen")
    wep = InstrumentFactory(instrument_code="WEP9")
    # T-OK: 6 × 400 + 1500 = 3900 once approved (ended, so nothing more is committed).
    contract = ContractFactory(
        reference="C-9", provider=provider, instruments=[wep], money_ceiling_eur=Decimal("4000")
    )
    TrajectoryFactory(trajectory_id="T-OK", provider=provider, instrument=wep, succeeded=True)
    return {
        "provider": provider,
        "wep": wep,
        "contract": contract,
        "staff": UserFactory(role=Role.AANBIEDER, provider=provider),
        "cm": UserFactory(role=Role.CONTRACTMANAGER, username="cm"),
        "tl": UserFactory(role=Role.TEAMLEIDER, username="tl"),
    }


def _checked(s, checker):
    keys = [d.key_text for d in selectors.due_lines([s["provider"].pk], as_of=AS_OF)]
    claim = services.claim_submit(user=s["staff"], keys=keys, as_of=AS_OF)
    return services.claim_check(user=checker, claim=claim)


def _money(**kw):
    (figures,) = [f for f in contract_ceilings(as_of=AS_OF, **kw) if f.measure == ceilings.GELD]
    return figures


def test_an_approval_that_crosses_90_percent_is_allowed_and_signalled(s):
    assert _money().use == 0 and _money().status == ceilings.BINNEN
    services.claim_approve(user=s["tl"], claim=_checked(s, s["cm"]))
    figures = _money()
    assert figures.use == Decimal("3900") and figures.status == ceilings.WAARSCHUWING
    signals = ceiling_signals(as_of=AS_OF)
    assert [f.subject for f in signals.warn] == ["C-9"] and signals.block == []


def test_beyond_the_money_ceiling_only_a_contract_manager_with_a_reason(s):
    s["contract"].money_ceiling_eur = Decimal("3000")
    s["contract"].save()
    claim = _checked(s, s["tl"])
    cm2 = UserFactory(role=Role.CONTRACTMANAGER, username="cm2")
    with pytest.raises(ValidationError) as refused:
        services.claim_approve(user=cm2, claim=claim)
    text = " ".join(refused.value.messages)
    assert "Boven het plafond" in text and "C-9" in text and "€ 3.900,00" in text and "€ 3.000,00" in text
    # Nothing changed; the refusal is audited.
    assert Claim.objects.get(pk=claim.pk).status == "gecontroleerd" and not Payment.objects.exists()
    assert AuditEvent.objects.filter(event="ceiling_refused").count() == 1
    assert AuditEvent.objects.filter(event="claim_refused", object_id=str(claim.pk)).count() == 1
    # A teamleider may approve, but not beyond a ceiling, with or without a reason.
    tl2 = UserFactory(role=Role.TEAMLEIDER, username="tl2")
    with pytest.raises(ValidationError, match="Alleen een contractmanager"):
        services.claim_approve(
            user=tl2, claim=claim, override_reason="Extra trajecten afgesproken in overleg."
        )
    with pytest.raises(ValidationError, match="10 tot 500 tekens"):
        services.claim_approve(user=cm2, claim=claim, override_reason="kort")
    assert not CeilingOverride.objects.exists()
    services.claim_approve(user=cm2, claim=claim, override_reason="Raad heeft extra budget toegekend.")
    override = CeilingOverride.objects.get()
    assert (override.claim, override.contract, override.created_by) == (claim, s["contract"], cm2)
    assert (override.use_before, override.use_after, override.ceiling) == (
        0,
        Decimal("3900"),
        Decimal("3000"),
    )
    assert override.reason == "Raad heeft extra budget toegekend." and override.subject == "goedkeuring"
    event = AuditEvent.objects.get(event="ceiling_overridden")
    assert "Raad heeft extra budget toegekend." in describe(event)
    assert Payment.objects.count() == claim.lines.count()
    assert _money().status == ceilings.BLOKKADE
    assert [f.subject for f in ceiling_signals(as_of=AS_OF).block] == ["C-9"]


def test_a_recovery_is_never_refused_by_a_ceiling(s):
    s["contract"].money_ceiling_eur = Decimal("0")
    s["contract"].save()
    TrajectoryFactory(trajectory_id="T-NO", provider=s["provider"], instrument=s["wep"], failed=True)
    claim = _checked(s, s["tl"])
    services.claim_approve(
        user=UserFactory(role=Role.CONTRACTMANAGER), claim=claim, override_reason="Afgesproken met de raad."
    )
    recovery = services.recoveries_create(user=s["cm"], provider=s["provider"], as_of=AS_OF)
    services.claim_check(user=s["tl"], claim=recovery)
    services.claim_approve(user=UserFactory(role=Role.TEAMLEIDER), claim=recovery)
    assert Claim.objects.get(pk=recovery.pk).status == "goedgekeurd"


def test_running_trajectories_commit_their_expected_cost(s):
    TrajectoryFactory(
        trajectory_id="T-RUN",
        provider=s["provider"],
        instrument=s["wep"],
        started=True,
        cost_eur=Decimal("2000"),
    )
    assert _money().use == Decimal("2000")
    # Approving its instalments (within the expected cost) leaves the use where it was.
    figures = _money(extra_paid={s["contract"].pk: {"T-RUN": Decimal("1200")}})
    assert figures.use_after == Decimal("2000") and not figures.blocked
    figures = _money(extra_paid={s["contract"].pk: {"T-OK": Decimal("2500")}})
    assert figures.use_after == Decimal("4500") and figures.blocked


def test_ensure_within_ceiling_refuses_one_trajectory_too_many_in_dutch(s):
    s["contract"].volume_ceiling = 2
    s["contract"].save()
    figures, overrides = ensure_within_ceiling(s["contract"], user=s["cm"], as_of=AS_OF)
    assert overrides == [] and any(f.measure == "volume" and f.use_after == 2 for f in figures)
    TrajectoryFactory(trajectory_id="T-2", provider=s["provider"], instrument=s["wep"])
    consultant = UserFactory(role=Role.CONSULENT_WERK)
    with pytest.raises(CeilingExceeded) as refused:
        ensure_within_ceiling(s["contract"], user=consultant, as_of=AS_OF)
    assert "volumeplafond van 2 trajecten" in refused.value.messages[0]
    assert AuditEvent.objects.filter(event="ceiling_refused").count() == 1
    with pytest.raises(ValidationError, match="Alleen een contractmanager"):
        ensure_within_ceiling(s["contract"], user=consultant, override_reason="Dringend, wachtlijst elders.")
    _figures, (override,) = ensure_within_ceiling(
        s["contract"], user=s["cm"], override_reason="Dringend, wachtlijst elders.", as_of=AS_OF
    )
    assert (override.subject, override.measure, override.use_after) == ("verwijzing", "volume", 3)


def test_ensure_within_ceiling_refuses_when_the_money_ceiling_is_reached(s):
    s["contract"].money_ceiling_eur = Decimal("3900")
    s["contract"].save()
    services.claim_approve(user=s["tl"], claim=_checked(s, s["cm"]))
    with pytest.raises(CeilingExceeded, match="geldplafond"):
        ensure_within_ceiling(s["contract"], user=s["tl"], as_of=AS_OF)


def test_a_budget_line_past_90_percent_is_signalled(s):
    today = timezone.localdate()
    Budget.objects.create(
        budget_id="B1", year=today.year, line="trajecten", funding="reintegratiebudget", amount_eur=4000
    )
    services.claim_approve(user=s["tl"], claim=_checked(s, s["cm"]))
    assert "trajecten" not in [f.subject for f in ceiling_signals(as_of=today).warn]  # paid today
    signals = ceiling_signals(as_of=as_of_through(today))
    assert "trajecten" in [f.subject for f in signals.warn]


def test_the_claim_page_shows_the_ceiling_and_takes_the_reason(s, client):
    s["contract"].money_ceiling_eur = Decimal("3000")
    s["contract"].save()
    claim = _checked(s, s["tl"])
    url = reverse("instruments:claim", args=[claim.pk])
    tl2 = UserFactory(role=Role.TEAMLEIDER, username="tl2")
    client.force_login(tl2)
    page = client.get(url).content.decode()
    assert "Geldplafond" in page and "€ 3.900,00" in page and "Alleen een contractmanager" in page
    assert 'name="plafondreden"' not in page
    assert client.post(url, {"actie": "goedkeuren"}).status_code == 409
    cm2 = UserFactory(role=Role.CONTRACTMANAGER, username="cm2")
    client.force_login(cm2)
    page = client.get(url).content.decode()
    assert 'name="plafondreden"' in page
    response = client.post(url, {"actie": "goedkeuren", "plafondreden": "Raad heeft extra budget toegekend."})
    assert response.status_code == 302
    assert Claim.objects.get(pk=claim.pk).status == "goedgekeurd" and CeilingOverride.objects.count() == 1
    # The signal on the claims page.
    page = client.get(reverse("instruments:claims")).content.decode()
    assert "Signalen: plafonds" in page and "Werkbedrijf Negen, contract C-9 (geldplafond)" in page


def test_on_the_last_day_of_a_year_its_lines_are_still_signalled(s):
    Budget.objects.create(
        budget_id="B1", year=2024, line="trajecten", funding="reintegratiebudget", amount_eur=100
    )
    client = s["provider"].trajectories.first().client
    Payment.objects.create(
        payment_id="X1",
        client=client,
        date=date(2024, 12, 31),
        amount_eur=95,
        kind="traject",
        funding="reintegratiebudget",
        line="trajecten",
    )
    signals = ceiling_signals(as_of=as_of_through(date(2024, 12, 31)))
    assert [f.subject for f in signals.warn if not f.contract_pk] == ["trajecten"]
