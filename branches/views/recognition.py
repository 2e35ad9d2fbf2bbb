"""Views of the recognition area (see branches/models/recognition.py): honours,
criteria lists (评估标准) and the yearly assessments with their reviews.

Every lookup goes through the scoping (404 outside it); then the role's
permission and `editable_by` decide (403). Committee staff work on committee
schemes and committee assessments only; branch ones are read-only for them.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from branches.filters.recognition import AssessmentFilter, HonourFilter
from branches.forms.recognition import (
    HONOUR_TITLE_LIST_ID,
    HONOUR_TITLE_SUGGESTIONS,
    AssessmentItemForm,
    AssessmentStartForm,
    CriterionForm,
    HonourForm,
    ReturnForm,
    ReviewForm,
    SchemeForm,
)
from branches.models import Assessment, AssessmentCriterion, AssessmentItem, AssessmentScheme, Honour
from branches.selectors import recognition as selectors
from branches.services import recognition as services
from core.formatting import join_clauses
from core.forms import add_service_errors
from core.mixins import (
    ArchiveView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    perm_name,
)
from core.models import Region
from core.routing import lifecycle_urls
from core.scoping import Role

# --- Helpers --------------------------------------------------------------------------------


def _committee_only(user, obj) -> bool:
    """Committee staff may change committee schemes and assessments only."""
    if user.role != Role.COMMITTEE_STAFF:
        return False
    if isinstance(obj, AssessmentScheme):
        return obj.target != AssessmentScheme.Target.COMMITTEE
    if isinstance(obj, AssessmentCriterion):
        return obj.scheme.target != AssessmentScheme.Target.COMMITTEE
    if isinstance(obj, AssessmentItem):
        return not obj.assessment.committee_id
    if isinstance(obj, Assessment):
        return not obj.committee_id
    return False


class CommitteeStaffMixin:
    """After the scoped and editable lookups: 403 for committee staff on a branch record."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if _committee_only(self.request.user, obj):
            raise PermissionDenied
        return obj


class CommitteeStaffArchiveView(CommitteeStaffMixin, ArchiveView):
    """Archiving a scheme or criterion (core.routing.lifecycle_urls' `archive_view`)."""


def _visible(request, model, pk, *, action="view", manager=None):
    """The record if the user may see it (else 404) and holds the permission (else 403)."""
    manager = model.objects if manager is None else manager
    obj = get_object_or_404(manager.visible_to(request.user), pk=pk)
    if not request.user.has_perm(perm_name(model, action)):
        raise PermissionDenied
    return obj


def _writable(request, model, pk, *, action="change", manager=None):
    """The record if the user may change it: 404 outside the scope, 403 without the right."""
    manager = model.objects if manager is None else manager
    obj = _visible(request, model, pk, action=action, manager=manager)
    if not manager.editable_by(request.user).filter(pk=obj.pk).exists() or _committee_only(request.user, obj):
        raise PermissionDenied
    return obj


def _error_text(error: ValidationError) -> str:
    return join_clauses(error.messages)


def _is_reviewer(user) -> bool:
    return user.role in (Role.COUNTY_STAFF, Role.ADMIN)


# --- Honours --------------------------------------------------------------------------------


class HonourListView(ScopedListView):
    model = Honour
    filterset_class = HonourFilter
    select_related = ("branch", "committee", "person")
    template_name = "branches/honour_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = selectors.honour_counts(self.object_list)
        return context


class HonourDetailView(ScopedDetailView):
    model = Honour
    include_archived = True
    select_related = ("branch", "committee", "person")
    template_name = "branches/honour_detail.html"


class HonourFormContextMixin:
    template_name = "branches/honour_form.html"
    form_class = HonourForm
    model = Honour

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title_suggestions"] = HONOUR_TITLE_SUGGESTIONS
        context["title_list_id"] = HONOUR_TITLE_LIST_ID
        return context


class HonourCreateView(HonourFormContextMixin, ScopedCreateView):
    extra_context = {"title": _("登记荣誉")}


class HonourUpdateView(HonourFormContextMixin, ScopedUpdateView):
    extra_context = {"title": _("编辑荣誉")}


