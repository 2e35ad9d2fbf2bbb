"""Importing a ledger's income and expenses from Excel (core.imports does the reading and the jobs).

A row is one entry of a ledger the user keeps: date, income or expense, category, amount,
summary. Entries have no identity of their own, so a row equal to an entry already in the
ledger (same date, direction, category, amount and summary) is unchanged: importing the same
file twice changes nothing. Rows are saved through `funds.services.entry_record`, so each gets
the next voucher number and meets the form's rules (closed months, budget lines, allocations
by their own action). The whole file is checked with three queries whatever its length.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import access
from core.imports import NEW, UNCHANGED, ImportColumn, ImportKind, Row
from funds import services
from funds.models import Category, Direction, FundEntry, Ledger, LedgerMonthClose, first_of_month

# Allocations between ledgers are recorded once for both sides by 下拨经费, never imported.
IMPORTABLE_CATEGORIES = tuple((value, label) for value, label in Category.choices if value != Category.ALLOCATION)


def _keepable(user):
    return access.rows(user, Ledger, "record").select_related("branch", "committee", "county")


def _ledger_choices(user):
    """The ledgers the user keeps, by their owner's name (the template's drop-down)."""
    names = sorted({str(ledger.owner) for ledger in _keepable(user)[:5000]})
    return [(name, name) for name in names]


# An entry is "the same" as a row when these agree (with the ledger): then the row is unchanged.
SAME_FIELDS = ("occurred_on", "direction", "category", "amount", "summary")


def _same(ledger_id: int, values: dict) -> tuple:
    return (ledger_id, *(values[name].strip() if name == "summary" else values[name] for name in SAME_FIELDS))


class FundEntryImport(ImportKind):
    name = "fund-entries"
    title = gettext_lazy("经费收支")
    model = FundEntry
    key = ""  # two equal rows may be two real payments: the check asks for a telling summary instead
    columns = (
        ImportColumn(
            "ledger",
            gettext_lazy("经费账（所属单位）"),
            kind="lookup",
            required=True,
            choices=_ledger_choices,
            help=gettext_lazy("党支部、关工委或县（区）的全称，须是您记账的经费账"),
        ),
        ImportColumn("occurred_on", gettext_lazy("日期"), kind="date", required=True, past=True, example="2024-03-05"),
        ImportColumn(
            "direction",
            gettext_lazy("收支"),
            kind="choice",
            required=True,
            choices=tuple(Direction.choices),
            example=str(Direction.EXPENSE.label),
        ),
        ImportColumn(
            "category",
            gettext_lazy("科目"),
            kind="choice",
            required=True,
            choices=IMPORTABLE_CATEGORIES,
            example=str(Category.ACTIVITY.label),
            help=gettext_lazy("下拨经费请用“下拨”功能，不在此导入"),
        ),
        ImportColumn(
            "amount", gettext_lazy("金额（元）"), required=True, example="800", help=gettext_lazy("如 200 或 150.50")
        ),
        ImportColumn("summary", gettext_lazy("摘要"), required=True, example="七一主题党日活动场地及资料"),
        ImportColumn("counterparty_name", gettext_lazy("对方单位或个人"), example="县印刷厂"),
        ImportColumn("overspend_reason", gettext_lazy("超预算说明"), help=gettext_lazy("支出超出预算时必填，说明原因")),
    )

    def check(self, *, user, rows: list[Row]) -> None:
        """Ledgers, closed months and the entries already there for the whole file: three queries."""
        names = {row.values["ledger"] for row in rows}
        ledgers: dict[str, list[Ledger]] = {}
        owned = Q(branch__name__in=names) | Q(committee__name__in=names) | Q(county__name__in=names)
        for ledger in _keepable(user).filter(owned):
            ledgers.setdefault(str(ledger.owner), []).append(ledger)
        found = [ledger for group in ledgers.values() for ledger in group]
        dates = {r.values["occurred_on"] for r in rows if r.values.get("occurred_on")}
        closed = set(LedgerMonthClose.objects.filter(ledger__in=found).values_list("ledger_id", "month"))
        existing = {
            _same(entry["ledger_id"], entry)
            for entry in FundEntry.objects.filter(ledger__in=found, occurred_on__in=dates).values(
                "ledger_id", *SAME_FIELDS
            )
        }
        seen: dict[tuple, int] = {}
        for row in rows:
            self._check_row(row, ledgers, closed, existing, seen)

    @staticmethod
    def _amount(row: Row) -> Decimal | None:
        """The amount as the form takes it (1,200.50 and 120元 too), or an error on its cell."""
        text = (row.values.get("amount") or "").replace(",", "").replace("，", "").strip().removesuffix("元")
        try:
            services.validate_amount(text)  # a Chinese message for anything that is no amount
        except ValidationError as error:
            row.error("amount", "；".join(error.messages))
            return None
        return Decimal(text)

    def _check_row(self, row, ledgers, closed, existing, seen) -> None:
        values = row.values
        found = ledgers.get(values["ledger"], [])
        if not found:
            row.error("ledger", _("在您记账的范围内没有“%(name)s”的经费账") % {"name": values["ledger"]})
        elif len(found) > 1:
            row.error("ledger", _("有%(count)s个同名经费账，无法确定是哪一个") % {"count": len(found)})
        amount = self._amount(row)
        allowed = Category.income() if values["direction"] == Direction.INCOME else Category.expense()
        if values["category"] and values["direction"] and values["category"] not in allowed:
            row.error("category", _("该科目不属于所选的收支方向"))
        day = values["occurred_on"]
        if day:
            try:
                services.validate_entry_date(day)
            except ValidationError as error:
                row.error("occurred_on", "；".join(error.messages))
        if row.errors or amount is None:
            return
        values["amount"] = amount
        ledger = found[0]
        row.target = ledger
        same = _same(ledger.pk, values)
        if same in existing:
            row.status = UNCHANGED
            return
        if (ledger.pk, first_of_month(day)) in closed:
            row.error("occurred_on", "；".join(services.closed_month_error(day).messages))
            return
        if same in seen:
            row.error(
                "summary",
                _("与本文件第%(row)s行的日期、科目、金额和摘要都相同：如确是两笔，请在摘要中写明区别")
                % {"row": seen[same]},
            )
            return
        seen[same] = row.number
        row.status = NEW

    def save(self, *, user, row: Row) -> None:
        values = row.values
        services.entry_record(
            ledger=row.target,
            occurred_on=values["occurred_on"],
            direction=values["direction"],
            category=values["category"],
            amount=values["amount"],
            summary=values["summary"].strip(),
            counterparty_name=values["counterparty_name"] or "",
            overspend_reason=values["overspend_reason"] or "",
            by=user,
        )
