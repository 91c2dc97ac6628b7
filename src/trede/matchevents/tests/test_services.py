"""The services of matching events: only the organiser changes an event, the indeling is
the engine's optimum within the places and its hard constraints, with the Dutch reasons
per pair, a re-run replaces only pairs not confirmed, a confirmed pair is a voordracht,
double submits make nothing twice and an edit over a newer one is refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trede.audit.models import AuditEvent
from trede.audit.rendering import describe
from trede.employers.constants import VoordrachtStatus
from trede.employers.models import Voordracht
from trede.matchevents import selectors, services
from trede.matchevents.constants import EventStatus, PairStatus
from trede.matchevents.models import EventCandidate, EventPair, EventVacancy, Indeling, MatchEvent
from trede.utils.concurrency import StaleEditError, new_submission_key

pytestmark = pytest.mark.django_db


def _fill(w, *names):
    am, event = w["am"], w["event"]
    services.matchevent_vacancy_set(user=am, event=event, vacancy=w["cleaning"], places=2)
    services.matchevent_vacancy_set(user=am, event=event, vacancy=w["warehouse"], places=1)
    for name in names or ("schoon1", "schoon2", "magazijn", "ver"):
        services.matchevent_candidate_invite(user=am, event=event, client=w["clients"][name])
    event.refresh_from_db()
    return event


def _make(w, event=None, **kw):
    event = event or w["event"]
    event.refresh_from_db()
    return services.indeling_make(
        user=w["am"], event=event, token=services.event_edit_token(event), day=w["today"], **kw
    )


def test_create_once_per_submission_key_and_audited(w):
    key = new_submission_key()
    data = services.EventInput(name="  Speeddates   zorg ", date=date(2026, 12, 20), kind="speeddate")
    first = services.matchevent_create(user=w["am"], data=data, submission_key=key)
    again = services.matchevent_create(user=w["am"], data=data, submission_key=key)
    assert first.pk == again.pk and first.name == "Speeddates zorg"
    assert first.organiser == w["am"] and first.status == EventStatus.CONCEPT
    rows = AuditEvent.objects.filter(event="matchevent_saved", object_id=str(first.pk))
    assert rows.count() == 1
    assert describe(rows.get()) == f"Matchingbijeenkomst {first.pk} aangemaakt: geen."


def test_create_refused_for_other_roles_and_bad_input(w):
    with pytest.raises(PermissionDenied):
        services.matchevent_create(
            user=w["consultant"], data=services.EventInput(name="x", date=date(2026, 1, 1))
        )
    with pytest.raises(ValidationError) as error:
        services.matchevent_create(user=w["am"], data=services.EventInput(name=" ", date=date(2026, 1, 1)))
    assert "Geef de bijeenkomst een naam." in error.value.messages


def test_only_the_organiser_changes_the_event(w):
    event = w["event"]
    token = services.event_edit_token(event)
    before = AuditEvent.objects.filter(action="denied").count()
    with pytest.raises(PermissionDenied):
        services.matchevent_update(
            user=w["other_am"],
            event=event,
            data=services.EventInput(name="Anders", date=event.date),
            token=token,
        )
    with pytest.raises(PermissionDenied):
        services.matchevent_vacancy_set(user=w["other_am"], event=event, vacancy=w["cleaning"], places=1)
    with pytest.raises(PermissionDenied):
        services.indeling_make(user=w["other_am"], event=event, token=token)
    assert AuditEvent.objects.filter(action="denied").count() == before + 3


def test_edit_over_a_newer_edit_is_refused(w):
    event = w["event"]
    token = services.event_edit_token(event)
    services.matchevent_update(
        user=w["am"],
        event=event,
        data=services.EventInput(name="Netwerkcafé januari", date=event.date),
        token=token,
    )
    with pytest.raises(StaleEditError) as error:
        services.matchevent_update(
            user=w["am"],
            event=event,
            data=services.EventInput(name="Iets anders", date=event.date),
            token=token,
        )
    assert "Naam: Netwerkcafé december → Netwerkcafé januari" in " ".join(error.value.messages)
    assert MatchEvent.objects.get(pk=event.pk).name == "Netwerkcafé januari"


def test_vacancies_only_from_own_accounts_once_each(w):
    am, event = w["am"], w["event"]
    services.matchevent_vacancy_set(user=am, event=event, vacancy=w["cleaning"], places=2)
    services.matchevent_vacancy_set(user=am, event=event, vacancy=w["cleaning"], places=2)  # double submit
    assert EventVacancy.objects.filter(event=event).count() == 1
    with pytest.raises(PermissionDenied):
        services.matchevent_vacancy_set(user=am, event=event, vacancy=w["theirs"], places=1)
    with pytest.raises(ValidationError):
        services.matchevent_vacancy_set(user=am, event=event, vacancy=w["warehouse"], places=0)
    services.matchevent_vacancy_set(user=am, event=event, vacancy=w["cleaning"], places=3)
    assert EventVacancy.objects.get(event=event).places == 3


def test_consultant_signs_up_own_caseload_only(w):
    event, clients = w["event"], w["clients"]
    services.matchevent_client_add(user=w["consultant"], event=event, client=clients["schoon1"])
    services.matchevent_client_add(user=w["consultant"], event=event, client=clients["schoon1"])
    assert EventCandidate.objects.filter(event=event).count() == 1
    row = AuditEvent.objects.get(event="matchevent_candidate_added")
    assert row.client_id == clients["schoon1"].pk
    with pytest.raises(PermissionDenied):
        services.matchevent_client_add(user=w["consultant"], event=event, client=clients["anders"])
    with pytest.raises(PermissionDenied):
        services.matchevent_client_add(user=w["am"], event=event, client=clients["anders"])


def test_indeling_is_optimal_within_places_and_hard_constraints(w):
    event = _fill(w)
    indeling = _make(w)
    pairs = {(p.vacancy_id, p.client_id): p for p in EventPair.objects.filter(event=event)}
    c = w["clients"]
    # Two cleaners on the two places, the warehouse worker on the warehouse vacancy; the
    # client beyond their own travel limit is never paired (a hard constraint).
    assert set(pairs) == {
        (w["cleaning"].pk, c["schoon1"].pk),
        (w["cleaning"].pk, c["schoon2"].pk),
        (w["warehouse"].pk, c["magazijn"].pk),
    }
    assert indeling.pairs == 3 and indeling.total_units == sum(p.units for p in pairs.values())
    reasons = pairs[(w["warehouse"].pk, c["magazijn"].pk)].reasons
    assert any(r.startswith("Vaardigheden: 1 van de 1 gevraagde aanwezig") for r in reasons), reasons
    event.refresh_from_db()
    assert event.status == EventStatus.INGEDEELD
    # One audit row per pair in the client's own log, and one for the run.
    assert set(AuditEvent.objects.filter(event="matchevent_paired").values_list("client_id", flat=True)) == {
        c["schoon1"].pk,
        c["schoon2"].pk,
        c["magazijn"].pk,
    }
    run = AuditEvent.objects.get(event="matchevent_indeling_made")
    assert describe(run).startswith(f"Indeling van matchingbijeenkomst {event.pk} gemaakt op peildatum")
    page = selectors.indeling_of(event)
    assert page.total_units == indeling.total_units and len(page.pairs) == 3


def test_double_submit_is_one_indeling_and_a_stale_page_is_refused(w):
    event = _fill(w)
    token = services.event_edit_token(event)
    key = new_submission_key()
    first = services.indeling_make(user=w["am"], event=event, token=token, submission_key=key, day=w["today"])
    again = services.indeling_make(user=w["am"], event=event, token=token, submission_key=key, day=w["today"])
    assert first.pk == again.pk and Indeling.objects.count() == 1
    # The same old page again, with a new key: someone changed the event in between.
    with pytest.raises(StaleEditError):
        services.indeling_make(user=w["am"], event=event, token=token, submission_key=new_submission_key())
    # A candidate added after the page was opened makes that page's indeling stale too.
    event.refresh_from_db()
    token = services.event_edit_token(event)
    services.matchevent_client_add(user=w["other_consultant"], event=event, client=w["clients"]["anders"])
    with pytest.raises(StaleEditError) as error:
        services.indeling_make(user=w["am"], event=event, token=token)
    assert "Uitgenodigde kandidaten: 4 → 5" in " ".join(error.value.messages)


def test_confirm_makes_one_voordracht_and_rerun_keeps_it(w):
    event = _fill(w)
    _make(w)
    c = w["clients"]
    pair = EventPair.objects.get(event=event, client=c["magazijn"])
    key = new_submission_key()
    services.pair_confirm(user=w["am"], pair=pair, submission_key=key)
    services.pair_confirm(user=w["am"], pair=EventPair.objects.get(pk=pair.pk), submission_key=key)  # double
    entry = Voordracht.objects.get(client=c["magazijn"])
    assert entry.status == VoordrachtStatus.VOORGESTELD and entry.proposed_by == w["am"]
    assert entry.vacancy_id == w["warehouse"].pk
    pair.refresh_from_db()
    assert pair.status == PairStatus.BEVESTIGD and pair.voordracht == entry
    with pytest.raises(services.EventRefused):
        services.pair_confirm(user=w["am"], pair=pair, submission_key=new_submission_key())
    # Drop one cleaner pair: the re-run keeps the confirmed pair and does not offer the dropped one.
    dropped = EventPair.objects.get(event=event, client=c["schoon1"])
    services.pair_drop(user=w["am"], pair=dropped)
    _make(w)
    rows = EventPair.objects.filter(event=event)
    assert rows.filter(status=PairStatus.BEVESTIGD).count() == 1
    assert rows.get(client=c["schoon1"], vacancy=w["cleaning"]).status == PairStatus.VERVALLEN
    # schoon1 may still go to the warehouse vacancy? Its place is taken by the confirmed pair.
    assert not rows.filter(status=PairStatus.VOORGESTELD, vacancy=w["warehouse"]).exists()
    assert rows.filter(status=PairStatus.VOORGESTELD, client=c["schoon2"]).count() == 1
    assert (
        AuditEvent.objects.filter(event="matchevent_pair_confirmed", client_id=c["magazijn"].pk).count() == 1
    )
    assert AuditEvent.objects.filter(event="voordracht_proposed", client_id=c["magazijn"].pk).count() == 1


def test_confirm_links_an_existing_voordracht(w):
    event = _fill(w, "magazijn")
    _make(w)
    c = w["clients"]
    earlier = Voordracht.objects.create(vacancy=w["warehouse"], client=c["magazijn"], proposed_by=w["am"])
    pair = EventPair.objects.get(event=event, client=c["magazijn"])
    services.pair_confirm(user=w["am"], pair=pair, submission_key=new_submission_key())
    assert Voordracht.objects.filter(client=c["magazijn"]).count() == 1
    pair.refresh_from_db()
    assert pair.voordracht == earlier


def test_closed_event_changes_nothing(w):
    event = _fill(w)
    services.matchevent_close(user=w["am"], event=event, token=services.event_edit_token(event))
    event.refresh_from_db()
    assert event.status == EventStatus.AFGESLOTEN
    with pytest.raises(services.EventRefused):
        _make(w)
    with pytest.raises(services.EventRefused):
        services.matchevent_client_add(user=w["consultant"], event=event, client=w["clients"]["schoon1"])


def test_labels_are_per_event(w):
    client = w["clients"]["schoon1"]
    a = services.event_label(1, client.pk)
    assert a == services.event_label(1, client.pk) != services.event_label(2, client.pk)
    assert client.pk not in a and a.startswith("Kandidaat ")
