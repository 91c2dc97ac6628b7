"""Plan van aanpak: no lost updates, no double plans, plausible deadlines, readable audit
(issue 7, points 5 and 6)."""

import re
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from hypothesis import given
from hypothesis import strategies as st

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.audit.rendering import describe
from trede.casework.plans import services as plan_services
from trede.casework.plans.models import Plan, PlanAction
from trede.casework.plans.services import (
    DEADLINE_MAX_YEARS_AHEAD,
    deadline_problem,
    plan_action_done,
    plan_agree_client,
    plan_agree_consultant,
    plan_create,
    plan_edit_token,
)
from trede.casework.tests.factories_plans import ClientOnBenefitFactory, ConsultantUserFactory, UserFactory
from trede.utils.concurrency import StaleEditError, new_submission_key

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + timedelta(days=30)
ACTIONS = [
    {"description": "Cv bijwerken", "owner": "klant", "deadline": SOON},
    {"description": "Werkgevers benaderen", "owner": "consulent", "deadline": SOON},
]


@pytest.fixture
def consultant():
    return ConsultantUserFactory(team="Noord", user__first_name="Sanne", user__last_name="de Vries")


@pytest.fixture
def own_client(consultant):
    return ClientOnBenefitFactory(consultant=consultant, birth_date=date(2001, 2, 3))


@pytest.fixture
def resident(own_client):
    return UserFactory(role=Role.INWONER, client=own_client)


@pytest.fixture
def concept(consultant, own_client):
    return plan_create(user=consultant.user, client=own_client, goals="Werk in de techniek", actions=ACTIONS)


def _fresh(plan):
    return Plan.objects.select_related("consultant_agreed_by").prefetch_related("actions").get(pk=plan.pk)


