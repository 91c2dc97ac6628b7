"""The OpenID Connect configuration's rules, without models or settings (the settings
module reads `parse_role_map` before Django is set up)."""

from __future__ import annotations

# Roles a login with the municipality's account can have. Not inwoner (residents use
# DigiD, not a municipal account) and not aanbieder (a provider's staff belong to their
# organisation, which no claim sets).
SSO_ROLES = (
    "consulent_werk",
    "consulent_inkomen",
    "accountmanager",
    "teamleider",
    "contractmanager",
    "beleid",
    "privacy",
    "beheerder",
)


def parse_role_map(text: str) -> dict[str, str]:
    """'Trede-Consulenten=consulent_werk; CN=Trede Beheer,OU=Groepen=beheerder' → a dict.

    Entries are separated by ';' (group names may hold commas, as LDAP names do) and split
    at their last '=' (group names may hold '=' too; role names never do). A role Trede does
    not know, or one that SSO may not give, stops the start with a Dutch message."""
    from django.core.exceptions import ImproperlyConfigured

    mapping: dict[str, str] = {}
    for entry in text.split(";"):
        entry = entry.strip()
        if not entry:
            continue
        value, sep, role = entry.rpartition("=")
        value, role = value.strip(), role.strip()
        if not sep or not value:
            raise ImproperlyConfigured(
                f"TREDE_OIDC_ROLE_MAP: '{entry}' is niet van de vorm waarde=rol (gescheiden door ';')."
            )
        if role not in SSO_ROLES:
            raise ImproperlyConfigured(
                f"TREDE_OIDC_ROLE_MAP: '{role}' is geen rol die inloggen met het gemeente-account kan geven "
                f"(mogelijk: {', '.join(SSO_ROLES)})."
            )
        if mapping.get(value, role) != role:
            raise ImproperlyConfigured(
                f"TREDE_OIDC_ROLE_MAP: '{value}' staat er twee keer in met een andere rol."
            )
        mapping[value] = role
    return mapping


def claim_values(claims: dict, name: str) -> list[str]:
    """A claim as a list of strings (a provider sends one value or a list)."""
    if not name:
        return []
    value = claims.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def role_of(claims: dict, *, claim: str, mapping: dict[str, str]) -> tuple[str, str]:
    """(role, '') for the one Trede role the claims map to, or ('', Dutch reason)."""
    values = claim_values(claims, claim)
    roles = sorted({mapping[v] for v in values if v in mapping})
    if not roles:
        shown = ", ".join(values[:5]) or "geen"
        return "", f"geen bekende rol voor Trede in claim '{claim}' (waarden: {shown})"
    if len(roles) > 1:
        return (
            "",
            f"meer dan één rol voor Trede ({', '.join(roles)}); de gemeente kent één rol per account toe",
        )
    return roles[0], ""


def mfa_done(claims: dict, *, amr: list[str], acr: list[str]) -> bool:
    """Whether the id_token says the provider did a second step (RFC 8176 `amr` values,
    or an `acr` level the municipality names)."""
    said = set(claim_values(claims, "amr"))
    return bool(said & set(amr)) or bool(set(claim_values(claims, "acr")) & set(acr))
