"""`trede effects table|instruments`: the command-line contract of interchange.md, run as a user
runs it (a fresh process, another working directory, only DATABASE_URL set)."""

import json
import os
import re
import subprocess
import sys

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from trede.effects.simulate import simulate_table, simulate_world


def trede(*args, env, cwd):
    return subprocess.run(
        [sys.executable, "-m", "trede.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _env(tmp_path, database):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TREDE_", "DATABASE_"))}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env["TREDE_DATA_DIR"] = str(tmp_path / "data")
    return env


def run_inline(capsys, *args):
    """The command in this process (no interpreter start-up): (stdout, stderr)."""
    call_command("effects", *args)
    captured = capsys.readouterr()
    return captured.out, captured.err


def usage_error(*args) -> str:
    with pytest.raises(CommandError) as info:
        call_command("effects", *args)
    assert info.value.returncode == 2
    return str(info.value)


@pytest.fixture
def no_db_cli(tmp_path):
    """A database URL in a folder that does not exist: any database access would fail."""
    env = _env(tmp_path, tmp_path / "missing" / "nowhere.sqlite3")
    workdir = tmp_path / "elders"
    workdir.mkdir()
    return lambda *args: trede(*args, env=env, cwd=workdir)


@pytest.fixture(scope="module")
def table_csv(tmp_path_factory):
    table, truth = simulate_table(3000, seed=5)
    path = tmp_path_factory.mktemp("table") / "tabel.csv"
    table.to_csv(path, index=False)
    return path, truth


TABLE_ARGS = ("--treatment", "t", "--outcome", "y", "--covariates", "age,ladder,education")


def test_table_prints_one_json_object_close_to_truth(no_db_cli, table_csv):
    path, truth = table_csv
    result = no_db_cli("effects", "table", "--csv", str(path), *TABLE_ARGS, "--estimand", "att", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)  # exactly one object: anything else fails to parse
    assert {"estimate", "ci_low", "ci_high", "n_treated", "n_control", "method"} <= set(out)
    assert out["method"] == "aipw"
    assert abs(out["estimate"] - truth["att"]) < 3 * out["std_error"]
    assert out["n_treated"] + out["n_control"] <= 3000
    assert out["diagnostics"]["overlap"]["share_trimmed_treated"] <= 0.05
    assert any(name.startswith("education=") for name in out["diagnostics"]["balance"]["smd_before"])


@pytest.mark.parametrize("method", ["ipw", "matching"])
@pytest.mark.parametrize("estimand", ["att", "ate"])
def test_table_methods_and_estimands(capsys, table_csv, method, estimand):
    path, truth = table_csv
    stdout, _ = run_inline(
        capsys, "table", "--csv", str(path), *TABLE_ARGS, "--estimand", estimand, "--method", method, "--json"
    )
    out = json.loads(stdout)
    assert out["method"] == method and out["estimand"] == estimand
    assert abs(out["estimate"] - truth[estimand]) < 3 * out["std_error"]


def test_table_readable_output(capsys, table_csv):
    path, _ = table_csv
    stdout, _ = run_inline(capsys, "table", "--csv", str(path), *TABLE_ARGS, "--estimand", "att")
    assert "schatting" in stdout and "E-waarde" in stdout and "voor," in stdout
    # Dutch numbers in the text output (the JSON keeps dots: it is for programs).
    assert re.search(r"schatting\s+−?\d,\d{4}", stdout), stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--treatment", "nope", "--outcome", "y", "--covariates", "age"), "'nope' niet gevonden"),
        (("--treatment", "t", "--outcome", "y", "--covariates", "age,leeftijd"), "'leeftijd' niet gevonden"),
        (("--treatment", "ladder", "--outcome", "y", "--covariates", "age"), "alleen 0 en 1"),
        (("--treatment", "t", "--outcome", "education", "--covariates", "age"), "moet overal een getal zijn"),
    ],
)
def test_table_wrong_usage_is_a_dutch_usage_error(table_csv, args, message):
    path, _ = table_csv
    assert message in usage_error("table", "--csv", str(path), *args, "--estimand", "att", "--json")


