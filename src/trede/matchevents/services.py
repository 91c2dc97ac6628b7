"""Writes of matching events (decisions 160-163): the event, its vacancies and invited
candidates, the indeling and the decision on each pair.

Each service checks the role (and, for one client, the relationship) through the
permission module before its transaction opens, so a refusal's audit row is never rolled
back. The organiser (`MatchEvent.organiser`) alone changes an event. A create carries a
submission key (`create_once`), a change of the event or an indeling the page's edit token
(`claim_version`: 409 over a newer change, naming it); adding a vacancy or a candidate
raises the event's version too, so an indeling made on a page that did not show them is
refused. A confirmed pair becomes a voordracht through `employers.services
.voordracht_from_vacancy`: the client's consent and the rest of the shortlist follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from trede.accounts import permissions as perms
from trede.audit import logevent
from trede.employers import services as employer_services
from trede.employers.constants import VacancyStatus
from trede.employers.matching.assignment import assign
from trede.employers.matching.rules import Scorer, score_value
from trede.employers.matching.selectors import _points, candidates, matching_settings, open_vacancies
from trede.employers.models import Vacancy, Voordracht
from trede.utils.concurrency import claim_version, create_once, edit_token, move_status, parse_submission_key

from .constants import LOCATION_MAX, NAME_MAX, PLACES_MAX, EventKind, EventStatus, PairStatus
from .models import EventCandidate, EventPair, EventVacancy, Indeling, MatchEvent

# What the event's pages show (a refusal names what changed).
EVENT_FIELDS = ("name", "kind", "date", "location", "status")


class EventRefused(ValidationError):
    """A step that does not fit the event's or the pair's state now."""

    status_code = 409


@dataclass(frozen=True)
class EventInput:
    name: str
    date: date
    location: str = ""
    kind: str = EventKind.NETWERKCAFE


def event_label(event_id, client_id: str) -> str:
    """A candidate's name on an event's pages: per event, keyed, so it reveals nothing and
    cannot be joined with the labels of a vacancy's candidate list."""
    digest = salted_hmac("trede.matchevents.candidate", f"{event_id}|{client_id}").hexdigest()
    return f"Kandidaat {digest[:3].upper()}-{digest[3:6].upper()}"


def is_organiser(user, event: MatchEvent) -> bool:
    return perms.role_may(user, perms.MATCHEVENT_MANAGE) and event.organiser_id == user.pk


def _check_organiser(user, event: MatchEvent, perm=perms.MATCHEVENT_MANAGE) -> None:
    perms.check(user, perm)
    if event.organiser_id != user.pk:
        logevent.access_denied(
            user, section="", purpose="matching", reason=f"bijeenkomst {event.pk} organiseert u niet"
        )
        raise PermissionDenied("Deze bijeenkomst wordt door een andere accountmanager georganiseerd.")


def _check_open(event: MatchEvent) -> None:
    if event.status == EventStatus.AFGESLOTEN:
        raise EventRefused("Deze bijeenkomst is afgesloten; er verandert niets meer.")


def _validated(data: EventInput) -> EventInput:
    errors: dict[str, list[str]] = {}
    name = " ".join((data.name or "").split())
    location = " ".join((data.location or "").split())
    if not name:
        errors["name"] = ["Geef de bijeenkomst een naam."]
    elif len(name) > NAME_MAX:
        errors["name"] = [f"De naam is te lang (ten hoogste {NAME_MAX} tekens)."]
    if len(location) > LOCATION_MAX:
        errors["location"] = [f"De locatie is te lang (ten hoogste {LOCATION_MAX} tekens)."]
    if data.kind not in EventKind.values:
        errors["kind"] = ["Kies een soort bijeenkomst uit de lijst."]
    if data.date is None or data.date.year < 2000 or data.date.year > 2100:
        errors["date"] = ["Vul een geldige datum in."]
    if errors:
        raise ValidationError(errors)
    return EventInput(name=name, date=data.date, location=location, kind=data.kind)


def _touch(event: MatchEvent) -> None:
    """The participants changed: an indeling made on a page that did not show it is stale."""
    MatchEvent.objects.filter(pk=event.pk).update(lock_version=F("lock_version") + 1)
    event.refresh_from_db(fields=["lock_version"])


