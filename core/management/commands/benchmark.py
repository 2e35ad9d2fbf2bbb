"""Time the main pages for each demo role and count their queries, against budgets.

Run after `load_demo` (the command loads it when missing): `make benchmark`.
The apps register their pages with `core.hooks.register_benchmark_pages`. After
`manage.py seed_scale --counties N` (copies of 永顺县 under 湖南省) the
province-wide accounts exist and their pages are timed too, at province scale;
the row counts printed first say at what scale the numbers were measured.
Each page is requested `--repeat` times after one warm-up; the median and the
slowest time and the number of SQL queries are reported. A page over its time
budget or query budget fails the command (exit status 1).
"""

import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import NoReverseMatch

from core import hooks
from core.models import User

TIME_BUDGET_MS = 500  # median, per page, on the 2-core reference machine
QUERY_BUDGET = 40


def pages_to_time() -> list:
    """The registered pages whose login exists, grouped by login (county pages first)."""
    logins = set(User.objects.values_list("username", flat=True))
    pages = [page for page in hooks.registry.benchmark_pages if page.login in logins]
    order = list(dict.fromkeys(page.login for page in pages))
    return sorted(pages, key=lambda page: (page.province, order.index(page.login)))


class Command(BaseCommand):
    help = "Time the main pages per role and count their queries against the budgets."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, repeat, **options):
        county_logins = {page.login for page in hooks.registry.benchmark_pages if not page.province}
        if User.objects.filter(username__in=county_logins).count() < len(county_logins):
            call_command("load_demo", stdout=self.stdout)
        setup_test_environment()
        scale = [f"{model._base_manager.count():,} {label}" for label, model in hooks.registry.benchmark_scale]
        self.stdout.write("Scale: " + ", ".join(scale))
        pages = pages_to_time()
        failures = []
        self.stdout.write(f"{'login':<15} {'page':<40} {'median ms':>9} {'max ms':>7} {'queries':>7}")
        for page in pages:
            user = User.objects.get(username=page.login)
            try:
                url = page.path(user)
            except NoReverseMatch:
                failures.append(f"{page.url_name}: no such page")
                continue
            client = Client()
            client.force_login(user)
            client.get(url, secure=True)  # warm-up
            timings = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url, secure=True)
                    timings.append((time.perf_counter() - start) * 1000)
            median = statistics.median(timings)
            label = f"{page.login:<15} {page.url_name:<40}"
            self.stdout.write(f"{label} {median:>9.0f} {max(timings):>7.0f} {len(queries):>7}")
            if response.status_code != 200:
                failures.append(f"{page.login} {page.url_name}: status {response.status_code}")
            if median > TIME_BUDGET_MS:
                failures.append(f"{page.login} {page.url_name}: median {median:.0f} ms > {TIME_BUDGET_MS} ms")
            if len(queries) > QUERY_BUDGET:
                failures.append(f"{page.login} {page.url_name}: {len(queries)} queries > {QUERY_BUDGET}")
        if failures:
            raise CommandError("over budget: " + "; ".join(failures))
        self.stdout.write(self.style.SUCCESS(f"All {len(pages)} pages within budget."))
