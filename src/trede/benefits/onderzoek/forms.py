"""The forms of the rechtmatigheid pages (validation of content is the service's)."""

from __future__ import annotations

from django import forms

from trede.utils.concurrency import EditTokenField, SubmissionKeyField

from .models import Outcome


class OnderzoekForm(forms.Form):
    held_on = forms.DateField(
        label="Datum van het onderzoek",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Vul de datum van het onderzoek in.",
            "invalid": "Vul een geldige datum in.",
        },
    )
    outcome = forms.ChoiceField(
        label="Uitkomst",
        choices=[("", "Kies de uitkomst"), *Outcome.choices],
        error_messages={"required": "Kies de uitkomst van het onderzoek."},
    )
    note = forms.CharField(
        label="Toelichting (niet verplicht)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        help_text="Kort en zakelijk: wat is nagegaan. Alleen wat het onderzoek nodig heeft.",
    )


class RegisterForm(OnderzoekForm):
    submission_key = SubmissionKeyField()


class CorrectForm(OnderzoekForm):
    """Shown on the page beside the register form: its own ids, so each label names its own field."""

    token = EditTokenField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "correctie_%s")
        super().__init__(*args, **kwargs)

    reason = forms.CharField(
        label="Reden van de correctie",
        max_length=500,
        error_messages={"required": "Geef een reden voor het corrigeren."},
        help_text="Blijft bewaard bij de vorige versie, die niet verloren gaat.",
    )


class WithdrawForm(forms.Form):
    token = EditTokenField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "intrekken_%s")
        super().__init__(*args, **kwargs)

    reason = forms.CharField(
        label="Reden van het intrekken",
        max_length=500,
        error_messages={"required": "Geef een reden voor het intrekken."},
        help_text="Bijvoorbeeld: bij de verkeerde klant vastgelegd. Het onderzoek blijft zichtbaar, maar telt niet meer mee.",
    )
