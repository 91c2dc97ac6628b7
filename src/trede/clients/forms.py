from django import forms

from trede.casework.classification import CLIENT_GROUP_LABELS
from trede.casework.constants import Route

from .selectors import BENEFIT_FILTERS, SORT_KEYS
from .services import WAARNEMING_MAX_DAYS


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Naam, BSN of klantnummer",
        max_length=100,
        required=False,
        strip=True,
    )


class CaseloadFilterForm(forms.Form):
    route = forms.ChoiceField(label="Route", required=False, choices=[("", "Alle routes"), *Route.choices])
    klantgroep = forms.ChoiceField(
        label="Klantgroep",
        required=False,
        choices=[("", "Alle klantgroepen")]
        + [(code, label) for code, label in CLIENT_GROUP_LABELS.items() if code != "onbekend"],
    )
    uitkering = forms.ChoiceField(
        label="Uitkering",
        required=False,
        choices=list(BENEFIT_FILTERS.items()),
        initial="actueel",
        widget=forms.Select(attrs={"aria-describedby": "uitkering-uitleg"}),
    )
    sorteer = forms.ChoiceField(
        required=False,
        choices=[(k, k) for k in SORT_KEYS] + [(f"-{k}", f"-{k}") for k in SORT_KEYS],
    )

    def filters(self) -> dict:
        """The valid choices as keyword arguments of `caseload_rows` (invalid ones ignored)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "route": data.get("route", ""),
            "client_group": data.get("klantgroep", ""),
            "benefit": data.get("uitkering") or "actueel",
            "sort": data.get("sorteer") or "naam",
        }


DAY_CHOICES = [(1, "1 dag (vandaag)"), (7, "1 week"), (14, "2 weken"), (WAARNEMING_MAX_DAYS, "30 dagen")]


class WaarnemingForm(forms.Form):
    reden = forms.CharField(
        label="Reden van de waarneming",
        help_text="Bijvoorbeeld: collega is ziek en klant belt over een afspraak. "
        "De privacyfunctionaris kan deze reden lezen.",
        max_length=300,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Geef een reden op. Zonder reden kunt u het dossier van een collega niet inzien.",
            "min_length": "Geef een reden van minstens %(limit_value)d tekens.",
        },
    )
    dagen = forms.TypedChoiceField(
        label="Hoe lang",
        choices=DAY_CHOICES,
        coerce=int,
        initial=14,
    )
