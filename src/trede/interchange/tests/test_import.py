"""`trede import`: what it refuses (all or nothing), what it warns about, re-imports."""

from datetime import date

import pytest

from trede.benefits.models import Benefit
from trede.casework.models import Consultant, Diagnosis
from trede.clients.models import Client
from trede.instruments.models import Trajectory
from trede.interchange.models import ImportRun
from trede.interchange.services import ImportRefused, import_folder

pytestmark = pytest.mark.django_db

CLIENTS = [
    {
        "client_id": "C1",
        "bsn": "111222333",
        "birth_date": "1980-02-29",
        "gender": "vrouw",
        "household": "alleenstaand",
    },
    {"client_id": "C2", "bsn": "", "birth_date": "1990-05-01", "gender": "man", "household": ""},
]
BENEFITS = [
    {
        "benefit_id": "B1",
        "client_id": "C1",
        "regulation": "pw",
        "start_date": "2019-01-01",
        "end_date": "2020-01-01",
        "end_reason": "werk",
    },
    {
        "benefit_id": "B2",
        "client_id": "C2",
        "regulation": "pw",
        "start_date": "2019-06-01",
        "end_date": "",
        "end_reason": "",
    },
]
INSTRUMENTS = [
    {
        "instrument_code": "LKS",
        "name": "Loonkostensubsidie",
        "type": "loonkostensubsidie",
        "funding": "buig",
        "price_eur": "0",
    }
]
PROVIDERS = [{"provider_id": "P1", "name": "Werkbedrijf", "kind": "sw_bedrijf"}]
TRAJECTORIES = [
    {
        "trajectory_id": "T1",
        "client_id": "C1",
        "instrument_code": "LKS",
        "provider_id": "P1",
        "referral_date": "2019-02-01",
        "start_date": "2019-03-01",
        "planned_end_date": "2019-09-01",
        "end_date": "",
        "result": "lopend",
        "cost_eur": "1200.50",
    }
]


def good_files(**overrides):
    files = {
        "clients.csv": CLIENTS,
        "benefits.csv": BENEFITS,
        "instruments.csv": INSTRUMENTS,
        "providers.csv": PROVIDERS,
        "trajectories.csv": TRAJECTORIES,
    }
    files.update(overrides)
    return files


def with_row(rows, index, **changes):
    rows = [dict(r) for r in rows]
    rows[index].update(changes)
    return rows


def test_a_valid_folder_is_imported(interchange_folder):
    report = import_folder(interchange_folder(good_files()))
    assert Client.objects.count() == 2 and Benefit.objects.count() == 2
    assert report.created["clients.csv"] == 2
    c1 = Client.objects.get(pk="C1")
    assert (c1.bsn, c1.birth_date, c1.household) == ("111222333", date(1980, 2, 29), "alleenstaand")
    assert Client.objects.get(pk="C2").household == ""
    trajectory = Trajectory.objects.get(pk="T1")
    assert str(trajectory.cost_eur) == "1200.50" and trajectory.end_date is None
    assert ImportRun.objects.get().status == "geslaagd"


