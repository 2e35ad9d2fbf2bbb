"""Honours given to branches, committees and people, and the yearly assessments."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from branches.models.activities import Activity
from branches.models.organisation import Branch, Post, YouthCareCommittee, _choices_valid
from branches.models.people import Need
from core.formatting import format_partial_date
from core.models import DatePrecision, DomainModel, Person, Region, domain_managers
from core.scoping import Role, ScopedQuerySet


def _exactly_one(prefix: str, *fields: str) -> models.CheckConstraint:
    condition = Q()
    for chosen in fields:
        term = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                term &= Q(**{f"{other}__isnull": True})
        condition |= term
    return models.CheckConstraint(
        condition=condition,
        name=f"{prefix}_exactly_one_target",
        violation_error_message=_("请选择且只选择一个对象"),
    )


class TargetQuerySet(ScopedQuerySet):
    """Rows about a branch, a committee (or a person): scoped through whichever is set."""

    region_readers = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF, Role.LEADER})
    person_target = False

    def in_region(self, region):
        prefix = region.prefix
        condition = Q(branch__region__code__startswith=prefix) | Q(committee__region__code__startswith=prefix)
        if self.person_target:
            condition |= Q(person__region__code__startswith=prefix)
        return self.filter(condition)

    def visible_to_member(self, user):
        if user.role == Role.BRANCH_SECRETARY:
            return self.filter(branch_id__in=Post.objects.branch_ids_held_by(user))
        return self.filter(committee_id__in=Post.objects.committee_ids_led_by(user))

    def editable_by(self, user):
        """As ScopedQuerySet, but committee staff (关工委办公室) change committees' rows only.

        A branch's (or a person's) honour or assessment is county staff's
        business: the office may read it, never change it. One WHERE clause more.
        """
        rows = super().editable_by(user)
        if getattr(user, "role", None) == Role.COMMITTEE_STAFF:
            rows = rows.filter(committee__isnull=False)
        return rows


class HonourQuerySet(TargetQuerySet):
    person_target = True
    region_editors = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF})


class HonourLevel(models.TextChoices):
    TOWN = "town", _("乡镇（街道）级")
    COUNTY = "county", _("县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("国家级")


@pghistory.track()
class Honour(DomainModel):
    """A title given to a branch, a committee or a person (六好党支部, 优秀共产党员 …)."""

    Level = HonourLevel

    title = models.CharField(
        _("荣誉名称"),
        max_length=100,
        help_text=_("如：六好党支部、五好基层关工委、优秀共产党员"),
    )
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    awarded_by = models.CharField(_("授予单位"), max_length=100)
    awarded_on = models.DateField(_("授予日期"))
    # Many honours are known only to the month or the year ("2024年6月", "2021年"): kept on the first
    # day of it, shown as written, sorted by that day.
    awarded_precision = models.CharField(
        _("日期准确到"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("原始材料只记到月或年时选“月”或“年”，日期填该月或该年中的任一天"),
    )
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("支部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    committee = models.ForeignKey(
        YouthCareCommittee,
        verbose_name=_("关工委"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("个人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects, all_objects = domain_managers(HonourQuerySet)

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ["-awarded_on"]
        base_manager_name = "all_objects"
        constraints = [
            _choices_valid("branches_honour", "level", HonourLevel),
            _choices_valid("branches_honour", "awarded_precision", DatePrecision),
            _exactly_one("branches_honour", "branch", "committee", "person"),
        ]

    def __str__(self):
        return f"{self.recipient} {self.title}"

    def get_absolute_url(self):
        return reverse("branches:honour_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.awarded_on:
            self.awarded_on = DatePrecision(self.awarded_precision or DatePrecision.DAY).start_of(self.awarded_on)

    @property
    def awarded_display(self) -> str:
        """The date as the records know it: "2024年6月5日", "2024年6月" or "2024年"."""
        return format_partial_date(self.awarded_on, self.awarded_precision)

    def str_without_names(self) -> str:
        """How viewers who may not see names (leaders) see it named: a person's honour by its title alone."""
        return self.title if self.person_id else str(self)

    @property
    def recipient(self):
        return self.branch or self.committee or self.person


def _member_county_codes(user):
    """Subquery: the county codes (`XXXXXX000000`) of a secretary's branches or a director's committees."""
    if user.role == Role.BRANCH_SECRETARY:
        rows = Branch.objects.filter(pk__in=Post.objects.branch_ids_held_by(user))
    else:
        rows = YouthCareCommittee.objects.filter(pk__in=Post.objects.committee_ids_led_by(user))
    return rows.annotate(county_code=Region.county_code_sql("region_id")).values("county_code")


