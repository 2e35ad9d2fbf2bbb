"""`make bench`'s import and export: the 10,000-row volunteer import and the 100,000-row export,
each timed as a user meets it and with the peak memory of the process that did the work.

- The import: a workbook made from the kind's own template (`template_workbook`) with `count`
  valid rows (distinct ID numbers with their checksums, committees and categories from the
  template's own drop-downs for the user), uploaded through the upload view and confirmed
  through the confirm view, as a user does; both jobs are run by `manage.py db_worker` in a
  child process, whose peak resident memory (Linux's `VmHWM`) is read before it is stopped.
  Afterwards the rows are counted and removed again (`remove_imported`), so the benchmark
  database stays as it was and the next run imports the same 10,000 new people.
- The export: a list's `?export=xlsx` from a gunicorn with one worker (the worker's peak memory,
  read the same way),
  the body saved to a file, opened again with openpyxl (read-only) and its rows counted against
  the list's own queryset.

Only `core` is imported: the import kind is found by its name, the list by its URL name.
"""

import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pghistory.models
import pgtrigger
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from openpyxl import load_workbook

from core.imports import ImportKind, template_workbook
from core.job_models import ImportUpload, Job, JobStatus
from core.models import Person
from core.validators import id_check_digit

MB = 1024 * 1024
# The address code of the benchmark's ID numbers: 石河子市, a valid code that no demo or seeded
# county uses, so the generated numbers are never a real demo person's.
ID_AREA = "659001"
FIRST_BIRTH = dt.date(1945, 1, 1)
BIRTH_DAYS = 7000  # birth dates 1945-01-01 … 1964-02-26, then the next order number
FIRST_ORDER = 500
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = "国建华明德志文海金玉秀英兰桂芳春永红清光荣福贵平安"
WAIT_SECONDS = 3600
UPLOAD_NAME = "bench-volunteers.xlsx"


def bench_id_number(index: int) -> str:
    """The `index`-th benchmark ID number (0-based): deterministic, distinct, with a valid checksum."""
    birth = FIRST_BIRTH + dt.timedelta(days=index % BIRTH_DAYS)
    order = FIRST_ORDER + index // BIRTH_DAYS
    first17 = f"{ID_AREA}{birth:%Y%m%d}{order:03d}"
    return first17 + id_check_digit(first17)


