import pytest
from django.urls import NoReverseMatch, reverse

from trede.accounts import permissions as perms
from trede.portal import navigation

pytestmark = pytest.mark.django_db


@pytest.fixture
def restore_items():
    saved = list(navigation._ITEMS)
    yield
    navigation._ITEMS[:] = saved


def test_items_by_permission(make_user, restore_items):
    only_inkomen = perms.Permission(
        name="test.inkomen", label="Alleen inkomen", roles=frozenset({"consulent_inkomen"})
    )
    navigation.nav_item_add(label="Alleen inkomen", url_name="login", permission=only_inkomen, order=5)
    beleid = make_user()
    inkomen = make_user(username="inkomen", role="consulent_inkomen")
    labels = [i["label"] for i in navigation.nav_items_for(beleid, "portal:home")]
    assert "Start" in labels and "Alleen inkomen" not in labels
    assert "Beheer" not in labels  # staff only
    assert [i["label"] for i in navigation.nav_items_for(inkomen)][:2] == ["Start", "Alleen inkomen"]
    current = [i for i in navigation.nav_items_for(beleid, "portal:home") if i["current"]]
    assert [i["label"] for i in current] == ["Start"]


def test_an_item_that_does_not_resolve_is_an_error(make_user, restore_items):
    # Hiding it would hide a broken page (casework/tests/test_no_hidden_breakage.py too).
    navigation.nav_item_add(label="Nog niet gebouwd", url_name="bestaat:niet")
    with pytest.raises(NoReverseMatch):
        navigation.nav_items_for(make_user())


def test_every_item_follows_the_declaration(make_user):
    """The menu shows a screen exactly to the roles its permission names."""
    from trede.accounts.models import Role

    for role in Role.values:
        user = make_user(username=f"nav-{role}", role=role)
        urls = {i["url"] for i in navigation.nav_items_for(user)}
        for item in navigation._ITEMS:
            if item.permission is not None and not item.staff_only:
                assert (reverse(item.url_name) in urls) == (role in item.permission.roles), (role, item.label)


def test_nav_in_the_page(client, make_user):
    client.force_login(make_user())
    html = client.get(reverse("portal:home")).content.decode()
    assert '<nav class="main-nav" aria-label="Hoofdmenu">' in html
    assert 'href="/" aria-current="page">Start</a>' in html
    assert "Joost" not in html and "beleid" in html  # username when no full name, and role
