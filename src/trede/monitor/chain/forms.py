"""What to attribute: a period and the regulations."""

from __future__ import annotations

from datetime import date

from django import forms

from ..constants import REGULATIONS
from ..forecast.forms import REGULATION_LABELS


class AttributionForm(forms.Form):
    date_from = forms.DateField(label="Vanaf", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(
        label="Tot (telt niet mee)",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Bijvoorbeeld 1 januari tot 1 januari: één kalenderjaar.",
    )
    regulations = forms.MultipleChoiceField(
        label="Regelingen",
        choices=[(code, REGULATION_LABELS.get(code, code)) for code in REGULATIONS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Kies ten minste één regeling."},
    )

    def clean(self):
        data = super().clean()
        lo, hi = data.get("date_from"), data.get("date_to")
        if lo and hi and hi <= lo:
            raise forms.ValidationError("'Tot' moet na 'Vanaf' liggen.")
        return data

    @staticmethod
    def defaults(today: date) -> dict:
        """The last complete calendar year, Participatiewet."""
        return {
            "date_from": date(today.year - 1, 1, 1).isoformat(),
            "date_to": date(today.year, 1, 1).isoformat(),
            "regulations": ["pw"],
        }
