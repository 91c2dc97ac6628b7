"""Per-request memory of relationships (see `trede.accounts.access.relationships_per_request`)."""

from __future__ import annotations

from .access import relationships_per_request


class RelationshipsPerRequestMiddleware:
    """A page asks for the user's relationship to a client once, however many sections and
    links it checks; forgotten at the end of the request and before any write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with relationships_per_request():
            return self.get_response(request)
