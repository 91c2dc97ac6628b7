"""Claims: a provider submits its due lines once, one employee checks, another approves
(four eyes in the service, the page and the database), rejection releases the lines,
recoveries follow a failed result; every step audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.casework.tests.factories_plans import UserFactory
from trede.instruments.claims import selectors, services
from trede.instruments.models import Claim, ClaimLine, Trajectory
from trede.instruments.tests.factories import (
    ContractFactory,
    InstrumentFactory,
    ProviderFactory,
    TrajectoryFactory,
)
from trede.utils.concurrency import new_submission_key

pytestmark = pytest.mark.django_db
AS_OF = date(2024, 12, 1)


@pytest.fixture
def setup():
    provider = ProviderFactory(provider_id="P9")
    wep = InstrumentFactory(instrument_code="WEP9")
    contract = ContractFactory(provider=provider, instruments=[wep], start_date=date(2024, 1, 1))
    # Started 1 March 2024, succeeded 1 September: 6 instalments and the result fee.
    TrajectoryFactory(trajectory_id="T-OK", provider=provider, instrument=wep, succeeded=True)
    return {
        "provider": provider,
        "contract": contract,
        "staff": UserFactory(role=Role.AANBIEDER, provider=provider),
        "a": UserFactory(role=Role.CONTRACTMANAGER, username="cm_a"),
        "b": UserFactory(role=Role.TEAMLEIDER, username="tl_b"),
    }


def _submit(s, **kw):
    keys = [d.key_text for d in selectors.due_lines([s["provider"].pk], as_of=AS_OF)]
    return services.claim_submit(user=s["staff"], keys=keys, as_of=AS_OF, **kw)


def test_due_lines_follow_the_contract(setup):
    due = selectors.due_lines([setup["provider"].pk], as_of=AS_OF)
    assert [(d.line.kind, d.line.seq) for d in due] == [("termijn", m) for m in range(1, 7)] + [
        ("resultaat", 0)
    ]
    assert sum(d.line.amount for d in due) == Decimal("3900.00")


def test_submit_twice_with_one_key_makes_one_claim_and_nothing_is_due_after(setup):
    key = new_submission_key()
    first = _submit(setup, submission_key=key)
    second = services.claim_submit(user=setup["staff"], keys=["x"], as_of=AS_OF, submission_key=key)
    assert first.pk == second.pk and Claim.objects.count() == 1
    assert first.total_eur == Decimal("3900.00") and first.lines.count() == 7
    assert selectors.due_lines([setup["provider"].pk], as_of=AS_OF) == []
    with pytest.raises(ValidationError):
        services.claim_submit(user=setup["staff"], keys=["T-OK|termijn|1"], as_of=AS_OF)
    assert AuditEvent.objects.filter(event="claim_submitted").count() == 1


def test_a_line_is_on_one_claim_only_in_the_database(setup):
    claim = _submit(setup)
    line = claim.lines.first()
    other = Claim.objects.create(provider=setup["provider"], total_eur=0, submitted_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLine.objects.create(
            claim=other,
            trajectory=line.trajectory,
            contract=line.contract,
            kind=line.kind,
            seq=line.seq,
            due_date=line.due_date,
            amount_eur=line.amount_eur,
        )


def test_four_eyes_the_checker_cannot_approve(setup, client):
    claim = _submit(setup)
    services.claim_check(user=setup["a"], claim=claim)
    with pytest.raises(ValidationError) as refused:
        services.claim_approve(user=setup["a"], claim=claim)
    assert "zelf gecontroleerd" in str(refused.value)
    assert Claim.objects.get(pk=claim.pk).status == "gecontroleerd"
    assert AuditEvent.objects.filter(event="claim_refused", object_id=str(claim.pk)).count() == 1
    # The page offers the checker no approve button, and says why.
    client.force_login(setup["a"])
    page = client.get(reverse("instruments:claim", args=[claim.pk])).content.decode()
    assert 'value="goedkeuren"' not in page and "Een collega keurt haar goed" in page
    posted = client.post(reverse("instruments:claim", args=[claim.pk]), {"actie": "goedkeuren"})
    assert posted.status_code == 409
    services.claim_approve(user=setup["b"], claim=claim)
    claim.refresh_from_db()
    assert (
        claim.status == "goedgekeurd" and claim.approved_by == setup["b"] and claim.checked_by == setup["a"]
    )
    assert AuditEvent.objects.filter(event__in=["claim_checked", "claim_approved"]).count() == 2


def test_the_database_refuses_one_person_checking_and_approving(setup):
    claim = _submit(setup)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(
            status="goedgekeurd", checked_by=setup["a"], approved_by=setup["a"]
        )


def test_a_provider_may_not_check(setup):
    claim = _submit(setup)
    with pytest.raises(PermissionDenied):
        services.claim_check(user=setup["staff"], claim=claim)


def test_rejection_needs_a_reason_and_releases_the_lines(setup):
    claim = _submit(setup)
    with pytest.raises(ValidationError):
        services.claim_reject(user=setup["a"], claim=claim, reason="nee")
    services.claim_reject(user=setup["a"], claim=claim, reason="Resultaat niet aangetoond")
    assert len(selectors.due_lines([setup["provider"].pk], as_of=AS_OF)) == 7
    again = _submit(setup)
    assert again.pk != claim.pk and again.lines.count() == 7


def test_a_failed_result_is_recovered_after_payment_with_four_eyes(setup):
    failed = TrajectoryFactory(
        trajectory_id="T-NO",
        provider=setup["provider"],
        instrument=setup["contract"].instruments.first(),
        failed=True,
    )
    claim = services.claim_submit(
        user=setup["staff"], keys=[f"{failed.pk}|termijn|{m}" for m in (1, 2, 3)], as_of=AS_OF
    )
    services.claim_check(user=setup["a"], claim=claim)
    services.claim_approve(user=setup["b"], claim=claim)
    recovery = services.recoveries_create(user=setup["a"], provider=setup["provider"], as_of=AS_OF)
    # Half (the contract's 50 %) of the 3 × 400 paid.
    assert recovery.kind == "terugvordering" and recovery.total_eur == Decimal("-600.00")
    with pytest.raises(ValidationError):
        services.claim_check(user=setup["a"], claim=recovery)  # the one who created it
    services.claim_check(user=setup["b"], claim=recovery)
    with pytest.raises(ValidationError):
        services.claim_approve(user=setup["a"], claim=recovery)
    money = {row.provider.pk: row for row in selectors.provider_money(as_of=AS_OF)}["P9"]
    assert (money.invoiced, money.paid, money.to_recover) == (
        Decimal("1200.00"),
        Decimal("1200.00"),
        Decimal("600.00"),
    )
    assert Trajectory.objects.filter(pk="T-NO").exists()


def test_provider_page_submits_and_shows_paid(setup, client):
    client.force_login(setup["staff"])
    page = client.get(reverse("instruments:provider_claims"))
    assert page.status_code == 200 and "T-OK" in page.content.decode()
    key = new_submission_key()
    keys = [d.key_text for d in selectors.due_lines([setup["provider"].pk], as_of=timezone.localdate())]
    for _ in range(2):  # a double click
        client.post(reverse("instruments:provider_claims"), {"regel": keys, "submission_key": key})
    assert Claim.objects.count() == 1
    claim = Claim.objects.get()
    services.claim_check(user=setup["a"], claim=claim)
    services.claim_approve(user=setup["b"], claim=claim)
    assert "betaald" in client.get(reverse("instruments:provider_claims")).content.decode()


def test_the_privacy_officer_reads_the_claim_steps_in_dutch(setup):
    from trede.audit.rendering import describe

    claim = _submit(setup)
    services.claim_check(user=setup["a"], claim=claim)
    with pytest.raises(ValidationError):
        services.claim_approve(user=setup["a"], claim=claim)
    texts = [describe(e) for e in AuditEvent.objects.filter(object_type="claim").order_by("pk")]
    assert (
        texts[0]
        == f"Declaratie van de aanbieder {claim.number} van aanbieder P9 ingediend: 7 regels, totaal € 3.900,00."
    )
    assert texts[-1].startswith(f"Declaratie van de aanbieder {claim.number}: goedkeuren geweigerd: U heeft")
