"""Aid for children in difficulty: children and their guardians, programmes, cases,
sponsors and pairings, disbursements, care visits and donation drives.

Children's data is sensitive (PIPL: under 14). Who may read it is decided by the
querysets below and asked only through `core.access`: committee staff and county
staff of the region, and the directors of the committee handling a case (or of
the county committee above it). Branch secretaries and leaders reach none of
these rows; they read the numbers of `aid_cases.selectors.overview`.
"""

import datetime as dt

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Post, YouthCareCommittee
from core.models import DomainModel, Person, PinyinNamed, Region, backstop, domain_managers
from core.scoping import Role, ScopedQuerySet
from core.validators import validate_credit_code, validate_phone

AID_READERS = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF})


def _choices_valid(prefix: str, field: str, choices) -> models.CheckConstraint:
    return backstop(
        models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=f"{prefix}_{field}_valid")
    )


def _money(label, **kwargs) -> models.DecimalField:
    return models.DecimalField(label, max_digits=12, decimal_places=2, **kwargs)


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _led_committees(user):
    """Subquery: the committees the user's person currently leads (director, executive or deputy)."""
    return Post.objects.committee_ids_led_by(user)


# --- Children ---------------------------------------------------------------------------------


class Circumstance(models.TextChoices):
    LEFT_BEHIND = "left_behind", _("留守儿童")
    IN_DIFFICULTY = "in_difficulty", _("困境儿童")
    DE_FACTO_ORPHAN = "de_facto_orphan", _("事实孤儿")
    ORPHAN = "orphan", _("孤儿")
    POOR_HOUSEHOLD = "poor_household", _("建档立卡贫困户")
    DISABLED = "disabled", _("残疾")
    SINGLE_PARENT = "single_parent", _("单亲")
    SERIOUS_ILLNESS = "serious_illness", _("重病")


class ChildQuerySet(ScopedQuerySet):
    """Committee and county staff of the region; a director the children of their committees' cases."""

    region_readers = AID_READERS
    region_editors = AID_READERS

    def visible_to_member(self, user):
        if user.role != Role.COMMITTEE_DIRECTOR:
            return self.none()  # branch secretaries handle no child
        led = _led_committees(user)
        cases = AidCase.all_objects.filter(Q(committee_id__in=led) | Q(committee__parent_id__in=led))
        return self.filter(pk__in=cases.values("child_id"))

    def editable_by_member(self, user):
        if user.role != Role.COMMITTEE_DIRECTOR:
            return self.none()
        return self.filter(pk__in=AidCase.all_objects.filter(committee_id__in=_led_committees(user)).values("child_id"))

    def search(self, query: str):
        from core.models import pinyin_name_q

        return self.filter(pinyin_name_q(query, prefix="person__")) if (query or "").strip() else self


@pghistory.track()
class Child(DomainModel):
    """受助儿童: a Person (a minor or a student) and what the aid work needs to know of them.

    Circumstances are an array of fixed choices rather than a many-to-many table: the
    list is a closed vocabulary of eight words, a case list filters on one of them
    (`circumstances__contains`, a GIN index), and a check constraint keeps out
    anything else; a table of eight rows would only add a join to every list.
    """

    personal_record = True
    # A child's whole ID number needs the aid roles' own permission (core.access.can_reveal_id_number).
    id_number_permission = "aid_cases.view_child_id_number"

    Circumstance = Circumstance

    person = models.OneToOneField(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="child")
    region = models.ForeignKey(
        Region, verbose_name=_("所在村（社区）"), on_delete=models.PROTECT, related_name="+", db_index=True
    )
    school = models.CharField(_("学校"), max_length=100, blank=True)
    grade = models.CharField(_("年级"), max_length=20, blank=True, help_text=_("如：七年级、高二、大一"))
    class_name = models.CharField(_("班级"), max_length=20, blank=True)
    circumstances = ArrayField(
        models.CharField(max_length=32, choices=Circumstance.choices),
        verbose_name=_("困难情形"),
        default=list,
        blank=True,
    )
    situation = models.TextField(_("家庭情况"), blank=True, help_text=_("简要说明，只写帮扶工作需要的内容"))

    objects, all_objects = domain_managers(ChildQuerySet)

    class Meta:
        verbose_name = _("受助儿童")
        verbose_name_plural = _("受助儿童")
        ordering = ["person__pinyin"]
        base_manager_name = "all_objects"
        permissions = [
            ("view_child_id_number", _("可在说明理由后查看儿童完整身份证号")),
            ("view_child_birth_date", _("可查看儿童出生日期")),
        ]
        indexes = [GinIndex(fields=["circumstances"], name="aid_child_circumstances_gin")]
        constraints = [
            models.CheckConstraint(
                condition=Q(circumstances__contained_by=Circumstance.values),
                name="aid_child_circumstances_valid",
            ),
        ]

    def __str__(self):
        return self.person.name

    def str_without_names(self) -> str:
        return str(_("受助儿童"))

    def get_absolute_url(self):
        return reverse("aid_cases:child_detail", args=[self.pk])

    def circumstance_labels(self) -> list[str]:
        return [Circumstance(c).label for c in self.circumstances if c in Circumstance.values]


