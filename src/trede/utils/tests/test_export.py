"""One download helper: CSV as Dutch Excel opens it, XLSX, and formula injection neutralised."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from trede.utils.dutch import format_number, format_percent
from trede.utils.export import csv_cell, neutralise, table_response, write_csv, write_xlsx

HEADER = ["naam", "aantal", "aandeel", "saldo", "op", "tijdstip", "heel_jaar"]
ROWS = [
    [
        '=HYPERLINK("http://x")',
        1234,
        0.3333,
        -12,
        date(2024, 6, 30),
        datetime(2024, 1, 15, 11, 30, tzinfo=UTC),
        True,
    ],
    ["-2+3", 0, Decimal("8.00"), -0.5, None, datetime(2024, 7, 1, 22, 0, tzinfo=UTC), False],
    ["@SUM(A1)", 5, float("nan"), 3, None, None, None],
    ["\tx", 7, 1e-7, 0, None, None, None],
    ["+31 6 1234", 8, 2.5, 0, None, None, None],
    ["Zoë d'Ancona", 9, 1.0, 0, None, None, None],
]


def _read_csv(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_csv_is_what_dutch_excel_expects(settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    rows = _read_csv(write_csv(HEADER, ROWS))
    assert rows[0] == HEADER
    first, second = rows[1], rows[2]
    assert first[1] == "1234"  # no thousands separator: stays a number
    assert first[2] == "0,3333" and second[2] == "8,00"  # decimal comma; a Decimal keeps its places
    assert first[3] == "-12" and second[3] == "-0,5"  # real negative numbers stay numbers
    assert first[4] == "2024-06-30"
    assert first[5] == "2024-01-15 12:30:00"  # winter: UTC+1
    assert second[5] == "2024-07-02 00:00:00"  # summer: UTC+2, the next day locally
    assert (first[6], second[6]) == ("ja", "nee")
    assert rows[3][2] == "" and rows[4][2] == "0,0000001"
    assert rows[6][0] == "Zoë d'Ancona"


def test_formula_cells_are_neutralised_in_csv_and_xlsx():
    rows = _read_csv(write_csv(HEADER, ROWS))
    assert [r[0] for r in rows[1:6]] == [
        '\'=HYPERLINK("http://x")',
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "'+31 6 1234",
    ]
    sheet = load_workbook(io.BytesIO(write_xlsx(HEADER, ROWS))).active
    values = list(sheet.iter_rows(values_only=True))
    assert [v[0] for v in values[1:6]] == [
        '\'=HYPERLINK("http://x")',
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "'+31 6 1234",
    ]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@given(st.text(max_size=20))
def test_no_text_cell_starts_a_formula(text):
    cell = csv_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell in (text, "'" + text)


def test_xlsx_keeps_numbers_and_dates_as_cells(settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    sheet = load_workbook(io.BytesIO(write_xlsx(HEADER, ROWS, sheet="a/b:c"))).active
    assert sheet.title == "a-b-c"
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == tuple(HEADER)
    assert values[1][1:5] == (1234, 0.3333, -12, datetime(2024, 6, 30))
    assert values[1][5] == datetime(2024, 1, 15, 12, 30)  # local time, no zone
    assert values[2][2] == 8 and values[2][3] == -0.5


@pytest.mark.parametrize("fmt,kind,ext", [(None, "text/csv", "csv"), ("xlsx", "spreadsheetml", "xlsx")])
def test_table_response_follows_formaat(fmt, kind, ext):
    request = RequestFactory().get("/x", {"formaat": fmt} if fmt else {})
    response = table_response(request, filename="tabel 1/2", header=["a"], rows=[[1]])
    assert kind in response["Content-Type"]
    assert response["Content-Disposition"] == f'attachment; filename="tabel_1_2.{ext}"'


def test_unknown_format_is_not_found():
    from django.http import Http404

    with pytest.raises(Http404):
        table_response(RequestFactory().get("/x", {"formaat": "pdf"}), filename="t", header=["a"], rows=[])


def test_neutralise_leaves_ordinary_text_alone():
    assert neutralise("Werkervaringsplaats") == "Werkervaringsplaats"
    assert neutralise("<5") == "<5"


def test_one_dutch_number_formatter():
    assert format_number(12345.678, 2) == "12.345,68"
    assert format_number(-3) == "\u22123" and format_number(-3, minus="-") == "-3"
    assert format_number(5, sign=True) == "+5" and format_number(0, sign=True) == "0"
    assert format_number(None) == "–" and format_number(float("nan")) == "–"
    assert format_number(Decimal("24.50"), None) == "24,5" and format_number(Decimal("24.00"), None) == "24"
    assert format_number(34.26, -1) == "34,3" and format_number(34.0, -1) == "34"
    assert format_number(-0.001, 2) == "0,00"  # no "−0,00"
    assert format_percent(0.1213) == "12,1%" and format_percent(None) == "–"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_read_back(n):
    text = format_number(n, minus="-")
    assert int(text.replace(".", "")) == n


def test_template_filter_is_dutch_whatever_the_language():
    from django.template import Context, Template
    from django.utils import translation

    template = Template(
        '{% load trede_dutch %}{{ a|getal:"-1" }} {{ b|getal }} {{ c|procent:1 }} {{ d|getal:2 }}'
    )
    with translation.override("en"):
        text = template.render(Context({"a": Decimal("24.5"), "b": 12345, "c": 0.1213, "d": None}))
    assert text == "24,5 12.345 12,1% –"
