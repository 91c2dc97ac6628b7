"""Counter-based random numbers and the integer calendar."""

from __future__ import annotations

from datetime import date

import numpy as np

from trede.synthetic import calendar as cal
from trede.synthetic import rng


def test_uniform_depends_only_on_seed_key_month_stream():
    keys = np.arange(1000)
    u = rng.uniform(7, keys, 600, 3)
    # The draw of key 500 does not depend on which other keys are drawn with it.
    assert rng.uniform(7, np.asarray([500]), 600, 3)[0] == u[500]
    assert not np.allclose(u, rng.uniform(8, keys, 600, 3))
    assert not np.allclose(u, rng.uniform(7, keys, 601, 3))
    assert not np.allclose(u, rng.uniform(7, keys, 600, 4))


def test_uniforms_are_uniform_and_pairs_independent():
    a, b = rng.uniform_pair(1, np.arange(200_000), 10, 0)
    for u in (a, b):
        assert u.min() >= 0.0 and u.max() < 1.0
        counts = np.histogram(u, bins=20, range=(0, 1))[0]
        assert np.all(np.abs(counts - 10_000) < 500)
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.01
    z = rng.normal(1, np.arange(200_000), 10, 1)
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01


def test_age_counts_29_february_birthdays_on_1_march():
    birth = np.asarray([cal.day_of(date(2004, 2, 29))])
    assert cal.age_years(birth, cal.day_of(date(2022, 2, 28)))[0] == 17
    assert cal.age_years(birth, cal.day_of(date(2022, 3, 1)))[0] == 18
    assert cal.age_years(birth, cal.day_of(date(2024, 2, 29)))[0] == 20


def test_aow_day_follows_the_rising_aow_age():
    births = np.asarray([cal.day_of(d) for d in (date(1947, 5, 10), date(1950, 6, 15), date(1960, 1, 31))])
    assert [cal.date_of(d) for d in cal.aow_day(births)] == [
        date(2012, 5, 10),
        date(2015, 9, 15),
        date(2027, 1, 31),
    ]


def test_effective_month_is_the_first_month_starting_on_or_after_the_day():
    days = np.asarray([cal.day_of(date(2020, 3, 1)), cal.day_of(date(2020, 3, 2))])
    assert list(cal.effective_month(days)) == [
        cal.month_of_date(date(2020, 3, 1)),
        cal.month_of_date(date(2020, 4, 1)),
    ]
    assert list(cal.to_iso(np.asarray([cal.day_of(date(2021, 12, 31)), -(10**9)]))) == ["2021-12-31", ""]
