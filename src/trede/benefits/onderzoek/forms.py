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


class InvitationForm(forms.Form):
    """The appointment of the invitation letter (decision 169): what the consultant fills in;
    the rest of the letter is the beheerder's text."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "uitnodiging_%s")
        super().__init__(*args, **kwargs)

    on = forms.DateField(
        label="Datum van het gesprek",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Vul de datum van het gesprek in.",
            "invalid": "Vul een geldige datum in.",
        },
    )
    at = forms.TimeField(
        label="Tijd",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": "Vul de tijd van het gesprek in.",
            "invalid": "Vul een geldige tijd in, bijvoorbeeld 10:30.",
        },
    )
    place = forms.CharField(
        label="Plaats",
        max_length=200,
        widget=forms.TextInput(attrs={"maxlength": 200, "autocomplete": "off"}),
        error_messages={
            "required": "Vul de plaats van het gesprek in (het adres of de naam van het gebouw)."
        },
        help_text="Het adres en zo nodig de kamer of balie.",
    )
    bring = forms.CharField(
        label="Verder meenemen (niet verplicht)",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
        help_text="Alleen wat dit onderzoek nodig heeft. De vaste lijst staat al in de brief.",
    )
