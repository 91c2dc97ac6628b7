"""A `trede` data command must not load the scientific stack or every view at start-up
(issue: about a second of every `trede monitor` went to scikit-learn, SciPy and pandas
imported through the URL configuration's system checks)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("sklearn", "scipy", "pandas", "trede.effects.estimators")

SCRIPT = """
import sys
from trede.cli import main
sys.argv = ["trede", *sys.argv[1:]]
try:
    main()
finally:
    heavy = [m for m in {heavy!r} if m in sys.modules]
    views = [m for m in sys.modules if m.startswith("trede.") and m.endswith(".views")]
    print("LOADED", heavy, views, file=sys.stderr)
"""


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TREDE_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "trede.cli", "migrate", "-v0"], env=env, check=True)
    return subprocess.run(
        [sys.executable, "-c", SCRIPT.format(heavy=HEAVY), *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def test_monitor_stock_loads_no_scientific_stack_and_no_views(tmp_path):
    result = _run(tmp_path, "monitor", "stock", "--as-of", "2025-01-01", "--json")
    assert '"total": 0' in result.stdout
    assert "LOADED [] []" in result.stderr, result.stderr


def test_effects_package_imports_light_submodules_lazily(tmp_path):
    code = (
        "import sys; import trede.effects.bands, trede.effects.errors; "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    # and the public names still resolve when asked for
    code = "import trede.effects as e; print(e.AIPWEstimator.__name__, e.build_panel.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["AIPWEstimator", "build_panel"]
