"""The committed OpenAPI schema is what the code produces: a change to an endpoint, a
serializer or a description changes the schema, and then this test fails until the file
is regenerated (and reviewed in the diff)."""

from __future__ import annotations

from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.validation import validate_schema

from trede.api.schema import REGENERATE
from trede.api.urls import SCHEMA_FILE


def generated() -> bytes:
    with translation.override("nl"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    return OpenApiYamlRenderer().render(schema, renderer_context={})


def test_committed_schema_is_the_generated_one():
    committed = SCHEMA_FILE.read_bytes()
    assert generated() == committed, (
        f"src/trede/api/openapi.yaml loopt achter op de code. Maak het opnieuw met:\n    {REGENERATE}\n"
        "en bekijk de wijziging in de diff."
    )


def test_the_schema_is_served(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert b"".join(response.streaming_content) == SCHEMA_FILE.read_bytes()
