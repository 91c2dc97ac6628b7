"""Scopes name permissions of the one declaration; a token allows exactly what its scopes
name (and never lifts a restriction); a scope never gives a role more than it has."""

import re

from hypothesis import given
from hypothesis import strategies as st

from trede.accounts import permissions as perms
from trede.accounts.models import Role
from trede.accounts.tokens import scopes as scope_rules
from trede.accounts.tokens.models import ApplicationToken

SCOPE_NAMES = sorted(scope_rules.SCOPES)
ALL_PERMISSIONS = sorted(perms.PERMISSIONS.values(), key=lambda p: p.name)


def test_every_scope_names_declared_permissions():
    for scope in scope_rules.SCOPES.values():
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", scope.name)
        assert scope.label and scope.label[0].isupper()
        assert scope.permissions, scope.name
        for perm in scope.permissions:
            assert perms.PERMISSIONS[perm.name] is perm
            assert perm not in scope_rules.RESTRICTIONS


def test_the_documented_scopes_exist():
    assert {"cijfers.lezen", "klanten.lezen", "contacten.schrijven"} <= set(scope_rules.SCOPES)
    assert perms.CONTACT_WRITE in scope_rules.SCOPES["contacten.schrijven"].permissions
    assert perms.FIGURES_READ in scope_rules.SCOPES["cijfers.lezen"].permissions
    # Reading is never writing: only a *.schrijven scope holds permissions that write.
    for scope in scope_rules.SCOPES.values():
        if not scope.name.endswith(".schrijven"):
            assert not any(p.writes for p in scope.permissions), scope.name


@given(
    chosen=st.lists(st.sampled_from(SCOPE_NAMES + ["onbekend.scope"]), unique=True),
    perm=st.sampled_from(ALL_PERMISSIONS),
)
def test_a_token_allows_exactly_what_its_scopes_name(chosen, perm):
    token = ApplicationToken(scopes=chosen)
    named = any(perm in scope_rules.SCOPES[s].permissions for s in chosen if s in scope_rules.SCOPES)
    assert token.allows(perm) == (named or perm in scope_rules.RESTRICTIONS)
    assert token.allows(perm.name) == token.allows(perm)
    # More scopes never allow less.
    assert not token.allows(perm) or ApplicationToken(scopes=SCOPE_NAMES).allows(perm)


@given(
    chosen=st.lists(st.sampled_from(SCOPE_NAMES), unique=True, min_size=1), role=st.sampled_from(Role.values)
)
def test_useless_scopes_are_those_the_role_can_do_nothing_of(chosen, role):
    useless = scope_rules.useless_for_role(chosen, role)
    for name in chosen:
        role_may_something = any(role in p.roles for p in scope_rules.SCOPES[name].permissions)
        assert (name in useless) == (not role_may_something)


def test_the_restriction_stays_for_a_beleid_token():
    token = ApplicationToken(scopes=["cijfers.lezen"])
    assert token.allows(perms.FIGURES_SUPPRESSED)
    assert ApplicationToken(scopes=[]).allows(perms.FIGURES_SUPPRESSED)


def test_the_openapi_schema_documents_token_authentication(settings):
    from drf_spectacular.generators import SchemaGenerator

    from . import urls

    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"
    }
    schema = SchemaGenerator(patterns=urls.urlpatterns[:3]).get_schema(request=None, public=True)
    scheme = schema["components"]["securitySchemes"]["applicatietoken"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert {"applicatietoken": []} in schema["paths"]["/test-api/cijfers/"]["get"]["security"]
