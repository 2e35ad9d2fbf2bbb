"""Writes of the funds ledger: each one transaction, keyword-only arguments.

Who may call them is asked by the views (core.access); these hold the rules of
the money itself: amounts, closed months, voucher numbers, budgets, reversals.
"""

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.photos import check_attachment, prepare_photo
from core.formatting import format_yuan
from funds.models import (
    MAX_ENTRY_AMOUNT,
    AllowancePayment,
    Budget,
    Category,
    Direction,
    FundEntry,
    Ledger,
    LedgerMonthClose,
    VoucherCounter,
    first_of_month,
)
from funds.selectors import allowances_due_rows

EARLIEST_DATE = dt.date(2000, 1, 1)


# --- Checks shared with the forms ------------------------------------------------------------


def validate_amount(value) -> None:
    """A positive amount in yuan and fen, not absurdly large (a typo with extra digits)."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise ValidationError(_("请输入金额，如 200 或 150.50"), code="invalid") from error
    if not amount.is_finite():
        raise ValidationError(_("请输入金额，如 200 或 150.50"), code="invalid")
    if amount <= 0:
        raise ValidationError(_("金额必须大于0"), code="not_positive")
    # Too large first: 1E30 cannot even be rounded to fen (decimal.InvalidOperation).
    if amount > MAX_ENTRY_AMOUNT:
        raise ValidationError(
            _("金额超过%(max)s，请核对是否多输了位数") % {"max": format_yuan(MAX_ENTRY_AMOUNT)}, code="too_large"
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("金额最多两位小数（元、角、分）"), code="too_precise")


def validate_entry_date(day: dt.date) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天"), code="future")
    if day < EARLIEST_DATE:
        raise ValidationError(_("日期早于2000年，请核对"), code="too_early")


def month_is_closed(ledger: Ledger, day: dt.date) -> bool:
    return LedgerMonthClose.objects.filter(ledger=ledger, month=first_of_month(day)).exists()


def closed_month_error(day: dt.date) -> ValidationError:
    return ValidationError(
        _("%(year)s年%(month)s月已结账，不能再记入或修改；如需更正，请在未结账的月份记一笔冲销凭证")
        % {"year": day.year, "month": day.month},
        code="closed",
    )


RECEIPT_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".heic", ".heif"}


def check_receipt(upload):
    """A receipt scan: a photo (stored as JPEG by branches.photos) or a PDF; anything else refused.

    Returns the file to store. The checks are the shared upload checks of branches.photos
    (content read, not the name; 10 MB at most).
    """
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix == ".pdf":
        check_attachment(upload)
        upload.seek(0)
        return ContentFile(upload.read(), name=f"{uuid.uuid4().hex}.pdf")
    try:
        return prepare_photo(upload)
    except ValidationError as error:
        raise ValidationError(
            _("“%(name)s”不是照片或PDF文件，票据请拍照或扫描为PDF后上传。") % {"name": upload.name},
            code="not_a_receipt",
        ) from error


# --- Ledgers and vouchers --------------------------------------------------------------------


@transaction.atomic
def ledger_open(*, branch=None, committee=None, county=None) -> Ledger:
    """The owner's ledger, opened now if it has none (one per owner: the database holds it)."""
    owner = {"branch": branch, "committee": committee, "county": county}
    owner = {name: value for name, value in owner.items() if value is not None}
    if len(owner) != 1:
        raise ValidationError(_("经费账必须属于一个党支部、一个关工委或一个县（区）"))
    existing = Ledger.all_objects.filter(**owner).first()
    if existing:
        return existing
    ledger = Ledger(**owner)
    ledger.region_code = ledger.owner_region_code()
    ledger.full_clean()
    ledger.save()
    return ledger


