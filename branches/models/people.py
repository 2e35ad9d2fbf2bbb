"""Retirees and their care: memberships, check-ins, governance roles, care pairs, needs, transfers between counties."""

import datetime as dt

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models.organisation import Branch, Post, _choices_valid, _end_after_start
from core.models import DomainModel, Person, Region, domain_managers
from core.scoping import Role, ScopedQuerySet
from core.search import search_by_name
from core.validators import mask_id_number, validate_id_number

ADVANCED_AGE = 80  # 高龄


def born_on_or_before(on, age: int):
    """Latest birth date of someone who is `age` or older on `on` (29 February counts from 1 March)."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # 29 February, and the year `age` years back is not a leap year
        return on.replace(year=on.year - age, day=28)


class BranchMemberQuerySet(ScopedQuerySet):
    """Rows that belong to a branch: county staff by region, a secretary in their branches."""

    region_path = "branch__region"
    branch_path = "branch"
    secretary_may_edit = True

    def _in_member_branches(self, user):
        if user.role != Role.BRANCH_SECRETARY:
            return self.none()
        return self.filter(**{f"{self.branch_path}_id__in": Post.objects.branch_ids_held_by(user)})

    def visible_to_member(self, user):
        return self._in_member_branches(user)

    def editable_by_member(self, user):
        return self._in_member_branches(user) if self.secretary_may_edit else self.none()


class RetireeQuerySet(BranchMemberQuerySet):
    def in_region(self, region):
        """Members by their current branch's region; retirees who left (no branch) by their person's.

        One indexed `LIKE 'prefix%'` on `region_code`, which the database keeps equal to that
        region (migration 0008's triggers): the OR of the two regions over two joins it
        replaces made PostgreSQL scan every retiree and person of the province."""
        return self.filter(region_code__startswith=region.prefix)

    def search(self, query):
        """By the person's name (`core.search`: surname matches first), one query; archived people left out."""
        if not (query or "").strip():
            return self
        return search_by_name(self.filter(person__archived_at__isnull=True), query, prefix="person__")

    def advanced_age(self, on=None):
        on = on or timezone.localdate()
        return self.filter(person__birth_date__lte=born_on_or_before(on, ADVANCED_AGE))


class RetireeStatus(models.TextChoices):
    LIXIU = "lixiu", _("离休")
    RETIRED = "retired", _("退休")


class RetireeSkill(models.TextChoices):
    AGRITECH = "agritech", _("农技")
    EDUCATION = "education", _("教育")
    LAW = "law", _("法律")
    MEDICAL = "medical", _("医疗")
    ARTS = "arts", _("文艺")
    CALLIGRAPHY = "calligraphy", _("书画")
    SCIENCE = "science", _("科技")
    FINANCE = "finance", _("财会")
    MEDIATION = "mediation", _("调解")
    OTHER = "other", _("其他")


@pghistory.track(exclude=["region_code"])  # kept by the database from the branch: no history of its own
class Retiree(DomainModel):
    """离退休干部: a retired cadre in a branch. The current `branch` is kept by the
    membership services together with the `Membership` history."""

    personal_record = True

    Status = RetireeStatus

    Skill = RetireeSkill

    person = models.OneToOneField(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="retiree")
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("所在支部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="retirees",
        editable=False,
    )
    status = models.CharField(_("离休/退休"), max_length=16, choices=Status.choices, default=Status.RETIRED)
    former_unit = models.CharField(_("原工作单位"), max_length=100, blank=True)
    former_post = models.CharField(_("原职务"), max_length=100, blank=True)
    retired_on = models.DateField(_("离退休日期"), null=True, blank=True)
    party_group = models.CharField(
        _("党小组"), max_length=50, blank=True, help_text=_("如：第一党小组；出席名单按党小组分组")
    )
    is_party_member = models.BooleanField(_("中共党员"), default=True)
    joined_party_on = models.DateField(_("入党日期"), null=True, blank=True)
    limited_mobility = models.BooleanField(_("行动不便"), default=False)
    lives_alone = models.BooleanField(_("独居"), default=False)
    in_hardship = models.BooleanField(_("生活困难"), default=False)
    skills = ArrayField(
        models.CharField(max_length=32, choices=Skill.choices),
        verbose_name=_("专长"),
        default=list,
        blank=True,
    )
    specialty = models.CharField(_("专长说明"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)
    # The region scoping filters on, kept by the database (never written by the application):
    # the branch's region, or the person's once the retiree has left every branch.
    region_code = models.CharField(_("所属区划代码"), max_length=12, editable=False, default="")

    objects, all_objects = domain_managers(RetireeQuerySet)

    class Meta:
        verbose_name = _("离退休干部")
        verbose_name_plural = _("离退休干部")
        ordering = ["person__pinyin"]
        base_manager_name = "all_objects"
        indexes = [
            # `LIKE 'prefix%'` of a county's or a town's code (the C collation is not assumed).
            models.Index(fields=["region_code"], name="branches_retiree_region_code", opclasses=["varchar_pattern_ops"])
        ]
        constraints = [
            _choices_valid("branches_retiree", "status", RetireeStatus),
            models.CheckConstraint(
                condition=Q(joined_party_on__isnull=True) | Q(is_party_member=True),
                name="branches_retiree_party_date_only_for_members",
                violation_error_message=_("非党员不应填写入党日期"),
            ),
        ]

    def __str__(self):
        return self.person.name

    def get_absolute_url(self):
        return reverse("branches:retiree_detail", args=[self.pk])

    @property
    def is_advanced_age(self) -> bool:
        age = self.person.age
        return age is not None and age >= ADVANCED_AGE

    def party_years_on(self, day) -> int | None:
        if not self.joined_party_on:
            return None
        return day.year - self.joined_party_on.year


class MembershipQuerySet(BranchMemberQuerySet):
    secretary_may_edit = False

    def open_on(self, on):
        """Memberships in force on a date: started on or before it, not ended before it."""
        return self.filter(Q(end_on__isnull=True) | Q(end_on__gt=on), start_on__lte=on)


class MembershipReason(models.TextChoices):
    JOINED = "joined", _("新加入")
    TRANSFERRED = "transferred", _("组织关系转接")
    LEFT = "left", _("转出本县")
    DECEASED = "deceased", _("去世")
    OTHER = "other", _("其他")

    @classmethod
    def leaving(cls):
        """Why a retiree leaves the county's branches altogether (see services.people.retiree_leave)."""
        return [cls.LEFT, cls.DECEASED, cls.OTHER]


@pghistory.track()
class Membership(DomainModel):
    """A retiree's time in one branch. Transfers end one membership and start the next."""

    personal_record = True

    Reason = MembershipReason

    retiree = models.ForeignKey(
        Retiree,
        verbose_name=_("离退休干部"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("支部"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    start_on = models.DateField(_("加入日期"))
    start_reason = models.CharField(_("加入原因"), max_length=16, choices=Reason.choices, default=Reason.JOINED)
    end_on = models.DateField(_("转出日期"), null=True, blank=True, help_text=_("当天起不再计入本支部"))
    end_reason = models.CharField(_("转出原因"), max_length=16, choices=Reason.choices, blank=True)

    objects, all_objects = domain_managers(MembershipQuerySet)

    class Meta:
        verbose_name = _("支部关系")
        verbose_name_plural = _("支部关系")
        ordering = ["-start_on"]
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["retiree"],
                condition=Q(end_on__isnull=True, archived_at__isnull=True),
                name="branches_membership_one_open_per_retiree",
                violation_error_message=_("该同志已在一个支部中，请办理转接"),
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gt=models.F("start_on")),
                name="branches_membership_end_after_start",
                violation_error_message=_("转出日期必须晚于加入日期"),
            ),
            _choices_valid("branches_membership", "start_reason", MembershipReason),
            models.CheckConstraint(
                condition=Q(end_reason="") | Q(end_reason__in=MembershipReason.values),
                name="branches_membership_end_reason_valid",
            ),
        ]

    def __str__(self):
        return f"{self.retiree} @ {self.branch}"


class ParticipationQuerySet(ScopedQuerySet):
    """County staff by the branch's region; a secretary for the branches they hold a post in."""

    region_path = "branch__region"

    def visible_to_member(self, user):
        if user.role != Role.BRANCH_SECRETARY:
            return self.none()
        return self.filter(branch_id__in=Post.objects.branch_ids_held_by(user))

    def current(self, on=None):
        """Taking part on a date (default today)."""
        on = on or timezone.localdate()
        return self.filter(Q(end_on__isnull=True) | Q(end_on__gte=on), start_on__lte=on)


@pghistory.track()
class Participation(DomainModel):
    """参加临时支部 / 功能性党支部: a person taking part in a temporary or functional branch
    (a community's, a senior-university class's) while their membership stays in their home branch."""

    personal_record = True

    # Branch kinds a person takes part in without becoming a member.
    BRANCH_KINDS = (Branch.Kind.TEMPORARY, Branch.Kind.FUNCTIONAL)

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="participations")
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("临时或功能性党支部"),
        on_delete=models.PROTECT,
        related_name="participations",
        limit_choices_to={"kind__in": ["temporary", "functional"]},
    )
    start_on = models.DateField(_("参加日期"))
    end_on = models.DateField(_("退出日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True, help_text=_("如：担任党小组长"))

    objects, all_objects = domain_managers(ParticipationQuerySet)

    class Meta:
        verbose_name = _("参加临时支部")
        verbose_name_plural = _("参加临时支部")
        ordering = ["person__pinyin"]
        base_manager_name = "all_objects"
        constraints = [
            _end_after_start("branches_participation", "start_on", "end_on"),
            models.UniqueConstraint(
                fields=["person", "branch"],
                condition=Q(end_on__isnull=True, archived_at__isnull=True),
                name="branches_participation_one_open_per_branch",
                violation_error_message=_("该同志已在这个支部中"),
            ),
        ]

    def __str__(self):
        return f"{self.person} @ {self.branch}"

    def get_absolute_url(self):
        return self.branch.get_absolute_url()


def _page_of_person(person) -> str:
    """Check-ins and governance roles are shown on the retiree's page (or the person's, for a non-retiree)."""
    retiree = getattr(person, "retiree", None)
    return retiree.get_absolute_url() if retiree else person.get_absolute_url()


class PersonRoleQuerySet(ScopedQuerySet):
    """Rows attached to a retiree's person: county staff by region; a secretary for their retirees."""

    region_path = "person__region"

    def visible_to_member(self, user):
        if user.role != Role.BRANCH_SECRETARY:
            return self.none()
        return self.filter(person__retiree__branch_id__in=Post.objects.branch_ids_held_by(user))


@pghistory.track()
class CommunityCheckIn(DomainModel):
    """报到: a retiree registering with the community where they live."""

    personal_record = True

    person = models.ForeignKey(
        Person,
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        related_name="check_ins",
    )
    community = models.ForeignKey(
        Region,
        verbose_name=_("报到社区（村）"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "village"},
    )
    checked_in_on = models.DateField(_("报到日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects, all_objects = domain_managers(PersonRoleQuerySet)

    class Meta:
        verbose_name = _("社区报到")
        verbose_name_plural = _("社区报到")
        ordering = ["-checked_in_on"]
        base_manager_name = "all_objects"

    def __str__(self):
        return f"{self.person} → {self.community}"

    def get_absolute_url(self):
        return _page_of_person(self.person)


class GovernanceRoleKind(models.TextChoices):
    GRID_WORKER = "grid_worker", _("网格员")
    GRID_HEAD = "grid_head", _("网格长")
    BUILDING_HEAD = "building_head", _("楼栋长")
    RED_STEWARD = "red_steward", _("红管家")
    OWNERS_COMMITTEE_HEAD = "owners_committee_head", _("业委会主任")
    RESIDENTIAL_BRANCH_SECRETARY = (
        "residential_branch_secretary",
        _("小区党支部书记"),
    )
    VILLAGE_SECRETARY = "village_secretary", _("村党支部书记")
    VILLAGE_COMMITTEE = "village_committee", _("村（居）两委成员")
    ADVISORY_BOARD = "advisory_board", _("顾问团成员")
    OTHER = "other", _("其他")


@pghistory.track()
class GovernanceRole(DomainModel):
    """A community-governance role a person holds (网格员, 楼栋长, 红管家 …).

    Kept on the Person, not the Retiree, so a five-elders volunteer who is not a
    retiree can hold one too (the volunteers app reads the same table)."""

    personal_record = True

    Kind = GovernanceRoleKind

    person = models.ForeignKey(
        Person,
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        related_name="governance_roles",
    )
    kind = models.CharField(_("治理角色"), max_length=32, choices=Kind.choices)
    organisation = models.CharField(_("所在组织或小区"), max_length=100, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_on = models.DateField(_("开始日期"), null=True, blank=True)
    end_on = models.DateField(_("结束日期"), null=True, blank=True)

    objects, all_objects = domain_managers(PersonRoleQuerySet)

    class Meta:
        verbose_name = _("基层治理角色")
        verbose_name_plural = _("基层治理角色")
        ordering = ["kind"]
        base_manager_name = "all_objects"
        constraints = [
            _choices_valid("branches_governancerole", "kind", GovernanceRoleKind),
            _end_after_start("branches_governancerole", "start_on", "end_on"),
        ]

    def __str__(self):
        return f"{self.person} {self.get_kind_display()}"

    def get_absolute_url(self):
        return _page_of_person(self.person)


class CareQuerySet(ScopedQuerySet):
    """Care for retirees in difficulty is the county office's work; secretaries may read theirs."""

    region_path = "retiree__branch__region"
    retiree_path = "retiree"

    def in_region(self, region):
        """Like retirees: by the current branch, or by the person's region once the retiree has left."""
        return self.filter(**{f"{self.retiree_path}__region_code__startswith": region.prefix})

    def visible_to_member(self, user):
        if user.role != Role.BRANCH_SECRETARY:
            return self.none()
        return self.filter(retiree__branch_id__in=Post.objects.branch_ids_held_by(user))


@pghistory.track()
class CarePair(DomainModel):
    """帮扶对子: an office cadre paired with a retiree in difficulty."""

    personal_record = True

    cadre = models.ForeignKey(
        Person,
        verbose_name=_("帮扶干部"),
        on_delete=models.PROTECT,
        related_name="care_pairs",
    )
    retiree = models.ForeignKey(
        Retiree,
        verbose_name=_("帮扶对象"),
        on_delete=models.PROTECT,
        related_name="care_pairs",
    )
    started_on = models.DateField(_("结对日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.TextField(_("帮扶重点"), blank=True)

    objects, all_objects = domain_managers(CareQuerySet)

    class Meta:
        verbose_name = _("帮扶对子")
        verbose_name_plural = _("帮扶对子")
        ordering = ["-started_on"]
        base_manager_name = "all_objects"
        constraints = [
            _end_after_start("branches_carepair", "started_on", "ended_on"),
            models.UniqueConstraint(
                fields=["cadre", "retiree"],
                condition=Q(ended_on__isnull=True, archived_at__isnull=True),
                name="branches_carepair_one_open_pair",
            ),
        ]

    def __str__(self):
        return f"{self.cadre} ↔ {self.retiree}"

    def get_absolute_url(self):
        return reverse("branches:carepair_detail", args=[self.pk])


class CareRecordQuerySet(CareQuerySet):
    region_path = "care_pair__retiree__branch__region"
    retiree_path = "care_pair__retiree"

    def visible_to_member(self, user):
        if user.role != Role.BRANCH_SECRETARY:
            return self.none()
        return self.filter(care_pair__retiree__branch_id__in=Post.objects.branch_ids_held_by(user))


class CareRecordKind(models.TextChoices):
    VISIT = "visit", _("上门走访")
    CALL = "call", _("电话问候")
    ERRAND = "errand", _("代办事项")
    HOSPITAL = "hospital", _("住院探望")
    OTHER = "other", _("其他")


@pghistory.track()
class CareRecord(DomainModel):
    """One piece of help given within a care pair."""

    personal_record = True

    Kind = CareRecordKind

    care_pair = models.ForeignKey(
        CarePair,
        verbose_name=_("帮扶对子"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    happened_on = models.DateField(_("日期"))
    kind = models.CharField(_("方式"), max_length=16, choices=Kind.choices, default=Kind.VISIT)
    description = models.TextField(_("帮扶内容"))
    goods_value = models.DecimalField(_("物品折价（元）"), max_digits=12, decimal_places=2, default=0)

    objects, all_objects = domain_managers(CareRecordQuerySet)

    class Meta:
        verbose_name = _("帮扶记录")
        verbose_name_plural = _("帮扶记录")
        ordering = ["-happened_on"]
        base_manager_name = "all_objects"
        constraints = [
            _choices_valid("branches_carerecord", "kind", CareRecordKind),
            models.CheckConstraint(
                condition=Q(goods_value__gte=0),
                name="branches_carerecord_value_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.care_pair} {self.happened_on}"


@pghistory.track()
class HardshipPayment(DomainModel):
    """A payment from the county fund for retirees in special difficulty (特殊困难离休干部帮扶资金)."""

    personal_record = True

    retiree = models.ForeignKey(
        Retiree,
        verbose_name=_("帮扶对象"),
        on_delete=models.PROTECT,
        related_name="hardship_payments",
    )
    paid_on = models.DateField(_("发放日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    payee = models.CharField(
        _("领取人"),
        max_length=50,
        blank=True,
        help_text=_("本人领取可不填；遗属领取请填写姓名"),
    )
    fund = models.CharField(_("资金名称"), max_length=100, default="特殊困难离休干部帮扶资金")
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects, all_objects = domain_managers(CareQuerySet)

    class Meta:
        verbose_name = _("帮扶资金发放")
        verbose_name_plural = _("帮扶资金发放")
        ordering = ["-paid_on"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="branches_hardshippayment_amount_positive",
                violation_error_message=_("发放金额必须大于0"),
            ),
        ]

    def __str__(self):
        return f"{self.retiree} {self.amount}"

    def get_absolute_url(self):
        return self.retiree.get_absolute_url() + "#hardship"


class NeedQuerySet(BranchMemberQuerySet):
    def open(self):
        return self.filter(resolved_on__isnull=True)

    def open_over(self, days: int, on: dt.date | None = None):
        """Open needs received more than `days` days before `on` (today): `days_open > days`.
        The 待办 rule and the need list's `?open_over_days=` filter."""
        on = on or timezone.localdate()
        return self.open().filter(received_on__lt=on - dt.timedelta(days=days))


@pghistory.track()
class Need(DomainModel):
    """个性需求: a request raised by or for a retiree, received and then resolved."""

    personal_record = True

    branch = models.ForeignKey(Branch, verbose_name=_("支部"), on_delete=models.PROTECT, related_name="needs")
    retiree = models.ForeignKey(
        Retiree,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    received_on = models.DateField(_("受理日期"))
    content = models.TextField(_("需求内容"))
    handler = models.CharField(_("承办人"), max_length=50, blank=True)
    resolved_on = models.DateField(_("办结日期"), null=True, blank=True)
    outcome = models.TextField(_("办理结果"), blank=True)

    objects, all_objects = domain_managers(NeedQuerySet)

    class Meta:
        verbose_name = _("个性需求")
        verbose_name_plural = _("个性需求")
        ordering = ["resolved_on", "-received_on"]
        base_manager_name = "all_objects"
        constraints = [
            _end_after_start("branches_need", "received_on", "resolved_on"),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | ~Q(outcome=""),
                name="branches_need_resolved_has_outcome",
                violation_error_message=_("办结时请填写办理结果"),
            ),
        ]

    def __str__(self):
        return self.content[:30]

    def get_absolute_url(self):
        return reverse("branches:need_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None

    @property
    def days_open(self) -> int:
        end = self.resolved_on or timezone.localdate()
        return (end - self.received_on).days


# --- Transfers between counties ---------------------------------------------------------------


class TransferRequestQuerySet(ScopedQuerySet):
    """A request has two sides: the receiving county (its branch) and the sending one (where the retiree is).

    County staff see the requests of both sides; the requesting side may
    change (withdraw) its requests and the sending side decide them, each only
    while pending. Who the retiree is stays the sending side's business: the
    pages show the receiving side only what it typed, masked.
    """

    region_path = "to_branch__region"
    action_rules = {"decide": "decidable_by"}

    @staticmethod
    def _retiree_in(region) -> Q:
        """The retiree is in the region now: by their branch, or by their person's region once they left."""
        return Q(retiree__branch__region__code__startswith=region.prefix) | Q(
            retiree__branch__isnull=True, retiree__person__region__code__startswith=region.prefix
        )

    def visible_to(self, user):
        """Requests into the region, about retirees in it, and those it decided (one query)."""
        if getattr(user, "role", None) != Role.COUNTY_STAFF or not user.region_id or not user.is_active:
            return super().visible_to(user)  # administrators: all; others: none
        region = user.region
        return self.filter(
            Q(to_branch__region__code__startswith=region.prefix)
            | self._retiree_in(region)
            | Q(from_region__code__startswith=region.prefix)
        )

    def editable_by(self, user):
        """The requesting side's pending requests (to withdraw them)."""
        return super().editable_by(user).filter(status=TransferRequestStatus.PENDING)

    def decidable_by(self, user):
        """Pending requests about retirees now in the user's region; all pending ones for administrators."""
        pending = self.filter(status=TransferRequestStatus.PENDING)
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role == Role.ADMIN:
            return pending
        if user.role != Role.COUNTY_STAFF or not user.region_id:
            return self.none()
        return pending.filter(self._retiree_in(user.region))


class TransferRequestStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    ACCEPTED = "accepted", _("已同意")
    DECLINED = "declined", _("已拒绝")
    WITHDRAWN = "withdrawn", _("已撤回")


@pghistory.track()
class TransferRequest(DomainModel):
    """跨县组织关系转接: the county a retiree moved to asks the county where they are registered for them.

    The receiving staff identify the person by the ID number (and name) they
    were given; `retiree` is the record that number belongs to, if any, and is
    never shown to them before the request is accepted.
    """

    Status = TransferRequestStatus

    personal_record = True
    history_masked_fields = {"id_number": "id_number"}

    id_number = models.CharField(_("身份证号"), max_length=18, validators=[validate_id_number])
    name = models.CharField(_("姓名"), max_length=50)
    to_branch = models.ForeignKey(
        Branch, verbose_name=_("转入支部"), on_delete=models.PROTECT, related_name="incoming_transfers"
    )
    retiree = models.ForeignKey(
        Retiree,
        verbose_name=_("离退休干部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfer_requests",
        editable=False,
    )
    note = models.TextField(_("说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=TransferRequestStatus.choices, default=TransferRequestStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True, editable=False)
    # Where the retiree was when the request was decided: the sending side keeps seeing it.
    from_region = models.ForeignKey(
        Region,
        verbose_name=_("转出地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    objects, all_objects = domain_managers(TransferRequestQuerySet)

    class Meta:
        verbose_name = _("组织关系转接申请")
        verbose_name_plural = _("组织关系转接申请")
        ordering = ["-requested_at"]
        base_manager_name = "all_objects"
        permissions = [("decide_transferrequest", _("可同意或拒绝组织关系转接申请"))]
        constraints = [
            _choices_valid("branches_transferrequest", "status", TransferRequestStatus),
            models.CheckConstraint(
                condition=(Q(status=TransferRequestStatus.PENDING) & Q(decided_at__isnull=True))
                | (~Q(status=TransferRequestStatus.PENDING) & Q(decided_at__isnull=False)),
                name="branches_transferrequest_decided_when_not_pending",
            ),
            models.UniqueConstraint(
                fields=["id_number", "to_branch"],
                condition=Q(status=TransferRequestStatus.PENDING, archived_at__isnull=True),
                name="branches_transferrequest_one_pending_per_branch",
                violation_error_message=_("已向该支部提出过该身份证号的转接申请，正在等待处理"),
            ),
        ]

    def __str__(self):
        return _("%(name)s 转入 %(branch)s") % {"name": self.masked_name, "branch": self.to_branch}

    @property
    def is_pending(self) -> bool:
        return self.status == TransferRequestStatus.PENDING

    @property
    def masked_name(self) -> str:
        """The name as typed, surname only: 张*."""
        return self.name[:1] + "*" * max(len(self.name) - 1, 1)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def decide(self, *, status: str, by, from_region=None) -> None:
        """Close the request: its status, who and when together."""
        self.status = status
        self.decided_by = by
        self.decided_at = timezone.now()
        if from_region is not None:
            self.from_region = from_region
        self.save(update_fields=["status", "decided_by", "decided_at", "from_region", "updated_at"])
