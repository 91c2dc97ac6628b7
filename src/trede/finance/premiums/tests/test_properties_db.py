"""Premiums through the database under Hypothesis: any benefit history, any order of
proposals, checks, rejections and approvals on any days. Never paid twice, part 2 never
paid before part 1, nobody paid under the duration threshold, and a person's payments
never exceed the scheme's total (equal to it once every part is paid)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from trede.accounts.models import Role
from trede.benefits.models import Benefit
from trede.casework.models import Consultant
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.tests.factories import ClientFactory
from trede.finance.models import Payment, PremiumPart, PremiumStatus
from trede.finance.premiums import rules, selectors, services
from trede.utils.dates import add_months

pytestmark = pytest.mark.django_db
DAY0 = date(2018, 1, 1)

benefit = st.tuples(
    st.integers(0, 2500),  # start, days after DAY0
    # Length in days, None (about one in eight): still running.
    st.integers(-200, 1400).map(lambda n: None if n < 0 else max(1, n)),
    st.sampled_from(["werk", "werk", "werk", "overig"]),
    st.sampled_from(["pw", "pw", "pw", "ioaw", "bbz"]),
)
step = st.tuples(
    # "all": propose, check and approve in one go, by three different people (so that many
    # examples reach a payment; the single steps mix in every wrong order and person).
    st.sampled_from(["propose", "check", "approve", "reject", "all", "all", "all"]),
    st.integers(0, 1),  # client
    st.integers(1, 2),  # part
    st.integers(400, 3300),  # day, after DAY0
    st.sampled_from(["a", "b", "c"]),  # who
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(st.lists(benefit, min_size=1, max_size=3), min_size=2, max_size=2),
    st.lists(step, min_size=6, max_size=25),
)
def test_any_sequence_pays_each_part_once_in_order_within_the_total(db, histories, steps):
    # Each example in its own savepoint, rolled back: examples share the test's database.
    with transaction.atomic():
        event(f"betaalde delen: {_run(histories, steps)}")
        transaction.set_rollback(True)


def _run(histories, steps):
    team = Consultant.objects.get_or_create(consultant_id="M-PROP", defaults={"name": "P", "team": "Prop"})[0]
    users = {
        "a": UserFactory(username="prop_a", role=Role.TEAMLEIDER, team="Prop"),
        "b": UserFactory(username="prop_b", role=Role.TEAMLEIDER, team="Prop"),
        "c": UserFactory(username="prop_c", role=Role.CONSULENT_INKOMEN, team="Prop"),
    }
    clients = []
    for i, history in enumerate(histories):
        c = ClientFactory(client_id=f"KPH{i}", consultant=team)
        for j, (start, length, reason, regulation) in enumerate(history):
            s = DAY0 + timedelta(days=start)
            e = None if length is None else s + timedelta(days=length)
            Benefit.objects.create(
                benefit_id=f"UPH{i}-{j}",
                client=c,
                regulation=regulation,
                start_date=s,
                end_date=e,
                end_reason=reason if e else "",
            )
        clients.append(c)
    scheme = selectors.active_schemes()[0]
    for action, ci, part, day, who in sorted(steps, key=lambda s: s[3]):
        as_of = DAY0 + timedelta(days=day)
        user, client = users[who], clients[ci]
        row = (
            PremiumPart.objects.filter(client=client, part=part)
            .exclude(status=PremiumStatus.AFGEWEZEN)
            .first()
        )
        try:
            if action == "all":
                # Proposer, checker, approver: three people, the approver a teamleider.
                trio = {"a": "acb", "b": "bca", "c": "cab"}[who]
                proposer, checker, approver = (users[k] for k in trio)
                row = services.premium_propose(
                    user=proposer, client=client, scheme=scheme.code, part=part, as_of=as_of
                )
                services.premium_check(user=checker, part=row)
                services.premium_approve(user=approver, part=row, as_of=as_of)
            elif action == "propose":
                services.premium_propose(user=user, client=client, scheme=scheme.code, part=part, as_of=as_of)
            elif row is None:
                continue
            elif action == "check":
                services.premium_check(user=user, part=row)
            elif action == "approve":
                services.premium_approve(user=user, part=row, as_of=as_of)
            else:
                services.premium_reject(user=user, part=row, reason="Niet juist vastgesteld")
        except (ValidationError, PermissionDenied):
            pass  # a refused step (Dutch message); anything else fails the test
    paid = defaultdict(dict)
    for p in PremiumPart.objects.filter(status=PremiumStatus.BETAALD).select_related("payment"):
        assert p.part not in paid[p.client_id], "paid twice"
        paid[p.client_id][p.part] = p
        assert p.payment.amount_eur == p.amount_eur and p.payment.kind == "premie"
        assert p.approved_by_id not in (p.checked_by_id, p.proposed_by_id)
    for client in clients:
        parts = paid.get(client.pk, {})
        if 2 in parts:
            assert 1 in parts and parts[1].payment.date <= parts[2].payment.date
        total = sum((p.amount_eur for p in parts.values()), Decimal(0))
        assert total <= scheme.total and (len(parts) < len(scheme.parts) or total == scheme.total)
        assert Payment.objects.filter(client=client).count() == len(parts)
        if parts:
            # Nobody under the duration threshold: the outflow was after more than 12 months.
            rows = [
                rules.BenefitRow(b.benefit_id, b.start_date, b.end_date, b.end_reason, b.regulation)
                for b in client.benefits.filter(regulation__in=scheme.regulations)
            ]
            spell = next(s for s in rules.spells(rows) if s.end == parts[min(parts)].outflow_date)
            assert spell.end > add_months(spell.start, scheme.min_benefit_months)
    return sum(len(parts) for parts in paid.values())
