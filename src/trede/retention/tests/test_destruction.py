"""Destruction is generic and complete: after `clients_destroy` no table, history tables
included, holds the client number, the BSN or the name anywhere in any text column; the
other client's rows are untouched; the audit log is left alone (decision 92)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

from trede.accounts.models import User
from trede.audit.triggers import TABLE as AUDIT_TABLE
from trede.retention.destruction import clients_destroy, collect, destruction_plan

from .world import FAMILY, FILLED_BY_HAND, GIVEN, UNIQUE_BSN, UNIQUE_ID, fill_remaining, full_client

pytestmark = pytest.mark.django_db

# Tables allowed to keep the client: the audit log (its own retention, decision 92).
KEPT = {AUDIT_TABLE}
TEXT_TYPES = ("char", "text", "json", "clob")


def _text_columns(table: str) -> list[str]:
    """The columns of a table whose type holds text, asked of the database itself."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA table_info({connection.ops.quote_name(table)})")
            columns = [(row[1], row[2]) for row in cursor.fetchall()]
        else:
            cursor.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s",
                [table],
            )
            columns = cursor.fetchall()
    return [name for name, kind in columns if any(t in (kind or "").lower() for t in TEXT_TYPES)]


def tables_holding(*needles: str) -> dict[str, int]:
    """Every table (from the database itself, not the models) with a text column holding
    one of these strings somewhere in its value."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in KEPT:
                continue
            columns = _text_columns(table)
            if not columns:
                continue
            qn = connection.ops.quote_name
            cast = "CAST({} AS TEXT)"
            where = " OR ".join(f"{cast.format(qn(c))} LIKE %s" for c in columns for _ in needles)
            params = [f"%{n}%" for _c in columns for n in needles]
            cursor.execute(f"SELECT COUNT(*) FROM {qn(table)} WHERE {where}", params)
            count = cursor.fetchone()[0]
            if count:
                found[table] = count
    return found


def test_the_plan_finds_the_dependent_tables_and_their_histories():
    plan = destruction_plan()
    labels = {m._meta.label for m in plan.links}
    # Direct, via a parent (trajectory → referral → report, trajectory → claim line), and
    # history tables (which have no database constraint and do not cascade).
    for label in (
        "benefits.Benefit",
        "instruments.Referral",
        "instruments.ProgressReport",
        "instruments.ClaimLine",
        "casework.PlanAction",
        "finance.PremiumPart",
        "benefits.HistoricalBenefit",
        "instruments.HistoricalProgressReport",
    ):
        assert label in labels, label
    assert "instruments.Claim" not in labels  # the provider's invoice is not the client's
    assert "accounts.User" not in labels  # made anonymous, not deleted
    assert apps.get_model("clients", "HistoricalClient") in plan.history_of


def test_a_full_client_is_gone_from_every_table():
    client = full_client()
    other = full_client("K-BLIJFT-01", bsn="123456782", given="Blijft", family="Bestaan", suffix="b")
    needles = (UNIQUE_ID, UNIQUE_BSN, FAMILY)
    # Tables other apps add later get a row by best effort (their own rows are better).
    _filled, unfillable = fill_remaining(client)
    before = tables_holding(*needles)
    rows = collect([client.pk])
    # The world really fills the tables it knows; the others, where it could.
    empty = sorted(FILLED_BY_HAND - {m._meta.label for m in rows})
    assert empty == [], f"the test world has no rows in {empty}"
    missing = sorted(
        m._meta.label
        for m in destruction_plan().links
        if m not in rows and m._meta.app_label != "retention" and m._meta.label not in unfillable
    )
    assert missing == [], missing
    assert len(before) >= 10, before
    other_before = tables_holding("K-BLIJFT-01")

    counts = clients_destroy([client.pk])

    assert tables_holding(*needles) == {}
    assert tables_holding(GIVEN) == {}
    # Every model of the plan (and every history table) has no row of the client left.
    for model, pks in rows.items():
        assert not model._base_manager.filter(pk__in=list(pks)).exists(), model._meta.label
    assert counts["clients_client"] == 1
    assert counts["clients_historicalclient"] == 2
    assert counts["benefits_historicalbenefit"] >= 3  # the dropped benefit's history too
    # The inwoner's account is anonymous and cannot log in.
    account = User.objects.get(username__startswith="vernietigd-")
    assert (account.first_name, account.last_name, account.email, account.client_id, account.is_active) == (
        "",
        "",
        "",
        None,
        False,
    )
    assert not account.has_usable_password()
    # The other client is untouched, in every table.
    assert tables_holding("K-BLIJFT-01") == other_before
    assert other.pk in set(apps.get_model("clients", "Client").objects.values_list("pk", flat=True))


def test_the_check_finds_a_missed_table():
    """The raw check is what makes the test above fail when a table is missed."""
    client = full_client()
    clients_destroy([client.pk])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO interchange_importrun (started_at, finished_at, folder, status, rows_read, counts, "
            "error_count, warning_count, problems) VALUES (%s, %s, %s, %s, 0, %s, 0, 0, %s)",
            [
                "2020-01-01 00:00:00+00",
                "2020-01-01 00:00:00+00",
                "/tmp",
                "ok",
                "{}",
                f"clients.csv:2: {UNIQUE_ID}",
            ],
        )
    assert tables_holding(UNIQUE_ID) == {"interchange_importrun": 1}


def test_the_audit_log_keeps_its_rows():
    """Audit rows are not the client's file: they keep the client number until the audit
    log's own period has passed (decision 92), and destruction does not touch them."""
    from trede.audit import logevent
    from trede.audit.models import AuditEvent

    client = full_client()
    reader = User.objects.get(username="inkomen-a")
    logevent.client_section_read(reader, client.pk, "basis")
    before = AuditEvent.objects.filter(client_id=client.pk).count()
    assert before >= 1
    clients_destroy([client.pk])
    assert AuditEvent.objects.filter(client_id=client.pk).count() == before


