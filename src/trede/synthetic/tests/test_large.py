"""A 50,000-client city: effects close to their expected values (slow; run with -m slow)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from trede.synthetic.generator import generate
from trede.synthetic.tests import figures as F

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    folder = tmp_path_factory.mktemp("large")
    generate(folder, clients=50_000, years=10, seed=7, core_only=True)
    return folder


def test_effects_fit_the_published_ranges(city):
    gt = json.loads((city / "ground_truth.json").read_text(encoding="utf-8"))
    att = {code: block["att"] for code, block in gt["instruments"].items()}
    assert -0.10 <= att["SCHOLING"]["12"] <= -0.02 and 0.02 <= att["SCHOLING"]["24"] <= 0.12
    for code in ("LKS", "LKS-RIB", "PROEFPL"):
        assert 0.03 <= att[code]["12"] <= 0.08, code
    for code in ("SOLL", "JOBCOACH"):
        assert 0.005 <= att[code]["12"] <= 0.03, code
    assert -0.05 <= att["WEP"]["12"] <= 0.0


def test_flows_and_durations(city):
    sp = F.spells(F.load(city, "benefits.csv"))
    flows = F.yearly_flows(sp, range(2016, 2026))
    assert 0.22 <= flows["inflow"].mean() <= 0.255
    assert 0.225 <= flows["outflow"].mean() <= 0.26
    ended = sp[(sp["end"] >= pd.Timestamp(2016, 1, 1))]
    assert 0.36 <= (ended["reason"] == "werk").mean() <= 0.41
    shares = F.ended_durations(sp, pd.Timestamp(2016, 1, 1), pd.Timestamp(2026, 1, 1))
    np.testing.assert_allclose(shares, F.CBS_DURATIONS, atol=0.03)
