"""What the funds app adds to other apps' pages (core.hooks.register_page_section).

The branch and committee pages show this year's income, spending, balance and budget
use of the organisation's ledger, without the branches app importing this one.
Each section costs three queries whatever the size of the ledger.
"""

from django.http import HttpRequest

from branches.models import Branch
from core import access
from core.params import year_param
from funds.models import Ledger
from funds.selectors import budget_use, ledger_summary

TEMPLATE = "funds/partials/ledger_section.html"


def ledger_section(request: HttpRequest, owner) -> dict | None:
    """The owner's ledger summary for the year on the page (`?year=`), if the user may see it."""
    user = request.user
    if not access.can(user, access.VIEW, Ledger):
        return None
    owner_field = "branch" if isinstance(owner, Branch) else "committee"
    ledger = access.readable(user, Ledger).filter(**{owner_field: owner}).first()
    if ledger is None:
        # County staff open the ledger here; the others have nothing to see yet.
        if not access.can(user, access.ADD, Ledger):
            return None
        return {"template": TEMPLATE, "ledger": None, "owner_field": owner_field, "owner": owner}
    year = year_param(request)
    return {
        "template": TEMPLATE,
        "ledger": ledger,
        "year": year,
        "summary": ledger_summary(ledger, year),
        "budgets": budget_use(ledger, year),
    }


PAGE_SECTIONS = [
    ("branches:branch_detail", ledger_section),
    ("branches:committee_detail", ledger_section),
]