class ChildPartQuerySet(ScopedQuerySet):
    """Rows that belong to one child (guardians, consents) follow the child's scope."""

    region_path = "child__region"
    region_readers = AID_READERS
    region_editors = AID_READERS

    def visible_to_member(self, user):
        return self.filter(child__in=Child.objects.visible_to(user))

    def editable_by_member(self, user):
        return self.filter(child__in=Child.objects.editable_by(user))


class GuardianRelation(models.TextChoices):
    FATHER = "father", _("父亲")
    MOTHER = "mother", _("母亲")
    GRANDPARENT = "grandparent", _("祖父母")
    MATERNAL_GRANDPARENT = "maternal_grandparent", _("外祖父母")
    SIBLING = "sibling", _("兄弟姐妹")
    RELATIVE = "relative", _("其他亲属")
    OTHER = "other", _("其他监护人")


@pghistory.track()
class Guardian(DomainModel):
    """A child's guardian: a Person already on record, or just a name, with relation and phone."""

    personal_record = True
    Relation = GuardianRelation

    child = models.ForeignKey(Child, verbose_name=_("儿童"), on_delete=models.PROTECT, related_name="guardians")
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    relation = models.CharField(_("关系"), max_length=32, choices=Relation.choices)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])

    objects, all_objects = domain_managers(ChildPartQuerySet)

    class Meta:
        verbose_name = _("监护人")
        verbose_name_plural = _("监护人")
        ordering = ["pk"]
        base_manager_name = "all_objects"
        constraints = [
            _choices_valid("aid_guardian", "relation", GuardianRelation),
            models.CheckConstraint(condition=Q(person__isnull=False) | ~Q(name=""), name="aid_guardian_has_name"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.name if self.person_id else self.name

    def get_absolute_url(self):
        return self.child.get_absolute_url()


class ConsentPurpose(models.TextChoices):
    KEEP = "keep", _("登记保存信息")
    SHARE = "share", _("向资助人提供必要信息")
    PHOTO = "photo", _("拍摄和保存照片")


@pghistory.track()
class Consent(DomainModel):
    """The consent recorded for keeping and sharing a child's data: who, when, for what."""

    personal_record = True
    Purpose = ConsentPurpose

    child = models.ForeignKey(Child, verbose_name=_("儿童"), on_delete=models.PROTECT, related_name="consents")
    given_by = models.CharField(_("同意人"), max_length=50, help_text=_("通常为监护人"))
    relation = models.CharField(_("与儿童关系"), max_length=32, choices=GuardianRelation.choices)
    given_on = models.DateField(_("同意日期"))
    purpose = models.CharField(_("同意事项"), max_length=16, choices=Purpose.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects, all_objects = domain_managers(ChildPartQuerySet)

    class Meta:
        verbose_name = _("知情同意")
        verbose_name_plural = _("知情同意")
        ordering = ["-given_on", "pk"]
        base_manager_name = "all_objects"
        constraints = [
            _choices_valid("aid_consent", "purpose", ConsentPurpose),
            _choices_valid("aid_consent", "relation", GuardianRelation),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()}（{self.given_by}）"

    def get_absolute_url(self):
        return self.child.get_absolute_url()


class AccessKind(models.TextChoices):
    VIEW = "view", _("查看儿童档案")
    EXPORT = "export", _("导出儿童数据")
    ID_NUMBER = "id_number", _("查看完整身份证号")


class ChildAccessLogQuerySet(models.QuerySet):
    """Who has read children's data. Append-only; read by the child's page and, later, core's audit page."""

    def visible_to(self, user):
        # Whoever may read the child may see who else read it (the page shows it).
        return self.filter(child__in=Child.all_objects.visible_to(user))


class ChildAccessLog(models.Model):
    """One read of children's data: who, when, which record (or which filter, for an export), why.

    Written by `aid_cases.services.log_child_access`, never changed or deleted. A later
    core audit page reads it as it is: `user`, `at`, `kind`, `child` or `filters`, `reason`.
    """

    Kind = AccessKind

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    child = models.ForeignKey(
        Child, verbose_name=_("儿童"), null=True, blank=True, on_delete=models.PROTECT, related_name="access_log"
    )
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("导出条数"), null=True, blank=True)
    reason = models.CharField(_("理由"), max_length=200, blank=True)

    objects = ChildAccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("儿童信息访问记录")
        verbose_name_plural = _("儿童信息访问记录")
        ordering = ["-at"]
        indexes = [models.Index(fields=["child", "-at"], name="aid_accesslog_child_at")]
        constraints = [
            _choices_valid("aid_accesslog", "kind", AccessKind),
            models.CheckConstraint(condition=Q(kind="export") | Q(child__isnull=False), name="aid_accesslog_has_child"),
            models.CheckConstraint(condition=~Q(kind="id_number") | ~Q(reason=""), name="aid_accesslog_id_reason"),
        ]

    def __str__(self):
        return f"{self.user} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


# --- Programmes and cases ---------------------------------------------------------------------


class ProgrammeQuerySet(ScopedQuerySet):
    """Programmes are organisations' work, not people: leaders read them (and their numbers) too."""

    region_path = "committee__region"
    region_readers = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF, Role.LEADER})
    region_editors = AID_READERS

    def visible_to_member(self, user):
        if user.role != Role.COMMITTEE_DIRECTOR:
            return self.none()
        led = _led_committees(user)
        parents = YouthCareCommittee.objects.filter(pk__in=led).values("parent_id")
        return self.filter(Q(committee_id__in=led) | Q(committee_id__in=parents))


