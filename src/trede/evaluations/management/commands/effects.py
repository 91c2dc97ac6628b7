"""`trede effects table|instruments`: "wat werkt voor wie", net of what would have happened anyway.

- `table` estimates the effect of a 0/1 treatment column in any CSV table (no database).
- `instruments` estimates, per instrument, the effect of starting it in a month on
  outflow to work within H months (docs/interchange.md), from the database or, with
  `--data DIR`, straight from an interchange folder.

With `--json` standard output holds exactly one JSON object; progress and messages go to
standard error. Wrong usage (unknown column, a treatment that is not 0/1, a bad date)
exits with code 2 and a message in Dutch.
"""

from __future__ import annotations

import json
import math
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from django.core.management.base import BaseCommand, CommandError

from trede.effects.errors import EffectsError
from trede.effects.estimators import ESTIMATORS
from trede.effects.frames import read_interchange_folder
from trede.effects.instruments import InstrumentsReport, estimate_instruments
from trede.effects.panel import SEGMENT_DIMENSIONS
from trede.evaluations.errors import dutch_effects_error
from trede.interchange.reading import parse_date
from trede.utils.dutch import format_number
from trede.utils.progress import stderr_progress

METHOD_LABELS = {
    "aipw": "dubbel robuust (AIPW, kruisvalidatie)",
    "ipw": "inverse-kansweging (IPW)",
    "matching": "matching op de propensity score",
    "dr_learner": "DR-learner per groep",
}
SEGMENT_LABELS = {
    "age_band": "Leeftijd",
    "duration_band": "Duur uitkering (jaren)",
    "ladder_step": "Trede participatieladder",
    "client_group": "Klantgroep",
    "statushouder": "Statushouder",
}