def test_table_wrong_usage_exits_2_on_the_command_line(no_db_cli, table_csv):
    path, _ = table_csv
    result = no_db_cli(
        "effects",
        "table",
        "--csv",
        str(path),
        "--treatment",
        "ladder",
        "--outcome",
        "y",
        "--covariates",
        "age",
        "--estimand",
        "att",
        "--json",
    )
    assert result.returncode == 2
    assert "alleen 0 en 1" in result.stderr
    assert result.stdout == ""


def test_table_empty_treatment_cell_is_refused(tmp_path):
    path = tmp_path / "gat.csv"
    path.write_text("t,y,x\n1,1,3\n,0,2\n0,0,1\n", encoding="utf-8")
    message = usage_error(
        "table",
        "--csv",
        str(path),
        "--treatment",
        "t",
        "--outcome",
        "y",
        "--covariates",
        "x",
        "--estimand",
        "att",
        "--json",
    )
    assert "regel 3" in message


def _write_world(folder, frames):
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    codes = sorted(set(frames["trajectories"]["instrument_code"]))
    pd.DataFrame({"instrument_code": codes, "name": codes}).to_csv(folder / "instruments.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    frames, truth = simulate_world(2500, months=48, seed=4, horizons=(12,))
    return _write_world(tmp_path_factory.mktemp("world") / "export", frames), truth


def test_instruments_from_folder(no_db_cli, world):
    folder, truth = world
    result = no_db_cli(
        "effects",
        "instruments",
        "--horizon",
        "12",
        "--until",
        truth["until"],
        "--data",
        str(folder),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["horizon_months"] == 12
    assert set(out["instruments"]) == {"JOBCOACH", "SOLLTRAIN"}
    for code, values in out["instruments"].items():
        assert {"estimate", "ci_low", "ci_high", "n_treated", "n_control"} <= set(values)
        assert abs(values["estimate"] - truth["att"][code][12]) < 3 * values["std_error"]
        assert values["n_treated"] <= truth["n_starts"][code][12]
        assert values["n_treated"] >= 0.95 * truth["n_starts"][code][12]
        assert "leeftijd" not in values  # segments are keyed by dimension code
        assert set(values["segments"]) == {
            "age_band",
            "duration_band",
            "ladder_step",
            "client_group",
            "statushouder",
        }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--horizon", "12", "--until", "2021-02-30"), "geen bestaande datum"),
        (("--horizon", "60", "--until", "2019-01-01"), "kortere horizon"),
        (("--horizon", "0", "--until", "2019-01-01"), "minstens 1 maand"),
    ],
)
def test_instruments_wrong_usage_is_a_usage_error(world, args, message):
    folder, _ = world
    assert message in usage_error("instruments", *args, "--data", str(folder), "--json", "--no-progress")


@pytest.mark.django_db
def test_instruments_from_database_equal_folder(capsys, world):
    folder, truth = world
    call_command("import", str(folder), "--quiet-warnings", "--no-progress")
    capsys.readouterr()
    from trede.effects.frames import read_interchange_folder
    from trede.evaluations.data import load_frames_from_db

    from_db, from_csv = load_frames_from_db(), read_interchange_folder(folder)
    for name, frame in from_csv.items():
        key = frame.columns[0]
        left = from_db[name].sort_values(key).reset_index(drop=True)
        right = frame.sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, check_dtype=False, obj=name)
    args = (
        "instruments",
        "--horizon",
        "12",
        "--until",
        truth["until"],
        "--json",
        "--no-segments",
        "--no-progress",
    )
    db_out, _ = run_inline(capsys, *args)
    folder_out, _ = run_inline(capsys, *args, "--data", str(folder))
    assert json.loads(db_out) == json.loads(folder_out)


@pytest.mark.django_db
def test_instruments_on_empty_database_explains():
    message = usage_error(
        "instruments", "--horizon", "12", "--until", "2020-01-01", "--json", "--no-progress"
    )
    assert "geen gestarte trajecten" in message
