"""New persons entering the pw benefit: when, and with which recorded and hidden traits."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trede.synthetic import calendar as cal
from trede.synthetic import params as p


@dataclass
class Persons:
    """Column arrays, one row per person, sorted by entry month."""

    entry_m: np.ndarray
    birth_day: np.ndarray
    gender: np.ndarray  # index into params.GENDERS
    edu: np.ndarray
    lang: np.ndarray
    sh: np.ndarray
    dgr: np.ndarray
    hh: np.ndarray
    eta: np.ndarray
    e_static: np.ndarray

    def __len__(self) -> int:
        return len(self.entry_m)


def monthly_inflow(first_month: int, last_month: int, per_month: float) -> np.ndarray:
    """Expected new persons per month, with the business cycle of calibration.md."""
    months = np.arange(first_month, last_month + 1)
    years = cal.year_of_month(months)
    cycle = np.array([p.CYCLE_INFLOW.get(int(y), 1.0) for y in years])
    january = np.where(months % 12 == 0, 1.15, 1.0)  # contracts end at the turn of the year
    return per_month * cycle * january / 1.0125


def draw_entry_months(rng: np.random.Generator, first_month: int, expected: np.ndarray) -> np.ndarray:
    counts = rng.poisson(expected)
    return np.repeat(np.arange(first_month, first_month + len(expected)), counts)


def draw_persons(rng: np.random.Generator, entry_m: np.ndarray) -> Persons:
    n = len(entry_m)
    entry_years = cal.year_of_month(entry_m)
    sh = _statushouders(rng, entry_years)
    age = _entry_age(rng, n, sh)
    # Age on the first day of the entry month, so that nobody applies before turning 18.
    birth_day = cal.first_day(entry_m) - np.ceil(np.maximum(age, 18.01) * 365.2425).astype(np.int64)
    gender = _genders(rng, n)
    female = gender == 1
    edu = _education(rng, n, sh)
    lang = np.where(sh == 1, _pick(rng, p.STATUSHOUDER_LANGUAGE, n), _pick(rng, p.OTHER_LANGUAGE, n))
    hh = np.where(female, _pick(rng, p.HOUSEHOLD_SHARES_WOMEN, n), _pick(rng, p.HOUSEHOLD_SHARES_MEN, n))
    hh = np.where((age < 21) & (hh == 1), 0, hh)
    dgr = _doelgroepregister(rng, edu, age)
    eta = rng.standard_normal(n)
    e_static = (
        np.asarray(p.E_EDUCATION)[edu]
        + np.asarray(p.E_LANGUAGE)[lang]
        + np.asarray(p.E_HOUSEHOLD)[hh]
        + p.E_STATUSHOUDER * sh
        + p.E_DGR * dgr
        + p.E_FEMALE * female
        + p.ETA_SD * eta
    )
    return Persons(
        entry_m.astype(np.int64),
        birth_day,
        gender.astype(np.int8),
        edu.astype(np.int8),
        lang.astype(np.int8),
        sh.astype(np.int8),
        dgr.astype(np.int8),
        hh.astype(np.int8),
        eta,
        e_static,
    )


def _pick(rng: np.random.Generator, shares: tuple[float, ...], n: int) -> np.ndarray:
    probs = np.asarray(shares, dtype=np.float64)
    return rng.choice(len(probs), size=n, p=probs / probs.sum()).astype(np.int8)


def _statushouders(rng: np.random.Generator, years: np.ndarray) -> np.ndarray:
    # The 2015-2017 asylum peak (seed 004: statushouders drive the stock in 2015-2016).
    peak = np.select(
        [years <= 2013, years == 2014, (years >= 2015) & (years <= 2017), years == 2018],
        [0.8, 1.2, 1.7, 1.25],
        1.0,
    )
    return (rng.random(len(years)) < p.STATUSHOUDER_SHARE * peak).astype(np.int8)


def _entry_age(rng: np.random.Generator, n: int, sh: np.ndarray) -> np.ndarray:
    bands = np.asarray(p.ENTRY_AGE_BANDS)
    band = rng.choice(len(bands), size=n, p=bands[:, 2] / bands[:, 2].sum())
    age = bands[band, 0] + rng.random(n) * (bands[band, 1] - bands[band, 0])
    # Statushouders arrive as younger adults.
    sh_age = 19.0 + rng.gamma(3.0, 5.5, n)
    return np.where(sh == 1, np.minimum(sh_age, 64.0), age)


def _genders(rng: np.random.Generator, n: int) -> np.ndarray:
    u = rng.random(n)
    return np.where(u < p.X_GENDER_SHARE, 2, np.where(u < p.X_GENDER_SHARE + p.FEMALE_SHARE, 1, 0))


def _education(rng: np.random.Generator, n: int, sh: np.ndarray) -> np.ndarray:
    edu = _pick(rng, p.EDUCATION_SHARES, n)
    # Foreign diplomas are often not recognised: more 'geen'/'onbekend' among statushouders.
    foreign = (sh == 1) & (rng.random(n) < 0.45)
    return np.where(foreign, rng.choice([0, 0, 1, 6], size=n), edu)


def _doelgroepregister(rng: np.random.Generator, edu: np.ndarray, age: np.ndarray) -> np.ndarray:
    low = np.isin(edu, (0, 1))
    rate = p.DGR_SHARE * np.where(low, 1.8, 0.8) * np.where(age < 35, 1.35, 0.85)
    return (rng.random(len(edu)) < rate).astype(np.int8)
