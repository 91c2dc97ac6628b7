"""A small, independent validator of an interchange folder (docs/interchange.md, version 1).

Deliberately not the importer's code: the generator's tests must catch a format error
even when the importer has the same misunderstanding.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

CODES = {
    ("clients.csv", "gender"): {"man", "vrouw", "x", "onbekend"},
    ("clients.csv", "household"): {"alleenstaand", "alleenstaande_ouder", "gehuwd_samenwonend", "overig"},
    ("clients.csv", "education"): {"geen", "basis", "vmbo_mbo1", "mbo2_4", "havo_vwo", "hbo_wo", "onbekend"},
    ("clients.csv", "dutch_language"): {"a0", "a1", "a2", "b1", "b2", "c1", "c2", "moedertaal", "onbekend"},
    ("clients.csv", "statushouder"): {"0", "1"},
    ("clients.csv", "dgr"): {"0", "1"},
    ("benefits.csv", "regulation"): {"pw", "ioaw", "ioaz", "bbz"},
    ("benefits.csv", "end_reason"): {
        "werk",
        "onderwijs",
        "verhuizing",
        "aow",
        "overlijden",
        "detentie",
        "partner_inkomen",
        "rechtmatigheid",
        "overig",
    },
    ("diagnoses.csv", "assessed_by"): {"tool", "consultant"},
    ("contacts.csv", "kind"): {"gesprek", "huisbezoek", "telefonisch", "digitaal", "groep"},
    ("providers.csv", "kind"): {
        "gemeente",
        "sw_bedrijf",
        "wsp",
        "reintegratiebedrijf",
        "onderwijs",
        "maatschappelijk",
    },
    ("instruments.csv", "type"): {
        "jobcoaching",
        "werkervaringsplaats",
        "werkstage",
        "taalstage",
        "vrijwilligerswerk",
        "arbeidsmedisch_advies",
        "scholing",
        "maatwerktraject",
        "proefplaatsing",
        "loonkostensubsidie",
        "sollicitatietraining",
        "sociale_activering",
        "overig",
    },
    ("instruments.csv", "funding"): {"reintegratiebudget", "buig", "overig"},
    ("trajectories.csv", "result"): {"geslaagd", "niet_geslaagd", "voortijdig_gestopt", "lopend"},
    ("employers.csv", "sector"): set("ABCDEFGHIJKLMNOPQRSTU"),
    ("employers.csv", "size_class"): {"1-9", "10-49", "50-249", "250+"},
    ("placements.csv", "contract"): {"vast", "tijdelijk", "proefplaatsing", "detachering", "uitzend"},
    ("placements.csv", "subsidy"): {"geen", "lks", "proefplaatsing", "plaatsingssubsidie"},
    ("measures.csv", "kind"): {"waarschuwing", "boete", "maatregel", "tegenprestatie"},
}
IDS = {
    "clients.csv": "client_id",
    "benefits.csv": "benefit_id",
    "diagnoses.csv": "diagnosis_id",
    "consultants.csv": "consultant_id",
    "contacts.csv": "contact_id",
    "providers.csv": "provider_id",
    "instruments.csv": "instrument_code",
    "trajectories.csv": "trajectory_id",
    "employers.csv": "employer_id",
    "vacancies.csv": "vacancy_id",
    "client_profiles.csv": "client_id",
    "placements.csv": "placement_id",
    "measures.csv": "measure_id",
}
COLUMNS = {
    "clients.csv": (
        "client_id",
        "bsn",
        "birth_date",
        "gender",
        "household",
        "education",
        "dutch_language",
        "statushouder",
        "dgr",
        "postcode4",
        "municipality",
        "consultant_id",
    ),
    "benefits.csv": ("benefit_id", "client_id", "regulation", "start_date", "end_date", "end_reason"),
    "diagnoses.csv": (
        "diagnosis_id",
        "client_id",
        "date",
        "months_to_work",
        "ladder_step",
        "ladder_target",
        "wage_value_pct",
        "assessed_by",
        "override_reason",
    ),
    "consultants.csv": ("consultant_id", "name", "team", "role"),
    "contacts.csv": ("contact_id", "client_id", "date", "kind", "consultant_id"),
    "providers.csv": ("provider_id", "name", "kind"),
    "instruments.csv": ("instrument_code", "name", "type", "funding", "price_eur"),
    "trajectories.csv": (
        "trajectory_id",
        "client_id",
        "instrument_code",
        "provider_id",
        "referral_date",
        "start_date",
        "planned_end_date",
        "end_date",
        "result",
        "cost_eur",
    ),
    "employers.csv": ("employer_id", "name", "sector", "size_class", "postcode4"),
    "vacancies.csv": (
        "vacancy_id",
        "employer_id",
        "title",
        "occupation_code",
        "hours_per_week",
        "open_date",
        "close_date",
        "skills",
    ),
    "client_profiles.csv": ("client_id", "desired_occupations", "skills", "hours_available", "max_travel_km"),
    "placements.csv": (
        "placement_id",
        "client_id",
        "employer_id",
        "vacancy_id",
        "start_date",
        "end_date",
        "hours_per_week",
        "contract",
        "subsidy",
        "wage_value_pct",
    ),
    "measures.csv": ("measure_id", "client_id", "date", "kind", "reason", "percentage", "months"),
}
DATES = {
    "clients.csv": ("birth_date",),
    "benefits.csv": ("start_date", "end_date"),
    "diagnoses.csv": ("date",),
    "contacts.csv": ("date",),
    "trajectories.csv": ("referral_date", "start_date", "planned_end_date", "end_date"),
    "vacancies.csv": ("open_date", "close_date"),
    "placements.csv": ("start_date", "end_date"),
    "measures.csv": ("date",),
}
REQUIRED_DATES = {
    "clients.csv": ("birth_date",),
    "benefits.csv": ("start_date",),
    "diagnoses.csv": ("date",),
    "contacts.csv": ("date",),
    "trajectories.csv": ("referral_date",),
    "vacancies.csv": ("open_date",),
    "placements.csv": ("start_date",),
    "measures.csv": ("date",),
}
ORDER = {
    "benefits.csv": (("start_date", "end_date"),),
    "trajectories.csv": (
        ("start_date", "end_date"),
        ("start_date", "planned_end_date"),
        ("referral_date", "start_date"),
    ),
    "vacancies.csv": (("open_date", "close_date"),),
    "placements.csv": (("start_date", "end_date"),),
}
RANGES = {
    ("diagnoses.csv", "months_to_work"): (0, 120),
    ("diagnoses.csv", "ladder_step"): (1, 6),
    ("diagnoses.csv", "ladder_target"): (1, 6),
    ("diagnoses.csv", "wage_value_pct"): (0, 100),
    ("placements.csv", "wage_value_pct"): (0, 100),
}
NUMBERS = {
    ("instruments.csv", "price_eur"),
    ("trajectories.csv", "cost_eur"),
    ("vacancies.csv", "hours_per_week"),
    ("placements.csv", "hours_per_week"),
    ("client_profiles.csv", "hours_available"),
    ("client_profiles.csv", "max_travel_km"),
    ("measures.csv", "percentage"),
    ("measures.csv", "months"),
}
REFS = {
    ("benefits.csv", "client_id"): "clients.csv",
    ("diagnoses.csv", "client_id"): "clients.csv",
    ("contacts.csv", "client_id"): "clients.csv",
    ("contacts.csv", "consultant_id"): "consultants.csv",
    ("clients.csv", "consultant_id"): "consultants.csv",
    ("trajectories.csv", "client_id"): "clients.csv",
    ("trajectories.csv", "instrument_code"): "instruments.csv",
    ("trajectories.csv", "provider_id"): "providers.csv",
    ("vacancies.csv", "employer_id"): "employers.csv",
    ("client_profiles.csv", "client_id"): "clients.csv",
    ("placements.csv", "client_id"): "clients.csv",
    ("placements.csv", "employer_id"): "employers.csv",
    ("placements.csv", "vacancy_id"): "vacancies.csv",
    ("measures.csv", "client_id"): "clients.csv",
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISCO = re.compile(r"^\d{4}$")


def bsn_ok(value: str) -> bool:
    if len(value) != 9 or not value.isdigit():
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(value, weights, strict=True)) % 11 == 0


def parse_date(value: str) -> date | None:
    if not _DATE.match(value):
        raise ValueError(value)
    return date.fromisoformat(value)


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def validate(folder: Path, data_end: date, isco_codes: set[str] | None = None) -> list[str]:
    """Every problem as 'file:line: message' (empty when the folder is valid)."""
    problems: list[str] = []
    rows = {name: read(folder, name) for name in COLUMNS if (folder / name).exists()}
    for required in ("clients.csv", "benefits.csv"):
        if required not in rows:
            problems.append(f"{required}: missing")
    ids = {name: {r[IDS[name]] for r in data} for name, data in rows.items()}
    for name, data in rows.items():
        problems += _check_file(name, data, ids, data_end, isco_codes, folder)
    return problems


def _check_file(
    name: str,
    data: list[dict[str, str]],
    ids: dict[str, set[str]],
    data_end: date,
    isco_codes: set[str] | None,
    folder: Path,
) -> list[str]:
    out: list[str] = []
    with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    missing_cols = set(COLUMNS[name]) - set(header)
    if missing_cols:
        out.append(f"{name}:1: missing columns {sorted(missing_cols)}")
        return out
    seen: set[str] = set()
    for line, row in enumerate(data, start=2):
        where = f"{name}:{line}"
        key = row[IDS[name]]
        if not key:
            out.append(f"{where}: empty id")
        if key in seen:
            out.append(f"{where}: duplicate id {key}")
        seen.add(key)
        out += _check_row(name, row, where, ids, data_end, isco_codes)
    return out


def _check_row(
    name: str,
    row: dict[str, str],
    where: str,
    ids: dict[str, set[str]],
    data_end: date,
    isco_codes: set[str] | None,
) -> list[str]:
    out: list[str] = []
    for (file, col), allowed in CODES.items():
        if file == name and row[col] and row[col] not in allowed:
            out.append(f"{where}: {col} {row[col]!r} not a code")
    parsed: dict[str, date | None] = {}
    for col in DATES.get(name, ()):
        try:
            parsed[col] = parse_date(row[col]) if row[col] else None
        except ValueError:
            out.append(f"{where}: {col} {row[col]!r} not a date")
            parsed[col] = None
        if parsed[col] is not None and parsed[col] >= data_end and col not in ("planned_end_date",):
            out.append(f"{where}: {col} {row[col]} on or after data_end")
    for col in REQUIRED_DATES.get(name, ()):
        if not row[col]:
            out.append(f"{where}: {col} required")
    if "client_id" in row and not row["client_id"]:
        out.append(f"{where}: client_id required")
    for lo, hi in ORDER.get(name, ()):
        if parsed.get(lo) and parsed.get(hi) and parsed[hi] < parsed[lo]:
            out.append(f"{where}: {hi} before {lo}")
    for (file, col), (low, high) in RANGES.items():
        if file == name and row[col]:
            value = float(row[col])
            if not low <= value <= high:
                out.append(f"{where}: {col} {value} outside {low}-{high}")
    for file, col in NUMBERS:
        if file == name and row[col]:
            float(row[col])
    for (file, col), target in REFS.items():
        if file == name and row[col] and target in ids and row[col] not in ids[target]:
            out.append(f"{where}: {col} {row[col]} unknown in {target}")
    if name == "clients.csv" and row["bsn"] and not bsn_ok(row["bsn"]):
        out.append(f"{where}: bsn {row['bsn']} fails the 11-proef")
    if name == "benefits.csv" and row["end_date"] and not row["end_reason"]:
        out.append(f"{where}: end_reason required with end_date")
    if name == "benefits.csv" and not row["end_date"] and row["end_reason"]:
        out.append(f"{where}: end_reason without end_date")
    if isco_codes is not None:
        codes = []
        if name == "vacancies.csv":
            codes = [row["occupation_code"]]
        if name == "client_profiles.csv":
            codes = row["desired_occupations"].split(";")
        for code in codes:
            if not _ISCO.match(code) or code not in isco_codes:
                out.append(f"{where}: {code!r} not an ISCO-08 unit group")
    return out
