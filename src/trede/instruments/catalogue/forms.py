"""Forms of the catalogue: the filter and the contract manager's instrument form."""

from __future__ import annotations

from django import forms

from trede.casework.common import DateInput  # noqa: F401  (the date widget, for contract forms)
from trede.casework.constants import ClientGroup, Route
from trede.clients.constants import DutchLanguage
from trede.utils.concurrency import EditTokenField

from ..constants import Funding, InstrumentType
from ..models import Instrument, Provider
from .services import INSTRUMENT_FIELDS


def _blank(choices, label="(alle)"):
    return [("", label), *choices]


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label="Zoeken", required=False, max_length=100)
    type = forms.ChoiceField(label="Soort", required=False, choices=_blank(InstrumentType.choices))
    route = forms.ChoiceField(label="Route", required=False, choices=_blank(Route.choices))
    group = forms.ChoiceField(label="Klantgroep", required=False, choices=_blank(ClientGroup.choices))
    funding = forms.ChoiceField(label="Financiering", required=False, choices=_blank(Funding.choices))
    provider = forms.ChoiceField(label="Aanbieder met contract", required=False)
    taal = forms.ChoiceField(
        label="Nederlands van de klant",
        required=False,
        choices=_blank(DutchLanguage.choices, "(niet filteren)"),
    )
    uren = forms.DecimalField(
        label="Beschikbaar (uur per week)", required=False, min_value=0, max_value=80, decimal_places=1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = _blank(
            [(p.pk, p.name or p.pk) for p in Provider.objects.filter(contracts__isnull=False).distinct()]
        )


class InstrumentForm(forms.ModelForm):
    target_routes = forms.MultipleChoiceField(
        label="Past bij de routes",
        required=False,
        choices=Route.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Niets aangevinkt: bij elke route.",
    )
    target_groups = forms.MultipleChoiceField(
        label="Past bij de klantgroepen",
        required=False,
        choices=ClientGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Niets aangevinkt: bij elke klantgroep.",
    )
    token = EditTokenField()

    class Meta:
        model = Instrument
        fields = list(INSTRUMENT_FIELDS)
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_routes"].widget.use_fieldset = True
        self.fields["target_groups"].widget.use_fieldset = True

    def _post_clean(self):
        # The service decides (and names what changed); the form only parses.
        pass


class InstrumentNewForm(InstrumentForm):
    code = forms.CharField(label="Code", max_length=64, help_text="Bijvoorbeeld WEP of JC-2026.")

    class Meta(InstrumentForm.Meta):
        pass
