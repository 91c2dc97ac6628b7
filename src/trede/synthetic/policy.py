"""Who gets referred to which instrument: a function of RECORDED traits only.

This is the assignment mechanism of the simulated experiment. It sees what a consultant
sees on the first day of the month (client group, age, language, education, household,
doelgroepregister, ladder step, months to work, wage value, duration, earlier
instruments) and never the unrecorded part of employability, so adjusting for the
recorded traits removes the confounding. Selection is nevertheless strong: the
instruments that work best are given to the clients closest to work, so a naive
comparison of treated and untreated is clearly biased.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trede.casework.classification import CLIENT_GROUPS, client_group
from trede.synthetic import params as p

GROUP_CODES = CLIENT_GROUPS
ONBEKEND = CLIENT_GROUPS.index("onbekend")
N_INSTRUMENTS = len(p.INSTRUMENTS)


def _group_table() -> np.ndarray:
    """client_group() for every possible input, so that the month loop can look it up.

    Index: [months_to_work + 1 (0 = none), ladder step (0 = none), dgr, placed].
    """
    table = np.zeros((122, 7, 2, 2), dtype=np.int8)
    for mtw in range(-1, 121):
        for ladder in range(7):
            for dgr in (0, 1):
                for placed in (0, 1):
                    group = client_group(
                        months_to_work=None if mtw < 0 else mtw,
                        ladder_step=ladder or None,
                        dgr=bool(dgr),
                        placed=bool(placed),
                    )
                    table[mtw + 1, ladder, dgr, placed] = CLIENT_GROUPS.index(group)
    return table


GROUP_TABLE = _group_table()


def groups(mtw: np.ndarray, ladder: np.ndarray, dgr: np.ndarray, placed: np.ndarray) -> np.ndarray:
    return GROUP_TABLE[mtw.astype(np.int64) + 1, ladder, dgr, placed.astype(np.int8)]


@dataclass
class Context:
    """Recorded traits of the clients on benefit on the first day of a month."""

    group: np.ndarray
    age: np.ndarray
    months_on: np.ndarray  # completed months since the start of the spell
    dgr: np.ndarray
    sh: np.ndarray
    lang: np.ndarray
    edu: np.ndarray
    hh: np.ndarray
    ladder: np.ndarray
    wv: np.ndarray
    started: np.ndarray  # bit k: instrument k started before
    eligible: np.ndarray

    def subset(self, rows: np.ndarray) -> Context:
        return Context(**{k: v[rows] for k, v in vars(self).items()})


_BY_GROUP = np.asarray(
    [
        [p.REFERRAL_BASE[ins.code] * p.REFERRAL_GROUP[ins.code][g] for ins in p.INSTRUMENTS]
        for g in range(len(CLIENT_GROUPS))
    ]
)


def propensities(c: Context) -> np.ndarray:
    """Monthly referral probability per client (rows) and instrument (columns)."""
    out = _BY_GROUP[c.group]  # (clients, instruments), a fresh array
    for k, ins in enumerate(p.INSTRUMENTS):
        out[:, k] *= _trait_factor(ins.code, c)
    out *= (_common_factor(c) * c.eligible)[:, None]
    if c.started.any():
        out *= ((c.started[:, None] >> np.arange(N_INSTRUMENTS)[None, :]) & 1) == 0
    total = out.sum(axis=1)
    scale = np.where(total > p.MAX_REFERRAL, p.MAX_REFERRAL / np.maximum(total, 1e-12), 1.0)
    return out * scale[:, None]


def _common_factor(c: Context) -> np.ndarray:
    # Long-term clients get less attention; nobody is sent anywhere just before AOW.
    duration = np.select([c.months_on > 120, c.months_on > 60], [0.35, 0.55], 1.0)
    return duration * np.where(c.age >= 64, 0.15, 1.0)


def _trait_factor(code: str, c: Context) -> np.ndarray:
    age, lang, ladder, wv = c.age, c.lang, c.ladder, c.wv
    low_lang = lang <= 2  # a0-a2
    if code == "LKS":
        return c.dgr * np.where((wv >= 30) & (wv <= 80), 1.5, 0.7) * np.where(age > 55, 0.5, 1.0)
    if code == "LKS-RIB":
        return (1 - c.dgr) * np.where(wv >= 55, 1.0, 0.3) * np.where(age > 55, 0.4, 1.0)
    if code == "JOBCOACH":
        return np.where(c.dgr == 1, 2.0, 0.6)
    if code == "WEP":
        return np.where((ladder >= 3) & (ladder <= 4), 1.5, 0.7) * np.where(age > 58, 0.3, 1.0)
    if code == "WERKSTAGE":
        return np.select([age < 30, age > 50], [2.5, 0.3], 1.0)
    if code == "TAALSTAGE":
        return np.where(
            c.sh == 1, np.where(low_lang, 1.0, np.where(lang == 3, 0.4, 0.0)), np.where(low_lang, 0.15, 0.0)
        )
    if code == "VRIJWILLIG":
        return np.where(age > 45, 1.5, 1.0) * np.where(ladder <= 3, 1.0, 0.3)
    if code == "AMA":
        return np.where(age > 40, 1.5, 1.0)
    if code == "SCHOLING":
        by_age = np.select([age < 27, age < 40, age < 50], [2.2, 1.2, 0.6], 0.15)
        return by_age * np.where(c.edu <= 2, 1.3, 1.0) * np.where(low_lang, 0.3, 1.0)
    if code == "PROEFPL":
        return np.where(age > 55, 0.4, 1.0) * np.where(lang <= 1, 0.5, 1.0)
    if code == "SOLL":
        return np.where(age > 55, 0.4, 1.0) * np.where(lang <= 1, 0.3, 1.0)
    if code == "SOCACT":
        return np.where(ladder <= 2, 1.8, 1.0)
    return np.ones(len(age))


def noshow_probability(k: np.ndarray, c: Context) -> np.ndarray:
    """Referred but never started (seeds: up to 40 %), from recorded traits only."""
    base = np.asarray([ins.noshow for ins in p.INSTRUMENTS])[k]
    factor = np.where(c.lang <= 2, 1.4, 1.0) * np.where(c.hh == 1, 1.3, 1.0) * np.where(c.age < 27, 1.5, 1.0)
    return np.minimum(base * factor, 0.6)


def choose(prop: np.ndarray, u_refer: np.ndarray, u_pick: np.ndarray) -> np.ndarray:
    """Instrument index referred to this month, or -1."""
    total = prop.sum(axis=1)
    refer = np.flatnonzero(u_refer < total)
    out = np.full(len(total), -1)
    cum = np.cumsum(prop[refer], axis=1)
    target = (u_pick[refer] * total[refer])[:, None]
    out[refer] = np.minimum((cum <= target).sum(axis=1), N_INSTRUMENTS - 1)
    return out
