"""Every typed engine error reads as Dutch wherever it reaches a user (command or page)."""

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from trede.effects.errors import (
    InvalidData,
    InvalidSetting,
    MissingColumns,
    NoOverlap,
    NoStartMonth,
    NoStarts,
    NotEnoughData,
)
from trede.evaluations.errors import dutch_effects_error

ERRORS = [
    InvalidSetting("estimand", "atc", ("att", "ate")),
    InvalidData("treatment", "treatment must be 0 or 1 in every row"),
    InvalidData("outcome", "outcome must be a finite number in every row"),
    InvalidData("weights", "sample weights must be positive numbers"),
    MissingColumns(["wijk"]),
    NotEnoughData("need at least one treated and one control row"),
    NoStarts("no started trajectories: give a start month"),
    NoStartMonth(first_month="2020-06", last_month="2020-01", horizon=12),
    NoOverlap("no treated and control rows left after trimming for overlap"),
]
ENGLISH = ("must", "need", "columns", "no started", "no start month", "trimming", "one of")


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("cli", [False, True])
def test_dutch_message_for_every_engine_error(error, cli):
    text = dutch_effects_error(error, cli=cli)
    assert text and not any(word in text for word in ENGLISH), text
    assert text != "effectschatting niet mogelijk"  # every type has its own message


def test_no_start_month_names_the_months_and_the_option():
    text = dutch_effects_error(
        NoStartMonth(first_month="2020-06", last_month="2020-01", horizon=12), cli=True
    )
    assert "2020-06" in text and "12 maanden" in text and "--until" in text


def test_table_command_explains_engine_refusals_in_dutch(tmp_path, monkeypatch):
    """An engine refusal the command does not pre-check reaches the user as Dutch, exit code 2."""
    from trede.effects.estimators import AIPWEstimator

    table = pd.DataFrame({"x": range(40), "t": [1, 0] * 20, "y": [0, 0, 1, 1] * 10})
    path = tmp_path / "t.csv"
    table.to_csv(path, index=False)

    def refuse(self, *args, **kwargs):
        raise NoOverlap("no treated and control rows left after trimming for overlap")

    monkeypatch.setattr(AIPWEstimator, "fit", refuse)
    with pytest.raises(CommandError) as info:
        call_command(
            "effects", "table", "--csv", str(path), "--treatment", "t", "--outcome", "y",
            "--covariates", "x", "--estimand", "att", "--json",
        )  # fmt: skip
    assert info.value.returncode == 2
    assert "geen vergelijking mogelijk" in str(info.value)
