"""The form of a contact moment; the services decide and write."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from ..common import DateInput
from ..constants import ContactKind, ContactOutcome


class ContactForm(forms.Form):
    date = forms.DateField(label="Datum", widget=DateInput())
    kind = forms.ChoiceField(label="Soort contact", choices=ContactKind.choices)
    outcome = forms.ChoiceField(
        label="Uitkomst",
        choices=ContactOutcome.choices,
        initial=ContactOutcome.GEHOUDEN,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Verslag",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kort en feitelijk: wat is besproken en afgesproken.",
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError("Een contactmoment kan niet in de toekomst liggen.")
        return day