class ProgrammeKind(models.TextChoices):
    STUDENT_AID = "student_aid", _("助学")
    HOLIDAY_CARE = "holiday_care", _("节日慰问")
    PAIRING = "pairing", _("一对一结对")
    EMERGENCY = "emergency", _("应急救助")
    FUND = "fund", _("助学基金")
    OTHER = "other", _("其他")


@pghistory.track()
class Programme(PinyinNamed, DomainModel):
    """金秋助学, 暖冬慰问, 春蕾计划, 一对一结对 …: an aid programme a committee runs."""

    Kind = ProgrammeKind

    name = models.CharField(_("项目名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(
        _("年度"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("长期项目可不填"),
    )
    budget = _money(_("预算（元）"), null=True, blank=True, validators=[MinValueValidator(0)])
    committee = models.ForeignKey(
        YouthCareCommittee, verbose_name=_("主办关工委"), on_delete=models.PROTECT, related_name="aid_programmes"
    )
    eligibility = models.TextField(_("资助条件"), blank=True)

    objects, all_objects = domain_managers(ProgrammeQuerySet)

    class Meta:
        verbose_name = _("帮扶项目")
        verbose_name_plural = _("帮扶项目")
        ordering = ["-year", "pinyin"]
        base_manager_name = "all_objects"
        permissions = [("view_aid_overview", _("可查看帮扶工作统计（不含个人信息）"))]
        constraints = [
            _choices_valid("aid_programme", "kind", ProgrammeKind),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gte=0), name="aid_programme_budget"),
        ]

    def __str__(self):
        return f"{self.name}（{self.year}）" if self.year else self.name

    def get_absolute_url(self):
        return reverse("aid_cases:programme_detail", args=[self.pk])


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    VERIFIED = "verified", _("乡镇已核实")
    APPROVED = "approved", _("县级已审批")
    ACTIVE = "active", _("帮扶中")
    WAITING = "waiting", _("待新资助人")
    CLOSED = "closed", _("已结案")

    @classmethod
    def open(cls) -> list[str]:
        return [s for s in cls.values if s != cls.CLOSED]


def case_open_on(on) -> Q:
    """Cases approved and not closed on `on` (在册): the annual report, the dashboard and the case
    list's `?on=` share it."""
    status = CaseStatus
    return (
        Q(registered_on__lte=on)
        & ~Q(status__in=(status.REGISTERED, status.VERIFIED))
        & (Q(closed_on__isnull=True) | Q(closed_on__gt=on))
    )


class CloseReason(models.TextChoices):
    GRADUATED = "graduated", _("完成学业")
    MOVED_AWAY = "moved_away", _("迁出")
    NOT_ELIGIBLE = "not_eligible", _("不再符合条件")
    OTHER = "other", _("其他")


