"""`make bench`: the production server measured over HTTP at province scale, beside Django admin
and the bare SQL. Not part of `make test`.

1. The benchmark database (`make bench` points DATABASE_URL at `yinling_bench` on the private
   server): created when missing, migrated, the demo loaded and `seed_scale --counties N` run;
   both skip what is already there, so a second run reuses the data.
2. gunicorn (config/gunicorn.conf.py, 2 workers, DEBUG off) serves that database on 127.0.0.1.
3. Each demo role logs in through the login form. Every page the apps register for the
   benchmark (core.hooks.register_benchmark_pages) is requested `--repeat` times after a warm-up:
   median and p95 in ms. A list page is also timed at page 200, and beside it the Django admin
   changelist of the same model as the administrator (25 rows a page, like ours): the ratio.
4. Dashboards (home pages and the reports app's): the page against its own SQL statements,
   captured in this process and replayed raw from it: the ratio.
5. wrk (Debian's package), `--wrk-seconds` at 8 connections, on a list page and the county
   dashboard: requests per second and errors.
6. The load test (core.loadtest): `--load-users` simulated users of every role, each logged in
   with its own session, read and write at a fixed rate for `--load-seconds`: no server error,
   and every saved write found stored exactly once.
7. Import and export (core.bench_io), once the server is stopped: `--import-rows` new volunteers
   uploaded, checked and imported by a `db_worker` child process (seconds, its peak memory),
   then removed again; the province's retiree list exported from a gunicorn with one worker
   (seconds, rows counted in the file, the worker's peak memory).
8. One table, printed and written to docs/benchmark.md between the `bench:start` and
   `bench:end` markers, with the date and the machine. A missed budget makes the exit status 1.
"""

import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, resolve, reverse

from core import bench_io, hooks
from core.demo import DEMO_PASSWORD
from core.imports import kind_named
from core.loadtest import Client as LoadClient
from core.loadtest import Outcome, SimulatedUser, percentile, run_load
from core.models import User

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
DASHBOARDS = {"core:home", "reports:dashboard"}
WRK_PAGES = [("laoganju", "branches:retiree_list"), ("laoganju", "core:home")]
ADMIN_LOGIN = "admin"
# Budgets of issue 13, at province scale on the 2-core machine.
LIST_TO_ADMIN = 0.8
COUNTY_DASHBOARD_MS = 100
PROVINCE_DASHBOARD_MS = 300
DASHBOARD_TO_SQL = 1.5
REQUESTS_PER_SECOND = 150
# The import and export budgets of the issue: 10,000 volunteers ≤ 30 s and ≤ 400 MB; the
# export of 100,000 rows ≤ 400 MB. Users get such an export from a background job (over
# EXPORT_INLINE_ROWS rows); the bench times its writer in one process (see measure_export).
IMPORT_ROWS = 10_000
IMPORT_SECONDS = 30
IMPORT_MB = 400
EXPORT_ROWS = 100_000
EXPORT_MB = 400
SERVER_TIMEOUT = 60
IMPORT_LOGIN, IMPORT_KIND = "sheng_laoganju", "volunteers"  # the province: 溆浦县's 29 committees (永顺 has none)
EXPORT_LOGIN, EXPORT_PAGE = "sheng_laoganju", "branches:retiree_list"  # the province's 150,000 retirees
# The load test's 20 users: the demo logins of every role, as many sessions of each.
LOAD_USERS = {
    "laoganju": 4,
    "laoganju_szq": 2,
    "guangongwei": 3,
    "shuji": 4,
    "zhuren": 2,
    "lingdao": 3,
    "sheng_laoganju": 1,
    "shengji": 1,
}
WRITE_SHARE = 0.25


