"""`trede bench match` at a tiny size: the baseline scores every pair as the engine does,
both sides agree, and the command reports it (decision 145)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
from trede.employers.matching import bench
from trede.employers.matching.rules import Scorer, Settings


def _settings(**changes) -> Settings:
    config = dict(PRESETS[DEFAULT_PRESET]["config"]["matching"], **changes)
    return Settings.from_config(config)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("travel_hard", [True, False])
def test_baseline_scores_every_pair_like_the_engine(seed, travel_hard):
    settings = _settings(travel_hard=travel_hard)
    clients, vacancies = bench.synthetic(400, 25, seed)
    scorer = Scorer(settings)
    arrays = bench.Arrays(clients, scorer)
    for vacancy in vacancies:
        expected = [scorer.units(vacancy, c) for c in clients]
        got = bench.baseline_units(arrays, vacancy).tolist()
        assert got == [-1 if u is None else u for u in expected]


def test_the_report_at_a_tiny_size():
    report = bench.run(_settings(), clients=300, vacancies=8, quality_vacancies=20, seed=4)
    assert report["identical"] and report["scores_identical"]
    assert report["assign"]["engine_total"] == report["assign"]["baseline_total"] > 0
    assert report["top"]["engine_s"] > 0 and report["top"]["baseline_s"] > 0
    q = report["quality"]
    assert q["vacancies"] == 20 and 0 <= q["skill_overlap_top10_share"] <= 1
    assert len(report["load_average"]) == 3


@pytest.mark.django_db
def test_the_command(capsys):
    call_command(
        "bench", "match", "--clients", "200", "--vacancies", "5", "--quality-vacancies", "10", "--json"
    )
    report = json.loads(capsys.readouterr().out)
    assert report["identical"] is True and report["clients"] == 200
    call_command("bench", "match", "--clients", "200", "--vacancies", "5", "--quality-vacancies", "0")
    out = capsys.readouterr().out
    assert "Top-20 voor één vacature" in out and "gelijk: ja" in out


@pytest.mark.parametrize("seed", [5, 6])
@pytest.mark.parametrize("travel_hard", [True, False])
def test_the_engines_pool_scores_every_pair_like_the_scorer(seed, travel_hard):
    from trede.employers.matching.selectors import vacancy_pairs
    from trede.employers.matching.vector import CandidatePool, pool_pairs

    clients, vacancies = bench.synthetic(400, 25, seed)
    scorer = Scorer(_settings(travel_hard=travel_hard))
    pool = CandidatePool(clients, scorer)
    for vacancy in vacancies:
        assert pool_pairs(pool, vacancy) == vacancy_pairs(vacancy, clients, scorer)
    assert pool_pairs(CandidatePool([], scorer), vacancies[0]) == []