class AidCaseQuerySet(ScopedQuerySet):
    """Cases: committee and county staff of the child's region; directors of the handling committee
    and of the county committee above it.

    Named rules (core.access action_rules): `verify` is the town's step (the handling committee's
    director, or the committee office of the region), `approve` the county's (the office of the
    region, or a director of the committee above the handling one).
    """

    region_path = "child__region"
    region_readers = AID_READERS
    region_editors = AID_READERS
    action_rules = {"verify": "verifiable_by", "approve": "approvable_by"}

    def visible_to_member(self, user):
        if user.role != Role.COMMITTEE_DIRECTOR:
            return self.none()
        led = _led_committees(user)
        return self.filter(Q(committee_id__in=led) | Q(committee__parent_id__in=led))

    def open_on(self, on):
        """Cases in the register on `on` (`case_open_on`)."""
        return self.filter(case_open_on(on))

    def editable_by_member(self, user):
        if user.role != Role.COMMITTEE_DIRECTOR:
            return self.none()
        return self.filter(committee_id__in=_led_committees(user))

    def _office(self, user):
        if user.role == Role.ADMIN:
            return self
        if user.role == Role.COMMITTEE_STAFF and user.region_id:
            return self.in_region(user.region)
        return self.none()

    def verifiable_by(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role == Role.COMMITTEE_DIRECTOR:
            return self.filter(committee_id__in=_led_committees(user))
        return self._office(user)

    def approvable_by(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role == Role.COMMITTEE_DIRECTOR:
            return self.filter(committee__parent_id__in=_led_committees(user))
        return self._office(user)

    def search(self, query: str):
        from core.models import pinyin_name_q

        return self.filter(pinyin_name_q(query, prefix="child__person__")) if (query or "").strip() else self


@pghistory.track()
class AidCase(DomainModel):
    """个案: one child in one programme, handled by one (usually the town's) committee."""

    personal_record = True
    Status = CaseStatus
    CloseReason = CloseReason

    child = models.ForeignKey(Child, verbose_name=_("儿童"), on_delete=models.PROTECT, related_name="cases")
    programme = models.ForeignKey(Programme, verbose_name=_("帮扶项目"), on_delete=models.PROTECT, related_name="cases")
    committee = models.ForeignKey(
        YouthCareCommittee,
        verbose_name=_("经办关工委"),
        on_delete=models.PROTECT,
        related_name="aid_cases",
        help_text=_("一般为儿童所在乡镇（街道）关工委"),
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    registered_on = models.DateField(_("登记日期"), default=timezone.localdate)
    status_changed_at = models.DateTimeField(_("状态变更时间"), default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    close_reason = models.CharField(_("结案原因"), max_length=16, choices=CloseReason.choices, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    outcome = models.CharField(_("帮扶成效"), max_length=200, blank=True, help_text=_("如：考入大学、参加工作"))
    note = models.TextField(_("备注"), blank=True)

    objects, all_objects = domain_managers(AidCaseQuerySet)

    class Meta:
        verbose_name = _("帮扶个案")
        verbose_name_plural = _("帮扶个案")
        ordering = ["-registered_on", "-pk"]
        base_manager_name = "all_objects"
        permissions = [
            ("verify_aidcase", _("可核实个案（乡镇）")),
            ("approve_aidcase", _("可审批个案（县级）")),
            ("export_aidcase", _("可导出个案名单")),
        ]
        indexes = [models.Index(fields=["status", "committee"], name="aid_case_status_committee")]
        constraints = [
            _choices_valid("aid_case", "status", CaseStatus),
            models.CheckConstraint(
                condition=Q(close_reason__in=["", *CloseReason.values]), name="aid_case_close_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False) & ~Q(close_reason="")
                | ~Q(status="closed") & Q(closed_on__isnull=True, close_reason=""),
                name="aid_case_closed_has_reason",
            ),
            models.UniqueConstraint(
                fields=["child", "programme"],
                condition=~Q(status="closed") & Q(archived_at__isnull=True),
                name="aid_case_one_open_case_per_programme",
                violation_error_message=_("这名儿童在该项目中已有未结案的个案"),
            ),
        ]

    def __str__(self):
        return f"{self.child}·{self.programme.name}"

    def str_without_names(self) -> str:
        return f"{_('帮扶个案')}·{self.programme.name}"

    def get_absolute_url(self):
        return reverse("aid_cases:case_detail", args=[self.pk])


class CaseEventQuerySet(ScopedQuerySet):
    region_path = "case__child__region"
    region_readers = AID_READERS
    region_editors = frozenset()  # the timeline is written by services only

    def visible_to_member(self, user):
        return self.filter(case__in=AidCase.objects.visible_to(user))


class CaseEvent(models.Model):
    """One step of a case's timeline: a status change (or a note on one), by whom, when, why.

    Append-only; the case row keeps the current status, these rows how it got there.
    """

    case = models.ForeignKey(AidCase, verbose_name=_("个案"), on_delete=models.PROTECT, related_name="timeline")
    action = models.CharField(_("操作"), max_length=16)
    from_status = models.CharField(_("原状态"), max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=CaseStatus.choices)
    happened_on = models.DateField(_("日期"))
    at = models.DateTimeField(_("记录时间"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.TextField(_("意见或说明"), blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("个案进程")
        verbose_name_plural = _("个案进程")
        ordering = ["at", "pk"]
        constraints = [
            _choices_valid("aid_caseevent", "to_status", CaseStatus),
            models.CheckConstraint(
                condition=Q(from_status__in=["", *CaseStatus.values]), name="aid_caseevent_from_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.case_id} {self.from_status}→{self.to_status}"


# --- Sponsors and pairings --------------------------------------------------------------------


class SponsorKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("爱心企业")
    INDIVIDUAL = "individual", _("爱心人士")
    PARTY_MEMBER = "party_member", _("党员")
    ORGANISATION = "organisation", _("单位或组织")


class SponsorQuerySet(ScopedQuerySet):
    """Sponsors of the region; a director the sponsors paired with their committees' cases."""

    region_readers = AID_READERS
    region_editors = AID_READERS

    def visible_to_member(self, user):
        if user.role != Role.COMMITTEE_DIRECTOR:
            return self.none()
        return self.filter(
            pk__in=Pairing.all_objects.filter(case__in=AidCase.all_objects.visible_to(user)).values("sponsor_id")
        )


@pghistory.track()
class Sponsor(PinyinNamed, DomainModel):
    """资助人: an enterprise, an individual, a Party member (a Person) or an organisation."""

    Kind = SponsorKind

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称或姓名"), max_length=100)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("企业必填，18位"),
    )
    person = models.ForeignKey(
        Person, verbose_name=_("党员（人员）"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    payer = models.CharField(
        _("实际付款人"), max_length=100, blank=True, help_text=_("付款人不是资助人本人时填写，如企业负责人个人")
    )
    note = models.TextField(_("备注"), blank=True)

    objects, all_objects = domain_managers(SponsorQuerySet)

    class Meta:
        verbose_name = _("资助人")
        verbose_name_plural = _("资助人")
        ordering = ["pinyin"]
        base_manager_name = "all_objects"
        constraints = [
            _choices_valid("aid_sponsor", "kind", SponsorKind),
            models.CheckConstraint(
                condition=~Q(kind="enterprise") | ~Q(credit_code=""), name="aid_sponsor_enterprise_has_credit_code"
            ),
            models.CheckConstraint(
                condition=~Q(kind="party_member") | Q(person__isnull=False), name="aid_sponsor_party_member_is_person"
            ),
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="aid_sponsor_unique_credit_code",
                violation_error_message=_("该统一社会信用代码已登记为另一资助人"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("aid_cases:sponsor_detail", args=[self.pk])


class PairingStatus(models.TextChoices):
    ACTIVE = "active", _("资助中")
    PAUSED = "paused", _("暂停")
    ENDED = "ended", _("已结束")


class PairingEndReason(models.TextChoices):
    """Why a pairing ended, and so what becomes of the child's case (see `next_case_status`)."""

    COMPLETED = "completed", _("完成学业，资助期满")
    SPONSOR_WITHDREW = "sponsor_withdrew", _("资助人退出")
    CHILD_MOVED = "child_moved", _("儿童迁出")
    NOT_ELIGIBLE = "not_eligible", _("不再符合条件")

    def closes_case_with(self) -> str:
        """The case's close reason, or "" when the case waits for a new sponsor."""
        return {
            "completed": CloseReason.GRADUATED,
            "child_moved": CloseReason.MOVED_AWAY,
            "not_eligible": CloseReason.NOT_ELIGIBLE,
        }.get(self.value, "")


class PairingQuerySet(ScopedQuerySet):
    region_path = "case__child__region"
    region_readers = AID_READERS
    region_editors = AID_READERS

    def visible_to_member(self, user):
        return self.filter(case__in=AidCase.objects.visible_to(user))

    def editable_by_member(self, user):
        return self.filter(case__in=AidCase.objects.editable_by(user))


@pghistory.track()
class Pairing(DomainModel):
    """一对一结对: a sponsor supports one child's case with a monthly amount over a period.

    What is due each month is `monthly_amount` plus the regular supports falling in that
    month, except in paused months (`aid_cases.selectors.pairing_months`).
    """

    personal_record = True
    Status = PairingStatus
    EndReason = PairingEndReason

    sponsor = models.ForeignKey(Sponsor, verbose_name=_("资助人"), on_delete=models.PROTECT, related_name="pairings")
    case = models.ForeignKey(AidCase, verbose_name=_("个案"), on_delete=models.PROTECT, related_name="pairings")
    monthly_amount = _money(_("每月资助（元）"), validators=[MinValueValidator(0)])
    start_on = models.DateField(_("开始日期"))
    planned_end_on = models.DateField(_("计划结束日期"), null=True, blank=True)
    end_condition = models.CharField(_("结束条件"), max_length=100, blank=True, help_text=_("如：直至完成学业"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=32, choices=EndReason.choices, blank=True)

    objects, all_objects = domain_managers(PairingQuerySet)

    class Meta:
        verbose_name = _("结对资助")
        verbose_name_plural = _("结对资助")
        ordering = ["-start_on", "-pk"]
        base_manager_name = "all_objects"
        constraints = [
            _choices_valid("aid_pairing", "status", PairingStatus),
            models.CheckConstraint(
                condition=Q(end_reason__in=["", *PairingEndReason.values]), name="aid_pairing_end_reason_valid"
            ),
            models.CheckConstraint(condition=Q(monthly_amount__gte=0), name="aid_pairing_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(planned_end_on__isnull=True) | Q(planned_end_on__gt=F("start_on")),
                name="aid_pairing_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="ended", ended_on__gte=F("start_on")) & ~Q(end_reason="")
                | ~Q(status="ended") & Q(ended_on__isnull=True, end_reason=""),
                name="aid_pairing_ended_has_date_and_reason",
            ),
        ]

    def __str__(self):
        return f"{self.sponsor}→{self.case.child}"

    def str_without_names(self) -> str:
        return str(_("结对资助"))

    def get_absolute_url(self):
        return self.case.get_absolute_url()


class PairingPartQuerySet(ScopedQuerySet):
    region_path = "pairing__case__child__region"
    region_readers = AID_READERS
    region_editors = AID_READERS

    def visible_to_member(self, user):
        return self.filter(pairing__in=Pairing.objects.visible_to(user))

    def editable_by_member(self, user):
        return self.filter(pairing__in=Pairing.objects.editable_by(user))


@pghistory.track()
class PairingSupport(DomainModel):
    """Other regular support of a pairing: clothes money once a year, school fees each term …"""

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="supports")
    label = models.CharField(_("项目"), max_length=50, help_text=_("如：衣物费、学杂费"))
    amount = _money(_("每次金额（元）"), validators=[MinValueValidator(0)])
    months = ArrayField(
        models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)]),
        verbose_name=_("每年发放月份"),
        help_text=_("如每年6月发放填6；每学期填3和9"),
    )

    objects, all_objects = domain_managers(PairingPartQuerySet)

    class Meta:
        verbose_name = _("其他定期资助")
        verbose_name_plural = _("其他定期资助")
        ordering = ["pk"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="aid_support_amount_positive"),
            models.CheckConstraint(
                condition=Q(months__contained_by=list(range(1, 13))) & Q(months__len__gt=0),
                name="aid_support_months_valid",
            ),
        ]

    def __str__(self):
        return f"{self.label} {self.amount}"

    def get_absolute_url(self):
        return self.pairing.get_absolute_url()


class PairingPause(models.Model):
    """A pause of a pairing from one month to the month it resumed (open while still paused).

    Kept as rows (not overwritten) so the history of pauses stays, and months inside a
    pause owe nothing (`aid_cases.selectors.pairing_months`).
    """

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="pauses")
    from_month = models.DateField(_("暂停起始月"))
    resumed_month = models.DateField(_("恢复月"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=200)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("结对暂停")
        verbose_name_plural = _("结对暂停")
        ordering = ["from_month"]
        constraints = [
            models.CheckConstraint(condition=Q(from_month__day=1), name="aid_pause_from_first_of_month"),
            models.CheckConstraint(
                condition=Q(resumed_month__isnull=True) | Q(resumed_month__day=1, resumed_month__gt=F("from_month")),
                name="aid_pause_resumed_after_start",
            ),
        ]

    def __str__(self):
        return (
            f"{self.from_month:%Y-%m}–{self.resumed_month:%Y-%m}" if self.resumed_month else f"{self.from_month:%Y-%m}–"
        )


# --- Disbursements ----------------------------------------------------------------------------


class DisbursementQuerySet(ScopedQuerySet):
    region_path = "case__child__region"
    region_readers = AID_READERS
    region_editors = AID_READERS
    action_rules = {"reverse": "editable_by"}

    def visible_to_member(self, user):
        return self.filter(case__in=AidCase.objects.visible_to(user))

    def editable_by_member(self, user):
        return self.filter(case__in=AidCase.objects.editable_by(user))


def receipt_upload_to(instance, filename):
    # Served by aid_cases:disbursement_receipt only (scoped); the stored name says nothing.
    return f"aid/receipts/{timezone.localdate():%Y/%m}/{filename}"


@pghistory.track()
class Disbursement(DomainModel):
    """发放: cash and/or goods handed to a child under a case (and a pairing, if it pays one).

    `for_month` is the month of the pairing it pays (a late payment pays an earlier month).
    A disbursement is never edited once its month is closed: a correction is a reversing
    entry (`reverses`, the amounts negated) and both stay visible. A funds ledger may point
    at a disbursement later (the money came out of which fund): this row carries no ledger field.
    """

    personal_record = True

    case = models.ForeignKey(AidCase, verbose_name=_("个案"), on_delete=models.PROTECT, related_name="disbursements")
    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), null=True, blank=True, on_delete=models.PROTECT, related_name="disbursements"
    )
    paid_on = models.DateField(_("发放日期"))
    for_month = models.DateField(_("所属月份"), help_text=_("结对资助所对应的月份；补发往月时选往月"))
    amount = _money(_("现金（元）"), default=0)
    goods_value = _money(_("物品价值（元）"), default=0, editable=False)
    handed_over_by = models.ForeignKey(
        Person,
        verbose_name=_("发放人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    present = models.CharField(_("在场人员"), max_length=200, blank=True, help_text=_("如：镇关工委主任、村干部"))
    receipt = models.FileField(_("签收单或照片"), upload_to=receipt_upload_to, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲销的发放"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where a Volunteer (五老志愿者) handed it over, a link to volunteers.Volunteer belongs here
    # once that app has models; until then the volunteer is the Person in `handed_over_by`.

    objects, all_objects = domain_managers(DisbursementQuerySet)

    class Meta:
        verbose_name = _("发放")
        verbose_name_plural = _("发放")
        ordering = ["-paid_on", "-pk"]
        base_manager_name = "all_objects"
        permissions = [("reverse_disbursement", _("可冲销发放"))]
        indexes = [models.Index(fields=["pairing", "for_month"], name="aid_disb_pairing_month")]
        constraints = [
            models.CheckConstraint(condition=Q(for_month__day=1), name="aid_disb_for_month_first_day"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=False) | Q(amount__gte=0, goods_value__gte=0),
                name="aid_disb_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | Q(amount__lte=0, goods_value__lte=0),
                name="aid_disb_reversal_negates",
            ),
        ]

    def __str__(self):
        return f"{self.paid_on:%Y-%m-%d} {self.amount + self.goods_value}"

    def str_without_names(self) -> str:
        return str(self)

    def get_absolute_url(self):
        return reverse("aid_cases:disbursement_detail", args=[self.pk])

    @property
    def total(self):
        return self.amount + self.goods_value

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class DisbursementItem(models.Model):
    """One line of goods handed over: what, how many, worth how much in all."""

    disbursement = models.ForeignKey(
        Disbursement, verbose_name=_("发放"), on_delete=models.PROTECT, related_name="items"
    )
    description = models.CharField(_("物品"), max_length=100)
    quantity = models.IntegerField(_("数量"))
    value = _money(_("价值（元）"))

    class Meta:
        verbose_name = _("发放物品")
        verbose_name_plural = _("发放物品")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.description}×{self.quantity}"


class MonthClosing(models.Model):
    """A committee's month closed for disbursements: nothing dated in it is entered or changed any more."""

    committee = models.ForeignKey(
        YouthCareCommittee, verbose_name=_("关工委"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("月份"))
    closed_at = models.DateTimeField(_("结账时间"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("结账人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("月结")
        verbose_name_plural = _("月结")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "month"], name="aid_month_closed_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="aid_month_closing_first_day"),
        ]

    def __str__(self):
        return f"{self.committee} {self.month:%Y-%m}"


# --- Care visits and drives -------------------------------------------------------------------


class CommitteeWorkQuerySet(ScopedQuerySet):
    """Visits and drives belong to a committee: its region's offices, its directors."""

    region_path = "committee__region"
    region_readers = AID_READERS
    region_editors = AID_READERS

    def visible_to_member(self, user):
        if user.role != Role.COMMITTEE_DIRECTOR:
            return self.none()
        led = _led_committees(user)
        return self.filter(Q(committee_id__in=led) | Q(committee__parent_id__in=led))

    def editable_by_member(self, user):
        if user.role != Role.COMMITTEE_DIRECTOR:
            return self.none()
        return self.filter(committee_id__in=_led_committees(user))


class Occasion(models.TextChoices):
    CHILDRENS_DAY = "childrens_day", _("六一")
    SPRING_FESTIVAL = "spring_festival", _("春节")
    SCHOOL_START = "school_start", _("开学")
    ILLNESS = "illness", _("生病住院")
    HOME_VISIT = "home_visit", _("走访")
    OTHER = "other", _("其他")


@pghistory.track()
class CareVisit(DomainModel):
    """慰问: a visit to children. Each child visited counts one person-time (人次); children the
    visit reached who are not on record are counted in `unregistered_children`."""

    Occasion = Occasion

    committee = models.ForeignKey(
        YouthCareCommittee, verbose_name=_("组织关工委"), on_delete=models.PROTECT, related_name="care_visits"
    )
    visited_on = models.DateField(_("慰问日期"))
    occasion = models.CharField(_("慰问由头"), max_length=16, choices=Occasion.choices)
    children = models.ManyToManyField(Child, verbose_name=_("慰问的儿童"), blank=True, related_name="care_visits")
    unregistered_children = models.PositiveIntegerField(
        _("未建档儿童人数"), default=0, help_text=_("慰问到但未登记为受助儿童的人数，只计人次")
    )
    visitors = models.ManyToManyField(Person, verbose_name=_("慰问人员"), blank=True, related_name="+")
    visitors_note = models.CharField(
        _("其他慰问人员"), max_length=200, blank=True, help_text=_("如：镇党委副书记、五老志愿者3人")
    )
    # Five-elders volunteers visit too: a link to volunteers.Volunteer goes here once that app has models.
    cash = _money(_("慰问金（元）"), default=0, validators=[MinValueValidator(0)])
    goods = models.CharField(_("慰问物品"), max_length=200, blank=True)
    goods_value = _money(_("物品价值（元）"), default=0, validators=[MinValueValidator(0)])
    note = models.TextField(_("备注"), blank=True)

    objects, all_objects = domain_managers(CommitteeWorkQuerySet)

    class Meta:
        verbose_name = _("慰问")
        verbose_name_plural = _("慰问")
        ordering = ["-visited_on", "-pk"]
        base_manager_name = "all_objects"
        constraints = [
            _choices_valid("aid_carevisit", "occasion", Occasion),
            models.CheckConstraint(condition=Q(cash__gte=0, goods_value__gte=0), name="aid_carevisit_money"),
        ]

    def __str__(self):
        return f"{self.visited_on:%Y-%m-%d} {self.get_occasion_display()}"

    def get_absolute_url(self):
        return reverse("aid_cases:carevisit_detail", args=[self.pk])


@pghistory.track()
class Drive(DomainModel):
    """倡议 / 募捐: a donation drive for one child's case or a cause. Its totals are always
    the sums of its donations and payouts (`aid_cases.selectors.drive_totals`), never stored."""

    committee = models.ForeignKey(
        YouthCareCommittee, verbose_name=_("发起关工委"), on_delete=models.PROTECT, related_name="drives"
    )
    title = models.CharField(_("名称"), max_length=100)
    case = models.ForeignKey(
        AidCase, verbose_name=_("受助个案"), null=True, blank=True, on_delete=models.PROTECT, related_name="drives"
    )
    cause = models.CharField(_("事由"), max_length=200, blank=True, help_text=_("不针对某一个案时填写"))
    launched_on = models.DateField(_("发起日期"))
    launched_by = models.CharField(_("发起人或单位"), max_length=100)
    appeal = models.TextField(_("倡议书内容"), blank=True)
    target = _money(_("目标金额（元）"), null=True, blank=True, validators=[MinValueValidator(0)])
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)

    objects, all_objects = domain_managers(CommitteeWorkQuerySet)

    class Meta:
        verbose_name = _("募捐")
        verbose_name_plural = _("募捐")
        ordering = ["-launched_on", "-pk"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(condition=Q(case__isnull=False) | ~Q(cause=""), name="aid_drive_for_case_or_cause"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("launched_on")), name="aid_drive_closed_after"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("aid_cases:drive_detail", args=[self.pk])


class DriveEntryQuerySet(CommitteeWorkQuerySet):
    region_path = "drive__committee__region"

    def visible_to_member(self, user):
        return self.filter(drive__in=Drive.objects.visible_to(user))

    def editable_by_member(self, user):
        return self.filter(drive__in=Drive.objects.editable_by(user))


@pghistory.track()
class Donation(DomainModel):
    """A donation to a drive: from a named donor (or a sponsor on record) or anonymous; cash and/or goods."""

    drive = models.ForeignKey(Drive, verbose_name=_("募捐"), on_delete=models.PROTECT, related_name="donations")
    received_on = models.DateField(_("收到日期"))
    donor = models.CharField(_("捐赠人"), max_length=100, blank=True, help_text=_("不填即为匿名"))
    sponsor = models.ForeignKey(
        Sponsor, verbose_name=_("资助人"), null=True, blank=True, on_delete=models.PROTECT, related_name="donations"
    )
    amount = _money(_("现金（元）"), default=0, validators=[MinValueValidator(0)])
    goods = models.CharField(_("物品"), max_length=200, blank=True)
    goods_value = _money(_("物品价值（元）"), default=0, validators=[MinValueValidator(0)])

    objects, all_objects = domain_managers(DriveEntryQuerySet)

    class Meta:
        verbose_name = _("捐赠")
        verbose_name_plural = _("捐赠")
        ordering = ["-received_on", "-pk"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0, goods_value__gte=0) & (Q(amount__gt=0) | Q(goods_value__gt=0)),
                name="aid_donation_something_given",
            ),
        ]

    def __str__(self):
        return f"{self.donor or _('匿名')} {self.amount + self.goods_value}"

    def get_absolute_url(self):
        return self.drive.get_absolute_url()

    @property
    def donor_label(self) -> str:
        return self.donor or (self.sponsor.name if self.sponsor_id else str(_("匿名")))


@pghistory.track()
class Payout(DomainModel):
    """Money paid out of a drive: to whom (usually the child's case), what for."""

    drive = models.ForeignKey(Drive, verbose_name=_("募捐"), on_delete=models.PROTECT, related_name="payouts")
    paid_on = models.DateField(_("支出日期"))
    payee = models.CharField(_("收款人"), max_length=100)
    purpose = models.CharField(_("用途"), max_length=200)
    amount = _money(_("金额（元）"), validators=[MinValueValidator(0)])

    objects, all_objects = domain_managers(DriveEntryQuerySet)

    class Meta:
        verbose_name = _("募捐支出")
        verbose_name_plural = _("募捐支出")
        ordering = ["-paid_on", "-pk"]
        base_manager_name = "all_objects"
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="aid_payout_amount_positive")]

    def __str__(self):
        return f"{self.payee} {self.amount}"

    def get_absolute_url(self):
        return self.drive.get_absolute_url()