REFUSALS = [
    (
        "missing required cell",
        {"clients.csv": with_row(CLIENTS, 1, birth_date="")},
        "clients.csv:3: birth_date",
    ),
    (
        "code outside the list",
        {"clients.csv": with_row(CLIENTS, 0, gender="vrouwelijk")},
        "clients.csv:2: gender",
    ),
    (
        "not a real date",
        {"benefits.csv": with_row(BENEFITS, 0, start_date="2019-02-30")},
        "benefits.csv:2: start_date",
    ),
    (
        "date in another form",
        {"benefits.csv": with_row(BENEFITS, 0, start_date="01-02-2019")},
        "benefits.csv:2",
    ),
    (
        "end before start",
        {"benefits.csv": with_row(BENEFITS, 0, end_date="2018-12-31")},
        "benefits.csv:2: end_date",
    ),
    ("11-proef fails", {"clients.csv": with_row(CLIENTS, 0, bsn="111222334")}, "clients.csv:2: bsn"),
    ("BSN not 9 digits", {"clients.csv": with_row(CLIENTS, 0, bsn="11122233")}, "clients.csv:2: bsn"),
    (
        "number not a number",
        {"trajectories.csv": with_row(TRAJECTORIES, 0, cost_eur="veel")},
        "trajectories.csv:2",
    ),
    (
        "number out of range",
        {
            "diagnoses.csv": [
                {"diagnosis_id": "D1", "client_id": "C1", "date": "2019-02-01", "ladder_step": "7"}
            ]
        },
        "diagnoses.csv:2: ladder_step",
    ),
    (
        "duplicate id",
        {"benefits.csv": with_row(BENEFITS, 1, benefit_id="B1")},
        "benefits.csv:3: benefit_id 'B1'",
    ),
    (
        "unknown client",
        {"benefits.csv": with_row(BENEFITS, 1, client_id="C9")},
        "benefits.csv:3: client_id: 'C9'",
    ),
    (
        "unknown instrument",
        {"trajectories.csv": with_row(TRAJECTORIES, 0, instrument_code="XX")},
        "trajectories.csv:2: instrument_code",
    ),
    (
        "unknown provider",
        {"trajectories.csv": with_row(TRAJECTORIES, 0, provider_id="P9")},
        "trajectories.csv:2: provider_id",
    ),
    (
        "ended without reason",
        {"benefits.csv": with_row(BENEFITS, 0, end_reason="")},
        "benefits.csv:2: end_reason",
    ),
    (
        "unknown employer",
        {"vacancies.csv": [{"vacancy_id": "V1", "employer_id": "E9", "open_date": "2019-01-01"}]},
        "vacancies.csv:2: employer_id",
    ),
    (
        "statushouder not 0/1",
        {"clients.csv": with_row(CLIENTS, 0, statushouder="ja")},
        "clients.csv:2: statushouder",
    ),
    ("required column absent", {"clients.csv": [{"client_id": "C1", "gender": "man"}]}, "clients.csv:1: "),
    ("clients.csv missing", {"clients.csv": None}, "clients.csv: bestand ontbreekt"),
]


