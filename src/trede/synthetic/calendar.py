"""Dates as integers: a day is days since 1970-01-01, a month is months since 1970-01.

The simulation runs on calendar months; every recorded date is a day inside its month.
Integers keep the month loop vectorised and the output independent of the wall clock.
"""

from __future__ import annotations

from datetime import date

import numpy as np

_EPOCH = date(1970, 1, 1)


def day_of(d: date) -> int:
    return (d - _EPOCH).days


def date_of(day: int) -> date:
    return date.fromordinal(_EPOCH.toordinal() + int(day))


def month_of_date(d: date) -> int:
    return (d.year - 1970) * 12 + d.month - 1


def first_day(months: np.ndarray | int) -> np.ndarray:
    """Day number of the first day of each month."""
    m = np.asarray(months, dtype=np.int64)
    return m.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def month_length(months: np.ndarray | int) -> np.ndarray:
    m = np.asarray(months, dtype=np.int64)
    return first_day(m + 1) - first_day(m)


def month_of_day(days: np.ndarray | int) -> np.ndarray:
    d = np.asarray(days, dtype=np.int64)
    return d.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def year_of_month(months: np.ndarray | int) -> np.ndarray:
    return np.asarray(months, dtype=np.int64) // 12 + 1970


def effective_month(days: np.ndarray) -> np.ndarray:
    """First month whose first day is on or after the day: from then on a record dated
    that day is 'on or before the first day of the month'."""
    m = month_of_day(days)
    return np.where(first_day(m) == days, m, m + 1)


def to_iso(days: np.ndarray) -> np.ndarray:
    """'YYYY-MM-DD' strings; negative sentinel (-10**9) or NaN-free ints < -10**8 become ''."""
    d = np.asarray(days, dtype=np.int64)
    missing = d < -(10**8)
    out = np.where(missing, 0, d).astype("datetime64[D]").astype(str).astype(object)
    out[missing] = ""
    return out


def shift_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February in a year without it
        return d.replace(year=d.year + years, day=28)


# AOW age in months by the calendar year in which a person turns 65 (SVB; the increase
# started in 2013 and reached 67 in 2024).
_AOW_MONTHS_BY_YEAR_65 = {
    2013: 781,
    2014: 782,
    2015: 783,
    2016: 786,
    2017: 789,
    2018: 792,
    2019: 796,
    2020: 796,
    2021: 796,
    2022: 799,
    2023: 802,
}


def aow_age_months(birth_years: np.ndarray) -> np.ndarray:
    y65 = np.asarray(birth_years, dtype=np.int64) + 65
    out = np.where(y65 <= 2012, 780, 804).astype(np.int64)
    for year, months in _AOW_MONTHS_BY_YEAR_65.items():
        out[y65 == year] = months
    return out


def birth_parts(birth_days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(month index, day of month 1..31) of each birth day."""
    m = month_of_day(birth_days)
    return m, np.asarray(birth_days, dtype=np.int64) - first_day(m) + 1


def aow_day(birth_days: np.ndarray) -> np.ndarray:
    """Day a person reaches AOW age (a birthday on the 31st falls on the month's last day)."""
    m, dom = birth_parts(birth_days)
    aow_m = m + aow_age_months(year_of_month(m))
    return first_day(aow_m) + np.minimum(dom, month_length(aow_m)) - 1


def age_years(birth_days: np.ndarray, on_days: np.ndarray | int) -> np.ndarray:
    """Completed years on a day (29 February birthdays complete on 1 March)."""
    b = np.asarray(birth_days, dtype=np.int64).astype("datetime64[D]")
    o = np.broadcast_to(np.asarray(on_days, dtype=np.int64), b.shape).astype("datetime64[D]")
    by, bm, bd = _ymd(b)
    oy, om, od = _ymd(o)
    before = (om < bm) | ((om == bm) & (od < bd))
    return oy - by - before.astype(np.int64)


def _ymd(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    m = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dd = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    return y, m, dd