@dataclass
class Row:
    login: str
    page: str
    median: float
    p95: float
    status: int
    admin: float | None = None  # median of the admin changelist of the same rows
    sql: float | None = None  # median of the page's own SQL replayed raw

    @classmethod
    def timed(cls, login: str, page: str, timings: list[float], status: int) -> "Row":
        return cls(login, page, statistics.median(timings), percentile(timings, 0.95), status)

    @property
    def note(self) -> str:
        return " (fewer than 200 pages)" if self.status == 404 and self.page.endswith("?page=200") else ""

    @property
    def to_admin(self) -> float | None:
        return self.median / self.admin if self.admin else None

    @property
    def to_sql(self) -> float | None:
        return self.median / self.sql if self.sql else None


class Server:
    """gunicorn over the benchmark database, and one core.loadtest.Client (its own cookies) per login."""

    def __init__(self, port: int, *, workers: int = 2, timeout: int = SERVER_TIMEOUT, env: dict | None = None):
        self.port = port
        self.clients: dict[str, LoadClient] = {}
        env = (
            os.environ
            | {
                "DEBUG": "0",
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "GUNICORN_WORKERS": str(workers),
                "GUNICORN_TIMEOUT": str(timeout),
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SECURE_SSL_REDIRECT": "0",
            }
            | (env or {})
        )
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [str(gunicorn), "-c", "config/gunicorn.conf.py", "--access-logfile", "/dev/null", "config.wsgi"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                if self.get(None, "/health/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise CommandError("gunicorn did not answer /health/ within 20 s")

    def stop(self) -> int:
        """Stop gunicorn: the peak resident memory in bytes of its largest process (a worker)."""
        return bench_io.stop_and_measure(self.process)

    def get(self, login: str | None, path: str):
        """(status, body, location) of a GET as `login` (None: anonymous, no cookies kept)."""
        client = self.clients[login] if login else LoadClient(self.port)
        return client.request("GET", path)

    def cookies(self, login: str) -> dict[str, str]:
        return self.clients[login].cookies

    def login(self, username: str) -> None:
        """A fresh session for `username`, through the login form."""
        client = self.clients[username] = LoadClient(self.port)
        try:
            client.login(reverse("core:login"), username, DEMO_PASSWORD)
        except RuntimeError as error:
            raise CommandError(str(error)) from error

    def time(self, login: str, path: str, repeat: int) -> tuple[list[float], int]:
        self.get(login, path)  # warm-up
        timings, status = [], 0
        for _ in range(repeat):
            start = time.perf_counter()
            status = self.get(login, path)[0]
            timings.append((time.perf_counter() - start) * 1000)
        return timings, status


def admin_changelist(url_name: str) -> str | None:
    """The admin changelist of the model a list page shows, when that model is in the admin."""
    try:
        view = resolve(reverse(url_name)).func
    except NoReverseMatch:
        return None
    model = getattr(getattr(view, "view_class", None), "model", None)
    if model is None or not admin.site.is_registered(model):
        return None
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def replayed_sql(username: str, path: str, repeat: int) -> float:
    """Median ms of the SQL a page runs, captured in this process and replayed raw."""
    client = Client(HTTP_HOST="127.0.0.1")
    login = client.post(reverse("core:login"), {"username": username, "password": DEMO_PASSWORD}, secure=True)
    client.get(path, secure=True)  # warm-up, as over HTTP
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, secure=True)
    if login.status_code != 302 or response.status_code != 200:
        raise CommandError(f"{username} could not open {path} in process ({login.status_code}, {response.status_code})")
    statements = [
        query["sql"] for query in captured.captured_queries if query["sql"].lstrip().upper().startswith("SELECT")
    ]
    timings = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            start = time.perf_counter()
            for sql in statements:
                cursor.execute(sql.replace("%", "%%"))
                cursor.fetchall()
            timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def wrk(server: Server, login: str, path: str, seconds: int) -> str:
    if not shutil.which("wrk"):
        return "wrk not installed (make bench-deps)"
    cookie = "; ".join(f"{k}={v}" for k, v in server.cookies(login).items())
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "-H", f"Cookie: {cookie}", f"http://127.0.0.1:{server.port}{path}"]
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        command,
        capture_output=True,
        text=True,
        check=False,
    )
    rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    errors = re.search(r"Socket errors: (.*)", result.stdout)
    text = f"{float(rate.group(1)):.0f} requests/s" if rate else "no rate: " + result.stdout[-200:]
    text += f", {bad.group(1) if bad else 0} non-2xx"
    return text + (f", socket errors {errors.group(1)}" if errors else ", 0 socket errors")


