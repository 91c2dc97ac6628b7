"""Synthetic payments.csv and budgets.csv (interchange version 2), pure Python.

Granularity (chosen so that generation stays fast at 120,000 clients):
- uitkering: one payment per benefit per month (on the 1st, when the benefit is active
  that day), only for the last two calendar years of the data (BUIG, line `uitkeringen`);
  at 120,000 clients that is about 1.5 million rows, per client per month for all years
  would be ten times more;
- traject: 60 % of a started trajectory's `cost_eur` at its start, the rest at its end
  when it ended; a trajectory stopped early is paid only the first part and 20 % of its
  cost is recovered a month after the end (line `trajecten`, or `jobcoaching` for that
  type; the instrument's funding);
- loonkostensubsidie: per running lks placement a monthly payment on the 1st for the last
  two calendar years (BUIG, line `loonkostensubsidie`), hours × (100 − wage value) % of a
  minimum wage of about €13.68 an hour × 4.33 weeks.
budgets.csv: per year of the data the lines of Hof van Twente's table (seed 004 §6:
trajecten 220,000, werkpremies 110,000, uitstroompremie 30,000, plaatsingssubsidie 15,000,
jobcoaching 75,000, for its size), scaled by clients / 3,000, except the lines trajectories
are paid from (trajecten, jobcoaching): those are 160 % of what the year's trajectory starts
cost (the last year extrapolated), and uitstroompremie is 160 % of €750 per benefit that
ended in work after more than a year, so these lines run at about 80 % of their budget;
for the last two years also
the BUIG lines loonkostensubsidie and uitkeringen at 102 % of what the year's generated
payments come to (the rest of the last year extrapolated from the months generated).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

HVT_LINES = (
    ("trajecten", 220_000),
    ("werkpremies", 110_000),
    ("uitstroompremie", 30_000),
    ("plaatsingssubsidie", 15_000),
    ("jobcoaching", 75_000),
)
HOURLY_MINIMUM_WAGE = 13.68
BENEFIT_MONTHLY = {"pw": 1_250.0, "ioaw": 1_300.0, "ioaz": 1_350.0, "bbz": 1_100.0}


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _months(first: date, end: date) -> list[date]:
    out, d = [], date(first.year, first.month, 1)
    while d < end:
        out.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def payments_and_budgets(
    benefits: dict,
    trajectories: dict,
    placements: dict,
    instruments: dict,
    data_end: date,
    clients: int,
    seed: int,
) -> tuple[dict, dict]:
    rng = np.random.default_rng([seed, 9_002])
    first_recent = date(data_end.year - 1 if data_end.month > 1 else data_end.year - 2, 1, 1)
    months = _months(first_recent, data_end)
    rows: list[tuple] = []  # (date, client, amount, kind, funding, line, benefit, trajectory, placement)
    for bid, cid, reg, start, end in zip(
        benefits["benefit_id"],
        benefits["client_id"],
        benefits["regulation"],
        benefits["start_date"],
        benefits["end_date"],
        strict=True,
    ):
        s, e = _day(start), _day(end) or data_end
        if e <= first_recent:
            continue
        base = BENEFIT_MONTHLY.get(reg, 1_250.0) * float(rng.uniform(0.7, 1.15))
        for m in months:
            if s <= m < e:
                rows.append((m, cid, round(base, 2), "uitkering", "buig", "uitkeringen", bid, "", ""))
    kinds = dict(zip(instruments["instrument_code"], instruments["type"], strict=True))
    funds = dict(zip(instruments["instrument_code"], instruments["funding"], strict=True))
    for tid, cid, code, start, end, result, cost in zip(
        trajectories["trajectory_id"],
        trajectories["client_id"],
        trajectories["instrument_code"],
        trajectories["start_date"],
        trajectories["end_date"],
        trajectories["result"],
        trajectories["cost_eur"],
        strict=True,
    ):
        s, e = _day(start), _day(end)
        amount = float(cost) if cost else 0.0
        if s is None or amount <= 0 or s >= data_end or kinds.get(code) == "loonkostensubsidie":
            continue
        line = _line_of(kinds.get(code))
        funding = funds.get(code) or "reintegratiebudget"
        rows.append((s, cid, round(amount * 0.6, 2), "traject", funding, line, "", tid, ""))
        if e is not None and e < data_end:
            if result == "voortijdig_gestopt":
                back = e + timedelta(days=30)
                if back < data_end:
                    rows.append((back, cid, -round(amount * 0.2, 2), "traject", funding, line, "", tid, ""))
            else:
                rows.append(
                    (e, cid, round(amount - round(amount * 0.6, 2), 2), "traject", funding, line, "", tid, "")
                )
    for pid, cid, start, end, hours, subsidy, wage in zip(
        placements["placement_id"],
        placements["client_id"],
        placements["start_date"],
        placements["end_date"],
        placements["hours_per_week"],
        placements["subsidy"],
        placements["wage_value_pct"],
        strict=True,
    ):
        if subsidy != "lks":
            continue
        s, e = _day(start), _day(end) or data_end
        gap = (100.0 - float(wage or 70)) / 100.0
        monthly = round(float(hours or 24) * 4.33 * HOURLY_MINIMUM_WAGE * gap, 2)
        for m in months:
            if s <= m < e and monthly > 0:
                rows.append(
                    (m, cid, monthly, "loonkostensubsidie", "buig", "loonkostensubsidie", "", "", pid)
                )
    rows.sort(key=lambda r: (r[0], r[1], r[3]))
    payments = {
        "payment_id": np.asarray([f"BET{i + 1:08d}" for i in range(len(rows))], dtype=object),
        "client_id": np.asarray([r[1] for r in rows], dtype=object),
        "date": np.asarray([r[0].isoformat() for r in rows], dtype=object),
        "amount_eur": np.asarray([f"{r[2]:.2f}" for r in rows], dtype=object),
        "kind": np.asarray([r[3] for r in rows], dtype=object),
        "funding": np.asarray([r[4] for r in rows], dtype=object),
        "line": np.asarray([r[5] for r in rows], dtype=object),
        "benefit_id": np.asarray([r[6] for r in rows], dtype=object),
        "trajectory_id": np.asarray([r[7] for r in rows], dtype=object),
        "placement_id": np.asarray([r[8] for r in rows], dtype=object),
    }
    budgets = _budgets(rows, trajectories, benefits, kinds, data_end, clients, first_recent)
    return payments, budgets


TRAJECTORY_LINES = ("trajecten", "jobcoaching")
TRAJECTORY_BUDGET_HEADROOM = 1.6


def _line_of(kind: str | None) -> str:
    return "jobcoaching" if kind == "jobcoaching" else "trajecten"


def _trajectory_cost_started(trajectories, kinds: dict, data_end: date) -> dict[tuple[int, str], float]:
    """Per year and line the cost of the trajectories started in it (the last, partial
    year extrapolated to twelve months)."""
    out: dict[tuple[int, str], float] = {}
    for code, start, cost in zip(
        trajectories["instrument_code"], trajectories["start_date"], trajectories["cost_eur"], strict=True
    ):
        s = _day(start)
        if s is None or not cost or s >= data_end or kinds.get(code) == "loonkostensubsidie":
            continue
        key = (s.year, _line_of(kinds.get(code)))
        out[key] = out.get(key, 0.0) + float(cost)
    months = max((data_end - date(data_end.year, 1, 1)).days / 30.44, 1.0)
    for (year, line), total in list(out.items()):
        if year == data_end.year and months < 12:
            out[(year, line)] = total * 12 / months
    return out


UITSTROOMPREMIE_EUR = 750.0


def _long_outflows_to_work(benefits, data_end: date) -> dict[int, float]:
    """Per year the benefits (PW, IOAW, IOAZ) that ended with reason `werk` after more than
    a year: about who earns an uitstroompremie (the last, partial year extrapolated)."""
    out: dict[int, float] = {}
    for reg, start, end, reason in zip(
        benefits["regulation"],
        benefits["start_date"],
        benefits["end_date"],
        benefits["end_reason"],
        strict=True,
    ):
        s, e = _day(start), _day(end)
        if e is None or e >= data_end or reason != "werk" or reg not in ("pw", "ioaw", "ioaz"):
            continue
        if (e - s).days > 365:
            out[e.year] = out.get(e.year, 0.0) + 1
    months = max((data_end - date(data_end.year, 1, 1)).days / 30.44, 1.0)
    if data_end.year in out and months < 12:
        out[data_end.year] *= 12 / months
    return out


def _budgets(
    rows, trajectories, benefits, kinds: dict, data_end: date, clients: int, first_recent: date
) -> dict:
    years = sorted(
        {int(d[:4]) for d in trajectories["referral_date"] if d} | {first_recent.year, data_end.year}
    )
    scale = clients / 3_000
    out: list[tuple] = []
    started = _trajectory_cost_started(trajectories, kinds, data_end)
    outflows = _long_outflows_to_work(benefits, data_end)
    for year in years:
        for line, amount in HVT_LINES:
            if line == "uitstroompremie":
                # The premium a year's long-term outflows to work earn (Hof van Twente's
                # €750, seed 004 §4.8), with the same headroom as the trajectory lines.
                earned = outflows.get(year, 0.0) * UITSTROOMPREMIE_EUR * TRAJECTORY_BUDGET_HEADROOM
                out.append((year, line, "reintegratiebudget", round(max(earned, 1_000.0), -3)))
                continue
            if line in TRAJECTORY_LINES:
                # What the year's starts are expected to cost, with headroom: a budget
                # scaled from another municipality would leave these lines far over or
                # under their budget, and every approval on them refused (decision 55).
                amount_year = started.get((year, line), 0.0) * TRAJECTORY_BUDGET_HEADROOM
                out.append((year, line, "reintegratiebudget", round(max(amount_year, 1_000.0), -3)))
                continue
            out.append((year, line, "reintegratiebudget", round(amount * scale, -3)))
        if year >= first_recent.year:
            for line, kind in (("loonkostensubsidie", "loonkostensubsidie"), ("uitkeringen", "uitkering")):
                paid = [r for r in rows if r[0].year == year and r[3] == kind]
                total = sum(r[2] for r in paid)
                months = len({r[0].month for r in paid}) or 12
                out.append((year, line, "buig", round(total * 12 / months * 1.02, -3)))
    return {
        "budget_id": np.asarray([f"BUD{year}-{line}" for year, line, _, _ in out], dtype=object),
        "year": np.asarray([str(r[0]) for r in out], dtype=object),
        "line": np.asarray([r[1] for r in out], dtype=object),
        "funding": np.asarray([r[2] for r in out], dtype=object),
        "amount_eur": np.asarray([f"{max(r[3], 0):.2f}" for r in out], dtype=object),
    }
