"""The private PostgreSQL of development survives whatever stops `make run`, and a start cut short.

The tests run `python -m core.devdb` (what `make db` runs) on data folders of their
own, never on the project's `.data/`, and stop and delete those servers at the end.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import closing, contextmanager
from pathlib import Path

import psutil
import psycopg2
import pytest

from core.devdb import cluster_dir

BASE_DIR = Path(__file__).resolve().parents[2]
ROW = "written before the kills"


def environment(data_dir: Path, **overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "YINLING_TESTING"}}
    env.update(YINLING_DATA_DIR=str(data_dir), DEBUG="1", PYTHONDONTWRITEBYTECODE="1")
    env.update(overrides)
    return env


def run_devdb(data_dir: Path, action: str = "start") -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "core.devdb", action],
        cwd=BASE_DIR,
        env=environment(data_dir),
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def url(data_dir: Path) -> str:
    return (data_dir / "database_url").read_text().strip()


def postmaster_pid(data_dir: Path) -> int:
    return int((cluster_dir(data_dir) / "postmaster.pid").read_text().split()[0])


def is_dead(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE  # killed, and nobody reaps it
    except psutil.NoSuchProcess:
        return True


def connect(data_dir: Path):
    connection = psycopg2.connect(url(data_dir))
    connection.autocommit = True  # CREATE DATABASE runs outside a transaction
    return closing(connection)


def saved_notes(data_dir: Path) -> list[str]:
    with connect(data_dir) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT note FROM kill_check ORDER BY note")
        return [note for (note,) in cursor.fetchall()]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def live_members(group: int) -> list[psutil.Process]:
    members = []
    for process in psutil.process_iter():
        try:
            if os.getpgid(process.pid) == group and not is_dead(process):
                members.append(process)
        except OSError:
            pass
    return members


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting after {timeout} s: {what}")
        time.sleep(0.05)


@contextmanager
def private_folder():
    # Not under pytest's temporary folder: as root, the server runs as another user, which must be
    # able to enter the folders above its files, and each pytest session makes pytest-of-root private again.
    path = Path(tempfile.mkdtemp(prefix="yinling-devdb-")).resolve()
    try:
        yield path
    finally:
        run_devdb(path, "destroy")


@pytest.fixture
def data_dir():
    with private_folder() as path:
        yield path


@pytest.fixture(scope="module")
def started():
    """A running private server with one row written (shared: making a cluster is the slow part)."""
    with private_folder() as path:
        result = run_devdb(path)
        assert result.returncode == 0, result.stderr
        with connect(path) as connection, connection.cursor() as cursor:
            cursor.execute("CREATE TABLE kill_check (note text)")
            cursor.execute("INSERT INTO kill_check VALUES (%s)", [ROW])
        yield path


def serve(data_dir: Path, port: int, log: Path) -> subprocess.Popen:
    """What `make run` starts, in a process group of its own: the db command, then runserver (and its reloader)."""
    command = f"{sys.executable} -m core.devdb start && exec {sys.executable} manage.py runserver 127.0.0.1:{port}"
    # As in a terminal, SIGINT must not be ignored: a test run started in the background by a
    # shell script inherits it ignored, and the INT round would then test nothing.
    leader = (
        f"import os, signal; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp('sh', ['sh', '-c', {command!r}])"
    )
    with open(log, "w") as output:
        return subprocess.Popen(  # noqa: S603 (our own commands)
            [sys.executable, "-c", leader],
            cwd=BASE_DIR,
            env=environment(data_dir, PYTHONUNBUFFERED="1"),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def serves(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/yinling.css", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def test_killing_make_runs_process_group_with_term_int_or_kill_leaves_the_database_working(started, tmp_path):
    data_dir = started
    server = postmaster_pid(data_dir)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGKILL):
        port = free_port()
        log = tmp_path / f"run-{sig.name}.log"
        group = serve(data_dir, port, log)
        # runserver has read the URL and reached the server when it reports the (here unapplied) migrations.
        wait_for(
            lambda: (serves(port) and "unapplied migration" in log.read_text()) or group.poll() is not None,  # noqa: B023
            60,
            "runserver to answer",
        )
        assert group.poll() is None, log.read_text()

        os.killpg(group.pid, sig)
        group.wait(timeout=30)
        wait_for(lambda: not live_members(group.pid), 30, f"every process of the group to end after {sig.name}")  # noqa: B023

        began = time.monotonic()
        result = run_devdb(data_dir)
        assert result.returncode == 0, result.stderr
        assert time.monotonic() - began < 5, "the db command should find the server at once"
        assert postmaster_pid(data_dir) == server, "the server outlives the group that used it"
        assert saved_notes(data_dir) == [ROW]
        # What `make test` does first on that server: create a test database.
        with connect(data_dir) as connection, connection.cursor() as cursor:
            cursor.execute("CREATE DATABASE test_kill_check")
            cursor.execute("DROP DATABASE test_kill_check")

    # And settings under the tests (DEBUG off, as `make test` runs them) read the URL and connect.
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.db import connection; connection.ensure_connection();"
            "print(connection.settings_dict['HOST'])",
        ],
        cwd=BASE_DIR,
        env=environment(data_dir, DEBUG="0", YINLING_TESTING="1", DJANGO_SETTINGS_MODULE="config.settings"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == str(cluster_dir(data_dir))


def test_a_killed_server_whose_process_id_was_reused_is_started_again(started):
    data_dir = started
    old = psutil.Process(postmaster_pid(data_dir))
    old.kill()
    wait_for(lambda: is_dead(old), 30, "the server to die")
    # After a reboot the process id in the lock file may belong to any process, such as this one.
    lock_file = cluster_dir(data_dir) / "postmaster.pid"
    lock_file.write_text("\n".join([str(os.getpid()), *lock_file.read_text().splitlines()[1:]]) + "\n")

    result = run_devdb(data_dir)

    assert result.returncode == 0, result.stderr
    assert postmaster_pid(data_dir) not in {old.pid, os.getpid()}
    assert saved_notes(data_dir) == [ROW]


def test_a_first_start_killed_half_way_is_finished_by_the_next_ones_run_at_once(data_dir):
    def start() -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "core.devdb", "start"],
            cwd=BASE_DIR,
            env=environment(data_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )

    first = start()
    # initdb is at work in the staging folder: kill the command and initdb with it.
    staging = cluster_dir(data_dir).with_name(cluster_dir(data_dir).name + ".initdb")
    wait_for(lambda: (staging / "global").exists() or first.poll() is not None, 60, "initdb")
    os.killpg(first.pid, signal.SIGKILL)
    first.communicate(timeout=30)

    starts = [start(), start()]
    outputs = [each.communicate(timeout=90) for each in starts]

    assert [each.returncode for each in starts] == [0, 0], outputs
    assert outputs[0][0] == outputs[1][0]
    assert not staging.exists()
    postmasters = [
        p for p in psutil.process_iter(["cmdline"]) if str(cluster_dir(data_dir)) in (p.info["cmdline"] or [])
    ]
    assert len(postmasters) == 1
    with connect(data_dir) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        assert cursor.fetchone() == ("yinling",)
