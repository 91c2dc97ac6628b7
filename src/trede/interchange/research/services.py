"""`export_research`: the pseudonymised research export (issue 12 point 5, decisions 81-83).

It reads what the interchange export reads (`trede.interchange.services.export_rows` over
the same `FileSpec`s) and writes, with the csv module in the same dialect (UTF-8, comma,
standard quoting, LF, header row), a copy in which

- every id of a person or of a record about one (clients, consultants, employers, and the
  row ids of benefits, diagnoses, contacts, trajectories and placements) is a keyed
  pseudonym (`rules.Pseudonymiser`: a fresh key per export, never stored);
- the birth date is a birth year (or a band), names, BSN, free text and the instrument's
  and provider's names are left out;
- postcode4 is published only for areas of at least k clients (`overig` otherwise);
- the k-anonymity report (`k_anonymity.csv`, `k_anonymity.json`) and `README.txt`
  describe what was published, and `effects_table.csv` is ready for
  `trede effects table`.

The export is written to the audit log (`logevent.research_export_made`): who, which
files with how many rows, the generalisation, and the purpose given.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from trede.accounts import permissions as perms
from trede.audit import logevent
from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
from trede.casework.policy.selectors import active_policy

from ..schema import FILES_BY_NAME
from ..services import _cell, export_rows
from . import rules
from .readme import readme_text

K_FILES = ("k_anonymity.csv", "k_anonymity.json", "README.txt")


class ResearchExportRefused(Exception):
    """Wrong usage (no purpose, a folder that is not empty): nothing was written."""


@dataclass(frozen=True)
class Settings:
    k: int
    quasi_identifiers: tuple[str, ...]
    birth_band_years: tuple[int, ...]
    max_share_below_k: float
    effects_regulations: tuple[str, ...]
    treatment_window_months: int
    outcome_horizon_months: int


def research_settings() -> Settings:
    """The active policy's research-export settings over the default preset's."""
    default = PRESETS[DEFAULT_PRESET]["config"]["research_export"]
    stored = active_policy().config.get("research_export") or {}
    effects = {**default["effects"], **(stored.get("effects") or {})}
    merged = {**default, **stored}
    return Settings(
        k=int(merged["k"]),
        quasi_identifiers=tuple(merged["quasi_identifiers"]),
        birth_band_years=tuple(int(b) for b in merged["birth_band_years"]),
        max_share_below_k=float(merged["max_share_below_k"]),
        effects_regulations=tuple(effects["regulations"]),
        treatment_window_months=int(effects["treatment_window_months"]),
        outcome_horizon_months=int(effects["outcome_horizon_months"]),
    )


@dataclass
class ResearchExport:
    folder: Path
    files: dict[str, int] = field(default_factory=dict)
    level: rules.Level | None = None
    trail: list[rules.LevelOutcome] = field(default_factory=list)
    combinations: list[rules.Combination] = field(default_factory=list)
    settings: Settings | None = None
    until: date | None = None
    published_postcodes: int = 0
    audit_id: int | None = None


# Per output file: (interchange file, [(output column, source attribute, how)]).
# how: "keep", "date", or a pseudonym kind ("klant", "consulent", ...).
PLAIN_FILES: tuple[tuple[str, str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "benefits.csv",
        "benefits.csv",
        (
            ("benefit_id", "benefit_id", "uitkering"),
            ("client_id", "client_id", "klant"),
            ("regulation", "regulation", "keep"),
            ("start_date", "start_date", "keep"),
            ("end_date", "end_date", "keep"),
            ("end_reason", "end_reason", "keep"),
        ),
    ),
    (
        "diagnoses.csv",
        "diagnoses.csv",
        (
            ("diagnosis_id", "diagnosis_id", "diagnose"),
            ("client_id", "client_id", "klant"),
            ("date", "date", "keep"),
            ("months_to_work", "months_to_work", "keep"),
            ("ladder_step", "ladder_step", "keep"),
            ("ladder_target", "ladder_target", "keep"),
            ("wage_value_pct", "wage_value_pct", "keep"),
            ("assessed_by", "assessed_by", "keep"),
        ),
    ),
    (
        "contacts.csv",
        "contacts.csv",
        (
            ("contact_id", "contact_id", "contact"),
            ("client_id", "client_id", "klant"),
            ("date", "date", "keep"),
            ("kind", "kind", "keep"),
            ("consultant_id", "consultant_id", "consulent"),
        ),
    ),
    (
        "instruments.csv",
        "instruments.csv",
        (
            ("instrument_code", "instrument_code", "keep"),
            ("type", "type", "keep"),
            ("funding", "funding", "keep"),
            ("price_eur", "price_eur", "keep"),
        ),
    ),
    (
        "providers.csv",
        "providers.csv",
        (
            ("provider_id", "provider_id", "keep"),
            ("kind", "kind", "keep"),
        ),
    ),
    (
        "trajectories.csv",
        "trajectories.csv",
        (
            ("trajectory_id", "trajectory_id", "traject"),
            ("client_id", "client_id", "klant"),
            ("instrument_code", "instrument_id", "keep"),
            ("provider_id", "provider_id", "keep"),
            ("referral_date", "referral_date", "keep"),
            ("start_date", "start_date", "keep"),
            ("planned_end_date", "planned_end_date", "keep"),
            ("end_date", "end_date", "keep"),
            ("result", "result", "keep"),
            ("cost_eur", "cost_eur", "keep"),
        ),
    ),
    (
        "placements.csv",
        "placements.csv",
        (
            ("placement_id", "placement_id", "plaatsing"),
            ("client_id", "client_id", "klant"),
            ("employer_id", "employer_id", "werkgever"),
            ("start_date", "start_date", "keep"),
            ("end_date", "end_date", "keep"),
            ("hours_per_week", "hours_per_week", "keep"),
            ("contract", "contract", "keep"),
            ("subsidy", "subsidy", "keep"),
            ("wage_value_pct", "wage_value_pct", "keep"),
        ),
    ),
)

CLIENT_COLUMNS = (
    "client_id",
    "birth_year",
    "gender",
    "household",
    "education",
    "dutch_language",
    "statushouder",
    "dgr",
    "postcode4",
    "municipality",
    "regulation",
    "consultant_id",
)
EMPLOYER_COLUMNS = ("employer_id", "sector", "size_class")
EFFECTS_COLUMNS = (
    "client_id",
    "spell_start_year",
    "landmark_date",
    "treated",
    "outflow_work",
    "birth_year",
    "gender",
    "household",
    "education",
    "dutch_language",
    "statushouder",
    "dgr",
    "regulation",
    "ladder_step",
)
KANON_COLUMNS = (
    "quasi_identifiers",
    "k",
    "records",
    "classes",
    "smallest_class",
    "classes_below_k",
    "records_below_k",
    "share_below_k",
)


def _writer(handle):
    return csv.writer(handle, lineterminator="\n")


def _write_csv(path: Path, header, rows) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = _writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _latest_regulation(benefits: list[rules.BenefitRow]) -> dict[str, str]:
    """Per client the regulation of the benefit that started last (on equal dates: any
    ongoing one, then the later end)."""
    latest: dict[str, rules.BenefitRow] = {}
    for b in benefits:
        now = latest.get(b.client_id)
        key = (b.start, b.end is None, b.end or date.min, b.regulation)
        if now is None or key > (now.start, now.end is None, now.end or date.min, now.regulation):
            latest[b.client_id] = b
    return {c: b.regulation for c, b in latest.items()}


def _observed_until(benefits, trajectory_dates) -> date:
    """The day after the latest date in benefits and trajectories (the exclusive end)."""
    days = [d for b in benefits for d in (b.start, b.end) if d] + list(trajectory_dates)
    return (max(days) + timedelta(days=1)) if days else timezone.localdate()


def _client_records(clients, regulation_of, published, band) -> list[dict]:
    out = []
    for c in clients:
        out.append(
            {
                "_id": c["client_id"],
                "birth_year": rules.birth_value(c["birth_date"], band),
                "gender": c["gender"] or "",
                "household": c["household"] or "",
                "postcode4": rules.shown_postcode(c["postcode4"] or "", published),
                "regulation": regulation_of.get(c["client_id"], ""),
            }
        )
    return out


def export_research(
    folder: Path,
    *,
    purpose: str,
    user=None,
    account: str = "",
    via: str = "opdrachtregel",
    until: date | None = None,
    progress: Callable[[str], None] | None = None,
    key: bytes | None = None,
) -> ResearchExport:
    """Write the research export into `folder` and log it; see the module docstring.

    `user`: the Trede user it is done for (checked against the permission; None from the
    command line without `--user`, then `account` names the system account that ran it).
    `key` is for tests only (a fixed key gives fixed pseudonyms).
    """
    purpose = (purpose or "").strip()
    if not purpose:
        raise ResearchExportRefused("geef met --purpose het doel van het onderzoek op (verplicht)")
    if user is not None:
        perms.check(user, perms.RESEARCH_EXPORT, purpose=purpose[:200])
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ResearchExportRefused(f"{folder} is geen map")
    if folder.is_dir() and any(folder.iterdir()):
        raise ResearchExportRefused(f"map {folder} is niet leeg; kies een nieuwe of lege map")
    folder.mkdir(parents=True, exist_ok=True)
    settings = research_settings()
    pseudo = rules.Pseudonymiser(key)
    say = progress or (lambda _text: None)
    result = ResearchExport(folder=folder, settings=settings)

    # -- read what the interchange export reads -------------------------------------------
    say("klanten en uitkeringen lezen")
    client_spec = FILES_BY_NAME["clients.csv"]
    client_attrs = [
        "client_id",
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
    ]
    clients = [dict(zip(client_attrs, v, strict=True)) for v in export_rows(client_spec, client_attrs)]
    benefit_attrs = ["client_id", "regulation", "start_date", "end_date", "end_reason"]
    benefits = [
        rules.BenefitRow(c, r or "", s, e, er or "")
        for c, r, s, e, er in export_rows(FILES_BY_NAME["benefits.csv"], benefit_attrs)
    ]
    trajectory_starts: dict[str, list[date]] = defaultdict(list)
    trajectory_dates: list[date] = []
    for client_id, referral, start, end in export_rows(
        FILES_BY_NAME["trajectories.csv"], ["client_id", "referral_date", "start_date", "end_date"]
    ):
        trajectory_dates += [d for d in (referral, start, end) if d]
        if start:
            trajectory_starts[client_id].append(start)
    regulation_of = _latest_regulation(benefits)

    # -- postcode4 and the generalisation ladder ------------------------------------------
    published = rules.published_postcodes((c["postcode4"] or "" for c in clients), settings.k)
    quasi = [
        q
        for q in settings.quasi_identifiers
        if q in ("birth_year", "gender", "household", "postcode4", "regulation")
    ]

    def records_at(level: rules.Level) -> list[dict]:
        return _client_records(
            clients, regulation_of, published if level.postcode else set(), level.birth_band_years
        )

    def evaluate(level: rules.Level) -> rules.Combination:
        return rules.k_anonymity_full(records_at(level), quasi, settings.k)

    level, trail = rules.choose_level(
        evaluate, rules.ladder(settings.birth_band_years), max_share_below_k=settings.max_share_below_k
    )
    records = records_at(level)
    result.level, result.trail = level, trail
    result.combinations = rules.k_anonymity(records, quasi, settings.k)
    result.published_postcodes = len(published) if level.postcode else 0
    shown = {r["_id"]: r for r in records}

    # -- the files -------------------------------------------------------------------------
    say("bestanden schrijven")
    result.files["clients.csv"] = _write_csv(
        folder / "clients.csv",
        CLIENT_COLUMNS,
        (
            (
                pseudo("klant", c["client_id"]),
                shown[c["client_id"]]["birth_year"],
                c["gender"] or "",
                c["household"] or "",
                c["education"] or "",
                c["dutch_language"] or "",
                _cell(c["statushouder"]),
                _cell(c["dgr"]),
                shown[c["client_id"]]["postcode4"],
                c["municipality"] or "",
                regulation_of.get(c["client_id"], ""),
                pseudo("consulent", c["consultant_id"]),
            )
            for c in clients
        ),
    )
    for filename, source, columns in PLAIN_FILES:
        attrs = [attr for _name, attr, _how in columns]
        hows = [how for _name, _attr, how in columns]
        result.files[filename] = _write_csv(
            folder / filename,
            [name for name, _attr, _how in columns],
            (
                [_cell(v) if how == "keep" else pseudo(how, v) for v, how in zip(values, hows, strict=True)]
                for values in export_rows(FILES_BY_NAME[source], attrs)
            ),
        )
    result.files["employers.csv"] = _write_csv(
        folder / "employers.csv",
        EMPLOYER_COLUMNS,
        (
            (pseudo("werkgever", e), s or "", z or "")
            for e, s, z in export_rows(
                FILES_BY_NAME["employers.csv"], ["employer_id", "sector", "size_class"]
            )
        ),
    )

    # -- the effects table -------------------------------------------------------------------
    say("effecttabel maken")
    result.until = until or _observed_until(benefits, trajectory_dates)
    regs = set(settings.effects_regulations)
    spell_list = rules.spells(b for b in benefits if b.regulation in regs)
    landmarks = rules.landmark_rows(
        spell_list,
        trajectory_starts,
        window_months=settings.treatment_window_months,
        horizon_months=settings.outcome_horizon_months,
        until=result.until,
    )
    ladder_steps: dict[str, list[tuple[date, str, int]]] = defaultdict(list)
    for diagnosis_id, client_id, day, step in export_rows(
        FILES_BY_NAME["diagnoses.csv"], ["diagnosis_id", "client_id", "date", "ladder_step"]
    ):
        if step is not None:
            ladder_steps[client_id].append((day, diagnosis_id, step))
    by_id = {c["client_id"]: c for c in clients}
    regulation_of_spell = {(s.client_id, s.start): s.regulation for s in spell_list}

    def ladder_on(client_id: str, day: date) -> str:
        known = [x for x in ladder_steps.get(client_id, ()) if x[0] <= day]
        return str(max(known)[2]) if known else rules.UNKNOWN

    def effects_rows():
        for row in landmarks:
            c = by_id.get(row.client_id)
            if c is None:
                continue
            yield (
                pseudo("klant", row.client_id),
                row.spell_start.year,
                row.landmark.isoformat(),
                row.treated,
                row.outcome,
                shown[row.client_id]["birth_year"],
                c["gender"] or rules.UNKNOWN,
                c["household"] or rules.UNKNOWN,
                c["education"] or rules.UNKNOWN,
                c["dutch_language"] or rules.UNKNOWN,
                _cell(c["statushouder"]) or rules.UNKNOWN,
                _cell(c["dgr"]) or rules.UNKNOWN,
                regulation_of_spell[(row.client_id, row.spell_start)],
                ladder_on(row.client_id, row.landmark),
            )

    result.files["effects_table.csv"] = _write_csv(
        folder / "effects_table.csv", EFFECTS_COLUMNS, effects_rows()
    )

    # -- the k-anonymity report and the README ---------------------------------------------
    _write_csv(
        folder / "k_anonymity.csv",
        KANON_COLUMNS,
        (
            (
                "+".join(c.quasi_identifiers),
                settings.k,
                c.records,
                c.classes,
                c.smallest_class,
                c.classes_below_k,
                c.records_below_k,
                f"{c.share_below_k:.4f}",
            )
            for c in result.combinations
        ),
    )
    (folder / "k_anonymity.json").write_text(
        json.dumps(_report_json(result, quasi), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (folder / "README.txt").write_text(readme_text(result, quasi), encoding="utf-8")
    pseudo.forget()

    row = logevent.research_export_made(
        user,
        purpose_text=purpose,
        files=dict(result.files),
        level=level.label,
        k=settings.k,
        via=via,
        account=account,
    )
    result.audit_id = row.pk
    return result


def _report_json(result: ResearchExport, quasi) -> dict:
    full = result.combinations[-1] if result.combinations else None
    return {
        "k": result.settings.k,
        "quasi_identifiers": list(quasi),
        "generalisation": {
            "birth_band_years": result.level.birth_band_years,
            "postcode4_published": result.level.postcode,
            "description": result.level.label,
            "max_share_below_k": result.settings.max_share_below_k,
            "tried": [
                {
                    "birth_band_years": t.level.birth_band_years,
                    "postcode4_published": t.level.postcode,
                    "records_below_k": t.records_below_k,
                    "smallest_class": t.smallest_class,
                    "meets_target": t.meets_target,
                }
                for t in result.trail
            ],
        },
        "published_postcode4_areas": result.published_postcodes,
        "all_quasi_identifiers": None
        if full is None
        else {"smallest_class": full.smallest_class, "records_below_k": full.records_below_k},
        "combinations": [
            {
                "quasi_identifiers": list(c.quasi_identifiers),
                "records": c.records,
                "classes": c.classes,
                "smallest_class": c.smallest_class,
                "classes_below_k": c.classes_below_k,
                "records_below_k": c.records_below_k,
            }
            for c in result.combinations
        ],
    }