class SchemeQuerySet(ScopedQuerySet):
    """Shipped schemes (no region) are visible to all; a county's own to its users
    (secretaries and directors: the county of their branches or committees).

    `scheme_path` is the lookup from a row to its scheme ("" for a scheme itself),
    so a scheme's criteria follow the same rules (CriterionQuerySet).
    """

    scheme_path = ""
    region_readers = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF, Role.LEADER})
    region_editors = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF})
    # 复制到本县 has a rule of its own (core.access: the `copy` action).
    action_rules = {"copy": "copyable_by"}

    def _on_scheme(self, lookup: str, value) -> Q:
        return Q(**{f"{self.scheme_path}__{lookup}" if self.scheme_path else lookup: value})

    def in_region(self, region):
        return self.filter(
            self._on_scheme("region__isnull", True) | self._on_scheme("region__code__startswith", region.prefix[:6])
        )

    def visible_to_member(self, user):
        return self.filter(
            self._on_scheme("region__isnull", True) | self._on_scheme("region_id__in", _member_county_codes(user))
        )

    def _committee_schemes_for_committee_staff(self, rows, user):
        # 关工委办公室 work with committee schemes (五好基层关工委) only; branch schemes are county staff's.
        if getattr(user, "role", None) == Role.COMMITTEE_STAFF:
            return rows.filter(self._on_scheme("target", AssessmentSchemeTarget.COMMITTEE))
        return rows

    def editable_by(self, user):
        """A county's own schemes (shipped ones only by administrators); committee staff committee schemes only."""
        rows = super().editable_by(user)
        if getattr(user, "role", None) != Role.ADMIN:
            rows = rows.exclude(self._on_scheme("region__isnull", True))
        return self._committee_schemes_for_committee_staff(rows, user)

    def copyable_by(self, user):
        """Schemes the user may copy into their county: those they see; committee staff committee schemes only.

        Whether the copy may go into a county is asked of the copy (`editable_by`).
        """
        return self._committee_schemes_for_committee_staff(self.visible_to(user), user)


class AssessmentSchemeTarget(models.TextChoices):
    BRANCH = "branch", _("党支部")
    COMMITTEE = "committee", _("关工委")


