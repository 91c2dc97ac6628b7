"""The form of a contact moment; the services decide and write."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from trede.utils.concurrency import EditTokenField, SubmissionKeyField

from ..common import DateInput
from ..constants import ContactKind, ContactOutcome
from .services import EARLIEST_CONTACT, NOTE_MAX_LENGTH, REASON_MAX_LENGTH


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


def _reason_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": "Geef de reden: wat was er niet juist?",
            "max_length": f"De reden is te lang: ten hoogste {REASON_MAX_LENGTH} tekens.",
        },
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
    )


class ContactCorrectionForm(ContactForm):
    """The contact as it should have been recorded, and why; the version before stays."""

    submission_key = None
    reason = _reason_field(
        "Reden van de correctie",
        "Wat was er niet juist? De vorige versie blijft zichtbaar in de geschiedenis.",
    )
    token = EditTokenField()


class ContactWithdrawForm(forms.Form):
    reason = _reason_field(
        "Reden van het intrekken",
        "Bijvoorbeeld: vastgelegd bij de verkeerde klant, of het gesprek heeft niet plaatsgevonden.",
    )
    token = EditTokenField()
