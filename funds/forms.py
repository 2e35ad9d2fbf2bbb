"""Forms of the funds ledger. The rules of money live in funds.services; these collect input."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Activity, Post
from core.forms import ScopedFormMixin, VersionedModelForm
from core.models import Person
from core.widgets import DateInput, LookupSelect
from funds import services
from funds.models import Budget, Category, Direction, FundEntry, Ledger, first_of_month

RECEIPT_ACCEPT = "image/*,.heic,.pdf,application/pdf"


class AmountField(forms.DecimalField):
    """Yuan and fen, with the ledger's own messages (≤ 0, more than two decimals, absurdly large)."""

    default_error_messages = {"invalid": _("请输入金额，如 200 或 150.50")}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("金额（元）"))
        super().__init__(validators=[services.validate_amount], **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "step": "0.01", "min": "0.01"})


class MonthInput(DateInput):
    """The one date input (core.widgets.DateInput) picking a month: `<input type="month">`."""

    input_type = "month"

    def __init__(self, attrs=None):
        forms.DateInput.__init__(self, attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month, typed as 2026-03 (`<input type="month">`) or any date in it."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d", "%Y年%m月"]
    default_error_messages = {"invalid": _("请按“2026-03”的格式填写月份")}

    def to_python(self, value):
        day = super().to_python(value)
        return first_of_month(day) if day else day


def _relation_fields(form, ledger: Ledger) -> None:
    """The activity and post an entry may relate to: the ledger owner's, by picker."""
    activity = form.fields["activity"]
    post = form.fields["post"]
    if ledger.branch_id:
        activity.queryset = activity.queryset.filter(branch_id=ledger.branch_id)
        activity.widget = LookupSelect("fund_activity", params={"branch": ledger.branch_id})
        post.queryset = post.queryset.filter(branch_id=ledger.branch_id)
        post.widget = LookupSelect("fund_post", params={"branch": ledger.branch_id})
    elif ledger.committee_id:
        form.fields.pop("activity")
        post.queryset = post.queryset.filter(committee_id=ledger.committee_id)
        post.widget = LookupSelect("fund_post", params={"committee": ledger.committee_id})
    else:
        activity.widget = LookupSelect("fund_activity")
        post.widget = LookupSelect("fund_post")
    for field in ("activity", "post"):
        if field in form.fields:
            form.fields[field].widget.choices = form.fields[field].choices


def _check_counterparty(cleaned) -> None:
    if cleaned.get("counterparty_person") and (cleaned.get("counterparty_name") or "").strip():
        raise ValidationError(
            {"counterparty_name": _("付款人或收款人只能填一个：选择人员，或填写名称")}, code="two_counterparties"
        )
    if cleaned.get("activity") and cleaned.get("post"):
        raise ValidationError({"post": _("一笔收支最多关联一项（活动或职务）")})