def bench_name(index: int) -> str:
    """A two- or three-character name, deterministic (names repeat, as they do in a county)."""
    surname = SURNAMES[index % len(SURNAMES)]
    given = GIVEN[(index // len(SURNAMES)) % len(GIVEN)]
    if index % 3:
        given += GIVEN[(index * 7 + 3) % len(GIVEN)]
    return surname + given


def volunteer_rows(kind: ImportKind, user, count: int) -> list[dict]:
    """`count` rows of new volunteers the user may register: committees and categories are the
    template's drop-downs for this user, taken in turn. A name whose person may already be on file
    without an ID number (same name and birth date: the import refuses it) gets another one."""
    committees = [label for _value, label in kind.column("committee").choice_pairs(user)]
    categories = [label for _value, label in kind.column("category").choice_pairs(user)]
    fit = dict(kind.column("health").choice_pairs(user))[kind.column("health").default]
    if not committees:
        raise ValueError(f"{user} may register volunteers in no committee")
    names = [bench_name(index) for index in range(count)]
    births = [FIRST_BIRTH + dt.timedelta(days=index % BIRTH_DAYS) for index in range(count)]
    unnumbered = set(
        Person.all_objects.filter(id_number="", name__in=set(names)).values_list("name", "birth_date").distinct()
    )
    rows = []
    for index in range(count):
        name = names[index]
        shift = 0
        while (name, births[index]) in unnumbered:
            shift += 1
            name = bench_name(index + shift * 7919)
        rows.append(
            {
                "name": name,
                "id_number": bench_id_number(index),
                "mobile": f"139{index:08d}",
                "address": f"人民路{index % 500 + 1}号",
                "committee": committees[index % len(committees)],
                "category": categories[index % len(categories)],
                "former_unit": "县第一中学",
                "profession": "教师",
                "specialties": "教育、书画",
                "health": fit,
                "registered_on": dt.date(2024, 1, 10),
            }
        )
    return rows


def import_workbook(kind: ImportKind, user, rows: list[dict]) -> bytes:
    """The kind's template for the user with `rows` filled in from its second row (over the example)."""
    workbook = load_workbook(io.BytesIO(template_workbook(kind, user)))
    sheet = workbook.worksheets[0]
    for number, values in enumerate(rows, start=2):
        for column_number, column in enumerate(kind.columns, start=1):
            sheet.cell(row=number, column=column_number, value=values.get(column.key))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- child processes and their peak memory ----------------------------------------------------


def peak_memory(pid: int) -> int:
    """The peak resident memory in bytes of the process `pid` and of each of its descendants, the
    largest (gunicorn's: a worker's). Read from Linux's /proc (`VmHWM`) while they run: the figure
    `os.wait4` gives after the end would also count the parent's memory at the fork."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # ended meanwhile
        parents[int(stat.parent.name)] = int(fields[1])
    family, grown = {pid}, True
    while grown:
        more = {child for child, parent in parents.items() if parent in family} - family
        family |= more
        grown = bool(more)
    peak = 0
    for member in family:
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) * 1024)
    return peak


def stop_and_measure(process: subprocess.Popen, timeout: float = 30) -> int:
    """Stop a child process (SIGTERM, then SIGKILL after `timeout`): its peak memory (`peak_memory`)."""
    peak = peak_memory(process.pid) if process.poll() is None else 0
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    return peak


class Worker:
    """`manage.py db_worker` as a child process, as `make run` starts it, on the same database."""

    def __init__(self, env: dict | None = None):
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--queue-name",
                "*",
                "--interval",
                "0.1",
                "--no-startup-delay",
                "--no-reload",
            ],
            cwd=settings.BASE_DIR,
            env=os.environ | {"DEBUG": "0"} | (env or {}),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(120) or self.process.poll() is not None:
            self.stop()
            raise RuntimeError("the queue worker did not start: " + "".join(self.lines[-20:]))

    def _read(self) -> None:
        # Drained all along, so a chatty worker never blocks on a full pipe.
        for line in self.process.stdout:
            self.lines.append(line)
            if "Starting worker" in line:
                self.ready.set()
        self.ready.set()

    def stop(self) -> int:
        """Peak resident memory of the worker in bytes."""
        return stop_and_measure(self.process)


# --- the import -------------------------------------------------------------------------------


@dataclass
class ImportMeasure:
    rows: int
    check_seconds: float
    import_seconds: float
    peak_bytes: int
    stored: int  # the rows' people registered as volunteers after the import
    errors: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return self.check_seconds + self.import_seconds

    @property
    def peak_mb(self) -> float:
        return self.peak_bytes / MB


def _wait_for(job_pk: int, timeout: float) -> Job:
    deadline = time.monotonic() + timeout
    while True:
        job = Job.objects.get(pk=job_pk)
        if job.is_finished or time.monotonic() > deadline:
            return job
        time.sleep(0.1)


def _job_of(response) -> int:
    """The job a view redirected to (the upload and the confirmation both go to their job's page)."""
    if response.status_code != 302:
        raise RuntimeError(f"{response.request['PATH_INFO']} answered {response.status_code}, not the job's page")
    return resolve(response["Location"]).kwargs["pk"]


def measure_import(
    kind: ImportKind, user, count: int, *, worker: Callable[[], Worker] = Worker, timeout: float = WAIT_SECONDS
) -> ImportMeasure:
    """Upload `count` new volunteers as `user`, wait for the check, confirm, wait for the import
    (both jobs run by `worker()`), count what was stored and remove it again. Seconds are from
    the upload's request to its job's end, and from the confirmation's to the import's end."""
    rows = volunteer_rows(kind, user, count)
    ids = [row["id_number"] for row in rows]
    uploads = ImportUpload.objects.filter(created_by=user, filename=UPLOAD_NAME)
    remove_imported(kind, ids, uploads=uploads)  # what an interrupted run may have left
    content = import_workbook(kind, user, rows)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    running = worker()
    errors = []
    try:
        start = time.perf_counter()
        upload = SimpleUploadedFile(UPLOAD_NAME, content)
        response = client.post(reverse("core:import_start", args=[kind.name]), {"file": upload}, secure=True)
        check = _wait_for(_job_of(response), timeout)
        check_seconds = time.perf_counter() - start
        summary = check.result.get("summary", {})
        if check.status != JobStatus.DONE or summary.get("new") != count:
            errors.append(f"check: {check.status} {check.error} {summary}")
        import_seconds = 0.0
        if not errors:
            upload_pk = ImportUpload.objects.get(check_job=check).pk
            start = time.perf_counter()
            response = client.post(reverse("core:import_confirm", args=[upload_pk]), secure=True)
            saved = _wait_for(_job_of(response), timeout)
            import_seconds = time.perf_counter() - start
            if saved.status != JobStatus.DONE:
                errors.append(f"import: {saved.status} {saved.error}")
    finally:
        peak = running.stop()
    stored = kind.model.all_objects.filter(person__id_number__in=ids).count()
    remove_imported(kind, ids, uploads=uploads)
    return ImportMeasure(count, check_seconds, import_seconds, peak, stored, errors)


def event_models(model) -> list:
    """The pghistory event models that track `model`."""
    return [
        event
        for event in apps.get_models()
        if issubclass(event, pghistory.models.Event) and getattr(event, "pgh_tracked_model", None) is model
    ]


def remove_imported(kind: ImportKind, id_numbers: list[str], *, uploads=None) -> int:
    """Delete the people with these (benchmark) ID numbers, their registrations of the kind and
    the history of both, and the benchmark's uploads with their jobs: the database as before the
    import. Triggers are off for it (the history's, the version's). Returns the people removed."""
    with transaction.atomic(), pgtrigger.ignore():
        people = list(Person.all_objects.filter(id_number__in=id_numbers).values_list("pk", flat=True))
        records = list(kind.model.all_objects.filter(person__in=people).values_list("pk", flat=True))
        contexts = set()
        for model, pks in ((kind.model, records), (Person, people)):
            for event in event_models(model):
                events = event.objects.filter(pgh_obj__in=pks)
                if hasattr(event, "pgh_context"):
                    contexts |= set(events.exclude(pgh_context=None).values_list("pgh_context", flat=True))
                events.delete()
        kind.model.all_objects.filter(pk__in=records).delete()
        Person.all_objects.filter(pk__in=people).delete()
        pghistory.models.Context.objects.filter(pk__in=contexts).delete()
        if uploads is not None:
            jobs = set()
            for check_job, import_job in uploads.values_list("check_job", "import_job"):
                jobs |= {check_job, import_job} - {None}
            uploads.delete()
            Job.objects.filter(pk__in=jobs).delete()
    return len(people)


# --- the export -------------------------------------------------------------------------------


@dataclass
class ExportMeasure:
    rows: int  # data rows in the file
    expected: int  # rows of the list's queryset
    seconds: float
    peak_bytes: int
    size: int  # bytes
    status: int

    @property
    def peak_mb(self) -> float:
        return self.peak_bytes / MB


def list_rows(user, url_name: str) -> int:
    """How many rows the list at `url_name` shows `user` (all pages): its view's own queryset."""
    path = reverse(url_name)
    request = RequestFactory().get(path)
    request.user = user
    view = resolve(path).func.view_class()
    view.setup(request)
    return view.get_queryset().count()


def xlsx_rows(path: Path) -> int:
    """Data rows (the header left out) of the first sheet, read as a user's Excel would open it."""
    workbook = load_workbook(path, read_only=True)
    try:
        return sum(1 for _row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
    finally:
        workbook.close()


def measure_export(download: Callable[[str, Path], int], stop: Callable[[], int], user, url_name: str) -> ExportMeasure:
    """`download(path, file) -> status` fetches the list's `?export=xlsx` into a file (over HTTP
    from the server measured); `stop() -> bytes` stops that server and gives its peak memory."""
    path = reverse(url_name) + "?export=xlsx"
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "export.xlsx"
        try:
            start = time.perf_counter()
            status = download(path, file)
            seconds = time.perf_counter() - start
        finally:
            peak = stop()
        rows = xlsx_rows(file) if status == 200 else 0
        size = file.stat().st_size if file.exists() else 0
    return ExportMeasure(rows, list_rows(user, url_name), seconds, peak, size, status)
