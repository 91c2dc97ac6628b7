"""An independent reference for the version-2 reports, in plain Python over the CSV files.

No Django, no database, no code shared with `trede.instruments.reporting` or
`trede.finance.selectors`: it reads an interchange folder (assumed valid, as the importer
accepts it) with the csv module and computes `spent`, `budget` and the instrument report's
counts, rates and costs as docs/interchange.md defines them. Money in Decimal, rounded
half up to cents only at the end, as the contract prints it.
"""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ENDED = {"geslaagd", "niet_geslaagd", "voortijdig_gestopt"}


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    path = Path(folder) / name
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [h.strip().lower() for h in next(reader, [])]
        out = []
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            out.append({h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)})
        return out


def _money(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def instrument_report(folder: Path, date_from: str, date_to: str, by: str = "instrument") -> dict:
    """ISO date strings compare like dates, so the range tests are plain text comparisons."""
    paid: dict[str, Decimal] = {}
    for p in _rows(folder, "payments.csv"):
        if p.get("trajectory_id"):
            paid[p["trajectory_id"]] = paid.get(p["trajectory_id"], Decimal(0)) + Decimal(p["amount_eur"])

    def inside(day: str) -> bool:
        return bool(day) and date_from <= day < date_to

    groups: dict[tuple, dict] = {}
    for t in _rows(folder, "trajectories.csv"):
        ref, start, end = t.get("referral_date", ""), t.get("start_date", ""), t.get("end_date", "")
        if not (inside(ref) or inside(start) or inside(end)):
            continue
        key = (
            None if by == "provider" else (t.get("instrument_code") or None),
            None if by == "instrument" else (t.get("provider_id") or None),
        )
        g = groups.setdefault(key, {"r": 0, "n": 0, "s": 0, "e": 0, "ok": 0, "cost": Decimal(0)})
        g["r"] += inside(ref)
        g["n"] += inside(ref) and not start
        g["s"] += inside(start)
        if inside(end) and t.get("result") in ENDED:
            g["e"] += 1
            g["ok"] += t["result"] == "geslaagd"
            tid = t["trajectory_id"]
            g["cost"] += paid[tid] if tid in paid else Decimal(t.get("cost_eur") or 0)
    rows = []
    for key in sorted(groups, key=lambda k: (k[0] or "", k[1] or "")):
        g = groups[key]
        rows.append(
            {
                "instrument_code": key[0],
                "provider_id": key[1],
                "referrals": g["r"],
                "no_shows": g["n"],
                "no_show_rate": g["n"] / g["r"] if g["r"] else None,
                "starts": g["s"],
                "ended": g["e"],
                "successes": g["ok"],
                "success_rate": g["ok"] / g["e"] if g["e"] else None,
                "cost_eur": _money(g["cost"]),
                "cost_per_success_eur": _money(g["cost"] / g["ok"]) if g["ok"] else None,
            }
        )
    return {"from": date_from, "to": date_to, "by": by, "rows": rows}


def budget_spent(folder: Path, year: int, as_of: str) -> dict:
    """The defined part of `trede budget report`: lines with budget and spent, by_funding."""
    first, cutoff = f"{year:04d}-01-01", min(as_of, f"{year + 1:04d}-01-01")
    lines: dict[tuple, dict] = {}
    funding: dict[str, dict] = {}
    for b in _rows(folder, "budgets.csv"):
        if int(Decimal(b["year"])) != year:
            continue
        slot = lines.setdefault(
            (b["line"], b.get("funding", "")), {"budget": Decimal(0), "spent": Decimal(0)}
        )
        slot["budget"] += Decimal(b["amount_eur"])
        f = funding.setdefault(b.get("funding", ""), {"budget": Decimal(0), "spent": Decimal(0)})
        f["budget"] += Decimal(b["amount_eur"])
    for p in _rows(folder, "payments.csv"):
        if not (first <= p["date"] < cutoff):
            continue
        amount = Decimal(p["amount_eur"])
        f = funding.setdefault(p.get("funding", ""), {"budget": Decimal(0), "spent": Decimal(0)})
        f["spent"] += amount
        if p.get("line"):
            slot = lines.setdefault(
                (p["line"], p.get("funding", "")), {"budget": Decimal(0), "spent": Decimal(0)}
            )
            slot["spent"] += amount
    return {
        "lines": [
            {
                "line": k[0],
                "funding": k[1] or None,
                "budget_eur": _money(v["budget"]),
                "spent_eur": _money(v["spent"]),
            }
            for k, v in sorted(lines.items())
        ],
        "by_funding": {
            k: {"budget_eur": _money(v["budget"]), "spent_eur": _money(v["spent"])}
            for k, v in sorted(funding.items())
        },
    }