class EntryForm(ScopedFormMixin, forms.Form):
    """A new income or expense. The service numbers it and checks the budget."""

    occurred_on = forms.DateField(label=_("日期"), widget=DateInput)
    direction = forms.ChoiceField(label=_("收支"), choices=Direction.choices, widget=forms.RadioSelect)
    category = forms.ChoiceField(label=_("科目"))
    amount = AmountField()
    summary = forms.CharField(label=_("摘要"), max_length=200, help_text=_("如：2026年3月主题党日活动茶水费"))
    counterparty_person = forms.ModelChoiceField(
        label=_("付款人或收款人（人员）"), queryset=Person.objects.all(), required=False
    )
    counterparty_name = forms.CharField(
        label=_("付款方或收款方（名称）"), max_length=100, required=False, help_text=_("单位名称，或不在系统中的个人")
    )
    activity = forms.ModelChoiceField(label=_("相关活动"), queryset=Activity.objects.all(), required=False)
    post = forms.ModelChoiceField(label=_("相关职务"), queryset=Post.objects.all(), required=False)
    receipt = forms.FileField(
        label=_("票据扫描件"),
        required=False,
        help_text=_("照片或PDF，10MB以内"),
        widget=forms.ClearableFileInput(attrs={"accept": RECEIPT_ACCEPT}),
    )
    overspend_reason = forms.CharField(
        label=_("超预算原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("支出超过本科目预算时必填"),
    )

    def __init__(self, *args, ledger: Ledger, **kwargs):
        super().__init__(*args, **kwargs)
        self.ledger = ledger
        self.fields["occurred_on"].initial = timezone.localdate()
        # Grouped by direction; allocations are written by the allocation form only.
        expense = [c for c in Category.for_direction(Direction.EXPENSE) if c[0] != Category.ALLOCATION]
        self.fields["category"].choices = [
            ("", "---------"),
            (_("收入"), Category.for_direction(Direction.INCOME)),
            (_("支出"), expense),
        ]
        _relation_fields(self, ledger)

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        services.validate_entry_date(day)
        if services.month_is_closed(self.ledger, day):
            raise services.closed_month_error(day)
        return day

    def clean_receipt(self):
        upload = self.cleaned_data.get("receipt")
        if upload:
            services.check_receipt(upload)  # refused here, on the field, before anything is written
            upload.seek(0)
        return upload

    def clean(self):
        cleaned = super().clean()
        direction, category = cleaned.get("direction"), cleaned.get("category")
        if direction and category:
            allowed = Category.income() if direction == Direction.INCOME else Category.expense()
            if category not in allowed:
                self.add_error("category", _("该科目不属于所选的收支方向"))
        _check_counterparty(cleaned)
        return cleaned


class EntryEditForm(VersionedModelForm):
    """Correcting an entry while its month is open. Amount and direction stay: those are
    corrected by reversing, so that every voucher once given keeps its meaning."""

    class Meta:
        model = FundEntry
        fields = [
            "occurred_on",
            "category",
            "summary",
            "counterparty_person",
            "counterparty_name",
            "activity",
            "post",
            "overspend_reason",
        ]
        widgets = {"occurred_on": DateInput, "overspend_reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = Category.for_direction(self.instance.direction)
        _relation_fields(self, self.instance.ledger)

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        services.validate_entry_date(day)
        if day.year != self.instance.voucher_year:
            raise ValidationError(_("凭证号按年编排，日期不能改到另一年；请冲销后在新年度重记"))
        if services.month_is_closed(self.instance.ledger, day):
            raise services.closed_month_error(day)
        return day

    def clean(self):
        cleaned = super().clean()
        if services.month_is_closed(self.instance.ledger, self.instance.occurred_on):
            raise services.closed_month_error(self.instance.occurred_on)
        _check_counterparty(cleaned)
        category = cleaned.get("category")
        if self.instance.direction == Direction.EXPENSE and category and category != self.instance.category:
            over = services.budget_shortfall(
                self.instance.ledger, self.instance.voucher_year, category, self.instance.amount
            )
            if over and not (cleaned.get("overspend_reason") or "").strip():
                self.add_error("overspend_reason", services.overspend_message(*over, self.instance.amount))
        return cleaned


class ReverseForm(forms.Form):
    occurred_on = forms.DateField(label=_("冲销日期"), widget=DateInput)
    reason = forms.CharField(label=_("冲销原因"), max_length=150, help_text=_("如：金额记错，应为150元"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate()


class MonthCloseForm(forms.Form):
    month = MonthField(label=_("结账月份"))


class PayMonthForm(forms.Form):
    month = MonthField(label=_("发放月份"))
    occurred_on = forms.DateField(label=_("发放日期"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["month"].initial = first_of_month(today)
        self.fields["occurred_on"].initial = today


class PeriodForm(forms.Form):
    """The months whose allowances due are computed (default: this year up to this month)."""

    start = MonthField(label=_("起始月份"), required=False)
    end = MonthField(label=_("截止月份"), required=False)

    def period(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        start, end = today.replace(month=1, day=1), first_of_month(today)
        if self.is_valid():
            start = self.cleaned_data.get("start") or start
            end = self.cleaned_data.get("end") or end
        if end < start:
            start, end = end, start
        return start, end


class BudgetForm(VersionedModelForm):
    class Meta:
        model = Budget
        fields = ["year", "category", "amount", "note"]

    amount = AmountField(label=_("预算金额（元）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = Category.for_direction(Direction.EXPENSE)
        self.fields["year"].initial = timezone.localdate().year

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= timezone.localdate().year + 1:
            raise ValidationError(_("年度应在2000年到明年之间"))
        return year

    def validate_unique(self):
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            self._update_errors(error)


class AllocationForm(forms.Form):
    """下拨: a date, a summary and an amount for each receiving ledger of the county (blank: none)."""

    occurred_on = forms.DateField(label=_("下拨日期"), widget=DateInput)
    summary = forms.CharField(label=_("摘要"), max_length=200, help_text=_("如：2026年度支部启动经费"))

    def __init__(self, *args, receivers, initial_amounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate()
        self.receivers = list(receivers)
        initial_amounts = initial_amounts or {}
        for ledger in self.receivers:
            self.fields[f"amount_{ledger.pk}"] = AmountField(
                label=str(ledger.owner), required=False, initial=initial_amounts.get(ledger.pk)
            )

    def receiver_fields(self):
        return [(ledger, self[f"amount_{ledger.pk}"]) for ledger in self.receivers]

    def lines(self) -> list[tuple[Ledger, Decimal]]:
        return [
            (ledger, self.cleaned_data[f"amount_{ledger.pk}"])
            for ledger in self.receivers
            if self.cleaned_data.get(f"amount_{ledger.pk}")
        ]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.lines():
            raise ValidationError(_("请至少给一个单位填写下拨金额"))
        return cleaned


class PerHeadForm(forms.Form):
    on = forms.DateField(label=_("按哪天的人数"), widget=DateInput, required=False)
    rate = AmountField(label=_("每人每年（元）"), required=False, initial=Decimal("800"))

    def values(self) -> tuple[dt.date, Decimal]:
        today = timezone.localdate()
        if self.is_valid():
            return self.cleaned_data.get("on") or today, self.cleaned_data.get("rate") or Decimal("800")
        return today, Decimal("800")
