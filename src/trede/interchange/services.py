"""Import and export of the interchange format (the public facade of this app).

`import_folder` is all-or-nothing: it reads and checks every file first, reports every
problem as `file:line: message`, and writes only when there is none, in one transaction.
"""

from __future__ import annotations

import csv
import os
import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from trede.audit import events, logevent
from trede.monitor import figures_cache

from . import bulk
from .bulk import analyze, insert_history_rows, insert_rows
from .models import ImportRun
from .reading import FolderReading, Problem, read_folder, shown
from .schema import FILES, FILES_BY_NAME, FileSpec

BATCH = 5000
_CHUNK = 500  # ids per IN (...) lookup; well under SQLite's variable limit
_POSTCODE4 = re.compile(r"^\d{4}$")
_MUNICIPALITY = re.compile(r"^GM\d{4}$")
_ISCO4 = re.compile(r"^\d{4}$")


class ImportRefused(Exception):
    """The folder holds invalid rows; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{sum(not p.warning for p in problems)} fouten; er is niets opgeslagen")


@dataclass
class ImportReport:
    folder: str
    rows: int = 0
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    run_id: int | None = None


Progress = Callable[[str, int, int | None], None]  # (phase, advance, total)


def _model(spec: FileSpec):
    return apps.get_model(spec.model_label)


def _existing_ids(model, ids: set[str]) -> set[str]:
    # The first import goes into empty tables: one query instead of one per 500 ids
    # (a fifth of the time of a 20,000-client import into PostgreSQL went to these).
    if not ids or not model.objects.exists():
        return set()
    found: set[str] = set()
    ordered = sorted(ids)
    for i in range(0, len(ordered), _CHUNK):
        found.update(model.objects.filter(pk__in=ordered[i : i + _CHUNK]).values_list("pk", flat=True))
    return found


def _check_references(reading: FolderReading) -> set[str]:
    """Refuse references unknown in folder and database; return unknown consultant ids."""
    unknown_consultants: set[str] = set()
    known_cache: dict[str, set[str]] = {}
    for parsed in reading.files.values():
        for column in parsed.spec.all_columns:
            if column.kind not in ("ref", "soft_ref"):
                continue
            target = FILES_BY_NAME[column.target]
            in_folder = reading.files[column.target].ids if column.target in reading.files else set()
            wanted = {r.values[column.model_attr] for r in parsed.rows if r.values.get(column.model_attr)}
            outside = wanted - in_folder
            if not outside:
                continue
            cache_key = column.target
            known = known_cache.setdefault(cache_key, set())
            lookup = outside - known
            if lookup:
                known |= _existing_ids(_model(target), lookup)
            missing = outside - known
            if not missing:
                continue
            if column.kind == "soft_ref":
                unknown_consultants |= missing
                continue
            for row in parsed.rows:
                value = row.values.get(column.model_attr)
                if value in missing:
                    reading.problems.append(
                        Problem(
                            parsed.spec.filename,
                            row.line,
                            f"{column.name}: {shown(value)} bestaat niet (niet in {column.target} en niet in de database)",
                        )
                    )
    return unknown_consultants


def _check_lengths(reading: FolderReading) -> None:
    for parsed in reading.files.values():
        model = _model(parsed.spec)
        limits = {}
        for column in parsed.spec.all_columns:
            if column.kind in ("id", "ref", "soft_ref", "text", "bsn", "code"):
                model_field = model._meta.get_field(column.model_attr)
                if getattr(model_field, "max_length", None):
                    limits[column.model_attr] = (column.name, model_field.max_length)
        for row in parsed.rows:
            for attr, (name, limit) in limits.items():
                value = row.values.get(attr)
                if value and len(value) > limit:
                    reading.problems.append(
                        Problem(
                            parsed.spec.filename, row.line, f"{name}: waarde is langer dan {limit} tekens"
                        )
                    )


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _warn(reading: FolderReading, filename: str, line: int, message: str) -> None:
    reading.problems.append(Problem(filename, line, message, warning=True))


def _check_plausibility(reading: FolderReading) -> None:
    """Implausible but valid data: reported, imported (interchange.md)."""
    clients = reading.files.get("clients.csv")
    births: dict[str, date] = {}
    if clients:
        seen_bsn: dict[str, int] = {}
        for row in clients.rows:
            v = row.values
            if v.get("birth_date"):
                births[v["client_id"]] = v["birth_date"]
            if v.get("bsn"):
                if v["bsn"] in seen_bsn:
                    _warn(
                        reading, "clients.csv", row.line, f"BSN komt ook voor op regel {seen_bsn[v['bsn']]}"
                    )
                seen_bsn.setdefault(v["bsn"], row.line)
            if v.get("postcode4") and not _POSTCODE4.match(v["postcode4"]):
                _warn(
                    reading,
                    "clients.csv",
                    row.line,
                    f"postcode4 '{v['postcode4']}' is geen viercijferige postcode",
                )
            if v.get("municipality") and not _MUNICIPALITY.match(v["municipality"]):
                _warn(
                    reading,
                    "clients.csv",
                    row.line,
                    f"municipality '{v['municipality']}' is geen CBS-code (GM0000)",
                )
    first_benefit: dict[str, date] = {}
    benefits = reading.files.get("benefits.csv")
    if benefits:
        minimum_age = {"ioaw": 50, "ioaz": 55}
        for row in benefits.rows:
            v = row.values
            client, start = v.get("client_id"), v.get("start_date")
            if not (client and start):
                continue
            if client not in first_benefit or start < first_benefit[client]:
                first_benefit[client] = start
            birth = births.get(client)
            if birth is None:
                continue
            age = _age(birth, start)
            if age < 18:
                _warn(
                    reading,
                    "benefits.csv",
                    row.line,
                    f"uitkering begint op leeftijd {age}, voor het 18e jaar",
                )
            low = minimum_age.get(v.get("regulation") or "")
            if low and age < low:
                _warn(
                    reading,
                    "benefits.csv",
                    row.line,
                    f"{v['regulation'].upper()} begint op leeftijd {age} (onder {low})",
                )
            if not v.get("regulation"):
                _warn(
                    reading,
                    "benefits.csv",
                    row.line,
                    "regeling ontbreekt; de uitkering telt in geen enkele selectie mee",
                )
    diagnoses = reading.files.get("diagnoses.csv")
    if diagnoses:
        for row in diagnoses.rows:
            v = row.values
            first = first_benefit.get(v.get("client_id"))
            if first and v.get("date") and v["date"] < first:
                _warn(
                    reading, "diagnoses.csv", row.line, "diagnose ligt voor de eerste uitkering van de klant"
                )
            if v.get("ladder_step") and v.get("ladder_target") and v["ladder_target"] < v["ladder_step"]:
                _warn(reading, "diagnoses.csv", row.line, "doeltrede ligt lager dan de huidige trede")
            if v.get("assessed_by") == "consultant" and not v.get("override_reason"):
                _warn(reading, "diagnoses.csv", row.line, "afwijking door consulent zonder reden")
    trajectories = reading.files.get("trajectories.csv")
    if trajectories:
        for row in trajectories.rows:
            v = row.values
            if v.get("start_date") and v.get("referral_date") and v["start_date"] < v["referral_date"]:
                _warn(reading, "trajectories.csv", row.line, "start ligt voor de verwijzing")
            if v.get("end_date") and not v.get("start_date"):
                _warn(reading, "trajectories.csv", row.line, "einddatum zonder startdatum (niet gestart)")
            if not v.get("instrument_id"):
                _warn(reading, "trajectories.csv", row.line, "instrument_code ontbreekt")
    vacancies = reading.files.get("vacancies.csv")
    if vacancies:
        for row in vacancies.rows:
            code = row.values.get("occupation_code")
            if code and not _ISCO4.match(code):
                _warn(
                    reading,
                    "vacancies.csv",
                    row.line,
                    f"occupation_code '{code}' is geen ISCO-08-code van 4 cijfers",
                )


def validate_folder(folder: Path, progress: Progress | None = None) -> tuple[FolderReading, set[str]]:
    tick = (lambda n: progress("lezen", n, None)) if progress else None
    reading = read_folder(folder, tick)
    unknown_consultants: set[str] = set()
    if not reading.errors:
        unknown_consultants = _check_references(reading)
        _check_lengths(reading)
        _check_plausibility(reading)
        for consultant_id in sorted(unknown_consultants):
            _warn(
                reading, "consultants.csv", 0, f"consulent '{consultant_id}' is onbekend en wordt aangemaakt"
            )
    reading.problems.sort(key=lambda p: (p.warning, FILES.index(FILES_BY_NAME[p.filename]), p.line))
    return reading, unknown_consultants


def _same(a, b) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return a is not None and b is not None and Decimal(a) == Decimal(b)
    return a == b


def _ids_of(parsed) -> set[str]:
    pk_attr = parsed.spec.column(parsed.spec.id_column).model_attr
    return {row.values[pk_attr] for row in parsed.rows}


def _tables_checked_once(reading: FolderReading, existing: dict[str, set[str]]) -> list[str]:
    """The tables (and their history tables) that receive so many new rows that their
    foreign keys are best checked once after the load (`bulk.worth_checking_once`)."""
    tables = []
    for filename, parsed in reading.files.items():
        model = _model(parsed.spec)
        loaded = len(_ids_of(parsed) - existing[filename])
        targets = [model] + ([model.history.model] if hasattr(model, "history") else [])
        for target in targets:
            if loaded and bulk.worth_checking_once(loaded, target.objects.count()):
                tables.append(target._meta.db_table)
    return tables


def _written_tables(reading: FolderReading, unknown_consultants: set[str]) -> list[str]:
    """The live tables this import writes (new consultants too)."""
    tables = [_model(p.spec)._meta.db_table for p in reading.files.values()]
    if unknown_consultants:
        tables.append(apps.get_model("casework.Consultant")._meta.db_table)
    return tables


def _write_file(
    parsed, existing: set[str], report: ImportReport, user, reason: str, progress: Progress | None
) -> None:
    spec = parsed.spec
    model = _model(spec)
    pk_attr = spec.column(spec.id_column).model_attr
    # Extension columns absent from the folder keep their stored value; format columns
    # absent read as empty (interchange.md).
    attrs = [c.model_attr for c in spec.columns] + [
        c.model_attr for c in spec.extension_columns if c.name in parsed.present_columns
    ]
    changed = []
    new_rows_source = [row for row in parsed.rows if row.values[pk_attr] not in existing]
    rows_by_id = {row.values[pk_attr]: row for row in parsed.rows if row.values[pk_attr] in existing}
    ordered = sorted(rows_by_id)
    unchanged = 0
    for i in range(0, len(ordered), _CHUNK):
        for pk, obj in model.objects.in_bulk(ordered[i : i + _CHUNK]).items():
            values = rows_by_id[pk].values
            dirty = False
            for attr in attrs:
                if not _same(getattr(obj, attr), values[attr]):
                    setattr(obj, attr, values[attr])
                    dirty = True
            if dirty:
                changed.append(obj)
            else:
                unchanged += 1
    has_history = hasattr(model, "history")
    new_rows = [{a: row.values[a] for a in attrs} for row in new_rows_source]
    for i in range(0, len(new_rows), BATCH):
        batch = new_rows[i : i + BATCH]
        insert_rows(model, batch)
        if progress:
            progress("opslaan", len(batch), None)
    if has_history and new_rows:
        # Once per file: on PostgreSQL one statement copies them from the rows just written.
        insert_history_rows(
            model, new_rows, when=timezone.now(), user_id=getattr(user, "pk", None), reason=reason
        )
    update_fields = [a for a in attrs if a != pk_attr]
    for i in range(0, len(changed), BATCH):
        batch = changed[i : i + BATCH]
        model.objects.bulk_update(batch, update_fields, batch_size=500)
        if has_history:
            model.history.bulk_history_create(
                batch, batch_size=BATCH, update=True, default_user=user, default_change_reason=reason
            )
        if progress:
            progress("opslaan", len(batch), None)
    report.created[spec.filename] = len(new_rows)
    report.updated[spec.filename] = len(changed)
    report.unchanged[spec.filename] = unchanged


def import_folder(folder: Path, *, user=None, progress: Progress | None = None) -> ImportReport:
    """Load an interchange folder; raise ImportRefused (nothing written) on any invalid row."""
    folder = Path(folder)
    started = timezone.now()
    clock = time.perf_counter()
    reading, unknown_consultants = validate_folder(folder, progress)
    report = ImportReport(folder=str(folder), rows=reading.row_count(), warnings=reading.warnings)
    if reading.errors:
        _refuse(folder, started, reading.problems, report, user)
    reason = f"import {folder.name}"
    if progress:
        progress("opslaan", 0, report.rows)
    try:
        with transaction.atomic():
            existing = {
                name: _existing_ids(_model(parsed.spec), _ids_of(parsed))
                for name, parsed in reading.files.items()
            }
            # PostgreSQL (decisions 180-182): the figures cache's trigger off and the
            # foreign keys of the tables loaded in bulk dropped for the load, in this
            # transaction; the keys are added again (checked in one pass each) and the
            # counter raised once before the commit. SQLite: as it always was.
            with (
                connection.cursor() as cursor,
                figures_cache.bumped_once(cursor, _written_tables(reading, unknown_consultants)),
            ):
                with bulk.foreign_keys_checked_once(
                    cursor,
                    _tables_checked_once(reading, existing),
                    referenced=_written_tables(reading, unknown_consultants),
                ):
                    if unknown_consultants:
                        consultant_model = apps.get_model("casework.Consultant")
                        consultant_model.objects.bulk_create(
                            [consultant_model(consultant_id=c) for c in sorted(unknown_consultants)],
                            batch_size=BATCH,
                        )
                    for spec in FILES:
                        parsed = reading.files.get(spec.filename)
                        if parsed is not None:
                            _write_file(parsed, existing[spec.filename], report, user, reason, progress)
                analyze(_model(spec) for spec in FILES if spec.filename in reading.files)
                report.seconds = time.perf_counter() - clock
                run = _record_run(folder, started, ImportRun.Status.GESLAAGD, reading.problems, report, user)
                report.run_id = run.pk
                logevent.import_run(
                    user, folder=str(folder), outcome="geslaagd", rows=report.rows, errors=0, run_id=run.pk
                )
    except IntegrityError as error:
        # The references were checked before the load (`_check_references`); a foreign key
        # PostgreSQL still finds broken (the re-add's one pass, or a deferred check run
        # before it) refuses the import like any invalid row: nothing was written.
        if connection.vendor != "postgresql":
            raise
        _refuse(folder, started, [*reading.problems, *_violations(error, reading)], report, user)
    return report


def _refuse(folder: Path, started, problems: list[Problem], report: ImportReport, user):
    run = _record_run(folder, started, ImportRun.Status.GEWEIGERD, problems, report, user)
    logevent.import_run(
        user,
        folder=str(folder),
        outcome="geweigerd",
        rows=report.rows,
        errors=run.error_count,
        run_id=run.pk,
    )
    raise ImportRefused(problems)


_KEY_MISSING = re.compile(
    r'Key \((?P<columns>[^)]*)\)=\((?P<values>.*)\) is not present in table "(?P<table>[^"]+)"'
)


def _violations(error: IntegrityError, reading: FolderReading) -> list[Problem]:
    """A foreign-key violation PostgreSQL reported, as the rows of the folder that hold the
    missing reference (`file:line: column: 'value' bestaat niet`)."""
    diag = getattr(error.__cause__, "diag", None)
    table = getattr(diag, "table_name", None)
    found = _KEY_MISSING.search(getattr(diag, "message_detail", None) or "")
    problems: list[Problem] = []
    for parsed in reading.files.values():
        model = _model(parsed.spec)
        if found is None or table not in (
            model._meta.db_table,
            getattr(getattr(model, "history", None), "model", model)._meta.db_table,
        ):
            continue
        for column in parsed.spec.all_columns:
            if column.kind not in ("ref", "soft_ref"):
                continue
            if model._meta.get_field(column.model_attr).column != found["columns"]:
                continue
            for row in parsed.rows:
                if row.values.get(column.model_attr) == found["values"]:
                    problems.append(
                        Problem(
                            parsed.spec.filename,
                            row.line,
                            f"{column.name}: {shown(found['values'])} bestaat niet "
                            f"(niet in {column.target} en niet in de database)",
                        )
                    )
    if not problems:
        problems.append(Problem(_file_of_table(table), 0, f"verwijzing klopt niet: {error}"))
    return problems


def _file_of_table(table: str | None) -> str:
    for spec in FILES:
        if _model(spec)._meta.db_table == table:
            return spec.filename
    return "?"


def _record_run(folder, started, status, problems, report: ImportReport, user) -> ImportRun:
    counts = {
        name: {
            "nieuw": report.created.get(name, 0),
            "gewijzigd": report.updated.get(name, 0),
            "ongewijzigd": report.unchanged.get(name, 0),
        }
        for name in report.created
    }
    # A folder name need not be UTF-8 on Linux; PostgreSQL refuses what is not.
    folder_name = os.fsencode(folder.resolve()).decode("utf-8", "replace")
    return ImportRun.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        folder=folder_name[-ImportRun._meta.get_field("folder").max_length :],
        status=status,
        rows_read=report.rows,
        counts=counts,
        error_count=sum(not p.warning for p in problems),
        warning_count=sum(p.warning for p in problems),
        problems="\n".join(str(p) for p in problems[:200]),
        user=user,
    )


# --- export ---------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def export_rows(spec: FileSpec, attrs: list[str]):
    """The records of one file as the export writes them: value tuples of `attrs`, by id,
    without the records the export leaves out (`spec.export_excludes`). The research
    export (`trede.interchange.research`) reads through this too."""
    model = _model(spec)
    rows = model.objects.exclude(**dict(spec.export_excludes)) if spec.export_excludes else model.objects
    return rows.order_by("pk").values_list(*attrs).iterator(chunk_size=5000)


def export_folder(folder: Path, *, user=None, progress: Progress | None = None) -> dict[str, int]:
    """Write every record in the interchange format; returns rows written per file."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = defaultdict(int)
    for spec in FILES:
        columns = spec.all_columns
        attrs = [c.model_attr for c in columns]
        with (folder / spec.filename).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([c.name for c in columns])
            for values in export_rows(spec, attrs):
                writer.writerow([_cell(v) for v in values])
                written[spec.filename] += 1
                if progress and written[spec.filename] % 5000 == 0:
                    progress("exporteren", 5000, None)
    logevent.export_made(
        user,
        what=f"Alle gegevens in het uitwisselformaat (map {folder})",
        count=sum(written.values()),
        purpose=events.EXPORT,
        fmt="uitwisselformaat",
    )
    return dict(written)
