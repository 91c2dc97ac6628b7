"""When may a demo login (a demo account, or the password "demo") succeed?"""

from __future__ import annotations

from django.conf import settings

DEMO_PASSWORD = "demo"


def demo_logins_allowed() -> bool:
    """Demo mode is on and this database is a demo database."""
    if not getattr(settings, "DEMO_MODE", False):
        return False
    from .models import DemoDatabase

    return DemoDatabase.objects.exists()


def is_demo_login(user, password: str | None) -> bool:
    """A demo account, or any account whose password is the public "demo"."""
    if password == DEMO_PASSWORD:
        return True
    from .models import DemoAccount

    return DemoAccount.objects.filter(user_id=user.pk).exists()


def demo_database_mark(users) -> None:
    """Called by the demo set-up: mark the database and the accounts it made."""
    from .models import DemoAccount, DemoDatabase

    if not DemoDatabase.objects.exists():
        DemoDatabase.objects.create()
    for user in users:
        DemoAccount.objects.get_or_create(user=user)


def is_demo_database() -> bool:
    from .models import DemoDatabase

    return DemoDatabase.objects.exists()
