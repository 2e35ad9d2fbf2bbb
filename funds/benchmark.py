"""The funds pages `manage.py benchmark` times, and the tables whose size it reports."""

from core import access
from core.hooks import BenchmarkPage
from funds.models import FundEntry, Ledger


def busiest_ledger(user) -> int:
    return access.readable(user, Ledger).order_by("pk").values_list("pk", flat=True).first()


PAGES = [
    BenchmarkPage("laoganju", "funds:ledger_list"),
    BenchmarkPage("laoganju", "funds:allocation_list"),
    BenchmarkPage("laoganju", "funds:per_head"),
    BenchmarkPage("shuji", "funds:ledger_detail", busiest_ledger),
    BenchmarkPage("shuji", "funds:ledger_allowances", busiest_ledger),
    BenchmarkPage("zhuren", "funds:ledger_detail", busiest_ledger),
    BenchmarkPage("lingdao", "funds:ledger_list"),
]

SCALE = [("fund entries", FundEntry), ("ledgers", Ledger)]
