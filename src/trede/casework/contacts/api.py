"""The API of contact moments: read (section `contacten`) and register one.

Registering goes through `services.contact_register`, the same path as the form: the same
permission (`contact.schrijven`, within the relationships), validation, numbering and audit
row. `submission_key` (or the header `Idempotency-Key`, a UUID) plays the form's hidden
key: a second POST with it returns the contact the first one made and records nothing.
"""

from __future__ import annotations

import uuid

import django_filters
from django.db import IntegrityError, OperationalError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.response import Response

from trede.accounts import permissions as perms
from trede.accounts.permissions import open_client
from trede.api import filters
from trede.api.serializers import ModelSerializer as ApiModelSerializer
from trede.api.views import ClientRecordViewSet
from trede.audit import events
from trede.clients.models import Client

from ..constants import ContactKind, ContactOutcome
from .models import Contact
from .services import NOTE_MAX_LENGTH, contact_register

IDEMPOTENCY_HEADER = "Idempotency-Key"


class ContactSerializer(ApiModelSerializer):
    client_id = serializers.CharField(read_only=True, help_text="Klantnummer.")
    consultant_id = serializers.CharField(read_only=True, allow_null=True, help_text="De consulent.")
    withdrawn = serializers.BooleanField(
        source="is_withdrawn", read_only=True, help_text="Ingetrokken: telt niet meer als contact."
    )
    corrected = serializers.BooleanField(
        source="is_corrected", read_only=True, help_text="Gecorrigeerd door wie het vastlegde."
    )

    class Meta:
        model = Contact
        fields = [
            "contact_id",
            "client_id",
            "date",
            "kind",
            "outcome",
            "consultant_id",
            "note",
            "withdrawn",
            "withdrawn_at",
            "withdrawal_reason",
            "corrected",
            "corrected_at",
            "correction_reason",
        ]


class ContactCreateSerializer(serializers.Serializer):
    client_id = serializers.CharField(
        max_length=64, help_text="Klantnummer van de klant met wie het contact was."
    )
    date = serializers.DateField(help_text="Datum van het contact (JJJJ-MM-DD), niet in de toekomst.")
    kind = serializers.ChoiceField(choices=ContactKind.choices, help_text="Soort contact.")
    outcome = serializers.ChoiceField(
        choices=ContactOutcome.choices,
        default=ContactOutcome.GEHOUDEN,
        help_text="Uitkomst (standaard gehouden).",
    )
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, help_text="Het verslag: wat is besproken en afgesproken."
    )
    submission_key = serializers.UUIDField(
        required=False,
        help_text="Eén sleutel per vast te leggen contact: een tweede verzoek met dezelfde sleutel "
        "geeft het eerder vastgelegde contactmoment terug (200) en legt niets nieuws vast.",
    )


class ContactFilter(django_filters.FilterSet):
    client_id = filters.client_filter()
    kind = django_filters.ChoiceFilter(choices=ContactKind.choices, label="Alleen deze soort contact.")
    vars()["from"] = filters.on_or_after("date")
    vars()["to"] = filters.before("date")

    class Meta:
        model = Contact
        fields = []


class Busy(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Het contactmoment is niet opgeslagen: er werd op hetzelfde moment veel vastgelegd. Probeer het opnieuw."
    default_code = "busy"


def _submission_key(request, data) -> uuid.UUID | None:
    body_key = data.get("submission_key")
    header = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if not header:
        return body_key
    try:
        header_key = uuid.UUID(header)
    except ValueError:
        raise exceptions.ValidationError(
            {IDEMPOTENCY_HEADER: [exceptions.ErrorDetail("Geef een UUID als sleutel.", code="invalid")]}
        ) from None
    if body_key is not None and body_key != header_key:
        raise exceptions.ValidationError(
            {
                IDEMPOTENCY_HEADER: [
                    exceptions.ErrorDetail("Verschilt van submission_key: geef één sleutel.", code="mismatch")
                ]
            }
        )
    return header_key


@extend_schema_view(
    list=extend_schema(
        summary="Contactmomenten",
        description="De contactmomenten van de klanten binnen uw werk (onderdeel Contactmomenten van het "
        "dossier), ook ingetrokken en gecorrigeerde, gemarkeerd.",
    ),
    retrieve=extend_schema(summary="Eén contactmoment", description="Een contactmoment op nummer."),
    create=extend_schema(
        summary="Contactmoment vastleggen",
        description="Legt een contactmoment vast zoals het formulier: dezelfde rechten, controles en "
        "auditregel. Met dezelfde sleutel (submission_key of de header Idempotency-Key) een tweede "
        "keer: het eerder vastgelegde contactmoment (200), niets dubbel.",
        request=ContactCreateSerializer,
        responses={201: ContactSerializer, 200: ContactSerializer},
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="Sleutel (UUID) van dit verzoek, als alternatief voor submission_key.",
            )
        ],
    ),
)
class ContactViewSet(mixins.CreateModelMixin, ClientRecordViewSet):
    section = "contacten"
    audit_purpose = events.CONTACT
    queryset = Contact.objects.all()
    serializer_class = ContactSerializer
    filterset_class = ContactFilter
    action_permissions = {"create": perms.CONTACT_WRITE}

    def get_serializer_class(self):
        return ContactCreateSerializer if self.action == "create" else ContactSerializer

    def create(self, request, *args, **kwargs):
        incoming = ContactCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        key = _submission_key(request, data)
        user = request.user
        # 404 outside the relationships, 403 for a relationship that may not write (audited).
        client = open_client(
            user,
            perms.CONTACT_WRITE,
            data["client_id"],
            queryset=Client.objects.select_related("consultant"),
            purpose=events.CONTACT,
        )
        earlier = Contact.objects.filter(submission_key=key).first() if key is not None else None
        if earlier is not None and (earlier.client_id != client.pk or earlier.created_by_id != user.pk):
            raise exceptions.ValidationError(
                {
                    "submission_key": [
                        exceptions.ErrorDetail(
                            "Deze sleutel is al voor een ander contactmoment gebruikt.", code="used"
                        )
                    ]
                }
            )
        try:
            contact = contact_register(
                user=user,
                client=client,
                date=data["date"],
                kind=data["kind"],
                outcome=data["outcome"],
                note=data["note"],
                submission_key=key,
            )
        except (IntegrityError, OperationalError):
            # Many saves at the same moment (a number taken, the database busy): nothing stored.
            raise Busy() from None
        replayed = earlier is not None
        if replayed and (contact.client_id != client.pk or contact.created_by_id != user.pk):
            raise exceptions.ValidationError(
                {
                    "submission_key": [
                        exceptions.ErrorDetail(
                            "Deze sleutel is al voor een ander contactmoment gebruikt.", code="used"
                        )
                    ]
                }
            )
        return Response(
            ContactSerializer(contact).data,
            status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED,
        )


ROUTES = [("contactmomenten", ContactViewSet, "contact")]
