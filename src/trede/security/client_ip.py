"""The client's address for the login lockout (django-axes' AXES_CLIENT_IP_CALLABLE)."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the address the trusted reverse proxy put in TREDE_CLIENT_IP_HEADER.

    Only a configured header is read: without a proxy anyone can send X-Forwarded-For and
    pick a fresh address for every guess. Of a list (X-Forwarded-For: client, proxy1, ...)
    the right-most entry is the one our own proxy added; entries further left come from
    the client and cannot be trusted.
    """
    header = getattr(settings, "TREDE_CLIENT_IP_HEADER", "")
    if header:
        meta_key = "HTTP_" + header.upper().replace("-", "_")
        value = request.META.get(meta_key, "")
        addresses = [part.strip() for part in value.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR")
