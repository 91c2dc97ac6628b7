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
