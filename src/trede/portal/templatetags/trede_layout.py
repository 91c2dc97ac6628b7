"""Template tags of the shared layout (templates/base.html)."""

from django import template
from django.conf import settings

from ..navigation import nav_items_for

register = template.Library()


@register.inclusion_tag("portal/_nav.html", takes_context=True)
def main_nav(context):
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    return {"items": nav_items_for(user, match.view_name if match else None)}


@register.simple_tag
def demo_mode() -> bool:
    return bool(getattr(settings, "DEMO_MODE", False))


@register.filter
def role_label(user) -> str:
    display = getattr(user, "get_role_display", None)
    return str(display()) if display else ""


@register.simple_tag
def demo_accounts():
    from trede.accounts.services import DEMO_ACCOUNTS

    return DEMO_ACCOUNTS


@register.simple_tag(takes_context=True)
def nav_links(context):
    """The user's navigation items except the current page (for start pages)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    items = nav_items_for(getattr(request, "user", None), match.view_name if match else None)
    return [item for item in items if not item["current"]]
