"""The access matrix, generated from the one declaration of permissions.

For every permission with pages (`trede.accounts.permissions.PERMISSIONS`), every actor of
the test world requests each page, for client A, client B and a client number that does
not exist where the page is about a client. The expected status follows from the
declaration, in the order the views check it:

- anonymous: 302 to the login page;
- the role may not do this (`role_may`): 403, before any client is looked up;
- a client outside the user's relationships (or one that does not exist): 404, so that a
  guessed client number confirms nothing; for a role that may ask for a waarneming
  (consultants, teamleiders, inkomen) 403 with the waarneming form instead;
- a relationship that does not qualify for this permission: 403;
- otherwise the page (200; `OK_STATUS` names the pages that answer with a redirect).

A declared page whose URL does not resolve, or whose arguments this test cannot fill in,
fails here: nothing is skipped. The relationships themselves are not taken on trust from
the code under test: `RELATIONSHIPS` states them for every actor and client, and the first
test holds `access.relationship` to it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from trede.accounts import access
from trede.accounts import permissions as perms
from trede.accounts.permissions import Relation
from trede.tests_e2e.world import add_employer_relation, add_match_event, add_vacancy, build_world

ACTORS = (
    "anon",
    "sanne",  # consulent werk (team Noord), A is hers
    "bob",  # consulent werk (team Zuid), B is his, not A
    "wim",  # consulent werk (team Zuid) with a waarneming on A
    "tl_noord",  # teamleider of Sanne's team
    "tl_zuid",  # teamleider of the other team (Bob's)
    "inkomen",  # consulent inkomen of team Noord
    "am",  # accountmanager owning the account of A's employer
    "aanbieder_p",  # provider P: A referred, B not
    "aanbieder_q",  # provider Q: A (once) and B referred
    "beleid",
    "privacy",
    "beheerder",
    "contractmanager",  # catalogue, contracts and claims; no client files
    "inwoner_a",
    "inwoner_b",
)
USERS = ACTORS[1:]
A, B, MISSING = "KA0001", "KB0002", "KX9999"

# Who has which relationship to which client in the test world (issue 7, point 2): stated
# here by hand, so the generated expectations rest on the documented relationships.
RELATIONSHIPS = {
    A: {
        "sanne": Relation.EIGEN_CASELOAD,
        "wim": Relation.WAARNEMING,
        "tl_noord": Relation.EIGEN_TEAM,
        "inkomen": Relation.EIGEN_TEAM,
        "am": Relation.KANDIDAAT,
        "aanbieder_p": Relation.VERWEZEN,
        "aanbieder_q": Relation.VERWEZEN,
        "privacy": Relation.PRIVACYCONTROLE,
        "inwoner_a": Relation.EIGEN_DOSSIER,
    },
    B: {
        "bob": Relation.EIGEN_CASELOAD,
        "tl_zuid": Relation.EIGEN_TEAM,
        "aanbieder_q": Relation.VERWEZEN,
        "privacy": Relation.PRIVACYCONTROLE,
        "inwoner_b": Relation.EIGEN_DOSSIER,
    },
}

# Pages whose arguments are a client number: requested for A, B and a missing client.
CLIENT_PAGES = {
    "clients:file",
    "clients:section",
    "clients:waarneming",
    "casework:intake_new_for_client",
    "casework:diagnosis_latest",
    "casework:plan_detail",
    "casework:plan_new",
    "casework:contact_new",
    "evaluations:client",
    "instruments:catalogue_for_client",
    "instruments:referral_new",
    "audit:client",
    "audit:client_csv",
    "onderzoek:client",
    "handhaving:client",
    "letters:client",
    "employers:client_vacancies",
    "employers:placement_new",
}
# Pages of an object of client A (the application, the diagnosis): requested for A. Without
# a relationship they answer 404, the same as an id that does not exist (no waarneming form:
# the object's number is not a client number).
OBJECT_PAGES = {
    "casework:intake_detail": lambda world: (world.extra["application"].pk,),
    "casework:intake_questionnaire": lambda world: (world.extra["application"].pk,),
    "casework:diagnosis_detail": lambda world: (world.extra["diagnosis"].pk,),
    "casework:contact_history": lambda world: (world.extra["contact"].pk,),
    "casework:contact_correct": lambda world: (world.extra["contact"].pk,),
    "casework:contact_withdraw": lambda world: (world.extra["contact"].pk,),
    "employers:placement": lambda world: ("PA1",),  # A's placement in the world
    "employers:placement_correct": lambda world: ("PA1",),
}
# Who wrote the records of OBJECT_PAGES, for permissions only their author may use.
AUTHORS = {
    "casework:contact_history": "sanne",
    "casework:contact_correct": "sanne",
    "casework:contact_withdraw": "sanne",
}
# Pages without a client, with fixed arguments.
PLAIN_ARGS = {
    "portal:figures_csv": ("leeftijd",),
    "evaluations:instrument": ("WEP",),
    "instruments:instrument": ("WEP",),
    "instruments:instrument_edit": ("WEP",),
    "forecast:scenario_edit": ("zwak_herstel",),  # shipped by the monitor's migration
    "letters:template_edit": ("beschikking_maatregel",),
    "employers:employer": ("E1",),
    "employers:vacancy_new": ("E1",),
    "employers:relation_contact_new": ("E1",),
    "employers:relation_agreement_new": ("E1",),
    "employers:relation_moment_new": ("E1",),
    "employers:relation_moments_export": ("E1",),
}
# Pages of a record that is not about a client (a contract, a claim): its arguments.
RECORD_ARGS = {
    "instruments:contract": lambda world: (world.extra["contract"].pk,),
    "instruments:contract_edit": lambda world: (world.extra["contract"].pk,),
    "instruments:claim": lambda world: (world.extra["claim"].pk,),
    "employers:vacancy": lambda world: (world.extra["vacancy"].pk,),
    "employers:vacancy_edit": lambda world: (world.extra["vacancy"].pk,),
    "employers:candidates": lambda world: (world.extra["vacancy"].pk,),
    "matchevents:detail": lambda world: (world.extra["matchevent"].pk,),
    "matchevents:edit": lambda world: (world.extra["matchevent"].pk,),
    "matchevents:invite": lambda world: (world.extra["matchevent"].pk,),
    "matchevents:export": lambda world: (world.extra["matchevent"].pk,),
    "employers:relation_contact_edit": lambda world: ("E1", world.extra["employer_contact"].pk),
    "employers:relation_agreement_edit": lambda world: ("E1", world.extra["employer_agreement"].pk),
    "employers:relation_moment_correct": lambda world: ("E1", world.extra["employer_moment"].pk),
}
# The privacy officer's log of a client number outlives the file: role check only.
LOG_PAGES = {"audit:client", "audit:client_csv"}
# Allowed pages that answer with a redirect (the latest diagnosis opens the diagnosis).
OK_STATUS = {"casework:diagnosis_latest": 302}


def _cases():
    """(permission, url name, target) for every declared page; target is a client number,
    'object' for OBJECT_PAGES or None for a page without a client."""
    cases = []
    for perm in perms.PERMISSIONS.values():
        for page in perm.pages:
            if page in CLIENT_PAGES:
                targets = (A, B) if page == "clients:section" else (A, B, MISSING)
                cases += [(perm, page, t) for t in targets]
            elif page in OBJECT_PAGES:
                cases.append((perm, page, "object"))
            else:
                cases.append((perm, page, None))
    return cases


CASES = _cases()


def _url(world, perm, page, target) -> str:
    if page == "clients:section":
        return reverse(page, args=[target, perm.section])
    if target == "object":
        return reverse(page, args=OBJECT_PAGES[page](world))
    if target is not None:
        return reverse(page, args=[target])
    if page in RECORD_ARGS:
        return reverse(page, args=RECORD_ARGS[page](world))
    return reverse(page, args=PLAIN_ARGS.get(page, ()))


def _relation(actor: str, target) -> str:
    client_id = A if target == "object" else target
    return RELATIONSHIPS.get(client_id, {}).get(actor, "")


def expected_status(actor: str, user, perm, page: str, target) -> int:
    if user is None:
        return 302
    if not perms.role_may(user, perm):
        return 403
    if target is None or page in LOG_PAGES:
        return OK_STATUS.get(page, 200)
    relation = _relation(actor, target)
    if page == "clients:waarneming":
        # Already related: straight to the file; otherwise the form (whether or not the
        # client exists, which is only said after a reason is given).
        return 302 if relation else 200
    if not relation:
        if target == "object":
            return 404
        if perms.role_may(user, perms.WAARNEMING_REQUEST):
            return 403
        return 404
    if perm.about_client and relation not in perm.relations:
        return 403
    if perm.author_field and actor != AUTHORS[page] and user.role not in perm.for_others:
        return 403
    return OK_STATUS.get(page, 200)


@pytest.fixture
def world(db, settings):
    from trede.evaluations.models import EffectEstimate, EffectRun
    from trede.instruments.models import Instrument

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    add_vacancy(world)  # for the employer pages
    add_match_event(world)  # a Netwerkcafé organised by the accountmanager
    add_employer_relation(world)
    # One stored effect run, so "Wat werkt voor wie" has pages to show.
    run = EffectRun.objects.create(
        horizon_months=12,
        first_start_month="2021-01",
        last_start_month="2024-12",
        data_until=world.extra["diagnosis"].date,
        method="aipw",
        n_instruments=1,
        duration_seconds=1.0,
    )
    EffectEstimate.objects.create(
        run=run,
        instrument=Instrument.objects.get(instrument_code="WEP"),
        instrument_code="WEP",
        estimate=0.05,
        ci_low=0.02,
        ci_high=0.08,
        n_treated=400,
        n_control=5000,
    )
    return world


def test_the_world_has_the_documented_relationships(world):
    mismatches = []
    for client_key, client_id in (("A", A), ("B", B)):
        client = world.clients[client_key]
        for actor in USERS:
            got = access.relationship(world.user(actor), client)
            want = RELATIONSHIPS[client_id].get(actor, "")
            if got != want:
                mismatches.append(f"{actor} → {client_id}: {got!r} (verwacht {want!r})")
    assert not mismatches, "; ".join(mismatches)


def test_every_declared_page_is_requested(world):
    """Each declared page resolves with the arguments this test gives it: a new page, or
    one whose URL name is wrong, fails here (it is not skipped)."""
    for perm, page, target in CASES:
        _url(world, perm, page, target)  # NoReverseMatch fails the test
    declared = {page for perm in perms.PERMISSIONS.values() for page in perm.pages}
    assert declared == {page for _perm, page, _t in CASES}


@pytest.mark.parametrize("actor", ACTORS)
def test_access_matrix(actor, world, client):
    user = None if actor == "anon" else world.user(actor)
    if user is not None:
        client.force_login(user)
    mismatches = []
    for perm, page, target in CASES:
        url = _url(world, perm, page, target)
        response = client.get(url)
        want = expected_status(actor, user, perm, page, target)
        if response.status_code != want:
            mismatches.append(f"{perm.name} {url}: {response.status_code} (verwacht {want})")
        elif user is None:
            assert response["Location"].startswith(reverse("login")), url
        elif want == 403 and page.startswith(("clients:", "casework:", "evaluations:client")):
            # The waarneming form is the way in for a consultant without a relationship.
            offers_form = "Waarneming aanvragen" in response.content.decode()
            should = perms.role_may(user, perms.WAARNEMING_REQUEST) and perms.role_may(user, perm)
            should = should and target not in (None, "object") and not _relation(actor, target)
            if offers_form != should:
                mismatches.append(
                    f"{perm.name} {url}: waarnemingsformulier {offers_form} (verwacht {should})"
                )
    assert not mismatches, f"{actor}: " + "; ".join(mismatches)


def test_matrix_size():
    """The size reported in the issue note: actors × requested pages."""
    assert len(ACTORS) == 16
    assert len(CASES) >= 60