def _usage(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    value = parse_date(text.strip())
    if value is None:
        raise _usage(f"{option}: '{text}' is geen bestaande datum in de vorm JJJJ-MM-DD")
    return value


class Command(BaseCommand):
    help = "Effectschattingen: wat werkt voor wie (tabel of instrumenten)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)

        table = sub.add_parser("table", help="effect van een 0/1-behandelkolom in een CSV-tabel")
        table.add_argument("--csv", required=True, help="CSV-bestand met een kopregel")
        table.add_argument("--treatment", required=True, help="behandelkolom (0/1)")
        table.add_argument("--outcome", required=True, help="uitkomstkolom (getal, bv. 0/1)")
        table.add_argument(
            "--covariates", default="", help="kenmerken om voor te corrigeren, komma-gescheiden"
        )
        table.add_argument("--estimand", choices=["att", "ate"], default="att")
        table.add_argument("--method", choices=sorted(ESTIMATORS), default="aipw")
        table.add_argument("--learner", choices=["linear", "boosting"], default="linear")
        table.add_argument("--weights", default=None, help="kolom met steekproefgewichten")
        table.add_argument("--cluster", default=None, help="kolom met persoonsnummer (geclusterde fouten)")
        table.add_argument("--seed", type=int, default=0)
        table.add_argument("--json", action="store_true", help="precies één JSON-object op standaarduitvoer")

        inst = sub.add_parser("instruments", help="effect per instrument op uitstroom naar werk")
        inst.add_argument("--horizon", type=int, required=True, help="aantal maanden (H)")
        inst.add_argument("--from", dest="date_from", default=None, help="eerste startmaand JJJJ-MM-DD")
        inst.add_argument("--until", required=True, help="einde van de waargenomen gegevens (telt niet mee)")
        inst.add_argument(
            "--data", default=None, help="lees een map in het uitwisselformaat i.p.v. de database"
        )
        inst.add_argument("--regulations", default="pw", help="regelingen, bv. pw,ioaw (standaard pw)")
        inst.add_argument("--outcome", choices=["werk", "werk_duurzaam"], default="werk")
        inst.add_argument("--method", choices=sorted(ESTIMATORS), default="aipw")
        inst.add_argument(
            "--instrument", action="append", default=None, help="alleen dit instrument (herhaalbaar)"
        )
        inst.add_argument("--no-segments", action="store_true", help="geen uitsplitsing naar groepen")
        inst.add_argument("--control-ratio", type=float, default=10.0, help="controles per behandelde start")
        inst.add_argument("--seed", type=int, default=0)
        inst.add_argument("--no-progress", action="store_true", help="geen voortgangsbalk")
        inst.add_argument("--json", action="store_true", help="precies één JSON-object op standaarduitvoer")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "table":
            result = self._table(options)
            if options["json"]:
                self._json(result)
            else:
                sys.stdout.write(render_table(result))
        else:
            report = self._instruments(options)
            if options["json"]:
                self._json(report.to_dict(segments=not options["no_segments"]))
            else:
                sys.stdout.write(render_instruments(report))

    @staticmethod
    def _json(payload: dict) -> None:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, allow_nan=False) + "\n")

    # -- table -------------------------------------------------------------------------
    def _table(self, options: dict[str, Any]) -> dict[str, Any]:
        path = Path(options["csv"])
        if not path.is_file():
            raise _usage(f"{path}: bestand bestaat niet")
        try:
            table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise _usage(f"{path}: geen leesbare CSV ({exc})") from exc
        treatment, outcome = options["treatment"], options["outcome"]
        covariates = [c.strip() for c in options["covariates"].split(",") if c.strip()]
        named = [treatment, outcome, *covariates, options["weights"], options["cluster"]]
        missing = [c for c in named if c and c not in table.columns]
        if missing:
            raise _usage(
                f"kolom(men) {', '.join(repr(c) for c in missing)} niet gevonden in {path.name}; "
                f"aanwezig: {', '.join(table.columns)}"
            )
        t = _zero_one(table[treatment], treatment)
        y = _numbers(table[outcome], outcome, "uitkomstkolom")
        if t.sum() == 0 or t.sum() == len(t):
            raise _usage(f"behandelkolom '{treatment}' heeft geen rijen met 1 of geen rijen met 0")
        weights = (
            _numbers(table[options["weights"]], options["weights"], "gewichtenkolom")
            if options["weights"]
            else None
        )
        if weights is not None and not (weights > 0).all():
            raise _usage(f"gewichtenkolom '{options['weights']}' moet overal groter dan 0 zijn")
        method = options["method"]
        kwargs: dict[str, Any] = dict(estimand=options["estimand"], random_state=options["seed"])
        if method == "aipw":
            kwargs["learner"] = options["learner"]
        estimator = ESTIMATORS[method](**kwargs)
        try:
            estimator.fit(
                table[covariates],
                t,
                y,
                sample_weight=weights,
                cluster=table[options["cluster"]].to_numpy() if options["cluster"] else None,
            )
        except EffectsError as exc:
            raise _usage(dutch_effects_error(exc, cli=True)) from exc
        return estimator.result_.to_dict()

    # -- instruments ---------------------------------------------------------------------
    def _instruments(self, options: dict[str, Any]) -> InstrumentsReport:
        horizon = options["horizon"]
        if horizon < 1:
            raise _usage("--horizon moet minstens 1 maand zijn")
        until = _date(options["until"], "--until")
        start = _date(options["date_from"], "--from")
        regulations = [r.strip() for r in options["regulations"].split(",") if r.strip()]
        with stderr_progress(enabled=not options["no_progress"]) as progress:
            if options["data"]:
                folder = Path(options["data"])
                if not (folder / "clients.csv").is_file() or not (folder / "benefits.csv").is_file():
                    raise _usage(f"{folder}: geen map in het uitwisselformaat (clients.csv en benefits.csv)")
                frames = read_interchange_folder(folder)
            else:
                from trede.evaluations.data import load_frames_from_db

                frames = load_frames_from_db()
            try:
                return estimate_instruments(
                    frames,
                    horizon=horizon,
                    until=until,
                    start=start,
                    regulations=regulations,
                    outcome=options["outcome"],
                    instruments=options["instrument"],
                    progress=progress,
                    method=options["method"],
                    segments=() if options["no_segments"] else SEGMENT_DIMENSIONS,
                    control_ratio=options["control_ratio"],
                    seed=options["seed"],
                )
            except EffectsError as exc:
                raise _usage(dutch_effects_error(exc, cli=True)) from exc


