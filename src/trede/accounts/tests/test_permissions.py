"""The declaration of permissions itself: well-formed, and every page it names resolves."""

from __future__ import annotations

import pytest
from django.urls import get_resolver

from trede.accounts import permissions
from trede.accounts.models import Role


def test_every_permission_names_known_roles_and_relations():
    for perm in permissions.PERMISSIONS.values():
        assert perm.roles <= set(Role.values), perm.name
        assert perm.label and perm.label[0].isupper(), perm.name
        if perm.relations is not None:
            assert perm.relations <= permissions.ANY_RELATION, perm.name


def test_declared_pages_resolve():
    """A page named in the declaration that does not exist fails here (never skipped)."""
    names = set()
    resolver = get_resolver()
    for key in resolver.reverse_dict:
        if isinstance(key, str):
            names.add(key)
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        for key in sub.reverse_dict:
            if isinstance(key, str):
                names.add(f"{namespace}:{key}")
    missing = [
        (perm.name, page)
        for perm in permissions.PERMISSIONS.values()
        for page in perm.pages
        if page not in names
    ]
    assert not missing, f"declared pages without a URL: {missing}"


def test_a_permission_cannot_be_declared_twice():
    with pytest.raises(ValueError):
        permissions._declare("cijfers.lezen", "Dubbel", {Role.BELEID})


def test_sections_follow_the_declaration():
    assert permissions.sections_for_role(Role.ACCOUNTMANAGER) == {"basis", "werkprofiel"}
    assert "leefgebieden" not in permissions.sections_for_role(Role.AANBIEDER)
    assert permissions.sections_for_role(Role.BELEID) == frozenset()


@pytest.mark.django_db
def test_client_permission_needs_the_client(django_user_model):
    user = django_user_model.objects.create_user("c", role=Role.CONSULENT_WERK)
    with pytest.raises(ValueError):
        permissions.allowed(user, permissions.PLAN_WRITE)


def test_unknown_name_is_an_error():
    with pytest.raises(KeyError):
        permissions.get("bestaat.niet")


@pytest.mark.django_db
def test_the_author_rule_is_declared_and_applied(django_user_model):
    """Correcting a contact moment is for its author; withdrawing it also for a teamleider."""
    from types import SimpleNamespace

    author = django_user_model.objects.create_user("auteur", role=Role.CONSULENT_WERK)
    colleague = django_user_model.objects.create_user("collega", role=Role.CONSULENT_WERK)
    lead = django_user_model.objects.create_user("leider", role=Role.TEAMLEIDER)
    record = SimpleNamespace(created_by_id=author.pk)
    imported = SimpleNamespace(created_by_id=None)
    correct, withdraw = permissions.CONTACT_CORRECT, permissions.CONTACT_WITHDRAW
    assert permissions.is_author(author, correct, record)
    assert not permissions.is_author(colleague, correct, record)
    assert not permissions.is_author(lead, correct, record)
    assert permissions.is_author(lead, withdraw, record) and not permissions.is_author(
        colleague, withdraw, record
    )
    assert not permissions.is_author(author, correct, imported)
    with pytest.raises(ValueError):
        permissions.is_author(author, correct, None)
    assert correct.author_rule == "alleen wie het vastlegde"
    assert (
        withdraw.author_rule
        == "alleen wie het vastlegde (en kwaliteitsmedewerker / teamleider: ook dat van een ander)"
    )
