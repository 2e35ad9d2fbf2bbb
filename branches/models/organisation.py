"""The organisation: work committee, clusters, branches, venues, youth-care committees, posts."""

import pghistory
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.formatting import with_note
from core.models import DomainModel, Person, PinyinNamed, Region, backstop, domain_managers
from core.scoping import Role, ScopedQuerySet

ORGANISATION_READERS = frozenset({Role.COUNTY_STAFF, Role.LEADER})


def _end_after_start(prefix: str, start: str, end: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
        name=f"{prefix}_{end}_not_before_{start}",
        violation_error_message=_("结束日期不能早于开始日期"),
    )


def _choices_valid(prefix: str, field: str, choices) -> models.CheckConstraint:
    return backstop(
        models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=f"{prefix}_{field}_valid")
    )


def post_role_order() -> models.Case:
    """Sort key for posts: secretary, deputy, member (the choices' order), not the codes' alphabetical order."""
    return models.Case(
        *[models.When(role=role, then=models.Value(i)) for i, role in enumerate(PostRole.values)],
        default=models.Value(99),
    )


# --- Work committee -------------------------------------------------------------------------


class WorkCommitteeQuerySet(ScopedQuerySet):
    region_readers = ORGANISATION_READERS


@pghistory.track()
class WorkCommittee(DomainModel):
    """离退休干部党工委: the county's working committee that guides the branches."""

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        Region,
        verbose_name=_("所属县（区）"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    required_visits_per_year = models.PositiveSmallIntegerField(
        _("每名委员每年到点指导次数"),
        default=4,
        help_text=_("每名工委委员每年到联系支部指导的最少次数"),
    )
    note = models.TextField(_("备注"), blank=True)

    objects, all_objects = domain_managers(WorkCommitteeQuerySet)

    class Meta:
        verbose_name = _("离退休干部党工委")
        verbose_name_plural = _("离退休干部党工委")
        ordering = ["region", "name"]
        base_manager_name = "all_objects"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("branches:workcommittee_detail", args=[self.pk])


class WorkCommitteeMemberQuerySet(ScopedQuerySet):
    region_path = "work_committee__region"
    region_readers = ORGANISATION_READERS

    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(end_on__isnull=True) | Q(end_on__gte=on), start_on__lte=on)


