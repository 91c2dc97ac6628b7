"""No English on any page, whatever the browser asks for (trust issue, point 8).

Every declared page that a role may open is fetched with an English Accept-Language; its
visible text must hold none of the English words that leak from Django, a date or number
format, or an untranslated template: month and day names, form and pager words.
"""

from __future__ import annotations

import re

import pytest
from django.utils.html import strip_tags

from .test_access_matrix import ACTORS, CASES, _url, expected_status, world  # noqa: F401 (fixture)

EN = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
ENGLISH = re.compile(
    r"\b(January|February|March|April|June|July|August|September|October|November|December"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|Jan\.|Feb\.|Aug\.|Oct\.|Dec\."
    r"|This field|required|Enter a valid|Submit|Previous|Next|Search|Save|Cancel|Delete"
    r"|Log in|Log out|Password|Username|Page \d+ of|of \d+ results|None|True|False"
    r"|a\.m\.|p\.m\.|noon|midnight)\b"
)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)


def visible_text(html: str) -> str:
    return strip_tags(SCRIPT_OR_STYLE.sub(" ", html))


def test_the_pattern_catches_what_it_should():
    assert ENGLISH.search(visible_text("<p>2 December 2026</p>"))
    assert ENGLISH.search(visible_text("<td>None</td>"))
    assert not ENGLISH.search(visible_text("<p>2 december 2026, dinsdag</p><script>var Next;</script>"))


@pytest.mark.parametrize("actor", [a for a in ACTORS if a != "anon"])
def test_pages_have_no_english(actor, world, client):  # noqa: F811 (fixture)
    user = world.user(actor)
    client.force_login(user)
    found, fetched = [], 0
    for perm, page, target in CASES:
        if expected_status(actor, user, perm, page, target) != 200:
            continue
        response = client.get(_url(world, perm, page, target), **EN)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        fetched += 1
        for match in {m.group(0) for m in ENGLISH.finditer(visible_text(response.content.decode()))}:
            found.append(f"{page}: {match!r}")
    assert fetched, f"{actor} opende geen enkele pagina"
    assert not found, "\n".join(sorted(set(found)))
