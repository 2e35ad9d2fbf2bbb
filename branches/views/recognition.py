"""Views of the recognition area (see branches/models/recognition.py): honours,
criteria lists (评估标准) and the yearly assessments with their reviews.

Every access question goes to `core.access`: a record outside the user's scope is
a 404; a role without the permission, or a record the querysets' row rules keep
from them (committee staff change committee records only; reviewers review the
targets of their town or county), is a 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from branches import exports
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
from core import access
from core.formatting import join_clauses
from core.forms import add_service_errors
from core.mixins import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from core.params import pk_param, year_param
from core.routing import lifecycle_urls
from core.undo import success_with_undo

# --- Helpers --------------------------------------------------------------------------------


def _error_text(error: ValidationError) -> str:
    return join_clauses(error.messages)


class RefusedSaveMixin:
    """A saved row the row rules refuse (FormSaveMixin.check_saved_object) re-renders the
    form with `refusal` instead of a bare 403; the transaction has taken the row back."""

    refusal = ""

    def form_valid(self, form):
        before = self.object  # None on a create page
        try:
            return super().form_valid(form)
        except PermissionDenied:
            self.object = before
            if before is None:
                form.instance.pk = None
                form.instance._state.adding = True
            form.add_error(None, self.refusal)
            return self.form_invalid(form)


# --- Honours --------------------------------------------------------------------------------


class HonourListView(ScopedListView):
    model = Honour
    filterset_class = HonourFilter
    select_related = ("branch", "committee", "person")
    template_name = "branches/honour_list.html"
    export_columns = exports.HONOUR

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = selectors.honour_counts(self.object_list)
        return context


class HonourDetailView(ScopedDetailView):
    model = Honour
    include_archived = True
    select_related = ("branch", "committee", "person")
    template_name = "branches/honour_detail.html"


class HonourFormContextMixin(RefusedSaveMixin):
    template_name = "branches/honour_form.html"
    form_class = HonourForm
    model = Honour
    # Committee staff keep committee honours only (TargetQuerySet.editable_by).
    refusal = _("您无权为所选的获奖对象登记荣誉。")

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
    export_columns = exports.ASSESSMENT_SCHEME
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
        # A criterion is changed with its list (CriterionQuerySet follows SchemeQuerySet).
        editable = not scheme.is_archived and access.can(user, "change", scheme)
        context["can_edit"] = editable
        context["archived_criteria"] = (
            list(AssessmentCriterion.all_objects.filter(scheme=scheme, archived_at__isnull=False)) if editable else []
        )
        context["can_copy"] = scheme.region_id is None and access.can(user, "copy", scheme)
        return context


class SchemeCreateView(RefusedSaveMixin, ScopedCreateView):
    model = AssessmentScheme
    form_class = SchemeForm
    template_name = "core/form.html"
    extra_context = {"title": _("新建评估标准")}
    # A new list belongs to the user's county; one without a county is a shipped one (administrators').
    refusal = _("只有县（区）及以下的工作人员可以新建本县的评估标准。")

    def form_valid(self, form):
        form.instance.region = self.request.user.region and self.request.user.region.county()
        return super().form_valid(form)


class SchemeUpdateView(ScopedUpdateView):
    model = AssessmentScheme
    form_class = SchemeForm
    template_name = "core/form.html"
    extra_context = {"title": _("编辑评估标准")}


@require_POST
def scheme_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """复制到本县: the user's county gets its own editable copy of a scheme."""
    scheme = access.get_writable(request.user, AssessmentScheme, action="copy", pk=pk)
    try:
        copy = services.scheme_copy_for_region(
            scheme=scheme, region=request.user.region and request.user.region.county(), by=request.user
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(scheme.get_absolute_url())
    messages.success(request, gettext("已复制到本县，可以修改评估项目和分值。"))
    return redirect(copy.get_absolute_url())


class CriterionCreateView(ScopedCreateView):
    """A new criterion of a list: the user adds criteria and may change the list."""

    model = AssessmentCriterion
    form_class = CriterionForm
    template_name = "core/form.html"

    def has_permission(self):
        self.scheme = access.get_readable(self.request.user, AssessmentScheme, pk=self.kwargs["scheme_pk"])
        if not super().has_permission():
            return False
        access.require(self.request.user, "change", self.scheme)
        return True

    def get_initial(self):
        return {"order": services.next_criterion_order(self.scheme)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("为“%(scheme)s”添加评估项目") % {"scheme": self.scheme}
        return context

    def form_valid(self, form):
        form.instance.scheme = self.scheme
        return super().form_valid(form)

    def get_success_url(self):
        return self.scheme.get_absolute_url()


class CriterionUpdateView(ScopedUpdateView):
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
    criterion = access.get_writable(request.user, AssessmentCriterion.objects.select_related("scheme"), pk=pk)
    services.criterion_move(criterion=criterion, up=request.POST.get("direction") != "down", by=request.user)
    return redirect(criterion.scheme.get_absolute_url())


# --- Assessments ----------------------------------------------------------------------------


class AssessmentListView(ScopedListView):
    model = Assessment
    filterset_class = AssessmentFilter
    select_related = ("scheme", "branch", "committee")
    template_name = "branches/assessment_list.html"
    export_columns = exports.ASSESSMENT

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
        open_ = not assessment.is_archived
        # Filling in is changing the items, which follow their assessment (AssessmentItemQuerySet).
        context["can_fill"] = (
            open_
            and assessment.is_editable_by_target
            and access.can(user, "change", assessment)
            and access.can(user, "change", AssessmentItem)
        )
        may_review = open_ and access.can(user, "review", assessment)
        level = services.review_level(user) if may_review else None
        context["can_town_review"] = level == "town" and assessment.status == Assessment.Status.SUBMITTED
        context["can_county_review"] = level == "county" and assessment.status in (
            Assessment.Status.SUBMITTED,
            Assessment.Status.TOWN_REVIEWED,
        )
        return context


@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest) -> HttpResponse:
    """Start a year's self-assessment: one item per criterion of the chosen scheme."""
    access.require(request.user, "add", Assessment)
    # A link may preselect the target (?branch= / ?committee= / ?scheme= / ?year=); bad values are left out.
    initial = {name: pk_param(request, name) for name in ("scheme", "branch", "committee")}
    initial = {name: value for name, value in initial.items() if value} | {"year": year_param(request)}
    form = AssessmentStartForm(request.POST or None, user=request.user, initial=initial)
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
                # The new assessment must be one the user fills in (else nothing is kept).
                access.require(request.user, "change", assessment)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("评估已创建，请逐项自评打分并关联佐证材料。"))
            return redirect(assessment.get_absolute_url())
    return render(request, "branches/assessment_form.html", {"form": form, "title": gettext("开始年度评估")})


