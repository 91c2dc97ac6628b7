"""Filters shared by the domain endpoints (django-filter), with Dutch help texts.

`from` is inclusive and `to` exclusive, as everywhere in Trede's figures and commands.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q

FROM_HELP = "Vanaf deze datum (JJJJ-MM-DD, telt mee)."
TO_HELP = "Tot deze datum (JJJJ-MM-DD, telt niet mee)."


def on_or_after(field: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(field_name=field, lookup_expr="gte", label=FROM_HELP)


def before(field: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(field_name=field, lookup_expr="lt", label=TO_HELP)


def overlapping(start: str, end: str):
    """`from`/`to` filters on a period record (a benefit, a placement): the records that run
    on at least one day of [from, to); an empty end means still running."""

    def after(queryset, name, value):
        return queryset.filter(Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": value}))

    def until(queryset, name, value):
        return queryset.filter(**{f"{start}__lt": value})

    return (
        django_filters.DateFilter(method=after, label="Lopend op of na deze datum (JJJJ-MM-DD)."),
        django_filters.DateFilter(
            method=until, label="Begonnen voor deze datum (JJJJ-MM-DD, telt niet mee)."
        ),
    )


def client_filter(field: str = "client") -> django_filters.CharFilter:
    return django_filters.CharFilter(field_name=f"{field}_id", label="Alleen van deze klant (klantnummer).")
