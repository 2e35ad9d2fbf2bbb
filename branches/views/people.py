"""Views of the people area (see branches/models/people.py): retirees, care pairs, hardship payments, needs.

Plain pages use the scoped generic views of core.mixins; pages that write
through a service are function views that load the record with
`visible_to` (404 outside the scope), then check the permission and
`editable_by` (403).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Prefetch, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from branches.filters.people import CarePairFilter, HardshipPaymentFilter, NeedFilter, RetireeFilter
from branches.forms.people import (
    CarePairEndForm,
    CarePairForm,
    CareRecordForm,
    CommunityCheckInForm,
    GovernanceRoleForm,
    HardshipPaymentForm,
    NeedForm,
    NeedResolveForm,
    RetireeForm,
    RetireeLeaveForm,
    RetireeRegisterForm,
    RetireeTransferForm,
)
from branches.models import (
    Branch,
    CarePair,
    CareRecord,
    CommunityCheckIn,
    GovernanceRole,
    HardshipPayment,
    Membership,
    Need,
    Retiree,
)
from branches.selectors.people import hardship_totals, hardship_totals_by_year, open_need_stats
from branches.services import people as services
from core.forms import add_service_errors
from core.mixins import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from core.routing import lifecycle_urls

# --- helpers ----------------------------------------------------------------------------------


def _load(request: HttpRequest, model, pk: int, perm: str | None = None, *, editable: bool = False):
    """The record if the user may see it (else 404), hold `perm` and, if asked, change it (else 403)."""
    obj = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    if perm and not request.user.has_perm(perm):
        raise PermissionDenied
    if editable and not model.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    return obj


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _form_page(request, form, *, title, template="core/form.html", **context):
    return render(request, template, {"form": form, "title": title, **context})


# --- retirees ---------------------------------------------------------------------------------


class RetireeListView(ScopedListView):
    model = Retiree
    filterset_class = RetireeFilter
    select_related = ("person", "branch")
    template_name = "branches/retiree_list.html"


class RetireeDetailView(ScopedDetailView):
    model = Retiree
    include_archived = True
    select_related = ("person", "person__region", "branch")
    prefetch_related = (
        Prefetch("memberships", queryset=Membership.objects.select_related("branch").order_by("-start_on", "-pk")),
        Prefetch("care_pairs", queryset=CarePair.objects.select_related("cadre")),
        "hardship_payments",
        Prefetch("needs", queryset=Need.objects.order_by(F("resolved_on").desc(nulls_first=True), "-received_on")),
        Prefetch("person__check_ins", queryset=CommunityCheckIn.objects.select_related("community")),
        Prefetch("person__governance_roles", queryset=GovernanceRole.objects.select_related("region")),
    )
    template_name = "branches/retiree_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        retiree = self.object
        user = self.request.user
        today = timezone.localdate()
        context["today"] = today
        context["party_years"] = retiree.party_years_on(today)
        context["skill_labels"] = [Retiree.Skill(s).label for s in retiree.skills if s in Retiree.Skill.values]
        context["can_edit"] = (
            user.has_perm("branches.change_retiree")
            and Retiree.objects.editable_by(user).filter(pk=retiree.pk).exists()
        )
        context["hardship_total"] = retiree.hardship_payments.aggregate(total=Sum("amount"))["total"]
        return context


@require_http_methods(["GET", "POST"])
def retiree_create(request: HttpRequest) -> HttpResponse:
    """Register a retiree: person, retiree and first membership in one service call."""
    _require(request, "branches.add_retiree")
    form = RetireeRegisterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        branch = form.cleaned_data["branch"]
        if not Branch.objects.editable_by(request.user).filter(pk=branch.pk).exists():
            raise PermissionDenied
        try:
            retiree = services.retiree_register(
                person_data=form.person_data(),
                branch=branch,
                joined_on=form.cleaned_data["joined_on"],
                by=request.user,
                **form.retiree_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已登记：%(name)s") % {"name": retiree.person.name})
            return redirect(retiree)
    return _form_page(request, form, title=_("登记离退休干部"))


class RetireeUpdateView(ScopedUpdateView):
    model = Retiree
    form_class = RetireeForm
    select_related = ("person",)
    template_name = "core/form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("编辑离退休干部：%(name)s") % {"name": self.object.person.name}
        return context


@require_http_methods(["GET", "POST"])
def retiree_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """组织关系转接: move a retiree to another branch from a date."""
    retiree = _load(request, Retiree, pk, "branches.add_membership", editable=True)
    form = RetireeTransferForm(request.POST or None, user=request.user, retiree=retiree)
    if request.method == "POST" and form.is_valid():
        try:
            services.retiree_transfer(
                retiree=retiree,
                to_branch=form.cleaned_data["to_branch"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("已将%(name)s转入%(branch)s")
                % {"name": retiree.person.name, "branch": form.cleaned_data["to_branch"]},
            )
            return redirect(retiree)
    return _form_page(
        request,
        form,
        title=_("组织关系转接：%(name)s") % {"name": retiree.person.name},
        template="branches/retiree_transfer.html",
        retiree=retiree,
    )


@require_http_methods(["GET", "POST"])
def retiree_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """A retiree leaves the county's branches (转出本县 / 去世)."""
    retiree = _load(request, Retiree, pk, "branches.change_membership", editable=True)
    form = RetireeLeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.retiree_leave(
                retiree=retiree, on=form.cleaned_data["on"], reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已办理：%(name)s 不再计入支部") % {"name": retiree.person.name})
            return redirect(retiree)
    return _form_page(
        request,
        form,
        title=_("转出或去世：%(name)s") % {"name": retiree.person.name},
        template="branches/retiree_leave.html",
        retiree=retiree,
    )


@require_http_methods(["GET", "POST"])
def communitycheckin_create(request: HttpRequest, pk: int) -> HttpResponse:
    """报到: record the community (village level) where the retiree checked in."""
    retiree = _load(request, Retiree, pk, "branches.add_communitycheckin", editable=True)
    form = CommunityCheckInForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.instance.person = retiree.person
        form.save()
        messages.success(request, _("已记录社区报到"))
        return redirect(retiree)
    return _form_page(request, form, title=_("社区报到：%(name)s") % {"name": retiree.person.name})


@require_http_methods(["GET", "POST"])
def governancerole_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A community-governance role (网格员, 楼栋长 …) the retiree holds."""
    retiree = _load(request, Retiree, pk, "branches.add_governancerole", editable=True)
    form = GovernanceRoleForm(request.POST or None, user=request.user)
    form.instance.person = retiree.person
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已记录基层治理角色"))
        return redirect(retiree)
    return _form_page(request, form, title=_("基层治理角色：%(name)s") % {"name": retiree.person.name})


# --- care pairs and hardship payments --------------------------------------------------------


class CarePairListView(ScopedListView):
    model = CarePair
    filterset_class = CarePairFilter
    select_related = ("cadre", "retiree__person", "retiree__branch")
    template_name = "branches/carepair_list.html"

    def get_queryset(self):
        return super().get_queryset().order_by(F("ended_on").desc(nulls_first=True), "-started_on", "pk")


class CarePairCreateView(ScopedCreateView):
    model = CarePair
    form_class = CarePairForm
    template_name = "core/form.html"
    extra_context = {"title": gettext_lazy("新增帮扶对子")}

    def get_initial(self):
        return {"retiree": self.request.GET.get("retiree")}


class CarePairDetailView(ScopedDetailView):
    model = CarePair
    include_archived = True
    select_related = ("cadre", "retiree__person", "retiree__branch")
    prefetch_related = (Prefetch("records", queryset=CareRecord.objects.order_by("-happened_on", "-pk")),)
    template_name = "branches/carepair_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["goods_total"] = self.object.records.aggregate(total=Sum("goods_value"))["total"]
        context["can_edit"] = CarePair.objects.editable_by(user).filter(pk=self.object.pk).exists()
        if context["can_edit"] and not self.object.is_archived:
            if user.has_perm("branches.add_carerecord"):
                context["record_form"] = CareRecordForm(care_pair=self.object)
            if user.has_perm("branches.change_carepair") and self.object.ended_on is None:
                context["end_form"] = CarePairEndForm()
        return context


@require_http_methods(["GET", "POST"])
def carerecord_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add one piece of help given within a care pair."""
    care_pair = _load(request, CarePair, pk, "branches.add_carerecord", editable=True)
    form = CareRecordForm(request.POST or None, care_pair=care_pair)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已添加帮扶记录"))
        return redirect(care_pair)
    return _form_page(request, form, title=_("添加帮扶记录：%(pair)s") % {"pair": care_pair})


@require_http_methods(["GET", "POST"])
def carepair_end(request: HttpRequest, pk: int) -> HttpResponse:
    care_pair = _load(request, CarePair, pk, "branches.change_carepair", editable=True)
    form = CarePairEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.care_pair_end(care_pair=care_pair, on=form.cleaned_data["ended_on"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("帮扶对子已结束"))
            return redirect(care_pair)
    return _form_page(request, form, title=_("结束帮扶对子：%(pair)s") % {"pair": care_pair})


class HardshipPaymentListView(ScopedListView):
    model = HardshipPayment
    filterset_class = HardshipPaymentFilter
    select_related = ("retiree__person", "retiree__branch")
    template_name = "branches/hardshippayment_list.html"

    def get_queryset(self):
        return super().get_queryset().order_by("-paid_on", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = hardship_totals(self.object_list)
        context["by_year"] = hardship_totals_by_year(HardshipPayment.objects.visible_to(self.request.user))
        return context


class HardshipPaymentCreateView(ScopedCreateView):
    model = HardshipPayment
    form_class = HardshipPaymentForm
    template_name = "core/form.html"
    extra_context = {"title": gettext_lazy("发放特殊困难帮扶资金")}

    def get_initial(self):
        return {"retiree": self.request.GET.get("retiree")}


# --- needs ------------------------------------------------------------------------------------


class NeedListView(ScopedListView):
    model = Need
    filterset_class = NeedFilter
    select_related = ("branch", "retiree__person")
    template_name = "branches/need_list.html"

    def get_queryset(self):
        # Open needs first, the longest-waiting on top; then the most recently resolved.
        return super().get_queryset().order_by(F("resolved_on").desc(nulls_first=True), "received_on", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stats"] = open_need_stats(self.object_list)
        return context


class NeedDetailView(ScopedDetailView):
    model = Need
    include_archived = True
    select_related = ("branch", "retiree__person")
    template_name = "branches/need_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        need = self.object
        context["can_edit"] = (
            user.has_perm("branches.change_need") and Need.objects.editable_by(user).filter(pk=need.pk).exists()
        )
        if context["can_edit"] and need.is_open and not need.is_archived:
            context["resolve_form"] = NeedResolveForm()
        return context


class NeedCreateView(ScopedCreateView):
    model = Need
    form_class = NeedForm
    template_name = "core/form.html"
    extra_context = {"title": gettext_lazy("登记个性需求")}

    def get_initial(self):
        initial = {}
        if self.request.GET.get("retiree"):
            retiree = Retiree.objects.visible_to(self.request.user).filter(pk=self.request.GET["retiree"]).first()
            if retiree:
                initial = {"retiree": retiree.pk, "branch": retiree.branch_id}
        return initial


class NeedUpdateView(ScopedUpdateView):
    model = Need
    form_class = NeedForm
    template_name = "core/form.html"
    extra_context = {"title": gettext_lazy("编辑个性需求")}


@require_http_methods(["GET", "POST"])
def need_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """办结: the date and what was done (required)."""
    need = _load(request, Need, pk, "branches.change_need", editable=True)
    form = NeedResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_resolve(
                need=need, on=form.cleaned_data["resolved_on"], outcome=form.cleaned_data["outcome"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("需求已办结"))
            return redirect(need)
    return _form_page(request, form, title=_("办结个性需求"), template="branches/need_resolve.html", need=need)


# --- URLs ------------------------------------------------------------------------------------

urlpatterns: list = [
    path("retirees/", RetireeListView.as_view(), name="retiree_list"),
    path("retirees/new/", retiree_create, name="retiree_create"),
    path("retirees/<int:pk>/", RetireeDetailView.as_view(), name="retiree_detail"),
    path("retirees/<int:pk>/edit/", RetireeUpdateView.as_view(), name="retiree_update"),
    path("retirees/<int:pk>/transfer/", retiree_transfer, name="retiree_transfer"),
    path("retirees/<int:pk>/leave/", retiree_leave, name="retiree_leave"),
    *lifecycle_urls("retirees/", Retiree, "retiree", after_archive="branches:retiree_list"),
    path("retirees/<int:pk>/check-ins/new/", communitycheckin_create, name="communitycheckin_create"),
    *lifecycle_urls("check-ins/", CommunityCheckIn, "communitycheckin", restore=False, history=False),
    path("retirees/<int:pk>/governance-roles/new/", governancerole_create, name="governancerole_create"),
    *lifecycle_urls("governance-roles/", GovernanceRole, "governancerole", restore=False, history=False),
    path("care-pairs/", CarePairListView.as_view(), name="carepair_list"),
    path("care-pairs/new/", CarePairCreateView.as_view(), name="carepair_create"),
    path("care-pairs/<int:pk>/", CarePairDetailView.as_view(), name="carepair_detail"),
    path("care-pairs/<int:pk>/records/new/", carerecord_create, name="carerecord_create"),
    path("care-pairs/<int:pk>/end/", carepair_end, name="carepair_end"),
    *lifecycle_urls("care-pairs/", CarePair, "carepair", restore=False, after_archive="branches:carepair_list"),
    path("hardship-payments/", HardshipPaymentListView.as_view(), name="hardshippayment_list"),
    path("hardship-payments/new/", HardshipPaymentCreateView.as_view(), name="hardshippayment_create"),
    *lifecycle_urls("hardship-payments/", HardshipPayment, "hardshippayment", restore=False, history=False),
    path("needs/", NeedListView.as_view(), name="need_list"),
    path("needs/new/", NeedCreateView.as_view(), name="need_create"),
    path("needs/<int:pk>/", NeedDetailView.as_view(), name="need_detail"),
    path("needs/<int:pk>/edit/", NeedUpdateView.as_view(), name="need_update"),
    path("needs/<int:pk>/resolve/", need_resolve, name="need_resolve"),
    *lifecycle_urls("needs/", Need, "need", after_archive="branches:need_list"),
]
