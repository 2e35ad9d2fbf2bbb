"""`/health/` for the load balancer: the database answers and every migration is applied.

No login, no data: `{"status": "ok"}` (200) or `{"status": "unavailable"}` (503).
"""

from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Once every migration has been seen applied, a process need not read the graph again:
# migrations are applied before a release's processes start.
_migrated = False


def migrations_applied(alias: str = DEFAULT_DB_ALIAS) -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connections[alias])
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        ready = migrations_applied()
    except DatabaseError:
        ready = False
    return JsonResponse({"status": "ok" if ready else "unavailable"}, status=200 if ready else 503)
