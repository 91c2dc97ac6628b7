"""A letter as HTML (one fixed layout: letterhead, addressee, date and kenmerk, subject,
the text) and as PDF with WeasyPrint, as the council report is made."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .rules import text_to_html


def letter_html(
    *,
    letterhead_title: str,
    letterhead_text: str,
    name: str,
    client_number: str,
    letter_date: str,
    reference: str,
    subject: str,
    body_text: str,
) -> str:
    # text_to_html escapes every character of the text: marking its result safe lets only
    # its own headings, paragraphs and lists through.
    return render_to_string(
        "letters/letter.html",
        {
            "letterhead_title": letterhead_title,
            "letterhead": mark_safe(text_to_html(letterhead_text)),  # noqa: S308 (escaped above)
            "name": name,
            "client_number": client_number,
            "letter_date": letter_date,
            "reference": reference,
            "subject": subject,
            "body": mark_safe(text_to_html(body_text)),  # noqa: S308 (escaped above)
        },
    )


def pdf_bytes(html: str) -> bytes:
    from weasyprint import HTML  # loads Pango: only when a letter is made

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return HTML(string=html).write_pdf()
