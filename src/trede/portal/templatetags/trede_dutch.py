"""`{% load trede_dutch %}`: Dutch numbers in templates, whatever the browser's language.

`{{ value|getal }}` → `12.345`; `{{ value|getal:1 }}` → `12.345,7`; `{{ value|getal:"-1" }}`
gives one decimal unless the value is whole (`24,5`, `24`), like `floatformat:"-1"`, but
Dutch for everyone. `{{ fraction|procent:1 }}` → `12,1%`.
"""

from django import template

from trede.utils.dutch import format_number, format_percent

register = template.Library()


@register.filter
def getal(value, decimals=0):
    return format_number(value, int(decimals))


@register.filter
def procent(value, decimals=1):
    return format_percent(value, int(decimals))
