"""Plan van aanpak: versions, agreement and signing, who may do what, audit rows."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trede.accounts.models import Role
from trede.audit.models import Action, AuditEvent
from trede.casework.plans.models import Plan
from trede.casework.plans.selectors import plan_current
from trede.casework.plans.services import (
    plan_action_done,
    plan_agree_client,
    plan_agree_consultant,
    plan_create,
)
from trede.casework.tests.factories_plans import ClientOnBenefitFactory, ConsultantUserFactory, UserFactory

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + timedelta(days=30)
ACTIONS = [{"description": "Cv bijwerken", "owner": "klant", "deadline": SOON}]


@pytest.fixture
def consultant():
    return ConsultantUserFactory()


@pytest.fixture
def client_(consultant):
    return ClientOnBenefitFactory(consultant=consultant, birth_date=date(2002, 5, 1))


@pytest.fixture
def resident(client_):
    return UserFactory(role=Role.INWONER, client=client_)


def _sign(plan, consultant, resident):
    plan_agree_consultant(user=consultant.user, plan=plan)
    return plan_agree_client(user=resident, plan=plan, via="online")


def test_first_plan_is_version_one_concept_with_its_actions_and_audit(consultant, client_):
    plan = plan_create(user=consultant.user, client=client_, goals="Werk in de zorg", actions=ACTIONS)
    assert (plan.version, plan.status) == (1, "concept")
    assert list(plan.actions.values_list("description", "owner")) == [("Cv bijwerken", "klant")]
    audit = AuditEvent.objects.get(object_type="plan", object_id=str(plan.pk))
    assert (audit.action, audit.client_id, audit.section, audit.purpose) == (
        Action.CREATE,
        client_.pk,
        "plan",
        "plan van aanpak",
    )


def test_plan_is_signed_only_when_both_agreed_in_either_order(consultant, client_, resident):
    first = plan_create(user=consultant.user, client=client_, goals="Doel", actions=ACTIONS)
    plan_agree_client(user=resident, plan=first, via="online")
    first.refresh_from_db()
    assert first.status == "concept" and first.client_agreed_via == "online"
    first = plan_agree_consultant(user=consultant.user, plan=first)
    assert first.status == "ondertekend"

    second = plan_create(user=consultant.user, client=client_, goals="Doel 2", actions=ACTIONS)
    plan_agree_consultant(user=consultant.user, plan=second)
    second.refresh_from_db()
    assert second.status == "concept"
    # A consultant records agreement the client gave in a conversation.
    second = plan_agree_client(user=consultant.user, plan=second, via="in_gesprek")
    assert second.status == "ondertekend" and second.client_agreed_via == "in_gesprek"


def test_revision_keeps_the_signed_plan_in_force_until_the_new_one_is_signed(consultant, client_, resident):
    v1 = _sign(
        plan_create(user=consultant.user, client=client_, goals="v1", actions=ACTIONS), consultant, resident
    )
    v2 = plan_create(user=consultant.user, client=client_, goals="v2", actions=ACTIONS)
    assert v2.version == 2
    v1.refresh_from_db()
    assert v1.status == "ondertekend"
    assert plan_current(client=client_) == v1
    _sign(v2, consultant, resident)
    v1.refresh_from_db()
    assert v1.status == "vervallen"
    assert plan_current(client=client_).pk == v2.pk
    # Nothing is deleted: both versions are kept.
    assert list(Plan.objects.filter(client=client_).order_by("version").values_list("version", "status")) == [
        (1, "vervallen"),
        (2, "ondertekend"),
    ]


def test_a_new_concept_replaces_an_unsigned_concept(consultant, client_, resident):
    v1 = plan_create(user=consultant.user, client=client_, goals="v1", actions=ACTIONS)
    plan_create(user=consultant.user, client=client_, goals="v2", actions=ACTIONS)
    v1.refresh_from_db()
    assert v1.status == "vervallen"
    with pytest.raises(ValidationError):
        plan_agree_client(user=resident, plan=v1, via="online")


def test_resident_agrees_online_only_for_own_plan(consultant, client_, resident):
    other_client = ClientOnBenefitFactory(consultant=consultant)
    other_plan = plan_create(user=consultant.user, client=other_client, goals="x", actions=ACTIONS)
    with pytest.raises(PermissionDenied):
        plan_agree_client(user=resident, plan=other_plan, via="online")
    own = plan_create(user=consultant.user, client=client_, goals="x", actions=ACTIONS)
    # A resident cannot claim a conversation, nor agree as consultant.
    with pytest.raises(PermissionDenied):
        plan_agree_client(user=resident, plan=own, via="in_gesprek")
    with pytest.raises(PermissionDenied):
        plan_agree_consultant(user=resident, plan=own)
    # A consultant cannot agree "online" on behalf of the client.
    with pytest.raises(PermissionDenied):
        plan_agree_client(user=consultant.user, plan=own, via="online")
    assert AuditEvent.objects.filter(action=Action.DENIED, section="plan").count() == 4
    own.refresh_from_db()
    assert own.client_agreed_at is None and own.consultant_agreed_at is None


@pytest.mark.parametrize("role", [Role.ACCOUNTMANAGER, Role.CONSULENT_INKOMEN, Role.BELEID, Role.AANBIEDER])
def test_other_roles_cannot_draw_up_plans(client_, role):
    with pytest.raises(PermissionDenied):
        plan_create(user=UserFactory(role=role), client=client_, goals="x", actions=ACTIONS)
    assert not Plan.objects.exists()


def test_consultant_of_another_caseload_cannot_draw_up_a_plan(client_):
    stranger = ConsultantUserFactory()
    with pytest.raises(PermissionDenied):
        plan_create(user=stranger.user, client=client_, goals="x", actions=ACTIONS)


@pytest.mark.parametrize(
    ("goals", "actions"),
    [
        ("", ACTIONS),
        ("Doel", []),
        ("Doel", [{"description": "", "owner": "klant", "deadline": SOON}]),
        ("Doel", [{"description": "x", "owner": "buurman", "deadline": SOON}]),
        ("Doel", [{"description": "x", "owner": "klant", "deadline": None}]),
    ],
)
def test_incomplete_plans_are_refused(consultant, client_, goals, actions):
    with pytest.raises(ValidationError):
        plan_create(user=consultant.user, client=client_, goals=goals, actions=actions)
    assert not Plan.objects.exists()


def test_agreeing_twice_is_one_agreement_and_after_signing_is_refused(consultant, client_, resident):
    plan = plan_create(user=consultant.user, client=client_, goals="x", actions=ACTIONS)
    plan_agree_consultant(user=consultant.user, plan=plan)
    # The same consultant's second submit (a double click) records nothing new.
    plan_agree_consultant(user=consultant.user, plan=plan)
    assert AuditEvent.objects.filter(event="plan_agreed_by_consultant").count() == 1
    # An agreement someone else gave is not overwritten.
    colleague = UserFactory(role=Role.CONSULENT_WERK)
    Plan.objects.filter(pk=plan.pk).update(consultant_agreed_by=colleague)
    with pytest.raises(ValidationError, match="al akkoord"):
        plan_agree_consultant(user=consultant.user, plan=plan)
    plan_agree_client(user=resident, plan=plan, via="online")
    plan_agree_client(user=resident, plan=plan, via="online")
    assert AuditEvent.objects.filter(event="plan_agreed_by_client_online").count() == 1
    with pytest.raises(ValidationError, match="al ondertekend"):
        plan_agree_client(user=consultant.user, plan=plan, via="in_gesprek")
    plan.refresh_from_db()
    assert (plan.status, plan.client_agreed_via, plan.consultant_agreed_by) == (
        "ondertekend",
        "online",
        colleague,
    )


@freeze_time("2024-05-10 10:00:00")
def test_action_done_records_the_date_and_refuses_the_future(consultant, client_):
    actions = [{**ACTIONS[0], "deadline": date(2024, 6, 1)}]
    plan = plan_create(user=consultant.user, client=client_, goals="x", actions=actions)
    action = plan.actions.get()
    plan_action_done(user=consultant.user, action=action)
    action.refresh_from_db()
    assert action.done_on == date(2024, 5, 10)
    with pytest.raises(ValidationError):
        plan_action_done(user=consultant.user, action=action, done_on=date(2024, 5, 11))
    assert AuditEvent.objects.filter(object_type="plan_action", object_id=str(action.pk)).count() == 1


OPERATIONS = st.lists(
    st.sampled_from(["create", "agree_consultant", "agree_client_online", "agree_client_gesprek"]),
    min_size=1,
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_versioning_invariants_hold_for_any_sequence(consultant, client_, resident, operations):
    """Whatever happens: versions 1..n without gaps, at most one concept and one signed plan,
    a signed plan has both agreements, and the signed plan is the latest fully agreed one."""
    with transaction.atomic():
        fully_agreed: list[int] = []
        for operation in operations:
            concept = Plan.objects.filter(client=client_, status="concept").first()
            try:
                if operation == "create":
                    plan_create(user=consultant.user, client=client_, goals="g", actions=ACTIONS)
                elif concept is None:
                    continue
                elif operation == "agree_consultant":
                    plan_agree_consultant(user=consultant.user, plan=concept)
                elif operation == "agree_client_online":
                    plan_agree_client(user=resident, plan=concept, via="online")
                else:
                    plan_agree_client(user=consultant.user, plan=concept, via="in_gesprek")
            except ValidationError:
                continue  # agreeing twice is refused; the state must stay consistent
            if concept is not None:
                concept.refresh_from_db()
                if (
                    concept.consultant_agreed_at
                    and concept.client_agreed_at
                    and concept.version not in fully_agreed
                ):
                    fully_agreed.append(concept.version)
        plans = list(Plan.objects.filter(client=client_).order_by("version"))
        versions = [p.version for p in plans]
        assert versions == list(range(1, len(plans) + 1))
        statuses = [p.status for p in plans]
        assert statuses.count("concept") <= 1
        assert statuses.count("ondertekend") <= 1
        if "concept" in statuses:
            assert plans[-1].status == "concept"  # only the newest version can await agreement
        for plan in plans:
            if plan.status == "ondertekend":
                assert plan.consultant_agreed_at and plan.client_agreed_at
                assert plan.version == max(fully_agreed)
        if fully_agreed:
            assert statuses.count("ondertekend") == 1
        transaction.set_rollback(True)
