"""The scopes of application tokens, declared once: each names the permissions it grants.

A token may do an action when its system account's role may (`permissions.role_may`,
relationships and `client_scope` as for a person) *and* one of its scopes names that
permission (`ApplicationToken.allows`). A scope never adds a right the role lacks.

Restrictions are permissions that narrow what a role sees rather than grant an action
(`cijfers.alleen_afgeschermd`: small cells hidden). A scope cannot lift them, so `allows`
answers True for them whatever the scopes: what applies is the role's.
"""

from __future__ import annotations

from dataclasses import dataclass

from trede.accounts import permissions as perms
from trede.accounts.permissions import Permission


@dataclass(frozen=True)
class Scope:
    name: str
    label: str
    permissions: frozenset[Permission]

    @property
    def permission_names(self) -> list[str]:
        return sorted(p.name for p in self.permissions)


SCOPES: dict[str, Scope] = {}


def _declare(name: str, label: str, permissions) -> Scope:
    if name in SCOPES:
        raise ValueError(f"scope {name!r} is twice declared")
    scope = Scope(name=name, label=label, permissions=frozenset(permissions))
    SCOPES[name] = scope
    return scope


RESTRICTIONS: frozenset[Permission] = frozenset({perms.FIGURES_SUPPRESSED})

_declare(
    "cijfers.lezen",
    "Geaggregeerde cijfers lezen: kerncijfers, monitor, prognose, vergelijking met andere gemeenten, "
    "uitstroom per ketenpartner, effecten",
    {
        perms.FIGURES_READ,
        perms.DASHBOARD_READ,
        perms.FORECAST_READ,
        perms.PEERS_READ,
        perms.CHAIN_READ,
        perms.EFFECTS_READ,
    },
)
_declare(
    "klanten.lezen",
    "Klanten en hun dossieronderdelen lezen (basis, werkprofiel, diagnose, leefgebieden, contactmomenten, "
    "trajecten), binnen het bereik van de rol",
    {
        perms.CLIENT_SEARCH,
        perms.CASELOAD_READ,
        *(perms.SECTION_READ[s] for s in ("basis", "werkprofiel", "diagnose", "leefgebieden", "contacten")),
        perms.SECTION_READ["trajecten"],
    },
)
_declare(
    "klanten.bsn_lezen",
    "Het BSN van klanten lezen en op BSN zoeken (alleen samen met een rol die het BSN mag zien)",
    {perms.SECTION_READ["identiteit"], perms.CLIENT_SEARCH_BSN},
)
_declare(
    "uitkeringen.lezen",
    "Uitkeringen, handhaving (maatregelen) en rechtmatigheidsonderzoeken van klanten lezen",
    {
        perms.SECTION_READ["uitkering"],
        perms.SECTION_READ["handhaving"],
        perms.HANDHAVING_READ,
        perms.ONDERZOEK_READ,
    },
)
_declare(
    "plannen.lezen",
    "Plannen van aanpak van klanten lezen, met versies, afspraken en akkoorden",
    {perms.SECTION_READ["plan"], perms.PLAN_VERSIONS_READ},
)
_declare(
    "contacten.schrijven",
    "Contactmomenten vastleggen",
    {perms.CONTACT_WRITE},
)
_declare(
    "instrumenten.lezen",
    "De instrumentencatalogus, contracten met aanbieders en verwijzingen lezen",
    {perms.CATALOGUE_READ, perms.CONTRACT_READ, perms.REFERRAL_READ, perms.PARTICIPANTS_READ},
)
_declare(
    "werkgevers.lezen",
    "Werkgevers en hun vacatures lezen (plaatsingen van klanten vallen onder klanten.lezen: het werkprofiel)",
    {perms.EMPLOYERS_READ},
)
_declare(
    "budget.lezen",
    "Budget, uitgaven en plafonds lezen, en per aanbieder wat gedeclareerd en betaald is",
    {perms.BUDGET_READ, perms.CLAIM_OVERVIEW},
)


def scope_choices() -> list[tuple[str, str]]:
    return [(scope.name, f"{scope.name}: {scope.label}") for scope in SCOPES.values()]


def granted_by(scope_names) -> frozenset[Permission]:
    """The permissions these scopes grant (unknown names grant nothing)."""
    return frozenset(p for name in scope_names if name in SCOPES for p in SCOPES[name].permissions)


def allows(scope_names, permission: Permission | str) -> bool:
    perm = perms.PERMISSIONS[permission] if isinstance(permission, str) else permission
    return perm in RESTRICTIONS or perm in granted_by(scope_names)


def useless_for_role(scope_names, role: str) -> list[str]:
    """The scopes of which the role may do nothing (a token with them would be misleading)."""
    return [
        name
        for name in scope_names
        if name in SCOPES and not any(role in p.roles for p in SCOPES[name].permissions)
    ]
