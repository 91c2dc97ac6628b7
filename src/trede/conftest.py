"""Shared test helpers: write small interchange folders."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest


def write_folder(folder: Path, files: dict[str, list[dict]]) -> Path:
    """Write {filename: [row dicts]} as interchange CSVs (columns from the first row)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        columns: list[str] = []
        for row in rows:
            columns.extend(k for k in row if k not in columns)
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return folder


@pytest.fixture
def interchange_folder(tmp_path):
    def make(files: dict[str, list[dict]], name: str = "export") -> Path:
        return write_folder(tmp_path / name, files)

    return make
