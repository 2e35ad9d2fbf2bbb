"""`make bench` (core/management/commands/bench_http.py): the parts that need no server."""

import pghistory
import pytest
from django.test import Client

from branches.models import Retiree
from core import access, bench_io
from core.imports import NEW, check_rows, kind_named
from core.management.commands import bench_http
from core.management.commands.bench_http import Command, Row, admin_changelist, percentile
from core.models import Person
from core.scoping import Role
from core.validators import parse_id_number
from volunteers.models import Volunteer


def test_p95_is_the_nearest_rank():
    assert percentile([5.0], 0.95) == 5.0
    assert percentile([float(n) for n in range(1, 21)], 0.95) == 19.0
    assert percentile([float(n) for n in range(100, 0, -1)], 0.5) == 50.0


@pytest.mark.django_db
def test_a_list_page_is_compared_with_the_changelist_of_its_model():
    assert admin_changelist("branches:retiree_list") == "/admin/branches/retiree/"
    assert admin_changelist("core:home") is None


def test_the_table_replaces_its_own_block_and_keeps_the_rest(tmp_path):
    path = tmp_path / "benchmark.md"
    path.write_text(f"# Before\n\n{bench_http.START}\nold\n{bench_http.END}\n\n## After\n")
    Command().write(path, "new table\n")
    assert path.read_text() == f"# Before\n\n{bench_http.START}\nnew table\n{bench_http.END}\n\n## After\n"


def test_budgets_missed_are_listed():
    command = Command()
    slow_list = Row("laoganju", "branches:retiree_list", median=90, p95=120, status=200, admin=100)
    fast_list = Row("laoganju", "branches:branch_list", median=40, p95=50, status=200, admin=100)
    dashboard = Row("sheng_laoganju", "core:home", median=350, p95=400, status=200, sql=100)
    misses = command.misses([slow_list, fast_list, dashboard], ["`branches:retiree_list` as laoganju: 90 requests/s"])
    assert misses == [
        "laoganju branches:retiree_list: 0.90 × admin > 0.8",
        "sheng_laoganju core:home: median 350 ms > 300 ms",
        "sheng_laoganju core:home: 3.5 × its SQL > 1.5",
        "`branches:retiree_list` as laoganju: 90 requests/s: under 150 requests/s",
    ]


def test_the_benchmark_id_numbers_are_distinct_and_valid():
    numbers = [bench_io.bench_id_number(index) for index in range(0, 20_000, 3)]
    assert len(set(numbers)) == len(numbers)
    for number in numbers[:50] + numbers[-50:]:
        assert parse_id_number(number).region_code == bench_io.ID_AREA


@pytest.mark.django_db
def test_the_workbook_holds_new_volunteers_the_import_accepts(world):
    kind = kind_named("volunteers")
    user = world.users[Role.COUNTY_STAFF]
    rows = bench_io.volunteer_rows(kind, user, 20)
    checked = check_rows(kind, bench_io.import_workbook(kind, user, rows), user)
    assert [(row.errors, row.status) for row in checked] == [({}, NEW)] * 20
    assert len({row.values["id_number"] for row in checked}) == 20
    assert world.inside.committee.name in {row.values["committee"] for row in checked}


@pytest.mark.django_db
def test_the_benchmark_volunteers_are_removed_with_their_history(world):
    kind = kind_named("volunteers")
    user = world.users[Role.COUNTY_STAFF]
    rows = bench_io.volunteer_rows(kind, user, 3)
    content = bench_io.import_workbook(kind, user, rows)
    with pghistory.context(user=user.pk):
        for row in check_rows(kind, content, user):
            kind.save(user=user, row=row)
    ids = [row["id_number"] for row in rows]
    people = list(Person.all_objects.filter(id_number__in=ids).values_list("pk", flat=True))
    assert Volunteer.all_objects.filter(person__in=people).count() == 3
    assert bench_io.remove_imported(kind, ids) == 3
    assert not Person.all_objects.filter(pk__in=people).exists()
    assert not Volunteer.all_objects.filter(person__in=people).exists()
    assert not any(event.objects.filter(pgh_obj__in=people).exists() for event in bench_io.event_models(Person))
    assert world.inside.volunteer.person.pk in set(Person.all_objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_export_measurement_counts_the_rows_of_the_file(world):
    user = world.users[Role.COUNTY_STAFF]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    def download(path, file):
        response = client.get(path, secure=True)
        file.write_bytes(b"".join(response.streaming_content))
        return response.status_code

    measure = bench_io.measure_export(download, lambda: 123 * bench_io.MB, user, "branches:retiree_list")
    retirees = access.readable(user, Retiree.objects).count()
    assert (measure.status, measure.rows, measure.expected) == (200, retirees, retirees)
    assert retirees > 0
    assert measure.peak_mb == 123
    assert measure.size > 0


def test_the_import_and_export_rows_show_their_budgets():
    imported = bench_io.ImportMeasure(
        rows=10_000, check_seconds=12, import_seconds=20, peak_bytes=300 * bench_io.MB, stored=10_000
    )
    exported = bench_io.ExportMeasure(
        rows=150_000, expected=150_000, seconds=40, peak_bytes=500 * bench_io.MB, size=9 * bench_io.MB, status=200
    )
    assert bench_http.io_misses(imported, exported) == [
        "volunteer import: 32.0 s > 30 s",
        "export: 500 MB > 400 MB",
    ]
    table = bench_http.io_table(imported, exported)
    assert "| volunteer import: check + import | sheng_laoganju | 10,000 | 32.0 (12.0 + 20.0) | 300 |" in table
    assert "| NO |" in table
    short = bench_io.ExportMeasure(rows=99, expected=100, seconds=1, peak_bytes=bench_io.MB, size=1, status=200)
    assert bench_http.io_misses(None, short) == ["export: status 200, 99 rows in the file, 100 listed"]
