"""The API of benefits (uitkeringen) and enforcement (handhaving: measures), read-only.

Section `uitkering` and `handhaving` of the client file: the roles and relationships of
`permissions.SECTION_READ`, audited per client shown (`trede.api.views`).
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from trede.api import filters
from trede.api.serializers import ModelSerializer as ApiModelSerializer
from trede.api.views import ClientRecordViewSet

from .constants import MeasureKind, Regulation
from .models import Benefit, Measure


class BenefitSerializer(ApiModelSerializer):
    client_id = serializers.CharField(read_only=True, help_text="Klantnummer.")

    class Meta:
        model = Benefit
        fields = ["benefit_id", "client_id", "regulation", "start_date", "end_date", "end_reason"]
        extra_kwargs = {"end_date": {"help_text": "De eerste dag zonder uitkering; leeg: loopt nog."}}


class MeasureSerializer(ApiModelSerializer):
    client_id = serializers.CharField(read_only=True, help_text="Klantnummer.")

    class Meta:
        model = Measure
        fields = ["measure_id", "client_id", "date", "kind", "reason", "percentage", "months"]


class BenefitFilter(django_filters.FilterSet):
    client_id = filters.client_filter()
    regulation = django_filters.ChoiceFilter(choices=Regulation.choices, label="Alleen deze regeling.")
    vars()["from"], vars()["to"] = filters.overlapping("start_date", "end_date")

    class Meta:
        model = Benefit
        fields = []


class MeasureFilter(django_filters.FilterSet):
    client_id = filters.client_filter()
    kind = django_filters.ChoiceFilter(choices=MeasureKind.choices, label="Alleen deze soort.")
    vars()["from"] = filters.on_or_after("date")
    vars()["to"] = filters.before("date")

    class Meta:
        model = Measure
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="Uitkeringen",
        description="De uitkeringen van de klanten binnen uw werk (onderdeel Uitkering van het dossier). "
        "Elke klant op de pagina krijgt een regel in zijn auditlog.",
    ),
    retrieve=extend_schema(summary="Eén uitkering", description="Een uitkering op uitkeringsnummer."),
)
class BenefitViewSet(ClientRecordViewSet):
    section = "uitkering"
    queryset = Benefit.objects.all()
    serializer_class = BenefitSerializer
    filterset_class = BenefitFilter


@extend_schema_view(
    list=extend_schema(
        summary="Handhaving",
        description="Waarschuwingen, boetes, maatregelen en tegenprestaties van de klanten binnen uw werk "
        "(onderdeel Handhaving van het dossier).",
    ),
    retrieve=extend_schema(summary="Eén handhavingsbesluit", description="Een maatregel op nummer."),
)
class MeasureViewSet(ClientRecordViewSet):
    section = "handhaving"
    queryset = Measure.objects.all()
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter


ROUTES = [
    ("uitkeringen", BenefitViewSet, "benefit"),
    ("maatregelen", MeasureViewSet, "measure"),
]
