"""The API of diagnoses (section `diagnose` of the client file), read-only."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from trede.api import filters
from trede.api.serializers import ModelSerializer as ApiModelSerializer
from trede.api.views import ClientRecordViewSet
from trede.audit import events

from ..constants import Route
from .models import Diagnosis


class DiagnosisSerializer(ApiModelSerializer):
    client_id = serializers.CharField(read_only=True, help_text="Klantnummer.")

    class Meta:
        model = Diagnosis
        fields = [
            "diagnosis_id",
            "client_id",
            "date",
            "months_to_work",
            "ladder_step",
            "ladder_target",
            "wage_value_pct",
            "assessed_by",
            "override_reason",
            "is_override",
            "category",
            "route",
            "client_group",
        ]


class DiagnosisFilter(django_filters.FilterSet):
    client_id = filters.client_filter()
    route = django_filters.ChoiceFilter(choices=Route.choices, label="Alleen met deze route.")
    vars()["from"] = filters.on_or_after("date")
    vars()["to"] = filters.before("date")

    class Meta:
        model = Diagnosis
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="Diagnoses",
        description="De diagnoses (afstand tot werk, trede, categorie, route, klantgroep) van de klanten "
        "binnen uw werk (onderdeel Diagnose van het dossier).",
    ),
    retrieve=extend_schema(summary="Eén diagnose", description="Een diagnose op nummer."),
)
class DiagnosisViewSet(ClientRecordViewSet):
    section = "diagnose"
    audit_purpose = events.DIAGNOSIS
    queryset = Diagnosis.objects.all()
    serializer_class = DiagnosisSerializer
    filterset_class = DiagnosisFilter


ROUTES = [("diagnoses", DiagnosisViewSet, "diagnosis")]
