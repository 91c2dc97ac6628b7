"""Shared test helpers: write small interchange folders."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

# pytest-django's live_server and Playwright's sync API share a thread; without this the
# teardown fails with SynchronousOnlyOperation (shared/DEPENDENCIES.md).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"

CHROMIUM = "/usr/bin/chromium"  # Debian's Chromium; never a downloaded browser
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-gpu",
]

# Browser tests: `pytestmark = E2E`. In CI (TREDE_REQUIRE_E2E=1) a missing Chromium fails
# the run instead of skipping the journeys.
E2E = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not os.environ.get("TREDE_REQUIRE_E2E"),
        reason="Chromium ontbreekt (apt-get install chromium)",
    ),
]


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the whole run: Playwright's sync API allows one instance per thread."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


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
