"""The API of clients: the list within the user's scope and one client's file with exactly
the sections the user may see.

The list is `client_scope(user)` (row level, as every list page), names and ages only (the
basis section), and every client on the page gets a `client_listed` row in its own log. A
client's file is `open_client` (403 for the role, 404 outside the relationships, for
consultants too: the API has no waarneming form) and `selectors.client_file` with
`sections_for(user, client)`: a section the user may not see is absent from the answer, not
empty, and each section shown is one section-read row (`services.file_sections_read`).
"""

from __future__ import annotations

import django_filters
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Length, NullIf
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from trede.accounts import permissions as perms
from trede.accounts.access import client_scope, sections_for
from trede.accounts.permissions import open_client
from trede.api.serializers import ModelSerializer as ApiModelSerializer
from trede.api.views import LOOKUP, ReferenceViewSet
from trede.audit import events, logevent
from trede.benefits.api import BenefitSerializer, MeasureSerializer
from trede.casework.constants import Category, Route
from trede.casework.contacts.api import ContactSerializer
from trede.casework.intake.api import DiagnosisSerializer
from trede.casework.models import Diagnosis, RouteDecision
from trede.casework.plans.api import PlanSerializer
from trede.employers.api import PlacementSerializer
from trede.instruments.api import TrajectorySerializer
from trede.utils.dates import age_on

from . import selectors
from .models import Client
from .services import file_sections_read

LIST_NAME = "Klanten (API)"
ROUTE_BY_LABEL = {str(label): value for value, label in Route.choices}


class ClientSerializer(ApiModelSerializer):
    """Onderdeel Basisgegevens: naam, klantnummer, leeftijd, postcode, consulent."""

    age = serializers.SerializerMethodField(help_text="Leeftijd in volle jaren op vandaag.")
    consultant_id = serializers.CharField(read_only=True, allow_null=True, help_text="De consulent.")
    consultant_name = serializers.SerializerMethodField(help_text="Naam van de consulent.")

    class Meta:
        model = Client
        fields = [
            "client_id",
            "given_name",
            "family_name",
            "age",
            "postcode4",
            "consultant_id",
            "consultant_name",
        ]

    def get_age(self, client) -> int:
        return age_on(client.birth_date, timezone.localdate())

    def get_consultant_name(self, client) -> str:
        return client.consultant.name if client.consultant_id else ""


class IdentitySerializer(serializers.Serializer):
    bsn = serializers.CharField(help_text="Het BSN (leeg als het onbekend is).")


class DiagnosisSectionSerializer(serializers.Serializer):
    route = serializers.CharField(help_text="Route (van het routebesluit, anders van de laatste diagnose).")
    category = serializers.CharField(help_text="Categorie.")
    client_group = serializers.CharField(help_text="Klantgroep.")
    derived = serializers.BooleanField(
        help_text="Afgeleid uit de laatste diagnose door het beleid, nog geen routebesluit."
    )
    dgr = serializers.BooleanField(allow_null=True, help_text="In het doelgroepregister.")
    statushouder = serializers.BooleanField(allow_null=True, help_text="Statushouder.")
    diagnoses = DiagnosisSerializer(many=True, help_text="Alle diagnoses, nieuwste eerst.")


class WorkProfileSerializer(serializers.Serializer):
    education = serializers.CharField(help_text="Opleiding (code).")
    dutch_language = serializers.CharField(help_text="Nederlandse taal (code).")
    desired_occupations = serializers.ListField(
        child=serializers.CharField(), help_text="Gewenste beroepen (ISCO-08)."
    )
    skills = serializers.ListField(child=serializers.CharField(), help_text="Vaardigheden.")
    hours_available = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, coerce_to_string=False
    )
    max_travel_km = serializers.DecimalField(
        max_digits=6, decimal_places=1, allow_null=True, coerce_to_string=False
    )
    placements = PlacementSerializer(many=True, help_text="Plaatsingen, nieuwste eerst.")


class AnswerSerializer(serializers.Serializer):
    domain = serializers.CharField(help_text="Leefgebied.")
    question_id = serializers.CharField(help_text="De vraag (code).")
    question = serializers.CharField(help_text="De vraag.")
    answer = serializers.CharField(help_text="Het antwoord (code; leeg als niet beantwoord).")
    answer_label = serializers.CharField(help_text="Het antwoord in woorden.")


class LifeDomainsSerializer(serializers.Serializer):
    household = serializers.CharField(help_text="Huishouden (code).")
    answers = AnswerSerializer(
        many=True, help_text="De antwoorden op de vragen over leefgebieden (laatste vragenlijst)."
    )


class ClientFileSerializer(serializers.Serializer):
    """Het dossier van een klant: alleen de onderdelen die u mag zien (een onderdeel dat u niet
    mag zien ontbreekt, het is niet leeg)."""

    client_id = serializers.CharField(help_text="Klantnummer.")
    sections = serializers.ListField(
        child=serializers.CharField(), help_text="De onderdelen in dit antwoord."
    )
    basis = ClientSerializer(required=False, help_text="Basisgegevens.")
    identiteit = IdentitySerializer(required=False, help_text="BSN.")
    diagnose = DiagnosisSectionSerializer(required=False, help_text="Diagnose en route.")
    werkprofiel = WorkProfileSerializer(required=False, help_text="Werkprofiel.")
    leefgebieden = LifeDomainsSerializer(required=False, help_text="Leefgebieden.")
    plan = PlanSerializer(many=True, required=False, help_text="Plannen van aanpak.")
    contacten = ContactSerializer(many=True, required=False, help_text="Contactmomenten.")
    trajecten = TrajectorySerializer(many=True, required=False, help_text="Trajecten.")
    uitkering = BenefitSerializer(many=True, required=False, help_text="Uitkeringen.")
    handhaving = MeasureSerializer(many=True, required=False, help_text="Handhaving.")


