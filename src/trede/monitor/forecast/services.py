"""Writes of the forecast: policy advisors add and edit scenarios (decision 62).

An edit carries an edit token (an edit over a colleague's newer save is refused and says
what changed); an added scenario carries a submission key (a double submit adds one).
Every save is audited."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from trede.accounts import permissions as perms
from trede.audit import logevent
from trede.utils.concurrency import claim_version, create_once, edit_token

from ..models import MULTIPLIER_MAX, MULTIPLIER_MIN, ForecastScenario
from .selectors import BASIS

SCENARIO_FIELDS = ("name", "description", "inflow_multiplier", "outflow_multiplier")


def scenario_edit_token(scenario: ForecastScenario) -> str:
    return edit_token(scenario, SCENARIO_FIELDS)


def scenario_problems(values: dict, *, code: str | None = None) -> dict[str, str]:
    """Field → Dutch message (the form checks types; this checks what a scenario may be)."""
    problems = {}
    if code is not None:
        if code == BASIS:
            problems["code"] = "'basis' is de methode zelf (factoren 1 en 1) en kan niet worden overschreven."
        elif ForecastScenario.objects.filter(code=code).exists():
            problems["code"] = f"Er is al een scenario met code {code}."
    if not (values.get("name") or "").strip():
        problems["name"] = "Geef het scenario een naam."
    for key, label in (("inflow_multiplier", "instroom"), ("outflow_multiplier", "uitstroomkans")):
        value = values.get(key)
        if value is None or not (MULTIPLIER_MIN <= Decimal(value) <= MULTIPLIER_MAX):
            problems[key] = (
                f"De factor op de {label} ligt tussen {str(MULTIPLIER_MIN).replace('.', ',')} en "
                f"{str(MULTIPLIER_MAX).replace('.', ',')} (1 = zoals in de basis)."
            )
    return problems


def scenario_create(*, user, code: str, values: dict, submission_key=None) -> tuple[ForecastScenario, bool]:
    perms.check(user, perms.FORECAST_SCENARIOS)
    code = (code or "").strip()
    existing = (
        ForecastScenario.objects.filter(submission_key=submission_key).first() if submission_key else None
    )
    if existing is not None:
        return existing, False
    problems = scenario_problems(values, code=code)
    if problems:
        raise ValidationError(problems)

    def create(key):
        scenario = ForecastScenario.objects.create(
            code=code,
            submission_key=key,
            updated_by=user,
            **{k: values[k] for k in SCENARIO_FIELDS},
        )
        logevent.forecast_scenario_saved(user, scenario, created=True)
        return scenario

    return create_once(ForecastScenario, submission_key, create)


def scenario_update(*, user, scenario: ForecastScenario, token: str, values: dict) -> ForecastScenario:
    perms.check(user, perms.FORECAST_SCENARIOS)
    problems = scenario_problems(values)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        current = claim_version(scenario, token, SCENARIO_FIELDS, what="dit scenario")
        for key in SCENARIO_FIELDS:
            setattr(current, key, values[key])
        current.updated_by = user
        current.save()
        logevent.forecast_scenario_saved(user, current, created=False)
    return current
