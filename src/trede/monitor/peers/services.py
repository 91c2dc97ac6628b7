"""Writes of the comparison: importing a file of reference figures, all or nothing
(decision 78).

The whole file is read and checked first (`reading.peers_read`); only a file without a
single problem is written, in one transaction, with its import row and its audit row. A
figure of a municipality and year that is stored already is replaced by the file's (the
newest file is the source); nothing is ever stored twice. A double submit of the page's
form carries the same submission key and returns the first import without writing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO

from django.db import transaction

from trede.accounts import permissions as perms
from trede.audit import logevent
from trede.interchange.reading import Problem
from trede.utils.concurrency import create_once, parse_submission_key

from ..models import PeerFigure, PeerImport, PeerMunicipality
from .reading import PeerReading, name_key, peers_read

MAX_SOURCE_CHARS = 300


class PeerImportRefused(Exception):
    """The file has problems; nothing is written. `problems` are Dutch, with their line."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} probleem/problemen; niets ingelezen")
        self.problems = problems


@dataclass(frozen=True)
class PeerImportOutcome:
    peer_import: PeerImport
    created: bool  # False: a double submit, the first import is returned


def peers_import(
    *,
    content: bytes | BinaryIO,
    filename: str,
    source: str,
    user=None,
    submission_key=None,
) -> PeerImportOutcome:
    """Import a file of reference figures. `user` is None for the command line (whoever
    runs `trede` there is the operator); on the page it is checked against
    `vergelijking.importeren`."""
    if user is not None:
        perms.check(user, perms.PEERS_IMPORT)
    key = parse_submission_key(submission_key)
    if key is not None:
        existing = PeerImport.objects.filter(submission_key=key).first()
        if existing is not None:
            return PeerImportOutcome(existing, created=False)
    raw = io.BytesIO(content) if isinstance(content, bytes) else content
    reading = peers_read(raw, filename)
    source = " ".join((source or "").split())
    if not source:
        reading.problems.insert(0, Problem(filename, 0, "geef de bron en een omschrijving van de cijfers"))
    elif len(source) > MAX_SOURCE_CHARS:
        reading.problems.insert(0, Problem(filename, 0, f"de bron is langer dan {MAX_SOURCE_CHARS} tekens"))
    if reading.problems:
        # Outside any transaction, so the refusal is recorded even though nothing else is.
        logevent.peers_imported(
            user,
            filename=filename,
            outcome="geweigerd",
            rows=len(reading.rows),
            municipalities=0,
            errors=len(reading.problems),
        )
        raise PeerImportRefused(reading.problems)

    def create(stored_key) -> PeerImport:
        return _write(reading, filename=filename, source=source, user=user, key=stored_key)

    peer_import, created = create_once(PeerImport, key, create)
    return PeerImportOutcome(peer_import, created=created)


def _write(reading: PeerReading, *, filename: str, source: str, user, key) -> PeerImport:
    """Inside `create_once`'s transaction: the import row, the municipalities, the figures
    (replaced where stored already) and the audit row, together or not at all."""
    peer_import = PeerImport.objects.create(
        source=source,
        filename=filename[:255],
        municipalities=reading.municipalities,
        figures=len(reading.rows),
        imported_by=user,
        submission_key=key,
    )
    known = {name_key(m.name): m for m in PeerMunicipality.objects.select_for_update()}
    for row in reading.rows:
        if name_key(row.name) not in known:
            known[name_key(row.name)] = PeerMunicipality.objects.create(name=row.name)
    wanted = {(known[name_key(r.name)].pk, r.year): r for r in reading.rows}
    stored = {
        (f.municipality_id, f.year): f
        for f in PeerFigure.objects.filter(municipality_id__in={pk for pk, _ in wanted})
    }
    new, changed = [], []
    for (municipality_id, year), row in wanted.items():
        figure = stored.get((municipality_id, year)) or PeerFigure(municipality_id=municipality_id, year=year)
        figure.population = row.population
        figure.benefits = row.benefits
        figure.per_1000 = row.per_1000
        figure.outflow_to_work = row.outflow_to_work
        figure.source_import = peer_import
        (changed if figure.pk else new).append(figure)
    PeerFigure.objects.bulk_create(new)
    PeerFigure.objects.bulk_update(
        changed, ["population", "benefits", "per_1000", "outflow_to_work", "source_import"]
    )
    logevent.peers_imported(
        user,
        filename=filename,
        outcome=f"ingelezen ({len(new)} nieuw, {len(changed)} vervangen)",
        rows=len(reading.rows),
        municipalities=reading.municipalities,
        errors=0,
        import_id=str(peer_import.pk),
    )
    return peer_import


@transaction.atomic
def peers_example_import(*, user=None) -> PeerImportOutcome | None:
    """The demo's reference figures: seed 003's G10 table, once (None when any import exists)."""
    from .selectors import EXAMPLE_FILE, EXAMPLE_SOURCE

    if PeerImport.objects.exists():
        return None
    return peers_import(
        content=EXAMPLE_FILE.read_bytes(), filename=EXAMPLE_FILE.name, source=EXAMPLE_SOURCE, user=user
    )
