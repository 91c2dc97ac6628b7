"""`trede report council`: the contract of docs/interchange.md, checked against counts
made here by hand from the factory rows (not through the monitor's SQL)."""

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from trede.benefits.tests.factories import BenefitFactory
from trede.clients.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

Q_START = date(2025, 4, 1)


def age_band(birth: date, day: date) -> str:
    age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    for top, band in ((20, "<=20"), (30, "21-30"), (40, "31-40"), (50, "41-50"), (60, "51-60")):
        if age <= top:
            return band
    return ">=61"


@pytest.fixture
def people():
    """12 Participatiewet clients aged 44 on 1 April and 7 of 57, 3 IOAW clients of 55 (a small cell),
    2 PW inflows in May, 1 outflow to work in June."""
    made = []
    for n in range(12):
        made.append(
            ClientFactory(birth_date=date(1980, 6, 15), given_name=f"Zwaantje{n}", family_name="Oosterbroek")
        )
        BenefitFactory(
            client=made[-1], regulation="pw", start_date=date(2023, 1, 1), end_date=None, end_reason=""
        )
    for _n in range(7):
        made.append(
            ClientFactory(birth_date=date(1968, 1, 9), given_name=f"Gerbrich{_n}", family_name="Tjalsma")
        )
        BenefitFactory(
            client=made[-1], regulation="pw", start_date=date(2024, 1, 1), end_date=None, end_reason=""
        )
    for n in range(3):
        made.append(
            ClientFactory(birth_date=date(1969, 11, 2), given_name=f"Hieke{n}", family_name="Wolterink")
        )
        BenefitFactory(
            client=made[-1], regulation="ioaw", start_date=date(2024, 3, 1), end_date=None, end_reason=""
        )
    for day in (date(2025, 5, 6), date(2025, 5, 20)):
        made.append(ClientFactory(birth_date=date(1995, 2, 1), given_name="Jildou", family_name="Hoekstra"))
        BenefitFactory(client=made[-1], regulation="pw", start_date=day, end_date=None, end_reason="")
    made.append(ClientFactory(birth_date=date(1990, 3, 3), given_name="Sjoukje", family_name="Dijkstra"))
    BenefitFactory(
        client=made[-1],
        regulation="pw",
        start_date=date(2022, 1, 1),
        end_date=date(2025, 6, 10),
        end_reason="werk",
    )
    return made


def run(tmp_path, quarter="2025-Q2", out=None):
    stdout = StringIO()
    out = out or tmp_path / "rapport"
    call_command("report", "council", "--quarter", quarter, "--out", str(out), "--json", stdout=stdout)
    return json.loads(stdout.getvalue())


def test_json_shape_is_the_contract(people, tmp_path):
    result = run(tmp_path)
    assert set(result) == {"quarter", "files", "tables"} and result["quarter"] == "2025-Q2"
    assert len(result["files"]) == 2 and {Path(f).suffix for f in result["files"]} == {".html", ".pdf"}
    assert all(Path(f).is_absolute() and Path(f).is_file() for f in result["files"])
    ids = [t["id"] for t in result["tables"]]
    assert len(ids) == len(set(ids)) and "bestand_begin_age" in ids and "uitstroom_reden" in ids
    for table in result["tables"]:
        assert set(table) == {"id", "title", "columns", "rows", "total_column", "total_row"}
        assert isinstance(table["title"], str) and table["title"]
        for row in table["rows"]:
            assert set(row) == {"label", "values"} and len(row["values"]) == len(table["columns"])
            for v in row["values"]:
                assert v is None or v in ("<5", "x") or (type(v) is int and v >= 0)
                assert not (type(v) is int and 1 <= v <= 4)  # small counts never shown
        if table["total_column"] is not None:
            assert table["columns"][table["total_column"]] == "Totaal"
        if table["total_row"] is not None:
            assert table["rows"][table["total_row"]]["label"] == "Totaal"


