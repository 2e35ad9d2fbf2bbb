"""The activity log a branch secretary keeps, and the rules it is checked against."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from branches.models.organisation import Branch, _choices_valid
from branches.models.people import BranchMemberQuerySet, Retiree
from core.models import DomainModel, Region, domain_managers
from core.scoping import ScopedQuerySet

LATE_ENTRY_DAYS = 30  # audit offices ask for entries made over 30 days late to be marked


class ActivityKind(models.TextChoices):
    GENERAL_MEETING = "general_meeting", _("支部党员大会")
    COMMITTEE_MEETING = "committee_meeting", _("支部委员会")
    GROUP_MEETING = "group_meeting", _("党小组会")
    PARTY_LESSON = "party_lesson", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    ORG_LIFE_MEETING = "org_life_meeting", _("组织生活会")
    MEMBER_APPRAISAL = "member_appraisal", _("民主评议党员")
    STUDY = "study", _("集中学习")
    HOME_STUDY = "home_study", _("送学上门")
    FIELD_TEACHING = "field_teaching", _("现场教学")
    LECTURE = "lecture", _("报告会、讲座")
    VISIT = "visit", _("走访慰问")
    CULTURE = "culture", _("文体活动")
    OTHER = "other", _("其他")


@pghistory.track()
class Activity(DomainModel):
    """One entry in a branch's ledger (台账): a meeting, lesson, study session or visit."""

    Kind = ActivityKind

    branch = models.ForeignKey(
        Branch,
        verbose_name=_("支部"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = models.CharField(_("活动类型"), max_length=32, choices=Kind.choices)
    held_on = models.DateField(_("活动日期"))
    start_time = models.TimeField(_("开始时间"), null=True, blank=True)
    end_time = models.TimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    is_online = models.BooleanField(_("线上会议"), default=False)
    topic = models.CharField(_("主题"), max_length=200)
    content = models.TextField(_("内容纪要"), blank=True)
    speaker = models.CharField(_("主讲人或主持人"), max_length=50, blank=True)
    people_reached = models.PositiveIntegerField(
        _("支部以外参与人数"), default=0, help_text=_("如群众、青少年等非本支部人员")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects, all_objects = domain_managers(BranchMemberQuerySet)

    class Meta:
        verbose_name = _("支部活动")
        verbose_name_plural = _("支部活动")
        ordering = ["-held_on", "-start_time"]
        base_manager_name = "all_objects"
        indexes = [
            models.Index(fields=["branch", "held_on"], name="branches_activity_branch_day"),
            # The activity list of a province (275,000 rows) walks this in page order
            # instead of sorting every row of the scope for the first 25.
            models.Index(
                F("held_on").desc(),
                F("start_time").desc(),
                F("id").desc(),
                name="branches_activity_newest",
                condition=Q(archived_at__isnull=True),
            ),
        ]
        constraints = [
            _choices_valid("branches_activity", "kind", ActivityKind),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=True) | Q(end_time__gte=F("start_time")),
                name="branches_activity_ends_after_start",
                violation_error_message=_("结束时间不能早于开始时间"),
            ),
        ]

    def __str__(self):
        return gettext("%(date)s %(kind)s：%(topic)s") % {
            "date": f"{self.held_on:%Y-%m-%d}",
            "kind": self.get_kind_display(),
            "topic": self.topic,
        }

    def get_absolute_url(self):
        return reverse("branches:activity_detail", args=[self.pk])

    @property
    def is_late_entry(self) -> bool:
        """Entered more than LATE_ENTRY_DAYS after the day it was held."""
        entered = timezone.localdate(self.created_at) if self.created_at else timezone.localdate()
        return (entered - self.held_on).days > LATE_ENTRY_DAYS


class ActivityChildQuerySet(BranchMemberQuerySet):
    region_path = "activity__branch__region"
    branch_path = "activity__branch"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("出席")
    ABSENT = "absent", _("缺席")
    CAUGHT_UP = "caught_up", _("已送学补学")


@pghistory.track()
class Attendance(DomainModel):
    """A branch member's attendance at an activity; absentees are caught up by 送学上门."""

    personal_record = True

    Status = AttendanceStatus

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("活动"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    retiree = models.ForeignKey(
        Retiree,
        verbose_name=_("党员"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    status = models.CharField(_("出席情况"), max_length=16, choices=Status.choices, default=Status.PRESENT)
    absence_reason = models.CharField(_("缺席原因"), max_length=100, blank=True)
    caught_up_on = models.DateField(_("补学日期"), null=True, blank=True)

    objects, all_objects = domain_managers(ActivityChildQuerySet)

    class Meta:
        verbose_name = _("出席记录")
        verbose_name_plural = _("出席记录")
        ordering = ["retiree__person__pinyin"]
        base_manager_name = "all_objects"
        constraints = [
            _choices_valid("branches_attendance", "status", AttendanceStatus),
            models.UniqueConstraint(
                fields=["activity", "retiree"],
                name="branches_attendance_once_per_activity",
            ),
            models.CheckConstraint(
                condition=Q(caught_up_on__isnull=True) | Q(status="caught_up"),
                name="branches_attendance_catch_up_date_only_when_caught_up",
            ),
        ]

    def __str__(self):
        return f"{self.retiree} {self.get_status_display()}"


def activity_upload_to(instance, filename):
    return f"activities/{timezone.localdate():%Y/%m}/{filename}"


@pghistory.track()
class ActivityPhoto(DomainModel):
    """A photo of an activity, resized on upload (see branches.photos)."""

    MAX_PER_ACTIVITY = 10

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("活动"),
        on_delete=models.PROTECT,
        related_name="photos",
    )
    image = models.ImageField(
        _("照片"),
        upload_to=activity_upload_to,
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    caption = models.CharField(_("说明"), max_length=100, blank=True)

    objects, all_objects = domain_managers(ActivityChildQuerySet)

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["created_at"]
        base_manager_name = "all_objects"

    def __str__(self):
        return self.caption or self.image.name

    def get_absolute_url(self):
        return reverse("branches:activity_detail", args=[self.activity_id])


@pghistory.track()
class ActivityAttachment(DomainModel):
    """A document attached to an activity (PDF or Word: minutes, slides, sign-in sheets)."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("活动"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(_("附件"), upload_to=activity_upload_to)
    name = models.CharField(_("文件名"), max_length=200)

    objects, all_objects = domain_managers(ActivityChildQuerySet)

    class Meta:
        verbose_name = _("活动附件")
        verbose_name_plural = _("活动附件")
        ordering = ["created_at"]
        base_manager_name = "all_objects"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("branches:activity_detail", args=[self.activity_id])


class ComplianceRuleQuerySet(ScopedQuerySet):
    pass


class ComplianceRulePeriod(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


def frequency_label(period: str, times: int) -> str:
    """How often, as one phrase per period ("每季度1次" / "1 per quarter"), so each language words it whole."""
    values = {"count": times}
    if period == ComplianceRulePeriod.MONTH:
        return ngettext("每月%(count)s次", "每月%(count)s次", times) % values
    if period == ComplianceRulePeriod.QUARTER:
        return ngettext("每季度%(count)s次", "每季度%(count)s次", times) % values
    return ngettext("每年%(count)s次", "每年%(count)s次", times) % values


@pghistory.track()
class ComplianceRule(DomainModel):
    """A county's own required frequency for one kind of activity (overrides the defaults
    in branches.compliance, which follow the Party branch work regulations)."""

    Period = ComplianceRulePeriod

    region = models.ForeignKey(Region, verbose_name=_("县（区）"), on_delete=models.PROTECT, related_name="+")
    branch_kind = models.CharField(_("支部类型"), max_length=32, choices=Branch.Kind.choices)
    activity_kind = models.CharField(_("活动类型"), max_length=32, choices=Activity.Kind.choices)
    period = models.CharField(_("周期"), max_length=16, choices=Period.choices)
    times = models.PositiveSmallIntegerField(_("每周期至少次数"), default=1, help_text=_("填0表示不作要求"))

    objects, all_objects = domain_managers(ComplianceRuleQuerySet)

    class Meta:
        verbose_name = _("活动频次要求")
        verbose_name_plural = _("活动频次要求")
        ordering = ["region", "branch_kind", "activity_kind"]
        base_manager_name = "all_objects"
        constraints = [
            _choices_valid("branches_compliancerule", "period", ComplianceRulePeriod),
            models.UniqueConstraint(
                fields=["region", "branch_kind", "activity_kind"],
                condition=Q(archived_at__isnull=True),
                name="branches_compliancerule_one_per_kind",
            ),
        ]

    def __str__(self):
        return gettext("%(branch_kind)s %(activity_kind)s %(frequency)s") % {
            "branch_kind": self.get_branch_kind_display(),
            "activity_kind": self.get_activity_kind_display(),
            "frequency": self.frequency,
        }

    @property
    def frequency(self) -> str:
        return frequency_label(self.period, self.times) if self.times else gettext("不作要求")
