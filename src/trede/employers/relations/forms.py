from __future__ import annotations

from django import forms

from trede.casework.common import DateInput
from trede.utils.concurrency import EditTokenField

from .constants import AgreementKind, MomentKind, PsoLevel


class _Keyed(forms.Form):
    submission_key = forms.CharField(required=False, widget=forms.HiddenInput)
    edit_token = EditTokenField()


class ContactForm(_Keyed):
    # Not required here: the service says what is missing, name and reachability at once.
    name = forms.CharField(label="Naam", max_length=200, required=False)
    function = forms.CharField(
        label="Functie", max_length=200, required=False, help_text="Bijvoorbeeld ‘HR-adviseur’ of ‘eigenaar’."
    )
    email = forms.EmailField(label="E-mailadres", required=False)
    phone = forms.CharField(
        label="Telefoonnummer",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    active = forms.BooleanField(label="Nog aanspreekpunt", required=False, initial=True)


class AgreementForm(_Keyed):
    kind = forms.ChoiceField(label="Soort afspraak", choices=[("", "Kies…"), *AgreementKind.choices])
    description = forms.CharField(
        label="Omschrijving",
        max_length=500,
        required=False,
        help_text="Bijvoorbeeld het contract of de aanbesteding waar de SROI-verplichting bij hoort.",
    )
    start_date = forms.DateField(label="Ingangsdatum", widget=DateInput())
    end_date = forms.DateField(
        label="Einddatum", required=False, widget=DateInput(), help_text="Leeg: loopt door."
    )
    target_jobs = forms.IntegerField(
        label="Afgesproken plaatsingen",
        required=False,
        min_value=1,
        help_text="Bij een banenafspraak of een aanbod van werkstages: hoeveel mensen.",
    )
    sroi_amount = forms.DecimalField(
        label="SROI-bedrag (euro)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
    )
    pso_level = forms.TypedChoiceField(
        label="PSO-niveau",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Geen"), *PsoLevel.choices],
    )


class MomentForm(_Keyed):
    date = forms.DateField(label="Datum", widget=DateInput())
    kind = forms.ChoiceField(label="Soort contact", choices=[("", "Kies…"), *MomentKind.choices])
    contact = forms.TypedChoiceField(label="Met", required=False, coerce=int, empty_value=None)
    subject = forms.CharField(label="Onderwerp", max_length=200)
    note = forms.CharField(label="Verslag", required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = [
            ("", "Niemand in het bijzonder"),
            *[(c.pk, str(c)) for c in contacts],
        ]


class MomentCorrectForm(MomentForm):
    reason = forms.CharField(
        label="Reden van de correctie",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Wat was er niet juist? De vorige versie blijft bewaard.",
    )
