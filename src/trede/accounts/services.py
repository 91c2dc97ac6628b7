"""Writes on accounts: the demo users.

Demo users have the password "demo" and exist only in demo mode: `trede demo` switches
demo mode on itself; anywhere else `demo_users_create` refuses unless TREDE_DEMO is set.
Creating them marks the database and the accounts as demo (trede.security.models); with
demo mode off those accounts, and any password "demo", cannot log in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Case, Count, Q, When

from trede.security.demo import DEMO_PASSWORD, demo_database_mark

from .models import Role, User


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str
    last_name: str

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


# One demo account per role, named in the users' own words.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("consulent", Role.CONSULENT_WERK, "Sanne", "de Vries"),
    DemoAccount("inkomen", Role.CONSULENT_INKOMEN, "Mohamed", "El Amrani"),
    DemoAccount("accountmanager", Role.ACCOUNTMANAGER, "Peter", "Jansen"),
    DemoAccount("aanbieder", Role.AANBIEDER, "Fatma", "Yilmaz"),
    DemoAccount("teamleider", Role.TEAMLEIDER, "Ingrid", "Bakker"),
    DemoAccount("contractmanager", Role.CONTRACTMANAGER, "Esther", "Hendriks"),
    DemoAccount("beleid", Role.BELEID, "Joost", "van Dijk"),
    DemoAccount("privacy", Role.PRIVACY, "Anouk", "Visser"),
    DemoAccount("beheerder", Role.BEHEERDER, "Ruud", "Smit"),
    DemoAccount("inwoner", Role.INWONER, "Kim", "Mulder"),
)


class DemoModeRequired(PermissionError):
    """Demo users (password "demo") may only be made in demo mode."""


def _require_demo_mode(demo_mode: bool) -> None:
    if not (demo_mode or getattr(settings, "DEMO_MODE", False)):
        raise DemoModeRequired(
            "Demo-gebruikers met wachtwoord 'demo' kunnen alleen in de demo-omgeving worden aangemaakt "
            "(start met 'trede demo' of zet TREDE_DEMO=1)."
        )


def demo_users_create(*, demo_mode: bool = False) -> list[User]:
    """Create or reset one user per role with the password "demo".

    Refuses unless settings.DEMO_MODE is on or the caller (the `trede demo` command)
    states demo mode explicitly with `demo_mode=True`.
    """
    _require_demo_mode(demo_mode)
    # One hash for all: the password is public anyway, and hashing is slow on purpose.
    hashed = make_password(DEMO_PASSWORD)
    users = []
    with transaction.atomic():
        for account in DEMO_ACCOUNTS:
            user, _created = User.objects.get_or_create(username=account.username)
            user.role = account.role
            user.first_name = account.first_name
            user.last_name = account.last_name
            user.is_active = True
            # Only the beheerder may use the technical management screens.
            user.is_staff = account.role == Role.BEHEERDER
            user.is_superuser = account.role == Role.BEHEERDER
            user.password = hashed
            user.save()
            users.append(user)
        demo_database_mark(users)
    return users


@dataclass(frozen=True)
class DemoLinks:
    """What the demo users work with: a caseload, a team, a provider, an own file."""

    consultant: object | None = None
    caseload: int = 0
    team: str = ""
    provider: object | None = None
    client: object | None = None
    inkomen_team: str = ""
    inkomen_clients: int = 0
    employer_accounts: int = 0
    open_vacancies: int = 0
    candidates: int = 0


# How many employer accounts the demo accountmanager owns (those with open vacancies first,
# then those with the most placements).
DEMO_EMPLOYER_ACCOUNTS = 12


def _ongoing(prefix: str = "") -> Q:
    return Q(**{f"{prefix}benefits__end_date__isnull": True})


def demo_relationships_link(*, demo_mode: bool = False) -> DemoLinks:
    """Link the demo users to real records of the imported data (idempotent).

    consulent: the consultant with the most clients on benefit (a real caseload);
    teamleider and inkomen: that consultant's team; accountmanager: the accounts of the
    employers with the most placements (DEMO_EMPLOYER_ACCOUNTS); aanbieder: the provider
    with the most trajectories; inwoner: a client on benefit in the consulent's caseload.
    """
    _require_demo_mode(demo_mode)
    from trede.casework.models import Consultant
    from trede.clients.models import Client
    from trede.instruments.models import Provider

    users = {u.username: u for u in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])}
    links = {}
    with transaction.atomic():
        consulent = users.get("consulent")
        consultant = Consultant.objects.filter(user=consulent).first() if consulent else None
        if consulent and consultant is None:
            consultant = (
                Consultant.objects.filter(user__isnull=True)
                .annotate(n=Count("clients", filter=_ongoing("clients__"), distinct=True))
                .order_by("-n", "consultant_id")
                .first()
            )
            if consultant is not None:
                consultant.user = consulent
                consultant.save(update_fields=["user"])
        if consultant is not None:
            # One identity: the caseload's consultant record carries the logged-in user's
            # name, so the header, the caseload page, the authorship of diagnoses, plans and
            # contacts and the audit log all name the same person.
            full_name = consulent.get_full_name() if consulent else ""
            if full_name and consultant.name != full_name:
                consultant.name = full_name
                consultant.save(update_fields=["name"])
            links["consultant"] = consultant
            links["caseload"] = consultant.clients.filter(_ongoing()).distinct().count()

        teamleider = users.get("teamleider")
        if teamleider and consultant is not None and consultant.team:
            teamleider.team = consultant.team
            teamleider.save(update_fields=["team"])
            links["team"] = consultant.team

        inkomen = users.get("inkomen")
        if inkomen and consultant is not None and consultant.team:
            # Inkomen works for the consultant's team: its benefits, not every client's.
            inkomen.team = consultant.team
            inkomen.save(update_fields=["team"])
            links["inkomen_team"] = consultant.team
            links["inkomen_clients"] = Client.objects.filter(consultant__team=consultant.team).count()

        accountmanager = users.get("accountmanager")
        if accountmanager:
            from django.utils import timezone

            from trede.employers.models import Employer, Vacancy

            if not Employer.objects.filter(account_manager=accountmanager).exists():
                today = timezone.localdate()
                open_today = (
                    Q(vacancies__open_date__lte=today)
                    & (Q(vacancies__close_date__isnull=True) | Q(vacancies__close_date__gt=today))
                    & Q(vacancies__status="open")
                )
                # Accounts with an open vacancy first (their candidates are the pages'
                # point), each group by the most placements.
                busiest = (
                    Employer.objects.filter(account_manager__isnull=True)
                    .annotate(
                        n=Count("placements", distinct=True),
                        open=Count("vacancies", filter=open_today, distinct=True),
                    )
                    .filter(Q(n__gt=0) | Q(open__gt=0))
                    .annotate(has_open=Case(When(open__gt=0, then=1), default=0))
                    .order_by("-has_open", "-n", "pk")
                    .values_list("pk", flat=True)[:DEMO_EMPLOYER_ACCOUNTS]
                )
                Employer.objects.filter(pk__in=list(busiest)).update(account_manager=accountmanager)
            owned = Employer.objects.filter(account_manager=accountmanager)
            links["employer_accounts"] = owned.count()
            links["candidates"] = Client.objects.filter(placements__employer__in=owned).distinct().count()
            links["open_vacancies"] = (
                Vacancy.objects.filter(employer__in=owned, status="open")
                .filter(open_date__lte=timezone.localdate())
                .filter(Q(close_date__isnull=True) | Q(close_date__gt=timezone.localdate()))
                .count()
            )

        aanbieder = users.get("aanbieder")
        if aanbieder:
            # Prefer an outside organisation (re-integratiebedrijf, SW-bedrijf) over the gemeente itself.
            busiest = Provider.objects.annotate(n=Count("trajectories")).order_by("-n", "pk")
            provider = aanbieder.provider or busiest.exclude(kind="gemeente").first() or busiest.first()
            if provider is not None:
                aanbieder.provider = provider
                aanbieder.save(update_fields=["provider"])
                links["provider"] = provider

        inwoner = users.get("inwoner")
        if inwoner:
            client = inwoner.client
            if client is None:
                candidates = Client.objects.filter(_ongoing(), user__isnull=True)
                if consultant is not None:
                    candidates = candidates.filter(consultant=consultant)
                client = candidates.order_by("client_id").first()
            if client is not None:
                # The resident is that client: the header names them as the plan does.
                inwoner.client = client
                inwoner.first_name = client.given_name or inwoner.first_name
                inwoner.last_name = client.family_name or inwoner.last_name
                inwoner.save(update_fields=["client", "first_name", "last_name"])
                links["client"] = client
    return DemoLinks(**links)
