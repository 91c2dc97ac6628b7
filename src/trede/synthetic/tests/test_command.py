"""`trede generate`: the console command, without a database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from trede.synthetic.generator import ALL_FILES


def _trede(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{cwd / 'never-created.sqlite3'}",
        "TREDE_DATA_DIR": str(cwd),
    }
    return subprocess.run(
        [sys.executable, "-m", "trede.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_generate_writes_the_folder_and_prints_one_summary_line(tmp_path):
    out = tmp_path / "stad"
    done = _trede("generate", str(out), "--clients", "600", "--years", "2", "--seed", "9", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1 and "600 cliënten" in lines[0] and "seed 9" in lines[0]
    assert {p.name for p in out.iterdir()} == {*ALL_FILES, "ground_truth.json"}
    assert not (tmp_path / "never-created.sqlite3").exists()


def test_generate_core_only_and_wrong_usage(tmp_path):
    done = _trede(
        "generate",
        str(tmp_path / "kern"),
        "--clients",
        "600",
        "--years",
        "1",
        "--core-only",
        "--no-progress",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert (
        not (tmp_path / "kern" / "contacts.csv").exists()
        and (tmp_path / "kern" / "trajectories.csv").exists()
    )
    assert done.stderr == ""
    wrong = _trede("generate", str(tmp_path / "x"), "--clients", "10", cwd=tmp_path)
    assert wrong.returncode != 0 and "--clients" in wrong.stderr
