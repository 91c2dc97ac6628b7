"""`/gezondheid/`: is this Trede able to serve? For load balancers, Docker and monitoring.

Answered by `HealthMiddleware`, near the top of MIDDLEWARE, before anything that could
refuse or redirect an anonymous probe: the https redirect (a probe inside the container
speaks plain http), the host check (a probe uses 127.0.0.1, not the public name), the
session, login and the second login step. That is safe because the answer is fixed JSON
that reads nothing from the request and holds no personal data, no host name, no error
text: only whether the database answers and whether every migration is applied.
"""

from __future__ import annotations

import json
import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

PATH = "/gezondheid/"
logger = logging.getLogger(__name__)

# Migration files cannot change under a running process, and applied migrations are only
# undone by hand; so once all were applied this process need not build the graph again.
_migrations_seen_applied = False


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("gezondheid: database niet bereikbaar", exc_info=True)
        return False


def migrations_applied() -> bool:
    global _migrations_seen_applied
    if _migrations_seen_applied:
        return True
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        logger.warning("gezondheid: migraties niet te lezen", exc_info=True)
        return False
    _migrations_seen_applied = not plan
    return not plan


def health() -> tuple[int, dict]:
    database = database_reachable()
    migrations = database and migrations_applied()
    healthy = database and migrations
    body = {"status": "ok" if healthy else "fout", "database": database, "migrations": migrations}
    return (200 if healthy else 503), body


def health_response(request) -> HttpResponse:
    status, body = health()
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    if request.method == "HEAD":
        response.content = b""
    add_never_cache_headers(response)
    return response


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH:
            if request.method not in ("GET", "HEAD"):
                response = HttpResponse(status=405)
                response["Allow"] = "GET, HEAD"
                return response
            return health_response(request)
        return self.get_response(request)