def _described(event: MatchEvent) -> dict[str, tuple[str, str]]:
    """The participants the page showed, so a refusal says what changed."""
    places = sorted(event.vacancies.values_list("vacancy_id", "places"))
    return {
        "vacatures": ("Vacatures", ", ".join(f"{v} ({p} pl.)" for v, p in places) or "geen"),
        "kandidaten": ("Uitgenodigde kandidaten", f"{event.candidates.count()}"),
        "koppels": (
            "Bevestigde en vervallen koppels",
            f"{event.pairs.exclude(status=PairStatus.VOORGESTELD).count()}",
        ),
    }


def event_edit_token(event: MatchEvent) -> str:
    return edit_token(event, EVENT_FIELDS, described=_described)


# --------------------------------------------------------------------------- the event


def matchevent_create(*, user, data: EventInput, submission_key=None) -> MatchEvent:
    perms.check(user, perms.MATCHEVENT_MANAGE)
    data = _validated(data)

    def create(key):
        event = MatchEvent.objects.create(
            name=data.name,
            kind=data.kind,
            date=data.date,
            location=data.location,
            organiser=user,
            submission_key=key,
        )
        logevent.matchevent_saved(user, event, created=True, fields=[])
        return event

    event, _created = create_once(MatchEvent, submission_key, create)
    return event


def matchevent_update(*, user, event: MatchEvent, data: EventInput, token: str) -> MatchEvent:
    _check_organiser(user, event)
    _check_open(event)
    data = _validated(data)
    with transaction.atomic():
        current = claim_version(event, token, EVENT_FIELDS, what="deze bijeenkomst", described=_described)
        changed = []
        for name in ("name", "kind", "date", "location"):
            value = getattr(data, name)
            if getattr(current, name) != value:
                setattr(current, name, value)
                changed.append(str(MatchEvent._meta.get_field(name).verbose_name))
        current.save()
        logevent.matchevent_saved(user, current, created=False, fields=changed)
    return current


def matchevent_close(*, user, event: MatchEvent, token: str) -> MatchEvent:
    """Afgesloten: the pairs not confirmed stay as they are, nothing changes any more."""
    _check_organiser(user, event)
    _check_open(event)
    with transaction.atomic():
        current = claim_version(event, token, EVENT_FIELDS, what="deze bijeenkomst", described=_described)
        current.status = EventStatus.AFGESLOTEN
        current.save()
        logevent.matchevent_saved(user, current, created=False, fields=["status"])
    return current


# --------------------------------------------------------------------------- participants


def matchevent_vacancy_set(*, user, event: MatchEvent, vacancy: Vacancy, places: int) -> EventVacancy:
    """Add a vacancy of one of the organiser's own accounts, or change its places (a second
    submit of the same form sets the same number: no duplicate)."""
    _check_organiser(user, event)
    _check_open(event)
    if vacancy.employer is None or vacancy.employer.account_manager_id != user.pk:
        logevent.access_denied(user, section="", purpose="matching", reason="vacature van een ander account")
        raise PermissionDenied("Deze vacature hoort niet bij een van uw werkgeversaccounts.")
    if vacancy.status != VacancyStatus.OPEN:
        raise EventRefused("Deze vacature staat niet open.")
    try:
        places = int(places)
    except (TypeError, ValueError):
        places = 0
    if not (1 <= places <= PLACES_MAX):
        raise ValidationError({"places": [f"Het aantal plaatsen ligt tussen 1 en {PLACES_MAX}."]})
    with transaction.atomic():
        entry, created = EventVacancy.objects.get_or_create(
            event=event, vacancy=vacancy, defaults={"places": places}
        )
        if created or entry.places != places:
            entry.places = places
            entry.save()
            logevent.matchevent_vacancy_changed(
                user, event, vacancy.pk, change="toegevoegd" if created else "gewijzigd", places=places
            )
            _touch(event)
    return entry


def matchevent_vacancy_remove(*, user, event: MatchEvent, vacancy_id: str) -> None:
    _check_organiser(user, event)
    _check_open(event)
    with transaction.atomic():
        if event.pairs.filter(vacancy_id=vacancy_id, status=PairStatus.BEVESTIGD).exists():
            raise EventRefused("Bij deze vacature is al een koppel bevestigd; ze blijft op de bijeenkomst.")
        deleted, _ = EventVacancy.objects.filter(event=event, vacancy_id=vacancy_id).delete()
        if deleted:
            event.pairs.filter(vacancy_id=vacancy_id, status=PairStatus.VOORGESTELD).delete()
            logevent.matchevent_vacancy_changed(user, event, vacancy_id, change="verwijderd", places=0)
            _touch(event)