class WorkCommitteeMemberTitle(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    MEMBER = "member", _("委员")


@pghistory.track()
class WorkCommitteeMember(DomainModel):
    """A member of the work committee, linked to the branches and clusters they guide (到点指导)."""

    personal_record = True

    Title = WorkCommitteeMemberTitle

    work_committee = models.ForeignKey(
        WorkCommittee,
        verbose_name=_("党工委"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("职务"), max_length=32, choices=Title.choices, default=Title.MEMBER)
    position_note = models.CharField(
        _("兼任职务"),
        max_length=100,
        blank=True,
        help_text=_("如：县委组织部副部长、老干部局局长"),
    )
    start_on = models.DateField(_("任职日期"))
    end_on = models.DateField(_("离任日期"), null=True, blank=True)
    branches = models.ManyToManyField("Branch", verbose_name=_("联系支部"), blank=True, related_name="guides")
    # 联系片组: a member may look after a whole cluster as well as single branches.
    clusters = models.ManyToManyField("Cluster", verbose_name=_("联系片组"), blank=True, related_name="guides")

    objects, all_objects = domain_managers(WorkCommitteeMemberQuerySet)

    class Meta:
        verbose_name = _("党工委委员")
        verbose_name_plural = _("党工委委员")
        ordering = ["work_committee", "title", "person__pinyin"]
        base_manager_name = "all_objects"
        constraints = [
            _choices_valid("branches_wcmember", "title", WorkCommitteeMemberTitle),
            _end_after_start("branches_wcmember", "start_on", "end_on"),
        ]

    def __str__(self):
        return with_note(self.person.name, self.get_title_display())

    def get_absolute_url(self):
        return self.work_committee.get_absolute_url()


class GuidanceVisitQuerySet(ScopedQuerySet):
    region_path = "branch__region"
    region_readers = ORGANISATION_READERS

    def visible_to_member(self, user):
        return (
            self.filter(branch_id__in=Post.objects.branch_ids_held_by(user))
            if user.role == Role.BRANCH_SECRETARY
            else self.none()
        )


@pghistory.track()
class GuidanceVisit(DomainModel):
    """到点指导: a work-committee member's visit to a branch."""

    member = models.ForeignKey(
        WorkCommitteeMember,
        verbose_name=_("党工委委员"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    branch = models.ForeignKey(
        "Branch",
        verbose_name=_("支部"),
        on_delete=models.PROTECT,
        related_name="guidance_visits",
    )
    visited_on = models.DateField(_("指导日期"))
    checked = models.TextField(_("检查内容"), help_text=_("如：三会一课记录、党费收缴、学习笔记"))
    findings = models.TextField(_("发现问题与指导意见"), blank=True)

    objects, all_objects = domain_managers(GuidanceVisitQuerySet)

    class Meta:
        verbose_name = _("到点指导")
        verbose_name_plural = _("到点指导")
        ordering = ["-visited_on"]
        base_manager_name = "all_objects"

    def __str__(self):
        return with_note(f"{self.member.person.name} → {self.branch.name}", f"{self.visited_on:%Y-%m-%d}")


# --- Clusters, venues and branches ----------------------------------------------------------


class ClusterQuerySet(ScopedQuerySet):
    region_readers = ORGANISATION_READERS


@pghistory.track()
class Cluster(PinyinNamed, DomainModel):
    """片组: branches grouped under a leading unit and a deputy leading unit."""

    name = models.CharField(_("片组名称"), max_length=100)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    leading_unit = models.CharField(_("片组长单位"), max_length=100)
    deputy_unit = models.CharField(_("副片组长单位"), max_length=100, blank=True)
    note = models.TextField(_("备注"), blank=True)

    objects, all_objects = domain_managers(ClusterQuerySet)

    class Meta:
        verbose_name = _("片组")
        verbose_name_plural = _("片组")
        ordering = ["pinyin"]
        base_manager_name = "all_objects"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("branches:cluster_detail", args=[self.pk])


class VenueQuerySet(ScopedQuerySet):
    # Committee staff hold `view_venue`: committees use venues too (金秋讲堂, 活动室).
    region_readers = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF, Role.LEADER})

    def visible_to_member(self, user):
        if user.role == Role.BRANCH_SECRETARY:
            return self.filter(branches__in=Post.objects.branch_ids_held_by(user)).distinct()
        return self.filter(committees__in=Post.objects.committee_ids_led_by(user)).distinct()


class VenueKind(models.TextChoices):
    ACTIVITY_ROOM = "activity_room", _("党员活动室")
    LECTURE_HALL = "lecture_hall", _("金秋讲堂")
    OFFICE = "office", _("办公用房")
    CLASSROOM = "classroom", _("老年大学教学点")
    STATION = "station", _("党员驿站")
    EDUCATION_BASE = "education_base", _("教育基地")
    OTHER = "other", _("其他")


@pghistory.track()
class Venue(PinyinNamed, DomainModel):
    """阵地: an activity room, lecture hall (金秋讲堂) or office space."""

    Kind = VenueKind

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    area_m2 = models.DecimalField(_("面积（平方米）"), max_digits=8, decimal_places=1, null=True, blank=True)
    owner = models.CharField(_("产权或提供单位"), max_length=100, blank=True)
    description = models.TextField(_("说明"), blank=True, help_text=_("如：办公室6间、会议室1间、仓库2间"))

    objects, all_objects = domain_managers(VenueQuerySet)

    class Meta:
        verbose_name = _("阵地")
        verbose_name_plural = _("阵地")
        ordering = ["pinyin"]
        base_manager_name = "all_objects"
        constraints = [
            _choices_valid("branches_venue", "kind", VenueKind),
            models.CheckConstraint(
                condition=Q(area_m2__isnull=True) | Q(area_m2__gte=0),
                name="branches_venue_area_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("branches:venue_detail", args=[self.pk])


class BranchQuerySet(ScopedQuerySet):
    region_readers = ORGANISATION_READERS
    action_rules = {"co_build": "co_buildable_by", "record_activity": "activities_recordable_by"}

    def activities_recordable_by(self, user):
        """Branches whose activities the user may record: `ActivityQuerySet.editable_by` read from the
        branch's side (a branch's activity carries the branch's region; committee staff keep only the
        committees' activities, a director only their committee's). The activity import offers these
        branches; tests/branches/test_activity_import.py checks both rules agree for every role."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role == Role.ADMIN:
            return self
        if user.role == Role.COUNTY_STAFF:
            return self.in_region(user.region) if user.region_id else self.none()
        if user.role == Role.BRANCH_SECRETARY:
            return self.filter(pk__in=Post.objects.branch_ids_held_by(user))
        return self.none()

    def co_buildable_by(self, user):
        """Branches a committee the user keeps may be co-built with (党支部+关工委): those the user
        sees, and for committee staff, who do not read branches, the open branches of their region
        (offered by name only)."""
        if getattr(user, "role", None) == Role.COMMITTEE_STAFF and user.region_id and user.is_active:
            return self.in_region(user.region).filter(dissolved_on__isnull=True)
        return self.visible_to(user)

    def visible_to_member(self, user):
        if user.role == Role.BRANCH_SECRETARY:
            return self.filter(pk__in=Post.objects.branch_ids_held_by(user))
        return self.filter(youth_care_committees__in=Post.objects.committee_ids_led_by(user)).distinct()

    def with_member_counts(self, on=None):
        """Annotate `member_count` and `party_member_count` on a date (default today): one query."""
        # Membership is defined in people.py, which imports this module: reach it through the relation.
        Membership = self.model._meta.get_field("memberships").related_model
        on = on or timezone.localdate()
        current = Membership.objects.filter(branch=OuterRef("pk")).open_on(on)
        return self.annotate(
            member_count=models.Subquery(
                current.order_by().values("branch").annotate(n=models.Count("pk")).values("n"),
                output_field=models.IntegerField(),
            ),
            party_member_count=models.Subquery(
                current.filter(retiree__is_party_member=True)
                .order_by()
                .values("branch")
                .annotate(n=models.Count("pk"))
                .values("n"),
                output_field=models.IntegerField(),
            ),
        )


class BranchKind(models.TextChoices):
    RETIREE = "retiree", _("离退休干部党支部")
    AGENCY_RETIREE = "agency_retiree", _("机关退休党支部")
    GENERAL = "general", _("党总支")
    TEMPORARY = "temporary", _("临时党支部")
    FUNCTIONAL = "functional", _("功能性党支部")


# The branches that count as a county's retiree branches ("52个支部覆盖1491名离退休干部"): the
# general and temporary branches above and beside them hold members whose membership is elsewhere.
STANDING_BRANCH_KINDS = (BranchKind.RETIREE, BranchKind.AGENCY_RETIREE)
# Branches that gather members without holding their membership (senior-university classes, 功能性).
GATHERING_BRANCH_KINDS = (BranchKind.TEMPORARY, BranchKind.FUNCTIONAL)


class BranchHostKind(models.TextChoices):
    AGENCY = "agency", _("机关单位")
    SENIOR_UNIVERSITY = "senior_university", _("老年大学")
    ASSOCIATION = "association", _("协会社团")
    COMMUNITY = "community", _("城乡社区")
    INSTITUTION = "institution", _("企事业单位")
    OTHER = "other", _("其他")


@pghistory.track()
class Branch(PinyinNamed, DomainModel):
    """党支部: a Party branch of retired cadres (or a general branch above several)."""

    Kind = BranchKind

    HostKind = BranchHostKind

    name = models.CharField(_("支部名称"), max_length=100)
    kind = models.CharField(_("支部类型"), max_length=32, choices=Kind.choices, default=Kind.RETIREE)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级党总支"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"kind": "general"},
    )
    host_unit = models.CharField(
        _("依托单位"),
        max_length=100,
        blank=True,
        help_text=_("所在机关、老年大学班级、协会或社区"),
    )
    host_kind = models.CharField(
        _("依托单位类型"),
        max_length=32,
        choices=HostKind.choices,
        default=HostKind.AGENCY,
    )
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("所属片组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="branches",
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    venues = models.ManyToManyField(Venue, verbose_name=_("活动阵地"), blank=True, related_name="branches")
    note = models.TextField(_("备注"), blank=True)

    objects, all_objects = domain_managers(BranchQuerySet)

    class Meta:
        verbose_name = _("党支部")
        verbose_name_plural = _("党支部")
        ordering = ["pinyin"]
        base_manager_name = "all_objects"
        constraints = [
            _choices_valid("branches_branch", "kind", BranchKind),
            _choices_valid("branches_branch", "host_kind", BranchHostKind),
            _end_after_start("branches_branch", "founded_on", "dissolved_on"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="branches_branch_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("branches:branch_detail", args=[self.pk])

    def clean(self):
        if self.parent_id and self.parent.kind != self.Kind.GENERAL:
            raise ValidationError({"parent": _("上级组织必须是党总支")})
        if self.parent_id and self.kind == self.Kind.GENERAL:
            raise ValidationError({"parent": _("党总支不能再隶属于另一个党总支")})

    def current_posts(self):
        return self.posts.current().select_related("person").order_by(post_role_order(), "person__pinyin")


# --- Youth-care committees ------------------------------------------------------------------


class YouthCareCommitteeQuerySet(ScopedQuerySet):
    region_readers = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF, Role.LEADER})
    region_editors = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF})

    def visible_to_member(self, user):
        if user.role == Role.COMMITTEE_DIRECTOR:
            return self.filter(pk__in=Post.objects.committee_ids_led_by(user))
        return self.filter(branch_id__in=Post.objects.branch_ids_held_by(user))

    def editable_by_member(self, user):
        if user.role == Role.COMMITTEE_DIRECTOR:
            return self.filter(pk__in=Post.objects.committee_ids_led_by(user))
        return self.none()

    def with_one_shoulder(self):
        """Annotate `one_shoulder` (一肩挑): the executive director also holds a current branch post."""
        director_posts = Post.objects.current().filter(committee=OuterRef("pk"), role=Post.Role.EXECUTIVE_DIRECTOR)
        branch_posts = Post.objects.current().filter(person=OuterRef("person"), branch__isnull=False)
        return self.annotate(one_shoulder=Exists(director_posts.filter(Exists(branch_posts))))


class YouthCareCommitteeLevel(models.TextChoices):
    COUNTY = "county", _("县级")
    TOWN = "town", _("乡镇（街道）")
    VILLAGE = "village", _("村（社区）")
    SCHOOL = "school", _("学校")
    DEPARTMENT = "department", _("部门")


class YouthCareCommitteeFiveGoodStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未创建")
    IN_PROGRESS = "in_progress", _("创建中")
    ACHIEVED = "achieved", _("已创建")


@pghistory.track()
class YouthCareCommittee(PinyinNamed, DomainModel):
    """关工委: a youth-care committee, possibly run with a branch (党支部+关工委)."""

    Level = YouthCareCommitteeLevel

    FiveGoodStatus = YouthCareCommitteeFiveGoodStatus

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=32, choices=Level.choices)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级关工委"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("共建党支部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="youth_care_committees",
        help_text=_("党支部+关工委、一套人马两块牌时填写"),
    )
    host_unit = models.CharField(_("依托单位"), max_length=100, blank=True, help_text=_("学校或部门名称"))
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    five_good_status = models.CharField(
        _("五好基层关工委创建"),
        max_length=16,
        choices=FiveGoodStatus.choices,
        default=FiveGoodStatus.NOT_STARTED,
    )
    five_good_on = models.DateField(_("五好创建达标日期"), null=True, blank=True)
    venues = models.ManyToManyField(Venue, verbose_name=_("活动阵地"), blank=True, related_name="committees")
    note = models.TextField(_("备注"), blank=True)

    objects, all_objects = domain_managers(YouthCareCommitteeQuerySet)

    class Meta:
        verbose_name = _("关工委")
        verbose_name_plural = _("关工委")
        ordering = ["pinyin"]
        base_manager_name = "all_objects"
        constraints = [
            _choices_valid("branches_ycc", "level", YouthCareCommitteeLevel),
            _choices_valid("branches_ycc", "five_good_status", YouthCareCommitteeFiveGoodStatus),
            models.CheckConstraint(
                condition=Q(five_good_on__isnull=True) | Q(five_good_status="achieved"),
                name="branches_ycc_five_good_date_only_when_achieved",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="branches_ycc_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("branches:committee_detail", args=[self.pk])

    def current_posts(self):
        return self.posts.current().select_related("person").order_by(post_role_order(), "person__pinyin")


# --- Posts ----------------------------------------------------------------------------------


class PostQuerySet(ScopedQuerySet):
    region_readers = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF})

    def in_region(self, region):
        prefix = region.prefix
        return self.filter(Q(branch__region__code__startswith=prefix) | Q(committee__region__code__startswith=prefix))

    def visible_to(self, user):
        queryset = super().visible_to(user)
        if getattr(user, "role", None) == Role.COMMITTEE_STAFF:
            return queryset.filter(committee__isnull=False)
        return queryset

    def editable_by(self, user):
        if getattr(user, "role", None) == Role.COMMITTEE_STAFF and user.region_id:
            return self.in_region(user.region).filter(committee__isnull=False)
        return super().editable_by(user)

    def visible_to_member(self, user):
        return self.filter(
            Q(branch_id__in=Post.objects.branch_ids_held_by(user))
            | Q(committee_id__in=Post.objects.committee_ids_led_by(user))
        )

    def current(self, on=None):
        """Posts held on a date (default today)."""
        on = on or timezone.localdate()
        return self.filter(Q(end_on__isnull=True) | Q(end_on__gte=on), start_on__lte=on)

    # What a branch secretary's or committee director's posts put in their scope. Each
    # returns a subquery (no query of its own), so the scoped queryset stays one statement.

    def branch_ids_held_by(self, user):
        """Subquery of the branches where the user's person holds a current post on the
        branch committee, and of the branches under a general branch they sit on."""
        if not user.person_id:
            return Branch.objects.none().values("pk")
        held = self.current().filter(person_id=user.person_id, branch__isnull=False).values("branch_id")
        return Branch.objects.filter(Q(pk__in=held) | Q(parent_id__in=held)).values("pk")

    def committee_ids_led_by(self, user):
        """Subquery of the committees where the user's person is a current director,
        executive director or deputy director."""
        if not user.person_id:
            return YouthCareCommittee.objects.none().values("pk")
        return (
            self.current()
            .filter(person_id=user.person_id, committee__isnull=False, role__in=PostRole.leading_committee_roles())
            .values("committee_id")
        )


class PostRole(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    COMMITTEE_MEMBER = "committee_member", _("支委委员")
    DIRECTOR = "director", _("主任")
    EXECUTIVE_DIRECTOR = "executive_director", _("执行主任")
    DEPUTY_DIRECTOR = "deputy_director", _("副主任")
    MEMBER = "member", _("成员")

    @classmethod
    def branch_roles(cls):
        return [cls.SECRETARY, cls.DEPUTY_SECRETARY, cls.COMMITTEE_MEMBER]

    @classmethod
    def committee_roles(cls):
        return [
            cls.DIRECTOR,
            cls.EXECUTIVE_DIRECTOR,
            cls.DEPUTY_DIRECTOR,
            cls.MEMBER,
        ]

    @classmethod
    def leading_committee_roles(cls):
        return [cls.DIRECTOR, cls.EXECUTIVE_DIRECTOR, cls.DEPUTY_DIRECTOR]


class PostDuty(models.TextChoices):
    ORGANISATION = "organisation", _("组织委员")
    PUBLICITY = "publicity", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")
    WELFARE = "welfare", _("生活委员")
    YOUTH_CARE = "youth_care", _("关心下一代工作")


@pghistory.track()
class Post(DomainModel):
    """A person's post in a branch committee or in a youth-care committee, for a term."""

    personal_record = True

    Role = PostRole

    Duty = PostDuty

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="posts")
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("支部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    committee = models.ForeignKey(
        YouthCareCommittee,
        verbose_name=_("关工委"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    role = models.CharField(_("职务"), max_length=32, choices=Role.choices)
    duty = models.CharField(_("分工"), max_length=32, choices=Duty.choices, blank=True)
    outside_role = models.CharField(
        _("本职或社会职务"),
        max_length=100,
        blank=True,
        help_text=_("如：派出所所长、法庭庭长、中学校长"),
    )
    start_on = models.DateField(_("任职日期"))
    end_on = models.DateField(_("离任日期"), null=True, blank=True)
    monthly_allowance = models.DecimalField(_("每月补贴（元）"), max_digits=12, decimal_places=2, null=True, blank=True)

    objects, all_objects = domain_managers(PostQuerySet)

    class Meta:
        verbose_name = _("职务")
        verbose_name_plural = _("职务")
        ordering = ["-start_on"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(
                condition=Q(branch__isnull=False, committee__isnull=True)
                | Q(branch__isnull=True, committee__isnull=False),
                name="branches_post_in_one_organisation",
                violation_error_message=_("职务必须属于一个支部或一个关工委"),
            ),
            _choices_valid("branches_post", "role", PostRole),
            models.CheckConstraint(
                condition=Q(branch__isnull=True) | Q(role__in=["secretary", "deputy_secretary", "committee_member"]),
                name="branches_post_branch_role",
                violation_error_message=_("支部职务只能是书记、副书记或支委委员"),
            ),
            models.CheckConstraint(
                condition=Q(committee__isnull=True)
                | Q(
                    role__in=[
                        "director",
                        "executive_director",
                        "deputy_director",
                        "member",
                    ]
                ),
                name="branches_post_committee_role",
                violation_error_message=_("关工委职务只能是主任、执行主任、副主任或成员"),
            ),
            models.CheckConstraint(
                condition=Q(duty="") | Q(duty__in=PostDuty.values),
                name="branches_post_duty_valid",
            ),
            _end_after_start("branches_post", "start_on", "end_on"),
            models.CheckConstraint(
                condition=Q(monthly_allowance__isnull=True) | Q(monthly_allowance__gte=0),
                name="branches_post_allowance_not_negative",
                violation_error_message=_("补贴金额不能为负数"),
            ),
            models.UniqueConstraint(
                fields=["branch"],
                condition=Q(role="secretary", end_on__isnull=True, archived_at__isnull=True),
                name="branches_post_one_current_secretary",
                violation_error_message=_("该支部已有一名现任书记，请先办理换届或离任"),
            ),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(
                    role="executive_director",
                    end_on__isnull=True,
                    archived_at__isnull=True,
                ),
                name="branches_post_one_current_executive_director",
                violation_error_message=_("该关工委已有一名现任执行主任，请先办理换届或离任"),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.get_role_display()} {self.person.name}"

    def get_absolute_url(self):
        return self.organisation.get_absolute_url()

    @property
    def organisation(self):
        return self.branch or self.committee