def _zero_one(series: pd.Series, name: str) -> np.ndarray:
    text = series.astype(str).str.strip()
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() | ~values.isin([0, 1])
    if bad.any():
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 2  # header is line 1
        raise _usage(
            f"behandelkolom '{name}' mag alleen 0 en 1 bevatten; regel {line} heeft '{text.iloc[line - 2]}'"
        )
    return values.to_numpy(dtype=float)


def _numbers(series: pd.Series, name: str, what: str) -> np.ndarray:
    text = series.astype(str).str.strip()
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() | ~np.isfinite(values.to_numpy(dtype=float))
    if bad.any():
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise _usage(
            f"{what} '{name}' moet overal een getal zijn; regel {line} heeft '{text.iloc[line - 2]}'"
        )
    return values.to_numpy(dtype=float)


def _pct(value: float | None) -> str:
    return (
        "-"
        if value is None or not math.isfinite(value)
        else format_number(100 * value, 1, sign=True) + " %-punt"
    )


def render_table(result: dict[str, Any]) -> str:
    label = METHOD_LABELS.get(result["method"], result["method"])
    estimand = "effect op de behandelden (ATT)" if result["estimand"] == "att" else "gemiddeld effect (ATE)"
    lines = [
        f"{estimand}, {label}",
        f"  schatting   {format_number(result['estimate'], 4)}  (95 %-interval"
        f" {format_number(result['ci_low'], 4)} tot {format_number(result['ci_high'], 4)})",
        f"  behandeld   {result['n_treated']}",
        f"  controle    {result['n_control']}",
    ]
    diag = result.get("diagnostics")
    if diag:
        overlap, balance, sens = diag["overlap"], diag["balance"], diag["sensitivity"]
        lines += [
            f"  weggelaten behandelden (geen vergelijkbare controles): {overlap['n_trimmed_treated']}"
            f" ({format_number(100 * overlap['share_trimmed_treated'], 1)} %)",
            f"  grootste gestandaardiseerd verschil: {format_number(balance['max_abs_smd_before'], 2)} voor,"
            f" {format_number(balance['max_abs_smd_after'], 2)} na weging",
            f"  E-waarde {_fmt(sens['evalue_estimate'])} (interval: {_fmt(sens['evalue_ci'])})",
        ]
    return "\n".join(lines) + "\n"


def _fmt(value: float | None) -> str:
    return "-" if value is None else format_number(value, 2)


def render_instruments(report: InstrumentsReport) -> str:
    lines = [
        f"Effect van starten met een instrument op uitstroom naar werk binnen {report.horizon_months} maanden",
        f"startmaanden {report.start_months[0]} t/m {report.start_months[1]}",
        "",
        f"{'instrument':<24} {'effect':>15} {'95 %-interval':>30} {'starts':>7} {'controles':>10}",
    ]
    for code, eff in report.instruments.items():
        r = eff.result
        if r is None:
            lines.append(
                f"{code:<24} {'te weinig starts':>15} {'':>30} {eff.n_starts:>7} {eff.n_control:>10}"
            )
            continue
        interval = f"{_pct(r.ci_low)} tot {_pct(r.ci_high)}"
        lines.append(f"{code:<24} {_pct(r.estimate):>15} {interval:>30} {r.n_treated:>7} {eff.n_control:>10}")
        for dim, levels in eff.segments.items():
            lines.append(f"    {SEGMENT_LABELS.get(dim, dim)}")
            for level, seg in levels.items():
                flags = []
                if seg.small_n:
                    flags.append("weinig starts")
                if seg.poor_overlap:
                    flags.append("slecht vergelijkbaar")
                note = f"  ({', '.join(flags)})" if flags else ""
                lines.append(
                    f"      {level:<22} {_pct(seg.result.estimate):>13}  n={seg.result.n_treated}{note}"
                )
    return "\n".join(lines) + "\n"
