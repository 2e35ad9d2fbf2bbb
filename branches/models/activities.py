"""The activity log of every organiser (a branch, a cluster, the work committee, a
youth-care committee), its roll of Persons, and the rules a branch's log is checked against."""

import pghistory
import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from branches.models.organisation import (
    Branch,
    Cluster,
    Post,
    WorkCommittee,
    YouthCareCommittee,
    _choices_valid,
)
from core.models import DomainModel, Person, Region, domain_managers
from core.scoping import Role, ScopedQuerySet

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
    TALK = "talk", _("宣讲")
    CLUSTER_MEETING = "cluster_meeting", _("片组会议")
    TRAINING = "training", _("培训班")
    READING_CLUB = "reading_club", _("读书会")
    SPECIAL_LESSON = "special_lesson", _("专题党课")
    PROMOTION_MEETING = "promotion_meeting", _("工作推进会")
    COMMENDATION_MEETING = "commendation_meeting", _("总结表彰会")
    PERFORMANCE = "performance", _("文艺汇演")
    AID_COMMENDATION = "aid_commendation", _("助学表彰")
    OTHER = "other", _("其他")


class OrganiserType(models.TextChoices):
    BRANCH = "branch", _("党支部")
    CLUSTER = "cluster", _("片组")
    WORK_COMMITTEE = "work_committee", _("党工委")
    COMMITTEE = "committee", _("关工委")


_K = ActivityKind
# The kinds each organiser holds: the form offers these and the database refuses the rest.
# A branch's regular meetings (三会一课, 主题党日 …) and 送学上门 are a branch's alone: a
# work-committee lesson is a 专题党课, never a branch's 党课 in its compliance calendar.
KINDS_BY_ORGANISER: dict[str, tuple[str, ...]] = {
    OrganiserType.BRANCH: (
        _K.GENERAL_MEETING, _K.COMMITTEE_MEETING, _K.GROUP_MEETING, _K.PARTY_LESSON, _K.THEME_DAY,
        _K.ORG_LIFE_MEETING, _K.MEMBER_APPRAISAL, _K.STUDY, _K.HOME_STUDY, _K.FIELD_TEACHING,
        _K.LECTURE, _K.VISIT, _K.CULTURE, _K.TALK, _K.OTHER,
    ),
    OrganiserType.CLUSTER: (
        _K.CLUSTER_MEETING, _K.STUDY, _K.LECTURE, _K.FIELD_TEACHING, _K.TRAINING, _K.VISIT, _K.CULTURE,
        _K.OTHER,
    ),
    OrganiserType.WORK_COMMITTEE: (
        _K.TRAINING, _K.LECTURE, _K.READING_CLUB, _K.SPECIAL_LESSON, _K.STUDY, _K.FIELD_TEACHING,
        _K.PROMOTION_MEETING, _K.COMMENDATION_MEETING, _K.CULTURE, _K.OTHER,
    ),
    OrganiserType.COMMITTEE: (
        _K.PROMOTION_MEETING, _K.COMMENDATION_MEETING, _K.TALK, _K.PERFORMANCE, _K.AID_COMMENDATION,
        _K.STUDY, _K.LECTURE, _K.VISIT, _K.CULTURE, _K.OTHER,
    ),
}  # fmt: skip

# The organiser type -> its foreign key on Activity.
ORGANISER_FIELDS: dict[str, str] = {
    OrganiserType.BRANCH: "branch",
    OrganiserType.CLUSTER: "cluster",
    OrganiserType.WORK_COMMITTEE: "work_committee",
    OrganiserType.COMMITTEE: "committee",
}


def organiser_type_of(organiser) -> str:
    """The OrganiserType of a Branch, Cluster, WorkCommittee or YouthCareCommittee."""
    for kind, model in (
        (OrganiserType.BRANCH, Branch),
        (OrganiserType.CLUSTER, Cluster),
        (OrganiserType.WORK_COMMITTEE, WorkCommittee),
        (OrganiserType.COMMITTEE, YouthCareCommittee),
    ):
        if isinstance(organiser, model):
            return kind
    raise TypeError(f"not an organiser: {organiser!r}")


