"""`trede flush` is refused outside the test settings: it would empty the audit log.

pytest-django empties the database after each `transaction=True` and live-server test
with this command (Django's TransactionTestCase calls `flush`); under the test run
(settings.TESTING, true when pytest started the process) it runs with the audit triggers
suspended for that one transaction. Everywhere else it refuses and changes nothing. A demo
database is emptied with `trede demo --reset`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as DjangoFlush

from trede.audit.triggers import triggers_suspended

REFUSAL = (
    "'trede flush' is uitgeschakeld: het zou ook het auditlog wissen, en dat mag niet "
    "(wie welk dossier inzag moet aantoonbaar blijven). Er is niets veranderd. "
    "Een demodatabase maakt u leeg met 'trede demo --reset'."
)


class Command(DjangoFlush):
    help = "Alleen voor de tests: leeg de database (het auditlog inbegrepen)."

    def handle(self, **options):
        if not getattr(settings, "TESTING", False):
            raise CommandError(REFUSAL)
        with triggers_suspended(options["database"]):
            return super().handle(**options)