def simulated_users(count: int) -> list[SimulatedUser]:
    """`count` sessions spread over LOAD_USERS' logins (those that exist), each with its login's
    benchmark pages to read and its writes."""
    from core.management.commands.benchmark import pages_to_time

    pages = pages_to_time()
    accounts = {u.username: u for u in User.objects.filter(username__in={p.login for p in pages} | set(LOAD_USERS))}
    reads: dict[str, list[str]] = {}
    for page in pages:
        if page.login in accounts:
            try:
                reads.setdefault(page.login, []).append(page.path(accounts[page.login]))
            except NoReverseMatch:
                continue
    plan = [login for login, n in LOAD_USERS.items() for _ in range(n) if login in accounts]
    users = []
    for index in range(count):
        login = plan[index % len(plan)]
        writes = [w for w in hooks.registry.load_writes if w.login == login]
        reads_of = reads.get(login) or [reverse("core:home")]
        users.append(SimulatedUser(login, accounts[login], reads_of, writes, WRITE_SHARE))
    return users


def load_lines(outcome: Outcome, users: list[SimulatedUser], seconds: int, interval: float) -> list[str]:
    logins = ", ".join(f"{login} ×{n}" for login, n in Counter(u.login for u in users).items())
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(outcome.statuses.items()))
    stored = ", ".join(
        f"{label} {saved} saved / {outcome.stored.get(label, 0)} stored"
        for label, saved in sorted(outcome.saved.items())
    )
    return [
        f"Load test: {len(users)} users ({logins}) for {seconds} s, one action every {interval:g} s each "
        f"({len(users) / interval:.0f} a second in all, a quarter of the writers' actions writes): "
        f"{outcome.requests} requests ({statuses}), {len(outcome.server_errors)} server errors, "
        f"{outcome.late} actions late",
        f"Load test reads: median {outcome.median('read'):.0f} ms, p95 {outcome.p95('read'):.0f} ms; "
        f"writes (form and save): median {outcome.median('write'):.0f} ms, p95 {outcome.p95('write'):.0f} ms",
        f"Load test writes: {stored or 'none'}; refused {len(outcome.refused_writes)}",
    ]


def load_misses(outcome: Outcome) -> list[str]:
    misses = [f"load test server error: {error}" for error in outcome.server_errors[:10]]
    misses += [f"load test write refused: {refusal}" for refusal in outcome.refused_writes[:10]]
    misses += [
        f"load test lost writes: {label} {saved} saved, {stored} stored"
        for label, (saved, stored) in outcome.lost_writes.items()
    ]
    return misses


def io_misses(imported: bench_io.ImportMeasure | None, exported: bench_io.ExportMeasure | None) -> list[str]:
    misses = []
    if imported is not None:
        misses += [f"volunteer import failed: {error}" for error in imported.errors]
        if imported.stored != imported.rows:
            misses.append(f"volunteer import: {imported.stored:,} of {imported.rows:,} rows stored")
        if imported.seconds > IMPORT_SECONDS:
            misses.append(f"volunteer import: {imported.seconds:.1f} s > {IMPORT_SECONDS} s")
        if imported.peak_mb > IMPORT_MB:
            misses.append(f"volunteer import: {imported.peak_mb:.0f} MB > {IMPORT_MB} MB")
    if exported is not None:
        if exported.status != 200 or exported.rows != exported.expected:
            misses.append(
                f"export: status {exported.status}, {exported.rows:,} rows in the file, {exported.expected:,} listed"
            )
        if exported.peak_mb > EXPORT_MB:
            misses.append(f"export: {exported.peak_mb:.0f} MB > {EXPORT_MB} MB")
    return misses


