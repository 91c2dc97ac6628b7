"""The money rules through the database: for any trajectory history and any sequence of
submits, rejections and approvals on any days, no line is paid twice, recoveries stay
within what was paid, and what was paid in the end is what the contract says
(`billing.contract_total`)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from trede.accounts.models import Role
from trede.casework.tests.factories_plans import UserFactory
from trede.instruments.claims import selectors, services
from trede.instruments.claims.billing import ContractTerms, TrajectoryEvents, contract_total
from trede.instruments.models import ClaimLine
from trede.instruments.tests.factories import (
    ContractFactory,
    InstrumentFactory,
    ProviderFactory,
    TrajectoryFactory,
)

START = date(2025, 1, 1)
steps = st.lists(
    st.tuples(st.integers(0, 600), st.sampled_from(["approve", "reject", "leave"]), st.booleans()), max_size=6
)


class ClaimSequences(TestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        end_days=st.one_of(st.none(), st.integers(0, 400)),
        result=st.sampled_from(["geslaagd", "niet_geslaagd", "voortijdig_gestopt"]),
        repayment=st.sampled_from(["geen", "bedrag", "aandeel"]),
        plan=steps,
    )
    def test_any_sequence_pays_what_the_contract_says(self, end_days, result, repayment, plan):
        provider = ProviderFactory()
        instrument = InstrumentFactory()
        terms = {
            "geen": {},
            "bedrag": {"repayment_eur": Decimal("900")},
            "aandeel": {"repayment_pct": Decimal("50")},
        }
        contract = ContractFactory(
            provider=provider,
            instruments=[instrument],
            start_date=START,
            repayment=repayment,
            **terms[repayment],
        )
        end = START + timedelta(days=end_days) if end_days is not None else None
        trajectory = TrajectoryFactory(
            provider=provider,
            instrument=instrument,
            referral_date=START,
            start_date=START,
            end_date=end,
            result=result if end else "",
        )
        staff = UserFactory(role=Role.AANBIEDER, provider=provider)
        a, b = UserFactory(role=Role.CONTRACTMANAGER), UserFactory(role=Role.TEAMLEIDER)

        def pay(claim):
            services.claim_check(user=a, claim=claim)
            services.claim_approve(user=b, claim=claim)

        for offset, action, take_all in sorted(plan):
            day = START + timedelta(days=offset)
            due = selectors.due_lines([provider.pk], as_of=day)
            keys = [d.key_text for d in due] if take_all else [d.key_text for d in due[:1]]
            if keys:
                claim = services.claim_submit(user=staff, keys=keys, as_of=day)
                if action == "approve":
                    pay(claim)
                elif action == "reject":
                    services.claim_reject(user=a, claim=claim, reason="Niet aangetoond")
        # Then settle everything: open claims approved, all due lines and recoveries paid.
        final = START + timedelta(days=800)
        for claim in provider.claims.filter(status="ingediend"):
            pay(claim)
        for _round in range(3):
            due = selectors.due_lines([provider.pk], as_of=final)
            if due:
                pay(services.claim_submit(user=staff, keys=[d.key_text for d in due], as_of=final))
            recovery = services.recoveries_create(user=a, provider=provider, as_of=final)
            if recovery is not None:
                services.claim_check(user=b, claim=recovery)
                services.claim_approve(user=UserFactory(role=Role.CONTRACTMANAGER), claim=recovery)
        paid = ClaimLine.objects.filter(claim__status="goedgekeurd", trajectory=trajectory)
        keys = list(paid.values_list("kind", "seq"))
        assert len(keys) == len(set(keys)), "a line paid twice"
        positive = sum((line.amount_eur for line in paid if line.kind != "terugvordering"), Decimal(0))
        recovered = -sum((line.amount_eur for line in paid if line.kind == "terugvordering"), Decimal(0))
        assert Decimal(0) <= recovered <= positive
        expected = contract_total(ContractTerms.of(contract), TrajectoryEvents.of(trajectory), final)
        assert positive - recovered == expected
