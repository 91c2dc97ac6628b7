"""The access matrix: every role (and relationship) × every page and endpoint, with the
expected status code. One test per actor requests every page and reports all mismatches.

Extend `PAGES` and `EXPECTED` when a page is added; pages of other apps are addressed by
URL name and skipped (not failed) while their URL name does not exist yet.

Decisions (see clients/views.py): a client outside someone's scope is 404 whether or not
it exists; a consultant or teamleider gets 403 with the waarneming form for any client
outside their caseload or team; roles without client files get 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import NoReverseMatch, reverse

from trede.tests_e2e.world import build_world

ACTORS = (
    "anon",
    "sanne",  # consulent werk, A is hers
    "bob",  # consulent werk, B is his, not A
    "wim",  # consulent werk with a waarneming on A
    "tl_noord",  # teamleider of Sanne's team
    "tl_zuid",  # teamleider of the other team (Bob's)
    "inkomen",
    "am",  # accountmanager
    "aanbieder_p",  # provider P: A referred, B not
    "aanbieder_q",  # provider Q: A (once) and B referred
    "beleid",
    "privacy",
    "beheerder",
    "inwoner_a",
    "inwoner_b",
)


@dataclass(frozen=True)
class Page:
    url_name: str
    args: tuple | Callable = ()  # or a function of the world (ids made by the database)
    query: str = ""

    def url(self, world=None) -> str:
        args = self.args(world) if callable(self.args) else self.args
        return reverse(self.url_name, args=args) + (f"?{self.query}" if self.query else "")


A, B, MISSING = "KA0001", "KB0002", "KX9999"

PAGES: dict[str, Page] = {
    "search": Page("clients:search", query="q=Vries"),
    "caseload": Page("clients:caseload"),
    "caseload_csv": Page("clients:caseload_csv"),
    "file_A": Page("clients:file", (A,)),
    "file_B": Page("clients:file", (B,)),
    "file_missing": Page("clients:file", (MISSING,)),
    "A_basis": Page("clients:section", (A, "basis")),
    "A_identiteit": Page("clients:section", (A, "identiteit")),
    "A_diagnose": Page("clients:section", (A, "diagnose")),
    "A_werkprofiel": Page("clients:section", (A, "werkprofiel")),
    "A_leefgebieden": Page("clients:section", (A, "leefgebieden")),
    "A_plan": Page("clients:section", (A, "plan")),
    "A_contacten": Page("clients:section", (A, "contacten")),
    "A_trajecten": Page("clients:section", (A, "trajecten")),
    "A_uitkering": Page("clients:section", (A, "uitkering")),
    "A_handhaving": Page("clients:section", (A, "handhaving")),
    "B_leefgebieden": Page("clients:section", (B, "leefgebieden")),
    "waarneming_A": Page("clients:waarneming", (A,)),
    "audit_index": Page("audit:index"),
    "audit_A": Page("audit:client", (A,)),
    "audit_A_csv": Page("audit:client_csv", (A,)),
}

CONSULTANTS = ("sanne", "bob", "wim", "tl_noord", "tl_zuid")


def _row(default: int, **overrides: int) -> dict[str, int]:
    row = {actor: default for actor in ACTORS if actor != "anon"}
    row.update(overrides)
    return row


# Expected status per page and actor (anonymous users are always sent to the login page).
EXPECTED: dict[str, dict[str, int]] = {
    "search": _row(200, beleid=403, beheerder=403, inwoner_a=403, inwoner_b=403),
    "caseload": _row(403, **{c: 200 for c in CONSULTANTS}),
    "caseload_csv": _row(403, **{c: 200 for c in CONSULTANTS}),
    "file_A": _row(200, bob=403, tl_zuid=403, beleid=403, beheerder=403, inwoner_b=404),
    "file_B": _row(
        404,
        sanne=403,
        bob=200,
        wim=403,
        tl_noord=403,
        tl_zuid=200,
        inkomen=200,
        aanbieder_q=200,
        beleid=403,
        privacy=200,
        beheerder=403,
        inwoner_b=200,
    ),
    "file_missing": _row(404, **{c: 403 for c in CONSULTANTS}, beleid=403, beheerder=403),
    "A_basis": _row(200, bob=403, tl_zuid=403, beleid=403, beheerder=403, inwoner_b=404),
    "A_identiteit": _row(403, sanne=200, wim=200, tl_noord=200, inkomen=200, inwoner_b=404),
    "A_diagnose": _row(403, sanne=200, wim=200, tl_noord=200, inwoner_b=404),
    "A_werkprofiel": _row(403, sanne=200, wim=200, tl_noord=200, am=200, inwoner_b=404),
    "A_leefgebieden": _row(403, sanne=200, wim=200, tl_noord=200, inwoner_a=200, inwoner_b=404),
    "A_plan": _row(403, sanne=200, wim=200, tl_noord=200, inwoner_a=200, inwoner_b=404),
    "A_contacten": _row(403, sanne=200, wim=200, tl_noord=200, inwoner_b=404),
    "A_trajecten": _row(
        403, sanne=200, wim=200, tl_noord=200, aanbieder_p=200, aanbieder_q=200, inwoner_b=404
    ),
    "A_uitkering": _row(403, sanne=200, wim=200, tl_noord=200, inkomen=200, inwoner_b=404),
    "A_handhaving": _row(403, sanne=200, wim=200, tl_noord=200, inkomen=200, inwoner_b=404),
    "B_leefgebieden": _row(
        404,
        sanne=403,
        bob=200,
        wim=403,
        tl_noord=403,
        tl_zuid=200,
        inkomen=403,
        aanbieder_q=403,
        beleid=403,
        privacy=403,
        beheerder=403,
        inwoner_b=200,
    ),
    # Own caseload, team or an active waarneming: straight to the file.
    "waarneming_A": _row(403, sanne=302, bob=200, wim=302, tl_noord=302, tl_zuid=200),
    "audit_index": _row(403, privacy=200),
    "audit_A": _row(403, privacy=200),
    "audit_A_csv": _row(403, privacy=200),
}


# The casework pages (intake, diagnosis, plans, worklist, caseload balance, presets), by
# URL name; a page whose name does not exist (yet) is skipped. Their apps choose between
# 403 and 404 for a refusal, so a cell is OK (200, or 302 to the right page), DENY (403 or
# 404: refused either way) or None (not fixed by the issue; not checked).
OK, DENY = frozenset({200, 302}), frozenset({403, 404})
EVERYONE = tuple(a for a in ACTORS if a != "anon")


def _cells(default, **overrides) -> dict[str, frozenset | None]:
    row = dict.fromkeys(EVERYONE, default)
    row.update(overrides)
    return row


def _only(*actors, unspecified=()) -> dict[str, frozenset | None]:
    """OK for these actors, None for the unspecified, DENY for everyone else."""
    return _cells(DENY, **dict.fromkeys(actors, OK), **dict.fromkeys(unspecified))


def _application(world):
    return (world.extra["application"].pk,)


def _diagnosis(world):
    return (world.extra["diagnosis"].pk,)


CASEWORK_PAGES: dict[str, tuple[Page, dict]] = {
    "worklist": (Page("casework:worklist"), _only(*CONSULTANTS)),
    "caseload_balance": (
        Page("casework:caseload_balance"),
        _only("tl_noord", "tl_zuid", unspecified=("beheerder",)),
    ),
    "intake_list": (Page("casework:intake_list"), _only(*CONSULTANTS)),
    "intake_new": (
        Page("casework:intake_new"),
        _only("sanne", "bob", "wim", unspecified=("tl_noord", "tl_zuid")),
    ),
    "intake_new_for_A": (
        Page("casework:intake_new_for_client", (A,)),
        _only("sanne", unspecified=("wim", "tl_noord")),
    ),
    # The intake page shows the application's free-text note: not for the accountmanager
    # or a provider ("only what the trajectory needs").
    "intake_detail_A": (
        Page("casework:intake_detail", _application),
        _only("sanne", unspecified=("wim", "tl_noord", "inkomen", "privacy", "inwoner_a")),
    ),
    "intake_questionnaire_A": (
        Page("casework:intake_questionnaire", _application),
        _only("sanne", unspecified=("wim", "tl_noord")),
    ),
    # Diagnosis: distance to work, client group, health answers: never the accountmanager.
    "diagnosis_latest_A": (Page("casework:diagnosis_latest", (A,)), _only("sanne", "wim", "tl_noord")),
    "diagnosis_detail_A": (Page("casework:diagnosis_detail", _diagnosis), _only("sanne", "wim", "tl_noord")),
    "plan_detail_A": (Page("casework:plan_detail", (A,)), _only("sanne", "wim", "tl_noord")),
    "plan_new_A": (Page("casework:plan_new", (A,)), _only("sanne", unspecified=("wim", "tl_noord"))),
    "contact_new_A": (Page("casework:contact_new", (A,)), _only("sanne", unspecified=("wim", "tl_noord"))),
    # The resident's own plan (and nobody else's).
    "my_plan": (Page("casework:my_plan"), _only("inwoner_a", "inwoner_b")),
    "preset_list": (Page("casework:preset_list"), _only("beheerder")),
}


def _status(client, page: Page) -> int:
    return client.get(page.url()).status_code


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def test_every_page_has_an_expectation_for_every_actor():
    assert set(EXPECTED) == set(PAGES)
    for key, row in EXPECTED.items():
        assert set(row) == set(ACTORS) - {"anon"}, key


@pytest.mark.parametrize("actor", ACTORS)
def test_access_matrix(actor, world, client):
    if actor != "anon":
        client.force_login(world.user(actor))
    mismatches = []
    for key, page in PAGES.items():
        status = _status(client, page)
        expected = 302 if actor == "anon" else EXPECTED[key][actor]
        if status != expected:
            mismatches.append(f"{key}: {status} (verwacht {expected})")
    assert not mismatches, f"{actor}: " + "; ".join(mismatches)


def test_casework_table_is_complete():
    for key, (_page, row) in CASEWORK_PAGES.items():
        assert set(row) == set(EVERYONE), key


@pytest.mark.parametrize("actor", ACTORS)
def test_access_matrix_casework_pages(actor, world, client):
    if actor != "anon":
        client.force_login(world.user(actor))
    checked, missing, mismatches = 0, [], []
    for key, (page, row) in CASEWORK_PAGES.items():
        try:
            url = page.url(world)
        except NoReverseMatch:
            missing.append(key)
            continue
        expected = frozenset({302}) if actor == "anon" else row[actor]
        if expected is None:
            continue
        checked += 1
        response = client.get(url)
        if response.status_code not in expected:
            mismatches.append(f"{key}: {response.status_code} (verwacht {sorted(expected)})")
        elif actor == "anon":
            assert response["Location"].startswith(reverse("login")), key
    if not checked:
        pytest.skip(f"de casework-pagina's bestaan nog niet: {', '.join(missing)}")
    assert not mismatches, f"{actor}: " + "; ".join(mismatches)


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(PAGES["file_A"].url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
