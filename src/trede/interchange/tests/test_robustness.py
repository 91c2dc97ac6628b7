"""`trede import` against files a sloppy export or an attacker could send.

Every refusal must name `file:line`, be quick, and leave every table empty, on SQLite
and on PostgreSQL alike (PostgreSQL refuses NUL and out-of-range numbers in the middle of
a write; SQLite stores them and fails later, when they are read).
"""

import shutil
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trede.conftest import write_folder
from trede.instruments.models import Instrument, Provider
from trede.interchange.models import ImportRun
from trede.interchange.reading import MAX_LINE_CHARS
from trede.interchange.schema import FILES, FILES_BY_NAME, number_limits
from trede.interchange.services import ImportRefused, import_folder

from .test_cli import _env, trede
from .test_import import BENEFITS, CLIENTS, INSTRUMENTS, PROVIDERS

pytestmark = pytest.mark.django_db

CLIENTS_CSV = b"client_id,bsn,birth_date,gender\nC1,111222333,1980-02-29,vrouw\nC2,,1990-05-01,man\n"
BENEFITS_CSV = (
    b"benefit_id,client_id,regulation,start_date,end_date,end_reason\n"
    b"B1,C1,pw,2019-01-01,2020-01-01,werk\nB2,C2,pw,2019-06-01,,\n"
)
PROVIDERS_CSV = b"provider_id,name,kind\nP1,Werkbedrijf,sw_bedrijf\nP2,Leerwerk,onderwijs\n"
INSTRUMENTS_CSV = b"instrument_code,name,price_eur\nLKS,Loonkostensubsidie,1200.50\n"

# One valid row per file, so that every numeric column can be tried in a valid folder.
ONE_ROW = {
    "consultants.csv": {"consultant_id": "K1", "name": "Anna"},
    "clients.csv": {"client_id": "C1", "birth_date": "1980-01-01", "consultant_id": "K1"},
    "providers.csv": {"provider_id": "P1", "name": "Werkbedrijf"},
    "instruments.csv": {"instrument_code": "LKS", "price_eur": "100"},
    "employers.csv": {"employer_id": "E1", "name": "Bakkerij"},
    "vacancies.csv": {
        "vacancy_id": "V1",
        "employer_id": "E1",
        "open_date": "2019-01-01",
        "hours_per_week": "32",
    },
    "benefits.csv": {"benefit_id": "B1", "client_id": "C1", "regulation": "pw", "start_date": "2019-01-01"},
    "diagnoses.csv": {
        "diagnosis_id": "D1",
        "client_id": "C1",
        "date": "2019-02-01",
        "months_to_work": "12",
        "ladder_step": "2",
        "ladder_target": "4",
        "wage_value_pct": "50",
    },
    "contacts.csv": {"contact_id": "K01", "client_id": "C1", "date": "2019-02-01"},
    "trajectories.csv": {
        "trajectory_id": "T1",
        "client_id": "C1",
        "instrument_code": "LKS",
        "provider_id": "P1",
        "referral_date": "2019-02-01",
        "cost_eur": "10",
    },
    "client_profiles.csv": {"client_id": "C1", "hours_available": "24", "max_travel_km": "15"},
    "placements.csv": {
        "placement_id": "PL1",
        "client_id": "C1",
        "employer_id": "E1",
        "start_date": "2019-06-01",
        "hours_per_week": "20",
        "wage_value_pct": "70",
    },
    "measures.csv": {
        "measure_id": "M1",
        "client_id": "C1",
        "date": "2019-03-01",
        "percentage": "10",
        "months": "1",
    },
    "postcodes.csv": {"postcode4": "5611", "lat": "51.4", "lon": "5.4"},
    "payments.csv": {
        "payment_id": "PAY1",
        "client_id": "C1",
        "date": "2019-03-01",
        "amount_eur": "10",
        "trajectory_id": "T1",
    },
    "budgets.csv": {"budget_id": "BU1", "year": "2019", "line": "trajecten", "amount_eur": "10"},
}
NUMERIC = [
    (spec, column) for spec in FILES for column in spec.all_columns if column.kind in ("int", "decimal")
]


def all_models():
    """Every table an import writes to, with the history tables beside them."""
    for spec in FILES:
        model = apps.get_model(spec.model_label)
        yield model
        if hasattr(model, "history"):
            yield model.history.model


def stored_rows() -> dict[str, int]:
    return {m._meta.label: n for m in all_models() if (n := m.objects.count())}


