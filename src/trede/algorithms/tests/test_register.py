"""The register from the database: the matching engine reads only its declared columns, the
entries carry the active preset's settings, fairness figures hide small groups, and the
page, downloads and command work for the roles that may see them."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import tempfile
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trede.accounts.models import Role
from trede.algorithms.selectors import DECLARATIONS, register
from trede.audit.models import AuditEvent
from trede.casework.intake import scoring
from trede.casework.policy.models import PolicyPreset
from trede.casework.policy.presets import PRESETS
from trede.casework.tests.factories import DiagnosisFactory
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.models import Client, ClientProfile
from trede.clients.tests.factories import ClientFactory
from trede.employers.matching import rules as matching
from trede.employers.matching.selectors import candidates, open_vacancies
from trede.employers.models import Employer, Vacancy
from trede.employers.tests.test_match_cli import DAY, make_folder

pytestmark = pytest.mark.django_db

STANDARD_FIELDS = (
    "source_id",
    "name",
    "organization",
    "description_short",
    "status",
    "goal",
    "impact",
    "proportionality",
    "human_intervention",
    "risks",
    "lawful_basis",
    "lawful_basis_grouping",
    "impacttoetsen",
    "source_data",
    "methods_and_models",
    "provider",
    "publiccode",
    "lang",
)
ALLOWED = (Role.PRIVACY, Role.BELEID, Role.BEHEERDER, Role.TEAMLEIDER)


# --------------------------------------------------------------------------- matching reads


def _columns(sql: str, table: str) -> set[str]:
    return set(re.findall(rf'"{table}"\."(\w+)"', sql))


def test_the_matching_selectors_read_only_declared_columns_of_people():
    call_command(
        "import", str(make_folder(Path(tempfile.mkdtemp(prefix="trede-reg-")), seed=3, n_clients=12))
    )
    with CaptureQueriesContext(connection) as queries:
        assert candidates(DAY) and open_vacancies(DAY)
    sql = "\n".join(q["sql"] for q in queries.captured_queries)
    # A source may name several columns ("Vacancy.postcode4, Employer.postcode4": the
    # workplace, else the employer's address).
    declared = {part.strip() for d in matching.REGISTER.data_used for part in d.source.split(",")}
    tables = {
        Client._meta.db_table: ("Client", {"client_id"}),
        ClientProfile._meta.db_table: ("ClientProfile", {"client_id"}),
        # Which vacancies are open (dates and status) selects them; it scores nothing.
        Vacancy._meta.db_table: (
            "Vacancy",
            {"vacancy_id", "employer_id", "open_date", "close_date", "status"},
        ),
        Employer._meta.db_table: ("Employer", {"employer_id"}),
    }
    seen = set()
    for table, (model, keys) in tables.items():
        for column in _columns(sql, table) - keys:
            seen.add(f"{model}.{column}")
    assert seen == declared
    person = _columns(sql, Client._meta.db_table) | _columns(sql, ClientProfile._meta.db_table)
    assert not person & {
        "gender",
        "birth_date",
        "statushouder",
        "household",
        "given_name",
        "family_name",
        "bsn",
    }


# --------------------------------------------------------------------------- entries


def test_entries_carry_the_standard_fields_and_the_active_presets_settings():
    config = copy.deepcopy(PRESETS["steenwijkerland"]["config"])
    config["matching"]["default_max_travel_km"] = 17
    config["routes"]["re_integratie_max_months"] = 30
    PolicyPreset.objects.filter(active=True).update(active=False)
    PolicyPreset.objects.create(key="eigen", name="Eigen gemeente", config=config, active=True)
    data = register(with_fairness=False)
    assert [e["source_id"] for e in data["algorithms"]] == [d.key for d in DECLARATIONS]
    for entry, decl in zip(data["algorithms"], DECLARATIONS, strict=True):
        for field in STANDARD_FIELDS:
            assert entry[field], (decl.key, field)
        x = entry["x_trede"]
        assert [d["key"] for d in x["data_used"]] == [d.key for d in decl.data_used]
        assert [n["key"] for n in x["data_not_used"]] == [n.key for n in decl.data_not_used]
        assert x["preset"] == {"key": "eigen", "name": "Eigen gemeente"}
        for label in (d.label for d in decl.data_used):
            assert label in entry["source_data"]
    by_key = {e["source_id"]: e for e in data["algorithms"]}
    matching_settings = {t["path"]: t["value"] for t in by_key["trede-matching"]["x_trede"]["thresholds"]}
    assert matching_settings["matching.default_max_travel_km"] == 17
    diagnosis_settings = {t["path"]: t["value"] for t in by_key["trede-diagnose"]["x_trede"]["thresholds"]}
    assert diagnosis_settings["routes"]["re_integratie_max_months"] == 30
    assert "Eigen gemeente" in by_key["trede-diagnose"]["methods_and_models"]


# --------------------------------------------------------------------------- fairness


def _people(n, *, gender, statushouder, months, route):
    for _ in range(n):
        client = ClientFactory(gender=gender, statushouder=statushouder, birth_date=date(1985, 5, 5))
        DiagnosisFactory(client=client, date=date(2024, 3, 1), months_to_work=months, route=route)


def _diagnosis_fairness():
    entry = next(e for e in register()["algorithms"] if e["source_id"] == "trede-diagnose")
    return entry["x_trede"]["fairness"]


def test_fairness_hides_small_groups_and_the_group_that_would_give_them_away():
    # Women 14 (7 in a work route), men 20 (16), x 4: x is too small, and with the total
    # known the smallest other group (women) is hidden too; no ratio is left to compute.
    _people(7, gender="vrouw", statushouder=False, months=10, route="re_integratie")
    _people(7, gender="vrouw", statushouder=False, months=40, route="participatie")
    _people(16, gender="man", statushouder=False, months=3, route="directe_bemiddeling")
    _people(4, gender="man", statushouder=False, months=60, route="participatie")
    _people(4, gender="x", statushouder=True, months=0, route="directe_bemiddeling")
    fairness = _diagnosis_fairness()
    assert fairness["n"] == 38
    gender = next(d for d in fairness["dimensions"] if d["dimension"] == "gender")
    groups = {g["group"]: g for g in gender["groups"]}
    assert groups["x"]["suppressed"] and groups["x"]["n"] is None
    assert groups["vrouw"]["suppressed"] and groups["vrouw"]["secondary"]
    assert groups["vrouw"]["work_route_share"] is None and groups["vrouw"]["median"] is None
    # An independent recount of the shown group.
    men = [c for c in Client.objects.filter(gender="man")]
    work = sum(1 for c in men if c.diagnoses.get().route in ("directe_bemiddeling", "re_integratie"))
    assert groups["man"]["n"] == len(men) == 20
    assert groups["man"]["work_route_share"] == pytest.approx(work / len(men), abs=1e-4)
    assert gender["disparate_impact"]["ratio"] is None
    # Statushouder: yes (4) is hidden, then no (34) too: nothing about either is shown.
    status = next(d for d in fairness["dimensions"] if d["dimension"] == "statushouder")
    assert all(g["n"] is None for g in status["groups"])


def test_fairness_ratio_over_shown_groups_against_a_plain_recount():
    _people(12, gender="vrouw", statushouder=False, months=10, route="re_integratie")
    _people(8, gender="vrouw", statushouder=False, months=40, route="participatie")
    _people(18, gender="man", statushouder=False, months=3, route="directe_bemiddeling")
    _people(2, gender="man", statushouder=False, months=60, route="participatie")
    gender = next(d for d in _diagnosis_fairness()["dimensions"] if d["dimension"] == "gender")
    assert gender["disparate_impact"]["ratio"] == pytest.approx((12 / 20) / (18 / 20), abs=1e-4)
    assert gender["disparate_impact"]["flag"] is True  # 0.67 < 0.8


# --------------------------------------------------------------------------- page, downloads, command


@pytest.mark.parametrize("role", ALLOWED)
def test_staff_who_may_see_the_register_find_it_in_the_navigation(client, role):
    ClientFactory(family_name="Zwartveen", given_name="Annelotte")
    client.force_login(UserFactory(role=role))
    page = client.get(reverse("algorithms:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{reverse("algorithms:index")}"' in html  # the navigation item
    for decl in DECLARATIONS:
        assert f'id="{decl.key}"' in html
        assert decl.name in html
    assert "Menselijke tussenkomst" in html and "Bewust niet gebruikt" in html and "Eerlijkheid" in html
    assert "Zwartveen" not in html and "Annelotte" not in html


@pytest.mark.parametrize("role", [r for r in Role.values if r not in ALLOWED])
def test_other_roles_may_not_see_the_register(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("algorithms:index")).status_code == 403
    assert client.get(reverse("algorithms:export")).status_code == 403


def test_downloads_json_csv_xlsx_and_each_is_logged(client):
    user = UserFactory(role=Role.PRIVACY)
    client.force_login(user)
    url = reverse("algorithms:export")
    response = client.get(url, {"formaat": "json"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert [e["source_id"] for e in data["algorithms"]] == [d.key for d in DECLARATIONS]
    response = client.get(url, {"formaat": "csv"})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:2] == ["source_id", "naam"] and len(rows) == 1 + len(DECLARATIONS)
    assert rows[1][1] == scoring.REGISTER.name
    response = client.get(url, {"formaat": "xlsx"})
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert client.get(url, {"formaat": "pdf"}).status_code == 404
    events = AuditEvent.objects.filter(event="export_made", username=user.username)
    assert sorted(e.details["formaat"] for e in events) == ["CSV", "JSON", "XLSX"]


def test_the_command_prints_the_register_as_one_json_object(capsys):
    call_command("algorithms", "register", "--json")
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    data = json.loads(out)
    # Reference written from the declarations themselves, not through the selectors.
    for entry, decl in zip(data["algorithms"], DECLARATIONS, strict=True):
        assert entry["name"] == decl.name and entry["goal"] == decl.goal
        assert entry["human_intervention"] == " ".join(decl.human_intervention)
        assert {d["key"] for d in entry["x_trede"]["data_used"]} == decl.used_keys()
        assert entry["publiccode"] == list(decl.publiccode)
        assert entry["x_trede"]["fairness"]["report"] == decl.fairness


def test_the_command_in_text(capsys):
    call_command("algorithms", "register", "--no-fairness")
    out = capsys.readouterr().out
    assert out.startswith("Algoritmeregister\n")
    for decl in DECLARATIONS:
        assert f"== {decl.name} ({decl.key})" in out


def test_the_matching_fairness_in_the_register_is_todays_report_with_small_groups_hidden():
    from freezegun import freeze_time

    from trede.employers.matching.fairness import matching_fairness

    call_command(
        "import", str(make_folder(Path(tempfile.mkdtemp(prefix="trede-reg-")), seed=5, n_clients=36))
    )
    with freeze_time(DAY.isoformat()):
        entry = next(e for e in register()["algorithms"] if e["source_id"] == "trede-matching")
    fairness = entry["x_trede"]["fairness"]
    plain = matching_fairness(DAY)
    assert fairness["as_of"] == DAY.isoformat() and fairness["n"] == plain["n"] > 0
    for dimension in fairness["dimensions"]:
        raw = {g["group"]: g for g in plain["dimensions"][dimension["dimension"]]["groups"]}
        hidden = [g for g in dimension["groups"] if g["suppressed"]]
        # One hidden group beside shown ones could be computed from the total.
        assert len(hidden) != 1 or len(dimension["groups"]) == 1
        for g in dimension["groups"]:
            if g["suppressed"]:
                assert g["n"] is None and g["listed_share"] is None
            else:
                assert g["n"] == raw[g["group"]]["n"] >= 10
                assert g["listed_share"] == raw[g["group"]]["listed_share"]
