"""payments.csv, budgets.csv, postcodes.csv and vacancies' positions through the importer."""

from decimal import Decimal

import pytest

from trede.clients.models import Postcode
from trede.employers.models import Vacancy
from trede.finance.models import Budget, Payment
from trede.interchange.services import ImportRefused, export_folder, import_folder

pytestmark = pytest.mark.django_db

BASE = {
    "clients.csv": [{"client_id": "C1", "birth_date": "1980-01-01"}],
    "benefits.csv": [{"benefit_id": "B1", "client_id": "C1", "regulation": "pw", "start_date": "2019-01-01"}],
    "trajectories.csv": [{"trajectory_id": "T1", "client_id": "C1", "referral_date": "2019-02-01"}],
}


def _payment(**cells):
    row = {"payment_id": "PAY1", "client_id": "C1", "date": "2019-03-01", "amount_eur": "100.10"}
    row.update(cells)
    return row


def refused(folder) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        import_folder(folder)
    return [str(p) for p in caught.value.problems if not p.warning]


def test_payments_and_recoveries_are_stored_as_decimal_cents(interchange_folder):
    files = {
        **BASE,
        "payments.csv": [
            _payment(kind="traject", funding="reintegratiebudget", line="trajecten", trajectory_id="T1"),
            _payment(payment_id="PAY2", amount_eur="-40.05", kind="traject", trajectory_id="T1"),
            _payment(payment_id="PAY3", amount_eur="1100", kind="uitkering", funding="buig", benefit_id="B1"),
        ],
        "budgets.csv": [{"budget_id": "BU1", "year": "2019", "line": "trajecten", "amount_eur": "25000"}],
    }
    import_folder(interchange_folder(files))
    assert Payment.objects.get(pk="PAY2").amount_eur == Decimal("-40.05")
    assert Payment.objects.get(pk="PAY1").trajectory_id == "T1"
    assert Payment.objects.get(pk="PAY3").benefit_id == "B1"
    assert Budget.objects.get().amount_eur == Decimal("25000.00")


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"client_id": "C9"}, "payments.csv:2: client_id: 'C9' bestaat niet"),
        ({"benefit_id": "B9"}, "payments.csv:2: benefit_id: 'B9' bestaat niet"),
        ({"trajectory_id": "T9"}, "payments.csv:2: trajectory_id: 'T9' bestaat niet"),
        ({"placement_id": "PL9"}, "payments.csv:2: placement_id: 'PL9' bestaat niet"),
        ({"amount_eur": ""}, "payments.csv:2: amount_eur: verplicht veld is leeg"),
        ({"amount_eur": "12,50"}, "payments.csv:2: amount_eur: '12,50' is geen getal"),
        ({"kind": "salaris"}, "payments.csv:2: kind: onbekende code 'salaris'"),
        ({"funding": "wmo"}, "payments.csv:2: funding: onbekende code 'wmo'"),
        ({"date": "2019-02-30"}, "payments.csv:2: date: '2019-02-30' is geen bestaande datum"),
    ],
)
def test_a_bad_payment_refuses_the_whole_folder(interchange_folder, cells, message):
    errors = refused(interchange_folder({**BASE, "payments.csv": [_payment(**cells)]}))
    assert any(e.startswith(message) for e in errors), errors
    assert not Payment.objects.exists()
    assert not Vacancy.objects.exists()


def test_a_negative_budget_or_a_twice_used_id_is_refused(interchange_folder):
    budgets = [
        {"budget_id": "BU1", "year": "2019", "line": "trajecten", "amount_eur": "-1"},
        {"budget_id": "BU2", "year": "2019", "line": "jobcoaching", "amount_eur": "5"},
        {"budget_id": "BU2", "year": "2020", "line": "jobcoaching", "amount_eur": "5"},
        {"budget_id": "BU3", "year": "", "line": "x", "amount_eur": "5"},
    ]
    errors = refused(interchange_folder({**BASE, "budgets.csv": budgets}))
    assert any(e.startswith("budgets.csv:2: amount_eur:") for e in errors), errors
    assert any(e.startswith("budgets.csv:4: budget_id 'BU2' komt twee keer voor") for e in errors), errors
    assert any(e.startswith("budgets.csv:5: year: verplicht veld is leeg") for e in errors), errors
    assert not Budget.objects.exists()


def test_rows_update_by_id(interchange_folder, tmp_path):
    import_folder(interchange_folder({**BASE, "payments.csv": [_payment()]}, "a"))
    import_folder(interchange_folder({**BASE, "payments.csv": [_payment(amount_eur="-5")]}, "b"))
    assert Payment.objects.get().amount_eur == Decimal("-5")


def test_positions_empty_is_one_and_postcodes_are_checked(interchange_folder):
    files = {
        **BASE,
        "employers.csv": [{"employer_id": "E1"}],
        "vacancies.csv": [
            {"vacancy_id": "V1", "employer_id": "E1", "open_date": "2020-01-01", "positions": ""},
            {"vacancy_id": "V2", "employer_id": "E1", "open_date": "2020-01-01", "positions": "4"},
        ],
        "postcodes.csv": [{"postcode4": "7471", "lat": "52.2899", "lon": "6.5781"}],
    }
    import_folder(interchange_folder(files))
    assert dict(Vacancy.objects.values_list("vacancy_id", "positions")) == {"V1": 1, "V2": 4}
    assert Postcode.objects.get().lat == Decimal("52.2899")
    files["vacancies.csv"][0]["positions"] = "0"
    files["postcodes.csv"].append({"postcode4": "7472", "lat": "91", "lon": "6"})
    files["postcodes.csv"].append({"postcode4": "7471", "lat": "52", "lon": "6"})
    errors = refused(interchange_folder(files, "bad"))
    assert any(e.startswith("vacancies.csv:2: positions:") for e in errors), errors
    assert any(e.startswith("postcodes.csv:3: lat:") for e in errors), errors
    assert any(e.startswith("postcodes.csv:4: postcode4 '7471' komt twee keer voor") for e in errors), errors


def test_a_folder_without_version_2_files_still_imports_and_exports_them_empty(interchange_folder, tmp_path):
    import_folder(interchange_folder(BASE))
    export_folder(tmp_path / "out")
    assert (tmp_path / "out" / "payments.csv").read_text() == (
        "payment_id,client_id,date,amount_eur,kind,funding,line,benefit_id,trajectory_id,placement_id\n"
    )
    assert (tmp_path / "out" / "budgets.csv").read_text() == "budget_id,year,line,funding,amount_eur\n"
