"""Small helpers shared by the form views of every app."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def show_refusal(form, error: ValidationError) -> int:
    """Put a service's refusal on the form it came from and return the HTTP status.

    A service raises one `ValidationError` for bad input: with an error per field where it
    can name the field (shown beside that field), otherwise as a message for the whole form.
    A field the form does not have goes to the whole form too, so no message is lost. The
    status is the error's own `status_code` when it sets one (409 for an edit over a newer
    edit), else 400.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
    return getattr(error, "status_code", 400)