def _add_candidate(*, user, event: MatchEvent, client) -> EventCandidate:
    with transaction.atomic():
        try:
            with transaction.atomic():
                entry, created = EventCandidate.objects.get_or_create(
                    event=event, client=client, defaults={"added_by": user}
                )
        except IntegrityError:  # two submits at once: the database kept the first
            return EventCandidate.objects.get(event=event, client=client)
        if created:
            logevent.matchevent_candidate_added(user, event, client.pk)
            _touch(event)
    return entry


def matchevent_candidate_invite(*, user, event: MatchEvent, client) -> EventCandidate:
    """The organiser invites a candidate chosen by label from the engine's anonymised list
    (the view resolves the label; the organiser never sees who it is)."""
    _check_organiser(user, event)
    _check_open(event)
    return _add_candidate(user=user, event=event, client=client)


def matchevent_client_add(*, user, event: MatchEvent, client) -> EventCandidate:
    """A consultant signs up a client of the own caseload (or on waarneming)."""
    perms.check(user, perms.MATCHEVENT_CLIENT_ADD, client)
    _check_open(event)
    return _add_candidate(user=user, event=event, client=client)


def matchevent_candidate_remove(*, user, event: MatchEvent, client) -> None:
    """The organiser withdraws an invitation; a consultant one of the own clients."""
    if not is_organiser(user, event):
        perms.check(user, perms.MATCHEVENT_CLIENT_ADD, client)
    _check_open(event)
    with transaction.atomic():
        if event.pairs.filter(client=client, status=PairStatus.BEVESTIGD).exists():
            raise EventRefused("Voor deze kandidaat is al een koppel bevestigd; de uitnodiging blijft staan.")
        deleted, _ = EventCandidate.objects.filter(event=event, client=client).delete()
        if deleted:
            event.pairs.filter(client=client, status=PairStatus.VOORGESTELD).delete()
            logevent.matchevent_candidate_removed(user, event, client.pk)
            _touch(event)


# --------------------------------------------------------------------------- the indeling


def indeling_problem(event: MatchEvent, day: date):
    """The engine's problem for this event on `day`: (vacancy records, client records,
    scorer, pairs {vacancy: {client: units}}, free places {vacancy: n}). Confirmed pairs
    keep their candidate and a place; dropped pairs are not offered again; the hard
    constraints are the engine's (a pair it does not list is never made)."""
    points = _points()
    places = dict(event.vacancies.values_list("vacancy_id", "places"))
    vacancies = open_vacancies(day, points, ids=list(places))
    invited = set(event.candidates.values_list("client_id", flat=True))
    confirmed = list(event.pairs.filter(status=PairStatus.BEVESTIGD).values_list("vacancy_id", "client_id"))
    dropped = set(event.pairs.filter(status=PairStatus.VERVALLEN).values_list("vacancy_id", "client_id"))
    taken = {c for _, c in confirmed}
    clients = [c for c in candidates(day, points) if c.client_id in invited and c.client_id not in taken]
    scorer = Scorer(matching_settings())
    pairs: dict[str, dict[str, int]] = {}
    for vacancy in vacancies:
        row = {}
        for client in clients:
            if (vacancy.vacancy_id, client.client_id) in dropped:
                continue
            units = scorer.units(vacancy, client)
            if units is not None:
                row[client.client_id] = units
        pairs[vacancy.vacancy_id] = row
    free = {
        v.vacancy_id: max(0, places[v.vacancy_id] - sum(1 for x, _ in confirmed if x == v.vacancy_id))
        for v in vacancies
    }
    return vacancies, clients, scorer, pairs, free


