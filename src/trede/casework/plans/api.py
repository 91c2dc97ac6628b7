"""The API of plans van aanpak (section `plan` of the client file), read-only."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from trede.api import filters
from trede.api.serializers import ModelSerializer as ApiModelSerializer
from trede.api.views import ClientRecordViewSet
from trede.audit import events

from ..constants import PlanStatus
from .models import Plan, PlanAction


class PlanActionSerializer(ApiModelSerializer):
    class Meta:
        model = PlanAction
        fields = ["description", "owner", "deadline", "done_on"]


class PlanSerializer(ApiModelSerializer):
    plan_id = serializers.IntegerField(source="pk", read_only=True, help_text="Nummer van het plan.")
    client_id = serializers.CharField(read_only=True, help_text="Klantnummer.")
    actions = PlanActionSerializer(many=True, read_only=True, help_text="De afspraken.")

    class Meta:
        model = Plan
        fields = [
            "plan_id",
            "client_id",
            "version",
            "status",
            "goals",
            "consultant_agreed_at",
            "client_agreed_at",
            "client_agreed_via",
            "created_at",
            "actions",
        ]


class PlanFilter(django_filters.FilterSet):
    client_id = filters.client_filter()
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label="Alleen plannen met deze stand.")

    class Meta:
        model = Plan
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="Plannen van aanpak",
        description="De plannen van aanpak (alle versies, met hun afspraken) van de klanten binnen uw werk "
        "(onderdeel Plan van aanpak van het dossier).",
    ),
    retrieve=extend_schema(summary="Eén plan van aanpak", description="Een plan van aanpak op nummer."),
)
class PlanViewSet(ClientRecordViewSet):
    section = "plan"
    audit_purpose = events.PLAN
    queryset = Plan.objects.prefetch_related(
        Prefetch("actions", queryset=PlanAction.objects.order_by("position", "id"))
    )
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    lookup_value_regex = "[0-9]{1,18}"


ROUTES = [("plannen", PlanViewSet, "plan")]
