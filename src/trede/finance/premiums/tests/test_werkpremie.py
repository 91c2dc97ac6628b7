"""The werkpremie through the database (decision 73): each month of participation is
earned, listed on the page, proposed, checked by one employee, approved and paid by
another as a payment on the line `werkpremies` — once per client-month (service, page and
a unique constraint) — and any sequence of steps under Hypothesis pays each client-month
at most once, the client's total being the paid months times the amount."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from trede.accounts.access import client_scope
from trede.accounts.models import Role
from trede.benefits.models import Benefit
from trede.casework.models import Consultant
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.tests.factories import ClientFactory
from trede.finance.models import Payment, PremiumPart, PremiumStatus
from trede.finance.premiums import rules, selectors, services
from trede.finance.premiums.services import PremiumRefused
from trede.instruments.models import Trajectory
from trede.instruments.tests.factories import InstrumentFactory, ProviderFactory

pytestmark = pytest.mark.django_db
JAN, FEB, MAR, APR = (date(2024, m, 1) for m in (1, 2, 3, 4))


def _propose(w, period, user="inkomen", as_of=APR):
    return services.premium_propose(
        user=w[user], client=w["volunteer"], scheme="werkpremie", part=1, period=period, as_of=as_of
    )


def _werkpremie(rows):
    return [(r.client_id, r.due.period, r.due.amount) for r in rows if r.due.scheme == "werkpremie"]


def test_each_month_of_participation_is_earned_and_listed(volunteer):
    rows = selectors.eligible(client_scope(volunteer["inkomen"]), as_of=APR)
    assert _werkpremie(rows) == [
        ("KP0004", JAN, Decimal(50)),
        ("KP0004", FEB, Decimal(50)),
        ("KP0004", MAR, Decimal(50)),
    ]
    assert _werkpremie(selectors.eligible(None, as_of=date(2024, 3, 31))) == [
        ("KP0004", JAN, Decimal(50)),
        ("KP0004", FEB, Decimal(50)),
    ]
    # The uitstroompremie is listed as before, beside it.
    assert [(r.client_id, r.due.part) for r in rows if r.due.scheme == "uitstroompremie"] == [
        ("KP0001", 1),
        ("KP0001", 2),
    ]


def test_a_month_is_proposed_checked_approved_and_paid_once_on_the_werkpremies_line(volunteer):
    w = volunteer
    row = _propose(w, FEB)
    assert (row.period, row.part, row.outflow_date, row.trajectory_id) == (FEB, 1, None, "TW1")
    assert row.part_label == "maand februari 2024"
    services.premium_check(user=w["inkomen"], part=row)
    paid = services.premium_approve(user=w["tl"], part=row, as_of=APR)
    payment = Payment.objects.get(pk=paid.payment_id)
    assert (payment.kind, payment.funding, payment.line, payment.amount_eur, payment.trajectory_id) == (
        "premie",
        "reintegratiebudget",
        "werkpremies",
        Decimal("50.00"),
        "TW1",
    )
    # Never proposed again; the other months still are.
    with pytest.raises(PremiumRefused, match="Maand februari 2024 van de werkpremie"):
        _propose(w, FEB, user="inkomen2")
    rows = selectors.eligible(client_scope(w["inkomen"]), as_of=APR)
    assert [p for _c, p, _a in _werkpremie(rows)] == [JAN, MAR]
    # Months are independent: January need not be paid first.
    jan = _propose(w, JAN)
    services.premium_check(user=w["inkomen"], part=jan)
    assert services.premium_approve(user=w["tl"], part=jan, as_of=APR).status == PremiumStatus.BETAALD


def test_not_a_month_of_participation_or_no_month_is_refused(volunteer):
    with pytest.raises(PremiumRefused, match="maand april 2024 van de werkpremie .nog. niet verdiend"):
        _propose(volunteer, APR, as_of=date(2024, 6, 1))
    with pytest.raises(ValidationError, match="Kies de maand van de werkpremie"):
        _propose(volunteer, None)


def test_a_month_no_longer_earned_is_refused_at_approval(volunteer):
    row = _propose(volunteer, MAR)
    services.premium_check(user=volunteer["inkomen"], part=row)
    Trajectory.objects.filter(pk="TW1").update(end_date=date(2024, 3, 1))  # corrected: ended in February
    with pytest.raises(PremiumRefused, match="deze maand niet meer verdiend"):
        services.premium_approve(user=volunteer["tl"], part=row, as_of=APR)
    assert not Payment.objects.exists()


def test_the_database_keeps_one_live_row_per_client_month(volunteer):
    row = _propose(volunteer, JAN)
    with pytest.raises(IntegrityError), transaction.atomic():
        PremiumPart.objects.create(
            client=row.client,
            scheme="werkpremie",
            scheme_name="Werkpremie",
            part=1,
            period=JAN,
            due_date=FEB,
            amount_eur=50,
            proposed_at=timezone.now(),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PremiumPart.objects.filter(pk=row.pk).update(period=date(2024, 1, 2))  # not a month's first day
    # A rejected month frees it.
    services.premium_reject(user=volunteer["inkomen"], part=row, reason="Verkeerde maand")
    assert _propose(volunteer, JAN, user="inkomen2").status == PremiumStatus.VOORGESTELD


def test_the_page_lists_and_proposes_a_month(volunteer, client):
    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)  # last month
    Trajectory.objects.filter(pk="TW1").update(start_date=first, end_date=today.replace(day=1))
    client.force_login(volunteer["inkomen"])
    url = reverse("premiums:list")
    text = client.get(url).content.decode()
    assert "Werkpremie: € 50,00 per kalendermaand" in text and "(begeleid) vrijwilligerswerk" in text
    key = f"KP0004|werkpremie|1|{first.isoformat()}"
    assert key in text
    response = client.post(url, {"actie": "voorstellen", "deel": key})
    assert response.status_code == 302
    part = PremiumPart.objects.get(scheme="werkpremie")
    assert part.period == first
    assert (
        client.post(url, {"actie": "voorstellen", "deel": "KP0004|werkpremie|1|2024-13-01"}).status_code
        == 400
    )
    text = client.get(url).content.decode()
    assert f"Werkpremie {part.part_label}" in text


# ------------------------------------------------------------------------ under Hypothesis

DAY0 = date(2024, 1, 1)
trajectory = st.tuples(st.integers(0, 150), st.one_of(st.none(), st.integers(1, 300)))
step = st.tuples(
    st.sampled_from(["propose", "check", "approve", "reject", "all", "all", "all"]),
    st.integers(0, 1),  # client
    st.integers(0, 9),  # month after DAY0
    st.integers(60, 420),  # day after DAY0
    st.sampled_from(["a", "b", "c"]),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(st.lists(trajectory, min_size=1, max_size=2), min_size=2, max_size=2),
    st.lists(step, min_size=4, max_size=20),
)
def test_any_sequence_pays_each_client_month_once_and_months_times_amount(db, histories, steps):
    with transaction.atomic():
        event(f"betaalde maanden: {min(_run(histories, steps), 3)}+")
        transaction.set_rollback(True)


def _month(n: int) -> date:
    return date(DAY0.year + n // 12, n % 12 + 1, 1)


def _run(histories, steps):
    team = Consultant.objects.get_or_create(consultant_id="M-WP", defaults={"name": "W", "team": "WP"})[0]
    users = {
        "a": UserFactory(username="wp_a", role=Role.TEAMLEIDER, team="WP"),
        "b": UserFactory(username="wp_b", role=Role.TEAMLEIDER, team="WP"),
        "c": UserFactory(username="wp_c", role=Role.CONSULENT_INKOMEN, team="WP"),
    }
    instrument = InstrumentFactory(instrument_code="WPV", type="vrijwilligerswerk")
    provider = ProviderFactory(provider_id="PWP")
    clients = []
    for i, history in enumerate(histories):
        person = ClientFactory(client_id=f"KWP{i}", consultant=team)
        Benefit.objects.create(
            benefit_id=f"UWP{i}", client=person, regulation="pw", start_date=date(2023, 1, 1)
        )
        for j, (start, length) in enumerate(history):
            s = DAY0 + timedelta(days=start)
            Trajectory.objects.create(
                trajectory_id=f"TWP{i}-{j}",
                client=person,
                instrument=instrument,
                provider=provider,
                referral_date=s,
                start_date=s,
                end_date=None if length is None else s + timedelta(days=length),
            )
        clients.append(person)
    scheme = selectors.scheme_by_code("werkpremie")
    for action, ci, month, day, who in sorted(steps, key=lambda s: s[3]):
        as_of, period = DAY0 + timedelta(days=day), _month(month)
        user, person = users[who], clients[ci]
        row = (
            PremiumPart.objects.filter(client=person, scheme="werkpremie", period=period)
            .exclude(status=PremiumStatus.AFGEWEZEN)
            .first()
        )
        try:
            if action == "all":
                proposer, checker, approver = (users[k] for k in {"a": "acb", "b": "bca", "c": "cab"}[who])
                row = services.premium_propose(
                    user=proposer, client=person, scheme="werkpremie", part=1, period=period, as_of=as_of
                )
                services.premium_check(user=checker, part=row)
                services.premium_approve(user=approver, part=row, as_of=as_of)
            elif action == "propose":
                services.premium_propose(
                    user=user, client=person, scheme="werkpremie", part=1, period=period, as_of=as_of
                )
            elif row is None:
                continue
            elif action == "check":
                services.premium_check(user=user, part=row)
            elif action == "approve":
                services.premium_approve(user=user, part=row, as_of=as_of)
            else:
                services.premium_reject(user=user, part=row, reason="Niet juist vastgesteld")
        except (ValidationError, PermissionDenied):
            pass
    paid = list(PremiumPart.objects.filter(status=PremiumStatus.BETAALD).select_related("payment"))
    per_month = Counter((p.client_id, p.period) for p in paid)
    assert all(n == 1 for n in per_month.values()), "a client-month paid twice"
    for person in clients:
        mine = [p for p in paid if p.client_id == person.pk]
        payments = Payment.objects.filter(client=person)
        assert payments.count() == len(mine)
        total = sum((p.amount_eur for p in payments), Decimal(0))
        assert total == len(mine) * scheme.monthly_amount
        # Every paid month is one the client took part in (earned by the end of the steps).
        earned = {d.period for d in selectors.due_for_client(person, as_of=date(2030, 1, 1), scheme=scheme)}
        assert {p.period for p in mine} <= earned
        assert all(
            p.payment.line == "werkpremies" and p.payment.date >= rules.next_month(p.period) for p in mine
        )
    return len(paid)