def folder_of(tmp_path: Path, files: dict[str, bytes], name: str = "map") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for filename, content in {"clients.csv": CLIENTS_CSV, "benefits.csv": BENEFITS_CSV, **files}.items():
        (folder / filename).write_bytes(content)
    return folder


def refused(folder: Path) -> list[str]:
    """The error messages of a refused import, after checking that nothing was written."""
    started = time.perf_counter()
    with pytest.raises(ImportRefused) as refusal:
        import_folder(folder)
    seconds = time.perf_counter() - started
    assert stored_rows() == {}
    assert ImportRun.objects.get().status == "geweigerd"
    assert seconds < 1.0, f"weigeren duurde {seconds:.2f} s"
    return [str(p) for p in refusal.value.problems if not p.warning]


def assert_refused_at(folder: Path, location: str, *words: str) -> list[str]:
    errors = refused(folder)
    hits = [e for e in errors if e.startswith(location + ": ")]
    assert hits, errors
    assert any(all(w in e for w in words) for e in hits), errors
    return errors


# --- bytes that are not text ---------------------------------------------------------


def test_a_nul_byte_in_a_text_field_is_refused(tmp_path):
    # Stored silently on SQLite, a traceback on PostgreSQL ("cannot contain NUL").
    providers = PROVIDERS_CSV.replace(b"Werkbedrijf", b"Werk\x00bedrijf")
    assert_refused_at(folder_of(tmp_path, {"providers.csv": providers}), "providers.csv:2", "NUL")


def test_a_nul_byte_in_a_checked_field_is_reported_without_the_byte(tmp_path):
    # The message itself is stored in the import log: a raw NUL in it broke PostgreSQL.
    errors = assert_refused_at(
        folder_of(tmp_path, {"clients.csv": CLIENTS_CSV.replace(b"C2,,", b"C2,\x00,")}),
        "clients.csv:3",
        "NUL",
    )
    assert not any("\x00" in e for e in errors)
    assert "\x00" not in ImportRun.objects.get().problems


def test_a_control_character_is_refused(tmp_path):
    # An escape character in a name reaches terminals, and XML (so XLSX) refuses it.
    providers = PROVIDERS_CSV.replace(b"Leerwerk", b"Leer\x1b[31mwerk")
    assert_refused_at(folder_of(tmp_path, {"providers.csv": providers}), "providers.csv:3", "0x1B")


