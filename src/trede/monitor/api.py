"""The API of the monitor's core figures: the stock on a day and the flows per period, with
exactly the JSON of `trede monitor stock|flows --json` (docs/interchange.md), from the
same selectors (`stock_figures`, `flow_figures`).

The dashboard's permission (`monitor.bekijken`). For roles that see only suppressed figures
(`cijfers.alleen_afgeschermd`, beleid) small counts and the cells that would give them away
are `"<5"`, as in the dashboard's downloads (`trede.utils.disclosure.protect`), and an
outflow-to-work rate resting on a hidden count is null. Aggregates only: nothing to audit.
"""

from __future__ import annotations

from datetime import date

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from trede.accounts import permissions as perms
from trede.utils.disclosure import SUPPRESSED, count_value, is_small, protect

from .constants import (
    AGE_BANDS,
    DEFAULT_REGULATIONS,
    DURATION_BANDS,
    END_REASONS,
    HOUSEHOLDS,
    LADDER_STEPS,
    REGULATIONS,
)
from .selectors import FigureError, flow_figures, stock_figures

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
# A range of flows is one query over every spell; beyond this it is a job, not a request.
MAX_YEARS = 30

STOCK_GROUPS = ("by_age_band", "by_duration_band", "by_household", "by_ladder_step")


def _regulations(text: str) -> list[str]:
    chosen = [part.strip() for part in (text or "").split(",") if part.strip()]
    if not chosen:
        return list(DEFAULT_REGULATIONS)
    unknown = [r for r in chosen if r not in REGULATIONS]
    if unknown:
        raise serializers.ValidationError(
            f"Onbekende regeling: {', '.join(unknown)}; kies uit {', '.join(REGULATIONS)}.",
            code="invalid_choice",
        )
    return list(dict.fromkeys(chosen))


def _in_range(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise serializers.ValidationError(
            f"Kies een datum tussen {EARLIEST.isoformat()} en {LATEST.isoformat()}.", code="out_of_range"
        )
    return value


REGULATIONS_HELP = f"Regelingen, door komma's gescheiden ({', '.join(REGULATIONS)}); standaard pw."


class StockQuery(serializers.Serializer):
    as_of = serializers.DateField(help_text="Peildatum (JJJJ-MM-DD).")
    regulations = serializers.CharField(
        required=False, default="", allow_blank=True, help_text=REGULATIONS_HELP
    )

    def validate_as_of(self, value):
        return _in_range(value)

    def validate_regulations(self, value):
        return _regulations(value)


class FlowsQuery(serializers.Serializer):
    # `from` is a Python keyword: declared below.
    to = serializers.DateField(help_text="Tot deze datum (JJJJ-MM-DD, telt niet mee).")
    period = serializers.ChoiceField(
        choices=[("month", "maand"), ("quarter", "kwartaal"), ("year", "jaar")],
        default="month",
        help_text="Per maand, kwartaal of jaar.",
    )
    regulations = serializers.CharField(
        required=False, default="", allow_blank=True, help_text=REGULATIONS_HELP
    )

    def get_fields(self):
        fields = super().get_fields()
        fields = {
            "from": serializers.DateField(help_text="Vanaf deze datum (JJJJ-MM-DD, telt mee)."),
            **fields,
        }
        return fields

    def validate_to(self, value):
        return _in_range(value)

    def validate_regulations(self, value):
        return _regulations(value)

    def validate(self, attrs):
        start, end = _in_range(attrs["from"]), attrs["to"]
        if start >= end:
            raise serializers.ValidationError({"to": ["Het einde moet na het begin liggen."]}, code="invalid")
        if (end.year - start.year) > MAX_YEARS:
            raise serializers.ValidationError(
                {"to": [f"Kies een bereik van ten hoogste {MAX_YEARS} jaar."]}, code="out_of_range"
            )
        return attrs


COUNT_SCHEMA = {
    "oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": [SUPPRESSED]}],
    "description": f"Een aantal, of `{SUPPRESSED}` als het afgeschermd is (kleine aantallen, voor beleid).",
}


@extend_schema_field(COUNT_SCHEMA)
class CountField(serializers.Field):
    def to_representation(self, value):
        return value


def _mapping(keys, help_text: str) -> serializers.Field:
    """A fixed set of keys, each a count (its own class: the schema is a class attribute)."""
    field_class = type("CountsField", (serializers.DictField,), {})
    return extend_schema_field(
        {
            "type": "object",
            "description": help_text,
            "properties": {key: COUNT_SCHEMA for key in keys},
            "required": list(keys),
            "additionalProperties": False,
        }
    )(field_class)(help_text=help_text)