def test_destroying_nobody_or_an_unknown_number_changes_nothing():
    full_client()
    assert clients_destroy([]) == {}
    assert clients_destroy(["BESTAAT-NIET"]) == {}
    assert tables_holding(UNIQUE_ID)


def test_the_filler_covers_a_table_the_world_does_not_know(monkeypatch):
    """As if another app had just added `benefits.Measure`: the filler gives it a row of
    the client, and destruction removes it."""
    from trede.benefits.models import Besluit, Measure

    from . import world

    client = full_client()
    Besluit.objects.all().delete()  # a final decision keeps its measure (RESTRICT)
    Measure.objects.all().delete()
    monkeypatch.setattr(world, "FILLED_BY_HAND", world.FILLED_BY_HAND - {"benefits.Measure"})
    filled, _unfillable = world.fill_remaining(client)
    assert "benefits.Measure" in filled
    assert Measure.objects.filter(client=client).count() == 1
    clients_destroy([client.pk])
    assert tables_holding(UNIQUE_ID, FAMILY) == {}


def test_a_table_left_behind_fails_the_whole_batch(monkeypatch):
    """The safety net: were a dependent table missed by the plan, the foreign-key check
    before the commit refuses the batch and nothing is destroyed."""
    from django.db import IntegrityError, transaction

    from trede.retention import destruction

    client = full_client()
    plan = destruction.destruction_plan()
    claim_line = apps.get_model("instruments", "ClaimLine")
    blind = destruction.Plan(
        links={m: k for m, k in plan.links.items() if m is not claim_line},
        history_of=plan.history_of,
        anonymised=plan.anonymised,
    )
    monkeypatch.setattr(destruction, "destruction_plan", lambda: blind)
    with pytest.raises(IntegrityError), transaction.atomic():
        clients_destroy([client.pk])
    assert apps.get_model("clients", "Client").objects.filter(pk=client.pk).exists()


def test_an_import_report_loses_the_destroyed_numbers_and_keeps_the_others():
    """`ImportRun.problems` quotes numbers and BSNs (`file:line: message`): the destroyed
    client's are replaced, the other client's and the run itself stay."""
    from django.utils import timezone

    from trede.interchange.models import ImportRun
    from trede.retention.destruction import REDACTED

    client = full_client()
    full_client("K-BLIJFT-01", bsn="123456782", given="Blijft", family="Bestaan", suffix="b")
    now = timezone.now()
    run = ImportRun.objects.create(
        started_at=now,
        finished_at=now,
        folder="/import/2024",
        status=ImportRun.Status.GEWEIGERD,
        problems=(
            f"clients.csv:3: klant {UNIQUE_ID} staat er twee keer in\n"
            f"clients.csv:4: bsn {UNIQUE_BSN} hoort al bij een andere klant\n"
            "clients.csv:9: klant K-BLIJFT-01 heeft geen geboortedatum\n"
            f"benefits.csv:2: klant {UNIQUE_ID}X bestaat niet"
        ),
    )
    counts = clients_destroy([client.pk])
    run.refresh_from_db()
    assert UNIQUE_ID + "\n" not in run.problems and UNIQUE_BSN not in run.problems
    assert run.problems.count(REDACTED) == 2
    assert "K-BLIJFT-01" in run.problems and f"{UNIQUE_ID}X" in run.problems  # another number
    assert counts["interchange_importrun (meldingen geschoond)"] == 1
