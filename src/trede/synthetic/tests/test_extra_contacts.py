"""The clients outside the simulation (IOAW, IOAZ) have contact moments too.

Without them, every such client in the demo was years overdue in the worklist (a client on
IOAW since 2014 showed "4364 dagen te laat").
"""

import csv
from datetime import date


def _rows(folder, name):
    with open(folder / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _extra_spells(municipality):
    spells = {}
    for row in _rows(municipality.folder, "benefits.csv"):
        if row["regulation"] in ("ioaw", "ioaz"):
            end = date.fromisoformat(row["end_date"]) if row["end_date"] else date.max
            spells.setdefault(row["client_id"], []).append((date.fromisoformat(row["start_date"]), end))
    return spells


def test_most_ioaw_and_ioaz_clients_have_a_contact(municipality):
    spells = _extra_spells(municipality)
    contacted = {row["client_id"] for row in _rows(municipality.folder, "contacts.csv")} & set(spells)
    assert len(spells) >= 50
    assert len(contacted) / len(spells) > 0.8


def test_their_contacts_fall_inside_a_benefit_and_the_window(municipality):
    spells = _extra_spells(municipality)
    window_start = date(
        municipality.end.year - municipality.years, municipality.end.month, municipality.end.day
    )
    checked = 0
    for row in _rows(municipality.folder, "contacts.csv"):
        if row["client_id"] in spells:
            day = date.fromisoformat(row["date"])
            assert window_start <= day < municipality.end
            assert any(start <= day < end for start, end in spells[row["client_id"]]), row
            checked += 1
    assert checked
