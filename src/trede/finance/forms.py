"""The contract manager's form for room beyond a budget line's budget. The service checks
everything again; the form only parses and labels (Dutch)."""

from __future__ import annotations

from django import forms

from trede.utils.concurrency import SubmissionKeyField

from .services import OVERRIDE_REASON_MAX, OVERRIDE_REASON_MIN


class EuroField(forms.DecimalField):
    """An amount as a Dutch professional writes it: `1.250,50`, `1250,50` or `€ 1250`."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("€", "").replace(" ", "").replace("\u00a0", "").strip()
            if "," in value:
                value = value.replace(".", "")
        return super().to_python(value)


class BudgetAllowanceForm(forms.Form):
    regel = forms.ChoiceField(label="Begrotingsregel")
    amount_eur = EuroField(
        label="Ruimte boven het budget (euro)",
        min_value=0.01,
        max_digits=12,
        decimal_places=2,
        localize=True,
        help_text="Het bedrag waarmee uitgaven en verplichtingen boven het budget mogen komen.",
    )
    reason = forms.CharField(
        label="Reden",
        min_length=OVERRIDE_REASON_MIN,
        max_length=OVERRIDE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bijvoorbeeld het besluit of de afspraak waarop de overschrijding rust. Wordt bewaard en gelogd.",
    )
    submission_key = SubmissionKeyField()

    def __init__(self, *args, lines: list[tuple[str, str, str]], **kwargs):
        """`lines`: (line, funding, label) of the year's lines with a budget."""
        super().__init__(*args, **kwargs)
        self.fields["regel"].choices = [(f"{line}|{funding}", label) for line, funding, label in lines]

    def line_and_funding(self) -> tuple[str, str]:
        line, _sep, funding = self.cleaned_data["regel"].rpartition("|")
        return line, funding
