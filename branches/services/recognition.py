"""Writes of the recognition area: copying a criteria list, reordering it, and the
status flow of a yearly assessment.

    draft ──submit──> submitted ──town review──> town_reviewed ──county review──> reviewed
      ^                  │  └────────── county review (no town reviewer) ──────────^
      └──── returned <───┴──────────────── return ───────────┘

Every function is one transaction, takes keyword arguments only, and raises a
`ValidationError` in Chinese when the step is not allowed now or not by this user.
Who may do a step is asked of `core.access` (the `change` and `review` actions).
"""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Assessment, AssessmentCriterion, AssessmentItem, AssessmentScheme
from branches.selectors.recognition import has_town_reviewer, points
from core import access
from core.formatting import join_clauses
from core.models import Region

Status = Assessment.Status


# --- Schemes --------------------------------------------------------------------------------


@transaction.atomic
def scheme_copy_for_region(*, scheme: AssessmentScheme, region: Region, by) -> AssessmentScheme:
    """Copy a scheme and its active criteria into a county, which may then edit its copy.

    403 unless the user may copy this scheme (`copy`) and change the copy (so
    nobody copies into another county). Queries: the access checks, a duplicate
    check, one insert for the scheme, one bulk insert for the criteria.
    """
    access.require(by, "copy", scheme)
    if region is None or region.level != Region.Level.COUNTY:
        raise ValidationError(_("只能复制到县（区）：您的账号没有所属县（区）。"))
    if AssessmentScheme.objects.filter(region=region, name=scheme.name, target=scheme.target).exists():
        raise ValidationError(
            _("%(region)s已有“%(name)s”，请直接编辑本县的评估标准。") % {"region": region.name, "name": scheme.name}
        )
    copy = AssessmentScheme(name=scheme.name, target=scheme.target, region=region, description=scheme.description)
    copy.full_clean()
    copy.save()
    access.require(by, "change", copy)  # refused: the transaction takes the copy back
    AssessmentCriterion.objects.bulk_create(
        AssessmentCriterion(
            scheme=copy,
            order=criterion.order,
            title=criterion.title,
            description=criterion.description,
            max_score=criterion.max_score,
        )
        for criterion in scheme.criteria.order_by("order", "pk")
    )
    return copy


def next_criterion_order(scheme: AssessmentScheme) -> int:
    return (scheme.criteria.aggregate(n=Max("order"))["n"] or 0) + 1


