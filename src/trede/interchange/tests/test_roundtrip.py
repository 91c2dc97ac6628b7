"""import → export → import gives the same records and the same figures."""

import csv
from datetime import date

import pytest
from django.apps import apps

from trede.interchange.schema import FILES
from trede.interchange.services import export_folder, import_folder
from trede.monitor.selectors import flow_figures, stock_figures

pytestmark = pytest.mark.django_db

EVERY_FILE = {
    "postcodes.csv": [
        {"postcode4": "5611", "lat": "51.4381", "lon": "5.4752"},
        {"postcode4": "5612", "lat": "", "lon": ""},
    ],
    "consultants.csv": [
        {"consultant_id": "M1", "name": "Fatima el Amrani", "team": "Werk", "role": "werkconsulent"}
    ],
    "clients.csv": [
        {
            "client_id": "C1",
            "bsn": "012345672",
            "birth_date": "1980-02-29",
            "gender": "vrouw",
            "household": "alleenstaande_ouder",
            "education": "mbo2_4",
            "dutch_language": "b1",
            "statushouder": "1",
            "dgr": "0",
            "postcode4": "5611",
            "municipality": "GM0772",
            "consultant_id": "M1",
            "given_name": "Amina",
            "family_name": "Yilmaz",
        },
        {
            "client_id": "C2",
            "bsn": "",
            "birth_date": "1961-12-31",
            "gender": "",
            "household": "",
            "education": "",
            "dutch_language": "",
            "statushouder": "",
            "dgr": "",
            "postcode4": "",
            "municipality": "",
            "consultant_id": "",
            "given_name": "",
            "family_name": "",
        },
    ],
    "providers.csv": [{"provider_id": "P1", "name": 'Werkbedrijf, afdeling "Leren"', "kind": "sw_bedrijf"}],
    "instruments.csv": [
        {
            "instrument_code": "SCH",
            "name": "Scholing",
            "type": "scholing",
            "funding": "reintegratiebudget",
            "price_eur": "2500.75",
        }
    ],
    "employers.csv": [
        {
            "employer_id": "E1",
            "name": "Bakkerij De Korf",
            "sector": "G",
            "size_class": "10-49",
            "postcode4": "5612",
        }
    ],
    "vacancies.csv": [
        {
            "vacancy_id": "V1",
            "employer_id": "E1",
            "title": "Verkoper",
            "occupation_code": "5223",
            "hours_per_week": "24",
            "open_date": "2020-01-06",
            "close_date": "2020-03-01",
            "skills": "klantcontact;kassa",
            "positions": "3",
        }
    ],
    "benefits.csv": [
        {
            "benefit_id": "B1",
            "client_id": "C1",
            "regulation": "pw",
            "start_date": "2016-04-01",
            "end_date": "2020-04-01",
            "end_reason": "werk",
        },
        {
            "benefit_id": "B2",
            "client_id": "C2",
            "regulation": "ioaw",
            "start_date": "2015-01-01",
            "end_date": "",
            "end_reason": "",
        },
        {
            "benefit_id": "B3",
            "client_id": "C2",
            "regulation": "pw",
            "start_date": "2019-01-01",
            "end_date": "2019-06-01",
            "end_reason": "overig",
        },
    ],
    "diagnoses.csv": [
        {
            "diagnosis_id": "D1",
            "client_id": "C1",
            "date": "2016-05-01",
            "months_to_work": "9",
            "ladder_step": "3",
            "ladder_target": "5",
            "wage_value_pct": "62.5",
            "assessed_by": "consultant",
            "override_reason": "werkervaring in de zorg",
        }
    ],
    "contacts.csv": [
        {
            "contact_id": "G1",
            "client_id": "C1",
            "date": "2016-05-01",
            "kind": "gesprek",
            "consultant_id": "M1",
        }
    ],
    "trajectories.csv": [
        {
            "trajectory_id": "T1",
            "client_id": "C1",
            "instrument_code": "SCH",
            "provider_id": "P1",
            "referral_date": "2017-01-10",
            "start_date": "2017-02-01",
            "planned_end_date": "2017-08-01",
            "end_date": "2017-07-15",
            "result": "geslaagd",
            "cost_eur": "2400",
        },
        {
            "trajectory_id": "T2",
            "client_id": "C2",
            "instrument_code": "SCH",
            "provider_id": "P1",
            "referral_date": "2018-01-10",
            "start_date": "",
            "planned_end_date": "",
            "end_date": "",
            "result": "",
            "cost_eur": "",
        },
    ],
    "client_profiles.csv": [
        {
            "client_id": "C1",
            "desired_occupations": "5223;9112",
            "skills": "kassa",
            "hours_available": "24",
            "max_travel_km": "15",
        }
    ],
    "placements.csv": [
        {
            "placement_id": "PL1",
            "client_id": "C1",
            "employer_id": "E1",
            "vacancy_id": "V1",
            "start_date": "2020-03-02",
            "end_date": "",
            "hours_per_week": "24",
            "contract": "tijdelijk",
            "subsidy": "lks",
            "wage_value_pct": "70",
        }
    ],
    "measures.csv": [
        {
            "measure_id": "H1",
            "client_id": "C1",
            "date": "2017-03-01",
            "kind": "maatregel",
            "reason": "niet verschenen",
            "percentage": "20",
            "months": "1",
        }
    ],
    "payments.csv": [
        {
            "payment_id": "PAY1",
            "client_id": "C1",
            "date": "2017-03-01",
            "amount_eur": "1200.5",
            "kind": "traject",
            "funding": "reintegratiebudget",
            "line": "trajecten",
            "benefit_id": "",
            "trajectory_id": "T1",
            "placement_id": "",
        },
        {
            "payment_id": "PAY2",
            "client_id": "C1",
            "date": "2017-09-01",
            "amount_eur": "-300",
            "kind": "traject",
            "funding": "reintegratiebudget",
            "line": "trajecten",
            "benefit_id": "",
            "trajectory_id": "T1",
            "placement_id": "",
        },
        {
            "payment_id": "PAY3",
            "client_id": "C2",
            "date": "2019-02-01",
            "amount_eur": "1100.37",
            "kind": "uitkering",
            "funding": "buig",
            "line": "",
            "benefit_id": "B3",
            "trajectory_id": "",
            "placement_id": "",
        },
        {
            "payment_id": "PAY4",
            "client_id": "C1",
            "date": "2020-04-01",
            "amount_eur": "850",
            "kind": "loonkostensubsidie",
            "funding": "buig",
            "line": "loonkostensubsidie",
            "benefit_id": "",
            "trajectory_id": "",
            "placement_id": "PL1",
        },
    ],
    "budgets.csv": [
        {
            "budget_id": "BU1",
            "year": "2020",
            "line": "loonkostensubsidie",
            "funding": "buig",
            "amount_eur": "50000",
        },
        {
            "budget_id": "BU2",
            "year": "2020",
            "line": "trajecten",
            "funding": "reintegratiebudget",
            "amount_eur": "0",
        },
    ],
}


