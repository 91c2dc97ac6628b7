"""One generated municipality shared by the test modules (generating takes a few seconds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from trede.synthetic.generator import generate

CLIENTS = 5000
YEARS = 8
SEED = 11
END = date(2026, 1, 1)


@dataclass(frozen=True)
class Generated:
    folder: Path
    summary: dict
    clients: int
    years: int
    seed: int
    end: date


@pytest.fixture(scope="session")
def municipality(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    folder = tmp_path_factory.mktemp("municipality")
    summary = generate(folder, clients=CLIENTS, years=YEARS, seed=SEED, end_date=END)
    return Generated(folder, summary, CLIENTS, YEARS, SEED, END)
