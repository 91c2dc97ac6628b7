"""Endpoints from the provider's discovery document, read on first use (never at start:
Trede starts while the provider is down) and kept for the life of the process."""

from __future__ import annotations

import threading

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# mozilla-django-oidc's setting → the discovery document's field.
FIELDS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "TREDE_OIDC_ISSUER": "issuer",
}
_lock = threading.Lock()
_documents: dict[str, dict] = {}


def document(url: str) -> dict:
    with _lock:
        if url not in _documents:
            response = requests.get(url, timeout=getattr(settings, "OIDC_TIMEOUT", 10))
            response.raise_for_status()
            _documents[url] = response.json()
        return _documents[url]


def forget() -> None:
    with _lock:
        _documents.clear()


def oidc_setting(attr, *default):
    """mozilla-django-oidc's `get_settings`, with the endpoints from discovery when they
    are not set explicitly."""
    value = getattr(settings, attr, None)
    if value:
        return value
    url = getattr(settings, "TREDE_OIDC_DISCOVERY_URL", "")
    if attr in FIELDS and url:
        found = document(url).get(FIELDS[attr])
        if found:
            return found
    if value is not None:
        return value
    if default:
        return default[0]
    raise ImproperlyConfigured(f"Instelling {attr} ontbreekt voor inloggen met het gemeente-account.")