def read_rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def figures():
    return (
        [
            stock_figures(as_of=date(y, 6, 30), regulations=regs)
            for y in range(2015, 2021)
            for regs in (["pw"], ["pw", "ioaw"])
        ],
        flow_figures(
            date_from=date(2015, 1, 1), date_to=date(2021, 1, 1), period="quarter", regulations=["pw", "ioaw"]
        ),
    )


def test_every_column_survives_the_round_trip(interchange_folder, tmp_path):
    import_folder(interchange_folder(EVERY_FILE))
    out = tmp_path / "out"
    export_folder(out)
    for spec in FILES:
        exported = read_rows(out / spec.filename)
        original = sorted(EVERY_FILE[spec.filename], key=lambda r: r[spec.id_column])
        assert [{k: row[k] for k in original[0]} for row in exported] == original, spec.filename


def test_import_export_import_gives_identical_figures(interchange_folder, tmp_path):
    import_folder(interchange_folder(EVERY_FILE))
    before = figures()
    export_folder(tmp_path / "out")
    for spec in reversed(FILES):
        model = apps.get_model(spec.model_label)
        model.objects.all().delete()
        if hasattr(model, "history"):
            model.history.all().delete()
    assert stock_figures(as_of=date(2018, 6, 30))["total"] == 0
    import_folder(tmp_path / "out")
    assert figures() == before
    export_folder(tmp_path / "again")
    for spec in FILES:
        assert (tmp_path / "again" / spec.filename).read_bytes() == (
            tmp_path / "out" / spec.filename
        ).read_bytes()
