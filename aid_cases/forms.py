"""Forms of the aid app. Every message is Chinese and on the field it is about: amounts above
zero with at most two decimals, no date in the future, an end after its start, a credit code
with its check character."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aid_cases.models import (
    AidCase,
    CareVisit,
    Child,
    CloseReason,
    Consent,
    Donation,
    Drive,
    Guardian,
    GuardianRelation,
    Pairing,
    Programme,
    Sponsor,
    first_of_month,
)
from aid_cases.services import ItemData, SupportData
from branches.models import YouthCareCommittee
from branches.photos import attachment_file, prepare_photo
from core import access
from core.forms import MonthField, ScopedFormMixin, VersionedModelForm
from core.models import Person, Region
from core.validators import normalize_credit_code, normalize_id_number, validate_id_number, validate_phone
from core.widgets import DateInput, MonthInput, PhoneInput

FUTURE_DATE = _("日期不能晚于今天")


def money_field(label, *, required=True, allow_zero=False, help_text=""):
    """Yuan: more than 0 (or 0 when allowed), at most two decimals, with Chinese messages."""
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0") if allow_zero else Decimal("0.01"),
        help_text=help_text,
        error_messages={
            "invalid": _("请输入金额，如 1000 或 1000.50"),
            "max_decimal_places": _("金额最多保留两位小数（到分）"),
            "max_digits": _("金额过大，请核对"),
            "max_whole_digits": _("金额过大，请核对"),
            "min_value": _("金额不能为负数") if allow_zero else _("金额须大于0"),
            "required": _("请填写金额"),
        },
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


def past_date_field(label, *, required=True, initial=None, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput,
        initial=initial,
        help_text=help_text,
        validators=[_not_in_future],
    )


def _not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(FUTURE_DATE, code="future")


def _today():
    return timezone.localdate()


class _PastDatesMixin:
    """Model forms: every date field named in `past_dates` refuses the future."""

    past_dates: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.past_dates:
            if name in self.fields:
                self.fields[name].validators.append(_not_in_future)


# --- Children ---------------------------------------------------------------------------------


class ChildRegisterForm(ScopedFormMixin, forms.Form):
    """A child, their first guardian and the consent, on one page (aid_cases.services.child_register)."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=18,
        required=False,
        validators=[validate_id_number],
        help_text=_("有身份证号的请填写，出生日期和性别将据此核对"),
    )
    gender = forms.ChoiceField(label=_("性别"), choices=[("", _("请选择")), *Person.Gender.choices], required=False)
    birth_date = past_date_field(_("出生日期"), required=False)
    region = forms.ModelChoiceField(
        label=_("所在村（社区）"), queryset=Region.objects.filter(level__in=["town", "village"])
    )
    school = forms.CharField(label=_("学校"), max_length=100, required=False)
    grade = forms.CharField(label=_("年级"), max_length=20, required=False)
    class_name = forms.CharField(label=_("班级"), max_length=20, required=False)
    circumstances = forms.MultipleChoiceField(
        label=_("困难情形"),
        choices=Child.Circumstance.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一项困难情形")},
    )
    situation = forms.CharField(label=_("家庭情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    guardian_name = forms.CharField(label=_("监护人姓名"), max_length=50)
    guardian_relation = forms.ChoiceField(label=_("与儿童关系"), choices=GuardianRelation.choices)
    guardian_phone = forms.CharField(
        label=_("监护人电话"), max_length=20, required=False, validators=[validate_phone], widget=PhoneInput()
    )
    consent_on = past_date_field(
        _("监护人同意登记日期"),
        initial=_today,
        help_text=_("监护人同意登记保存儿童信息的日期（个人信息保护法：不满十四周岁儿童的信息须经监护人同意）"),
    )
    not_duplicate = forms.BooleanField(
        label=_("已核对：不是上面列出的儿童，仍要新登记"), required=False, widget=forms.CheckboxInput
    )

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data.get("id_number") or "")

    def person(self) -> Person:
        data = self.cleaned_data
        return Person(
            name=data["name"].strip(),
            id_number=data["id_number"],
            gender=data["gender"] or "",
            birth_date=data["birth_date"],
            region=data["region"],
        )

    def child(self) -> Child:
        data = self.cleaned_data
        return Child(
            region=data["region"],
            school=data["school"],
            grade=data["grade"],
            class_name=data["class_name"],
            circumstances=list(data["circumstances"]),
            situation=data["situation"],
        )

    def consent(self) -> Consent:
        data = self.cleaned_data
        return Consent(
            given_by=data["guardian_name"],
            relation=data["guardian_relation"],
            given_on=data["consent_on"],
            purpose=Consent.Purpose.KEEP,
        )


class ChildForm(VersionedModelForm):
    circumstances = forms.MultipleChoiceField(
        label=_("困难情形"), choices=Child.Circumstance.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Child
        fields = ["region", "school", "grade", "class_name", "circumstances", "situation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not access.has_permission(self.user, "core.view_region"):
            del self.fields["region"]  # a director keeps the school and the circumstances; the office the village


class GuardianForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Guardian
        fields = ["person", "name", "relation", "phone"]
        help_texts = {"person": _("已登记的人员可直接选择；否则填写姓名")}
        widgets = {"phone": PhoneInput()}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("person") and not (cleaned.get("name") or "").strip():
            self.add_error("name", _("请选择人员或填写监护人姓名"))
        return cleaned


class ConsentForm(_PastDatesMixin, ScopedFormMixin, forms.ModelForm):
    past_dates = ("given_on",)

    class Meta:
        model = Consent
        fields = ["given_by", "relation", "given_on", "purpose", "note"]
        widgets = {"given_on": DateInput}


class RevealIdNumberForm(forms.Form):
    reason = forms.CharField(
        label=_("查看理由"), max_length=200, help_text=_("如：办理学籍资助需核对身份证号。理由将记入访问记录")
    )


# --- Programmes and cases ---------------------------------------------------------------------


class ProgrammeForm(VersionedModelForm):
    budget = money_field(_("预算（元）"), required=False, allow_zero=True)

    class Meta:
        model = Programme
        fields = ["name", "kind", "year", "budget", "committee", "eligibility"]


class CaseForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = AidCase
        fields = ["child", "programme", "committee", "registered_on", "note"]
        widgets = {"registered_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registered_on"].validators.append(_not_in_future)

    def clean(self):
        cleaned = super().clean()
        child, committee = cleaned.get("child"), cleaned.get("committee")
        if child and committee and not child.region.code.startswith(committee.region.prefix):
            # The town committee of the child's town handles the case (or a committee above it).
            self.add_error("committee", _("经办关工委须是儿童所在地的关工委"))
        return cleaned


class TransitionForm(forms.Form):
    on = past_date_field(_("日期"), initial=_today)
    comment = forms.CharField(label=_("意见或说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    close_reason = forms.ChoiceField(
        label=_("结案原因"), choices=[("", _("请选择")), *CloseReason.choices], required=False
    )
    outcome = forms.CharField(
        label=_("帮扶成效"), max_length=200, required=False, help_text=_("如：考入大学、参加工作")
    )


class CaseExportForm(forms.Form):
    """Nothing to fill in: the export takes the list's filters and is logged with them."""


# --- Sponsors and pairings --------------------------------------------------------------------


class SponsorForm(VersionedModelForm):
    class Meta:
        model = Sponsor
        fields = ["kind", "name", "credit_code", "person", "region", "contact_name", "contact_phone", "payer", "note"]
        help_texts = {"person": _("党员结对时选择该党员")}
        widgets = {"contact_phone": PhoneInput()}

    def clean_credit_code(self):
        return normalize_credit_code(self.cleaned_data.get("credit_code") or "")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Sponsor.Kind.ENTERPRISE and not cleaned.get("credit_code") and "credit_code" not in self.errors:
            self.add_error("credit_code", _("爱心企业须填写统一社会信用代码"))
        if kind == Sponsor.Kind.PARTY_MEMBER and not cleaned.get("person"):
            self.add_error("person", _("党员结对须选择该党员"))
        return cleaned


def _months(text: str) -> list[int]:
    text = (text or "").replace("，", ",").replace("、", ",").replace(" ", ",")
    try:
        months = sorted({int(part) for part in text.split(",") if part})
    except ValueError:
        raise ValidationError(_("月份请填1至12的数字，多个用逗号分开，如 3,9")) from None
    if not months or any(m < 1 or m > 12 for m in months):
        raise ValidationError(_("月份请填1至12的数字，多个用逗号分开，如 3,9"))
    return months


class PairingForm(ScopedFormMixin, forms.Form):
    SUPPORT_ROWS = 2

    sponsor = forms.ModelChoiceField(label=_("资助人"), queryset=Sponsor.objects.all())
    monthly_amount = money_field(_("每月资助（元）"))
    start_on = forms.DateField(label=_("开始日期"), widget=DateInput)
    planned_end_on = forms.DateField(label=_("计划结束日期"), widget=DateInput, required=False)
    end_condition = forms.CharField(
        label=_("结束条件"), max_length=100, required=False, help_text=_("如：直至完成学业（可与结束日期同时填写）")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, self.SUPPORT_ROWS + 1):
            self.fields[f"support_label_{i}"] = forms.CharField(
                label=_("其他定期资助%(n)s：项目") % {"n": i},
                max_length=50,
                required=False,
                help_text=_("如：衣物费、学杂费") if i == 1 else "",
            )
            self.fields[f"support_amount_{i}"] = money_field(_("每次金额（元）"), required=False)
            self.fields[f"support_months_{i}"] = forms.CharField(
                label=_("每年发放月份"), max_length=40, required=False, help_text=_("如每年6月填6；每学期填3,9")
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_on"), cleaned.get("planned_end_on")
        if start and end and end <= start:
            self.add_error("planned_end_on", _("计划结束日期须晚于开始日期"))
        if not end and not (cleaned.get("end_condition") or "").strip() and "planned_end_on" not in self.errors:
            self.add_error("planned_end_on", _("请填写计划结束日期或结束条件（如：直至完成学业）"))
        self.supports = []
        for i in range(1, self.SUPPORT_ROWS + 1):
            label = (cleaned.get(f"support_label_{i}") or "").strip()
            amount = cleaned.get(f"support_amount_{i}")
            months = cleaned.get(f"support_months_{i}")
            if not label and amount is None and not months:
                continue
            if not label:
                self.add_error(f"support_label_{i}", _("请填写资助项目名称"))
            if amount is None and f"support_amount_{i}" not in self.errors:
                self.add_error(f"support_amount_{i}", _("请填写金额"))
            try:
                parsed = _months(months)
            except ValidationError as error:
                self.add_error(f"support_months_{i}", error)
                continue
            if label and amount is not None:
                self.supports.append(SupportData(label=label, amount=amount, months=parsed))
        return cleaned


def _inline(label) -> dict:
    """Attributes of a field in a one-line form on the case page (no visible label)."""
    return {"class": "form-control form-control-sm", "aria-label": label}


class PauseForm(forms.Form):
    from_month = MonthField(
        label=_("从哪个月起暂停"), initial=_today, widget=MonthInput(attrs=_inline(_("从哪个月起暂停")))
    )
    reason = forms.CharField(
        label=_("暂停原因"),
        max_length=200,
        widget=forms.TextInput(attrs={**_inline(_("暂停原因")), "placeholder": _("暂停原因")}),
    )


class ResumeForm(forms.Form):
    month = MonthField(label=_("从哪个月起恢复"), initial=_today, widget=MonthInput(attrs=_inline(_("从哪个月起恢复"))))


class EndPairingForm(forms.Form):
    ended_on = past_date_field(_("结束日期"), initial=_today)
    reason = forms.ChoiceField(
        label=_("结束原因"),
        choices=Pairing.EndReason.choices,
        help_text=_("完成学业、迁出或不再符合条件时个案随之结案；资助人退出时个案转为“待新资助人”"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].widget.attrs.update(_inline(_("结束日期")))
        self.fields["reason"].widget.attrs.update({"class": "form-select form-select-sm", "aria-label": _("结束原因")})


# --- Disbursements ----------------------------------------------------------------------------


class DisbursementForm(ScopedFormMixin, forms.Form):
    GOODS_ROWS = 3

    pairing = forms.ModelChoiceField(
        label=_("结对"), queryset=Pairing.objects.none(), required=False, help_text=_("结对资助人的按月资助请选择结对")
    )
    paid_on = past_date_field(_("发放日期"), initial=_today)
    for_month = MonthField(
        label=_("所属月份"), required=False, help_text=_("补发往月的资助时选所属的月份；不填即为发放当月")
    )
    amount = money_field(_("现金（元）"), required=False, allow_zero=True)
    handed_over_by = forms.ModelChoiceField(
        label=_("发放人"),
        queryset=Person.objects.all(),
        required=False,
        help_text=_("如资助人本人，或代为发放的关工委人员、五老志愿者"),
    )
    present = forms.CharField(label=_("在场人员"), max_length=200, required=False)
    receipt = forms.FileField(
        label=_("签收单或照片"), required=False, help_text=_("照片（JPEG、PNG、HEIC）或PDF，不超过10MB")
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, case: AidCase, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pairing"].queryset = case.pairings.select_related("sponsor")
        self.fields["pairing"].widget = forms.Select(choices=self.fields["pairing"].choices)
        for i in range(1, self.GOODS_ROWS + 1):
            self.fields[f"goods_{i}"] = forms.CharField(label=_("物品%(n)s") % {"n": i}, max_length=100, required=False)
            self.fields[f"quantity_{i}"] = forms.IntegerField(
                label=_("数量"), min_value=1, required=False, error_messages={"min_value": _("数量须大于0")}
            )
            self.fields[f"value_{i}"] = money_field(_("价值（元）"), required=False)

    def clean_receipt(self):
        upload = self.cleaned_data.get("receipt")
        if not upload:
            return None
        if (upload.name or "").lower().endswith(".pdf"):
            return attachment_file(upload)  # the shared checks of branches/photos.py
        return prepare_photo(upload)

    def clean(self):
        cleaned = super().clean()
        self.items = []
        for i in range(1, self.GOODS_ROWS + 1):
            goods, quantity, value = (cleaned.get(f"{k}_{i}") for k in ("goods", "quantity", "value"))
            if not goods and quantity is None and value is None:
                continue
            if not goods:
                self.add_error(f"goods_{i}", _("请填写物品名称"))
            if quantity is None and f"quantity_{i}" not in self.errors:
                self.add_error(f"quantity_{i}", _("请填写数量"))
            if value is None and f"value_{i}" not in self.errors:
                self.add_error(f"value_{i}", _("请填写物品价值"))
            if goods and quantity and value is not None:
                self.items.append(ItemData(description=goods, quantity=quantity, value=value))
        if not cleaned.get("amount") and not self.items and not self.errors:
            self.add_error("amount", _("请填写现金金额或发放的物品"))
        return cleaned


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("冲销原因"), max_length=150, help_text=_("如：金额录错，应为800元"))


class MonthCloseForm(ScopedFormMixin, forms.Form):
    committee = forms.ModelChoiceField(label=_("关工委"), queryset=YouthCareCommittee.objects.all())
    month = forms.DateField(label=_("月份"), widget=DateInput, help_text=_("选该月中的任一天"))

    def clean_month(self):
        month = first_of_month(self.cleaned_data["month"])
        if month >= first_of_month(timezone.localdate()):
            raise ValidationError(_("只能结已经过去的月份"))
        return month


# --- Visits and drives ------------------------------------------------------------------------


class CareVisitForm(_PastDatesMixin, ScopedFormMixin, forms.ModelForm):
    past_dates = ("visited_on",)
    cash = money_field(_("慰问金（元）"), required=False, allow_zero=True)
    goods_value = money_field(_("物品价值（元）"), required=False, allow_zero=True)

    class Meta:
        model = CareVisit
        fields = [
            "committee",
            "visited_on",
            "occasion",
            "children",
            "unregistered_children",
            "visitors",
            "visitors_note",
            "cash",
            "goods",
            "goods_value",
            "note",
        ]
        widgets = {"visited_on": DateInput}

    def clean(self):
        cleaned = super().clean()
        for name in ("cash", "goods_value"):
            if cleaned.get(name) is None:
                cleaned[name] = Decimal("0")
        if not cleaned.get("children") and not cleaned.get("unregistered_children") and not self.errors:
            self.add_error("children", _("请选择慰问的儿童，或填写未建档儿童人数"))
        return cleaned


class DriveForm(_PastDatesMixin, VersionedModelForm):
    past_dates = ("launched_on",)
    target = money_field(_("目标金额（元）"), required=False)

    class Meta:
        model = Drive
        fields = ["title", "committee", "case", "cause", "launched_on", "launched_by", "appeal", "target", "closed_on"]
        widgets = {"launched_on": DateInput, "closed_on": DateInput}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("launched_on"), cleaned.get("closed_on")
        if start and end and end < start:
            self.add_error("closed_on", _("结束日期不能早于发起日期"))
        if not cleaned.get("case") and not (cleaned.get("cause") or "").strip():
            self.add_error("cause", _("请选择受助个案或填写事由"))
        return cleaned


class DonationForm(_PastDatesMixin, ScopedFormMixin, forms.ModelForm):
    past_dates = ("received_on",)
    amount = money_field(_("现金（元）"), required=False, allow_zero=True)
    goods_value = money_field(_("物品价值（元）"), required=False, allow_zero=True)

    class Meta:
        model = Donation
        fields = ["received_on", "donor", "sponsor", "amount", "goods", "goods_value"]
        widgets = {"received_on": DateInput}

    def __init__(self, *args, drive: Drive, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.drive = drive

    def clean(self):
        cleaned = super().clean()
        amount, goods_value = cleaned.get("amount") or Decimal("0"), cleaned.get("goods_value") or Decimal("0")
        cleaned["amount"], cleaned["goods_value"] = amount, goods_value
        if not self.errors and amount == 0 and goods_value == 0:
            self.add_error("amount", _("请填写捐赠金额或物品价值"))
        if goods_value and not (cleaned.get("goods") or "").strip():
            self.add_error("goods", _("请填写捐赠的物品"))
        received = cleaned.get("received_on")
        if received and received < self.instance.drive.launched_on:
            self.add_error("received_on", _("收到日期不能早于发起日期"))
        return cleaned


class PayoutForm(forms.Form):
    paid_on = past_date_field(_("支出日期"), initial=_today)
    payee = forms.CharField(label=_("收款人"), max_length=100)
    purpose = forms.CharField(label=_("用途"), max_length=200)
    amount = money_field(_("金额（元）"))