def indeling_make(
    *, user, event: MatchEvent, token: str, submission_key=None, day: date | None = None
) -> Indeling:
    """The optimal assignment of the invited candidates to the event's vacancies (the
    engine's `assign`: the largest total score within the places), stored as pairs with
    their score and reasons. A new indeling replaces the pairs not yet confirmed; a double
    submit returns the indeling that key made."""
    _check_organiser(user, event)
    _check_open(event)
    day = day or timezone.localdate()

    def create(key):
        current = claim_version(event, token, EVENT_FIELDS, what="deze bijeenkomst", described=_described)
        vacancies, clients, scorer, pairs, free = indeling_problem(current, day)
        chosen = assign(pairs, free)
        by_vacancy = {v.vacancy_id: v for v in vacancies}
        by_client = {c.client_id: c for c in clients}
        current.pairs.filter(status=PairStatus.VOORGESTELD).delete()
        indeling = Indeling.objects.create(
            event=current,
            made_by=user,
            as_of=day,
            pairs=len(chosen),
            total_units=sum(u for *_, u in chosen),
            submission_key=key,
        )
        made = EventPair.objects.bulk_create(
            EventPair(
                event=current,
                indeling=indeling,
                vacancy_id=v,
                client_id=c,
                units=u,
                reasons=scorer.reasons(by_vacancy[v], by_client[c]),
            )
            for v, c, u in chosen
        )
        if current.status == EventStatus.CONCEPT:
            current.status = EventStatus.INGEDEELD
        current.save()
        logevent.matchevent_indeling_made(user, indeling, made)
        return indeling

    indeling, _created = create_once(Indeling, submission_key, create)
    return indeling


# --------------------------------------------------------------------------- the pairs


def _check_pair(user, pair: EventPair) -> None:
    _check_organiser(user, pair.event, perms.MATCHEVENT_PAIR_CONFIRM)
    _check_open(pair.event)


def pair_confirm(*, user, pair: EventPair, submission_key=None) -> EventPair:
    """The pair becomes a voordracht (the client is asked for consent). A second submit of
    the same form changes nothing; where the client was already proposed for this vacancy
    the pair is linked to that voordracht instead of making a second one."""
    _check_pair(user, pair)
    # The voordracht's own checks, here before the transaction (a refusal stays logged).
    perms.check(user, perms.VOORDRACHT_FROM_VACANCY)
    vacancy = Vacancy.objects.select_related("employer").get(pk=pair.vacancy_id)
    if vacancy.employer is None or vacancy.employer.account_manager_id != user.pk:
        logevent.access_denied(
            user,
            client_id=pair.client_id,
            section="werkprofiel",
            purpose="matching",
            reason="vacature van een ander account",
        )
        raise PermissionDenied("Deze vacature hoort niet bij een van uw werkgeversaccounts.")
    key = parse_submission_key(submission_key)
    if pair.status == PairStatus.BEVESTIGD:
        if key is not None and pair.confirm_key == key:
            return pair  # the same form twice: nothing more
        raise EventRefused("Dit koppel is al bevestigd.")
    with transaction.atomic():
        existing = Voordracht.objects.filter(vacancy=vacancy, client_id=pair.client_id).first()
        entry = move_status(
            pair,
            expected=PairStatus.VOORGESTELD,
            refused=EventRefused("Over dit koppel is al beslist, of een nieuwe indeling verving het."),
            status=PairStatus.BEVESTIGD,
            decided_by=user,
            decided_at=timezone.now(),
            confirm_key=key,
        )
        if existing is None:
            existing = employer_services.voordracht_from_vacancy(
                user=user,
                vacancy=vacancy,
                client=entry.client,
                score=score_value(entry.units),
                submission_key=key,
            )
        entry.voordracht = existing
        entry.save(update_fields=["voordracht"])
        logevent.matchevent_pair_confirmed(user, entry)
        _touch(entry.event)
    return entry


def pair_drop(*, user, pair: EventPair) -> EventPair:
    """Not this pair: a new indeling will not offer it again."""
    _check_pair(user, pair)
    if pair.status == PairStatus.VERVALLEN:
        return pair  # a second click writes nothing
    with transaction.atomic():
        entry = move_status(
            pair,
            expected=PairStatus.VOORGESTELD,
            refused=EventRefused("Dit koppel is al bevestigd (of een nieuwe indeling verving het)."),
            status=PairStatus.VERVALLEN,
            decided_by=user,
            decided_at=timezone.now(),
        )
        logevent.matchevent_pair_dropped(user, entry)
        _touch(entry.event)
    return entry
