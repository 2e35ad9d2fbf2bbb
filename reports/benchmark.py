"""The pages of the reports app that `manage.py benchmark` and `make bench` time (core.hooks.BenchmarkPage).

`lingdao` is the leader of 永顺县; `shengji` (after `manage.py seed_scale`) the province's.
"""

import datetime as dt

from core.hooks import BenchmarkPage


def last_years_report(user) -> tuple[str, int]:
    """The user's own area and the last whole year: the report a leader opens in January."""
    return user.region_id, dt.date.today().year - 1


PAGES = [
    BenchmarkPage("lingdao", "reports:dashboard"),
    BenchmarkPage("lingdao", "reports:annual", last_years_report, arity=2),
    BenchmarkPage("lingdao", "reports:annual_word", last_years_report, arity=2),
    BenchmarkPage("shengji", "reports:dashboard", province=True),
    BenchmarkPage("shengji", "reports:annual", last_years_report, province=True, arity=2),
    BenchmarkPage("shengji", "reports:annual_word", last_years_report, province=True, arity=2),
]