def _html(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _form_data(goals="Binnen een jaar werk als monteur", deadline=None, **extra):
    return {
        "goals": goals,
        "afspraak-TOTAL_FORMS": "3",
        "afspraak-INITIAL_FORMS": "0",
        "afspraak-0-description": "Rijbewijs halen",
        "afspraak-0-owner": "klant",
        "afspraak-0-deadline": (deadline or SOON).isoformat(),
        **extra,
    }


def _opened(client, own_client):
    """What the 'plan opstellen / nieuwe versie' page gave the browser: its hidden values."""
    form = client.get(reverse("casework:plan_new", kwargs={"client_id": own_client.pk})).context["form"]
    return {"edit_token": form["edit_token"].value(), "submission_key": form["submission_key"].value()}


# --------------------------------------------------------------------------- services


def test_an_agreement_over_a_colleagues_newer_save_is_refused_and_says_what_changed(
    consultant, own_client, concept
):
    mine = plan_edit_token(_fresh(concept))
    plan_agree_consultant(user=consultant.user, plan=concept, edit_token=plan_edit_token(_fresh(concept)))
    with pytest.raises(StaleEditError) as refused:
        plan_agree_client(user=consultant.user, plan=concept, via="in_gesprek", edit_token=mine)
    message = " ".join(refused.value.messages)
    assert "Iemand anders heeft dit plan van aanpak gewijzigd" in message
    assert re.search(
        r"Akkoord consulent: nog niet → gegeven op \d\d-\d\d-\d{4} \d\d:\d\d door Sanne de Vries", message
    )
    concept.refresh_from_db()
    assert (concept.client_agreed_at, concept.status, concept.lock_version) == (None, "concept", 1)


def test_lock_version_counts_changes_of_the_row_while_version_numbers_revisions(consultant, own_client):
    v1 = plan_create(user=consultant.user, client=own_client, goals="v1", actions=ACTIONS)
    plan_agree_consultant(user=consultant.user, plan=v1)
    v2 = plan_create(user=consultant.user, client=own_client, goals="v2", actions=ACTIONS)
    v1.refresh_from_db()
    # v1: agreed (1), then replaced by v2 (2); v2 is a new row with its own lock.
    assert (v1.version, v1.status, v1.lock_version) == (1, "vervallen", 2)
    assert (v2.version, v2.lock_version) == (2, 0)


def test_marking_an_action_done_claims_the_plan(consultant, concept):
    first, second = concept.actions.order_by("position")
    seen = plan_edit_token(_fresh(concept))
    plan_action_done(user=consultant.user, action=first, edit_token=seen)
    with pytest.raises(StaleEditError) as refused:
        plan_action_done(user=consultant.user, action=second, edit_token=seen)
    assert "Afspraak “Cv bijwerken”: nog niet gedaan → gedaan op" in " ".join(refused.value.messages)
    second.refresh_from_db()
    assert second.done_on is None
    # The same action twice (a double click) is no error and writes nothing more.
    plan_action_done(user=consultant.user, action=first, edit_token=seen)
    assert AuditEvent.objects.filter(event="plan_action_done").count() == 1


def test_a_revision_on_plans_someone_changed_since_is_refused(consultant, own_client, concept):
    seen = [plan_edit_token(_fresh(concept))]
    plan_agree_consultant(user=consultant.user, plan=concept)
    with pytest.raises(StaleEditError, match="Versie 1, akkoord consulent: nog niet → gegeven op"):
        plan_create(user=consultant.user, client=own_client, goals="v2", actions=ACTIONS, seen=seen)
    assert list(Plan.objects.filter(client=own_client).values_list("version", "status")) == [(1, "concept")]


def test_a_plan_that_appeared_while_the_page_was_open_is_not_replaced(consultant, own_client, concept):
    with pytest.raises(StaleEditError) as refused:
        plan_create(user=consultant.user, client=own_client, goals="mijn plan", actions=ACTIONS, seen=[])
    assert "Versie 1: (er was nog geen) → concept" in " ".join(refused.value.messages)
    assert Plan.objects.filter(client=own_client).count() == 1


def test_the_same_form_sent_twice_draws_up_one_plan(consultant, own_client):
    key = new_submission_key()
    first = plan_create(
        user=consultant.user, client=own_client, goals="g", actions=ACTIONS, submission_key=key
    )
    again = plan_create(
        user=consultant.user, client=own_client, goals="g", actions=ACTIONS, seen=[], submission_key=key
    )
    assert first.pk == again.pk
    assert Plan.objects.filter(client=own_client).count() == 1
    assert AuditEvent.objects.filter(event="plan_drawn_up").count() == 1


# --------------------------------------------------------------------------- pages


def test_two_consultants_on_one_page_the_second_agreement_is_refused_with_409(
    client, consultant, own_client, concept
):
    detail = reverse("casework:plan_detail", kwargs={"client_id": own_client.pk})
    agree = reverse("casework:plan_agree", kwargs={"plan_id": concept.pk})
    client.force_login(consultant.user)
    token = client.get(detail).context["concept"].edit_token
    assert client.post(agree, {"wie": "consulent", "edit_token": token}).status_code == 302
    refused = client.post(agree, {"wie": "klant", "edit_token": token})
    assert refused.status_code == 409
    html = _html(refused)
    assert "Iemand anders heeft dit plan van aanpak gewijzigd nadat u de pagina opende" in html
    assert "Akkoord consulent: nog niet → gegeven op" in html
    assert 'role="alert"' in html
    concept.refresh_from_db()
    assert concept.client_agreed_at is None


def test_a_form_without_its_token_writes_nothing(client, consultant, own_client, concept):
    client.force_login(consultant.user)
    agree = reverse("casework:plan_agree", kwargs={"plan_id": concept.pk})
    response = client.post(agree, {"wie": "consulent"})
    assert response.status_code == 400 and "Open de pagina opnieuw" in _html(response)
    action = concept.actions.first()
    done = client.post(
        reverse("casework:plan_action_done", kwargs={"action_id": action.pk}), {"edit_token": "x"}
    )
    assert done.status_code == 400
    concept.refresh_from_db()
    action.refresh_from_db()
    assert (concept.consultant_agreed_at, action.done_on, concept.lock_version) == (None, None, 0)


def test_an_action_done_over_a_newer_save_is_refused_on_the_page(client, consultant, own_client, concept):
    client.force_login(consultant.user)
    detail = reverse("casework:plan_detail", kwargs={"client_id": own_client.pk})
    page = client.get(detail)
    token = page.context["concept"].edit_token
    assert f'name="edit_token" value="{token}"' in page.content.decode()
    first, second = concept.actions.order_by("position")
    plan_agree_consultant(user=consultant.user, plan=concept)  # a colleague, meanwhile
    refused = client.post(
        reverse("casework:plan_action_done", kwargs={"action_id": second.pk}), {"edit_token": token}
    )
    assert refused.status_code == 409 and "Akkoord consulent: nog niet → gegeven op" in _html(refused)
    second.refresh_from_db()
    assert second.done_on is None


def test_the_resident_agreeing_after_a_change_is_refused_with_409(
    client, consultant, own_client, resident, concept
):
    client.force_login(resident)
    token = client.get(reverse("casework:my_plan")).context["concept"].edit_token
    plan_agree_client(user=consultant.user, plan=concept, via="in_gesprek")
    refused = client.post(
        reverse("casework:my_plan_agree", kwargs={"plan_id": concept.pk}), {"edit_token": token}
    )
    assert refused.status_code == 409
    html = _html(refused)
    assert "Uw akkoord is niet vastgelegd" in html and "Akkoord klant: nog niet → gegeven op" in html
    concept.refresh_from_db()
    assert concept.client_agreed_via == "in_gesprek"


def test_a_new_version_over_a_colleagues_version_is_refused_then_saved_knowingly(
    client, consultant, own_client, concept
):
    client.force_login(consultant.user)
    url = reverse("casework:plan_new", kwargs={"client_id": own_client.pk})
    opened = _opened(client, own_client)
    plan_create(user=consultant.user, client=own_client, goals="van de collega", actions=ACTIONS)
    refused = client.post(url, _form_data(**opened))
    assert refused.status_code == 409
    html = _html(refused)
    assert "Versie 1, status: concept → vervangen door nieuwe versie" in html
    assert "Versie 2: (er was nog geen) → concept" in html
    assert "Binnen een jaar werk als monteur" in html  # what the user typed is still there
    assert Plan.objects.filter(client=own_client).count() == 2
    # The page now carries the plans as they are: saving again is a choice, and lands.
    again = dict(_form_data(**opened), edit_token=refused.context["form"]["edit_token"].value())
    assert client.post(url, again).status_code == 302
    assert list(
        Plan.objects.filter(client=own_client).order_by("version").values_list("status", flat=True)
    ) == [
        "vervallen",
        "vervallen",
        "concept",
    ]


def test_a_double_submit_of_the_plan_form_draws_up_one_plan(client, consultant, own_client):
    client.force_login(consultant.user)
    url = reverse("casework:plan_new", kwargs={"client_id": own_client.pk})
    data = _form_data(**_opened(client, own_client))
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # back button, or a second click
    assert Plan.objects.filter(client=own_client).count() == 1
    # A form opened anew is a new plan (a revision of the first).
    assert client.post(url, _form_data(**_opened(client, own_client))).status_code == 302
    assert Plan.objects.filter(client=own_client).count() == 2


# --------------------------------------------------------------------------- deadlines


@freeze_time("2026-03-10 09:00:00")
@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        (date(2026, 3, 9), "De uiterste datum 09-03-2026 ligt in het verleden; kies vandaag of later."),
        (date(1899, 12, 31), "ligt in het verleden"),
        (
            date(2031, 3, 11),
            f"ligt meer dan {DEADLINE_MAX_YEARS_AHEAD} jaar vooruit; controleer het jaartal.",
        ),
        (date(2262, 3, 1), "controleer het jaartal"),
    ],
)
def test_an_implausible_deadline_is_refused_on_the_page_and_in_the_service(
    client, consultant, own_client, deadline, message
):
    client.force_login(consultant.user)
    url = reverse("casework:plan_new", kwargs={"client_id": own_client.pk})
    response = client.post(url, _form_data(deadline=deadline, **_opened(client, own_client)))
    assert response.status_code == 200 and message in _html(response)
    with pytest.raises(Exception, match=re.escape(message[1:])):
        plan_create(
            user=consultant.user,
            client=own_client,
            goals="g",
            actions=[{"description": "x", "owner": "klant", "deadline": deadline}],
        )
    assert not Plan.objects.exists()


