"""`make bench` (core/management/commands/bench_http.py): the parts that need no server."""

import pytest

from core.management.commands import bench_http
from core.management.commands.bench_http import Command, Row, admin_changelist, percentile


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