@pytest.mark.parametrize(("case", "overrides", "expected"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_invalid_rows_are_refused_and_nothing_is_written(interchange_folder, case, overrides, expected):
    files = {k: v for k, v in good_files(**overrides).items() if v is not None}
    with pytest.raises(ImportRefused) as refused:
        import_folder(interchange_folder(files))
    messages = [str(p) for p in refused.value.problems if not p.warning]
    assert any(m.startswith(expected) for m in messages), messages
    assert Client.objects.count() == 0 and Benefit.objects.count() == 0 and Trajectory.objects.count() == 0
    assert ImportRun.objects.get().status == "geweigerd"  # the failed attempt itself is recorded


def test_every_problem_is_reported_not_just_the_first(interchange_folder):
    clients = with_row(with_row(CLIENTS, 0, gender="?"), 1, birth_date="1990-13-01")
    with pytest.raises(ImportRefused) as refused:
        import_folder(interchange_folder(good_files(**{"clients.csv": clients})))
    errors = [str(p) for p in refused.value.problems if not p.warning]
    assert any(e.startswith("clients.csv:2:") for e in errors)
    assert any(e.startswith("clients.csv:3:") for e in errors)


def test_a_reference_to_a_record_already_in_the_database_is_accepted(interchange_folder):
    import_folder(interchange_folder(good_files(), "first"))
    later = {
        "clients.csv": [],
        "benefits.csv": [
            {"benefit_id": "B3", "client_id": "C1", "regulation": "pw", "start_date": "2021-01-01"}
        ],
    }
    folder = interchange_folder(later, "second")
    (folder / "clients.csv").write_text("client_id,birth_date\n", encoding="utf-8")
    import_folder(folder)
    assert Benefit.objects.filter(client_id="C1").count() == 2


WARNINGS = [
    ("benefit before 18", {"clients.csv": with_row(CLIENTS, 1, birth_date="2002-01-01")}, "benefits.csv:3:"),
    ("IOAW under 50", {"benefits.csv": with_row(BENEFITS, 0, regulation="ioaw")}, "benefits.csv:2:"),
    (
        "diagnosis before the benefit",
        {
            "diagnoses.csv": [
                {"diagnosis_id": "D1", "client_id": "C1", "date": "2010-01-01", "ladder_step": "2"}
            ]
        },
        "diagnoses.csv:2:",
    ),
    ("unknown consultant", {"clients.csv": with_row(CLIENTS, 0, consultant_id="K7")}, "consultants.csv:"),
]


@pytest.mark.parametrize(("case", "overrides", "expected"), WARNINGS, ids=[w[0] for w in WARNINGS])
def test_implausible_rows_are_imported_with_a_warning(interchange_folder, case, overrides, expected):
    report = import_folder(interchange_folder(good_files(**overrides)))
    assert any(str(w).startswith(expected) and "waarschuwing" in str(w) for w in report.warnings)
    assert Client.objects.count() == 2


def test_unknown_consultant_is_registered(interchange_folder):
    import_folder(interchange_folder(good_files(**{"clients.csv": with_row(CLIENTS, 0, consultant_id="K7")})))
    assert Client.objects.get(pk="C1").consultant == Consultant.objects.get(pk="K7")


def test_reimport_of_a_later_export_updates_by_id_and_never_duplicates(interchange_folder):
    import_folder(interchange_folder(good_files(), "v1"))
    later = good_files(
        **{
            "benefits.csv": with_row(BENEFITS, 1, end_date="2021-03-01", end_reason="werk"),
            "clients.csv": with_row(CLIENTS, 1, household="gehuwd_samenwonend"),
        }
    )
    report = import_folder(interchange_folder(later, "v2"))
    assert Client.objects.count() == 2 and Benefit.objects.count() == 2
    assert report.updated["benefits.csv"] == 1 and report.unchanged["benefits.csv"] == 1
    b2 = Benefit.objects.get(pk="B2")
    assert (b2.end_date, b2.end_reason) == (date(2021, 3, 1), "werk")
    # the change is in the history of the record
    assert [h.end_reason for h in b2.history.order_by("history_date")] == ["", "werk"]
    # records absent from a later folder are kept
    import_folder(interchange_folder(good_files(**{"benefits.csv": BENEFITS[:1]}), "v3"))
    assert Benefit.objects.count() == 2


def test_bom_crlf_quoting_and_extra_columns(tmp_path):
    folder = tmp_path / "bom"
    folder.mkdir()
    (folder / "clients.csv").write_bytes(
        "\ufeffclient_id,birth_date,onbekende_kolom,bsn\r\n"
        '"C1",1980-01-01,"met, komma",012345672\r\n'.encode()
    )
    (folder / "benefits.csv").write_bytes(
        b"benefit_id,client_id,start_date,regulation\r\nB1,C1,2019-01-01,pw\r\n"
    )
    import_folder(folder)
    assert Client.objects.get(pk="C1").bsn == "012345672"  # a BSN may start with 0


def test_diagnosis_numbers(interchange_folder):
    rows = [
        {
            "diagnosis_id": "D1",
            "client_id": "C1",
            "date": "2019-02-01",
            "months_to_work": "120",
            "ladder_step": "1",
            "ladder_target": "6",
            "wage_value_pct": "55.5",
            "assessed_by": "consultant",
            "override_reason": "kent werkgever",
        }
    ]
    import_folder(interchange_folder(good_files(**{"diagnoses.csv": rows})))
    d = Diagnosis.objects.get()
    assert (d.months_to_work, d.ladder_step, float(d.wage_value_pct)) == (120, 1, 55.5)