def next_voucher_seq(ledger: Ledger, year: int) -> int:
    """The next voucher number of the ledger's year, without gaps under concurrency.

    The year's counter row is created if missing (INSERT … ON CONFLICT DO NOTHING) and
    locked (SELECT … FOR UPDATE) until the caller's transaction ends: a second writer
    waits, then reads the raised number. A rolled-back entry rolls its number back too.
    Must run inside a transaction.
    """
    VoucherCounter.objects.bulk_create([VoucherCounter(ledger=ledger, year=year)], ignore_conflicts=True)
    counter = VoucherCounter.objects.select_for_update().get(ledger=ledger, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def spent_in(ledger: Ledger, year: int, category: str) -> Decimal:
    """Net spending of a category in a year: expenses less their reversals (one query)."""
    rows = FundEntry.objects.filter(ledger=ledger, occurred_on__year=year, category=category)
    total = rows.aggregate(total=Sum(rows.signed_amount()))["total"] or Decimal("0")
    return -total


def budget_shortfall(ledger: Ledger, year: int, category: str, amount: Decimal) -> tuple[Budget, Decimal] | None:
    """(the budget line, by how much) when spending `amount` more would overspend it; else None."""
    budget = Budget.objects.filter(ledger=ledger, year=year, category=category).first()
    if budget is None:
        return None
    shortfall = spent_in(ledger, year, category) + amount - budget.amount
    return (budget, shortfall) if shortfall > 0 else None


def overspend_message(budget: Budget, shortfall: Decimal, amount: Decimal) -> str:
    return _(
        "超出预算：%(year)s年“%(category)s”预算%(budget)s，本笔%(amount)s，超支%(shortfall)s。"
        "如确需支出，请填写超预算原因。"
    ) % {
        "year": budget.year,
        "category": budget.get_category_display(),
        "budget": format_yuan(budget.amount),
        "amount": format_yuan(amount),
        "shortfall": format_yuan(shortfall),
    }


def _save_entry(entry: FundEntry) -> FundEntry:
    """Number and save a new entry; the database's refusals become messages."""
    if month_is_closed(entry.ledger, entry.occurred_on):
        raise closed_month_error(entry.occurred_on)
    entry.voucher_year = entry.occurred_on.year
    entry.voucher_seq = next_voucher_seq(entry.ledger, entry.voucher_year)
    entry.full_clean(exclude=["receipt"])
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:  # a month closed meanwhile (the trigger)
        raise closed_month_error(entry.occurred_on) from error
    return entry


@transaction.atomic
def entry_record(
    *,
    ledger: Ledger,
    occurred_on: dt.date,
    direction: str,
    category: str,
    amount: Decimal,
    summary: str,
    by,
    counterparty_person=None,
    counterparty_name: str = "",
    activity=None,
    post=None,
    receipt=None,
    overspend_reason: str = "",
) -> FundEntry:
    """Record one income or expense with the next voucher number of its year.

    An expense that would overspend its budget line needs `overspend_reason` (kept on the
    entry); without it a ValidationError on `overspend_reason` says by how much.
    """
    errors = {}
    for field, check, value in (("amount", validate_amount, amount), ("occurred_on", validate_entry_date, occurred_on)):
        try:
            check(value)
        except ValidationError as error:
            errors[field] = error
    allowed = Category.income() if direction == Direction.INCOME else Category.expense()
    if category not in allowed:
        errors["category"] = ValidationError(_("该科目不属于所选的收支方向"))
    if category == Category.ALLOCATION:
        errors["category"] = ValidationError(_("下拨经费请用“下拨”功能，一次记入县里和各接收单位的账"))
    if errors:
        raise ValidationError(errors)
    amount = Decimal(amount)
    overspend_reason = (overspend_reason or "").strip()
    if direction == Direction.EXPENSE:
        over = budget_shortfall(ledger, occurred_on.year, category, amount)
        if over and not overspend_reason:
            raise ValidationError({"overspend_reason": overspend_message(*over, amount)}, code="overspend")
    entry = FundEntry(
        ledger=ledger,
        occurred_on=occurred_on,
        direction=direction,
        category=category,
        amount=amount,
        summary=summary,
        counterparty_person=counterparty_person,
        counterparty_name=counterparty_name or "",
        activity=activity,
        post=post,
        overspend_reason=overspend_reason if direction == Direction.EXPENSE else "",
        recorded_by=by,
    )
    if receipt:
        entry.receipt = check_receipt(receipt)
    return _save_entry(entry)


@transaction.atomic
def entry_reverse(*, entry: FundEntry, occurred_on: dt.date, reason: str, by) -> FundEntry:
    """Cancel an entry with a new one of the same amount and category, the other direction (冲销).

    The reversal is dated in an open month (the original's month may be closed); both stay
    shown and linked. An allocation is reversed on both sides; a reversed allowance payment
    frees its post's month to be paid again.
    """
    entry = FundEntry.all_objects.select_for_update().get(pk=entry.pk)
    if entry.is_archived:
        raise ValidationError(_("已归档的凭证不能冲销"))
    if entry.reverses_id:
        raise ValidationError(_("这是一笔冲销凭证，不能再冲销"))
    if FundEntry.all_objects.filter(reverses=entry).exists():
        raise ValidationError(_("该凭证已冲销"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明冲销原因")})
    try:
        validate_entry_date(occurred_on)
    except ValidationError as error:
        raise ValidationError({"occurred_on": error}) from error
    if occurred_on < entry.occurred_on:
        raise ValidationError({"occurred_on": _("冲销日期不能早于原凭证日期")})
    reversal = _reversal_of(entry, occurred_on, reason, by)
    if entry.counterpart_id:
        other = FundEntry.objects.select_for_update().get(pk=entry.counterpart_id)
        if not FundEntry.all_objects.filter(reverses=other).exists():
            other_reversal = _reversal_of(other, occurred_on, reason, by)
            _link_counterparts(reversal, other_reversal)
    AllowancePayment.objects.filter(entry=entry).update(archived_at=timezone.now(), archived_by=by)
    return reversal


def _reversal_of(entry: FundEntry, occurred_on: dt.date, reason: str, by) -> FundEntry:
    if month_is_closed(entry.ledger, occurred_on):
        raise ValidationError({"occurred_on": closed_month_error(occurred_on)})
    reversal = FundEntry(
        ledger=entry.ledger,
        occurred_on=occurred_on,
        direction=Direction.EXPENSE if entry.direction == Direction.INCOME else Direction.INCOME,
        category=entry.category,
        amount=entry.amount,
        summary=(_("冲销凭证%(number)s：%(reason)s") % {"number": entry.voucher_number, "reason": reason})[:200],
        counterparty_person=entry.counterparty_person,
        counterparty_name=entry.counterparty_name,
        activity=entry.activity,
        post=entry.post,
        reverses=entry,
        recorded_by=by,
    )
    return _save_entry(reversal)


def _link_counterparts(first: FundEntry, second: FundEntry) -> None:
    first.counterpart = second
    second.counterpart = first
    first.save(update_fields=["counterpart", "updated_at"])
    second.save(update_fields=["counterpart", "updated_at"])


@transaction.atomic
def entry_archive(*, entry: FundEntry, by) -> None:
    """Archive an entry recorded by mistake, while its month is open.

    Linked entries (a reversal, a reversed entry, an allocation) are corrected by
    reversing, never by archiving: each side would otherwise tell another story.
    """
    entry = FundEntry.all_objects.select_for_update().get(pk=entry.pk)
    if entry.is_archived:
        raise ValidationError(_("该凭证已归档"))
    if month_is_closed(entry.ledger, entry.occurred_on):
        raise closed_month_error(entry.occurred_on)
    if entry.reverses_id or FundEntry.all_objects.filter(reverses=entry).exists():
        raise ValidationError(_("冲销过的凭证和冲销凭证不能归档"))
    if entry.counterpart_id:
        raise ValidationError(_("下拨经费两边的凭证不能单独归档，请冲销"))
    AllowancePayment.objects.filter(entry=entry).update(archived_at=timezone.now(), archived_by=by)
    entry.archive(by=by)


# --- Month closing ---------------------------------------------------------------------------


@transaction.atomic
def month_close(*, ledger: Ledger, month: dt.date, by) -> LedgerMonthClose:
    """Close a month of a ledger (结账): from now on its entries are final."""
    month = first_of_month(month)
    if month > first_of_month(timezone.localdate()):
        raise ValidationError({"month": _("还没到的月份不能结账")})
    if LedgerMonthClose.objects.filter(ledger=ledger, month=month).exists():
        raise ValidationError({"month": _("%(year)s年%(month)s月已结账") % {"year": month.year, "month": month.month}})
    Ledger.objects.select_for_update().filter(pk=ledger.pk).first()  # one closing at a time per ledger
    return LedgerMonthClose.objects.create(ledger=ledger, month=month, closed_by=by)


# --- Allocations -----------------------------------------------------------------------------


@transaction.atomic
def allocation_create(
    *, county_ledger: Ledger, occurred_on: dt.date, summary: str, lines: list[tuple[Ledger, Decimal]], by
) -> list[tuple[FundEntry, FundEntry]]:
    """Allocate county funds (下拨): for each receiver an expense in the county's ledger and the
    matching income in the receiver's, linked to each other, all in one transaction."""
    if not county_ledger.county_id:
        raise ValidationError(_("只有县（区）老干部局的经费账可以下拨经费"))
    if not lines:
        raise ValidationError(_("请至少填写一个接收单位和金额"))
    seen = set()
    for receiver, amount in lines:
        if receiver.pk == county_ledger.pk:
            raise ValidationError(_("不能下拨给本账"))
        if not receiver.region_code.startswith(county_ledger.region_code[:6]):
            raise ValidationError(_("“%(name)s”不在本县，不能下拨") % {"name": receiver.owner})
        if receiver.pk in seen:
            raise ValidationError(_("“%(name)s”填了两次") % {"name": receiver.owner})
        seen.add(receiver.pk)
        try:
            validate_amount(amount)
        except ValidationError as error:
            raise ValidationError(
                _("%(name)s：%(error)s") % {"name": receiver.owner, "error": error.messages[0]}
            ) from error
    try:
        validate_entry_date(occurred_on)
    except ValidationError as error:
        raise ValidationError({"occurred_on": error}) from error
    pairs = []
    for receiver, amount in lines:
        expense = _save_entry(
            FundEntry(
                ledger=county_ledger,
                occurred_on=occurred_on,
                direction=Direction.EXPENSE,
                category=Category.ALLOCATION,
                amount=Decimal(amount),
                summary=summary,
                counterparty_name=str(receiver.owner)[:100],
                recorded_by=by,
            )
        )
        income = _save_entry(
            FundEntry(
                ledger=receiver,
                occurred_on=occurred_on,
                direction=Direction.INCOME,
                category=Category.COUNTY_ALLOCATION,
                amount=Decimal(amount),
                summary=summary,
                counterparty_name=str(county_ledger.owner)[:100],
                recorded_by=by,
            )
        )
        _link_counterparts(expense, income)
        pairs.append((expense, income))
    return pairs


# --- Allowances ------------------------------------------------------------------------------


@transaction.atomic
def allowances_pay_month(*, ledger: Ledger, month: dt.date, occurred_on: dt.date, by) -> dict:
    """Pay one month's allowances of the ledger's posts: one entry per post, in one transaction.

    Posts held during the month with a monthly allowance are paid; posts already paid for
    the month are listed and skipped (the database refuses a second payment of a post's
    month even under concurrency). Returns {"paid": [AllowancePayment], "already_paid": [Post]}.
    """
    month = first_of_month(month)
    try:
        validate_entry_date(occurred_on)
    except ValidationError as error:
        raise ValidationError({"occurred_on": error}) from error
    if month > first_of_month(timezone.localdate()):
        raise ValidationError({"month": _("还没到的月份不能发放补贴")})
    end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    rows = allowances_due_rows(ledger, month, end)
    paid, already = [], []
    for row in rows:
        if row["paid_months"]:
            already.append(row["post"])
            continue
        post = row["post"]
        entry = _save_entry(
            FundEntry(
                ledger=ledger,
                occurred_on=occurred_on,
                direction=Direction.EXPENSE,
                category=Category.ALLOWANCE,
                amount=post.monthly_allowance,
                summary=_("%(year)s年%(month)s月%(role)s补贴")
                % {"year": month.year, "month": month.month, "role": post.get_role_display()},
                counterparty_person=post.person,
                post=post,
                recorded_by=by,
            )
        )
        try:
            with transaction.atomic():
                payment = AllowancePayment.objects.create(
                    entry=entry, post=post, person=post.person, month=month, amount=post.monthly_allowance
                )
        except IntegrityError as error:  # paid by someone else a moment ago
            raise ValidationError(
                _("%(name)s%(year)s年%(month)s月的补贴刚刚已由他人发放，请刷新后再试")
                % {"name": post.person.name, "year": month.year, "month": month.month}
            ) from error
        paid.append(payment)
    if not paid and not already:
        raise ValidationError(_("本月没有应发补贴的职务（职务未填写每月补贴，或当月无人任职）"))
    return {"paid": paid, "already_paid": already}
