"""The forms of the handhaving pages (validation of content is the service's)."""

from __future__ import annotations

from django import forms

from trede.casework.policy.forms import PercentField
from trede.utils.concurrency import EditTokenField, SubmissionKeyField

from ..constants import MeasureKind
from .models import HearingForm, SignalKind, Verwijtbaarheid


def _date(label, required_message):
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": required_message, "invalid": "Vul een geldige datum in."},
    )


def _reason(label, message, help_text):
    return forms.CharField(
        label=label, max_length=500, error_messages={"required": message}, help_text=help_text
    )


class SignalForm(forms.Form):
    signal_kind = forms.ChoiceField(
        label="Signaal",
        choices=[("", "Kies wat er gebeurde"), *SignalKind.choices],
        error_messages={"required": "Kies wat er gebeurde."},
    )
    signal_date = _date("Datum van de gedraging", "Vul de datum van de gedraging in.")
    description = forms.CharField(
        label="Wat er gebeurde",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        error_messages={"required": "Beschrijf kort wat er gebeurde."},
        help_text="Feitelijk: welke afspraak, welk aanbod, welke inkomsten. Alleen wat de zaak nodig heeft.",
    )
    benadelingsbedrag = PercentField(
        label="Benadelingsbedrag in euro (alleen bij de inlichtingenplicht)",
        required=False,
        max_digits=10,
        help_text="Wat er te veel aan bijstand is betaald, zoals 420 of 420,50.",
        error_messages={
            "invalid": "Vul een bedrag in als getal, zoals 420 of 420,50.",
            "max_decimal_places": "Gebruik hoogstens twee cijfers na de komma.",
            "max_digits": "Vul een bedrag in van hoogstens acht cijfers voor de komma.",
            "max_whole_digits": "Vul een bedrag in van hoogstens acht cijfers voor de komma.",
        },
    )


class SignalNewForm(SignalForm):
    submission_key = SubmissionKeyField()


class SignalCorrectForm(SignalForm):
    token = EditTokenField()
    reason = _reason(
        "Reden van de correctie",
        "Geef een reden voor het corrigeren.",
        "Blijft bewaard; de eerste versie van het signaal gaat niet verloren.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "signaal_%s")
        super().__init__(*args, **kwargs)


class HorenForm(forms.Form):
    held_on = _date("Gehoord op", "Vul de datum van het horen in.")
    form = forms.ChoiceField(
        label="Hoe is de klant gehoord",
        choices=[("", "Kies hoe"), *HearingForm.choices],
        error_messages={"required": "Kies hoe de klant is gehoord."},
    )
    statement = forms.CharField(
        label="Wat de klant zei",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
        help_text="De zienswijze van de klant in eigen woorden; leeg alleen als de klant niet reageerde.",
    )


class HorenNewForm(HorenForm):
    submission_key = SubmissionKeyField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "horen_%s")
        super().__init__(*args, **kwargs)


class HorenCorrectForm(HorenForm):
    token = EditTokenField()
    reason = _reason(
        "Reden van de correctie",
        "Geef een reden voor het corrigeren.",
        "Blijft bewaard; wat eerst was vastgelegd gaat niet verloren.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "horencorrectie_%s")
        super().__init__(*args, **kwargs)


class BesluitForm(forms.Form):
    kind = forms.ChoiceField(
        label="Besluit",
        choices=[("", "Kies het besluit"), *MeasureKind.choices],
        error_messages={"required": "Kies het soort besluit."},
    )
    category = forms.ChoiceField(
        label="Categorie gedraging (bij een maatregel)",
        required=False,
        choices=[],
        help_text="Uit de maatregelenverordening; het percentage en de duur volgen daaruit.",
    )
    verwijtbaarheid = forms.ChoiceField(
        label="Verwijtbaarheid",
        choices=[("", "Kies de mate van verwijtbaarheid"), *Verwijtbaarheid.choices],
        error_messages={"required": "Leg vast in welke mate de gedraging verwijtbaar is."},
    )
    dringende_redenen = forms.BooleanField(label="Er zijn dringende redenen", required=False)
    dringende_redenen_note = forms.CharField(
        label="Dringende redenen: toelichting",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
        help_text="Alleen als er dringende redenen zijn: welke.",
    )
    tegenprestatie_months = forms.IntegerField(
        label="Duur van de tegenprestatie (maanden)", required=False, min_value=1, max_value=24
    )
    hours_per_week = forms.IntegerField(
        label="Uren per week (bij een tegenprestatie)", required=False, min_value=1, max_value=40
    )
    motivation = forms.CharField(
        label="Motivering",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
        error_messages={"required": "Motiveer het besluit."},
        help_text="De feiten, wat de klant bij het horen zei en de afweging; dit komt in de beschikking.",
    )
    submission_key = SubmissionKeyField()

    def __init__(self, *args, categories=(), **kwargs):
        kwargs.setdefault("auto_id", "besluit_%s")
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Geen (geen maatregel)")] + [
            (c.code, f"{c.code}. {c.name}") for c in categories
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reden",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
        error_messages={"required": "Geef een reden."},
    )

    def __init__(self, *args, prefix_id="reden", label="Reden", **kwargs):
        kwargs.setdefault("auto_id", f"{prefix_id}_%s")
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label


class ApproveForm(forms.Form):
    """Approving has nothing to fill in; the form carries a refusal back to the page."""
