"""Negative cases: what an accountmanager, a provider or a resident must never see.

Not "hidden": absent from every HTML page (and download) the user can reach. Each test
crawls the site as that user from the start page, following every link, plus the pages
that matter directly, and looks for the sensitive text of Anna's file.
"""

from __future__ import annotations

import contextlib
import re
from collections import deque
from html import unescape

import pytest
from django.urls import NoReverseMatch, reverse

from trede.casework.intake.questionnaire import LEEFGEBIEDEN, QUESTIONS
from trede.tests_e2e.world import SENSITIVE_STRINGS, build_world

A, B = "KA0001", "KB0002"
HREF = re.compile(r'href="([^"#]+)')
SKIP = ("/uitloggen/", "/beheer/", "/static/")
MAX_PAGES = 300

LEEFGEBIEDEN_QUESTIONS = tuple(q.label for q in QUESTIONS if q.sensitivity == LEEFGEBIEDEN)


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def crawl(client, seeds) -> dict[str, tuple[int, str]]:
    """Every page reachable by GET from the seeds, following same-site links."""
    seen: dict[str, tuple[int, str]] = {}
    queue = deque(seeds)
    while queue and len(seen) < MAX_PAGES:
        url = unescape(queue.popleft())
        if url in seen or not url.startswith("/") or url.startswith(SKIP):
            continue
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        seen[url] = (response.status_code, text)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            queue.extend(HREF.findall(text))
    return seen


def leaks(pages: dict, needles) -> list[str]:
    return [
        f"{url}: {needle!r}" for url, (_status, text) in pages.items() for needle in needles if needle in text
    ]


def test_world_has_the_sensitive_text_for_a_consultant(world, client):
    """The needles are real: the consultant's file of Anna contains every one of them."""
    client.force_login(world.user("sanne"))
    page = client.get(reverse("clients:file", args=[A])).content.decode()
    assert not [needle for needle in SENSITIVE_STRINGS if needle not in page]
    assert [q for q in LEEFGEBIEDEN_QUESTIONS if q in page]


def _casework_seeds(world) -> list[str]:
    """The casework pages about Anna, where they exist (a missing URL name is left out)."""
    candidates = [
        ("casework:intake_detail", (world.extra["application"].pk,)),
        ("casework:intake_questionnaire", (world.extra["application"].pk,)),
        ("casework:diagnosis_latest", (A,)),
        ("casework:diagnosis_detail", (world.extra["diagnosis"].pk,)),
        ("casework:plan_detail", (A,)),
        ("casework:contact_new", (A,)),
        ("casework:worklist", ()),
    ]
    seeds = []
    for name, args in candidates:
        with contextlib.suppress(NoReverseMatch):
            seeds.append(reverse(name, args=args))
    return seeds


def test_accountmanager_never_gets_health_debt_or_family_details(world, client):
    client.force_login(world.user("am"))
    assert client.get(reverse("clients:section", args=[A, "leefgebieden"])).status_code == 403
    assert client.get(reverse("clients:section", args=[A, "diagnose"])).status_code == 403
    pages = crawl(
        client,
        [
            "/",
            reverse("clients:search") + "?q=a",
            reverse("clients:search") + "?q=Vries",
            reverse("clients:file", args=[A]),
            *(
                reverse("clients:section", args=[A, s])
                for s in ("basis", "werkprofiel", "leefgebieden", "diagnose")
            ),
            *_casework_seeds(world),
        ],
    )
    assert reverse("clients:file", args=[A]) in pages
    assert pages[reverse("clients:file", args=[A])][0] == 200
    assert not leaks(pages, SENSITIVE_STRINGS + LEEFGEBIEDEN_QUESTIONS + ("111222333",))
    assert not leaks(pages, ('id="sectie-leefgebieden"', 'id="sectie-diagnose"', 'data-testid="route"'))


def test_provider_sees_only_referred_clients_and_own_trajectories(world, client):
    client.force_login(world.user("aanbieder_p"))
    pages = crawl(
        client,
        [
            "/",
            reverse("clients:search") + "?q=a",
            reverse("clients:search") + "?q=Bakker",
            reverse("clients:file", args=[A]),
            reverse("clients:file", args=[B]),
            *_casework_seeds(world),
        ],
    )
    assert pages[reverse("clients:file", args=[B])][0] == 404
    assert "Werkbedrijf Noord" in pages[reverse("clients:file", args=[A])][1]
    # Not Bert (not referred), not another provider's trajectory, nothing sensitive.
    assert not leaks(pages, SENSITIVE_STRINGS + ("Bert", "Leerwerkbureau Zuid", "111222333", "U-A1"))


def test_resident_sees_nothing_of_another_resident(world, client):
    client.force_login(world.user("inwoner_b"))
    pages = crawl(
        client,
        ["/", reverse("clients:file", args=[B]), reverse("clients:file", args=[A]), *_casework_seeds(world)],
    )
    assert pages[reverse("clients:file", args=[A])][0] == 404
    assert not leaks(pages, SENSITIVE_STRINGS + ("Anna", "Vries", A))


def test_colleague_without_waarneming_sees_nothing_of_the_client(world, client):
    client.force_login(world.user("bob"))
    pages = crawl(
        client,
        [
            "/",
            reverse("clients:search") + "?q=Vries",
            reverse("clients:file", args=[A]),
            *_casework_seeds(world),
        ],
    )
    assert pages[reverse("clients:file", args=[A])][0] == 403
    assert not leaks(pages, SENSITIVE_STRINGS + ("Anna", "de Vries"))
