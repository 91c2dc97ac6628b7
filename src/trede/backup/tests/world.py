"""A database with at least one row in every table Trede has, for the backup tests.

The retention test world gives a client a row in every table that belongs to a client
(history tables included); the rest (staff, catalogues, presets, runs, Django's own
tables, many-to-many tables) get one row each by introspection of every model, with plain
values and foreign keys to rows that exist. Which tables are meant is asked of the
database itself, so a table another app adds later is filled too, or named by the test.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from trede.accounts.models import User
from trede.audit import logevent
from trede.monitor import figures_cache
from trede.retention.tests.world import _value as client_value
from trede.retention.tests.world import fill_remaining, full_client


def _value(field):
    if isinstance(field, models.BinaryField):
        return b"%PDF-1.4 backup"
    if isinstance(field, models.GenericIPAddressField):
        return "127.0.0.1"
    if isinstance(field, models.DurationField):
        return timedelta(minutes=5)
    if isinstance(field, models.TimeField):
        return timezone.now().time()
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
        text = f"backup-{field.name}"
        return text[: field.max_length] if field.max_length else text
    return client_value(field, {})


def _fill_one(model) -> bool:
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key and isinstance(field, models.AutoField):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if field.null and not field.is_relation:
            continue
        if field.has_default() and not field.is_relation:
            continue
        try:
            value = _value(field)
        except LookupError:
            if field.null:
                continue
            return False
        values[field.attname if field.is_relation else field.name] = value.pk if field.is_relation else value
    try:
        with transaction.atomic():
            model._base_manager.create(**values)
    except (IntegrityError, ValueError, TypeError):
        return False
    return True


def _by_hand(client, user) -> None:
    """The tables whose check constraints plain values do not meet (after the others)."""
    from trede.monitor.models import PeerFigure, PeerImport, PeerMunicipality
    from trede.retention.constants import RecordType, RunStatus
    from trede.retention.models import DestructionItem, DestructionRun

    PeerFigure.objects.create(
        municipality=PeerMunicipality.objects.first(),
        year=2020,
        per_1000="31.5",
        source_import=PeerImport.objects.first(),
    )
    run = DestructionRun.objects.create(
        record_type=RecordType.KLANTDOSSIER,
        status=RunStatus.VOORGESTELD,
        period_years=10,
        as_of=timezone.localdate(),
        proposed_by=user,
        proposed_at=timezone.now(),
    )
    DestructionItem.objects.create(run=run, client=client)


def row_counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def fill_every_table() -> list[str]:
    """Fill the database; returns the tables (by the database's own list) still empty."""
    client = full_client()
    full_client("K-TWEEDE-01", bsn="123456782", given="Tweede", family="Klant", suffix="b")
    fill_remaining(client)
    reader = User.objects.get(username="inkomen-a")
    logevent.client_section_read(reader, client.pk, "basis")
    figures_cache.install()
    every = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]
    # Foreign keys need their targets first: repeat until a pass fills nothing new.
    progress = True
    while progress:
        progress = False
        for model in every:
            if not model._base_manager.exists() and _fill_one(model):
                progress = True
    _by_hand(client, reader)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return sorted(t for t, n in row_counts(cursor, tables).items() if n == 0)
