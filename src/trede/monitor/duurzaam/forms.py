"""Which years, regulations and group the durability figures are about."""

from __future__ import annotations

from datetime import date

from django import forms

from ..constants import REGULATIONS
from ..dashboard.forms import CLIENT_GROUP_LABELS
from ..forecast.forms import REGULATION_LABELS

YEARS_BACK = 10  # the dashboard's "up to ten years"


class YearRangeForm(forms.Form):
    """Calendar years, at most ten (also the enforcement figures' form)."""

    year_from = forms.IntegerField(label="Van jaar", min_value=1991, max_value=2100)
    year_to = forms.IntegerField(label="Tot en met jaar", min_value=1991, max_value=2100)

    def clean(self):
        data = super().clean()
        lo, hi = data.get("year_from"), data.get("year_to")
        if lo and hi:
            if hi < lo:
                raise forms.ValidationError("'Tot en met jaar' mag niet voor 'Van jaar' liggen.")
            if hi - lo >= YEARS_BACK:
                raise forms.ValidationError(f"Kies ten hoogste {YEARS_BACK} jaar.")
        return data

    @staticmethod
    def defaults(today: date) -> dict:
        """The last five years up to this one (this year's figures are partial: its months
        are still running, and the page says so)."""
        return {"year_from": str(today.year - 4), "year_to": str(today.year)}


class DurabilityForm(YearRangeForm):
    regulations = forms.MultipleChoiceField(
        label="Regelingen",
        choices=[(code, REGULATION_LABELS.get(code, code)) for code in REGULATIONS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Kies ten minste één regeling."},
    )
    doelgroep = forms.ChoiceField(
        label="Groep",
        required=False,
        choices=[("", "Iedereen"), *CLIENT_GROUP_LABELS.items()],
        help_text="Uitkeringen en plaatsingen van deze groep.",
    )

    @staticmethod
    def defaults(today: date) -> dict:
        return {**YearRangeForm.defaults(today), "regulations": ["pw"]}
