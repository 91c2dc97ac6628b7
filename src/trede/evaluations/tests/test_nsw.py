"""The worked example: the NSW job-training data (LaLonde 1986; Dehejia & Wahba 1999),
where the experimental answer is known ($1,794 in 1978 earnings for the DW sample).

The experimental sample must give that answer; the observational one (NSW treated against
CPS controls, where a naive comparison is badly negative) must recover it within its
interval. The data ship with the `causaldata` package (MIT licence).
"""

import json
import subprocess
import sys

import pandas as pd
import pytest

causaldata = pytest.importorskip("causaldata")

EXPERIMENTAL_ATT = 1794.34
COVARIATES = "age,educ,black,hisp,marr,nodegree,re74,re75"


def effects_table(csv_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "trede.cli",
            "effects",
            "table",
            "--csv",
            str(csv_path),
            "--treatment",
            "treat",
            "--outcome",
            "re78",
            "--covariates",
            COVARIATES,
            "--estimand",
            "att",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def nsw():
    return causaldata.nsw_mixtape.load_pandas().data


def test_experimental_sample_gives_the_experimental_answer(nsw, tmp_path):
    path = tmp_path / "nsw.csv"
    nsw.to_csv(path, index=False)
    out = effects_table(path)
    assert (out["n_treated"], out["n_control"]) == (185, 260)
    assert out["ci_low"] < EXPERIMENTAL_ATT < out["ci_high"]
    assert abs(out["estimate"] - EXPERIMENTAL_ATT) < 300


def test_observational_comparison_with_cps_recovers_it(nsw, tmp_path):
    cps = causaldata.cps_mixtape.load_pandas().data
    table = pd.concat([nsw[nsw.treat == 1], cps], ignore_index=True)
    naive = table[table.treat == 1].re78.mean() - table[table.treat == 0].re78.mean()
    assert naive < -8000  # the CPS controls earn far more: a naive comparison is badly wrong
    path = tmp_path / "nsw_cps.csv"
    table.to_csv(path, index=False)
    out = effects_table(path)
    assert out["n_control"] == len(cps)
    assert out["ci_low"] < EXPERIMENTAL_ATT < out["ci_high"]
    assert out["estimate"] > 0
