"""Shared pieces of Trede's management commands."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def usage_error(message: str) -> CommandError:
    """Bad input to a command: a Dutch message and exit code 2 (the CLI contract)."""
    return CommandError(message, returncode=2)


def active_user(name: str):
    """The active user of this name, for a command that acts on someone's behalf."""
    user = get_user_model().objects.filter(username=name).first()
    if user is None or not user.is_active:
        raise usage_error(f"gebruiker '{name}' bestaat niet of is niet actief")
    return user