@pytest.mark.parametrize(
    ("case", "content", "location", "word"),
    [
        (
            "latin-1",
            CLIENTS_CSV + b"C3,,1990-05-01,man\n" + "C4,,1991-05-01,José\n".encode("latin-1"),
            "clients.csv:5",
            "Windows-1252",
        ),
        (
            "invalid utf-8 mid-file",
            CLIENTS_CSV.replace(b"vrouw", b"vr\xffouw") + b"C3,,1990-05-01,man\n",
            "clients.csv:2",
            "UTF-8",
        ),
        ("utf-16 with BOM", CLIENTS_CSV.decode().encode("utf-16"), "clients.csv:1", "UTF-16"),
        ("utf-16 without BOM", CLIENTS_CSV.decode().encode("utf-16-le"), "clients.csv:1", "UTF-16"),
        ("excel workbook", b"PK\x03\x04" + bytes(range(256)) * 4, "clients.csv:1", "Excel"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else "",
)
def test_a_file_not_in_utf8_is_refused_at_its_line(tmp_path, case, content, location, word):
    assert_refused_at(folder_of(tmp_path, {"clients.csv": content}), location, word)


def test_a_latin1_file_is_reported_in_a_few_lines_not_thousands(tmp_path):
    rows = "".join(f"P{i},Café {i},sw_bedrijf\n" for i in range(5000))
    content = ("provider_id,name,kind\n" + rows).encode("latin-1")
    errors = refused(folder_of(tmp_path, {"providers.csv": content}))
    assert len(errors) == 11, errors
    assert errors[-1].startswith("providers.csv:12: nog 4990 regel(s)")


# --- quoting ---------------------------------------------------------------------------


def test_an_unclosed_quote_at_the_end_is_refused(tmp_path):
    # Python's csv module reads the open field to the end of the file and keeps it.
    providers = PROVIDERS_CSV + b'P3,"Jobcoach Noord,wsp\n'
    assert_refused_at(folder_of(tmp_path, {"providers.csv": providers}), "providers.csv:4", "aanhalingsteken")


def test_an_unclosed_quote_mid_file_is_refused_where_it_opens(tmp_path):
    # Without the check, P1 is stored with the next lines as its name and P2 is lost.
    providers = b'provider_id,name,kind\nP1,"Werkbedrijf,sw_bedrijf\nP2,Leerwerk,onderwijs\nP3,Jobcoach,wsp\n'
    assert_refused_at(folder_of(tmp_path, {"providers.csv": providers}), "providers.csv:2", "aanhalingsteken")


def test_an_unclosed_quote_that_a_later_quote_seems_to_close_is_refused(tmp_path):
    providers = (
        b'provider_id,name,kind\nP1,"Werkbedrijf,sw_bedrijf\nP2,"Leerwerk",onderwijs\nP3,Jobcoach,wsp\n'
    )
    assert_refused_at(
        folder_of(tmp_path, {"providers.csv": providers}), "providers.csv:2", "aanhalingsteken", "regel 3"
    )


def test_a_line_break_inside_an_id_is_refused(tmp_path):
    clients = CLIENTS_CSV + b'"C\n3",,1990-05-01,man\n'
    assert_refused_at(folder_of(tmp_path, {"clients.csv": clients}), "clients.csv:4", "regeleinde")


def test_a_field_beyond_the_csv_size_limit_is_refused_at_its_line(tmp_path):
    clients = CLIENTS_CSV + b"C3,,1990-05-01,man," + b"x" * 200_000 + b"\n"
    assert_refused_at(folder_of(tmp_path, {"clients.csv": clients}), "clients.csv:4", "131072")


def test_a_line_too_long_to_read_is_refused_at_its_line(tmp_path):
    # Many small fields: within the csv module's field limit, but a line without end.
    clients = CLIENTS_CSV + b"C3,,1990-05-01,man" + b",x" * (MAX_LINE_CHARS // 2 + 1) + b"\n"
    assert_refused_at(folder_of(tmp_path, {"clients.csv": clients}), "clients.csv:4", "langer dan")


# --- numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "content", "location"),
    [
        (
            "diagnoses.csv",
            b"diagnosis_id,client_id,date,ladder_step\nD1,C1,2019-02-01,1e10000000\n",
            "diagnoses.csv:2",
        ),
        ("instruments.csv", b"instrument_code,price_eur\nLKS,1e10000000\n", "instruments.csv:2"),
        ("instruments.csv", b"instrument_code,price_eur\nLKS,-1e10000000\n", "instruments.csv:2"),
        ("instruments.csv", b"instrument_code,price_eur\nLKS,1e-999999999999999999\n", None),
        ("instruments.csv", b"instrument_code,price_eur\nLKS,1e-99999999999999999999\n", "instruments.csv:2"),
    ],
    ids=["int 1e10000000", "decimal 1e10000000", "decimal -1e10000000", "tiny", "exponent beyond Decimal"],
)
def test_numbers_with_huge_exponents_are_handled_at_once(tmp_path, filename, content, location):
    # int(Decimal('1e10000000')) builds ten million digits: the import hung for minutes.
    folder = folder_of(tmp_path, {filename: content})
    if location is None:
        started = time.perf_counter()
        import_folder(folder)  # a tiny positive price rounds to 0.00, with a warning
        assert time.perf_counter() - started < 1.0
        assert Instrument.objects.get().price_eur == 0
    else:
        assert_refused_at(folder, location)


def test_a_price_beyond_the_column_is_refused(tmp_path):
    # numeric(12, 2): PostgreSQL raised mid-COPY, SQLite stored it and every read failed.
    instruments = b"instrument_code,price_eur\nLKS,12345678901.00\n"
    assert_refused_at(
        folder_of(tmp_path, {"instruments.csv": instruments}),
        "instruments.csv:2",
        "price_eur",
        "9999999999.99",
    )


def _unit(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


@pytest.mark.parametrize(("spec", "column"), NUMERIC, ids=[f"{s.filename[:-4]}.{c.name}" for s, c in NUMERIC])
def test_every_numeric_column_holds_its_bounds_and_refuses_beyond(interchange_folder, spec, column):
    limits = number_limits(spec, column)
    unit = _unit(limits.places)

    def folder_with(value: Decimal, name: str) -> Path:
        files = {filename: [dict(row)] for filename, row in ONE_ROW.items()}
        files[spec.filename][0][column.name] = f"{value:f}"
        return interchange_folder(files, name)

    for beyond, label in ((limits.high + unit, "boven"), (limits.low - unit, "onder")):
        errors = refused(folder_with(beyond, label))
        assert any(e.startswith(f"{spec.filename}:2: {column.name}: ") for e in errors), errors
        ImportRun.objects.all().delete()
    for bound in (limits.low, limits.high):
        import_folder(folder_with(bound, f"grens{bound}"))
        model = apps.get_model(spec.model_label)
        assert Decimal(model.objects.values_list(column.model_attr, flat=True).get()) == bound


def test_more_decimals_than_the_column_keeps_are_rounded_the_same_everywhere(tmp_path):
    # SQLite stored 1.005 as 1.00 (a binary float), PostgreSQL as 1.01.
    instruments = b"instrument_code,price_eur\nLKS,1.005\nWEP,2.675\n"
    report = import_folder(folder_of(tmp_path, {"instruments.csv": instruments}))
    assert dict(Instrument.objects.values_list("pk", "price_eur")) == {
        "LKS": Decimal("1.01"),
        "WEP": Decimal("2.68"),
    }
    assert [str(w) for w in report.warnings if "afgerond" in str(w)] == [
        "instruments.csv:2: waarschuwing: price_eur: '1.005' afgerond op 1.01 (2 decimalen)",
        "instruments.csv:3: waarschuwing: price_eur: '2.675' afgerond op 2.68 (2 decimalen)",
    ]


@pytest.mark.parametrize("text", ["1_000", "١٢", "Infinity", '"1,5"', "0x10", "1.5.1"])
def test_only_plain_decimal_numbers_are_numbers(tmp_path, text):
    instruments = f"instrument_code,price_eur\nLKS,{text}\n".encode()
    assert_refused_at(
        folder_of(tmp_path, {"instruments.csv": instruments}), "instruments.csv:2", "geen getal"
    )


# --- headers -------------------------------------------------------------------------


def test_unnamed_and_repeated_extra_columns_are_ignored(tmp_path):
    # A trailing comma in Excel's export gives empty header cells; extra columns are allowed.
    clients = b"client_id,birth_date,opmerking,opmerking,,\nC1,1980-01-01,a,b,,\nC2,1990-05-01,,,,\n"
    import_folder(folder_of(tmp_path, {"clients.csv": clients}))
    assert stored_rows()["clients.Client"] == 2


def test_a_doubled_byte_order_mark_is_accepted(tmp_path):
    import_folder(folder_of(tmp_path, {"clients.csv": b"\xef\xbb\xbf\xef\xbb\xbf" + CLIENTS_CSV}))
    assert stored_rows()["clients.Client"] == 2


# Inputs that were already handled; kept here so that the new reader keeps them.
@pytest.mark.parametrize(
    ("case", "content", "location"),
    [
        ("empty file", b"", "clients.csv:1"),
        (
            "duplicate known column",
            b"client_id,birth_date,birth_date\nC1,1980-01-01,1981-01-01\n",
            "clients.csv:1",
        ),
        ("year 0", CLIENTS_CSV + b"C3,,0000-05-01,man\n", "clients.csv:4"),
        ("year 99999", CLIENTS_CSV + b"C3,,99999-05-01,man\n", "clients.csv:4"),
        ("negative year", CLIENTS_CSV + b"C3,,-2000-05-01,man\n", "clients.csv:4"),
        ("id beyond max_length", CLIENTS_CSV + b"C" * 65 + b",,1990-05-01,man\n", "clients.csv:4"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else "",
)
def test_already_refused_inputs_stay_refused(tmp_path, case, content, location):
    assert_refused_at(folder_of(tmp_path, {"clients.csv": content}), location)


def test_crlf_bom_and_line_breaks_inside_quotes_still_import(tmp_path):
    providers = b'\xef\xbb\xbfprovider_id,name,kind\r\nP1,"Werk\r\nbedrijf",sw_bedrijf\r\nP2,"Leer ""werk""",onderwijs\r\n'
    clients = b"\xef\xbb\xbf" + CLIENTS_CSV.replace(b"\n", b"\r\n")
    report = import_folder(folder_of(tmp_path, {"clients.csv": clients, "providers.csv": providers}))
    assert dict(Provider.objects.values_list("pk", "name")) == {"P1": "Werk\r\nbedrijf", "P2": 'Leer "werk"'}
    assert stored_rows()["clients.Client"] == 2 and report.warnings == []


def test_a_line_break_inside_quotes_keeps_later_line_numbers_physical(tmp_path):
    providers = b'provider_id,name,kind\nP1,"Werk\nbedrijf",sw_bedrijf\nP2,Leerwerk,gemeentes\n'
    assert_refused_at(folder_of(tmp_path, {"providers.csv": providers}), "providers.csv:4", "kind")


# --- the command line ----------------------------------------------------------------


@pytest.fixture
def cli_database(tmp_path, request):
    """`trede` in a fresh process on the test's own database (PostgreSQL) or a migrated copy."""
    if connection.vendor == "postgresql":
        request.getfixturevalue("transactional_db")
        s = connection.settings_dict
        url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
        env = _env(tmp_path, tmp_path / "unused.sqlite3")
        env["DATABASE_URL"] = url
    else:
        database = tmp_path / "cli.sqlite3"
        shutil.copy(request.getfixturevalue("migrated_database"), database)
        env = _env(tmp_path, database)
    workdir = tmp_path / "elders"
    workdir.mkdir()
    return lambda *args: trede(*args, env=env, cwd=workdir)


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory):
    folder = tmp_path_factory.mktemp("migrated")
    result = trede("migrate", "-v", "0", env=_env(folder, folder / "db.sqlite3"), cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "db.sqlite3"


CLI_CASES = [
    (
        "NUL",
        {"providers.csv": PROVIDERS_CSV.replace(b"Werkbedrijf", b"Werk\x00bedrijf")},
        "providers.csv:2: ",
    ),
    ("open quote", {"providers.csv": PROVIDERS_CSV + b'P3,"Jobcoach,wsp\n'}, "providers.csv:4: "),
    (
        "1e10000000",
        {"diagnoses.csv": b"diagnosis_id,client_id,date,ladder_step\nD1,C1,2019-02-01,1e10000000\n"},
        "diagnoses.csv:2: ",
    ),
    ("price", {"instruments.csv": b"instrument_code,price_eur\nLKS,1e10000000\n"}, "instruments.csv:2: "),
    (
        "latin-1",
        {"clients.csv": CLIENTS_CSV + "C3,,1990-05-01,man,Zoë\n".encode("latin-1")},
        "clients.csv:4: ",
    ),
]


@pytest.mark.parametrize(("case", "files", "location"), CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_cli_refuses_with_exit_1_file_line_and_writes_nothing(cli_database, tmp_path, case, files, location):
    folder = folder_of(tmp_path, {**files, "instruments.csv": files.get("instruments.csv", INSTRUMENTS_CSV)})
    started = time.perf_counter()
    result = cli_database("import", str(folder))
    seconds = time.perf_counter() - started
    assert result.returncode == 1, result.stderr
    assert any(line.startswith(location) for line in result.stderr.splitlines()), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert seconds < 15, seconds  # process start and Django setup included; it hung for minutes
    out = tmp_path / "export"
    assert cli_database("export", str(out)).returncode == 0
    for spec in FILES:  # every exported file holds its header and nothing else
        assert len((out / spec.filename).read_text(encoding="utf-8").splitlines()) == 1, spec.filename


# --- anything appended or inserted ---------------------------------------------------

VALID_FOLDER = {
    "clients.csv": CLIENTS,
    "benefits.csv": BENEFITS,
    "instruments.csv": INSTRUMENTS,
    "providers.csv": PROVIDERS,
}
JUNK = st.one_of(
    st.binary(min_size=1, max_size=40),
    st.sampled_from(
        [b"\x00", b'"', b'\n"', b"\r", b"\xff", b"\xe9", b"\xef\xbb\xbf", b",,,", b"1e999999", b"\x1b"]
    ),
    st.text(max_size=20).map(str.encode),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    target=st.sampled_from(sorted(VALID_FOLDER)),
    junk=st.lists(st.tuples(st.floats(0, 1), JUNK), min_size=1, max_size=3),
)
def test_junk_anywhere_imports_or_is_refused_with_file_line_and_writes_nothing(target, junk):
    with tempfile.TemporaryDirectory() as tmp, transaction.atomic():
        folder = write_folder(Path(tmp) / "map", VALID_FOLDER)
        path = folder / target
        content = path.read_bytes()
        for where, piece in junk:
            at = int(where * len(content))
            content = content[:at] + piece + content[at:]
        path.write_bytes(content)
        try:
            import_folder(folder)
        except ImportRefused as refusal:
            errors = [p for p in refusal.problems if not p.warning]
            assert errors
            for problem in errors:
                assert problem.filename in FILES_BY_NAME and problem.line >= 1, str(problem)
                assert str(problem).startswith(f"{problem.filename}:{problem.line}: ")
                # the message goes to stderr and to the import log: printable, encodable
                problem.message.encode("utf-8")
                assert "\x00" not in problem.message
            assert stored_rows() == {}
        transaction.set_rollback(True)
