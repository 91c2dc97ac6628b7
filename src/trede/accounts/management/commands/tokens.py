"""`trede tokens create|list|revoke`: application tokens for IT, the same services as the
beheerder's page (`--user` is the beheerder who answers for it; checked and audited).
The secret of a new token is printed once, on standard output."""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trede.accounts.tokens import scopes as scope_rules
from trede.accounts.tokens import services
from trede.accounts.tokens.models import ApplicationToken
from trede.interchange.reading import parse_date
from trede.utils.commands import active_user, usage_error


def _token_json(token: ApplicationToken) -> dict:
    return {
        "id": token.pk,
        "prefix": token.prefix,
        "name": token.name,
        "account": token.user.username,
        "role": token.user.role,
        "team": token.user.team,
        "scopes": list(token.scopes),
        "status": token.status(),
        "created_at": token.created_at.isoformat(),
        "created_by": token.created_by.username if token.created_by else None,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
    }


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Applicatietokens voor koppelingen: aanmaken, tonen, intrekken."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="een token aanmaken (het geheim wordt één keer getoond)")
        create.add_argument("--user", required=True, help="gebruikersnaam van de beheerder die het aanmaakt")
        create.add_argument("--name", required=True, help="naam van de applicatie of koppeling")
        create.add_argument("--account", required=True, help="systeemaccount (nieuw of bestaand)")
        create.add_argument("--role", required=True, choices=services.SYSTEM_ROLES)
        create.add_argument("--team", default="")
        create.add_argument(
            "--scope", action="append", required=True, choices=list(scope_rules.SCOPES), dest="scopes"
        )
        create.add_argument("--expires", default=None, help="geldig tot en met JJJJ-MM-DD")
        create.add_argument("--json", action="store_true")
        listing = sub.add_parser("list", help="alle tokens (zonder geheim)")
        listing.add_argument("--json", action="store_true")
        revoke = sub.add_parser("revoke", help="een token intrekken")
        revoke.add_argument("token", help="nummer of herkenning (prefix) van het token")
        revoke.add_argument("--user", required=True)

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(options)
        except PermissionDenied as denied:
            raise CommandError(str(denied), returncode=1) from denied
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages), returncode=1) from refused

    def _create(self, options):
        expires_at = None
        if options["expires"]:
            day = parse_date(options["expires"].strip())
            if day is None:
                raise usage_error(f"'{options['expires']}' is geen bestaande datum in de vorm JJJJ-MM-DD")
            expires_at = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
        new = services.token_create(
            actor=active_user(options["user"]),
            name=options["name"],
            username=options["account"],
            role=options["role"],
            team=options["team"],
            scopes=options["scopes"],
            expires_at=expires_at,
        )
        if options["json"]:
            self.stdout.write(json.dumps(_token_json(new.token) | {"secret": new.secret}, ensure_ascii=False))
        else:
            self.stdout.write(new.secret)
            self.stderr.write(
                f"Token {new.token.prefix} aangemaakt voor {new.token.user.username}. "
                "Bewaar het geheim nu: Trede toont het nooit meer."
            )

    def _list(self, options):
        tokens = ApplicationToken.objects.select_related("user", "created_by")
        if options["json"]:
            self.stdout.write(json.dumps({"tokens": [_token_json(t) for t in tokens]}, ensure_ascii=False))
            return
        for t in tokens:
            self.stdout.write(
                f"{t.pk}\t{t.prefix}\t{t.status()}\t{t.user.username} ({t.user.role})\t{','.join(t.scopes)}\t{t.name}"
            )

    def _revoke(self, options):
        ref = options["token"].strip()
        # The prefix first: eight hex digits may all be digits.
        token = ApplicationToken.objects.filter(prefix=ref).first()
        if token is None and ref.isdigit():
            token = ApplicationToken.objects.filter(pk=int(ref)).first()
        if token is None:
            raise usage_error(f"token '{ref}' bestaat niet")
        token = services.token_revoke(actor=active_user(options["user"]), token=token)
        self.stdout.write(f"Token {token.prefix} ({token.name}) ingetrokken.")