@freeze_time("2026-03-10 09:00:00")
def test_today_and_five_years_ahead_are_allowed(client, consultant, own_client):
    client.force_login(consultant.user)
    url = reverse("casework:plan_new", kwargs={"client_id": own_client.pk})
    data = _form_data(deadline=date(2026, 3, 10), **_opened(client, own_client))
    data.update(
        {"afspraak-1-description": "Later", "afspraak-1-owner": "klant", "afspraak-1-deadline": "2031-03-10"}
    )
    assert client.post(url, data).status_code == 302
    assert sorted(PlanAction.objects.values_list("deadline", flat=True)) == [
        date(2026, 3, 10),
        date(2031, 3, 10),
    ]


@given(offset=st.integers(min_value=-80_000, max_value=80_000))
def test_deadline_rule_accepts_exactly_today_up_to_the_horizon(offset):
    today = date(2026, 3, 10)
    deadline = today + timedelta(days=offset)
    horizon = date(2026 + DEADLINE_MAX_YEARS_AHEAD, 3, 10)
    assert (deadline_problem(deadline, today=today) == "") == (today <= deadline <= horizon)


def test_an_old_open_action_must_get_a_new_deadline_in_a_revision(client, consultant, own_client):
    """A revision takes over the open actions; one whose deadline passed is named."""
    with freeze_time("2025-01-10"):
        plan_create(
            user=consultant.user,
            client=own_client,
            goals="g",
            actions=[{"description": "Taalcursus", "owner": "klant", "deadline": date(2025, 2, 1)}],
        )
    client.force_login(consultant.user)
    url = reverse("casework:plan_new", kwargs={"client_id": own_client.pk})
    page = client.get(url)
    formset = page.context["formset"]
    data = {
        "goals": "g2",
        **_opened(client, own_client),
        "afspraak-TOTAL_FORMS": str(formset.total_form_count()),
        "afspraak-INITIAL_FORMS": "0",
        "afspraak-0-description": "Taalcursus",
        "afspraak-0-owner": "klant",
        "afspraak-0-deadline": "2025-02-01",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "De uiterste datum 01-02-2025 ligt in het verleden" in _html(
        response
    )
    assert Plan.objects.filter(client=own_client).count() == 1


def test_goals_of_a_sensible_size(client, consultant, own_client):
    client.force_login(consultant.user)
    url = reverse("casework:plan_new", kwargs={"client_id": own_client.pk})
    response = client.post(url, _form_data(goals="x" * 5001, **_opened(client, own_client)))
    assert response.status_code == 200 and "Houd de doelen korter dan 5.000 tekens." in _html(response)
    assert not Plan.objects.exists()


# --------------------------------------------------------------------------- audit


def test_plan_events_are_named_readable_and_hold_codes_only(consultant, own_client, resident):
    v1 = plan_create(user=consultant.user, client=own_client, goals="Geheim doel", actions=ACTIONS)
    plan_agree_consultant(user=consultant.user, plan=v1)
    plan_agree_client(user=resident, plan=v1, via="online")
    plan_action_done(user=consultant.user, action=v1.actions.first())
    v2 = plan_create(user=consultant.user, client=own_client, goals="Nieuw doel", actions=ACTIONS)
    plan_agree_client(user=consultant.user, plan=v2, via="in_gesprek")
    rows = list(AuditEvent.objects.filter(purpose="plan van aanpak").exclude(action="read").order_by("id"))
    assert [r.event for r in rows] == [
        "plan_drawn_up",
        "plan_agreed_by_consultant",
        "plan_agreed_by_client_online",
        "plan_signed",
        "plan_action_done",
        "plan_drawn_up",
        "plan_agreed_by_client_in_conversation",
    ]
    texts = [describe(r) for r in rows]
    assert (
        texts[0]
        == "Plan van aanpak versie 1 opgesteld als concept, met 2 afspraken; vervallen concepten: geen."
    )
    assert texts[2] == "De klant ging online akkoord met plan van aanpak versie 1."
    assert texts[3].startswith("Plan van aanpak versie 1 ondertekend door klant en consulent")
    assert re.fullmatch(
        r"Afspraak \d+ van plan van aanpak versie 1 staat op gedaan \(op \d\d-\d\d-\d{4}\)\.", texts[4]
    )
    assert texts[6] == "Akkoord van de klant in het gesprek vastgelegd voor plan van aanpak versie 2."
    for row in rows:
        assert "doel" not in str(row.details).lower()
        assert all(isinstance(v, int | str | list) for v in row.details.values())


def test_plan_services_write_audit_only_through_logevent():
    source = Path(plan_services.__file__).read_text()
    assert "audit_record" not in source and "audit.services" not in source


# --------------------------------------------------------------------------- PostgreSQL


def _race(work, count=2):
    outcomes, barrier = [], threading.Barrier(count)

    def run(n):
        from django.db import connections

        try:
            barrier.wait()
            work(n)
            outcomes.append("landed")
        except StaleEditError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def _needs_server():
    if connection.vendor == "sqlite":
        pytest.skip("threads need a database server; SQLite's in-memory test database is per connection")


@pytest.mark.django_db(transaction=True)
def test_two_agreements_racing_on_one_version_one_lands(consultant, own_client, concept):
    _needs_server()
    token = plan_edit_token(_fresh(concept))

    def agree(n):
        if n == 0:
            plan_agree_consultant(user=consultant.user, plan=concept, edit_token=token)
        else:
            plan_agree_client(user=consultant.user, plan=concept, via="in_gesprek", edit_token=token)

    assert _race(agree) == ["landed", "refused"]
    concept.refresh_from_db()
    assert concept.lock_version == 1
    assert (concept.consultant_agreed_at is None) != (concept.client_agreed_at is None)


@pytest.mark.django_db(transaction=True)
def test_two_revisions_racing_on_the_same_plans_one_lands(consultant, own_client, concept):
    _needs_server()
    seen = [plan_edit_token(_fresh(concept))]

    def revise(n):
        with transaction.atomic():
            plan_create(
                user=consultant.user, client=own_client, goals=f"versie {n}", actions=ACTIONS, seen=seen
            )

    assert _race(revise) == ["landed", "refused"]
    assert list(
        Plan.objects.filter(client=own_client).order_by("version").values_list("version", "status")
    ) == [
        (1, "vervallen"),
        (2, "concept"),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_racing_draws_up_one_plan(consultant, own_client):
    _needs_server()
    key = new_submission_key()

    def submit(n):
        plan_create(
            user=consultant.user, client=own_client, goals="g", actions=ACTIONS, seen=[], submission_key=key
        )

    assert _race(submit) == ["landed", "landed"]
    assert Plan.objects.filter(client=own_client).count() == 1
