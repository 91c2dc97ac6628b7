from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from trede.accounts.models import Role
from trede.casework.common import DateInput
from trede.utils.concurrency import EditTokenField

from ..constants import Contract, Subsidy
from ..models import Employer

# Who may be a jobcoach from Trede's own staff (a jobcoach of a provider is typed by name).
JOBCOACH_ROLES = (Role.CONSULENT_WERK, Role.ACCOUNTMANAGER, Role.TEAMLEIDER)


class _StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class PlacementForm(forms.Form):
    employer = forms.ModelChoiceField(
        label="Werkgever", queryset=Employer.objects.none(), empty_label="Kies de werkgever"
    )
    start_date = forms.DateField(label="Startdatum", widget=DateInput())
    end_date = forms.DateField(
        label="Einddatum",
        required=False,
        widget=DateInput(),
        help_text="De eerste dag niet meer aan het werk; leeg bij een contract zonder einddatum. "
        "Een proefplaatsing heeft altijd een einddatum.",
    )
    contract = forms.ChoiceField(
        label="Soort contract", choices=[("", "Kies de soort contract"), *Contract.choices]
    )
    hours_per_week = forms.DecimalField(
        label="Uren per week", min_value=0, max_digits=5, decimal_places=1, localize=True
    )
    subsidy = forms.ChoiceField(label="Subsidie", choices=Subsidy.choices, initial=Subsidy.GEEN)
    wage_value_pct = forms.DecimalField(
        label="Loonwaarde (% van het wettelijk minimumloon)",
        required=False,
        max_digits=5,
        decimal_places=2,
        localize=True,
        help_text="Verplicht bij loonkostensubsidie: de vastgestelde loonwaarde.",
    )
    supplementary_benefit = forms.BooleanField(
        label="Deeltijdwerk met een aanvullende uitkering (de uitkering loopt door: een plaatsing, geen uitstroom)",
        required=False,
    )
    jobcoach = _StaffChoice(
        label="Jobcoach (medewerker van de gemeente)",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Geen of een ander (vul de naam in)",
    )
    jobcoach_name = forms.CharField(
        label="Jobcoach (naam, bijvoorbeeld van de aanbieder)", required=False, max_length=200
    )
    submission_key = forms.CharField(required=False, widget=forms.HiddenInput)
    voordracht = forms.IntegerField(required=False, widget=forms.HiddenInput)
    edit_token = EditTokenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.order_by("name", "employer_id")
        self.fields["jobcoach"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, role__in=JOBCOACH_ROLES)
            .order_by("first_name", "last_name")
        )


class PlacementCorrectForm(PlacementForm):
    reason = forms.CharField(
        label="Reden van de correctie",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Wat was er niet juist? De vorige versie blijft bewaard.",
    )


class NazorgForm(forms.Form):
    moment_months = forms.TypedChoiceField(label="Nazorgmoment", coerce=int)
    contact_date = forms.DateField(label="Datum van het contact", widget=DateInput())
    still_at_work = forms.TypedChoiceField(
        label="Nog aan het werk?",
        choices=[("ja", "Ja"), ("nee", "Nee")],
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
    )
    remarks = forms.CharField(
        label="Opmerkingen", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    submission_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, moments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["moment_months"].choices = list(moments)