def _latest(model, order, value="category"):
    return Subquery(model.objects.filter(client=OuterRef("pk")).order_by(*order).values(value)[:1])


class ClientFilter(django_filters.FilterSet):
    consultant_id = django_filters.CharFilter(
        field_name="consultant_id", label="Alleen de klanten van deze consulent."
    )
    team = django_filters.CharFilter(field_name="consultant__team", label="Alleen de klanten van dit team.")
    category = django_filters.ChoiceFilter(
        choices=Category.choices,
        method="by_category",
        label="Alleen klanten in deze categorie (van het routebesluit, anders van de laatste diagnose); "
        "voor wie de diagnose mag zien.",
    )

    class Meta:
        model = Client
        fields = []

    def by_category(self, queryset, name, value):
        user = self.request.user
        diagnose = perms.SECTION_READ["diagnose"]
        if not perms.role_may(user, diagnose):
            # Filtering on it would show what the role may not read.
            raise perms.refuse(user, diagnose, purpose=events.CLIENT_FILE)
        queryset = queryset.filter(pk__in=client_scope(user, relations=diagnose.relations).values("pk"))
        decided = _latest(RouteDecision, ("-decided_on", "-id"))
        diagnosed = _latest(Diagnosis, ("-date", Length("diagnosis_id").desc(), "-diagnosis_id"))
        return queryset.annotate(_category=Coalesce(NullIf(decided, Value("")), diagnosed, Value(""))).filter(
            _category=value
        )


def _client_file(user, client: Client) -> dict:
    """The visible sections of one file as JSON-ready data (only those the user may see)."""
    sections = sections_for(user, client)
    file = selectors.client_file(user=user, client=client, sections=sections)
    data = file.data
    out: dict = {"client_id": client.pk, "sections": list(file.sections)}
    if "basis" in data:
        out["basis"] = client
    if "identiteit" in data:
        out["identiteit"] = {"bsn": client.bsn}
    if "diagnose" in data:
        part = data["diagnose"]
        current, latest = part["current"], part["latest"]
        out["diagnose"] = {
            "route": (current and current.route) or (latest and latest.route) or "",
            "category": file.category,
            "client_group": (current and current.client_group) or (latest and latest.client_group) or "",
            "derived": file.derived,
            "dgr": client.dgr,
            "statushouder": client.statushouder,
            "diagnoses": part["diagnoses"],
        }
        if file.derived:
            # The file keeps the derived route as its label only.
            out["diagnose"]["route"] = ROUTE_BY_LABEL.get(file.route_label, out["diagnose"]["route"])
    if "werkprofiel" in data:
        part = data["werkprofiel"]
        profile = part["profile"]
        out["werkprofiel"] = {
            "education": client.education,
            "dutch_language": client.dutch_language,
            "desired_occupations": list(profile.desired_occupations) if profile else [],
            "skills": list(profile.skills) if profile else [],
            "hours_available": profile.hours_available if profile else None,
            "max_travel_km": profile.max_travel_km if profile else None,
            "placements": part["placements"],
        }
    if "leefgebieden" in data:
        part = data["leefgebieden"]
        out["leefgebieden"] = {
            "household": client.household,
            "answers": [
                {
                    "domain": str(row["domain"]),
                    "question_id": item["question"].id,
                    "question": str(item["question"].label),
                    "answer": item["answer"] or "",
                    "answer_label": str(item["label"] or ""),
                }
                for row in part["answers"]
                for item in row["items"]
            ],
        }
    if "plan" in data:
        out["plan"] = data["plan"]["plans"]
    if "contacten" in data:
        out["contacten"] = data["contacten"]["contacts"]
    if "trajecten" in data:
        out["trajecten"] = data["trajecten"]["trajectories"]
    if "uitkering" in data:
        out["uitkering"] = data["uitkering"]["benefits"]
    if "handhaving" in data:
        out["handhaving"] = data["handhaving"]["measures"]
    return out


@extend_schema_view(
    list=extend_schema(
        summary="Klanten",
        description="De klanten binnen uw werk (eigen caseload, team, waarneming, verwijzing ...), met "
        "hun basisgegevens. Elke klant op de pagina krijgt een regel in zijn auditlog.",
    ),
    retrieve=extend_schema(
        summary="Dossier van een klant",
        description="Het dossier met precies de onderdelen die uw rol bij deze klant mag zien; elk "
        "getoond onderdeel is een regel in het auditlog van de klant. Buiten uw werk: 404 (ook "
        "voor een klant van een collega: leg dan in Trede een waarneming vast).",
        responses=ClientFileSerializer,
    ),
)
class ClientViewSet(ReferenceViewSet):
    permission = perms.SECTION_READ["basis"]
    audit_purpose = events.CLIENT_FILE
    serializer_class = ClientSerializer
    filterset_class = ClientFilter
    lookup_field = "client_id"
    lookup_value_regex = LOOKUP
    queryset = Client.objects.none()

    def get_queryset(self):
        return client_scope(self.request.user).select_related("consultant")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        logevent.clients_listed(
            request.user,
            [c.pk for c in page],
            list_name=LIST_NAME,
            purpose=self.audit_purpose,
            object_type="api",
        )
        return self.get_paginated_response(ClientSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        client = open_client(
            request.user,
            self.permission,
            self.kwargs["client_id"],
            queryset=Client.objects.select_related("consultant"),
            purpose=self.audit_purpose,
        )
        out = _client_file(request.user, client)
        file_sections_read(user=request.user, client_id=client.pk, sections=out["sections"])
        return Response(ClientFileSerializer(out).data)


ROUTES = [("klanten", ClientViewSet, "client")]