@transaction.atomic
def criterion_move(*, criterion: AssessmentCriterion, up: bool, by) -> None:
    """Swap a criterion with its neighbour above (or below), numbering the list 1..n again.

    Queries: one locking read of the scheme's criteria and one bulk update.
    """
    siblings = list(
        AssessmentCriterion.objects.select_for_update().filter(scheme_id=criterion.scheme_id).order_by("order", "pk")
    )
    index = next(i for i, c in enumerate(siblings) if c.pk == criterion.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    changed = []
    for number, item in enumerate(siblings, start=1):
        if item.order != number:
            item.order = number
            changed.append(item)
    AssessmentCriterion.objects.bulk_update(changed, ["order"])


# --- Assessments ----------------------------------------------------------------------------


def _locked(assessment: Assessment) -> Assessment:
    """The assessment read again under a row lock, so two reviewers cannot both move it on."""
    return (
        Assessment.all_objects.select_for_update(of=("self",))
        .select_related("branch", "committee")
        .get(pk=assessment.pk)
    )


def _refresh(target: Assessment) -> Assessment:
    """The caller's instance reloaded: the new state, with the version the database gave it."""
    target.refresh_from_db()
    return target


def _status_error(assessment: Assessment, action: str) -> ValidationError:
    return ValidationError(
        _("当前状态为“%(status)s”，不能%(action)s。") % {"status": assessment.get_status_display(), "action": action},
        code="illegal_transition",
    )


def review_level(by) -> str:
    """Which review a reviewer gives: "town" for staff sitting at a town (乡镇、街道), else "county".

    Whom they may review at all is `core.access`'s question (`review`: AssessmentQuerySet.reviewable_by).
    """
    region = by.region
    return "town" if region is not None and region.level == Region.Level.TOWN else "county"


def check_town_reviewer(assessment: Assessment, by) -> None:
    """Town review: staff whose own region is the town (乡镇、街道) containing the target."""
    if not (access.can(by, "review", assessment) and review_level(by) == "town"):
        raise ValidationError(_("乡镇审核须由评估对象所在乡镇（街道）的工作人员进行。"), code="not_town_reviewer")


def check_county_reviewer(assessment: Assessment, by) -> None:
    """County review: staff of the county containing the target (or an administrator)."""
    if not (access.can(by, "review", assessment) and review_level(by) == "county"):
        raise ValidationError(_("县级审定须由评估对象所在县（区）的老干部局工作人员进行。"), code="not_county_reviewer")


def check_town_review_allowed(assessment: Assessment, by) -> None:
    if assessment.status != Status.SUBMITTED:
        raise _status_error(assessment, _("进行乡镇审核"))
    check_town_reviewer(assessment, by)


def check_county_review_allowed(assessment: Assessment, by) -> None:
    if assessment.status == Status.SUBMITTED and has_town_reviewer(assessment):
        raise ValidationError(_("请先由乡镇（街道）审核，再由县级审定。"), code="town_review_first")
    if assessment.status not in (Status.SUBMITTED, Status.TOWN_REVIEWED):
        raise _status_error(assessment, _("进行县级审定"))
    check_county_reviewer(assessment, by)


def _clean_scores(items, scores: Mapping, *, label: str) -> dict[int, Decimal]:
    """Every item needs a score between 0 and its criterion's maximum."""
    cleaned, problems = {}, []
    for item in items:
        value = scores.get(item.pk)
        if value in (None, ""):
            problems.append(_("“%(title)s”未打分") % {"title": item.criterion.title})
            continue
        value = Decimal(value)
        if not 0 <= value <= item.criterion.max_score:
            problems.append(
                _("“%(title)s”的分数应在0到%(max)s之间")
                % {"title": item.criterion.title, "max": points(item.criterion.max_score)}
            )
        cleaned[item.pk] = value
    if problems:
        raise ValidationError(_("%(label)s：%(problems)s。") % {"label": label, "problems": join_clauses(problems)})
    return cleaned


def _comment(comment: str, message: str) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(message, code="comment_required")
    return comment


@transaction.atomic
def assessment_start(
    *,
    scheme: AssessmentScheme,
    year: int,
    branch=None,
    committee=None,
    by,
) -> Assessment:
    """Start a year's self-assessment of a branch or committee, one item per active criterion.

    The database allows one assessment per scheme, year and target; a second
    one is refused with a clear message. Queries: the criteria, the checks of
    `full_clean`, one insert and one bulk insert.
    """
    if (branch is None) == (committee is None):
        raise ValidationError(_("请选择且只选择一个评估对象：支部或关工委。"))
    expected = AssessmentScheme.Target.BRANCH if branch is not None else AssessmentScheme.Target.COMMITTEE
    if scheme.target != expected:
        raise ValidationError(
            _("“%(scheme)s”用于评估%(target)s，请换一个评估对象或评估标准。")
            % {"scheme": scheme.name, "target": scheme.get_target_display()}
        )
    if scheme.is_archived:
        raise ValidationError(_("该评估标准已删除，不能再用于新的评估。"))
    target = branch or committee
    if scheme.region_id and not scheme.region.contains(target.region):
        raise ValidationError(_("该评估标准属于其他县（区），不能用于本评估对象。"))
    this_year = timezone.localdate().year
    if not 2000 <= int(year) <= this_year + 1:
        raise ValidationError(_("年度应在2000年到%(year)s年之间。") % {"year": this_year + 1})
    criteria = list(scheme.criteria.order_by("order", "pk"))
    if not criteria:
        raise ValidationError(_("该评估标准还没有评估项目，请先添加评估项目。"))
    assessment = Assessment(scheme=scheme, year=year, branch=branch, committee=committee)
    assessment.full_clean()  # also runs the database's once-a-year constraint as a query
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError as error:  # two people starting it at the same moment
        raise ValidationError(_("该评估对象本年度已有这项评估。"), code="duplicate") from error
    AssessmentItem.objects.bulk_create(
        AssessmentItem(assessment=assessment, criterion=criterion) for criterion in criteria
    )
    return assessment


@transaction.atomic
def assessment_submit(*, assessment: Assessment, by) -> Assessment:
    """draft / returned → submitted, once every item has a self-score within its maximum.

    403 unless the user may change the assessment (its branch or committee fills it in).
    """
    access.require(by, "change", assessment)
    current = _locked(assessment)
    if current.status not in (Status.DRAFT, Status.RETURNED):
        raise _status_error(current, _("提交"))
    items = list(AssessmentItem.objects.filter(assessment=current).select_related("criterion"))
    _clean_scores(items, {item.pk: item.self_score for item in items}, label=_("请先完成自评"))
    current.status = Status.SUBMITTED
    current.submitted_at = timezone.now()
    # A new round of review: earlier reviews (and returns) stay in the history.
    current.town_comment = current.county_comment = ""
    current.town_reviewed_by = current.county_reviewed_by = None
    current.town_reviewed_at = current.county_reviewed_at = None
    current.save()
    return _refresh(assessment)


def _save_scores(items, scores: dict[int, Decimal], field: str) -> None:
    for item in items:
        setattr(item, field, scores[item.pk])
    AssessmentItem.objects.bulk_update(items, [field])


@transaction.atomic
def assessment_town_review(*, assessment: Assessment, comment: str, scores: Mapping, by) -> Assessment:
    """submitted → town_reviewed, by staff of the target's town, with a score for every item.

    `scores` maps item ids to points (0 … the criterion's maximum).
    """
    current = _locked(assessment)
    check_town_review_allowed(current, by)
    comment = _comment(comment, _("请填写乡镇审核意见。"))
    items = list(AssessmentItem.objects.filter(assessment=current).select_related("criterion"))
    _save_scores(items, _clean_scores(items, scores, label=_("乡镇评分")), "town_score")
    current.status = Status.TOWN_REVIEWED
    current.town_comment = comment
    current.town_reviewed_by = by
    current.town_reviewed_at = timezone.now()
    current.save()
    return _refresh(assessment)


@transaction.atomic
def assessment_county_review(*, assessment: Assessment, comment: str, scores: Mapping, by) -> Assessment:
    """town_reviewed → reviewed (or submitted → reviewed where the target's town has no
    reviewer), by staff of the county, with a score for every item."""
    current = _locked(assessment)
    check_county_review_allowed(current, by)
    comment = _comment(comment, _("请填写县级审定意见。"))
    items = list(AssessmentItem.objects.filter(assessment=current).select_related("criterion"))
    _save_scores(items, _clean_scores(items, scores, label=_("县级评分")), "county_score")
    current.status = Status.REVIEWED
    current.county_comment = comment
    current.county_reviewed_by = by
    current.county_reviewed_at = timezone.now()
    current.save()
    return _refresh(assessment)


@transaction.atomic
def assessment_review_undo(*, assessment: Assessment, level: str, before: str, version: int, by) -> Assessment:
    """Undo a town review or a county 审定 (core.undo): the assessment goes back to the status it
    had before the review (`before`), if nothing changed since (`version`). The scores and comment
    stay as a draft for the reviewer to correct; the history keeps the undone review."""
    current = _locked(assessment)
    reviewed = Status.TOWN_REVIEWED if level == "town" else Status.REVIEWED
    allowed_before = {Status.SUBMITTED} if level == "town" else {Status.SUBMITTED, Status.TOWN_REVIEWED}
    if current.status != reviewed or current.version != version or before not in allowed_before:
        raise ValidationError(_("审核后这项评估又有变动，不能撤销；请打开评估查看。"), code="changed_since")
    (check_town_reviewer if level == "town" else check_county_reviewer)(current, by)
    current.status = before
    setattr(current, f"{level}_reviewed_by", None)
    setattr(current, f"{level}_reviewed_at", None)
    current.save()
    return _refresh(assessment)


@transaction.atomic
def assessment_return(*, assessment: Assessment, comment: str, by) -> Assessment:
    """submitted / town_reviewed → returned, with the reason, by the town or county reviewer.

    The town may return what it has not reviewed yet; the county may return
    anything not yet finally reviewed. The comment is kept at the reviewer's level.
    """
    current = _locked(assessment)
    if current.status not in (Status.SUBMITTED, Status.TOWN_REVIEWED):
        raise _status_error(current, _("退回"))
    comment = _comment(comment, _("请填写退回原因，说明需要修改的内容。"))
    level = review_level(by)
    if level == "town":
        check_town_reviewer(current, by)
        if current.status != Status.SUBMITTED:
            raise _status_error(current, _("由乡镇退回"))
    else:
        check_county_reviewer(current, by)
    setattr(current, f"{level}_comment", comment)
    setattr(current, f"{level}_reviewed_by", by)
    setattr(current, f"{level}_reviewed_at", timezone.now())
    current.status = Status.RETURNED
    current.save()
    return _refresh(assessment)
