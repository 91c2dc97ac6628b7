from __future__ import annotations

from django import forms

from trede.casework.common import DateInput
from trede.utils.concurrency import EditTokenField, SubmissionKeyField

from .constants import LOCATION_MAX, NAME_MAX, EventKind


class EventForm(forms.Form):
    name = forms.CharField(
        label="Naam", max_length=NAME_MAX, help_text="Bijvoorbeeld ‘Netwerkcafé zorg en schoonmaak’."
    )
    kind = forms.ChoiceField(label="Soort", choices=EventKind.choices, initial=EventKind.NETWERKCAFE)
    date = forms.DateField(label="Datum", widget=DateInput)
    location = forms.CharField(label="Locatie", max_length=LOCATION_MAX, required=False)
    submission_key = SubmissionKeyField()
    edit_token = EditTokenField()