# --- Schemes and criteria -------------------------------------------------------------------


class SchemeListView(ScopedListView):
    model = AssessmentScheme
    template_name = "branches/assessmentscheme_list.html"
    select_related = ("region",)

    def get_queryset(self):
        return selectors.schemes_with_totals(super().get_queryset()).order_by("region_id", "target", "name")


class SchemeDetailView(ScopedDetailView):
    model = AssessmentScheme
    include_archived = True
    select_related = ("region",)
    template_name = "branches/assessmentscheme_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scheme, user = self.object, self.request.user
        context["criteria"] = list(scheme.criteria.order_by("order", "pk"))
        context["max_total"] = sum(c.max_score for c in context["criteria"])
        editable = (
            not scheme.is_archived
            and user.has_perm("branches.change_assessmentcriterion")
            and AssessmentScheme.objects.editable_by(user).filter(pk=scheme.pk).exists()
            and not _committee_only(user, scheme)
        )
        context["can_edit"] = editable
        context["archived_criteria"] = (
            list(AssessmentCriterion.all_objects.filter(scheme=scheme, archived_at__isnull=False)) if editable else []
        )
        context["can_copy"] = (
            scheme.region_id is None
            and user.has_perm("branches.add_assessmentscheme")
            and not _committee_only(user, scheme)
        )
        return context


class SchemeCreateView(ScopedCreateView):
    model = AssessmentScheme
    form_class = SchemeForm
    template_name = "core/form.html"
    extra_context = {"title": _("新建评估标准")}

    def form_valid(self, form):
        user = self.request.user
        form.instance.region = user.region and user.region.county()
        if form.instance.region is None and user.role != Role.ADMIN:
            form.add_error(None, _t("只有县（区）及以下的工作人员可以新建本县的评估标准。"))
            return self.form_invalid(form)
        return super().form_valid(form)


class SchemeUpdateView(CommitteeStaffMixin, ScopedUpdateView):
    model = AssessmentScheme
    form_class = SchemeForm
    template_name = "core/form.html"
    extra_context = {"title": _("编辑评估标准")}