def io_table(imported: bench_io.ImportMeasure | None, exported: bench_io.ExportMeasure | None) -> str:
    """The import and export rows, below the pages' table (the misses are listed with the others)."""
    if imported is None and exported is None:
        return ""
    lines = [
        "",
        "Import and export (core.bench_io: the import run by a `db_worker` child process, the export served by",
        "a gunicorn with one worker; peak memory is that process's peak resident set, `VmHWM`):",
        "",
        "| what | as | rows | seconds | peak MB | budget | within |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    if imported is not None:
        ok = not io_misses(imported, None)
        scale = "" if imported.rows >= IMPORT_ROWS else f" (not the issue's {IMPORT_ROWS:,})"
        lines.append(
            f"| volunteer import: check + import{scale} | {IMPORT_LOGIN} | {imported.rows:,} | "
            f"{imported.seconds:.1f} ({imported.check_seconds:.1f} + {imported.import_seconds:.1f}) | "
            f"{imported.peak_mb:.0f} | ≤ {IMPORT_SECONDS} s, ≤ {IMPORT_MB} MB | {'yes' if ok else 'NO'} |"
        )
    if exported is not None:
        ok = not io_misses(None, exported)
        scale = "" if exported.rows >= EXPORT_ROWS else f" (fewer than the issue's {EXPORT_ROWS:,})"
        lines.append(
            f"| `{EXPORT_PAGE}?export=xlsx`{scale}, {exported.size / bench_io.MB:.1f} MB file | {EXPORT_LOGIN} | "
            f"{exported.rows:,} | {exported.seconds:.1f} | {exported.peak_mb:.0f} | "
            f"≤ {EXPORT_MB} MB | {'yes' if ok else 'NO'} |"
        )
    return "\n".join(lines)


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1).strip() if found else ""
    return f"{platform.node()} · {os.cpu_count()} cores {model} · Python {platform.python_version()}"


def ensure_database() -> None:
    """Create the benchmark database when missing (before Django's connection is opened on it)."""
    import psycopg2

    db = settings.DATABASES["default"]
    params = {
        "dbname": "postgres",
        "user": db["USER"],
        "password": db["PASSWORD"],
        "host": db["HOST"],
        "port": db["PORT"],
    }
    conn = psycopg2.connect(**{key: value for key, value in params.items() if value})
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
            if not cursor.fetchone():
                cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
    finally:
        conn.close()


