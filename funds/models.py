"""Funds (经费): one ledger per branch, per youth-care committee and per county office.

A ledger's balance is the sum of its entries, always: nothing stores a balance.
Entries are numbered by the system (凭证号, in sequence per ledger and year, no
gaps), and once their month is closed they are never changed or archived (a
database trigger holds it); a correction is a new entry that reverses the old one.
"""

import datetime as dt
from decimal import Decimal
from itertools import combinations

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from branches.models import Activity, Branch, Post, YouthCareCommittee
from core.models import DomainModel, Person, Region, domain_managers
from core.scoping import Role, ScopedQuerySet

MONEY = {"max_digits": 12, "decimal_places": 2}
# Larger than any one entry of a county office: a typo (an extra digit or three) is refused.
MAX_ENTRY_AMOUNT = Decimal("10000000.00")


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


# --- Ledgers ---------------------------------------------------------------------------------


class LedgerQuerySet(ScopedQuerySet):
    """County staff and leaders: every ledger of their region (leaders read totals only: they
    hold no permission on entries); committee staff: the committees' ledgers; a secretary the
    ledgers of the branches they hold posts in; a director their committees'."""

    region_readers = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF, Role.LEADER})
    # Recording entries and budgets, paying allowances and closing months follow the
    # ledger's edit rule (its own permission each: a role may read a ledger it cannot keep).
    action_rules = {
        "record": "editable_by",
        "pay_allowances": "editable_by",
        "close": "editable_by",
        "allocate": "allocatable_by",
    }

    def in_region(self, region):
        # The owner's region code is stored on the ledger: one indexed LIKE, no join.
        return self.filter(region_code__startswith=region.prefix)

    def visible_to(self, user):
        queryset = super().visible_to(user)
        if getattr(user, "role", None) == Role.COMMITTEE_STAFF:
            return queryset.filter(committee__isnull=False)
        return queryset

    def visible_to_member(self, user):
        if user.role == Role.BRANCH_SECRETARY:
            return self.filter(branch_id__in=Post.objects.branch_ids_held_by(user))
        return self.filter(committee_id__in=Post.objects.committee_ids_led_by(user))

    def editable_by_member(self, user):
        return self.visible_to_member(user)

    def allocatable_by(self, user):
        """Only a county office's own ledger allocates to others (county staff of that county)."""
        return self.editable_by(user).filter(county__isnull=False)


class LedgerOwnerKind(models.TextChoices):
    BRANCH = "branch", _("党支部")
    COMMITTEE = "committee", _("关工委")
    COUNTY = "county", _("县（区）老干部局")