class AssessmentItemUpdateView(ScopedUpdateView):
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
            gettext("评估状态为“%(status)s”，不能修改自评。") % {"status": assessment.get_status_display()},
        )
        return HttpResponseRedirect(assessment.get_absolute_url())

    def get_success_url(self):
        return self.object.assessment.get_absolute_url() + f"#item-{self.object.pk}"


@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_writable(request.user, Assessment, pk=pk)
    try:
        services.assessment_submit(assessment=assessment, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, gettext("已提交，等待审核。"))
    return redirect(assessment.get_absolute_url())


def _review(request: HttpRequest, pk: int, level: str) -> HttpResponse:
    assessment = access.get_writable(
        request.user,
        Assessment.objects.select_related("scheme", "branch", "committee"),
        action="review",
        pk=pk,
    )
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
        before = assessment.status
        try:
            reviewed = service(
                assessment=assessment,
                comment=form.cleaned_data["comment"],
                scores=form.scores(),
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            success_with_undo(
                request,
                gettext("审核意见已保存。"),
                "assessment_review",
                next_url=reviewed.get_absolute_url(),
                assessment=reviewed.pk,
                level=level,
                before=before,
                version=reviewed.version,
            )
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
    assessment = access.get_writable(request.user, Assessment, action="review", pk=pk)
    form = ReturnForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.assessment_return(assessment=assessment, comment=comment, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, gettext("已退回修改。"))
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
        after_archive="branches:scheme_list",
    ),
    path(
        "assessment-schemes/<int:scheme_pk>/criteria/new/",
        CriterionCreateView.as_view(),
        name="criterion_create",
    ),
    path("assessment-criteria/<int:pk>/edit/", CriterionUpdateView.as_view(), name="criterion_update"),
    path("assessment-criteria/<int:pk>/move/", criterion_move, name="criterion_move"),
    *lifecycle_urls("assessment-criteria/", AssessmentCriterion, "criterion"),
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
