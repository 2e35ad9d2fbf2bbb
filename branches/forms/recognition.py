"""Forms of the recognition area: honours, criteria lists, assessments and their reviews."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import (
    AssessmentCriterion,
    AssessmentItem,
    AssessmentScheme,
    Branch,
    Honour,
    YouthCareCommittee,
)
from branches.selectors.recognition import evidence_activities, evidence_needs, points
from core.forms import ScopedFormMixin, VersionedModelForm
from core.models import DatePrecision
from core.scoping import Role
from core.widgets import DateInput

HONOUR_TITLE_SUGGESTIONS = [
    _("六好党支部"),
    _("五好基层关工委"),
    _("先进基层党组织"),
    _("先进集体"),
    _("优秀共产党员"),
    _("学习型先进党组织"),
]
HONOUR_TITLE_LIST_ID = "honour-title-suggestions"


class HonourForm(VersionedModelForm):
    """A title for exactly one recipient: a branch, a committee or a person."""

    class Meta:
        model = Honour
        fields = [
            "title",
            "level",
            "awarded_by",
            "awarded_on",
            "awarded_precision",
            "branch",
            "committee",
            "person",
            "note",
        ]
        widgets = {
            "title": forms.TextInput(attrs={"list": HONOUR_TITLE_LIST_ID, "autocomplete": "off"}),
            "awarded_on": DateInput(),
            "awarded_precision": forms.RadioSelect(),
        }
        help_texts = {
            "branch": _("获奖对象三选一：支部、关工委或个人"),
            "committee": _("获奖对象三选一：支部、关工委或个人"),
            "person": _("获奖对象三选一：支部、关工委或个人"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awarded_by"].widget.attrs["placeholder"] = _("如：省委组织部、省委老干部局")
        self.fields["awarded_precision"].required = False  # left out: known to the day

    def clean_awarded_precision(self):
        return self.cleaned_data.get("awarded_precision") or DatePrecision.DAY

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in ("branch", "committee", "person") if cleaned.get(name)]
        if len(chosen) != 1:
            message = _("请选择且只选择一个获奖对象：支部、关工委或个人。")
            for name in chosen or ("branch", "committee", "person"):
                self.add_error(name, message)
        return cleaned


class SchemeForm(VersionedModelForm):
    class Meta:
        model = AssessmentScheme
        fields = ["name", "target", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user.role == Role.COMMITTEE_STAFF:
            self.fields["target"].choices = [
                (AssessmentScheme.Target.COMMITTEE, AssessmentScheme.Target.COMMITTEE.label)
            ]
        if self.instance.pk and self.instance.assessments.exists():
            self.fields["target"].disabled = True
            self.fields["target"].help_text = _("已有评估使用本标准，评估对象不能再修改")


class CriterionForm(VersionedModelForm):
    class Meta:
        model = AssessmentCriterion
        fields = ["order", "title", "max_score", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_max_score(self):
        value = self.cleaned_data["max_score"]
        if value is not None and value <= 0:
            raise ValidationError(_("分值应大于0"))
        return value


class AssessmentStartForm(ScopedFormMixin, forms.Form):
    """Choose a scheme, a year and a target; choices follow the user's role and scope."""

    scheme = forms.ModelChoiceField(label=_("评估标准"), queryset=AssessmentScheme.objects.all())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    branch = forms.ModelChoiceField(label=_("支部"), queryset=Branch.objects.all(), required=False)
    committee = forms.ModelChoiceField(label=_("关工委"), queryset=YouthCareCommittee.objects.all(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        role = self.user.role
        if role == Role.BRANCH_SECRETARY:
            del self.fields["committee"]
        if role in (Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_STAFF):
            del self.fields["branch"]
        targets = {
            name: AssessmentScheme.Target.BRANCH if name == "branch" else AssessmentScheme.Target.COMMITTEE
            for name in ("branch", "committee")
            if name in self.fields
        }
        self.fields["scheme"].queryset = self.fields["scheme"].queryset.filter(target__in=targets.values())

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in ("branch", "committee") if cleaned.get(name)]
        if len(chosen) != 1:
            message = _("请选择且只选择一个评估对象。")
            for name in chosen or [n for n in ("branch", "committee") if n in self.fields]:
                self.add_error(name, message)
        return cleaned


class AssessmentItemForm(VersionedModelForm):
    """The self-assessment of one criterion: score, explanation and linked evidence."""

    class Meta:
        model = AssessmentItem
        fields = ["self_score", "evidence", "activities", "needs"]
        widgets = {
            "evidence": forms.Textarea(attrs={"rows": 4}),
            "activities": forms.CheckboxSelectMultiple,
            "needs": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "activities": _("本支部当年的活动记录"),
            "needs": _("本支部当年办结的个性需求"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        assessment = self.instance.assessment
        self.fields["activities"].queryset = evidence_activities(assessment, self.user)
        self.fields["needs"].queryset = evidence_needs(assessment, self.user)
        maximum = self.instance.criterion.max_score
        self.fields["self_score"].required = True
        self.fields["self_score"].help_text = _("0到%(max)s分") % {"max": points(maximum)}
        self.fields["self_score"].widget.attrs.update({"min": 0, "max": maximum, "step": "0.5"})

    def clean_self_score(self):
        value = self.cleaned_data["self_score"]
        maximum = self.instance.criterion.max_score
        if value is not None and not 0 <= value <= maximum:
            raise ValidationError(_("自评分应在0到%(max)s分之间") % {"max": points(maximum)})
        return value


class ReviewForm(forms.Form):
    """A reviewer's comment and a score for each item (prefilled with the score before theirs)."""

    comment = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items, level: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.fields["comment"].label = _("乡镇审核意见") if level == "town" else _("县级审定意见")
        for item in self.items:
            start = item.town_score if level == "county" and item.town_score is not None else item.self_score
            maximum = item.criterion.max_score
            field = forms.DecimalField(
                label=f"{item.criterion.order}. {item.criterion.title}",
                min_value=0,
                max_value=maximum,
                max_digits=5,
                decimal_places=1,
                initial=start,
                help_text=_("自评%(self)s分，满分%(max)s分")
                % {"self": points(item.self_score), "max": points(maximum)},
            )
            field.widget.attrs.update({"step": "0.5"})
            self.fields[f"score_{item.pk}"] = field

    def scores(self) -> dict:
        return {item.pk: self.cleaned_data.get(f"score_{item.pk}") for item in self.items}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("退回原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("说明需要修改或补充的内容"),
    )
