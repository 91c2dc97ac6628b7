"""docs/interchange.md documents the format exactly as schema.py declares it: every file
and column, in order, with its kind, whether it is required, its codes and its range, and
nothing the schema does not have."""

from __future__ import annotations

import re
from pathlib import Path

from trede.interchange.schema import FILES, Column

DOC = Path(__file__).resolve().parents[4] / "docs" / "interchange.md"

KIND = {
    "id": "id",
    "ref": "verwijzing",
    "soft_ref": "zachte verwijzing",
    "date": "datum",
    "code": "code",
    "int": "geheel getal",
    "decimal": "getal",
    "bool01": "0/1",
    "bsn": "BSN",
    "text": "tekst",
    "list": "lijst",
}
HEADING = re.compile(r"^### `([a-z_]+\.csv)`\s*$")
ROW = re.compile(r"^\| `([a-z_0-9]+)` \|")


def documented() -> dict[str, dict[str, list[str]]]:
    """{file: {column: [soort, verplicht, waarden, betekenis]}} from the section
    "Bestanden en kolommen", in the document's order."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Bestanden en kolommen", 1)[1].split("\n## ", 1)[0]
    files: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in section.splitlines():
        heading = HEADING.match(line)
        if heading:
            current = files.setdefault(heading.group(1), {})
            continue
        row = ROW.match(line)
        if row:
            assert current is not None, line
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            assert len(cells) == 5, line
            assert row.group(1) not in current, f"{row.group(1)} staat twee keer"
            current[row.group(1)] = cells[1:]
    return files


def _range(column: Column) -> str:
    if column.low is not None and column.high is not None:
        return f"{column.low} t/m {column.high}"
    if column.low is not None:
        return f"≥ {column.low}"
    return ""


def test_every_file_of_the_schema_is_documented_and_nothing_else():
    assert list(documented()) == [spec.filename for spec in FILES]


def test_every_column_is_documented_as_the_schema_declares_it():
    docs = documented()
    for spec in FILES:
        columns = docs[spec.filename]
        assert list(columns) == [c.name for c in spec.all_columns], spec.filename
        for column in spec.all_columns:
            kind, required, values, meaning = columns[column.name]
            where = f"{spec.filename} {column.name}"
            expected_kind = KIND[column.kind]
            if column.kind in ("ref", "soft_ref"):
                expected_kind += f" naar `{column.target}`"
            assert kind == expected_kind, where
            assert required == ("ja" if column.required else ""), where
            if column.codes:
                assert re.findall(r"`([^`]+)`", values) == list(column.codes), where
            elif _range(column):
                assert values == _range(column), where
            if column in spec.extension_columns:
                assert meaning.startswith("Trede-uitbreiding"), where


def test_the_key_of_every_file_is_named():
    text = DOC.read_text(encoding="utf-8")
    for spec in FILES:
        block = text.split(f"### `{spec.filename}`", 1)[1].split("\n| kolom", 1)[0]
        assert f"Sleutel: `{spec.id_column}`." in block, spec.filename


def test_the_readme_points_to_the_projects_own_document():
    readme = (DOC.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "docs/interchange.md" in readme
    assert "shared/interchange.md" not in readme