def _one_organiser() -> Q:
    """Exactly one organiser key is set, and the organiser type names it."""
    condition = Q()
    for kind, field in ORGANISER_FIELDS.items():
        others = {f"{other}__isnull": True for other in ORGANISER_FIELDS.values() if other != field}
        condition |= Q(organiser_type=kind, **{f"{field}__isnull": False}, **others)
    return condition


def _kind_fits_organiser() -> Q:
    condition = Q()
    for organiser, kinds in KINDS_BY_ORGANISER.items():
        condition |= Q(organiser_type=organiser, kind__in=[str(k) for k in kinds])
    return condition


def _organised_by_member(user, prefix: str = "") -> Q:
    """What a secretary or director records: their branches' or their committees' activities."""
    if user.role == Role.BRANCH_SECRETARY:
        return Q(**{f"{prefix}branch_id__in": Post.objects.branch_ids_held_by(user)})
    if user.role == Role.COMMITTEE_DIRECTOR:
        return Q(**{f"{prefix}committee_id__in": Post.objects.committee_ids_led_by(user)})
    return Q(pk__in=[])


def _members_of_secretary(user):
    """Subquery of the people in the secretary's branches now."""
    return Person.objects.filter(retiree__branch_id__in=Post.objects.branch_ids_held_by(user)).values("pk")


class ActivityQuerySet(ScopedQuerySet):
    """Scoped by the organiser's region, copied onto the row (`region`, indexed with the date).

    County staff read and record every organiser's activities in their region,
    committee staff their committees'. A secretary records their branches' and
    reads those too and the ones their members attended (a county training); a
    committee director reads and records their committee's.
    """

    region_readers = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF})
    region_editors = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF})
    prefix = ""  # the lookup from the queryset's model to the activity ("activity__" for its rows)

    def _committee_staff_only(self, queryset, user):
        if getattr(user, "role", None) == Role.COMMITTEE_STAFF:
            return queryset.filter(**{f"{self.prefix}organiser_type": OrganiserType.COMMITTEE})
        return queryset

    def visible_to(self, user):
        return self._committee_staff_only(super().visible_to(user), user)

    def editable_by(self, user):
        return self._committee_staff_only(super().editable_by(user), user)

    def visible_to_member(self, user):
        condition = _organised_by_member(user)
        if user.role == Role.BRANCH_SECRETARY:
            attended = Attendance.objects.filter(person__in=_members_of_secretary(user)).values("activity_id")
            condition |= Q(pk__in=attended)
        return self.filter(condition)

    def editable_by_member(self, user):
        return self.filter(_organised_by_member(user))

    def organised_by(self, organiser):
        """The activities of one organiser (a Branch, Cluster, WorkCommittee or YouthCareCommittee)."""
        return self.filter(**{ORGANISER_FIELDS[organiser_type_of(organiser)]: organiser})


