"""The form of a contact moment; the services decide and write."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from trede.utils.concurrency import SubmissionKeyField

from ..common import DateInput
from ..constants import ContactKind, ContactOutcome
from .services import EARLIEST_CONTACT, NOTE_MAX_LENGTH


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
        max_length=NOTE_MAX_LENGTH,
        error_messages={
            "required": "Schrijf een verslag: wat is besproken en afgesproken (of waarom het niet doorging).",
            "max_length": "Het verslag is te lang: ten hoogste 10.000 tekens.",
        },
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kort en feitelijk: wat is besproken en afgesproken.",
    )
    # One per opened form: a second submit of it (back button, double click) stores nothing new.
    submission_key = SubmissionKeyField()

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError("Een contactmoment kan niet in de toekomst liggen.")
        if day < EARLIEST_CONTACT:
            raise forms.ValidationError("Een contactmoment kan niet voor 1900 liggen.")
        return day
