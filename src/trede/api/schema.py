"""The OpenAPI schema (drf-spectacular): every operation documents its problem documents.

The committed schema is `openapi.yaml` beside this module; `test_schema.py` fails when the
code no longer produces it. Regenerate with:

    TREDE_DEMO=1 trede spectacular --lang nl --validate --fail-on-warn --file src/trede/api/openapi.yaml
"""

from __future__ import annotations

import re

from django.conf import settings
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .problems import CONTENT_TYPE
from .serializers import ProblemSerializer, ValidationProblemSerializer

REGENERATE = (
    "TREDE_DEMO=1 trede spectacular --lang nl --validate --fail-on-warn --file src/trede/api/openapi.yaml"
)

ERRORS = {
    "400": (ValidationProblemSerializer, "Ongeldige invoer: zie `invalidParams`."),
    "401": (ProblemSerializer, "Niet ingelogd."),
    "403": (ProblemSerializer, "Deze rol (of dit token) mag dit niet; de weigering staat in het auditlog."),
    "404": (ProblemSerializer, "Bestaat niet of valt buiten uw werk (ook een klant van een collega)."),
}
WRITE_ERRORS = {
    "409": (
        ProblemSerializer,
        "Botst met wat al is vastgelegd (bijvoorbeeld een sleutel die al gebruikt is); probeer het opnieuw.",
    ),
    "415": (ProblemSerializer, "Stuur de inhoud als application/json."),
}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, text in (("200", "Gelukt."), ("201", "Vastgelegd.")):
            if code in responses and not responses[code].get("description"):
                responses[code]["description"] = text
        errors = dict(ERRORS)
        if self.method in ("POST", "PUT", "PATCH"):
            errors.update(WRITE_ERRORS)
        for code, (serializer, description) in errors.items():
            if code not in responses:
                response = self._get_response_for_code(serializer, code, media_types=[CONTENT_TYPE])
                response["description"] = description
                responses[code] = response
        return responses


class SessionScheme(OpenApiAuthenticationExtension):
    """Session login: log in on the pages (with the second step); the cookie is the key."""

    target_class = "trede.api.authentication.SessionAuthentication"
    name = "sessie"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "De sessie van een gebruiker die op de schermen van Trede is ingelogd. Een POST "
            "vraagt ook de header X-CSRFToken met de waarde van de cookie csrftoken.",
        }


ENGLISH_ID = re.compile(r"^A unique (?:integer )?value identifying this (.+)\.$")


def dutch_descriptions(result, generator, request, public):
    """POSTPROCESSING_HOOKS: drf-spectacular's own texts in Dutch (the path parameters)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                match = ENGLISH_ID.match(parameter.get("description", ""))
                if match:
                    parameter["description"] = f"Het nummer of de code ({match.group(1)})."
    return result
