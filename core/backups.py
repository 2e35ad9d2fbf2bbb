"""What `manage.py backup` and `restore` share: the database's connection settings for
pg_dump / pg_restore (the owner's when there is one), row counts and file checksums."""

import hashlib
import logging
import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections

from core.dbroles import OWNER_ALIAS

log = logging.getLogger(__name__)


def owner_alias() -> str:
    return OWNER_ALIAS if OWNER_ALIAS in settings.DATABASES else "default"


def database_settings() -> dict:
    return connections[owner_alias()].settings_dict


def _tool(name: str) -> str:
    """pg_dump / pg_restore: from PG_BIN_DIR, the private server's binaries, or the PATH."""
    candidates = [os.environ.get("PG_BIN_DIR", "")]
    try:
        from core.devdb import bin_dir  # development only: the embedded server's binaries

        candidates.append(str(bin_dir()))
    except Exception as error:
        log.debug("no embedded PostgreSQL binaries: %s", error)
    for folder in candidates:
        if folder and (Path(folder) / name).exists():
            return str(Path(folder) / name)
    found = shutil.which(name)
    if not found:
        raise CommandError(f"{name} not found: install the PostgreSQL client or set PG_BIN_DIR")
    return found


def run_tool(name: str, db: dict, *args: str) -> None:
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host", "")
    command = [_tool(name), f"--dbname={db['NAME']}", f"--username={db['USER']}", *args]
    if host:
        command.append(f"--host={host}")
    if db.get("PORT"):
        command.append(f"--port={db['PORT']}")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(f"{name} failed: {result.stderr.strip()}")


def row_counts(alias: str | None = None) -> dict[str, int]:
    """Rows of every table, in one statement."""
    connection = connections[alias or owner_alias()]
    tables = sorted(connection.introspection.table_names())
    if not tables:
        return {}
    parts = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)  # noqa: S608 (catalogue names)
    with connection.cursor() as cursor:
        cursor.execute(parts)
        return dict(cursor.fetchall())


def file_checksums(root) -> dict[str, str]:
    root = Path(root)
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