def test_counts_match_a_hand_count_and_totals_add_up(people, tmp_path):
    result = {t["id"]: t for t in run(tmp_path)["tables"]}
    # Hand count of the stock on the first day of the quarter, regulation x age band.
    expected: dict[tuple[str, str], int] = {}
    for client in people:
        for benefit in client.benefits.all():
            if benefit.start_date <= Q_START and (benefit.end_date is None or benefit.end_date > Q_START):
                key = (benefit.regulation, age_band(client.birth_date, Q_START))
                expected[key] = expected.get(key, 0) + 1
    table = result["bestand_begin_age"]
    rows = {r["label"]: r["values"] for r in table["rows"]}
    codes = {"Participatiewet": "pw", "IOAW": "ioaw", "IOAZ": "ioaz", "Bbz": "bbz"}
    for label, code in codes.items():
        for j, band in enumerate(table["columns"][: table["total_column"]]):
            truth, shown = expected.get((code, band), 0), rows[label][j]
            assert shown == truth or (shown == "<5" and 1 <= truth <= 4) or (shown == "x" and truth > 0)
    assert rows["Participatiewet"][table["columns"].index("41-50")] == 12
    assert rows["IOAW"][table["columns"].index("51-60")] == "<5"  # 3 people
    assert rows["Totaal"][table["total_column"]] == sum(expected.values())
    # With one small cell in a row and a column, complementary cells are hidden too.
    assert sum(v == "x" for r in table["rows"] for v in r["values"]) >= 1
    # Inflow: 2 new PW benefits in May (a small cell).
    inflow = {r["label"]: r["values"] for r in result["instroom"]["rows"]}
    assert inflow["Participatiewet"][result["instroom"]["columns"].index("mei")] == "<5"
    # Every line without hidden cells adds up to its total (null counts as 0).
    for t in result.values():
        tc, tr = t["total_column"], t["total_row"]
        for r in t["rows"]:
            vals = r["values"]
            if tc is not None and not any(isinstance(v, str) for v in vals):
                assert sum(v or 0 for k, v in enumerate(vals) if k != tc) == vals[tc]
        if tr is not None:
            for j in range(len(t["columns"])):
                column = [r["values"][j] for r in t["rows"]]
                if not any(isinstance(v, str) for v in column):
                    assert sum(v or 0 for k, v in enumerate(column) if k != tr) == column[tr]


def test_no_personal_data_and_a_real_pdf(people, tmp_path):
    result = run(tmp_path)
    html_file = next(f for f in result["files"] if f.endswith(".html"))
    pdf_file = next(f for f in result["files"] if f.endswith(".pdf"))
    html = Path(html_file).read_text(encoding="utf-8")
    text = html + json.dumps(result)
    for client in people:
        for personal in (client.given_name, client.family_name, client.bsn, client.client_id):
            assert personal and personal not in text
        assert client.birth_date.isoformat() not in text
        assert client.birth_date.strftime("%d-%m-%Y") not in text
    assert "Raadsrapportage" in html and "<svg" in html
    assert Path(pdf_file).read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("quarter", ["2025-Q5", "2025Q1", "25-Q1", "2025-Q0", ""])
def test_a_wrong_quarter_is_refused_in_dutch_with_exit_code_2(quarter, tmp_path):
    with pytest.raises(CommandError) as refused:
        run(tmp_path, quarter=quarter)
    assert refused.value.returncode == 2 and "kwartaal" in str(refused.value)
    assert not (tmp_path / "rapport").exists()


def test_the_folder_is_made_when_missing(tmp_path):
    out = tmp_path / "a" / "b"
    result = run(tmp_path, quarter="2024-Q4", out=out)
    assert out.is_dir() and all(Path(f).parent == out.resolve() for f in result["files"])


def test_a_successful_run_leaves_only_the_two_files(people, tmp_path):
    out = tmp_path / "rapport"
    run(tmp_path, out=out)
    assert sorted(p.name for p in out.iterdir()) == [
        "raadsrapportage-2025-Q2.html",
        "raadsrapportage-2025-Q2.pdf",
    ]


def _pdf_fails(monkeypatch):
    from weasyprint import HTML

    def broken(self, target=None, **kwargs):
        raise OSError("libpango-1.0.so.0: cannot open shared object file")

    monkeypatch.setattr(HTML, "write_pdf", broken)


def _trede(argv, monkeypatch, capsys) -> tuple[int, str, str]:
    """Runs the command as `trede report council …` does (argv, stderr, exit code)."""
    from django.core.management import execute_from_command_line
    from django.db import connections

    # run_from_argv closes every connection afterwards; the test's transaction needs its own.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["trede", *argv])
    captured = capsys.readouterr()
    return exited.value.code, captured.out, captured.err


@pytest.mark.parametrize("existing", [False, True])
def test_a_pdf_failure_leaves_nothing_and_exits_non_zero_in_dutch(
    people, tmp_path, monkeypatch, capsys, existing
):
    out = tmp_path / "rapport"
    if existing:  # a folder that is there already, with another file in it
        out.mkdir()
        (out / "notitie.txt").write_text("van iemand anders", encoding="utf-8")
    _pdf_fails(monkeypatch)
    code, stdout, stderr = _trede(
        ["report", "council", "--quarter", "2025-Q2", "--out", str(out), "--json"], monkeypatch, capsys
    )
    assert code not in (0, None)
    assert stdout == ""
    assert "De raadsrapportage is niet geschreven: de PDF maken mislukte" in stderr and "libpango" in stderr
    if existing:
        assert [p.name for p in out.iterdir()] == ["notitie.txt"]  # no HTML, no PDF, no temporary folder
    else:
        assert not out.exists()  # the folder this run made is gone again


def test_a_pdf_failure_keeps_the_files_of_an_earlier_run(people, tmp_path, monkeypatch):
    out = tmp_path / "rapport"
    first = {Path(f).name: Path(f).read_bytes() for f in run(tmp_path, out=out)["files"]}
    _pdf_fails(monkeypatch)
    with pytest.raises(CommandError) as refused:
        run(tmp_path, out=out)
    assert refused.value.returncode == 1 and "niet geschreven" in str(refused.value)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
