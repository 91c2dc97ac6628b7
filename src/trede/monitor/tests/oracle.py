"""A deliberately naive, row-by-row reading of the definitions in interchange.md.

The database queries must agree with it; it loops over days and benefits the slow and
obvious way, so that a mistake in the SQL cannot hide behind the same mistake here.
"""

from __future__ import annotations

from datetime import date, timedelta

FAR = date(9999, 12, 31)


def spells(benefits: list[dict], regulations: set[str]) -> list[dict]:
    """Per client, merge benefits whose ranges overlap or touch."""
    by_client: dict[str, list[dict]] = {}
    for b in benefits:
        if b["regulation"] in regulations:
            by_client.setdefault(b["client_id"], []).append(b)
    result = []
    for client, items in by_client.items():
        items.sort(key=lambda b: (b["start_date"], b["end_date"] or FAR, b["benefit_id"]))
        current = None
        for b in items:
            end = b["end_date"] or FAR
            if current is not None and b["start_date"] <= current["end"]:
                current["members"].append(b)
                current["end"] = max(current["end"], end)
            else:
                current = {"client_id": client, "start": b["start_date"], "end": end, "members": [b]}
                result.append(current)
    for spell in result:
        last = max(
            spell["members"],
            key=lambda b: (b["end_date"] or FAR, b["start_date"], len(b["benefit_id"]), b["benefit_id"]),
        )
        spell["end_reason"] = last["end_reason"] if spell["end"] != FAR else None
    return result


def completed_years(start: date, on: date) -> int:
    years = on.year - start.year
    anniversary_month_day = (start.month, start.day)
    if (on.month, on.day) < anniversary_month_day:
        years -= 1
    return years


def age_band(age: int) -> str:
    for limit, band in ((20, "<=20"), (30, "21-30"), (40, "31-40"), (50, "41-50"), (60, "51-60")):
        if age <= limit:
            return band
    return ">=61"


def duration_band(years: int) -> str:
    return "<1" if years < 1 else "1-3" if years < 3 else "3-5" if years < 5 else ">=5"


def stock(clients: dict[str, dict], benefits, diagnoses, day: date, regulations=("pw",)) -> dict:
    active = [s for s in spells(benefits, set(regulations)) if s["start"] <= day < s["end"]]
    out = {
        "total": len(active),
        "by_age_band": {},
        "by_duration_band": {},
        "by_household": {},
        "by_ladder_step": {},
    }
    for s in active:
        c = clients[s["client_id"]]
        keys = {
            "by_age_band": age_band(completed_years(c["birth_date"], day)),
            "by_duration_band": duration_band(completed_years(s["start"], day)),
            "by_household": c.get("household") or "onbekend",
            "by_ladder_step": ladder_step(diagnoses, s["client_id"], day),
        }
        for dim, key in keys.items():
            out[dim][key] = out[dim].get(key, 0) + 1
    return out


def ladder_step(diagnoses, client_id: str, day: date) -> str:
    candidates = [
        d for d in diagnoses if d["client_id"] == client_id and d.get("ladder_step") and d["date"] <= day
    ]
    if not candidates:
        return "onbekend"
    latest = max(candidates, key=lambda d: (d["date"], len(d["diagnosis_id"]), d["diagnosis_id"]))
    return str(latest["ladder_step"])


def flows(benefits, date_from: date, date_to: date, regulations=("pw",)) -> dict:
    """Inflow, outflow by reason, over [date_from, date_to) as totals."""
    inflow, outflow = 0, {}
    for s in spells(benefits, set(regulations)):
        if date_from <= s["start"] < date_to:
            inflow += 1
        if s["end"] != FAR and date_from <= s["end"] < date_to:
            outflow[s["end_reason"]] = outflow.get(s["end_reason"], 0) + 1
    return {"inflow": inflow, "outflow": outflow}


def days(start: date, end: date):
    d = start
    while d < end:
        yield d
        d += timedelta(days=1)
