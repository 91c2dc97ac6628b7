"""Lost updates and double submits: one pattern for every form that writes a record.

Optimistic locking. A record that several professionals may edit carries `lock_version`
(`LockVersioned`). The edit page embeds `edit_token(record, fields)`: a signed snapshot of
the version and of the values the user saw. The service, inside its transaction, calls
`claim_version(record, token, fields)`; when someone else saved in between, it raises
`StaleEditError`, whose Dutch message lists what changed (field: what you saw → what is
stored now), and nothing is written. The snapshot travels with the form instead of being
looked up in a history table, so the pattern works for every model alike. Values the user
sees that are not one model field each (the settings inside a JSON field, the actions of a
plan) join the snapshot through `described`: a function of the record that returns
{key: (Dutch label, shown text)}, so a refusal names them readably too.

Double submits. A create form carries a fresh `new_submission_key()` in a hidden field; the
model has a unique `submission_key` (`SubmissionKeyed`). `create_once(Model, key, create)`
returns the record that key already made (back button, double click, two tabs) instead of
a second one; the unique constraint decides when two submits race.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F

SALT = "trede.utils.concurrency.edit"
# A snapshot keeps at most this much of each value (long texts are compared by hash).
SHOWN_CHARS = 300

T = TypeVar("T", bound=models.Model)
# {key: (label, shown text)} for values that are not one model field each.
Described = Callable[[models.Model], Mapping[str, tuple[str, str]]]


class LockVersioned(models.Model):
    lock_version = models.PositiveIntegerField(
        "versie van de vastlegging",
        default=0,
        editable=False,
        help_text="Telt elke opgeslagen wijziging; een wijziging op een oudere versie wordt geweigerd.",
    )

    class Meta:
        abstract = True


class SubmissionKeyed(models.Model):
    submission_key = models.UUIDField(
        "formuliersleutel",
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="Eén per geopend formulier: een tweede verzending maakt geen tweede vastlegging.",
    )

    class Meta:
        abstract = True


@dataclass(frozen=True)
class FieldChange:
    label: str
    seen: str
    now: str

    def __str__(self) -> str:
        return f"{self.label}: {self.seen or '(leeg)'} → {self.now or '(leeg)'}"


class StaleEditError(ValidationError):
    """Someone else saved this record after the user opened it; nothing was written."""

    # The answer a page gives to it: the request conflicts with the stored state.
    status_code = 409

    def __init__(self, changes: Sequence[FieldChange], *, what: str = "dit"):
        self.changes = list(changes)
        lines = [
            f"Iemand anders heeft {what} gewijzigd nadat u de pagina opende. "
            "Uw wijziging is niet opgeslagen; bekijk de nieuwe stand en voer uw wijziging zo nodig opnieuw in."
        ]
        if self.changes:
            lines.append("Gewijzigd: " + "; ".join(str(change) for change in self.changes) + ".")
        super().__init__(lines)


class ExpiredEditError(ValidationError):
    # A form that does not belong to this record (tampered, or of another record).
    status_code = 400

    def __init__(self):
        super().__init__(
            "Dit formulier hoort niet bij deze vastlegging of is aangepast. Open de pagina opnieuw."
        )


def _shown(instance: models.Model, name: str) -> str:
    field = instance._meta.get_field(name)
    if getattr(field, "choices", None):
        value = getattr(instance, f"get_{name}_display")()
    else:
        value = getattr(instance, name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(field, models.DecimalField):
        # As stored (90 and 90.00 are one value), with the Dutch decimal comma.
        return f"{Decimal(value):.{field.decimal_places}f}".replace(".", ",")
    if hasattr(value, "strftime") and hasattr(value, "day"):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _clip(text: str) -> list[str]:
    return [text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…", _digest(text)]


def _snapshot(instance: models.Model, fields: Sequence[str]) -> dict[str, list[str]]:
    return {name: _clip(_shown(instance, name)) for name in fields}


def _described(instance: models.Model, described: Described | None) -> dict[str, list[str]]:
    if described is None:
        return {}
    return {key: [str(label), *_clip(str(text))] for key, (label, text) in described(instance).items()}


def edit_token(instance: LockVersioned, fields: Sequence[str], *, described: Described | None = None) -> str:
    """The hidden value an edit form carries: the version and the values the user sees."""
    return signing.dumps(
        {
            "m": instance._meta.label_lower,
            "pk": str(instance.pk),
            "v": instance.lock_version,
            "f": _snapshot(instance, fields),
            "d": _described(instance, described),
        },
        salt=SALT,
        compress=True,
    )


def _read(token: str, instance: models.Model) -> dict:
    try:
        data = signing.loads(token or "", salt=SALT)
    except signing.BadSignature as error:
        raise ExpiredEditError() from error
    if data.get("m") != instance._meta.label_lower or data.get("pk") != str(instance.pk):
        raise ExpiredEditError()
    return data


def _label(instance: models.Model, name: str) -> str:
    label = str(instance._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]  # not capitalize(): "% WML" stays upper case


def token_pk(token: str) -> str | None:
    """The primary key of the record a (validly signed) token belongs to, else None.

    For a form that carries the tokens of several records (a plan revision is based on the
    plans the page showed)."""
    try:
        return str(signing.loads(token or "", salt=SALT)["pk"])
    except (signing.BadSignature, KeyError, TypeError):
        return None


def changes_since(
    instance: models.Model,
    token: str,
    fields: Sequence[str],
    *,
    described: Described | None = None,
    now: models.Model | None = None,
) -> list[FieldChange]:
    """What differs between what the token's user saw of `instance` and what is stored now.

    `now`: compare with another record instead, for records that are never changed but
    followed by a new one (a diagnosis is corrected by a newer diagnosis).
    """
    data = _read(token, instance)
    current = instance if now is None else now
    seen, stored = data["f"], _snapshot(current, fields)
    changes = [
        FieldChange(_label(current, name), seen[name][0], stored[name][0])
        for name in fields
        if name in seen and seen[name][1] != stored[name][1]
    ]
    if described is not None:
        seen_d, stored_d = data.get("d", {}), _described(current, described)
        for key in [*seen_d, *(k for k in stored_d if k not in seen_d)]:
            before, after = seen_d.get(key), stored_d.get(key)
            if before is not None and after is not None and before[2] == after[2]:
                continue
            label = (after or before)[0]
            changes.append(FieldChange(label, before[1] if before else "", after[1] if after else ""))
    return changes


def claim_version(
    instance: T,
    token: str,
    fields: Sequence[str],
    *,
    what: str = "dit",
    described: Described | None = None,
) -> T:
    """Call inside the write's transaction, before changing anything.

    Locks the row, refuses (StaleEditError) when its version is not the one in the token,
    and otherwise raises the stored version by one. Returns the freshly read row, with
    `lock_version` already raised, to apply the change to and save.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim_version hoort binnen de transactie van de wijziging.")
    seen_version = _read(token, instance)["v"]
    model = type(instance)
    current = model._default_manager.select_for_update().get(pk=instance.pk)
    if current.lock_version != seen_version:
        raise StaleEditError(changes_since(current, token, fields, described=described), what=what)
    # The version in the WHERE makes the claim safe where select_for_update is a no-op.
    claimed = model._default_manager.filter(pk=instance.pk, lock_version=seen_version).update(
        lock_version=F("lock_version") + 1
    )
    if claimed != 1:
        current.refresh_from_db()
        raise StaleEditError(changes_since(current, token, fields, described=described), what=what)
    current.lock_version = seen_version + 1
    return current


def new_submission_key() -> str:
    return uuid.uuid4().hex


def parse_submission_key(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def create_once(model: type[T], key, create: Callable[[uuid.UUID | None], T]) -> tuple[T, bool]:
    """Run `create(key)` unless a record with this submission key exists already.

    Returns (record, created). `create` must store the key in `submission_key`.
    """
    key = parse_submission_key(key)
    if key is not None:
        existing = model._default_manager.filter(submission_key=key).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            return create(key), True
    except IntegrityError:
        if key is not None:
            existing = model._default_manager.filter(submission_key=key).first()
            if existing is not None:
                return existing, False
        raise


def move_status(instance: T, *, expected: str, refused: Exception, **changes) -> T:
    """A status change that happens only while the row still has the `expected` status
    (two people acting on one record at once: one of them wins, the other gets `refused`).
    One UPDATE with the status in its WHERE, so the database decides, not a read before it.
    Used by the four-eyes steps of claims and premiums."""
    moved = type(instance)._default_manager.filter(pk=instance.pk, status=expected).update(**changes)
    if moved != 1:
        raise refused
    instance.refresh_from_db()
    return instance


class EditTokenField(forms.CharField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20_000)
        super().__init__(**kwargs)


class SubmissionKeyField(forms.CharField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)
