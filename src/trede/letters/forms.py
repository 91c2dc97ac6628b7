"""The template form (what the text may contain is the service's check)."""

from __future__ import annotations

from django import forms

from trede.utils.concurrency import EditTokenField

from .services import BODY_MAX, SUBJECT_MAX


class TemplateForm(forms.Form):
    subject = forms.CharField(
        label="Onderwerp",
        max_length=SUBJECT_MAX,
        widget=forms.TextInput(attrs={"maxlength": SUBJECT_MAX}),
        error_messages={"required": "Vul het onderwerp in."},
    )
    body = forms.CharField(
        label="Tekst van de brief",
        max_length=BODY_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 28, "maxlength": BODY_MAX, "spellcheck": "true"}),
        error_messages={"required": "Vul de tekst van de brief in."},
        help_text=(
            "Een regel die begint met '# ' is een kopje, een regel die begint met '- ' is een "
            "opsomming, een lege regel begint een nieuwe alinea."
        ),
    )
    edit_token = EditTokenField()
