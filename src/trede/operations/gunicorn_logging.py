"""The access log of `trede serve`: one line per request, without the query string.

The query string can hold what a user searched for (a name, a BSN), so the line has the
method, the path, the status, the duration and the request id (from the response header
that `RequestIdMiddleware` set), and no address, user agent or referrer. In JSON mode
those are separate keys (`trede.operations.logs.JsonFormatter`).
"""

from __future__ import annotations

from gunicorn import glogging


class AccessLogger(glogging.Logger):
    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        request_id = next(
            (value for name, value in (resp.headers or ()) if name.lower() == "x-request-id"), None
        )
        duration_ms = round(request_time.total_seconds() * 1000, 1)
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
        try:
            self.access_log.info(
                "%s %s %s %.1f ms",
                method,
                path,
                status,
                duration_ms,
                extra={
                    "request_id": request_id,
                    "method": method,
                    "path": path,
                    "status": int(status),
                    "duration_ms": duration_ms,
                },
            )
        except Exception:  # a log line must never fail a request
            self.exception("access log")
