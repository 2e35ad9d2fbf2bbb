"""What each role may do with the funds ledger (core.roles assembles the table).

Which ledgers a permission reaches is LedgerQuerySet's business: county staff their
county's, a secretary their branch's, a director their committee's. Leaders read
ledgers (totals) but no entry: entries name the people paid.
"""

from core.scoping import Role

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.COUNTY_STAFF: ["funds.*"],
    # The committees' ledgers of their region, read only: the money is the committees' and the county's.
    Role.COMMITTEE_STAFF: ["funds.view_ledger", "funds.view_fundentry", "funds.view_budget"],
    Role.BRANCH_SECRETARY: [
        "funds.view_ledger",
        "funds.record_ledger",
        "funds.close_ledger",
        "funds.pay_allowances_ledger",
        "funds.*_fundentry",
        "funds.view_budget",
        "funds.add_budget",
        "funds.change_budget",
    ],
    Role.COMMITTEE_DIRECTOR: [
        "funds.view_ledger",
        "funds.record_ledger",
        "funds.close_ledger",
        "funds.pay_allowances_ledger",
        "funds.*_fundentry",
        "funds.view_budget",
        "funds.add_budget",
        "funds.change_budget",
    ],
    Role.LEADER: ["funds.view_ledger", "funds.view_budget"],
}