class StockSerializer(serializers.Serializer):
    as_of = serializers.DateField(help_text="Peildatum.")
    regulations = serializers.ListField(
        child=serializers.CharField(), help_text="De regelingen die meetellen."
    )
    total = CountField(help_text="Klanten met een lopende uitkering op de peildatum.")
    by_age_band = _mapping(AGE_BANDS, "Per leeftijdsklasse.")
    by_duration_band = _mapping(DURATION_BANDS, "Per duur van de uitkering (in jaren).")
    by_household = _mapping(HOUSEHOLDS, "Per huishouden.")
    by_ladder_step = _mapping(LADDER_STEPS, "Per trede van de participatieladder.")


class FlowPeriodSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="De periode: 2015-01, 2015-Q1 of 2015.")
    inflow = CountField(help_text="Instroom: begonnen uitkeringsperiodes.")
    outflow = _mapping(END_REASONS, "Uitstroom per reden van beëindiging.")
    outflow_total = CountField(help_text="Uitstroom in totaal.")


class FlowsSerializer(serializers.Serializer):
    periods = FlowPeriodSerializer(many=True, help_text="Per periode.")
    outflow_to_work_rate = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text="Per heel kalenderjaar in het bereik: uitstroom naar werk gedeeld door het gemiddelde "
        "bestand op de eerste dag van de twaalf maanden (een fractie); null zonder bestand of als het "
        "afgeschermd is.",
    )


def _protected_group(mapping: dict, total: int, *, suppress: bool) -> dict:
    keys = list(mapping)
    shield = protect([mapping[k] for k in keys], total=total, suppress=suppress)
    return {k: shield.value(i, mapping[k]) for i, k in enumerate(keys)}


def protected_stock(result: dict, *, suppress: bool) -> dict:
    if not suppress:
        return result
    total = result["total"]
    out = dict(result, total=count_value(total, suppress=True))
    for key in STOCK_GROUPS:
        out[key] = _protected_group(result[key], total, suppress=True)
    return out


def protected_flows(result: dict, *, suppress: bool) -> dict:
    if not suppress:
        return result
    periods = []
    to_work: dict[str, int] = {}
    for row in result["periods"]:
        periods.append(
            {
                "period": row["period"],
                "inflow": count_value(row["inflow"], suppress=True),
                "outflow": _protected_group(row["outflow"], row["outflow_total"], suppress=True),
                "outflow_total": count_value(row["outflow_total"], suppress=True),
            }
        )
        year = row["period"][:4]
        to_work[year] = to_work.get(year, 0) + row["outflow"]["werk"]
    rates = {
        year: (None if is_small(to_work.get(year, 0)) else rate)
        for year, rate in result["outflow_to_work_rate"].items()
    }
    return {"periods": periods, "outflow_to_work_rate": rates}


class _MonitorView(APIView):
    permission = perms.DASHBOARD_READ

    def _suppress(self, request) -> bool:
        return perms.role_may(request.user, perms.FIGURES_SUPPRESSED)


class StockView(_MonitorView):
    @extend_schema(
        summary="Bestand op een dag",
        description="Het bestand (klanten met een lopende uitkering) op een peildatum, per leeftijd, duur, "
        "huishouden en trede: dezelfde cijfers en sleutels als `trede monitor stock --json`.",
        parameters=[StockQuery],
        responses=StockSerializer,
        operation_id="monitor_stock",
    )
    def get(self, request):
        query = StockQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            result = stock_figures(
                as_of=query.validated_data["as_of"], regulations=query.validated_data["regulations"]
            )
        except FigureError as error:
            raise serializers.ValidationError({"regulations": [str(error)]}) from None
        return Response(protected_stock(result, suppress=self._suppress(request)))


class FlowsView(_MonitorView):
    @extend_schema(
        summary="Instroom en uitstroom per periode",
        description="Instroom en uitstroom (per reden) per maand, kwartaal of jaar van [from, to), en de "
        "uitstroom naar werk per heel jaar: dezelfde cijfers en sleutels als `trede monitor flows --json`.",
        parameters=[FlowsQuery],
        responses=FlowsSerializer,
        operation_id="monitor_flows",
    )
    def get(self, request):
        query = FlowsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        try:
            result = flow_figures(
                date_from=data["from"],
                date_to=data["to"],
                period=data["period"],
                regulations=data["regulations"],
            )
        except FigureError as error:
            raise serializers.ValidationError({"period": [str(error)]}) from None
        return Response(protected_flows(result, suppress=self._suppress(request)))
