"""The private PostgreSQL server used when no DATABASE_URL is configured.

The `pgserver` package ships PostgreSQL's binaries, so a fresh machine needs
no system install. The cluster lives in `.data/pg` and keeps running between
commands (starting it takes a second; finding it running takes a millisecond).
"""

from pathlib import Path

DATABASE_NAME = "yinling"


def database_url(base_dir: Path) -> str:
    """Start the private server if needed, create the database, return its URL."""
    import warnings

    # platformdirs warns when XDG_RUNTIME_DIR is unset (as under root); pgserver does not need it.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import pgserver  # imported lazily: production never needs it

    data_dir = base_dir / ".data"
    data_dir.mkdir(exist_ok=True)
    server = pgserver.get_server(data_dir / "pg", cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 (constant)
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return server.get_uri(DATABASE_NAME)
