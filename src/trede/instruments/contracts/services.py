"""Writes of contracts: the contract manager records and changes a provider's contract
(submission key on create, edit token on change; history kept)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from trede.accounts import permissions as perms
from trede.audit import logevent
from trede.utils.concurrency import claim_version, create_once, edit_token

from ..constants import PriceModel, Repayment
from ..models import Contract

CONTRACT_FIELDS = (
    "reference",
    "provider",
    "start_date",
    "end_date",
    "price_model",
    "trajectory_fee_eur",
    "instalment_eur",
    "instalments",
    "result_fee_eur",
    "repayment",
    "repayment_eur",
    "repayment_pct",
    "funding",
    "budget_line",
    "volume_ceiling",
    "money_ceiling_eur",
    "note",
)


def _described(contract: Contract) -> dict[str, tuple[str, str]]:
    codes = ", ".join(sorted(contract.instruments.values_list("instrument_code", flat=True)))
    return {"instruments": ("Instrumenten", codes)}


def contract_edit_token(contract: Contract) -> str:
    return edit_token(contract, CONTRACT_FIELDS, described=_described)


def _set(value) -> bool:
    return value is not None and Decimal(value) > 0


def contract_problems(values: dict) -> dict[str, str]:
    """Field → Dutch message: the price model decides which amounts a contract needs."""
    problems: dict[str, str] = {}
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        problems["end_date"] = "De einddatum ligt voor de ingangsdatum."
    model = values.get("price_model")
    fee, instalment, result = (
        _set(values.get("trajectory_fee_eur")),
        _set(values.get("instalment_eur")),
        _set(values.get("result_fee_eur")),
    )
    if instalment and not values.get("instalments"):
        problems["instalments"] = "Geef het aantal maandtermijnen."
    if model == PriceModel.PER_TRAJECT:
        if not fee:
            problems["trajectory_fee_eur"] = "Een prijs per traject vraagt een trajectprijs."
        if instalment or result:
            problems["price_model"] = (
                "Bij een prijs per traject horen geen termijnen of resultaatbonus; kies 'gemengd'."
            )
    elif model == PriceModel.PER_MAAND:
        if not instalment:
            problems["instalment_eur"] = "Een prijs per maand vraagt een termijnbedrag."
        if fee or result:
            problems["price_model"] = "Bij een prijs per maand hoort alleen een termijn; kies 'gemengd'."
    elif model == PriceModel.PER_RESULTAAT:
        if not result:
            problems["result_fee_eur"] = "Een prijs per resultaat vraagt een resultaatbonus."
        if fee or instalment:
            problems["price_model"] = (
                "Bij een prijs per resultaat hoort alleen de resultaatbonus; kies 'gemengd'."
            )
    elif model == PriceModel.GEMENGD and sum((fee, instalment, result)) < 2:
        problems["price_model"] = (
            "Gemengd betekent minstens twee van: trajectprijs, termijnen, resultaatbonus."
        )
    repayment = values.get("repayment")
    if repayment == Repayment.BEDRAG and values.get("repayment_eur") is None:
        problems["repayment_eur"] = "Geef het bedrag dat de aanbieder terugbetaalt."
    if repayment == Repayment.AANDEEL:
        pct = values.get("repayment_pct")
        if pct is None or not (0 <= pct <= 100):
            problems["repayment_pct"] = "Geef een percentage van 0 tot en met 100."
    if not values.get("instruments"):
        problems["instruments"] = "Kies minstens één instrument."
    return problems


def _normalise(values: dict) -> dict:
    out = dict(values)
    if out.get("repayment") != Repayment.BEDRAG:
        out["repayment_eur"] = None
    if out.get("repayment") != Repayment.AANDEEL:
        out["repayment_pct"] = None
    if not _set(out.get("instalment_eur")):
        out["instalment_eur"], out["instalments"] = None, None
    return out


def contract_create(*, user, values: dict, submission_key=None) -> Contract:
    perms.check(user, perms.CATALOGUE_EDIT)
    problems = contract_problems(values)
    if problems:
        raise ValidationError(problems)
    values = _normalise(values)
    instruments = list(values.pop("instruments"))

    def create(key):
        if Contract.objects.filter(reference=values["reference"]).exists():
            raise ValidationError({"reference": f"Er is al een contract met nummer {values['reference']}."})
        contract = Contract(submission_key=key, created_by=user, **{k: values[k] for k in CONTRACT_FIELDS})
        contract._change_reason = "contract: aangemaakt"
        contract.save()
        contract.instruments.set(instruments)
        logevent.contract_saved(user, contract, created=True, fields=[*CONTRACT_FIELDS, "instruments"])
        return contract

    contract, _created = create_once(Contract, submission_key, create)
    return contract


def contract_update(*, user, contract: Contract, token: str, values: dict) -> Contract:
    perms.check(user, perms.CATALOGUE_EDIT)
    problems = contract_problems(values)
    if problems:
        raise ValidationError(problems)
    values = _normalise(values)
    instruments = {i.pk for i in values.pop("instruments")}
    with transaction.atomic():
        current = claim_version(contract, token, CONTRACT_FIELDS, what="dit contract", described=_described)
        if (
            values["reference"] != current.reference
            and Contract.objects.filter(reference=values["reference"]).exclude(pk=current.pk).exists()
        ):
            raise ValidationError({"reference": f"Er is al een contract met nummer {values['reference']}."})
        changed = [k for k in CONTRACT_FIELDS if getattr(current, k) != values[k]]
        for key in changed:
            setattr(current, key, values[key])
        current._change_reason = "contract: " + (", ".join(changed) or "instrumenten")
        current.save()
        if set(current.instruments.values_list("pk", flat=True)) != instruments:
            current.instruments.set(instruments)
            changed.append("instruments")
        logevent.contract_saved(user, current, created=False, fields=changed)
    return current
