"""The API of employers, vacancies and placements, read-only.

Employers and vacancies are organisations (`werkgevers.lezen`); a placement is a client at
work, part of section `werkprofiel` of the client file (within the relationships, audited).
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from trede.accounts import permissions as perms
from trede.api import filters
from trede.api.serializers import ModelSerializer as ApiModelSerializer
from trede.api.views import ClientRecordViewSet, ReferenceViewSet

from .constants import Contract, Sector, SizeClass, Subsidy
from .models import Employer, Placement, Vacancy


class EmployerSerializer(ApiModelSerializer):
    class Meta:
        model = Employer
        fields = ["employer_id", "name", "sector", "size_class", "postcode4"]


class VacancySerializer(ApiModelSerializer):
    employer_id = serializers.CharField(read_only=True, help_text="De werkgever.")

    class Meta:
        model = Vacancy
        fields = [
            "vacancy_id",
            "employer_id",
            "title",
            "occupation_code",
            "hours_per_week",
            "open_date",
            "close_date",
            "skills",
            "positions",
        ]


class PlacementSerializer(ApiModelSerializer):
    client_id = serializers.CharField(read_only=True, help_text="Klantnummer.")
    employer_id = serializers.CharField(read_only=True, allow_null=True, help_text="De werkgever.")
    vacancy_id = serializers.CharField(read_only=True, allow_null=True, help_text="De vacature.")

    class Meta:
        model = Placement
        fields = [
            "placement_id",
            "client_id",
            "employer_id",
            "vacancy_id",
            "start_date",
            "end_date",
            "hours_per_week",
            "contract",
            "subsidy",
            "wage_value_pct",
        ]


class EmployerFilter(django_filters.FilterSet):
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label="Alleen deze sector (SBI-letter).")
    size_class = django_filters.ChoiceFilter(choices=SizeClass.choices, label="Alleen deze grootteklasse.")

    class Meta:
        model = Employer
        fields = []


class VacancyFilter(django_filters.FilterSet):
    employer_id = django_filters.CharFilter(field_name="employer_id", label="Alleen van deze werkgever.")
    vars()["from"], vars()["to"] = filters.overlapping("open_date", "close_date")

    class Meta:
        model = Vacancy
        fields = []


class PlacementFilter(django_filters.FilterSet):
    client_id = filters.client_filter()
    employer_id = django_filters.CharFilter(field_name="employer_id", label="Alleen bij deze werkgever.")
    contract = django_filters.ChoiceFilter(choices=Contract.choices, label="Alleen dit soort contract.")
    subsidy = django_filters.ChoiceFilter(choices=Subsidy.choices, label="Alleen deze subsidie.")
    vars()["from"], vars()["to"] = filters.overlapping("start_date", "end_date")

    class Meta:
        model = Placement
        fields = []


@extend_schema_view(
    list=extend_schema(summary="Werkgevers", description="De werkgevers."),
    retrieve=extend_schema(summary="Eén werkgever", description="Een werkgever op nummer."),
)
class EmployerViewSet(ReferenceViewSet):
    permission = perms.EMPLOYERS_READ
    queryset = Employer.objects.all()
    serializer_class = EmployerSerializer
    filterset_class = EmployerFilter


@extend_schema_view(
    list=extend_schema(summary="Vacatures", description="De vacatures van de werkgevers."),
    retrieve=extend_schema(summary="Eén vacature", description="Een vacature op nummer."),
)
class VacancyViewSet(ReferenceViewSet):
    permission = perms.EMPLOYERS_READ
    queryset = Vacancy.objects.all()
    serializer_class = VacancySerializer
    filterset_class = VacancyFilter


@extend_schema_view(
    list=extend_schema(
        summary="Plaatsingen",
        description="De plaatsingen (aan het werk bij een werkgever) van de klanten binnen uw werk "
        "(onderdeel Werkprofiel van het dossier).",
    ),
    retrieve=extend_schema(summary="Eén plaatsing", description="Een plaatsing op nummer."),
)
class PlacementViewSet(ClientRecordViewSet):
    section = "werkprofiel"
    queryset = Placement.objects.all()
    serializer_class = PlacementSerializer
    filterset_class = PlacementFilter


ROUTES = [
    ("werkgevers", EmployerViewSet, "employer"),
    ("vacatures", VacancyViewSet, "vacancy"),
    ("plaatsingen", PlacementViewSet, "placement"),
]
