"""The aid app's pages that `manage.py benchmark` times (see core.hooks.BenchmarkPage)."""

from aid_cases.models import AidCase, Child, Disbursement, Pairing
from core import access
from core.hooks import BenchmarkPage


def busiest_case(user) -> int:
    return access.readable(user, AidCase).order_by("-pk").values_list("pk", flat=True).first()


PAGES = [
    BenchmarkPage("guangongwei", "aid_cases:case_list"),
    BenchmarkPage("guangongwei", "aid_cases:child_list"),
    BenchmarkPage("guangongwei", "aid_cases:payments_due"),
    BenchmarkPage("guangongwei", "aid_cases:carevisit_list"),
    BenchmarkPage("guangongwei", "aid_cases:case_detail", busiest_case),
    BenchmarkPage("zhuren", "aid_cases:case_list"),
    BenchmarkPage("lingdao", "aid_cases:overview"),
]
SCALE = [("children", Child), ("aid cases", AidCase), ("pairings", Pairing), ("disbursements", Disbursement)]