class Command(BaseCommand):
    help = "Measure the production server over HTTP at province scale, beside Django admin and the bare SQL."

    def add_arguments(self, parser):
        parser.add_argument("--counties", type=int, default=100, help="copies of 永顺县 (seed_scale)")
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--wrk-seconds", type=int, default=30)
        parser.add_argument("--load-seconds", type=int, default=300)
        parser.add_argument("--load-users", type=int, default=20)
        parser.add_argument("--load-interval", type=float, default=2.0, help="seconds between a user's actions")
        parser.add_argument("--import-rows", type=int, default=IMPORT_ROWS, help="volunteers imported (0: none)")
        parser.add_argument("--no-export", action="store_false", dest="export", help="leave out the large export")
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "benchmark.md"))

    def handle(self, *args, counties, repeat, port, wrk_seconds, output, **options):
        started = time.monotonic()
        ensure_database()
        self.prepare(counties)
        self.stdout.write(f"Data ready in {time.monotonic() - started:.0f} s")
        server = Server(port)
        try:
            rows, load = self.measure(server, repeat, wrk_seconds)
            users = simulated_users(options["load_users"])
            self.stdout.write(f"Load test: {len(users)} users for {options['load_seconds']} s …")
            outcome = self.load_test(server, users, options["load_seconds"], options["load_interval"])
        finally:
            server.stop()
        load += load_lines(outcome, users, options["load_seconds"], options["load_interval"])
        imported = self.measure_import(options["import_rows"]) if options["import_rows"] else None
        exported = self.measure_export(port) if options["export"] else None
        misses = self.misses(rows, load) + load_misses(outcome) + io_misses(imported, exported)
        table = self.table(rows, load, misses, repeat, io_table(imported, exported))
        self.stdout.write(table)
        self.write(Path(output), table)
        if misses:
            raise CommandError(f"{len(misses)} budgets missed (see the table)")

    def prepare(self, counties: int) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", stdout=self.stdout)
        call_command("seed_scale", counties=counties, stdout=self.stdout)
        call_command("collectstatic", interactive=False, verbosity=0)
        scale = [f"{model._base_manager.count():,} {label}" for label, model in hooks.registry.benchmark_scale]
        self.scale = ", ".join(scale)
        self.stdout.write("Scale: " + self.scale)

    def measure(self, server: Server, repeat: int, wrk_seconds: int) -> tuple[list[Row], list[str]]:
        from core.management.commands.benchmark import pages_to_time

        rows = []
        logged_in = set()
        pages = pages_to_time()
        for page in pages:
            url_name, _, query = page.url_name.partition("?")
            user = User.objects.get(username=page.login)
            for login in (page.login, ADMIN_LOGIN):
                if login not in logged_in:
                    server.login(login)
                    logged_in.add(login)
            try:
                path = page.path(user)
            except NoReverseMatch:
                continue
            row = Row.timed(page.login, page.url_name, *server.time(page.login, path, repeat))
            is_list = url_name.endswith("_list") and not query
            changelist = admin_changelist(url_name) if is_list else None
            if changelist:
                admin_timings, _ = server.time(ADMIN_LOGIN, changelist, repeat)
                row.admin = statistics.median(admin_timings)
            if url_name in DASHBOARDS:
                row.sql = replayed_sql(page.login, path, repeat)
            rows.append(row)
            self.stdout.write(f"  {row.login:<15} {row.page:<45} {row.median:7.0f} ms")
            if is_list:
                far_row = Row.timed(
                    page.login, f"{page.url_name}?page=200", *server.time(page.login, f"{path}?page=200", repeat)
                )
                if changelist and far_row.status == 200:
                    admin_far, _ = server.time(ADMIN_LOGIN, f"{changelist}?p=200", repeat)
                    far_row.admin = statistics.median(admin_far)
                rows.append(far_row)
        load = []
        for login, url_name in WRK_PAGES:
            if login in logged_in:
                # A fresh session: timing the pages may outlast the idle limit, and wrk counts a
                # redirect to the login page as a success.
                server.login(login)
                load.append(f"`{url_name}` as {login}: {wrk(server, login, reverse(url_name), wrk_seconds)}")
        return rows, load

    def measure_import(self, count: int) -> bench_io.ImportMeasure:
        self.stdout.write(f"Import: {count:,} volunteers as {IMPORT_LOGIN} through a queue worker …")
        measure = bench_io.measure_import(kind_named(IMPORT_KIND), User.objects.get(username=IMPORT_LOGIN), count)
        self.stdout.write(f"  {measure.seconds:.1f} s, {measure.peak_mb:.0f} MB, {measure.stored:,} stored")
        return measure

    def measure_export(self, port: int) -> bench_io.ExportMeasure:
        self.stdout.write(f"Export: {EXPORT_PAGE} as {EXPORT_LOGIN} from a gunicorn with one worker …")
        # Users get a list of over EXPORT_INLINE_ROWS rows from a background job; this server writes
        # it in the request instead (the same write_workbook the job runs), so that one process's
        # time and peak memory are the writer's. A long timeout: measured, not killed.
        server = Server(port, workers=1, timeout=3600, env={"EXPORT_INLINE_ROWS": str(10**9)})
        try:
            server.login(EXPORT_LOGIN)
        except BaseException:
            server.stop()
            raise
        measure = bench_io.measure_export(
            lambda path, file: server.clients[EXPORT_LOGIN].download(path, file),
            server.stop,
            User.objects.get(username=EXPORT_LOGIN),
            EXPORT_PAGE,
        )
        self.stdout.write(f"  {measure.rows:,} rows in {measure.seconds:.1f} s, {measure.peak_mb:.0f} MB")
        return measure

    def load_test(self, server: Server, users: list[SimulatedUser], seconds: int, interval: float) -> Outcome:
        run = f"负载测试{dt.datetime.now():%Y%m%d%H%M%S}"
        outcome = run_load(
            server.port,
            users,
            seconds=seconds,
            interval=interval,
            login_path=reverse("core:login"),
            password=DEMO_PASSWORD,
            run=run,
        )
        for write in hooks.registry.load_writes:
            outcome.stored[write.label] = write.stored(run)
        return outcome

    def misses(self, rows: list[Row], load: list[str]) -> list[str]:
        misses = []
        for row in rows:
            if row.status not in {200, 404}:
                misses.append(f"{row.login} {row.page}: status {row.status}")
            if row.to_admin is not None and row.to_admin > LIST_TO_ADMIN:
                misses.append(f"{row.login} {row.page}: {row.to_admin:.2f} × admin > {LIST_TO_ADMIN}")
            if row.sql is not None:
                province = row.login.startswith("sheng")
                budget = PROVINCE_DASHBOARD_MS if province else COUNTY_DASHBOARD_MS
                if row.median > budget:
                    misses.append(f"{row.login} {row.page}: median {row.median:.0f} ms > {budget} ms")
                if row.to_sql > DASHBOARD_TO_SQL:
                    misses.append(f"{row.login} {row.page}: {row.to_sql:.1f} × its SQL > {DASHBOARD_TO_SQL}")
        for line in load:
            rate = re.search(r"(\d+) requests/s", line)
            if rate and "retiree_list" in line and int(rate.group(1)) < REQUESTS_PER_SECOND:
                misses.append(f"{line}: under {REQUESTS_PER_SECOND} requests/s")
        return misses

    def table(self, rows: list[Row], load: list[str], misses: list[str], repeat: int, io: str = "") -> str:
        def num(value, fmt):
            return format(value, fmt) if value is not None else "—"

        lines = [
            f"Measured {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on {machine()}.",
            f"Scale: {self.scale}. gunicorn with 2 sync workers, DEBUG off, {repeat} requests a page after a warm-up.",
            "",
            "| login | page | median ms | p95 ms | status | admin ms | ours / admin | SQL ms | page / SQL |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in rows:
            lines.append(
                f"| {row.login} | `{row.page}`{row.note} | {row.median:.0f} | {row.p95:.0f} | {row.status} | "
                f"{num(row.admin, '.0f')} | {num(row.to_admin, '.2f')} | "
                f"{num(row.sql, '.0f')} | {num(row.to_sql, '.1f')} |"
            )
        lines += ["", "Load (wrk at 8 connections, then the load test of core.loadtest):", ""]
        lines += [f"- {line}" for line in load]
        lines += io.splitlines()
        lines += ["", f"Budgets missed: {len(misses)}", ""] + [f"- {miss}" for miss in misses]
        return "\n".join(lines) + "\n"

    def write(self, path: Path, table: str) -> None:
        text = path.read_text() if path.exists() else ""
        block = f"{START}\n{table}{END}"
        if START in text and END in text:
            text = text[: text.index(START)] + block + text[text.index(END) + len(END) :]
        else:
            text += f"\n## make bench (over HTTP)\n\n{block}\n"
        path.write_text(text)
        self.stdout.write(f"Written to {path}")
