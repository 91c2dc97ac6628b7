"""Destroying clients, generically: every row in every table that belongs to them.

Nothing here names a table. The plan is read from the models themselves
(`apps.get_models`, `_meta.get_fields`): a model is *dependent* when it has a foreign key
to `clients.Client` or to another dependent model (a referral via its trajectory, a claim
line via its trajectory, a progress report via its referral, ...), whatever its
`on_delete`. Every django-simple-history table is included too: a historical row keeps
the client number and copies of the fields, has no database constraint and does not
cascade; it is found by its foreign-key columns (`client_id`, `trajectory_id`, ...) and by
the id of the row it is the history of, so the history of a row removed earlier (a
benefit a re-import dropped) goes as well. A table another app adds later is covered as
soon as it has such a key.

One exception by design: `accounts.User` points to a client for the inwoner's own login.
The account cannot be deleted (audit rows refer to the user, and the audit log cannot be
changed), so it is made anonymous instead: name, e-mail and link to the client emptied,
username `vernietigd-<id>`, no password, inactive.

The audit log has no foreign key to the client; its rows keep their own retention
(decision 92). Rows are removed with raw DELETEs (no signals, so simple-history writes no
new "deleted" rows), all of one batch in one transaction, and the database's foreign keys
are checked before it commits, so a table that still refers to a destroyed row fails the
batch instead of leaving a dangling reference.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connections, models, transaction

CHUNK = 500  # ids per IN (...): well under SQLite's variable limit


@dataclass
class Plan:
    """Which models are dependent and through which foreign keys."""

    # model -> its foreign keys to the client or to another dependent model
    links: dict[type[models.Model], list[models.ForeignKey]] = field(default_factory=dict)
    # historical model -> (the model it is the history of, the column holding that row's id)
    history_of: dict[type[models.Model], tuple[type[models.Model], str]] = field(default_factory=dict)
    # models whose rows point to a client but are made anonymous instead of deleted
    anonymised: tuple[type[models.Model], ...] = ()

    def tables(self) -> list[str]:
        return sorted({m._meta.db_table for m in [*self.links, *self.history_of]})


def _client_model():
    return apps.get_model("clients", "Client")


def _history_models() -> dict[type[models.Model], type[models.Model]]:
    """historical model -> the model it records."""
    found = {}
    for model in apps.get_models():
        attr = getattr(model._meta, "simple_history_manager_attribute", None)
        if attr:
            found[getattr(model, attr).model] = model
    return found


@lru_cache(maxsize=1)
def destruction_plan() -> Plan:
    Client = _client_model()
    User = get_user_model()
    histories = _history_models()
    every = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]
    dependent: set[type[models.Model]] = {Client}
    links: dict[type[models.Model], list] = {}
    changed = True
    while changed:
        changed = False
        for model in every:
            if model is User:
                continue
            keys = [
                f
                for f in model._meta.get_fields()
                if isinstance(f, models.ForeignKey) and f.concrete and f.related_model in dependent
            ]
            if keys and (model not in links or len(links[model]) != len(keys)):
                links[model] = keys
                if model not in dependent:
                    dependent.add(model)
                changed = True
    history_of = {}
    for historical, original in histories.items():
        history_of[historical] = (original, original._meta.pk.attname)
    return Plan(links=links, history_of=history_of, anonymised=(User,))


def _ids(model, column: str, values: Iterable) -> set:
    values = list(values)
    found: set = set()
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        found.update(model._base_manager.filter(**{f"{column}__in": chunk}).values_list("pk", flat=True))
    return found


def collect(client_ids: Iterable[str], plan: Plan | None = None) -> dict[type[models.Model], set]:
    """Every row that belongs to these clients: model -> primary keys (the client included)."""
    plan = plan or destruction_plan()
    Client = _client_model()
    rows: dict[type[models.Model], set] = {
        Client: set(Client._base_manager.filter(pk__in=list(client_ids)).values_list("pk", flat=True))
    }
    # The client numbers asked for also count when the client row is gone already: a
    # history table may still hold them.
    rows[Client] |= set(client_ids)
    changed = True
    while changed:
        changed = False
        for model, keys in plan.links.items():
            have = rows.setdefault(model, set())
            for key in keys:
                targets = rows.get(key.related_model)
                if not targets:
                    continue
                new = _ids(model, key.attname, targets) - have
                if new:
                    have |= new
                    changed = True
        for historical, (original, column) in plan.history_of.items():
            targets = rows.get(original)
            if not targets:
                continue
            have = rows.setdefault(historical, set())
            new = _ids(historical, column, targets) - have
            if new:
                have |= new
                changed = True
    return {model: pks for model, pks in rows.items() if pks}


def _delete(model, pks: set, using: str) -> int:
    pks = list(pks)
    deleted = 0
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        deleted += model._base_manager.using(using).filter(pk__in=chunk)._raw_delete(using)
    return deleted


def _anonymise_accounts(client_ids: list[str], using: str) -> int:
    User = get_user_model()
    done = 0
    for user in User._base_manager.using(using).filter(client_id__in=client_ids):
        user.username = f"vernietigd-{user.pk}"
        user.first_name = ""
        user.last_name = ""
        user.email = ""
        user.client = None
        user.is_active = False
        user.set_unusable_password()
        user.save(using=using)
        done += 1
    return done


REDACTED = "[vernietigd]"


def _redact_import_reports(client_ids: list[str], using: str) -> int:
    """The first problems of an import (`ImportRun.problems`, `file:line: message`) may
    quote a client number or a BSN; the run itself stays (it is how an import is
    accounted for), the destroyed clients' numbers and BSNs in its text do not. Imports
    are few, so their texts are searched in Python."""
    Client = _client_model()
    needles = set(client_ids) | {
        bsn
        for bsn in Client._base_manager.using(using).filter(pk__in=client_ids).values_list("bsn", flat=True)
        if bsn
    }
    if not needles:
        return 0
    pattern = re.compile(
        "|".join(rf"(?<![\w-]){re.escape(n)}(?![\w-])" for n in sorted(needles, key=len, reverse=True))
    )
    ImportRun = apps.get_model("interchange", "ImportRun")
    done = 0
    for run in ImportRun.objects.using(using).exclude(problems="").only("pk", "problems"):
        redacted = pattern.sub(REDACTED, run.problems)
        if redacted != run.problems:
            ImportRun.objects.using(using).filter(pk=run.pk).update(problems=redacted)
            done += 1
    return done


def clients_destroy(client_ids: Iterable[str], *, using: str = "default") -> Counter:
    """Destroy these clients and everything that belongs to them, in one transaction.
    Returns the number of rows per table (no ids, no names)."""
    client_ids = sorted({str(c) for c in client_ids})
    counts: Counter = Counter()
    if not client_ids:
        return counts
    plan = destruction_plan()
    connection = connections[using]
    with transaction.atomic(using=using):
        anonymised = _anonymise_accounts(client_ids, using)
        if anonymised:
            counts[f"{get_user_model()._meta.db_table} (geanonimiseerd)"] += anonymised
        redacted = _redact_import_reports(client_ids, using)
        if redacted:
            counts["interchange_importrun (meldingen geschoond)"] += redacted
        rows = collect(client_ids, plan)
        # Children before parents (the keys are deferred on both databases, but this order
        # also holds where they are not); the client itself last.
        for model in reversed(_dependency_order(list(rows), plan)):
            deleted = _delete(model, rows[model], using)
            if deleted:
                counts[model._meta.db_table] += deleted
        # A table that still refers to a destroyed row fails here, before the commit
        # (SQLite checks only the tables that refer to one of the destroyed tables).
        connection.check_constraints(table_names=_referring_tables(set(rows)))
    return counts


def _referring_tables(destroyed: set) -> list[str]:
    """Every table with a foreign key to one of these models (where a dangling reference
    could be left)."""
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.get_fields():
            if (
                isinstance(f, models.ForeignKey)
                and f.concrete
                and f.db_constraint
                and f.related_model in destroyed
            ):
                tables.add(model._meta.db_table)
    return sorted(tables)


def _dependency_order(models_: list, plan: Plan) -> list:
    """Parents before children (the client first), so reversed it deletes children first."""
    placed: list = []
    remaining = list(models_)
    while remaining:
        for model in list(remaining):
            parents = {k.related_model for k in plan.links.get(model, []) if k.related_model is not model}
            if not (parents & set(remaining)):
                placed.append(model)
                remaining.remove(model)
                break
        else:  # a cycle: keep the rest as it is (deferred keys sort it out)
            placed.extend(remaining)
            break
    return placed
