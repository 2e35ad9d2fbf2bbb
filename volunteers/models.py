"""Five-elders volunteers (五老志愿者): registration, teams, studios, service records,
suggestions and the register of service certificates (志愿服务记录证明)."""

import hashlib
import json

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, Post, Retiree, Venue, YouthCareCommittee
from branches.models.people import RetireeSkill
from core import access
from core.models import DomainModel, Person, PinyinNamed, Region, backstop, domain_managers
from core.scoping import Role, ScopedQuerySet

MAX_HOURS_PER_DAY = 24
OFFICES = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF})


def _choices_valid(prefix: str, field: str, choices, blank: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{field}__in": choices.values})
    if blank:
        condition |= Q(**{field: ""})
    return backstop(models.CheckConstraint(condition=condition, name=f"{prefix}_{field}_valid"))


def _end_after_start(prefix: str, start: str, end: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
        name=f"{prefix}_{end}_not_before_{start}",
        violation_error_message=_("结束日期不能早于开始日期"),
    )


def led_committees(user):
    """Subquery of the committees the user's posts lead (directors)."""
    return Post.objects.committee_ids_led_by(user)


def led_teams(user):
    """Subquery of the current teams the user's person leads (a team leader records service for their team)."""
    if not user.person_id:
        return Team.objects.none().values("pk")
    return Team.objects.filter(leader__person_id=user.person_id, disbanded_on__isnull=True).values("pk")


def recording_committees(user):
    """The committees whose service the user may record: those they may change (directors, the
    offices) and those of the teams they lead (a team leader's records wait for confirmation)."""
    if not access.has_permission(user, "volunteers.add_servicerecord"):
        return YouthCareCommittee.objects.none()
    changeable = access.rows(user, YouthCareCommittee, access.CHANGE).values("pk")
    teams = Team.objects.filter(pk__in=led_teams(user), committee__isnull=False).values("committee_id")
    return YouthCareCommittee.objects.filter(Q(pk__in=changeable) | Q(pk__in=teams))


class CommitteeScopedQuerySet(ScopedQuerySet):
    """Rows that belong to a youth-care committee: the offices by region, a director in their committees.

    `committee_path` leads to the committee; `region_path` to the stored region (indexed code).
    """

    region_path = "region"
    region_readers = OFFICES
    region_editors = OFFICES
    committee_path = "committee"

    def _in_led_committees(self, user):
        return self.filter(**{f"{self.committee_path}_id__in": led_committees(user)})

    def visible_to_member(self, user):
        if user.role == Role.COMMITTEE_DIRECTOR:
            return self._in_led_committees(user)
        return self.visible_to_secretary(user)

    def editable_by_member(self, user):
        if user.role == Role.COMMITTEE_DIRECTOR:
            return self._in_led_committees(user)
        return self.none()

    def visible_to_secretary(self, user):
        return self.none()

    def countable_by(self, user):
        """Rows whose numbers (never names) a user may count: leaders too, over their region."""
        if getattr(user, "role", None) == Role.LEADER and user.region_id:
            return self.in_region(user.region)
        return self.visible_to(user)


# --- Volunteers -----------------------------------------------------------------------------


class VolunteerQuerySet(CommitteeScopedQuerySet):
    action_rules = {"statistics": "countable_by"}

    def visible_to_secretary(self, user):
        """A branch secretary sees their branch's retirees' volunteer status, and a team leader their members."""
        branches = Post.objects.branch_ids_held_by(user)
        members = TeamMembership.objects.filter(team_id__in=led_teams(user), left_on__isnull=True).values(
            "volunteer_id"
        )
        return self.filter(
            Q(retiree__branch_id__in=branches) | Q(committee__branch_id__in=branches) | Q(pk__in=members)
        )

    def active(self):
        return self.filter(status=Volunteer.Status.ACTIVE)

    def standing(self, on):
        """Volunteers in the register on `on` (`standing_on`)."""
        return self.filter(standing_on(on))

    def search(self, query: str):
        from core.models import pinyin_name_q

        query = (query or "").strip()
        if not query:
            return self
        return self.filter(pinyin_name_q(query, prefix="person__") | Q(number__icontains=query))


class VolunteerCategory(models.TextChoices):
    CADRE = "cadre", _("老干部")
    VETERAN = "veteran", _("老战士")
    EXPERT = "expert", _("老专家")
    TEACHER = "teacher", _("老教师")
    MODEL = "model", _("老模范")


class VolunteerStatus(models.TextChoices):
    APPLICANT = "applicant", _("申请中")
    ACTIVE = "active", _("在册服务")
    PAUSED = "paused", _("暂停服务")
    LEFT = "left", _("已退出")
    DECEASED = "deceased", _("已故")

    @classmethod
    def ended(cls):
        return [cls.LEFT, cls.DECEASED]


def standing_on(on) -> Q:
    """Volunteers registered by `on` and not gone by then (在册): a later change of status does not
    rewrite the past. The annual report, the dashboard and the volunteer list's `?on=` share it."""
    status = VolunteerStatus
    registered = Q(registered_on__lte=on) & ~Q(status=status.APPLICANT)
    return registered & (Q(status__in=(status.ACTIVE, status.PAUSED)) | Q(status_on__gt=on))


@pghistory.track()
class Volunteer(DomainModel):
    """五老志愿者: one Person registered with one youth-care committee."""

    personal_record = True

    Category = VolunteerCategory
    Status = VolunteerStatus
    Specialty = RetireeSkill

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="volunteers")
    committee = models.ForeignKey(
        YouthCareCommittee, verbose_name=_("登记关工委"), on_delete=models.PROTECT, related_name="volunteers"
    )
    # The committee's region, kept with the row so scoping filters on an indexed code.
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    county_code = models.CharField(_("所在县（区）代码"), max_length=12, editable=False, db_index=True)
    retiree = models.ForeignKey(
        Retiree,
        verbose_name=_("离退休干部档案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteers",
    )
    number = models.CharField(_("志愿者编号"), max_length=32, help_text=_("县（区）内唯一；留空自动编号"))
    category = models.CharField(_("五老类别"), max_length=16, choices=Category.choices)
    former_unit = models.CharField(_("原工作单位"), max_length=100, blank=True)
    profession = models.CharField(_("原职业或职务"), max_length=100, blank=True)
    specialties = ArrayField(
        models.CharField(max_length=32, choices=Specialty.choices),
        verbose_name=_("专长"),
        default=list,
        blank=True,
    )
    specialty_note = models.CharField(_("专长说明"), max_length=200, blank=True)
    fit_for_field_work = models.BooleanField(_("身体可外出服务"), default=True)
    availability = models.CharField(_("可服务时间"), max_length=100, blank=True, help_text=_("如：每周二、四上午"))
    registered_on = models.DateField(_("登记日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    status_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    status_reason = models.CharField(_("变更原因"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)

    objects, all_objects = domain_managers(VolunteerQuerySet)

    class Meta:
        verbose_name = _("五老志愿者")
        verbose_name_plural = _("五老志愿者")
        ordering = ["person__pinyin"]
        base_manager_name = "all_objects"
        permissions = [("statistics_volunteer", _("可查看五老数据库统计"))]
        constraints = [
            _choices_valid("volunteers_volunteer", "category", VolunteerCategory),
            _choices_valid("volunteers_volunteer", "status", VolunteerStatus),
            models.UniqueConstraint(
                fields=["person", "committee"],
                name="volunteers_volunteer_once_per_committee",
                violation_error_message=_("此人已在本关工委登记为五老志愿者"),
            ),
            models.UniqueConstraint(
                fields=["county_code", "number"],
                name="volunteers_volunteer_number_unique_in_county",
                violation_error_message=_("该志愿者编号在本县（区）已被使用"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["left", "deceased"]) | Q(status_on__isnull=False),
                name="volunteers_volunteer_end_has_date",
                violation_error_message=_("退出或已故须填写日期"),
            ),
            models.CheckConstraint(
                condition=Q(status_on__isnull=True) | Q(status_on__gte=F("registered_on")),
                name="volunteers_volunteer_status_after_registration",
                violation_error_message=_("状态变更日期不能早于登记日期"),
            ),
        ]

    def __str__(self):
        return f"{self.person.name}（{self.number}）"

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def fill_derived_fields(self) -> None:
        if self.committee_id and not self.region_id:
            self.region_id = self.committee.region_id
        if self.region_id:
            self.county_code = Region.county_code_of(self.region_id)

    def get_absolute_url(self):
        return reverse("volunteers:volunteer_detail", args=[self.pk])

    def str_without_names(self) -> str:
        return f"{Volunteer._meta.verbose_name}（{self.number}）"

    @property
    def specialty_labels(self) -> str:
        labels = dict(RetireeSkill.choices)
        return "、".join(str(labels.get(s, s)) for s in self.specialties)

    @property
    def has_ended(self) -> bool:
        return self.status in VolunteerStatus.ended()

    def may_serve_on(self, day) -> bool:
        """Not after leaving (or dying), not before registering."""
        if day < self.registered_on:
            return False
        return not (self.has_ended and self.status_on and day > self.status_on)


# --- Teams and studios ----------------------------------------------------------------------


class OrganisationScopedQuerySet(CommitteeScopedQuerySet):
    """Teams belong to a committee or a branch: directors reach their committees', secretaries their branches'."""

    def visible_to_secretary(self, user):
        return self.filter(Q(branch_id__in=Post.objects.branch_ids_held_by(user)) | Q(pk__in=led_teams(user)))


class TeamPurpose(models.TextChoices):
    OUTREACH = "outreach", _("政策宣讲")
    CARE = "care", _("关爱帮扶")
    GOVERNANCE = "governance", _("社区治理")
    PATROL = "patrol", _("护学巡查")
    TUTORING = "tutoring", _("课业辅导")
    SANITATION = "sanitation", _("环境卫生")
    ARTS = "arts", _("文艺宣传")
    ADVISORY = "advisory", _("顾问团")
    OTHER = "other", _("其他")


@pghistory.track()
class Team(PinyinNamed, DomainModel):
    """志愿服务队: a volunteer service team of a committee or a branch."""

    Purpose = TeamPurpose

    name = models.CharField(_("队伍名称"), max_length=100)
    purpose = models.CharField(_("服务方向"), max_length=16, choices=Purpose.choices)
    description = models.TextField(_("服务内容"), blank=True)
    committee = models.ForeignKey(
        YouthCareCommittee,
        verbose_name=_("所属关工委"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
    )
    branch = models.ForeignKey(
        Branch, verbose_name=_("所属支部"), null=True, blank=True, on_delete=models.PROTECT, related_name="teams"
    )
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(
        Volunteer, verbose_name=_("队长"), null=True, blank=True, on_delete=models.PROTECT, related_name="led_teams"
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    disbanded_on = models.DateField(_("撤销日期"), null=True, blank=True)

    objects, all_objects = domain_managers(OrganisationScopedQuerySet)

    class Meta:
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")
        ordering = ["pinyin"]
        base_manager_name = "all_objects"
        constraints = [
            _choices_valid("volunteers_team", "purpose", TeamPurpose),
            models.CheckConstraint(
                condition=Q(committee__isnull=False, branch__isnull=True)
                | Q(committee__isnull=True, branch__isnull=False),
                name="volunteers_team_in_one_organisation",
                violation_error_message=_("服务队须属于一个关工委或一个支部"),
            ),
            _end_after_start("volunteers_team", "founded_on", "disbanded_on"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        organisation = self.committee or self.branch
        if organisation is not None:
            self.region_id = organisation.region_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("volunteers:team_detail", args=[self.pk])

    @property
    def organisation(self):
        return self.committee or self.branch


class TeamMembershipQuerySet(ScopedQuerySet):
    region_path = "team__region"
    region_readers = OFFICES
    region_editors = OFFICES

    def visible_to_member(self, user):
        return self.filter(team__in=Team.objects.visible_to_member(user))

    def editable_by_member(self, user):
        return self.filter(team__in=Team.objects.editable_by_member(user))

    def current(self):
        return self.filter(left_on__isnull=True)


@pghistory.track()
class TeamMembership(DomainModel):
    """A volunteer's time in a team (join and leave dates)."""

    personal_record = True

    team = models.ForeignKey(Team, verbose_name=_("服务队"), on_delete=models.PROTECT, related_name="memberships")
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="team_memberships"
    )
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("离队日期"), null=True, blank=True)

    objects, all_objects = domain_managers(TeamMembershipQuerySet)

    class Meta:
        verbose_name = _("服务队队员")
        verbose_name_plural = _("服务队队员")
        ordering = ["volunteer__person__pinyin"]
        base_manager_name = "all_objects"
        constraints = [
            _end_after_start("volunteers_teammembership", "joined_on", "left_on"),
            models.UniqueConstraint(
                fields=["team", "volunteer"],
                condition=Q(left_on__isnull=True, archived_at__isnull=True),
                name="volunteers_teammembership_once_current",
                violation_error_message=_("该志愿者已是本队队员"),
            ),
        ]

    def __str__(self):
        return f"{self.team} {self.volunteer.person.name}"

    def get_absolute_url(self):
        return self.team.get_absolute_url()


class StudioPlaque(models.TextChoices):
    NONE = "none", _("未挂牌")
    PLANNED = "planned", _("筹建中")
    HUNG = "hung", _("已挂牌")


class StudioQuerySet(CommitteeScopedQuerySet):
    def visible_to_secretary(self, user):
        return self.filter(committee__branch_id__in=Post.objects.branch_ids_held_by(user))


@pghistory.track()
class Studio(PinyinNamed, DomainModel):
    """五老工作室: a named workshop led by five-elders volunteers, in a venue."""

    Plaque = StudioPlaque

    name = models.CharField(_("工作室名称"), max_length=100)
    theme = models.CharField(_("工作主题"), max_length=200)
    committee = models.ForeignKey(
        YouthCareCommittee, verbose_name=_("所属关工委"), on_delete=models.PROTECT, related_name="studios"
    )
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(
        Volunteer,
        verbose_name=_("领办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_studios",
    )
    venue = models.ForeignKey(
        Venue, verbose_name=_("阵地"), null=True, blank=True, on_delete=models.PROTECT, related_name="studios"
    )
    members = models.ManyToManyField(Volunteer, verbose_name=_("成员"), blank=True, related_name="studios")
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    plaque = models.CharField(_("挂牌情况"), max_length=16, choices=Plaque.choices, default=Plaque.NONE)
    plaque_on = models.DateField(_("挂牌日期"), null=True, blank=True)

    objects, all_objects = domain_managers(StudioQuerySet)

    class Meta:
        verbose_name = _("五老工作室")
        verbose_name_plural = _("五老工作室")
        ordering = ["pinyin"]
        base_manager_name = "all_objects"
        constraints = [
            _choices_valid("volunteers_studio", "plaque", StudioPlaque),
            models.CheckConstraint(
                condition=Q(plaque_on__isnull=True) | Q(plaque="hung"),
                name="volunteers_studio_plaque_date_only_when_hung",
                violation_error_message=_("只有已挂牌的工作室填写挂牌日期"),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.committee_id:
            self.region_id = self.committee.region_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("volunteers:studio_detail", args=[self.pk])


# --- Service records ------------------------------------------------------------------------


class ServiceRecordQuerySet(CommitteeScopedQuerySet):
    """Directors and the offices confirm; a team leader reads and corrects what they recorded."""

    action_rules = {"confirm": "confirmable_by", "statistics": "countable_by"}

    def visible_to_secretary(self, user):
        return self.filter(Q(team_id__in=led_teams(user)) | Q(recorded_by=user))

    def editable_by_member(self, user):
        if user.role == Role.COMMITTEE_DIRECTOR:
            return self._in_led_committees(user)
        # A team leader corrects their own record until it is confirmed.
        return self.filter(recorded_by=user).exclude(status=ServiceRecord.Status.CONFIRMED)

    def confirmable_by(self, user):
        """谁记录谁证明: the committee's director and the offices certify service."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role == Role.ADMIN:
            return self
        if user.role in OFFICES and user.region_id:
            return self.in_region(user.region)
        if user.role == Role.COMMITTEE_DIRECTOR:
            return self._in_led_committees(user)
        return self.none()

    def confirmed(self):
        return self.filter(status=ServiceRecord.Status.CONFIRMED)

    def pending(self):
        return self.filter(status=ServiceRecord.Status.PENDING)


class ServiceKind(models.TextChoices):
    SCHOOL_PATROL = "school_patrol", _("护学")
    DROWNING_PATROL = "drowning_patrol", _("防溺水巡查")
    TUTORING = "tutoring", _("课外辅导")
    AFTER_SCHOOL_CARE = "after_school_care", _("托管")
    TALK = "talk", _("宣讲")
    MEDIATION = "mediation", _("矛盾纠纷调解")
    SANITATION = "sanitation", _("环卫")
    EXAM_TRAFFIC = "exam_traffic", _("护考")
    CULTURE = "culture", _("文艺演出")
    VISIT = "visit", _("走访")
    GOVERNANCE = "governance", _("社区治理")
    EPIDEMIC = "epidemic", _("疫情防控")
    OTHER = "other", _("其他")


class ServiceStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    RETURNED = "returned", _("已退回")


class CultureScale(models.TextChoices):
    LARGE = "large", _("大型")
    SMALL = "small", _("小型")


class DisputeKind(models.TextChoices):
    NEIGHBOURS = "neighbours", _("邻里纠纷")
    FAMILY = "family", _("婚姻家庭")
    LAND = "land", _("土地山林")
    PROPERTY = "property", _("财产债务")
    LABOUR = "labour", _("劳务纠纷")
    OTHER = "other", _("其他")


class DisputeOutcome(models.TextChoices):
    RESOLVED = "resolved", _("调解成功")
    REFERRED = "referred", _("移交处理")
    PENDING = "pending", _("调解中")


@pghistory.track()
class ServiceRecord(DomainModel):
    """One piece of volunteer work by one or more volunteers (服务记录); hours per volunteer in ServiceHours."""

    Kind = ServiceKind
    Status = ServiceStatus
    CultureScale = CultureScale
    DisputeKind = DisputeKind
    Outcome = DisputeOutcome

    MAX_PHOTOS = 10

    committee = models.ForeignKey(
        YouthCareCommittee, verbose_name=_("关工委"), on_delete=models.PROTECT, related_name="service_records"
    )
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        Team,
        verbose_name=_("服务队"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_records",
    )
    served_on = models.DateField(_("服务日期"))
    kind = models.CharField(_("服务类型"), max_length=32, choices=Kind.choices)
    culture_scale = models.CharField(_("演出规模"), max_length=8, choices=CultureScale.choices, blank=True)
    place = models.CharField(_("服务地点"), max_length=100, blank=True)
    minors_served = models.PositiveIntegerField(_("服务未成年人（人次）"), default=0)
    adults_served = models.PositiveIntegerField(_("服务成年人（人次）"), default=0)
    description = models.TextField(_("服务内容"), blank=True)
    dispute_kind = models.CharField(_("纠纷类型"), max_length=16, choices=DisputeKind.choices, blank=True)
    outcome = models.CharField(_("调解结果"), max_length=16, choices=Outcome.choices, blank=True)
    status = models.CharField(_("确认状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True, editable=False)
    return_reason = models.CharField(_("退回原因"), max_length=200, blank=True)
    volunteers = models.ManyToManyField(
        Volunteer, verbose_name=_("参与志愿者"), through="ServiceHours", related_name="service_records"
    )

    objects, all_objects = domain_managers(ServiceRecordQuerySet)

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["-served_on", "-pk"]
        base_manager_name = "all_objects"
        permissions = [
            ("confirm_servicerecord", _("可确认服务记录")),
            ("statistics_servicerecord", _("可查看服务统计")),
        ]
        indexes = [models.Index(fields=["committee", "status", "served_on"], name="volunteers_sr_committee_idx")]
        constraints = [
            _choices_valid("volunteers_servicerecord", "kind", ServiceKind),
            _choices_valid("volunteers_servicerecord", "status", ServiceStatus),
            _choices_valid("volunteers_servicerecord", "culture_scale", CultureScale, blank=True),
            _choices_valid("volunteers_servicerecord", "dispute_kind", DisputeKind, blank=True),
            _choices_valid("volunteers_servicerecord", "outcome", DisputeOutcome, blank=True),
            models.CheckConstraint(
                condition=Q(kind="mediation") | Q(dispute_kind="", outcome=""),
                name="volunteers_servicerecord_dispute_only_for_mediation",
            ),
            models.CheckConstraint(
                condition=Q(kind="culture") | Q(culture_scale=""),
                name="volunteers_servicerecord_scale_only_for_culture",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="volunteers_servicerecord_confirmed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.served_on:%Y-%m-%d} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("volunteers:servicerecord_detail", args=[self.pk])

    @property
    def people_served(self) -> int:
        return self.minors_served + self.adults_served


# The total of one volunteer's hours on one day, across records, never passes 24: the
# services check it under a lock, and the database refuses a write that would break it.
HOURS_PER_DAY_TRIGGER = pgtrigger.Trigger(
    name="hours_per_day",
    when=pgtrigger.After,
    operation=pgtrigger.Insert | pgtrigger.Update,
    func="""
        IF (
            SELECT COALESCE(SUM(h.hours), 0)
            FROM volunteers_servicehours h
            JOIN volunteers_servicerecord r ON r.id = h.record_id
            WHERE h.volunteer_id = NEW.volunteer_id
              AND r.archived_at IS NULL
              AND r.status <> 'returned'
              AND r.served_on = (SELECT served_on FROM volunteers_servicerecord WHERE id = NEW.record_id)
        ) > MAX_HOURS THEN
            RAISE EXCEPTION 'volunteer % serves more than MAX_HOURS hours in a day', NEW.volunteer_id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    """.replace("MAX_HOURS", str(MAX_HOURS_PER_DAY)),
)


class ServiceHoursQuerySet(ScopedQuerySet):
    region_path = "record__region"
    region_readers = OFFICES
    region_editors = OFFICES

    def visible_to_member(self, user):
        return self.filter(record__in=ServiceRecord.objects.visible_to_member(user))

    def editable_by_member(self, user):
        return self.filter(record__in=ServiceRecord.objects.editable_by_member(user))

    def confirmed(self):
        return self.filter(record__status=ServiceRecord.Status.CONFIRMED, record__archived_at__isnull=True)


@pghistory.track()
class ServiceHours(models.Model):
    """One volunteer's hours in one service record."""

    record = models.ForeignKey(
        ServiceRecord, verbose_name=_("服务记录"), on_delete=models.CASCADE, related_name="hours"
    )
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="hours")
    hours = models.DecimalField(
        _("服务时长（小时）"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.1), MaxValueValidator(MAX_HOURS_PER_DAY)],
    )

    objects = ServiceHoursQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务时长")
        verbose_name_plural = _("服务时长")
        ordering = ["volunteer__person__pinyin"]
        triggers = [HOURS_PER_DAY_TRIGGER]
        constraints = [
            models.UniqueConstraint(fields=["record", "volunteer"], name="volunteers_servicehours_once_per_record"),
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=MAX_HOURS_PER_DAY),
                name="volunteers_servicehours_hours_in_range",
                violation_error_message=_("服务时长须大于0且不超过24小时"),
            ),
        ]

    def __str__(self):
        return f"{self.volunteer.person.name} {self.hours}"


def service_photo_upload_to(instance, filename):
    return f"service/{instance.record.served_on:%Y/%m}/{filename}"


class ServicePhotoQuerySet(ServiceHoursQuerySet):
    pass


@pghistory.track()
class ServicePhoto(DomainModel):
    """A photo of a service, resized on upload (branches.photos)."""

    record = models.ForeignKey(
        ServiceRecord, verbose_name=_("服务记录"), on_delete=models.PROTECT, related_name="photos"
    )
    image = models.ImageField(_("照片"), upload_to=service_photo_upload_to)

    objects, all_objects = domain_managers(ServicePhotoQuerySet)

    class Meta:
        verbose_name = _("服务照片")
        verbose_name_plural = _("服务照片")
        ordering = ["created_at"]
        base_manager_name = "all_objects"

    def __str__(self):
        return self.image.name

    def get_absolute_url(self):
        return self.record.get_absolute_url()


# --- Suggestions ----------------------------------------------------------------------------


class SuggestionQuerySet(CommitteeScopedQuerySet):
    action_rules = {"statistics": "countable_by"}


@pghistory.track()
class Suggestion(DomainModel):
    """建言献策: a proposal by volunteers or retirees to a Party committee or government; an advisory
    group's part in a decision (顾问团参与决策) is one with its `decision`."""

    committee = models.ForeignKey(
        YouthCareCommittee, verbose_name=_("关工委"), on_delete=models.PROTECT, related_name="suggestions"
    )
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        Team,
        verbose_name=_("顾问团或服务队"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    topic = models.CharField(_("建议事项"), max_length=200)
    content = models.TextField(_("建议内容"), blank=True)
    addressed_to = models.CharField(_("提交对象"), max_length=100, help_text=_("如：镇党委、村两委"))
    proposed_on = models.DateField(_("提出日期"))
    volunteers = models.ManyToManyField(Volunteer, verbose_name=_("提出人（志愿者）"), blank=True, related_name="+")
    retirees = models.ManyToManyField(Retiree, verbose_name=_("提出人（离退休干部）"), blank=True, related_name="+")
    decision = models.CharField(_("参与的决策事项"), max_length=200, blank=True)
    adopted = models.BooleanField(_("已采纳"), default=False)
    adopted_on = models.DateField(_("采纳日期"), null=True, blank=True)

    objects, all_objects = domain_managers(SuggestionQuerySet)

    class Meta:
        verbose_name = _("建言献策")
        verbose_name_plural = _("建言献策")
        ordering = ["-proposed_on", "-pk"]
        base_manager_name = "all_objects"
        permissions = [("statistics_suggestion", _("可查看建言献策统计"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(adopted_on__isnull=True) | Q(adopted=True),
                name="volunteers_suggestion_adopted_date_only_when_adopted",
                violation_error_message=_("只有已采纳的建议填写采纳日期"),
            ),
            models.CheckConstraint(
                condition=Q(adopted_on__isnull=True) | Q(adopted_on__gte=F("proposed_on")),
                name="volunteers_suggestion_adopted_after_proposed",
                violation_error_message=_("采纳日期不能早于提出日期"),
            ),
        ]

    def __str__(self):
        return self.topic

    def save(self, *args, **kwargs):
        if self.committee_id:
            self.region_id = self.committee.region_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("volunteers:suggestion_list") + f"?committee={self.committee_id}"


# --- Service certificates -------------------------------------------------------------------


class CertificateQuerySet(CommitteeScopedQuerySet):
    committee_path = "committee"


def facts_digest(facts: dict) -> str:
    """SHA-256 of the frozen facts in a canonical JSON form: the same facts give the same digest."""
    canonical = json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@pghistory.track()
class ServiceCertificate(DomainModel):
    """志愿服务记录证明: one numbered certificate in the register; its facts are frozen at issue."""

    personal_record = True
    VERIFY_CODE_LENGTH = 12

    number = models.CharField(_("证明编号"), max_length=40, unique=True, editable=False)
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="certificates"
    )
    committee = models.ForeignKey(
        YouthCareCommittee, verbose_name=_("出具单位"), on_delete=models.PROTECT, related_name="certificates"
    )
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("服务起始日期"))
    period_end = models.DateField(_("服务截止日期"))
    total_hours = models.DecimalField(_("确认服务时长（小时）"), max_digits=8, decimal_places=1, editable=False)
    person_in_charge = models.CharField(_("单位负责人"), max_length=50)
    handler = models.CharField(_("经办人"), max_length=50)
    contact = models.CharField(_("联系电话"), max_length=50)
    issued_on = models.DateField(_("出具日期"), editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("出具人"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    facts = models.JSONField(_("证明内容"), editable=False)
    facts_hash = models.CharField(_("内容摘要"), max_length=64, editable=False)
    reissue_count = models.PositiveIntegerField(_("补发次数"), default=0, editable=False)
    reissued_on = models.DateField(_("最近补发日期"), null=True, blank=True, editable=False)

    objects, all_objects = domain_managers(CertificateQuerySet)

    class Meta:
        verbose_name = _("志愿服务记录证明")
        verbose_name_plural = _("志愿服务记录证明")
        ordering = ["-issued_on", "-pk"]
        base_manager_name = "all_objects"
        permissions = [("reissue_servicecertificate", _("可补发志愿服务记录证明"))]
        constraints = [
            _end_after_start("volunteers_certificate", "period_start", "period_end"),
            models.CheckConstraint(condition=Q(total_hours__gte=0), name="volunteers_certificate_hours_not_negative"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("volunteers:certificate_detail", args=[self.pk])

    def str_without_names(self) -> str:
        return f"{ServiceCertificate._meta.verbose_name} {self.number}"

    @property
    def verify_code(self) -> str:
        return self.facts_hash[: self.VERIFY_CODE_LENGTH]

    def verification_path(self) -> str:
        return reverse("volunteers:certificate_verify", args=[self.number]) + f"?c={self.verify_code}"

    def is_unchanged(self) -> bool:
        """The stored facts still give the digest taken at issue."""
        return facts_digest(self.facts) == self.facts_hash
