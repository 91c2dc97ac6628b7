"""The import-linter contracts of pyproject.toml hold (trede.effects never imports Django).

`.ci/run` runs `lint-imports` next to ruff; this test runs the same contracts so that
`scripts/test` catches a Django import in the engine too.
"""

import subprocess
import sys
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[4] / "pyproject.toml"


def test_import_contracts_are_kept():
    assert PYPROJECT.is_file(), PYPROJECT
    assert "[tool.importlinter]" in PYPROJECT.read_text(encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True, no_logo=True))",
            str(PYPROJECT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=PYPROJECT.parent,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