@pghistory.track()
class Ledger(DomainModel):
    """The funds ledger (经费账) of exactly one owner: a branch, a youth-care committee or a county office."""

    OwnerKind = LedgerOwnerKind

    branch = models.OneToOneField(
        Branch, verbose_name=_("党支部"), null=True, blank=True, on_delete=models.PROTECT, related_name="ledger"
    )
    committee = models.OneToOneField(
        YouthCareCommittee,
        verbose_name=_("关工委"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger",
    )
    county = models.OneToOneField(
        Region,
        verbose_name=_("县（区）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger",
        limit_choices_to={"level": Region.Level.COUNTY},
    )
    # The owner's region code, copied when the ledger is opened (owners do not move between
    # counties): scoping filters on it without joining the owner.
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True, editable=False)

    objects, all_objects = domain_managers(LedgerQuerySet)

    class Meta:
        verbose_name = _("经费账")
        verbose_name_plural = _("经费账")
        ordering = ["region_code", "pk"]
        base_manager_name = "all_objects"
        permissions = [
            ("record_ledger", _("可记账、编制预算")),
            ("allocate_ledger", _("可从本县经费账下拨经费")),
            ("pay_allowances_ledger", _("可按月发放补贴")),
            ("close_ledger", _("可结账（月结）")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(branch__isnull=False, committee__isnull=True, county__isnull=True)
                | Q(branch__isnull=True, committee__isnull=False, county__isnull=True)
                | Q(branch__isnull=True, committee__isnull=True, county__isnull=False),
                name="funds_ledger_exactly_one_owner",
                violation_error_message=_("经费账必须属于一个党支部、一个关工委或一个县（区）"),
            ),
            models.CheckConstraint(condition=Q(region_code__regex=r"^[0-9]{12}$"), name="funds_ledger_region_code"),
        ]

    def __str__(self):
        return gettext("%(owner)s经费账") % {"owner": self.owner}

    def save(self, *args, **kwargs):
        self.region_code = self.owner_region_code()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("funds:ledger_detail", args=[self.pk])

    @property
    def owner(self):
        return self.branch or self.committee or self.county

    @property
    def owner_kind(self) -> str:
        if self.branch_id:
            return LedgerOwnerKind.BRANCH
        if self.committee_id:
            return LedgerOwnerKind.COMMITTEE
        return LedgerOwnerKind.COUNTY

    def owner_region_code(self) -> str:
        if self.branch_id:
            return self.branch.region_id
        if self.committee_id:
            return self.committee.region_id
        return self.county_id or ""

    def owner_posts(self):
        """The posts whose allowances this ledger pays: its branch's or committee's, or every
        post of the county's branches and committees for a county office's ledger."""
        if self.branch_id:
            return Post.objects.filter(branch_id=self.branch_id)
        if self.committee_id:
            return Post.objects.filter(committee_id=self.committee_id)
        prefix = Region.county_code_of(self.county_id)[:6]
        return Post.objects.filter(
            Q(branch__region__code__startswith=prefix) | Q(committee__region__code__startswith=prefix)
        )


class VoucherCounter(models.Model):
    """The last voucher number given in a ledger's year: the row locked while the next is taken."""

    ledger = models.ForeignKey(Ledger, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ledger", "year"], name="funds_vouchercounter_one_per_year")]

    def __str__(self):
        return f"{self.ledger_id}/{self.year}: {self.last_number}"


# --- Entries ---------------------------------------------------------------------------------


class Direction(models.TextChoices):
    INCOME = "income", _("收入")
    EXPENSE = "expense", _("支出")


class Category(models.TextChoices):
    # Income
    COUNTY_ALLOCATION = "county_allocation", _("上级拨款")
    UNIT_FUNDING = "unit_funding", _("单位经费")
    PARTY_DUES_RETURNED = "party_dues_returned", _("党费返还")
    DONATION = "donation", _("捐赠")
    OTHER_INCOME = "other_income", _("其他收入")
    # Expense
    ALLOWANCE = "allowance", _("补贴（书记、委员）")
    ACTIVITY = "activity", _("活动经费")
    VOLUNTEER_TRAVEL = "volunteer_travel", _("五老补贴：差旅")
    VOLUNTEER_TRANSPORT = "volunteer_transport", _("五老补贴：交通")
    VOLUNTEER_PHONE = "volunteer_phone", _("五老补贴：通讯")
    VOLUNTEER_MEALS = "volunteer_meals", _("五老补贴：误餐")
    VOLUNTEER_BOOKS = "volunteer_books", _("五老补贴：书报")
    HOLIDAY_VISIT = "holiday_visit", _("节日慰问")
    VENUE = "venue", _("阵地建设")
    PUBLICATION = "publication", _("宣传资料")
    AID = "aid", _("助学帮扶")
    ALLOCATION = "allocation", _("下拨经费")
    OTHER_EXPENSE = "other_expense", _("其他支出")

    @classmethod
    def income(cls) -> list[str]:
        return [cls.COUNTY_ALLOCATION, cls.UNIT_FUNDING, cls.PARTY_DUES_RETURNED, cls.DONATION, cls.OTHER_INCOME]

    @classmethod
    def expense(cls) -> list[str]:
        return [c for c in cls.values if c not in cls.income()]

    @classmethod
    def for_direction(cls, direction: str) -> list[tuple[str, str]]:
        values = cls.income() if direction == Direction.INCOME else cls.expense()
        return [(value, label) for value, label in cls.choices if value in values]


# What an entry may relate to: at most one of these (a CheckConstraint built from the tuple).
# A volunteer (subsidies) and an aid disbursement join as nullable foreign keys once those
# apps have their models: add the field here and a migration, and the check follows.
RELATION_FIELDS = ("activity", "post")


def _at_most_one_of(fields) -> Q:
    both = [Q(**{f"{a}__isnull": False, f"{b}__isnull": False}) for a, b in combinations(fields, 2)]
    condition = both[0]
    for clause in both[1:]:
        condition |= clause
    return ~condition


class FundEntryQuerySet(ScopedQuerySet):
    """Entries of the ledgers the user may see (leaders see none: totals come from selectors)."""

    region_readers = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF})

    def visible_to(self, user):
        if getattr(user, "role", None) == Role.LEADER:
            return self.none()
        return self.filter(ledger__in=Ledger.objects.visible_to(user))

    def editable_by(self, user):
        if getattr(user, "role", None) in (Role.LEADER, Role.COMMITTEE_STAFF):
            return self.none()
        return self.filter(ledger__in=Ledger.objects.editable_by(user))

    def signed_amount(self):
        """Income positive, expense negative: the balance is their sum."""
        return models.Case(
            models.When(direction=Direction.EXPENSE, then=-models.F("amount")),
            default=models.F("amount"),
            output_field=models.DecimalField(**MONEY),
        )


