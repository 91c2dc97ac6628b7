"""`{% load trede_dutch %}`: Dutch numbers in templates, whatever the browser's language.

`{{ value|getal }}` → `12.345`; `{{ value|getal:1 }}` → `12.345,7`; `{{ value|getal:"-1" }}`
gives one decimal unless the value is whole (`24,5`, `24`), like `floatformat:"-1"`, but
Dutch for everyone. `{{ fraction|procent:1 }}` → `12,1%`. `{{ user|persoon:"geen" }}` names
a staff member (full name, else user name), or gives the fallback when the field is empty
(a user deleted later, an employer without accountmanager): Django raises on
`default:x.username` when `x` is None, so nullable user fields go through this filter.
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


@register.filter
def persoon(user, fallback=""):
    if user is None:
        return fallback
    return user.get_full_name() or user.username
