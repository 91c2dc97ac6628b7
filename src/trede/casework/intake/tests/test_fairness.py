"""The fairness report on a constructed data set with known shares."""

import json
from datetime import date

import pytest
from django.core.management import call_command

from trede.casework.intake.fairness import diagnosis_fairness, disparate_impact, quartiles
from trede.casework.tests.factories import DiagnosisFactory
from trede.clients.tests.factories import ClientFactory

DAY = date(2024, 3, 1)


def make(n, *, gender, statushouder, born, months, route="", dgr=None, **diagnosis):
    clients = []
    for _ in range(n):
        client = ClientFactory(gender=gender, statushouder=statushouder, birth_date=born, dgr=dgr)
        DiagnosisFactory(client=client, date=DAY, months_to_work=months, route=route, **diagnosis)
        clients.append(client)
    return clients


@pytest.fixture
def population(db):
    # Men, no statushouder: 15 aged 33 in re-integratie, 5 aged 53 in participatie (consultant's judgement).
    men = make(15, gender="man", statushouder=False, born=date(1990, 6, 15), months=10, route="re_integratie")
    make(
        5,
        gender="man",
        statushouder=False,
        born=date(1970, 6, 15),
        months=30,
        route="participatie",
        assessed_by="consultant",
    )
    # Women, statushouder, imported without route (derived from months under the active preset):
    # 10 aged 24 at 10 months (2 overridden), 10 aged 44 at 30 months, one of whom has a DGR indication (2B).
    women = make(8, gender="vrouw", statushouder=True, born=date(2000, 1, 1), months=10)
    make(
        2,
        gender="vrouw",
        statushouder=True,
        born=date(2000, 1, 1),
        months=10,
        is_override=True,
        override_reason="ziet meer kansen",
        assessed_by="consultant",
    )
    make(9, gender="vrouw", statushouder=True, born=date(1980, 1, 1), months=30)
    make(1, gender="vrouw", statushouder=True, born=date(1980, 1, 1), months=30, dgr=True)
    # A small group: suppressed and left out of the ratio.
    make(5, gender="x", statushouder=None, born=date(1960, 1, 1), months=0)
    # Earlier diagnoses do not count: only the latest per client (same day: the highest id).
    DiagnosisFactory(client=men[0], date=date(2023, 1, 1), months_to_work=100, route="participatie")
    DiagnosisFactory(client=women[0], diagnosis_id="A1", date=DAY, months_to_work=100, route="participatie")
    return men, women


def groups(report, dimension):
    return {g["group"]: g for g in report["dimensions"][dimension]["groups"]}


def test_work_route_shares_and_disparate_impact_by_gender(population):
    report = diagnosis_fairness()
    assert report["n"] == 45
    by_gender = groups(report, "gender")
    assert by_gender["man"]["n"] == 20 and by_gender["man"]["work_route_share"] == 0.75
    assert by_gender["vrouw"]["n"] == 20 and by_gender["vrouw"]["work_route_share"] == 0.55
    assert (
        by_gender["x"]["suppressed"]
        and by_gender["x"]["work_route_share"] is None
        and by_gender["x"]["n"] is None
    )
    di = report["dimensions"]["gender"]["disparate_impact"]
    assert di["ratio"] == pytest.approx(0.55 / 0.75, abs=1e-4)
    assert (di["lowest"], di["highest"], di["flag"]) == ("vrouw", "man", True)


def test_distribution_and_override_rate(population):
    by_gender = groups(diagnosis_fairness(), "gender")
    man = by_gender["man"]
    assert (man["mean"], man["median"], man["q1"], man["q3"]) == (15.0, 10.0, 10.0, 15.0)
    assert man["override_rate"] == 0.25
    assert by_gender["vrouw"]["override_rate"] == 0.1
    assert by_gender["vrouw"]["mean"] == 20.0


def test_age_bands_on_the_diagnosis_date_and_statushouder(population):
    report = diagnosis_fairness()
    by_age = groups(report, "age_band")
    assert {k: g["n"] for k, g in by_age.items()} == {
        "21-30": 10,
        "31-40": 15,
        "41-50": 10,
        "51-60": None,
        ">=61": None,
    }
    assert by_age["21-30"]["work_route_share"] == 1.0 and by_age["41-50"]["work_route_share"] == 0.1
    di = report["dimensions"]["age_band"]["disparate_impact"]
    assert di["ratio"] == pytest.approx(0.1) and di["lowest"] == "41-50" and di["flag"]
    by_status = groups(report, "statushouder")
    assert by_status["statushouder"]["work_route_share"] == 0.55
    assert by_status["geen statushouder"]["work_route_share"] == 0.75
    assert by_status["onbekend"]["suppressed"]
    assert report["dimensions"]["statushouder"]["disparate_impact"]["ratio"] == pytest.approx(
        0.7333, abs=1e-4
    )


def test_derived_route_follows_the_active_preset(population):
    from trede.casework.policy.models import PolicyPreset

    preset = PolicyPreset.objects.get(active=True)
    preset.config["routes"]["re_integratie_max_months"] = 36
    preset.save()
    by_gender = groups(diagnosis_fairness(), "gender")
    # The women's routes were derived (imported), the men's were stored and stay.
    assert by_gender["vrouw"]["work_route_share"] == 1.0
    assert by_gender["man"]["work_route_share"] == 0.75


def test_command_json_and_text(population, capsys):
    call_command("fairness", "diagnosis", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["dimensions"]["gender"]["disparate_impact"]["flag"] is True
    call_command("fairness", "diagnosis")
    text = capsys.readouterr().out
    assert "Disparate impact (laagste / hoogste aandeel werkroute): 0,73 (vrouw / man)" in text
    assert "LET OP" in text and "Geslacht" in text and "Statushouder" in text
    assert "(te klein, niet getoond)" in text
    # With --min-n 5 the small group counts too: all 5 in directe bemiddeling.
    call_command("fairness", "diagnosis", "--min-n", "5")
    assert "0,55 (vrouw / x)" in capsys.readouterr().out


def test_pure_helpers():
    assert disparate_impact({"a": 0.5}) == {"ratio": None, "lowest": None, "highest": None, "flag": False}
    assert disparate_impact({"a": 0.4, "b": 0.5})["flag"] is False
    assert disparate_impact({"a": 0.0, "b": 0.0})["ratio"] is None
    assert quartiles([]) == {"mean": None, "median": None, "q1": None, "q3": None}
    assert quartiles([4]) == {"mean": 4.0, "median": 4.0, "q1": 4.0, "q3": 4.0}
    assert quartiles([1, 2, 3, 4, 5]) == {"mean": 3.0, "median": 3.0, "q1": 2.0, "q3": 4.0}