@pghistory.track()
class AssessmentScheme(DomainModel):
    """A criteria list (六好党支部, 五好基层关工委). Shipped defaults have no region;
    a county copies one and edits its own."""

    Target = AssessmentSchemeTarget

    name = models.CharField(_("名称"), max_length=100)
    target = models.CharField(_("评估对象"), max_length=16, choices=Target.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("适用县（区）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("说明"), blank=True)

    objects, all_objects = domain_managers(SchemeQuerySet)

    class Meta:
        verbose_name = _("评估标准")
        verbose_name_plural = _("评估标准")
        ordering = ["target", "name"]
        base_manager_name = "all_objects"
        permissions = [("copy_assessmentscheme", _("可复制评估标准到本县"))]
        constraints = [_choices_valid("branches_scheme", "target", AssessmentSchemeTarget)]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("branches:scheme_detail", args=[self.pk])


class CriterionQuerySet(SchemeQuerySet):
    """A criterion is read and changed with its scheme."""

    scheme_path = "scheme"
    action_rules = {}


@pghistory.track()
class AssessmentCriterion(DomainModel):
    """One item of a criteria list, with the most points it can earn."""

    scheme = models.ForeignKey(
        AssessmentScheme,
        verbose_name=_("评估标准"),
        on_delete=models.PROTECT,
        related_name="criteria",
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("项目"), max_length=100)
    description = models.TextField(_("评分要点"), blank=True)
    max_score = models.DecimalField(_("分值"), max_digits=5, decimal_places=1, default=10)

    objects, all_objects = domain_managers(CriterionQuerySet)

    class Meta:
        verbose_name = _("评估项目")
        verbose_name_plural = _("评估项目")
        ordering = ["scheme", "order"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gt=0),
                name="branches_criterion_max_score_positive",
            )
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"

    def get_absolute_url(self):
        return reverse("branches:scheme_detail", args=[self.scheme_id])


# Where a reviewer may sit: a town (乡镇审核) or a county (县级审定).
REVIEW_LEVELS = (Region.Level.TOWN, Region.Level.COUNTY)


class AssessmentQuerySet(TargetQuerySet):
    region_editors = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF})
    # Reviewing (乡镇审核, 县级审定, 退回修改) has a rule of its own (core.access: the `review` action).
    action_rules = {"review": "reviewable_by"}

    def editable_by_member(self, user):
        return self.visible_to_member(user)

    def reviewable_by(self, user):
        """Assessments the user reviews: county staff (老干部局) sitting at a town or a county
        review the targets inside it; administrators all; nobody else any.

        Which review they give follows from where they sit: staff of a town the town
        review, the others the county review (services.recognition.review_level).
        One WHERE clause on the target's region code.
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role == Role.ADMIN:
            return self
        region = user.region
        if user.role == Role.COUNTY_STAFF and region is not None and region.level in REVIEW_LEVELS:
            return self.in_region(region)
        return self.none()


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    TOWN_REVIEWED = "town_reviewed", _("乡镇已审核")
    REVIEWED = "reviewed", _("县级已审定")
    RETURNED = "returned", _("已退回修改")


@pghistory.track()
class Assessment(DomainModel):
    """A yearly self-assessment against a scheme, reviewed by the town, then the county."""

    Status = AssessmentStatus

    scheme = models.ForeignKey(
        AssessmentScheme,
        verbose_name=_("评估标准"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("支部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    committee = models.ForeignKey(
        YouthCareCommittee,
        verbose_name=_("关工委"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    town_comment = models.TextField(_("乡镇审核意见"), blank=True, editable=False)
    town_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("乡镇审核人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    town_reviewed_at = models.DateTimeField(_("乡镇审核时间"), null=True, blank=True, editable=False)
    county_comment = models.TextField(_("县级审定意见"), blank=True, editable=False)
    county_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("县级审定人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    county_reviewed_at = models.DateTimeField(_("县级审定时间"), null=True, blank=True, editable=False)

    objects, all_objects = domain_managers(AssessmentQuerySet)

    class Meta:
        verbose_name = _("年度评估")
        verbose_name_plural = _("年度评估")
        ordering = ["-year"]
        base_manager_name = "all_objects"
        permissions = [("review_assessment", _("可审核年度评估"))]
        constraints = [
            _choices_valid("branches_assessment", "status", AssessmentStatus),
            _exactly_one("branches_assessment", "branch", "committee"),
            models.UniqueConstraint(
                fields=["scheme", "year", "branch"],
                condition=Q(branch__isnull=False, archived_at__isnull=True),
                name="branches_assessment_once_a_year_per_branch",
                violation_error_message=_("该支部本年度已有这项评估"),
            ),
            models.UniqueConstraint(
                fields=["scheme", "year", "committee"],
                condition=Q(committee__isnull=False, archived_at__isnull=True),
                name="branches_assessment_once_a_year_per_committee",
                violation_error_message=_("该关工委本年度已有这项评估"),
            ),
        ]

    def __str__(self):
        return gettext("%(year)s年 %(target)s %(scheme)s") % {
            "year": self.year,
            "target": self.target,
            "scheme": self.scheme,
        }

    def get_absolute_url(self):
        return reverse("branches:assessment_detail", args=[self.pk])

    @property
    def target(self):
        return self.branch or self.committee

    @property
    def is_editable_by_target(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class AssessmentItemQuerySet(ScopedQuerySet):
    region_readers = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF, Role.LEADER})
    region_editors = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF})

    def in_region(self, region):
        return self.filter(assessment__in=Assessment.objects.in_region(region))

    def visible_to_member(self, user):
        return self.filter(assessment__in=Assessment.objects.visible_to_member(user))

    def editable_by_member(self, user):
        return self.visible_to_member(user)

    def editable_by(self, user):
        """As the assessment: committee staff change committees' items only."""
        rows = super().editable_by(user)
        if getattr(user, "role", None) == Role.COMMITTEE_STAFF:
            rows = rows.filter(assessment__committee__isnull=False)
        return rows


@pghistory.track()
class AssessmentItem(DomainModel):
    """A criterion's self-score, with evidence linked to records in the system."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("评估"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    criterion = models.ForeignKey(
        AssessmentCriterion,
        verbose_name=_("评估项目"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    self_score = models.DecimalField(_("自评分"), max_digits=5, decimal_places=1, null=True, blank=True)
    evidence = models.TextField(_("自评说明"), blank=True)
    activities = models.ManyToManyField(Activity, verbose_name=_("佐证活动"), blank=True, related_name="+")
    needs = models.ManyToManyField(Need, verbose_name=_("佐证需求办理"), blank=True, related_name="+")
    town_score = models.DecimalField(_("乡镇评分"), max_digits=5, decimal_places=1, null=True, blank=True)
    county_score = models.DecimalField(_("县级评分"), max_digits=5, decimal_places=1, null=True, blank=True)

    objects, all_objects = domain_managers(AssessmentItemQuerySet)

    class Meta:
        verbose_name = _("评估项")
        verbose_name_plural = _("评估项")
        ordering = ["criterion__order"]
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="branches_assessmentitem_once"),
            models.CheckConstraint(
                condition=(Q(self_score__isnull=True) | Q(self_score__gte=0))
                & (Q(town_score__isnull=True) | Q(town_score__gte=0))
                & (Q(county_score__isnull=True) | Q(county_score__gte=0)),
                name="branches_assessmentitem_scores_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.assessment} {self.criterion}"