@require_POST
def scheme_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """复制到本县: the user's county gets its own editable copy of a scheme."""
    scheme = _visible(request, AssessmentScheme, pk, action="add")
    if _committee_only(request.user, scheme):
        raise PermissionDenied
    try:
        copy = services.scheme_copy_for_region(
            scheme=scheme, region=request.user.region and request.user.region.county(), by=request.user
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(scheme.get_absolute_url())
    messages.success(request, _t("已复制到本县，可以修改评估项目和分值。"))
    return redirect(copy.get_absolute_url())


class CriterionCreateView(ScopedCreateView):
    model = AssessmentCriterion
    form_class = CriterionForm
    template_name = "core/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.scheme = get_object_or_404(AssessmentScheme.objects.visible_to(request.user), pk=kwargs["scheme_pk"])
        return super().dispatch(request, *args, **kwargs)

    def has_permission(self):
        if not super().has_permission():
            return False
        user = self.request.user
        if not AssessmentScheme.objects.editable_by(user).filter(pk=self.scheme.pk).exists():
            raise PermissionDenied
        return not _committee_only(user, self.scheme)

    def get_initial(self):
        return {"order": services.next_criterion_order(self.scheme)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _t("为“%(scheme)s”添加评估项目") % {"scheme": self.scheme}
        return context

    def form_valid(self, form):
        form.instance.scheme = self.scheme
        return super().form_valid(form)

    def get_success_url(self):
        return self.scheme.get_absolute_url()


class CriterionUpdateView(CommitteeStaffMixin, ScopedUpdateView):
    model = AssessmentCriterion
    form_class = CriterionForm
    template_name = "core/form.html"
    select_related = ("scheme",)
    extra_context = {"title": _("编辑评估项目")}

    def get_success_url(self):
        return self.object.scheme.get_absolute_url()


@require_POST
def criterion_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a criterion one place up (`direction=up`) or down in its list."""
    criterion = _writable(
        request, AssessmentCriterion, pk, manager=AssessmentCriterion.objects.select_related("scheme")
    )
    services.criterion_move(criterion=criterion, up=request.POST.get("direction") != "down", by=request.user)
    return redirect(criterion.scheme.get_absolute_url())


# --- Assessments ----------------------------------------------------------------------------


class AssessmentListView(ScopedListView):
    model = Assessment
    filterset_class = AssessmentFilter
    select_related = ("scheme", "branch", "committee")
    template_name = "branches/assessment_list.html"

    def get_queryset(self):
        return selectors.with_totals(super().get_queryset()).order_by("-year", "status", "pk")


class AssessmentDetailView(ScopedDetailView):
    model = Assessment
    include_archived = True
    select_related = ("scheme", "branch", "committee", "town_reviewed_by", "county_reviewed_by")
    template_name = "branches/assessment_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment, user = self.object, self.request.user
        context["items"] = list(selectors.assessment_items(assessment))
        context["totals"] = selectors.assessment_totals(assessment)
        can_edit = (
            not assessment.is_archived
            and user.has_perm("branches.change_assessmentitem")
            and Assessment.objects.editable_by(user).filter(pk=assessment.pk).exists()
            and not _committee_only(user, assessment)
        )
        context["can_fill"] = can_edit and assessment.is_editable_by_target
        in_review = not assessment.is_archived and _is_reviewer(user)
        at_town = user.region is not None and user.region.level == Region.Level.TOWN
        context["can_town_review"] = in_review and at_town and assessment.status == Assessment.Status.SUBMITTED
        context["can_county_review"] = (
            in_review
            and not at_town
            and assessment.status in (Assessment.Status.SUBMITTED, Assessment.Status.TOWN_REVIEWED)
        )
        context["can_archive"] = user.has_perm("branches.delete_assessment")
        return context


@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest) -> HttpResponse:
    """Start a year's self-assessment: one item per criterion of the chosen scheme."""
    if not request.user.has_perm("branches.add_assessment"):
        raise PermissionDenied
    form = AssessmentStartForm(request.POST or None, user=request.user, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                assessment = services.assessment_start(
                    scheme=data["scheme"],
                    year=data["year"],
                    branch=data.get("branch"),
                    committee=data.get("committee"),
                    by=request.user,
                )
                services.check_target_editor(assessment, request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _t("评估已创建，请逐项自评打分并关联佐证材料。"))
            return redirect(assessment.get_absolute_url())
    return render(request, "branches/assessment_form.html", {"form": form, "title": _t("开始年度评估")})


class AssessmentItemUpdateView(CommitteeStaffMixin, ScopedUpdateView):
    model = AssessmentItem
    form_class = AssessmentItemForm
    template_name = "branches/assessment_item_form.html"
    select_related = ("assessment__scheme", "assessment__branch", "assessment__committee__branch", "criterion")

    def get_object(self, queryset=None):
        item = super().get_object(queryset)
        self.locked = not item.assessment.is_editable_by_target or item.assessment.is_archived
        return item

    def get(self, request, *args, **kwargs):
        if self.locked:
            return self._refuse()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.locked:
            return self._refuse()
        return super().post(request, *args, **kwargs)

    def _refuse(self):
        assessment = self.object.assessment
        messages.error(
            self.request,
            _t("评估状态为“%(status)s”，不能修改自评。") % {"status": assessment.get_status_display()},
        )
        return HttpResponseRedirect(assessment.get_absolute_url())

    def get_success_url(self):
        return self.object.assessment.get_absolute_url() + f"#item-{self.object.pk}"


@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _writable(request, Assessment, pk)
    try:
        services.assessment_submit(assessment=assessment, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _t("已提交，等待审核。"))
    return redirect(assessment.get_absolute_url())


def _review(request: HttpRequest, pk: int, level: str) -> HttpResponse:
    assessment = _visible(
        request,
        Assessment,
        pk,
        action="change",
        manager=Assessment.objects.select_related("scheme", "branch", "committee"),
    )
    if not _is_reviewer(request.user):
        raise PermissionDenied
    check = services.check_town_review_allowed if level == "town" else services.check_county_review_allowed
    items = list(selectors.assessment_items(assessment))
    form = ReviewForm(request.POST or None, items=items, level=level)
    refusal = None
    try:
        check(assessment, request.user)
    except ValidationError as error:
        refusal = _error_text(error)
    if request.method == "POST" and refusal is None and form.is_valid():
        service = services.assessment_town_review if level == "town" else services.assessment_county_review
        try:
            service(
                assessment=assessment,
                comment=form.cleaned_data["comment"],
                scores=form.scores(),
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _t("审核意见已保存。"))
            return redirect(assessment.get_absolute_url())
    return render(
        request,
        "branches/assessment_review.html",
        {
            "assessment": assessment,
            "object": assessment,
            "form": form,
            "return_form": ReturnForm(),
            "level": level,
            "refusal": refusal,
            "totals": selectors.assessment_totals(assessment),
        },
    )


@require_http_methods(["GET", "POST"])
def assessment_town_review(request: HttpRequest, pk: int) -> HttpResponse:
    """乡镇审核: staff of the target's town score every item and comment."""
    return _review(request, pk, "town")


@require_http_methods(["GET", "POST"])
def assessment_county_review(request: HttpRequest, pk: int) -> HttpResponse:
    """县级审定: staff of the county give the final scores and comment."""
    return _review(request, pk, "county")


@require_POST
def assessment_return(request: HttpRequest, pk: int) -> HttpResponse:
    """退回修改: a reviewer sends the assessment back with the reason."""
    assessment = _visible(request, Assessment, pk, action="change")
    if not _is_reviewer(request.user):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.assessment_return(assessment=assessment, comment=comment, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _t("已退回修改。"))
    return redirect(assessment.get_absolute_url())


# --- URLs ----------------------------------------------------------------------------------

urlpatterns: list = [
    path("honours/", HonourListView.as_view(), name="honour_list"),
    path("honours/new/", HonourCreateView.as_view(), name="honour_create"),
    path("honours/<int:pk>/", HonourDetailView.as_view(), name="honour_detail"),
    path("honours/<int:pk>/edit/", HonourUpdateView.as_view(), name="honour_update"),
    *lifecycle_urls("honours/", Honour, "honour", after_archive="branches:honour_list"),
    path("assessment-schemes/", SchemeListView.as_view(), name="scheme_list"),
    path("assessment-schemes/new/", SchemeCreateView.as_view(), name="scheme_create"),
    path("assessment-schemes/<int:pk>/", SchemeDetailView.as_view(), name="scheme_detail"),
    path("assessment-schemes/<int:pk>/edit/", SchemeUpdateView.as_view(), name="scheme_update"),
    path("assessment-schemes/<int:pk>/copy/", scheme_copy, name="scheme_copy"),
    *lifecycle_urls(
        "assessment-schemes/",
        AssessmentScheme,
        "scheme",
        archive_view=CommitteeStaffArchiveView,
        after_archive="branches:scheme_list",
    ),
    path(
        "assessment-schemes/<int:scheme_pk>/criteria/new/",
        CriterionCreateView.as_view(),
        name="criterion_create",
    ),
    path("assessment-criteria/<int:pk>/edit/", CriterionUpdateView.as_view(), name="criterion_update"),
    path("assessment-criteria/<int:pk>/move/", criterion_move, name="criterion_move"),
    *lifecycle_urls("assessment-criteria/", AssessmentCriterion, "criterion", archive_view=CommitteeStaffArchiveView),
    path("assessments/", AssessmentListView.as_view(), name="assessment_list"),
    path("assessments/new/", assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", AssessmentDetailView.as_view(), name="assessment_detail"),
    path("assessments/items/<int:pk>/edit/", AssessmentItemUpdateView.as_view(), name="assessment_item_update"),
    path("assessments/<int:pk>/submit/", assessment_submit, name="assessment_submit"),
    path("assessments/<int:pk>/town-review/", assessment_town_review, name="assessment_town_review"),
    path("assessments/<int:pk>/county-review/", assessment_county_review, name="assessment_county_review"),
    path("assessments/<int:pk>/return/", assessment_return, name="assessment_return"),
    *lifecycle_urls("assessments/", Assessment, "assessment", after_archive="branches:assessment_list"),
]
