"""Premiums through the database: eligibility as of a day, proposed, checked by one
employee and approved by another (refused in the service, the page and the database,
audited), paid once as a finance Payment, and never proposed again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from trede.accounts.access import client_scope
from trede.audit.models import AuditEvent
from trede.benefits.tests.factories import BenefitFactory
from trede.finance.models import Payment, PremiumPart, PremiumStatus
from trede.finance.premiums import selectors, services
from trede.finance.premiums.services import PremiumRefused

from .conftest import AFTER_BOTH

pytestmark = pytest.mark.django_db


def _propose(w, part=1, user="inkomen", client="earned", as_of=AFTER_BOTH):
    return services.premium_propose(
        user=w[user], client=w[client], scheme="uitstroompremie", part=part, as_of=as_of
    )


def _pay(w, part=1):
    row = _propose(w, part)
    services.premium_check(user=w["inkomen"], part=row)
    return services.premium_approve(user=w["tl"], part=row, as_of=AFTER_BOTH)


def test_eligibility_is_computed_within_the_users_scope(world):
    rows = selectors.eligible(client_scope(world["inkomen"]), as_of=AFTER_BOTH)
    assert [(r.client_id, r.due.part, r.due.due_date, r.due.amount) for r in rows] == [
        ("KP0001", 1, date(2021, 6, 1), Decimal(375)),
        ("KP0001", 2, date(2021, 9, 1), Decimal(375)),
    ]  # not Kees (9 months on benefit), not Zara (another team)
    assert [r.client_id for r in selectors.eligible(None, as_of=AFTER_BOTH)].count("KP0003") == 2
    assert selectors.eligible(None, as_of=date(2021, 5, 31)) == []


def test_propose_check_approve_pays_once_with_a_payment_row(world):
    paid = _pay(world)
    assert paid.status == PremiumStatus.BETAALD and paid.payment_id == f"TREDE-PREMIE-{paid.pk}"
    payment = Payment.objects.get(pk=paid.payment_id)
    assert (payment.kind, payment.funding, payment.line, payment.amount_eur) == (
        "premie",
        "reintegratiebudget",
        "uitstroompremie",
        Decimal("375.00"),
    )
    assert payment.client_id == "KP0001" and payment.benefit.end_reason == "werk"
    assert payment.date == AFTER_BOTH
    # A rerun of the eligibility never proposes the paid part again.
    rows = selectors.eligible(client_scope(world["inkomen"]), as_of=date(2030, 1, 1))
    assert [(r.client_id, r.due.part) for r in rows] == [("KP0001", 2)]
    with pytest.raises(PremiumRefused):
        _propose(world, 1, user="inkomen2")
    events = list(
        AuditEvent.objects.filter(purpose="premies").order_by("pk").values_list("event", "client_id")
    )
    assert events == [
        ("premium_proposed", "KP0001"),
        ("premium_checked", "KP0001"),
        ("premium_approved", "KP0001"),
    ]


def test_a_double_click_on_propose_makes_one_part(world):
    first = _propose(world)
    again = _propose(world)
    assert first.pk == again.pk and PremiumPart.objects.count() == 1


def test_four_eyes_the_checker_and_the_proposer_do_not_approve(world):
    row = _propose(world, user="tl")
    services.premium_check(user=world["tl2"], part=row)
    for who in ("tl", "tl2"):
        with pytest.raises(PremiumRefused, match="vier ogen"):
            services.premium_approve(user=world[who], part=row, as_of=AFTER_BOTH)
    assert AuditEvent.objects.filter(event="premium_refused").count() == 2
    assert not Payment.objects.exists()
    # The inkomen consultant checks but never approves (the teamleider's mandate).
    with pytest.raises(PermissionDenied):
        services.premium_approve(user=world["inkomen"], part=row, as_of=AFTER_BOTH)


def test_four_eyes_in_the_database(world):
    row = _propose(world)
    services.premium_check(user=world["tl"], part=row)
    with pytest.raises(IntegrityError), transaction.atomic():
        PremiumPart.objects.filter(pk=row.pk).update(approved_by=world["tl"], approved_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        PremiumPart.objects.filter(pk=row.pk).update(approved_by=world["inkomen"], approved_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        PremiumPart.objects.filter(pk=row.pk).update(status=PremiumStatus.BETAALD)  # no approval, no payment
    with pytest.raises(IntegrityError), transaction.atomic():
        PremiumPart.objects.create(
            client=world["earned"],
            scheme="uitstroompremie",
            scheme_name="x",
            part=1,
            outflow_date=row.outflow_date,
            due_date=row.due_date,
            amount_eur=1,
            proposed_at=timezone.now(),
        )


def test_part_two_waits_for_part_one(world):
    one, two = _propose(world, 1), _propose(world, 2)
    services.premium_check(user=world["inkomen"], part=two)
    with pytest.raises(PremiumRefused, match="Deel 1"):
        services.premium_approve(user=world["tl"], part=two, as_of=AFTER_BOTH)
    services.premium_check(user=world["inkomen"], part=one)
    services.premium_approve(user=world["tl"], part=one, as_of=AFTER_BOTH)
    services.premium_approve(user=world["tl"], part=two, as_of=AFTER_BOTH)
    assert Payment.objects.filter(kind="premie").count() == 2
    assert sum(p.amount_eur for p in Payment.objects.all()) == Decimal(750)


def test_not_earned_any_more_refuses_approval_and_rejection_frees_the_part(world):
    _pay(world, 1)
    row = _propose(world, 2)
    services.premium_check(user=world["inkomen"], part=row)
    BenefitFactory(client=world["earned"], start_date=date(2021, 8, 1))  # back on benefit in month 5
    with pytest.raises(PremiumRefused, match="niet meer verdiend"):
        services.premium_approve(user=world["tl"], part=row, as_of=AFTER_BOTH)
    with pytest.raises(ValidationError):
        services.premium_reject(user=world["tl"], part=row, reason="nee")
    services.premium_reject(user=world["tl"], part=row, reason="Weer een uitkering sinds augustus")
    assert PremiumPart.objects.get(pk=row.pk).status == PremiumStatus.AFGEWEZEN
    # Part 2 is free again, but no longer earned: nothing to propose for Fenna.
    assert [r.due.part for r in selectors.eligible(None, as_of=AFTER_BOTH) if r.client_id == "KP0001"] == []
    assert Payment.objects.count() == 1


def test_not_earned_or_outside_the_scope_is_refused(world):
    with pytest.raises(PremiumRefused, match="niet verdiend"):
        _propose(world, client="short")
    with pytest.raises(PermissionDenied):
        _propose(world, client="other_team")
    with pytest.raises(PermissionDenied):
        _propose(world, user="cm")
    assert not PremiumPart.objects.exists()


def test_the_page_lists_audits_and_offers_only_the_allowed_steps(world, client):
    client.force_login(world["inkomen"])
    url = reverse("premiums:list")
    page = client.get(url).content.decode()
    assert "Fenna Bos" in page and "KP0001" in page and "Kees" not in page and "Zara" not in page
    listed = AuditEvent.objects.filter(event="client_listed", purpose="premies")
    assert list(listed.values_list("client_id", flat=True)) == ["KP0001"]
    response = client.post(url, {"actie": "voorstellen", "deel": "KP0001|uitstroompremie|1"})
    assert response.status_code == 302
    part = PremiumPart.objects.get()
    client.post(url, {"actie": "controleren", "premiedeel": part.pk})
    page = client.get(url).content.decode()
    assert "Goedkeuren en betalen" not in page and "een collega keurt het goed" in page
    client.force_login(world["tl"])
    assert "Goedkeuren en betalen" in client.get(url).content.decode()
    client.post(url, {"actie": "goedkeuren", "premiedeel": part.pk})
    page = client.get(url).content.decode()
    assert f"TREDE-PREMIE-{part.pk}" in page
    # Another team's teamleider cannot reach the part.
    client.force_login(world["tl_zuid"])
    response = client.post(url, {"actie": "afwijzen", "premiedeel": part.pk, "reden": "Zomaar afgewezen"})
    assert response.status_code == 400 and PremiumPart.objects.get().status == PremiumStatus.BETAALD


def test_a_refused_step_on_the_page_is_a_dutch_409(world, client):
    row = _propose(world)
    services.premium_check(user=world["tl"], part=row)
    client.force_login(world["tl"])
    response = client.post(reverse("premiums:list"), {"actie": "goedkeuren", "premiedeel": row.pk})
    assert response.status_code == 409 and "vier ogen" in response.content.decode()
    assert PremiumPart.objects.get().status == PremiumStatus.GECONTROLEERD


def test_roles_without_the_task_get_403(world, client):
    client.force_login(world["cm"])
    assert client.get(reverse("premiums:list")).status_code == 403
