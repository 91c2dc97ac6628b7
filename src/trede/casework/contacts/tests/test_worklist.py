"""The worklist: each kind of item for constructed cases, whose caseload, and query count."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from trede.benefits.models import Benefit
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.contacts.models import Contact
from trede.casework.contacts.selectors import worklist_for, worklist_grouped
from trede.casework.intake.models import Diagnosis, RouteDecision
from trede.casework.plans.models import Plan
from trede.casework.policy.models import PolicyPreset
from trede.casework.policy.presets import PRESETS
from trede.casework.tests.factories import ContactFactory, DiagnosisFactory
from trede.casework.tests.factories_plans import (
    ClientOnBenefitFactory,
    ConsultantUserFactory,
    PlacementFactory,
    PlanFactory,
    RouteDecisionFactory,
    TrajectoryFactory,
)
from trede.clients.models import Client
from trede.instruments.models import Trajectory
from trede.utils.dates import add_months

pytestmark = pytest.mark.django_db

TODAY = date(2024, 6, 15)
LV = PRESETS["leidschendam_voorburg"]["config"]


def settled_client(consultant, **kwargs):
    """A client over 27 with nothing to do: recent contact and diagnosis, participatie."""
    kwargs.setdefault("birth_date", date(1980, 1, 1))
    client = ClientOnBenefitFactory(consultant=consultant, **kwargs)
    DiagnosisFactory(client=client, date=date(2024, 3, 1), months_to_work=60, ladder_step=3)
    RouteDecisionFactory(
        client=client, decided_on=date(2024, 3, 1), route="participatie", category="3A", client_group="zorg"
    )
    ContactFactory(client=client, date=date(2024, 6, 1), outcome="gehouden")
    return client


def kinds(consultant, today=TODAY, config=None):
    return {(i.client_id, i.kind) for i in worklist_for(consultant=consultant, today=today, config=config)}


@pytest.fixture
def consultant():
    return ConsultantUserFactory()


def test_a_settled_client_gives_no_items(consultant):
    settled_client(consultant)
    assert kinds(consultant) == set()


def test_contact_overdue_follows_the_route_interval(consultant):
    late = settled_client(consultant)
    RouteDecisionFactory(client=late, decided_on=date(2024, 4, 1), route="re_integratie", reason="Ommezwaai")
    Contact.objects.filter(client=late).update(date=date(2024, 5, 1))  # 45 days > 42 for re-integratie
    on_time = settled_client(consultant)
    RouteDecisionFactory(client=on_time, decided_on=date(2024, 4, 1), route="re_integratie", reason="x")
    Contact.objects.filter(client=on_time).update(date=date(2024, 5, 4))  # due 15 June: not yet late
    items = worklist_for(consultant=consultant, today=TODAY)
    assert {(i.client_id, i.kind) for i in items} == {(late.pk, "contact_overdue")}
    assert items[0].due == date(2024, 6, 12)
    assert items[0].days_late(TODAY) == 3


def test_without_route_decision_the_diagnosis_is_classified(consultant):
    near = ClientOnBenefitFactory(consultant=consultant, birth_date=date(1980, 1, 1))
    DiagnosisFactory(client=near, date=date(2024, 3, 1), months_to_work=0)  # directe bemiddeling: 14 days
    ContactFactory(client=near, date=date(2024, 5, 20))
    far = ClientOnBenefitFactory(consultant=consultant, birth_date=date(1980, 1, 1))
    DiagnosisFactory(client=far, date=date(2024, 3, 1), months_to_work=60)  # participatie: 182 days
    ContactFactory(client=far, date=date(2024, 5, 20))
    assert kinds(consultant) == {(near.pk, "contact_overdue")}


def test_steenwijkerland_uses_the_client_group_interval(consultant):
    client = settled_client(consultant)
    RouteDecisionFactory(
        client=client,
        decided_on=date(2024, 4, 1),
        route="participatie",
        client_group="direct_werk",
        reason="x",
    )
    Contact.objects.filter(client=client).update(date=date(2024, 5, 25))
    config = PRESETS["steenwijkerland"]["config"]
    assert kinds(consultant, config=config) == {(client.pk, "contact_overdue")}  # 14 days: due 8 June
    assert kinds(consultant, config=LV) == set()  # participatie per route: 182 days


def test_no_contact_at_all_counts_from_the_benefit_start(consultant):
    client = settled_client(consultant, benefit_start=date(2023, 6, 1))
    Contact.objects.filter(client=client).delete()
    items = worklist_for(consultant=consultant, today=TODAY)
    assert [(i.kind, i.due) for i in items] == [("contact_overdue", date(2023, 6, 1) + timedelta(days=182))]
    assert "nog geen contact" in items[0].detail


def test_a_missed_or_cancelled_contact_is_not_a_contact(consultant):
    client = settled_client(consultant)
    Contact.objects.filter(client=client).update(date=date(2023, 10, 1))
    ContactFactory(client=client, date=date(2024, 6, 10), outcome="niet_verschenen")
    ContactFactory(client=client, date=date(2024, 6, 11), outcome="afgezegd")
    assert kinds(consultant) == {(client.pk, "contact_overdue"), (client.pk, "no_show")}


def test_plan_missing_under_27_and_for_everyone_under_hof_van_twente(consultant):
    young = settled_client(consultant)
    Client.objects.filter(pk=young.pk).update(birth_date=date(1998, 1, 1))  # 26
    turned_27 = settled_client(consultant)
    Client.objects.filter(pk=turned_27.pk).update(birth_date=date(1997, 6, 15))  # 27 today
    older = settled_client(consultant)
    assert kinds(consultant) == {(young.pk, "plan_missing")}
    everyone = PRESETS["hof_van_twente"]["config"]
    assert kinds(consultant, config=everyone) == {
        (young.pk, "plan_missing"),
        (turned_27.pk, "plan_missing"),
        (older.pk, "plan_missing"),
    }


def test_a_superseded_plan_does_not_count_but_a_concept_does(consultant):
    young = settled_client(consultant, birth_date=date(2000, 1, 1))
    PlanFactory(client=young, version=1, status="vervallen")
    assert kinds(consultant) == {(young.pk, "plan_missing")}
    with freeze_time("2024-06-10 09:00:00"):
        PlanFactory(client=young, version=2, status="concept")
    assert kinds(consultant) == set()


def test_plan_unsigned_after_the_signing_term(consultant):
    client = settled_client(consultant, birth_date=date(2000, 1, 1))
    with freeze_time("2024-05-31 09:00:00"):
        old = PlanFactory(client=client, version=1)
    with freeze_time("2024-06-02 09:00:00"):
        other = settled_client(consultant, birth_date=date(2000, 1, 1))
        PlanFactory(client=other, version=1)
    items = worklist_for(consultant=consultant, today=TODAY)
    assert [(i.client_id, i.kind, i.due, i.object_id) for i in items] == [
        (client.pk, "plan_unsigned", date(2024, 6, 14), str(old.pk))
    ]


def test_stale_or_missing_diagnosis(consultant):
    stale = settled_client(consultant)
    Diagnosis.objects.filter(client=stale).update(date=date(2023, 6, 14))
    fresh = settled_client(consultant)
    Diagnosis.objects.filter(client=fresh).update(date=date(2023, 6, 15))  # exactly 12 months: due today
    none = settled_client(consultant)
    Diagnosis.objects.filter(client=none).delete()
    assert kinds(consultant) == {(stale.pk, "stale_diagnosis"), (none.pk, "stale_diagnosis")}


def test_route_limit_after_24_months_of_re_integratie_without_interruption(consultant):
    at_limit = settled_client(consultant)
    RouteDecision.objects.filter(client=at_limit).delete()
    RouteDecisionFactory(client=at_limit, decided_on=date(2022, 6, 15), route="re_integratie")
    # A later decision on the same route (a new client group) does not restart the clock.
    RouteDecisionFactory(
        client=at_limit, decided_on=date(2023, 9, 1), route="re_integratie", client_group="zorg"
    )
    not_yet = settled_client(consultant)
    RouteDecision.objects.filter(client=not_yet).delete()
    RouteDecisionFactory(client=not_yet, decided_on=date(2022, 6, 16), route="re_integratie")
    restarted = settled_client(consultant)
    RouteDecision.objects.filter(client=restarted).delete()
    RouteDecisionFactory(client=restarted, decided_on=date(2021, 1, 1), route="re_integratie")
    RouteDecisionFactory(client=restarted, decided_on=date(2022, 1, 1), route="participatie")
    RouteDecisionFactory(client=restarted, decided_on=date(2023, 1, 1), route="re_integratie")
    for client in (at_limit, not_yet, restarted):
        Contact.objects.filter(client=client).update(date=date(2024, 6, 14))
    items = [i for i in worklist_for(consultant=consultant, today=TODAY) if i.kind == "route_limit"]
    assert [(i.client_id, i.due) for i in items] == [(at_limit.pk, date(2024, 6, 15))]


def test_no_shows_trajectory_not_started_and_missed_contacts(consultant):
    client = settled_client(consultant)
    no_show = TrajectoryFactory(client=client, referral_date=date(2024, 5, 17))  # 29 days > 28
    TrajectoryFactory(client=client, referral_date=date(2024, 5, 18))  # 28 days: not yet
    TrajectoryFactory(client=client, referral_date=date(2024, 1, 1), start_date=date(2024, 1, 15))
    TrajectoryFactory(client=client, referral_date=date(2024, 1, 1), result="niet_geslaagd")
    ContactFactory(client=client, date=date(2024, 5, 16), outcome="niet_verschenen")  # 30 days ago
    ContactFactory(client=client, date=date(2024, 5, 15), outcome="niet_verschenen")  # 31 days: gone
    items = [i for i in worklist_for(consultant=consultant, today=TODAY) if i.kind == "no_show"]
    assert sorted((i.due, i.object_id) for i in items) == [
        (date(2024, 5, 16), Contact.objects.get(date=date(2024, 5, 16)).pk),
        (date(2024, 6, 14), no_show.pk),
    ]


def test_only_own_caseload_and_only_clients_on_benefit(consultant):
    colleague = ConsultantUserFactory()
    # The colleague's client has every problem there is.
    theirs = ClientOnBenefitFactory(consultant=colleague, birth_date=date(2001, 1, 1))
    TrajectoryFactory(client=theirs, referral_date=date(2024, 1, 1))
    RouteDecisionFactory(client=theirs, decided_on=date(2020, 1, 1))
    ended = settled_client(consultant)
    Benefit.objects.filter(client=ended).update(end_date=TODAY, end_reason="werk")  # first day without
    not_yet = settled_client(consultant)
    Benefit.objects.filter(client=not_yet).update(start_date=TODAY + timedelta(days=1))
    for client in (ended, not_yet):
        Contact.objects.filter(client=client).delete()
    mine = settled_client(consultant)
    Contact.objects.filter(client=mine).delete()
    assert kinds(colleague) >= {(theirs.pk, "plan_missing"), (theirs.pk, "no_show")}
    got = kinds(consultant)
    assert {client_id for client_id, _kind in got} == {mine.pk}
    assert theirs.pk not in {client_id for client_id, _kind in got}


def test_placed_client_is_classified_as_geplaatst(consultant):
    client = ClientOnBenefitFactory(consultant=consultant, birth_date=date(1980, 1, 1))
    DiagnosisFactory(client=client, date=date(2024, 3, 1), months_to_work=60)
    PlacementFactory(client=client, start_date=date(2024, 1, 1))
    ContactFactory(client=client, date=date(2024, 1, 10))
    steenwijkerland = PRESETS["steenwijkerland"]["config"]
    # geplaatst: 182 days -> due 10 July; as "leren en ontwikkelen" it would be 91 days (late).
    # The placement's own line is its nazorg contact after 3 months (decision 175).
    assert kinds(consultant, config=steenwijkerland) == {(client.pk, "nazorg")}


def test_the_active_preset_is_used_by_default(consultant):
    young_by_hvt = settled_client(consultant)
    assert kinds(consultant) == set()
    PolicyPreset.objects.update(active=False)
    PolicyPreset.objects.filter(key="hof_van_twente").update(active=True)
    assert kinds(consultant) == {(young_by_hvt.pk, "plan_missing")}


def test_grouping_keeps_the_fixed_order_of_kinds(consultant):
    client = settled_client(consultant)
    Diagnosis.objects.filter(client=client).delete()
    groups = worklist_grouped(worklist_for(consultant=consultant, today=TODAY))
    assert [g["kind"] for g in groups] == [
        "contact_overdue",
        "plan_missing",
        "plan_unsigned",
        "stale_diagnosis",
        "route_limit",
        "no_show",
        "voordracht",
        "nazorg",
        "proefplaatsing",
        "draaideur",
    ]
    assert [len(g["items"]) for g in groups] == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month():
    assert add_months(date(2022, 6, 15), 24) == date(2024, 6, 15)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)


def _caseload(consultant, n: int, offset: int) -> None:
    """n clients with benefits, contacts, diagnoses, decisions, plans and trajectories (bulk)."""
    ids = [f"Q{offset + i:06d}" for i in range(n)]
    Client.objects.bulk_create(
        Client(client_id=cid, birth_date=date(1990 + i % 15, 1, 1), consultant=consultant)
        for i, cid in enumerate(ids)
    )
    Benefit.objects.bulk_create(
        Benefit(benefit_id=f"U{cid}", client_id=cid, start_date=date(2022, 1, 1)) for cid in ids
    )
    Contact.objects.bulk_create(
        Contact(contact_id=f"C{cid}-{k}", client_id=cid, date=date(2024, 1 + k, 1), outcome=outcome)
        for cid in ids
        for k, outcome in enumerate(["gehouden", "niet_verschenen", ""])
    )
    Diagnosis.objects.bulk_create(
        Diagnosis(diagnosis_id=f"D{cid}-{k}", client_id=cid, date=date(2022 + k, 2, 1), months_to_work=6 * k)
        for cid in ids
        for k in range(2)
    )
    RouteDecision.objects.bulk_create(
        RouteDecision(client_id=cid, decided_on=date(2022, 3, 1), route="re_integratie", reason="x")
        for cid in ids[::2]
    )
    Plan.objects.bulk_create(Plan(client_id=cid, version=1, goals="x") for cid in ids[::3])
    Plan.objects.filter(client_id__in=ids).update(created_at=datetime(2024, 1, 1, 9, tzinfo=UTC))
    Trajectory.objects.bulk_create(
        Trajectory(trajectory_id=f"T{cid}", client_id=cid, referral_date=date(2024, 1, 1)) for cid in ids[::4]
    )


def test_query_count_does_not_grow_with_the_caseload(consultant, django_assert_max_num_queries):
    small = ConsultantUserFactory()
    _caseload(small, 10, 0)
    _caseload(consultant, 120, 1000)
    with CaptureQueriesContext(connection) as for_ten:
        worklist_for(consultant=small, today=TODAY)
    # 9, and 3 for placements: their nazorg contacts and the benefits behind the draaideur.
    with django_assert_max_num_queries(12):
        items = worklist_for(consultant=consultant, today=TODAY)
    with CaptureQueriesContext(connection) as for_hundred_twenty:
        worklist_for(consultant=consultant, today=TODAY)
    assert len(for_hundred_twenty) == len(for_ten)
    assert len({i.client_id for i in items}) == 120
    assert {i.kind for i in items} == {
        "contact_overdue",
        "plan_missing",
        "plan_unsigned",
        "stale_diagnosis",
        "route_limit",
        "no_show",
    }


@freeze_time("2024-06-15")
def test_a_contact_from_an_earlier_benefit_spell_does_not_make_the_new_spell_years_late(consultant):
    # Back on benefit since November after years away; the last contact was in the old spell.
    client = settled_client(consultant, benefit_start=date(2023, 11, 1))
    Contact.objects.filter(client=client).update(date=date(2019, 1, 10))
    BenefitFactory(client=client, start_date=date(2018, 6, 1), end_date=date(2019, 6, 1), end_reason="werk")
    today = date.today()
    items = [i for i in worklist_for(consultant=consultant, today=today) if i.kind == "contact_overdue"]
    # 182 days for this client group, counted from 1 November 2023 rather than from 2019.
    assert [(i.due, i.days_late(today)) for i in items] == [(date(2023, 11, 1) + timedelta(days=182), 45)]
    assert "sinds de start van de uitkering op 01-11-2023" in items[0].detail


@freeze_time("2024-06-15")
def test_a_contact_in_the_current_spell_still_counts(consultant):
    client = settled_client(consultant, benefit_start=date(2023, 11, 1))
    Contact.objects.filter(client=client).update(date=date(2023, 11, 20))
    items = [
        i for i in worklist_for(consultant=consultant, today=date.today()) if i.kind == "contact_overdue"
    ]
    assert [i.due for i in items] == [date(2023, 11, 20) + timedelta(days=182)]
    assert "laatste contact 20-11-2023" in items[0].detail
