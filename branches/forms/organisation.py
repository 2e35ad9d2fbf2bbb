"""Forms of the organisation area. Model choices are narrowed to the user's scope, and picked by typing,
through the base classes (core.forms)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import (
    Branch,
    Cluster,
    GuidanceVisit,
    Post,
    Venue,
    WorkCommittee,
    WorkCommitteeMember,
    YouthCareCommittee,
)
from core import access
from core.formatting import format_cn_date
from core.forms import ScopedFormMixin, VersionedModelForm
from core.models import Person
from core.widgets import DateInput, restrict


def _textarea(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


class BranchForm(VersionedModelForm):
    class Meta:
        model = Branch
        fields = [
            "name",
            "kind",
            "parent",
            "host_unit",
            "host_kind",
            "region",
            "cluster",
            "founded_on",
            "dissolved_on",
            "venues",
            "note",
        ]
        widgets = {
            "founded_on": DateInput(),
            "dissolved_on": DateInput(),
            "note": _textarea(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        restrict(self.fields["parent"], kind=Branch.Kind.GENERAL, exclude=self.instance.pk)

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent and parent.kind != Branch.Kind.GENERAL:
            raise ValidationError(_("上级组织必须是党总支"))
        return parent

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("parent") and cleaned.get("kind") == Branch.Kind.GENERAL:
            self.add_error("parent", _("党总支不能再隶属于另一个党总支"))
        founded, dissolved = cleaned.get("founded_on"), cleaned.get("dissolved_on")
        if founded and dissolved and dissolved < founded:
            self.add_error("dissolved_on", _("撤销日期不能早于成立日期"))
        return cleaned


class ClusterForm(VersionedModelForm):
    class Meta:
        model = Cluster
        fields = ["name", "region", "leading_unit", "deputy_unit", "note"]
        widgets = {"note": _textarea()}


class VenueForm(VersionedModelForm):
    class Meta:
        model = Venue
        fields = ["name", "kind", "region", "address", "area_m2", "owner", "description"]
        widgets = {"description": _textarea()}


class CommitteeForm(VersionedModelForm):
    class Meta:
        model = YouthCareCommittee
        fields = [
            "name",
            "level",
            "region",
            "parent",
            "branch",
            "host_unit",
            "founded_on",
            "five_good_status",
            "five_good_on",
            "venues",
            "note",
        ]
        widgets = {
            "founded_on": DateInput(),
            "five_good_on": DateInput(),
            "note": _textarea(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        restrict(self.fields["parent"], exclude=self.instance.pk)
        # Committee staff do not read branches, but link their committees to one by name.
        offered = Q(pk__in=access.rows(self.user, Branch, "co_build").values("pk"))
        if self.instance.branch_id:
            offered |= Q(pk=self.instance.branch_id)  # kept as it is, even if now out of reach
        self.fields["branch"].queryset = Branch.all_objects.filter(offered).order_by("pinyin")

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("five_good_on")
            and cleaned.get("five_good_status") != YouthCareCommittee.FiveGoodStatus.ACHIEVED
        ):
            self.add_error("five_good_on", _("只有“已创建”五好基层关工委时才填写达标日期"))
        return cleaned


class WorkCommitteeForm(VersionedModelForm):
    class Meta:
        model = WorkCommittee
        fields = ["name", "region", "required_visits_per_year", "note"]
        widgets = {"note": _textarea()}


class WorkCommitteeMemberForm(VersionedModelForm):
    class Meta:
        model = WorkCommitteeMember
        fields = ["person", "title", "position_note", "start_on", "end_on", "branches", "clusters"]
        widgets = {"start_on": DateInput(), "end_on": DateInput()}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_on"), cleaned.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("离任日期不能早于任职日期"))
        return cleaned


class GuidanceVisitForm(VersionedModelForm):
    class Meta:
        model = GuidanceVisit
        fields = ["member", "branch", "visited_on", "checked", "findings"]
        widgets = {"visited_on": DateInput(), "checked": _textarea(), "findings": _textarea()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["visited_on"].initial = timezone.localdate()


def _single_role_message(role: str) -> str:
    if role == Post.Role.SECRETARY:
        return _("该支部已有一名现任书记，请先办理换届或为原书记办理离任")
    return _("该关工委已有一名现任执行主任，请先办理换届或为原执行主任办理离任")


SINGLE_ROLES = (Post.Role.SECRETARY, Post.Role.EXECUTIVE_DIRECTOR)


class PostForm(VersionedModelForm):
    """A post in the branch or committee set on the instance by the view (it is not a field)."""

    class Meta:
        model = Post
        fields = ["person", "role", "duty", "outside_role", "start_on", "end_on", "monthly_allowance"]
        widgets = {"start_on": DateInput(), "end_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        roles = Post.Role.branch_roles() if self.instance.branch_id else Post.Role.committee_roles()
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        if not self.instance.branch_id:
            del self.fields["duty"]

    def clean_monthly_allowance(self):
        amount = self.cleaned_data.get("monthly_allowance")
        if amount is not None and amount < 0:
            raise ValidationError(_("补贴金额不能为负数"))
        return amount

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_on"), cleaned.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("离任日期不能早于任职日期"))
        role = cleaned.get("role")
        # The database refuses it too (branches_post_one_current_*); this gives the message on the field.
        open_post = role in SINGLE_ROLES and not end and "end_on" not in self.errors
        if open_post and self.other_current_holders(role).exists():
            self.add_error("role", _single_role_message(role))
        return cleaned

    def other_current_holders(self, role: str):
        """Other open posts of this role in the same organisation (what the unique constraint counts)."""
        return Post.objects.filter(
            role=role,
            end_on__isnull=True,
            branch_id=self.instance.branch_id,
            committee_id=self.instance.committee_id,
        ).exclude(pk=self.instance.pk)

    def add_integrity_error(self):
        """The database refused the save (a concurrent second secretary): show it on the role field."""
        role = self.cleaned_data.get("role")
        if role in SINGLE_ROLES:
            self.add_error("role", _single_role_message(role))
        else:
            self.add_error(None, _("保存未成功：与现有记录冲突，请刷新后重试"))


class PostEndForm(forms.Form):
    end_on = forms.DateField(label=_("离任日期"), widget=DateInput())

    def __init__(self, *args, post: Post, **kwargs):
        self.post = post
        super().__init__(*args, **kwargs)
        self.fields["end_on"].initial = timezone.localdate()

    def clean_end_on(self):
        end_on = self.cleaned_data["end_on"]
        if end_on < self.post.start_on:
            raise ValidationError(
                _("离任日期不能早于任职日期（%(start)s）") % {"start": format_cn_date(self.post.start_on)}
            )
        return end_on


class TermChangeForm(forms.Form):
    on = forms.DateField(
        label=_("换届日期"), widget=DateInput(), help_text=_("新一届从这一天起任职，上一届到前一天为止")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class TermPostForm(ScopedFormMixin, forms.Form):
    """One row of the new committee."""

    person = forms.ModelChoiceField(label=_("人员"), queryset=Person.objects.all(), required=False)
    role = forms.ChoiceField(label=_("职务"), required=False)
    duty = forms.ChoiceField(label=_("分工"), choices=[("", "—"), *Post.Duty.choices], required=False)
    outside_role = forms.CharField(label=_("本职或社会职务"), max_length=100, required=False)
    monthly_allowance = forms.DecimalField(
        label=_("每月补贴（元）"), max_digits=12, decimal_places=2, min_value=0, required=False
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("请选择")), *[(r.value, r.label) for r in roles]]

    @staticmethod
    def is_filled(cleaned: dict) -> bool:
        return bool(cleaned.get("person") or cleaned.get("role") or cleaned.get("outside_role"))

    def clean(self):
        cleaned = super().clean()
        if not (self.is_filled(cleaned) or "person" in self.errors) or cleaned.get("DELETE"):
            return cleaned
        if not cleaned.get("person") and "person" not in self.errors:
            self.add_error("person", _("请选择人员"))
        if not cleaned.get("role") and "role" not in self.errors:
            self.add_error("role", _("请选择职务"))
        return cleaned


class BaseTermPostFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = self.rows()
        if not rows:
            raise ValidationError(_("请至少填写一名新任委员"))
        for role in SINGLE_ROLES:
            if sum(1 for row in rows if row.get("role") == role) > 1:
                raise ValidationError(_("新一届只能有一名%(role)s") % {"role": Post.Role(role).label})
        people = [row["person"].pk for row in rows]
        if len(people) != len(set(people)):
            raise ValidationError(_("同一人员在新一届中只能填写一行，兼任请在“分工”中注明"))

    def rows(self) -> list[dict]:
        return [
            f.cleaned_data
            for f in self.forms
            if TermPostForm.is_filled(f.cleaned_data) and not f.cleaned_data.get("DELETE")
        ]


TermPostFormSet = forms.formset_factory(TermPostForm, formset=BaseTermPostFormSet, extra=3, can_delete=True)
