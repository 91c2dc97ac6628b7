"""Every request's section reads in one INSERT (see `trede.audit.services`)."""

from __future__ import annotations

from .services import reads_in_one_insert


class ReadsPerRequestMiddleware:
    """Collects the section-read audit rows of a request and writes them in one INSERT
    when the view has answered, before the response is returned: inside the request, so a
    failing write turns into an error page instead of a page without its audit rows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with reads_in_one_insert():
            return self.get_response(request)
