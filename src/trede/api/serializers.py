"""Serializers shared by every domain's API: the problem document and its parts."""

from __future__ import annotations

from rest_framework import serializers


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="De parameter of het veld (met punten in een genest veld).")
    code = serializers.CharField(
        help_text="Een code voor het soort fout, bijvoorbeeld `required` of `invalid`."
    )
    reason = serializers.CharField(help_text="Wat er niet klopt, in het Nederlands.")


class ProblemSerializer(serializers.Serializer):
    """Een probleemdocument (RFC 9457)."""

    type = serializers.CharField(help_text="Het soort probleem, als URI.")
    title = serializers.CharField(help_text="Korte omschrijving van het soort probleem.")
    status = serializers.IntegerField(help_text="De HTTP-statuscode.")
    detail = serializers.CharField(help_text="Wat er in dit geval misging.")
    instance = serializers.CharField(help_text="Het adres van het verzoek.")


class ValidationProblemSerializer(ProblemSerializer):
    """Een probleemdocument bij ongeldige invoer, met de ongeldige parameters."""

    invalidParams = InvalidParamSerializer(many=True, help_text="Elke ongeldige parameter met de reden.")


# The range of each integer column as the model type defines it, the same on every database
# (Django's own range validators follow the database: SQLite's are 64-bit, PostgreSQL's
# smallint is 16-bit, and the schema would differ between the two).
INTEGER_RANGES = {
    "PositiveSmallIntegerField": (0, 32767),
    "SmallIntegerField": (-32768, 32767),
    "PositiveIntegerField": (0, 2147483647),
    "IntegerField": (-2147483648, 2147483647),
    "PositiveBigIntegerField": (0, 9223372036854775807),
    "BigIntegerField": (-9223372036854775808, 9223372036854775807),
}


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose fields (and so the schema) do not depend on the database."""

    def build_standard_field(self, field_name, model_field):
        from django.core.validators import MaxValueValidator, MinValueValidator

        field_class, kwargs = super().build_standard_field(field_name, model_field)
        bounds = INTEGER_RANGES.get(model_field.get_internal_type())
        if bounds is None:
            return field_class, kwargs
        declared = list(model_field._validators)
        kwargs["validators"] = [
            v
            for v in kwargs.get("validators", [])
            if v in declared or not isinstance(v, (MinValueValidator, MaxValueValidator))
        ]
        lows = [v.limit_value for v in declared if isinstance(v, MinValueValidator)]
        highs = [v.limit_value for v in declared if isinstance(v, MaxValueValidator)]
        kwargs["min_value"] = max([bounds[0], *lows])
        kwargs["max_value"] = min([bounds[1], *highs])
        return field_class, kwargs
