"""`generate()`: a synthetic municipality as an interchange folder plus ground_truth.json.

Pure python and numpy (no Django), deterministic per (clients, years, seed, end_date):
the same arguments give byte-identical files, whatever the date or machine.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

from trede.synthetic import groundtruth, simulate
from trede.synthetic import params as p
from trede.synthetic.engine import MISSING
from trede.synthetic.labour import Labour
from trede.synthetic.money import payments_and_budgets
from trede.synthetic.tables import EXTRA_SHARES, Builder, Columns, instruments, providers

CORE_FILES = ("clients.csv", "benefits.csv", "diagnoses.csv", "trajectories.csv")
# Written also with core_only: the core files refer to them.
REFERENCE_FILES = ("consultants.csv", "providers.csv", "instruments.csv")
ALL_FILES = (
    "clients.csv",
    "benefits.csv",
    "diagnoses.csv",
    "consultants.csv",
    "contacts.csv",
    "providers.csv",
    "instruments.csv",
    "trajectories.csv",
    "employers.csv",
    "vacancies.csv",
    "client_profiles.csv",
    "placements.csv",
    "measures.csv",
    "payments.csv",
    "budgets.csv",
)

Progress = Callable[[str, float, float], None]


def generate(
    out_dir: Path,
    *,
    clients: int,
    years: int,
    seed: int,
    end_date: date = date(2026, 1, 1),
    progress: Progress | None = None,
    core_only: bool = False,
) -> dict:
    """Write the folder and return a summary (file row counts, window, stock)."""
    if clients < 50:
        raise ValueError("clients must be at least 50")
    if years < 1:
        raise ValueError("years must be at least 1")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sim = simulate_municipality(clients=clients, years=years, seed=seed, end_date=end_date, progress=progress)
    window = sim.window
    counts = _write_files(out_dir, Builder(sim, clients, seed), core_only, progress)
    truth = _ground_truth(sim, seed, clients, years)
    (out_dir / "ground_truth.json").write_text(
        json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return {
        "out_dir": str(out_dir),
        "clients": clients,
        "years": years,
        "seed": seed,
        "data_start": window.data_start.isoformat(),
        "data_end": window.data_end.isoformat(),
        "files": counts,
        "simulated_persons": len(sim.persons),
        "counterfactual_clones": sim.engine.n_clones,
    }


def simulate_municipality(
    *,
    clients: int,
    years: int,
    seed: int,
    end_date: date = date(2026, 1, 1),
    progress: Progress | None = None,
    clone_months: frozenset[int] | None = None,
) -> simulate.Simulation:
    """The simulation behind `generate()` (the pw persons; IOAW/IOAZ/Bbz clients are added
    when the files are built). Deterministic, so tests can look behind the files."""
    window = simulate.make_window(end_date, years)
    n_extra = int(round(clients * sum(EXTRA_SHARES.values())))
    return simulate.run(
        window, persons_wanted=clients - n_extra, seed=seed, progress=progress, clone_months=clone_months
    )


def _write_files(out_dir: Path, b: Builder, core_only: bool, progress: Progress | None) -> dict[str, int]:
    steps = CORE_FILES + REFERENCE_FILES if core_only else ALL_FILES
    done: dict[str, int] = {}

    def write(name: str, table: Columns) -> None:
        done[name] = write_csv(out_dir / name, table)
        if progress is not None:
            progress("bestanden schrijven", 1, len(steps))  # an advance of one file, not the count so far

    prov = providers()
    b_benefits = b.benefits()
    write("benefits.csv", b_benefits)
    write("diagnoses.csv", b.diagnoses())
    latest = b.latest_group()
    staff, consultant_of = b.consultants(latest)
    write("consultants.csv", staff)
    write("clients.csv", b.clients(consultant_of, staff["consultant_id"]))
    write("providers.csv", prov)
    instrument_table = instruments()
    write("instruments.csv", instrument_table)
    trajectories, _ = b.trajectories(prov)
    write("trajectories.csv", trajectories)
    if not core_only:
        write("contacts.csv", b.contacts(consultant_of, staff["consultant_id"]))
        write("measures.csv", b.measures())
        labour = Labour(b)
        write("employers.csv", labour.employers())
        placements, vacancies = labour.placements_and_vacancies()
        write("vacancies.csv", vacancies)
        write("placements.csv", placements)
        write("client_profiles.csv", labour.client_profiles(latest))
        payments, budgets = payments_and_budgets(
            b_benefits, trajectories, placements, instrument_table, b.w.data_end, b.n_clients, b.seed
        )
        write("payments.csv", payments)
        write("budgets.csv", budgets)
    return {name: done[name] for name in ALL_FILES if name in done}


def write_csv(path: Path, table: Columns) -> int:
    """Write columns as CSV (UTF-8, LF, minimal quoting); returns the number of rows."""
    names = list(table)
    cols = [np.asarray(table[c], dtype=object) for c in names]
    n = len(cols[0]) if cols else 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(names)
        chunk = 200_000
        for lo in range(0, n, chunk):
            writer.writerows(zip(*(c[lo : lo + chunk] for c in cols), strict=True))
    return n


def _ground_truth(sim: simulate.Simulation, seed: int, clients: int, years: int) -> dict:
    e, w = sim.engine, sim.window
    keep = np.zeros(len(sim.persons), dtype=bool)
    keep[sim.retained] = True
    tr = e.traj.table()
    sel = (tr["start_day"] != MISSING) & keep[tr["person"]] & (tr["month"] >= w.window_month)
    starts = {k: v[sel] for k, v in tr.items()}
    effects = groundtruth.unit_effects(starts, e.rec.table("exits"), e.clone_outcomes())
    return {
        "seed": seed,
        "clients": clients,
        "years": years,
        "data_start": w.data_start.isoformat(),
        "data_end": w.data_end.isoformat(),
        "estimand": groundtruth.ESTIMAND,
        "horizons": list(p.HORIZONS),
        "instruments": groundtruth.summarise(starts, effects, w.end_day),
    }
