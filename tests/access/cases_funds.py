"""Access cases of the funds ledger.

The world's `ledger` is the branch's (its secretary keeps it), `fund_entry` an income in it
with a receipt, `budget` a budget line of it. County staff see and keep every ledger of the
county and make the allocations; committee staff read committees' ledgers only and the
director their committee's, so the branch's ledger is a 404 to both; leaders read ledgers
(totals, budgets) but never an entry: entries name the people paid.
"""

from tests.access.matrix import Case, expect

LIST = expect(county=200, committee=200, secretary=200, director=200, leader=200, admin=200)
LEDGER_READ = expect(county=200, committee=404, secretary=200, director=404, leader=200, admin=200)
LEDGER_ENTRIES = expect(county=200, committee=404, secretary=200, director=404, leader=403, admin=200)
LEDGER_POST = expect(county=302, committee=404, secretary=302, director=404, leader=403, admin=302)
ENTRY_READ = expect(county=200, committee=404, secretary=200, director=404, leader=404, admin=200)
ENTRY_POST = expect(county=302, committee=404, secretary=302, director=404, leader=404, admin=302)
BUDGET_EDIT = expect(county=200, committee=404, secretary=200, director=404, leader=403, admin=200)
BUDGET_ARCHIVE = expect(county=302, committee=404, secretary=403, director=404, leader=403, admin=302)
COUNTY_ONLY = expect(county=200, committee=403, secretary=403, director=403, leader=403, admin=200)


def _ledger_pk(county):
    return {"ledger_pk": county.ledger.pk}


CASES = [
    Case("funds:ledger_list", LIST),
    Case(
        "funds:ledger_open",
        expect(county=302, committee=403, secretary=403, director=403, leader=403, admin=302),
        method="post",
        data=lambda c: {"branch": c.branch.pk},
        note="the branch has its ledger already: it is shown",
    ),
    Case("funds:ledger_detail", LEDGER_READ, obj="ledger"),
    Case("funds:ledger_export", LEDGER_ENTRIES, obj="ledger"),
    Case("funds:ledger_close_month", LEDGER_ENTRIES, obj="ledger"),
    Case("funds:ledger_close_month", LEDGER_POST, obj="ledger", method="post", data=lambda c: {"month": "2026-01"}),
    Case("funds:ledger_allowances", LEDGER_ENTRIES, obj="ledger"),
    Case(
        "funds:ledger_pay_month",
        LEDGER_POST,
        obj="ledger",
        method="post",
        data=lambda c: {"month": "2026-03", "occurred_on": "2026-03-25"},
        note="the world's posts have no allowance: a message, no entry",
    ),
    Case("funds:entry_create", LEDGER_ENTRIES, kwargs=_ledger_pk),
    Case(
        "funds:entry_create",
        expect(county=302, committee=404, secretary=302, director=404, leader=403, admin=302),
        kwargs=_ledger_pk,
        method="post",
        data=lambda c: {
            "occurred_on": "2026-04-01",
            "direction": "expense",
            "category": "activity",
            "amount": "120.00",
            "summary": "主题党日茶水",
        },
    ),
    Case("funds:entry_detail", ENTRY_READ, obj="fund_entry"),
    Case("funds:entry_update", ENTRY_READ, obj="fund_entry"),
    Case("funds:entry_reverse", ENTRY_READ, obj="fund_entry"),
    Case(
        "funds:entry_reverse",
        ENTRY_POST,
        obj="fund_entry",
        method="post",
        data=lambda c: {"occurred_on": "2026-04-02", "reason": "金额记错"},
    ),
    Case("funds:entry_archive", ENTRY_POST, obj="fund_entry", method="post"),
    Case("funds:entry_history", ENTRY_READ, obj="fund_entry"),
    Case("funds:entry_receipt", ENTRY_READ, obj="fund_entry"),
    Case("funds:budget_create", LEDGER_ENTRIES, kwargs=_ledger_pk),
    Case("funds:budget_update", BUDGET_EDIT, obj="budget"),
    Case("funds:budget_archive", BUDGET_ARCHIVE, obj="budget", method="post"),
    Case("funds:budget_restore", BUDGET_ARCHIVE, obj="budget", method="post"),
    Case("funds:budget_history", LEDGER_READ, obj="budget"),
    Case("funds:allocation_list", COUNTY_ONLY),
    Case("funds:allocation_create", COUNTY_ONLY),
    Case("funds:per_head", COUNTY_ONLY),
]