@pghistory.track()
class FundEntry(DomainModel):
    """One income or expense in a ledger (记账凭证)."""

    Direction = Direction
    Category = Category

    ledger = models.ForeignKey(Ledger, verbose_name=_("经费账"), on_delete=models.PROTECT, related_name="entries")
    voucher_year = models.PositiveSmallIntegerField(_("凭证年度"), editable=False)
    voucher_seq = models.PositiveIntegerField(_("凭证序号"), editable=False)
    occurred_on = models.DateField(_("日期"))
    direction = models.CharField(_("收支"), max_length=8, choices=Direction.choices)
    category = models.CharField(_("科目"), max_length=32, choices=Category.choices)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    summary = models.CharField(_("摘要"), max_length=200)
    counterparty_person = models.ForeignKey(
        Person,
        verbose_name=_("付款人或收款人（人员）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_entries",
    )
    counterparty_name = models.CharField(
        _("付款方或收款方"), max_length=100, blank=True, help_text=_("单位名称，或不在系统中的个人")
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("相关活动"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    post = models.ForeignKey(
        Post, verbose_name=_("相关职务"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receipt = models.FileField(_("票据扫描件"), upload_to="funds/receipts/%Y/%m/", blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲销的凭证"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
        editable=False,
    )
    # The other side of an allocation: the county's expense and the receiver's income point at each other.
    counterpart = models.OneToOneField(
        "self",
        verbose_name=_("对应凭证"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    overspend_reason = models.TextField(_("超预算原因"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记账人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects, all_objects = domain_managers(FundEntryQuerySet)

    class Meta:
        verbose_name = _("经费收支")
        verbose_name_plural = _("经费收支")
        ordering = ["occurred_on", "voucher_year", "voucher_seq"]
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["ledger", "occurred_on", "id"], name="funds_entry_ledger_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["ledger", "voucher_year", "voucher_seq"], name="funds_entry_voucher_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_entry_amount_positive"),
            models.CheckConstraint(condition=Q(amount__lte=MAX_ENTRY_AMOUNT), name="funds_entry_amount_not_absurd"),
            models.CheckConstraint(condition=Q(direction__in=Direction.values), name="funds_entry_direction_valid"),
            # A category belongs to one direction; a reversal keeps the category of what it reverses.
            models.CheckConstraint(
                condition=Q(direction="income", category__in=Category.income())
                | Q(direction="expense", category__in=Category.expense())
                | Q(reverses__isnull=False, category__in=Category.values),
                name="funds_entry_category_of_direction",
            ),
            models.CheckConstraint(
                condition=Q(counterparty_person__isnull=True) | Q(counterparty_name=""),
                name="funds_entry_one_counterparty",
                violation_error_message=_("付款人或收款人只能填一个：选择人员，或填写名称"),
            ),
            models.CheckConstraint(
                condition=_at_most_one_of(RELATION_FIELDS),
                name="funds_entry_relates_to_at_most_one",
                violation_error_message=_("一笔收支最多关联一项（活动或职务）"),
            ),
            models.CheckConstraint(condition=~Q(reverses=models.F("pk")), name="funds_entry_not_own_reversal"),
        ]
        triggers = [
            # Nothing in a closed month changes: no update (archiving is one), no delete, and no
            # new entry dated in it. The forms and services say so first; this is the last word.
            pgtrigger.Trigger(
                name="closed_month_frozen",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                func="""
                IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
                    SELECT 1 FROM funds_ledgermonthclose c
                    WHERE c.ledger_id = OLD.ledger_id AND c.month = date_trunc('month', OLD.occurred_on)::date
                ) THEN
                    RAISE EXCEPTION 'funds: the month of entry % is closed', OLD.id USING ERRCODE = 'check_violation';
                END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
                    SELECT 1 FROM funds_ledgermonthclose c
                    WHERE c.ledger_id = NEW.ledger_id AND c.month = date_trunc('month', NEW.occurred_on)::date
                ) THEN
                    RAISE EXCEPTION 'funds: month of % closed', NEW.occurred_on USING ERRCODE = 'check_violation';
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
                """,
            ),
        ]

    def __str__(self):
        return gettext("凭证%(number)s %(summary)s") % {"number": self.voucher_number, "summary": self.summary}

    def str_without_names(self) -> str:
        return gettext("凭证%(number)s") % {"number": self.voucher_number}

    def get_absolute_url(self):
        return reverse("funds:entry_detail", args=[self.pk])

    @property
    def voucher_number(self) -> str:
        """记字2026-0007: the year and the sequence within the ledger's year."""
        return f"{self.voucher_year}-{self.voucher_seq:04d}"

    @property
    def signed(self) -> Decimal:
        return self.amount if self.direction == Direction.INCOME else -self.amount

    @property
    def counterparty(self) -> str:
        return self.counterparty_person.name if self.counterparty_person_id else self.counterparty_name

    @property
    def relates_to(self):
        for name in RELATION_FIELDS:
            if getattr(self, f"{name}_id"):
                return getattr(self, name)
        return None

    @property
    def month(self) -> dt.date:
        return first_of_month(self.occurred_on)


class MonthCloseQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.filter(ledger__in=Ledger.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(ledger__in=Ledger.objects.editable_by(user))


class LedgerMonthClose(models.Model):
    """A ledger's month, closed (结账): its entries are final from now on. Closing is not undone."""

    ledger = models.ForeignKey(Ledger, verbose_name=_("经费账"), on_delete=models.PROTECT, related_name="closed_months")
    month = models.DateField(_("月份"))
    closed_at = models.DateTimeField(_("结账时间"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("结账人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MonthCloseQuerySet.as_manager()

    class Meta:
        verbose_name = _("月结")
        verbose_name_plural = _("月结")
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["ledger", "month"], name="funds_monthclose_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="funds_monthclose_first_of_month"),
        ]
        triggers = [
            pgtrigger.Protect(name="month_close_final", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.ledger} {self.month:%Y-%m}"


class AllowancePaymentQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.filter(entry__in=FundEntry.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(entry__in=FundEntry.objects.editable_by(user))


@pghistory.track()
class AllowancePayment(DomainModel):
    """One post's allowance for one month, paid by one entry. The database refuses a second
    payment of the same post and month; reversing the entry archives this row, so the
    month can be paid again correctly."""

    personal_record = True

    entry = models.OneToOneField(
        FundEntry, verbose_name=_("凭证"), on_delete=models.PROTECT, related_name="allowance_payment"
    )
    post = models.ForeignKey(Post, verbose_name=_("职务"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"))
    amount = models.DecimalField(_("金额（元）"), **MONEY)

    objects, all_objects = domain_managers(AllowancePaymentQuerySet)

    class Meta:
        verbose_name = _("补贴发放")
        verbose_name_plural = _("补贴发放")
        ordering = ["month"]
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["post", "month"],
                condition=Q(archived_at__isnull=True),
                name="funds_allowance_once_per_post_and_month",
                violation_error_message=_("该职务本月的补贴已发放"),
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="funds_allowance_first_of_month"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_allowance_amount_positive"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.post}"

    def str_without_names(self) -> str:
        return gettext("%(month)s补贴") % {"month": f"{self.month:%Y-%m}"}

    def get_absolute_url(self):
        return self.entry.get_absolute_url()


# --- Budgets ---------------------------------------------------------------------------------


class BudgetQuerySet(ScopedQuerySet):
    region_readers = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF, Role.LEADER})

    def visible_to(self, user):
        return self.filter(ledger__in=Ledger.objects.visible_to(user))

    def editable_by(self, user):
        if getattr(user, "role", None) in (Role.LEADER, Role.COMMITTEE_STAFF):
            return self.none()
        return self.filter(ledger__in=Ledger.objects.editable_by(user))


@pghistory.track()
class Budget(DomainModel):
    """A ledger's planned spending (预算) for one year and one expense category."""

    ledger = models.ForeignKey(Ledger, verbose_name=_("经费账"), on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("年度"))
    category = models.CharField(_("科目"), max_length=32, choices=Category.choices)
    amount = models.DecimalField(_("预算金额（元）"), **MONEY)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects, all_objects = domain_managers(BudgetQuerySet)

    class Meta:
        verbose_name = _("预算")
        verbose_name_plural = _("预算")
        ordering = ["year", "category"]
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["ledger", "year", "category"],
                condition=Q(archived_at__isnull=True),
                name="funds_budget_one_line_per_category",
                violation_error_message=_("该科目本年度已有预算，请修改原有预算"),
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funds_budget_amount_not_negative"),
            models.CheckConstraint(condition=Q(category__in=Category.expense()), name="funds_budget_expense_category"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="funds_budget_year_sane"),
        ]

    def __str__(self):
        return gettext("%(year)s年%(category)s预算") % {"year": self.year, "category": self.get_category_display()}

    def get_absolute_url(self):
        return self.ledger.get_absolute_url() + f"?year={self.year}"
