"""Content-Security-Policy on every page, nothing inline that it would block, and
`Cache-Control: no-store` on every response Trede renders (not on static files)."""

import re

import pytest
from django.urls import reverse

from trede.tests_e2e.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_policy_is_self_only(client):
    policy = csp(client.get(reverse("login")))
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    # A nonce appears only on responses whose template asked for one.
    assert policy["script-src"][0] == "'self'"
    assert all(v.startswith("'nonce-") for v in policy["script-src"][1:])
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    for values in policy.values():
        assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values
        assert not any(v.startswith("http") or v == "*" for v in values)


def assert_nothing_inline(html: str, nonce: str | None = None):
    """What a self-only policy would block: inline <style>, style attributes, event handler
    attributes, inline <script> without the response's nonce."""
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or (nonce and f'nonce="{nonce}"' in tag), tag


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("sanne", reverse("portal:home")),
        ("sanne", reverse("clients:search") + "?q=a"),
        ("sanne", reverse("clients:caseload")),
        ("sanne", reverse("clients:file", args=["KA0001"])),
        ("sanne", reverse("two_factor:profile")),
        ("sanne", reverse("two_factor:setup")),
        ("beleid", reverse("portal:home")),
    ],
)
def test_pages_have_nothing_inline(client, world, username, url):
    client.force_login(world.user(username) if username in world.users else _user(username))
    response = client.get(url)
    assert response.status_code == 200, url
    assert_nothing_inline(response.content.decode())


def _user(username):
    from trede.accounts.models import User

    return User.objects.create_user(username=username, role=username)


def test_login_and_error_pages_have_nothing_inline(client, db):
    assert_nothing_inline(client.get(reverse("login")).content.decode())
    assert_nothing_inline(client.get("/bestaat-niet/").content.decode())


def test_no_store_on_pages_csv_and_login(client, world):
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]
    client.force_login(world.user("sanne"))
    for url in (reverse("portal:home"), reverse("clients:caseload"), reverse("clients:caseload_csv")):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"]


def test_static_files_stay_cacheable(client, db):
    response = client.get("/static/portal/trede.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
