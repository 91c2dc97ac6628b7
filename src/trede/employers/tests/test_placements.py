"""Placements and nazorg (issue 10, point 7; decisions 174-177): the date rules with
Hypothesis, the services' subsidy rules, corrections, double submits and stale edits,
the worklist lines (nazorg, proefplaatsing, draaideur), the jobcoach warning, the
accountmanager's signal, and the pages."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.contacts.selectors import worklist_for
from trede.casework.tests.factories import ContactFactory
from trede.casework.tests.factories_plans import (
    ClientOnBenefitFactory,
    ConsultantUserFactory,
    PlacementFactory,
    UserFactory,
)
from trede.employers.models import NazorgContact, Placement
from trede.employers.placements import rules, selectors, services
from trede.employers.tests.factories import EmployerFactory
from trede.monitor.duurzaam import rules as monitor_rules
from trede.utils.dates import add_months

TODAY = date(2024, 6, 15)
MONTHS = [1, 3, 6, 12]
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))
RULES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------- rules


@RULES
@given(start=days, today=days, done=st.sets(st.sampled_from(MONTHS)))
def test_the_open_nazorg_moment_is_the_latest_due_one_without_a_contact(start, today, done):
    found = rules.nazorg_open(start, MONTHS, done, today, last_open_months=3)
    due = [(m, add_months(start, m)) for m in MONTHS if add_months(start, m) <= today]
    if found is None:
        # Nothing due, the latest due one done, or the last one asked long enough.
        assert (
            not due
            or due[-1][0] in done
            or (due[-1][0] == 12 and today >= add_months(add_months(start, 12), 3))
        )
    else:
        m, when = found
        assert (m, when) == due[-1]
        assert m not in done and when <= today
        assert when == add_months(start, m)


def test_nazorg_moments_fall_on_the_same_day_of_the_month():
    assert rules.nazorg_moments(date(2024, 1, 31), MONTHS) == [
        (1, date(2024, 2, 29)),
        (3, date(2024, 4, 30)),
        (6, date(2024, 7, 31)),
        (12, date(2025, 1, 31)),
    ]
    # A missed one-month contact is not asked in month four; the three-month one is.
    assert rules.nazorg_open(date(2024, 1, 1), MONTHS, set(), date(2024, 5, 1), last_open_months=3) == (
        3,
        date(2024, 4, 1),
    )


@RULES
@given(ended=days, start=days, window=st.integers(min_value=1, max_value=36))
def test_returned_within_is_the_window_before_the_new_start(ended, start, window):
    assert rules.returned_within(ended, start, window) == (add_months(start, -window) <= ended <= start)


@RULES
@given(
    gap_days=st.integers(min_value=1, max_value=800),
    previous_reason=st.sampled_from(["werk", "verhuizing"]),
)
def test_the_figures_count_the_draaideur_by_the_same_rule(gap_days, previous_reason):
    """The monitor's herinstroom and the worklist's draaideur agree for every gap."""
    first_end = date(2022, 3, 1)
    second = first_end + timedelta(days=gap_days)
    spells = [
        monitor_rules.Spell("K1", date(2020, 1, 1), first_end, previous_reason),
        monitor_rules.Spell("K1", second, None),
    ]
    period = monitor_rules.Period("alles", date(2020, 1, 1), date(2030, 1, 1))
    (row,) = monitor_rules.draaideur(spells, [period], 12)
    assert row.returning == int(rules.returned_within(first_end, second, 12))
    assert row.returning_after_work == int(
        rules.returned_within(first_end, second, 12) and previous_reason == "werk"
    )


def test_spells_join_touching_benefits_as_the_monitor_does():
    joined = rules.spells_of(
        [
            (date(2020, 1, 1), date(2021, 1, 1), "verhuizing"),
            (date(2021, 1, 1), date(2022, 1, 1), "werk"),  # starts on the end: same spell
            (date(2022, 1, 2), None, ""),
        ]
    )
    assert joined == [(date(2020, 1, 1), date(2022, 1, 1), "werk"), (date(2022, 1, 2), None, "")]


@RULES
@given(contract_months=st.integers(min_value=1, max_value=24), gap=st.integers(min_value=0, max_value=40))
def test_a_proefplaatsing_is_followed_by_a_contract_of_six_months(contract_months, gap):
    proef = rules.Span(date(2024, 1, 1), date(2024, 3, 1), "E1", True)
    start = date(2024, 3, 1) + timedelta(days=gap)
    later = [rules.Span(start, add_months(start, contract_months), "E1", False)]
    assert rules.proef_followed(proef, later, min_months=6, follow_days=14) == (
        contract_months >= 6 and gap <= 14
    )
    other_employer = [rules.Span(start, None, "E2", False)]
    assert not rules.proef_followed(proef, other_employer, min_months=6, follow_days=14)


# --------------------------------------------------------------------------- services


@pytest.fixture
def consultant(db):
    return ConsultantUserFactory()


@pytest.fixture
def client_(consultant):
    return ClientOnBenefitFactory(consultant=consultant, birth_date=date(1980, 1, 1))


def data(employer, **changes):
    values = {
        "employer": employer,
        "start_date": date(2024, 2, 1),
        "contract": "tijdelijk",
        "hours_per_week": Decimal("24"),
    }
    return services.PlacementInput(**(values | changes))


def test_recording_a_placement_is_audited_and_a_double_submit_makes_one(consultant, client_):
    employer = EmployerFactory()
    key = "8d7f1c2e-1111-4222-8333-444455556666"
    first = services.placement_record(
        user=consultant.user, client=client_, data=data(employer), submission_key=key, today=TODAY
    )
    again = services.placement_record(
        user=consultant.user, client=client_, data=data(employer), submission_key=key, today=TODAY
    )
    assert first.placement.pk == again.placement.pk and not again.created
    assert Placement.objects.filter(client=client_).count() == 1
    event = AuditEvent.objects.get(event="placement_recorded")
    assert (event.client_id, event.object_id) == (client_.pk, first.placement.pk)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"subsidy": "lks"}, "wage_value_pct"),
        ({"subsidy": "lks", "wage_value_pct": Decimal("100")}, "wage_value_pct"),
        ({"contract": "proefplaatsing"}, "end_date"),
        ({"contract": "proefplaatsing", "end_date": date(2024, 5, 1)}, "end_date"),
        ({"subsidy": "proefplaatsing", "contract": "vast", "end_date": date(2024, 3, 1)}, "contract"),
        ({"hours_per_week": None}, "hours_per_week"),
        ({"end_date": date(2024, 1, 1)}, "end_date"),
    ],
)
def test_the_subsidy_rules_are_checked_in_the_service(consultant, client_, changes, field):
    with pytest.raises(ValidationError) as refused:
        services.placement_record(
            user=consultant.user, client=client_, data=data(EmployerFactory(), **changes), today=TODAY
        )
    assert field in refused.value.error_dict


def test_lks_with_a_wage_value_and_a_proefplaatsing_of_two_months_are_recorded(consultant, client_):
    employer = EmployerFactory()
    lks = services.placement_record(
        user=consultant.user,
        client=client_,
        data=data(employer, subsidy="lks", wage_value_pct=Decimal("60"), supplementary_benefit=True),
        today=TODAY,
    ).placement
    assert (lks.subsidy, lks.wage_value_pct, lks.supplementary_benefit) == ("lks", Decimal("60"), True)
    proef = services.placement_record(
        user=consultant.user,
        client=client_,
        data=data(employer, contract="proefplaatsing", end_date=date(2024, 4, 1)),
        today=TODAY,
    ).placement
    assert proef.is_proefplaatsing


def test_only_the_consultant_who_works_the_file_records(consultant, client_):
    other = ConsultantUserFactory()
    with pytest.raises(PermissionDenied):
        services.placement_record(user=other.user, client=client_, data=data(EmployerFactory()), today=TODAY)


def test_a_correction_keeps_the_original_and_a_stale_one_is_refused(consultant, client_):
    placement = services.placement_record(
        user=consultant.user, client=client_, data=data(EmployerFactory()), today=TODAY
    ).placement
    token = services.placement_edit_token(placement)
    with pytest.raises(ValidationError):
        services.placement_correct(
            user=consultant.user,
            placement=placement,
            data=data(placement.employer),
            token=token,
            reason="nee",
        )
    services.placement_correct(
        user=consultant.user,
        placement=placement,
        data=data(placement.employer, hours_per_week=Decimal("32")),
        token=token,
        reason="Uren waren verkeerd overgenomen.",
        today=TODAY,
    )
    placement.refresh_from_db()
    assert (placement.hours_per_week, placement.correction_reason) == (
        Decimal("32"),
        "Uren waren verkeerd overgenomen.",
    )
    assert [v.hours_per_week for v in placement.history.order_by("history_date")] == [
        Decimal("24"),
        Decimal("32"),
    ]
    with pytest.raises(ValidationError) as stale:
        services.placement_correct(
            user=consultant.user,
            placement=placement,
            data=data(placement.employer, hours_per_week=Decimal("20")),
            token=token,
            reason="Nog een keer anders.",
            today=TODAY,
        )
    assert getattr(stale.value, "status_code", None) == 409
    assert AuditEvent.objects.filter(event="placement_corrected").count() == 1


def test_a_second_jobcoach_at_one_employer_is_a_warning_not_a_refusal(consultant, client_):
    employer = EmployerFactory()
    PlacementFactory(employer=employer, start_date=date(2024, 1, 1), jobcoach_name="Jan Coach")
    saved = services.placement_record(
        user=consultant.user, client=client_, data=data(employer, jobcoach_name="Piet Anders"), today=TODAY
    )
    assert saved.placement.pk and len(saved.warnings) == 1 and "Jan Coach" in saved.warnings[0]
    same = services.placement_record(
        user=consultant.user,
        client=ClientOnBenefitFactory(consultant=consultant),
        data=data(employer, jobcoach_name="jan coach"),
        today=TODAY,
    )
    assert [w for w in same.warnings if "Jan Coach" in w] == []


def test_the_owning_accountmanager_sees_a_consultants_placement_until_seen(consultant, client_):
    am = UserFactory(username="am1", role=Role.ACCOUNTMANAGER)
    employer = EmployerFactory(account_manager=am)
    placement = services.placement_record(
        user=consultant.user, client=client_, data=data(employer), today=TODAY
    ).placement
    assert selectors.signals_for(am) == [placement]
    services.placement_signal_seen(user=am, placement=placement)
    assert selectors.signals_for(am) == []
    assert AuditEvent.objects.filter(event="placement_signal_seen").count() == 1


# --------------------------------------------------------------------------- worklist


def lines(consultant, kind, today=TODAY):
    return [i for i in worklist_for(consultant=consultant, today=today) if i.kind == kind]


def test_nazorg_appears_when_due_and_leaves_when_registered(consultant, client_):
    placement = PlacementFactory(client=client_, start_date=date(2024, 3, 1), contract="vast")
    assert [i.due for i in lines(consultant, "nazorg", today=date(2024, 3, 31))] == []
    (item,) = lines(consultant, "nazorg")
    assert (item.due, item.object_id, item.action) == (date(2024, 6, 1), placement.pk, "placement")
    services.nazorg_register(
        user=consultant.user,
        placement=placement,
        moment_months=3,
        contact_date=TODAY,
        still_at_work=True,
        remarks="Gaat goed.",
        today=TODAY,
    )
    assert lines(consultant, "nazorg") == []
    assert AuditEvent.objects.filter(event="nazorg_registered").count() == 1
    with pytest.raises(ValidationError):
        services.nazorg_register(
            user=consultant.user,
            placement=placement,
            moment_months=3,
            contact_date=TODAY,
            still_at_work=True,
            today=TODAY,
        )


def test_nazorg_follows_a_client_whose_benefit_ended(consultant):
    client = ClientOnBenefitFactory(consultant=consultant, benefit_start=date(2022, 1, 1))
    client.benefits.update(end_date=date(2024, 3, 1), end_reason="werk")
    PlacementFactory(client=client, start_date=date(2024, 3, 1), contract="vast")
    assert [i.client_id for i in lines(consultant, "nazorg")] == [client.pk]


def test_a_proefplaatsing_without_its_contract_is_on_the_worklist(consultant, client_):
    employer = EmployerFactory()
    proef = PlacementFactory(
        client=client_,
        employer=employer,
        start_date=date(2024, 3, 1),
        end_date=date(2024, 5, 1),
        contract="proefplaatsing",
    )
    (item,) = lines(consultant, "proefplaatsing")
    assert item.due == date(2024, 5, 1)
    assert lines(consultant, "nazorg") == []  # the proefplaatsing has no nazorg of its own
    PlacementFactory(
        client=client_,
        employer=employer,
        start_date=date(2024, 5, 1),
        end_date=date(2024, 11, 1),
        contract="tijdelijk",
    )
    assert lines(consultant, "proefplaatsing") == []
    assert selectors.proef_followed(proef)


def test_a_client_back_on_benefit_after_work_is_a_draaideur_until_contacted(consultant):
    client = ClientOnBenefitFactory(consultant=consultant, benefit_start=date(2024, 4, 1))
    BenefitFactory(client=client, start_date=date(2021, 1, 1), end_date=date(2023, 9, 1), end_reason="werk")
    (item,) = lines(consultant, "draaideur")
    assert item.due == date(2024, 4, 1) and "01-09-2023" in item.detail
    ContactFactory(client=client, date=date(2024, 5, 1), outcome="gehouden")
    assert lines(consultant, "draaideur") == []


def test_back_after_a_placement_also_counts_but_not_after_the_window(consultant):
    client = ClientOnBenefitFactory(consultant=consultant, benefit_start=date(2024, 4, 1))
    PlacementFactory(
        client=client, start_date=date(2023, 8, 1), end_date=date(2024, 3, 15), contract="tijdelijk"
    )
    assert [i.client_id for i in lines(consultant, "draaideur")] == [client.pk]
    Placement.objects.update(start_date=date(2022, 8, 1), end_date=date(2023, 3, 1))
    assert lines(consultant, "draaideur") == []


# --------------------------------------------------------------------------- pages


def test_the_pages_record_show_and_register(consultant, client_, client):
    employer = EmployerFactory(name="Bakkerij Noord")
    client.force_login(consultant.user)
    page = client.get(reverse("employers:placement_new", args=[client_.pk]))
    assert page.status_code == 200 and "Plaatsing vastleggen" in page.content.decode()
    key = page.context["form"].initial["submission_key"]
    form = {
        "employer": employer.pk,
        "start_date": "2024-01-10",
        "contract": "vast",
        "hours_per_week": "20",
        "subsidy": "geen",
        "submission_key": key,
    }
    response = client.post(reverse("employers:placement_new", args=[client_.pk]), form)
    assert response.status_code == 302
    client.post(reverse("employers:placement_new", args=[client_.pk]), form)
    placement = Placement.objects.get(client=client_)
    page = client.get(reverse("employers:placement", args=[placement.pk]))
    text = page.content.decode()
    assert "Bakkerij Noord" in text and "Nazorgcontact vastleggen" in text
    moment = page.context["form"].initial["moment_months"]
    response = client.post(
        reverse("employers:placement", args=[placement.pk]),
        {
            "moment_months": moment,
            "contact_date": date.today().isoformat(),
            "still_at_work": "ja",
            "remarks": "Prima",
        },
    )
    assert response.status_code == 302
    assert NazorgContact.objects.filter(
        placement=placement, moment_months=moment, still_at_work=True
    ).exists()
    refused = client.post(
        reverse("employers:placement_new", args=[client_.pk]),
        form | {"subsidy": "lks", "submission_key": ""},
    )
    assert refused.status_code == 400 and "loonwaarde" in refused.content.decode()
