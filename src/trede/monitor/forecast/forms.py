"""The forecast's form (what to compute) and the scenario form."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from trede.utils.concurrency import EditTokenField, SubmissionKeyField

from ..constants import REGULATIONS
from ..models import ForecastScenario

REGULATION_LABELS = {"pw": "Participatiewet", "ioaw": "IOAW", "ioaz": "IOAZ", "bbz": "Bbz"}


class ForecastForm(forms.Form):
    as_of = forms.DateField(
        label="Peildatum",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Alleen wat op deze dag bekend was telt; een peildatum in het verleden laat zien wat er daarna echt gebeurde.",
    )
    months = forms.IntegerField(label="Maanden vooruit", min_value=1, max_value=120, initial=36)
    scenario = forms.ChoiceField(label="Scenario")
    regulations = forms.MultipleChoiceField(
        label="Regelingen",
        choices=[(code, REGULATION_LABELS.get(code, code)) for code in REGULATIONS],
        widget=forms.CheckboxSelectMultiple,
        initial=["pw"],
        error_messages={"required": "Kies ten minste één regeling."},
    )

    def __init__(self, *args, scenarios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = [(s.code, s.name) for s in scenarios]
        self.fields["as_of"].initial = timezone.localdate()


class ScenarioForm(forms.ModelForm):
    token = EditTokenField()

    class Meta:
        model = ForecastScenario
        fields = ["name", "description", "inflow_multiplier", "outflow_multiplier"]
        help_texts = {
            "inflow_multiplier": "1 = de instroom van de laatste jaren; 1,15 = 15 % meer instroom.",
            "outflow_multiplier": "1 = de uitstroomkansen van de laatste jaren; 0,9 = 10 % minder uitstroom.",
        }
        widgets = {
            "inflow_multiplier": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            "outflow_multiplier": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class ScenarioNewForm(ScenarioForm):
    code = forms.SlugField(
        label="Code",
        max_length=40,
        help_text="Kleine letters, cijfers en liggende streepjes, bv. krappe_arbeidsmarkt; voor --scenario.",
    )
    submission_key = SubmissionKeyField()

    field_order = ["code", "name", "description", "inflow_multiplier", "outflow_multiplier"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["token"]