@pghistory.track()
class Activity(DomainModel):
    """One entry in an organiser's ledger (台账): a meeting, lesson, training, study session or visit.

    The organiser is one of a branch, a cluster, the work committee (the county's
    老干部党校 trains through it) or a youth-care committee; `organiser_type` names
    which, and the database holds that exactly one is set. `region` is the
    organiser's, copied here so that scoping is one indexed prefix match.
    """

    Kind = ActivityKind

    OrganiserType = OrganiserType

    organiser_type = models.CharField(
        _("主办方类型"), max_length=16, choices=OrganiserType.choices, default=OrganiserType.BRANCH, editable=False
    )
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("支部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("片组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    work_committee = models.ForeignKey(
        WorkCommittee,
        verbose_name=_("党工委"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    committee = models.ForeignKey(
        YouthCareCommittee,
        verbose_name=_("关工委"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+", editable=False
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
        _("名单以外参与人数"), default=0, help_text=_("未列入出席名单的参与人数，如群众、青少年")
    )
    is_large = models.BooleanField(
        _("大型活动"), default=False, help_text=_("数百人参加、不逐一登记姓名的会议或活动，填写参加人数")
    )
    headcount = models.PositiveIntegerField(
        _("参加人数"), null=True, blank=True, help_text=_("大型活动的总人数（含出席名单中的人员）")
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

    objects, all_objects = domain_managers(ActivityQuerySet)

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-held_on", "-start_time"]
        base_manager_name = "all_objects"
        indexes = [
            models.Index(fields=["branch", "held_on"], name="branches_activity_branch_day"),
            models.Index(fields=["region", "held_on"], name="branches_activity_region_day"),
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
            _choices_valid("branches_activity", "organiser_type", OrganiserType),
            models.CheckConstraint(
                condition=_one_organiser(),
                name="branches_activity_one_organiser",
                violation_error_message=_("活动必须有且只有一个主办方：支部、片组、党工委或关工委"),
            ),
            models.CheckConstraint(
                condition=_kind_fits_organiser(),
                name="branches_activity_kind_fits_organiser",
                violation_error_message=_("这类主办方不举办这种活动"),
            ),
            models.CheckConstraint(
                condition=Q(is_large=False, headcount__isnull=True) | Q(is_large=True, headcount__isnull=False),
                name="branches_activity_headcount_when_large",
                violation_error_message=_("大型活动请填写参加人数；不是大型活动则不填"),
            ),
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

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "organiser_type", "region"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("branches:activity_detail", args=[self.pk])

    def fill_derived_fields(self) -> None:
        """The organiser type and region follow the organiser (bulk_create calls this too)."""
        for kind, field in ORGANISER_FIELDS.items():
            if getattr(self, f"{field}_id") is not None:
                self.organiser_type = kind
                self.region_id = getattr(self, field).region_id
                return

    @property
    def organiser(self):
        """The Branch, Cluster, WorkCommittee or YouthCareCommittee that held the activity."""
        return getattr(self, ORGANISER_FIELDS[self.organiser_type])

    def set_organiser(self, organiser) -> None:
        for field in ORGANISER_FIELDS.values():
            setattr(self, field, None)
        setattr(self, ORGANISER_FIELDS[organiser_type_of(organiser)], organiser)
        self.fill_derived_fields()

    @property
    def is_home_study(self) -> bool:
        return self.kind == ActivityKind.HOME_STUDY

    def clean(self):
        organiser_type = next(
            (kind for kind, field in ORGANISER_FIELDS.items() if getattr(self, f"{field}_id") is not None), None
        )
        if organiser_type and self.kind and self.kind not in KINDS_BY_ORGANISER[organiser_type]:
            raise ValidationError(
                {
                    "kind": _("%(organiser)s不举办“%(kind)s”，请选择其他活动类型")
                    % {"organiser": OrganiserType(organiser_type).label, "kind": self.get_kind_display()}
                }
            )
        if self.is_large and self.headcount is None:
            raise ValidationError({"headcount": _("大型活动请填写参加人数")})
        if not self.is_large:
            self.headcount = None

    @property
    def is_late_entry(self) -> bool:
        """Entered more than LATE_ENTRY_DAYS after the day it was held."""
        entered = timezone.localdate(self.created_at) if self.created_at else timezone.localdate()
        return (entered - self.held_on).days > LATE_ENTRY_DAYS


class ActivityChildQuerySet(ActivityQuerySet):
    """Rows of an activity (its photos, attachments, roll) are scoped as the activity is."""

    region_path = "activity__region"
    prefix = "activity__"

    def visible_to_member(self, user):
        condition = _organised_by_member(user, self.prefix)
        if user.role == Role.BRANCH_SECRETARY:
            attended = Attendance.objects.filter(person__in=_members_of_secretary(user)).values("activity_id")
            condition |= Q(activity_id__in=attended)
        return self.filter(condition)

    def editable_by_member(self, user):
        return self.filter(_organised_by_member(user, self.prefix))


class AttendanceQuerySet(ActivityChildQuerySet):
    def visible_to_member(self, user):
        """A secretary sees the rolls of their branches' activities, and only their own members'
        rows on other organisers' rolls (not the names of a county training's other attendees)."""
        condition = _organised_by_member(user, self.prefix)
        if user.role == Role.BRANCH_SECRETARY:
            condition |= Q(person__in=_members_of_secretary(user))
        return self.filter(condition)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("出席")
    ABSENT = "absent", _("缺席")
    CAUGHT_UP = "caught_up", _("已送学补学")


# Attendance keeps ActivityPresence by increments, row by row, in the writing transaction: two
# secretaries ticking the same roll at once both count (a recount could read a stale roll).
# A row counts while it is not archived: as present, or as caught up (补学) afterwards.
_PRESENCE_DELTA = (
    "IF {row}.archived_at IS NULL AND {row}.status IN ('present', 'caught_up') THEN "
    "INSERT INTO branches_activitypresence (activity_id, present, caught_up) VALUES ({row}.activity_id, "
    "{sign}({row}.status = 'present')::int, {sign}({row}.status = 'caught_up')::int) "
    "ON CONFLICT (activity_id) DO UPDATE SET present = branches_activitypresence.present + EXCLUDED.present, "
    "caught_up = branches_activitypresence.caught_up + EXCLUDED.caught_up; END IF;"
)
KEEP_PRESENCE = pgtrigger.Trigger(
    name="keep_presence",
    when=pgtrigger.After,
    operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
    func=(
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {_PRESENCE_DELTA.format(row='OLD', sign='-')} END IF; "
        f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {_PRESENCE_DELTA.format(row='NEW', sign='')} END IF; "
        "RETURN NULL;"
    ),
)


@pghistory.track()
class Attendance(DomainModel):
    """A Person on an activity's roll: present, or absent (with a reason) and later caught up by 送学上门.

    The roll starts as the organiser's members on the day; anyone else in the
    organiser's scope may be added (a secretary of another branch at a county
    training, a volunteer, a resident)."""

    personal_record = True

    Status = AttendanceStatus

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("活动"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    status = models.CharField(_("出席情况"), max_length=16, choices=Status.choices, default=Status.PRESENT)
    absence_reason = models.CharField(_("缺席原因"), max_length=100, blank=True)
    caught_up_on = models.DateField(_("补学日期"), null=True, blank=True)

    objects, all_objects = domain_managers(AttendanceQuerySet)

    class Meta:
        verbose_name = _("出席记录")
        verbose_name_plural = _("出席记录")
        ordering = ["person__pinyin"]
        base_manager_name = "all_objects"
        triggers = [KEEP_PRESENCE]
        # The annual report's 补学 count: a few rows in a hundred, found by activity without
        # reading the whole province's roll (a sequential scan grew with the province).
        indexes = [
            models.Index(fields=["activity"], condition=Q(status="caught_up"), name="branches_attendance_caught_up"),
        ]
        constraints = [
            _choices_valid("branches_attendance", "status", AttendanceStatus),
            models.UniqueConstraint(
                fields=["activity", "person"],
                name="branches_attendance_once_per_activity",
            ),
            models.CheckConstraint(
                condition=Q(caught_up_on__isnull=True) | Q(status="caught_up"),
                name="branches_attendance_catch_up_date_only_when_caught_up",
            ),
        ]

    def __str__(self):
        return f"{self.person} {self.get_status_display()}"


class ActivityPresence(models.Model):
    """How many were present at an activity, and how many absent caught up since (补学): a summary
    row kept by a trigger on Attendance (`KEEP_PRESENCE`), so that a province's person-times are a
    join, not a count over millions of attendance rows. No row means nobody present or caught up.
    Never written by the application."""

    activity = models.OneToOneField(
        Activity, verbose_name=_("活动"), primary_key=True, on_delete=models.CASCADE, related_name="presence"
    )
    present = models.IntegerField(_("出席人数"), default=0)
    caught_up = models.IntegerField(_("补学人数"), default=0)

    class Meta:
        verbose_name = _("出席人数汇总")
        verbose_name_plural = _("出席人数汇总")

    def __str__(self):
        return f"{self.activity_id}: {self.present}"


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
