"""Cursor pagination for every list: stable under inserts, and no page number to count."""

from __future__ import annotations

from rest_framework import exceptions, pagination


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    cursor_query_description = (
        "De cursor van een pagina: neem hem over uit `next` of `previous` van het vorige antwoord."
    )
    page_size_query_description = "Aantal resultaten per pagina (standaard 50, ten hoogste 200)."
    invalid_cursor_message = "Deze cursor is ongeldig: neem hem over uit `next` of `previous`."

    def get_ordering(self, request, queryset, view):
        # The primary key (an interchange id or a sequence): unique, so no row is skipped.
        return (getattr(view, "cursor_ordering", "pk"),)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound:
            cursor = None
            bad = True
        else:
            bad = cursor is not None and cursor.position is not None and "\x00" in cursor.position
        if bad:
            # Bad input, not a missing page: 400 with the parameter named.
            raise exceptions.ValidationError(
                {
                    self.cursor_query_param: [
                        exceptions.ErrorDetail(self.invalid_cursor_message, code="invalid")
                    ]
                }
            )
        return cursor
