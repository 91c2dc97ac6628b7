"""The API of providers, the instrument catalogue and trajectories, read-only.

Providers and instruments are the catalogue (`catalogus.lezen`); trajectories are section
`trajecten` of the client file, and a provider sees only the trajectories it runs itself,
as in the client file (`clients.selectors._trajectories`).
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from trede.accounts import permissions as perms
from trede.accounts.access import relations_of
from trede.accounts.permissions import Relation
from trede.api import filters
from trede.api.serializers import ModelSerializer as ApiModelSerializer
from trede.api.views import ClientRecordViewSet, ReferenceViewSet
from trede.audit import events, logevent

from .constants import Funding, InstrumentType, ProviderKind, TrajectoryResult
from .models import Instrument, Provider, Trajectory


class ProviderSerializer(ApiModelSerializer):
    class Meta:
        model = Provider
        fields = ["provider_id", "name", "kind"]


class InstrumentSerializer(ApiModelSerializer):
    class Meta:
        model = Instrument
        fields = [
            "instrument_code",
            "name",
            "type",
            "funding",
            "price_eur",
            "goal",
            "target_routes",
            "target_groups",
            "min_dutch_language",
            "min_hours_per_week",
            "max_duration_months",
            "active",
        ]


class TrajectorySerializer(ApiModelSerializer):
    client_id = serializers.CharField(read_only=True, help_text="Klantnummer.")
    instrument_code = serializers.CharField(read_only=True, allow_null=True, help_text="Het instrument.")
    provider_id = serializers.CharField(read_only=True, allow_null=True, help_text="De aanbieder.")

    class Meta:
        model = Trajectory
        fields = [
            "trajectory_id",
            "client_id",
            "instrument_code",
            "provider_id",
            "referral_date",
            "start_date",
            "planned_end_date",
            "end_date",
            "result",
            "cost_eur",
        ]


class ProviderFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ProviderKind.choices, label="Alleen deze soort aanbieder.")

    class Meta:
        model = Provider
        fields = []


class InstrumentFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=InstrumentType.choices, label="Alleen dit soort instrument.")
    funding = django_filters.ChoiceFilter(choices=Funding.choices, label="Alleen deze financiering.")
    active = django_filters.BooleanFilter(label="Alleen actieve (true) of niet-actieve (false) instrumenten.")

    class Meta:
        model = Instrument
        fields = []


class TrajectoryFilter(django_filters.FilterSet):
    client_id = filters.client_filter()
    instrument_code = django_filters.CharFilter(field_name="instrument_id", label="Alleen dit instrument.")
    provider_id = django_filters.CharFilter(field_name="provider_id", label="Alleen deze aanbieder.")
    result = django_filters.ChoiceFilter(choices=TrajectoryResult.choices, label="Alleen met dit resultaat.")
    vars()["from"] = filters.on_or_after("referral_date")
    vars()["to"] = filters.before("referral_date")

    class Meta:
        model = Trajectory
        fields = []


@extend_schema_view(
    list=extend_schema(summary="Aanbieders", description="De aanbieders van instrumenten (catalogus)."),
    retrieve=extend_schema(summary="Eén aanbieder", description="Een aanbieder op nummer."),
)
class ProviderViewSet(ReferenceViewSet):
    permission = perms.CATALOGUE_READ
    queryset = Provider.objects.all()
    serializer_class = ProviderSerializer
    filterset_class = ProviderFilter


@extend_schema_view(
    list=extend_schema(summary="Instrumenten", description="De instrumentencatalogus (participatiekaart)."),
    retrieve=extend_schema(summary="Eén instrument", description="Een instrument op code."),
)
class InstrumentViewSet(ReferenceViewSet):
    permission = perms.CATALOGUE_READ
    queryset = Instrument.objects.all()
    serializer_class = InstrumentSerializer
    filterset_class = InstrumentFilter


def own_trajectories_only(user) -> bool:
    """A provider's relationship to a client is a referral to it: it sees its own trajectories."""
    return Relation.VERWEZEN in relations_of(user)


@extend_schema_view(
    list=extend_schema(
        summary="Trajecten",
        description="De trajecten (verwijzingen naar instrumenten en hun resultaat) van de klanten binnen "
        "uw werk (onderdeel Trajecten van het dossier); een aanbieder ziet alleen de eigen trajecten.",
    ),
    retrieve=extend_schema(summary="Eén traject", description="Een traject op nummer."),
)
class TrajectoryViewSet(ClientRecordViewSet):
    section = "trajecten"
    audit_purpose = events.REFERRALS
    queryset = Trajectory.objects.all()
    serializer_class = TrajectorySerializer
    filterset_class = TrajectoryFilter

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if own_trajectories_only(user):
            queryset = queryset.filter(provider_id=user.provider_id)
        return queryset

    def check_record(self, record) -> None:
        from django.http import Http404

        user = self.request.user
        if own_trajectories_only(user) and record.provider_id != user.provider_id:
            logevent.access_denied(
                user,
                client_id=record.client_id,
                section=self.section,
                purpose=self.audit_purpose,
                reason="traject van een andere aanbieder",
            )
            raise Http404("Dit traject bestaat niet of valt buiten uw werk.")


ROUTES = [
    ("aanbieders", ProviderViewSet, "provider"),
    ("instrumenten", InstrumentViewSet, "instrument"),
    ("trajecten", TrajectoryViewSet, "trajectory"),
]
