"""Views of the people area (see branches/models/people.py): retirees, care pairs, hardship payments, needs,
transfers between counties.

Plain pages use the scoped generic views of core.mixins; pages that write
through a service are function views that load the record with
`core.access.get_writable` (404 outside the scope, 403 for a role or a row
that may not be changed). No access question is answered here.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, F, Prefetch, Q, Sum, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches import exports
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
    ParticipationAddForm,
    RetireeForm,
    RetireeLeaveForm,
    RetireeRegisterForm,
    RetireeTransferForm,
    TransferRequestForm,
)
from branches.models import (
    Attendance,
    Branch,
    CarePair,
    CareRecord,
    CommunityCheckIn,
    GovernanceRole,
    HardshipPayment,
    Membership,
    Need,
    Participation,
    Retiree,
    TransferRequest,
)
from branches.selectors.activities import person_attendance
from branches.selectors.people import (
    communities,
    community_summary,
    hardship_totals,
    hardship_totals_by_year,
    open_need_stats,
)
from branches.services import people as services
from core import access
from core.formatting import join_clauses
from core.forms import add_service_errors
from core.mixins import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from core.models import Region
from core.params import choice_param, pk_param
from core.routing import lifecycle_urls
from core.undo import success_with_undo

# --- helpers ----------------------------------------------------------------------------------


def _form_page(request, form, *, title, template="core/form.html", **context):
    return render(request, template, {"form": form, "title": title, **context})


# --- retirees ---------------------------------------------------------------------------------


class RetireeListView(ScopedListView):
    model = Retiree
    filterset_class = RetireeFilter
    select_related = ("person", "branch")
    template_name = "branches/retiree_list.html"
    export_columns = exports.RETIREE


class RetireeDetailView(ScopedDetailView):
    model = Retiree
    include_archived = True
    select_related = ("person", "person__region", "branch")
    template_name = "branches/retiree_detail.html"

    def get_queryset(self):
        # Each table of the page shows the rows the user may read, not every row of the retiree.
        def readable(queryset):
            return access.readable(self.request.user, queryset)

        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=readable(Membership.objects.select_related("branch").order_by("-start_on", "-pk")),
                ),
                Prefetch("care_pairs", queryset=readable(CarePair.objects.select_related("cadre"))),
                Prefetch("hardship_payments", queryset=readable(HardshipPayment.objects.all())),
                Prefetch(
                    "needs",
                    queryset=readable(Need.objects.order_by(F("resolved_on").desc(nulls_first=True), "-received_on")),
                ),
                Prefetch("person__check_ins", queryset=readable(CommunityCheckIn.objects.select_related("community"))),
                Prefetch(
                    "person__governance_roles", queryset=readable(GovernanceRole.objects.select_related("region"))
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        retiree = self.object
        user = self.request.user
        today = timezone.localdate()
        context["today"] = today
        context["party_years"] = retiree.party_years_on(today)
        context["skill_labels"] = [Retiree.Skill(s).label for s in retiree.skills if s in Retiree.Skill.values]
        payments = access.readable(user, HardshipPayment.objects.filter(retiree=retiree))
        context["hardship_total"] = payments.aggregate(total=Sum("amount"))["total"]
        # The archive buttons of the rows ({% can "archive" row %}): one query per table, not per row.
        access.prefetch(user, retiree.person.check_ins.all(), access.ARCHIVE)
        access.prefetch(user, retiree.person.governance_roles.all(), access.ARCHIVE)
        access.prefetch(user, retiree.hardship_payments.all(), access.ARCHIVE)
        if access.can(user, access.VIEW, Attendance):
            # Every organiser's activities the person was on the roll of (a county training too): one query.
            rows = person_attendance(retiree.person, access.readable(user, Attendance))
            context["attendance_history"] = list(rows[:20])
        return context


@require_http_methods(["GET", "POST"])
def retiree_create(request: HttpRequest) -> HttpResponse:
    """Register a retiree: person, retiree and first membership in one service call.

    The branch choices are those the user may change. When the ID number
    belongs to someone the user may not change (registered elsewhere), the
    page offers a transfer request to the county of registration instead.
    """
    access.require(request.user, access.ADD, Retiree)
    form = RetireeRegisterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            retiree = services.retiree_register(
                person_data=form.person_data(),
                branch=form.cleaned_data["branch"],
                joined_on=form.cleaned_data["joined_on"],
                by=request.user,
                **form.retiree_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已登记：%(name)s") % {"name": retiree.person.name})
            return redirect(retiree)
    return _form_page(
        request,
        form,
        title=_("登记离退休干部"),
        template="branches/retiree_register.html",
        offer_transfer=form.has_error("id_number", services.NOT_REGISTERABLE_HERE),
    )


class RetireeUpdateView(ScopedUpdateView):
    model = Retiree
    form_class = RetireeForm
    select_related = ("person",)
    template_name = "core/form.html"

    def save_form(self, form):
        return services.retiree_update(
            retiree=form.instance,
            version=form.seen_version(),
            person_version=form.seen_person_version(),
            mobile=form.cleaned_data["mobile"],
            address=form.cleaned_data["address"],
            by=self.request.user,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("编辑离退休干部：%(name)s") % {"name": self.object.person.name}
        return context


@require_http_methods(["GET", "POST"])
def retiree_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """组织关系转接: move a retiree to another branch from a date."""
    retiree = access.get_writable(request.user, Retiree, action=access.CHANGE, pk=pk)
    access.require(request.user, access.ADD, Membership)
    form = RetireeTransferForm(request.POST or None, user=request.user, retiree=retiree)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.retiree_transfer(
                retiree=retiree,
                to_branch=form.cleaned_data["to_branch"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            success_with_undo(
                request,
                _("已将%(name)s转入%(branch)s")
                % {"name": retiree.person.name, "branch": form.cleaned_data["to_branch"]},
                "retiree_transfer",
                next_url=retiree.get_absolute_url(),
                retiree=retiree.pk,
                membership=membership.pk,
                version=membership.retiree.version,
            )
            return redirect(retiree)
    return _form_page(
        request,
        form,
        title=_("组织关系转接：%(name)s") % {"name": retiree.person.name},
        template="branches/retiree_transfer.html",
        retiree=retiree,
        submit_label=_("办理转接"),
        # A transfer moves the member's counts and duties: one more look before it is done.
        confirm=_("确定办理转接吗？%(name)s将从转接日期起计入新支部。") % {"name": retiree.person.name},
    )


@require_http_methods(["GET", "POST"])
def retiree_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """A retiree leaves the county's branches (转出本县 / 去世)."""
    retiree = access.get_writable(request.user, Retiree, action=access.CHANGE, pk=pk)
    access.require(request.user, access.CHANGE, Membership)
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
    retiree = access.get_writable(request.user, Retiree, action=access.CHANGE, pk=pk)
    access.require(request.user, access.ADD, CommunityCheckIn)
    form = CommunityCheckInForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.instance.person = retiree.person
        form.save()
        messages.success(request, _("已记录社区报到"))
        return redirect(retiree)
    return _form_page(request, form, title=_("社区报到：%(name)s") % {"name": retiree.person.name})


# --- Communities (村、社区): check-ins, the branches in them, governance roles -----------------


def _communities_of(user):
    """The villages the user may open: those of their area, and (for a secretary, who reads no
    areas) those where the retirees they may see checked in."""
    check_ins = access.readable(user, CommunityCheckIn)
    return Region.objects.filter(
        Q(code__in=access.readable(user, Region).values("code")) | Q(code__in=check_ins.values("community"))
    )


@require_GET
def community_list(request: HttpRequest) -> HttpResponse:
    """The villages and communities where the user's retirees checked in or branches sit."""
    user = request.user
    access.require(user, access.VIEW, CommunityCheckIn)
    rows = communities(_communities_of(user), access.readable(user, CommunityCheckIn), access.readable(user, Branch))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "branches/community_list.html", {"page_obj": page, "object_list": page.object_list})


@require_GET
def community_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A community's page: who checked in, the temporary and functional branches there, governance roles."""
    user = request.user
    # The rows decide whether the place exists for the user (404), then the role whether they read it (403).
    community = get_object_or_404(
        _communities_of(user).filter(level=Region.Level.VILLAGE).select_related("parent"), pk=code
    )
    access.require(user, access.VIEW, CommunityCheckIn)
    summary = community_summary(
        community,
        check_ins=access.readable(user, CommunityCheckIn),
        branches=access.readable(user, Branch),
        participations=access.readable(user, Participation),
        roles=access.readable(user, GovernanceRole),
    )
    access.prefetch(user, summary["branches"], access.VIEW)
    # 210 check-ins at 堰岭社区: the names a page at a time, the counts above them whole.
    page = Paginator(summary["check_ins"], 30).get_page(request.GET.get("page"))
    context = {"community": community, "s": summary, "page_obj": page, "check_ins": page.object_list}
    return render(request, "branches/community_detail.html", context)


@require_http_methods(["GET", "POST"])
def governancerole_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A community-governance role (网格员, 楼栋长 …) the retiree holds."""
    retiree = access.get_writable(request.user, Retiree, action=access.CHANGE, pk=pk)
    access.require(request.user, access.ADD, GovernanceRole)
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
    export_columns = exports.CARE_PAIR

    def get_queryset(self):
        return super().get_queryset().order_by(F("ended_on").desc(nulls_first=True), "-started_on", "pk")


class CarePairCreateView(ScopedCreateView):
    model = CarePair
    form_class = CarePairForm
    template_name = "core/form.html"
    extra_context = {"title": gettext_lazy("新增帮扶对子")}

    def get_initial(self):
        return {"retiree": pk_param(self.request, "retiree")}


class CarePairDetailView(ScopedDetailView):
    model = CarePair
    include_archived = True
    select_related = ("cadre", "retiree__person", "retiree__branch")
    prefetch_related = (Prefetch("records", queryset=CareRecord.objects.order_by("-happened_on", "-pk")),)
    template_name = "branches/carepair_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        pair = self.object
        context["goods_total"] = pair.records.aggregate(total=Sum("goods_value"))["total"]
        if not pair.is_archived and access.can(user, access.CHANGE, pair):
            if access.can(user, access.ADD, CareRecord):
                context["record_form"] = CareRecordForm(care_pair=pair)
            if pair.ended_on is None:
                context["end_form"] = CarePairEndForm()
        return context


@require_http_methods(["GET", "POST"])
def carerecord_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add one piece of help given within a care pair."""
    care_pair = access.get_writable(request.user, CarePair, action=access.CHANGE, pk=pk)
    access.require(request.user, access.ADD, CareRecord)
    form = CareRecordForm(request.POST or None, care_pair=care_pair)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已添加帮扶记录"))
        return redirect(care_pair)
    return _form_page(request, form, title=_("添加帮扶记录：%(pair)s") % {"pair": care_pair})


@require_http_methods(["GET", "POST"])
def carepair_end(request: HttpRequest, pk: int) -> HttpResponse:
    care_pair = access.get_writable(request.user, CarePair, action=access.CHANGE, pk=pk)
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
    export_columns = exports.HARDSHIP_PAYMENT

    def get_queryset(self):
        return super().get_queryset().order_by("-paid_on", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = hardship_totals(self.object_list)
        context["by_year"] = hardship_totals_by_year(access.readable(self.request.user, HardshipPayment))
        return context


class HardshipPaymentCreateView(ScopedCreateView):
    model = HardshipPayment
    form_class = HardshipPaymentForm
    template_name = "core/form.html"
    extra_context = {"title": gettext_lazy("发放特殊困难帮扶资金")}

    def get_initial(self):
        return {"retiree": pk_param(self.request, "retiree")}

    def get_success_url(self):
        return self.object.retiree.get_absolute_url() + "#hardship"


# --- needs ------------------------------------------------------------------------------------


class NeedListView(ScopedListView):
    model = Need
    filterset_class = NeedFilter
    select_related = ("branch", "retiree__person")
    template_name = "branches/need_list.html"
    export_columns = exports.NEED

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
        need = self.object
        if need.is_open and not need.is_archived and access.can(self.request.user, access.CHANGE, need):
            context["resolve_form"] = NeedResolveForm()
        return context


class NeedCreateView(ScopedCreateView):
    model = Need
    form_class = NeedForm
    template_name = "core/form.html"
    extra_context = {"title": gettext_lazy("登记个性需求")}

    def get_initial(self):
        initial = {}
        retiree_pk = pk_param(self.request, "retiree")
        if retiree_pk:
            retiree = access.readable(self.request.user, Retiree).filter(pk=retiree_pk).first()
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
    need = access.get_writable(request.user, Need, action=access.CHANGE, pk=pk)
    form = NeedResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_resolve(
                need=need, on=form.cleaned_data["resolved_on"], outcome=form.cleaned_data["outcome"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            success_with_undo(
                request,
                _("需求已办结"),
                "need_resolve",
                next_url=need.get_absolute_url(),
                need=need.pk,
                version=need.version,
            )
            return redirect(need)
    return _form_page(
        request,
        form,
        title=_("办结个性需求"),
        template="branches/need_resolve.html",
        need=need,
        submit_label=_("办结"),
        confirm=_("确定办结这条需求吗？办结后几分钟内可以撤销。"),
    )


# --- transfers between counties (跨县组织关系转接) -------------------------------------------------


@require_http_methods(["GET", "POST"])
def transferrequest_create(request: HttpRequest) -> HttpResponse:
    """Ask another county for a retiree who moved here; opened from the registration page's refusal.

    The refusal's button posts the registration form here (`from_registration`):
    its ID number, name and branch fill this form in, nothing is saved yet.
    """
    access.require(request.user, access.ADD, TransferRequest)
    if request.method == "POST" and "from_registration" in request.POST:
        initial = {
            "id_number": request.POST.get("id_number", ""),
            "name": request.POST.get("name", ""),
            "to_branch": request.POST.get("branch"),
        }
        form = TransferRequestForm(user=request.user, initial=initial)
    else:
        form = TransferRequestForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                services.transfer_request(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("已提交转接申请，等待该同志登记地的老干部局处理"))
                return redirect(f"{reverse('branches:transferrequest_list')}?direction=in")
    return _form_page(request, form, title=_("申请跨县组织关系转接"), template="branches/transferrequest_form.html")


@require_GET
def transferrequest_list(request: HttpRequest) -> HttpResponse:
    """Requests this county made (转入) and requests about its retirees (转出), one tab each.

    A retiree's name is shown only to users who may see that retiree (the
    sending side, and the receiving side once accepted); otherwise the name
    and ID number typed into the request, masked.
    """
    user = request.user
    access.require(user, access.VIEW, TransferRequest)
    direction = choice_param(request, "direction", ("in", "out"), default="in")
    requests = access.readable(
        user,
        TransferRequest.objects.select_related(
            "to_branch__region", "retiree__person", "retiree__branch", "requested_by__person", "decided_by__person"
        ),
    )
    own_branches = access.readable(user, Branch.all_objects).values("pk")
    if direction == "in":
        requests = requests.filter(to_branch__in=own_branches)
    else:
        requests = requests.exclude(to_branch__in=own_branches)
    requests = requests.order_by(Case(When(status=TransferRequest.Status.PENDING, then=0), default=1), "-requested_at")
    page = Paginator(requests, 25).get_page(request.GET.get("page"))
    access.prefetch(user, page.object_list, access.CHANGE, "decide")
    access.prefetch(user, [r.retiree for r in page.object_list if r.retiree], access.VIEW)
    context = {"page_obj": page, "requests": page.object_list, "direction": direction}
    return render(request, "branches/transferrequest_list.html", context)


def _answer(request: HttpRequest, pk: int, *, action: str, service, message: str) -> HttpResponse:
    """POST: load the transfer request the user may `action` (else 404 / 403), run the service, back to the list."""
    transfer = access.get_writable(
        request.user, TransferRequest.objects.select_related("to_branch"), action=action, pk=pk
    )
    try:
        service(request=transfer, by=request.user)
    except ValidationError as error:
        messages.error(request, join_clauses(error.messages))
    else:
        messages.success(request, message % {"branch": transfer.to_branch})
    direction = "in" if action == access.CHANGE else "out"
    return redirect(f"{reverse('branches:transferrequest_list')}?direction={direction}")


@require_POST
def transferrequest_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request, pk, action="decide", service=services.transfer_accept, message=_("已同意转接：转入%(branch)s")
    )


@require_POST
def transferrequest_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request, pk, action="decide", service=services.transfer_decline, message=_("已拒绝转入%(branch)s的申请")
    )


@require_POST
def transferrequest_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request, pk, action=access.CHANGE, service=services.transfer_withdraw, message=_("已撤回转入%(branch)s的申请")
    )


# --- URLs ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def participation_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add many people to a temporary or functional branch (their membership stays at home)."""
    branch = access.get_writable(request.user, Branch, pk=pk)
    access.require(request.user, "add", Participation)
    form = ParticipationAddForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.participation_add_many(
                branch=branch,
                people=form.cleaned_data["people"],
                start_on=form.cleaned_data["start_on"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已添加%(n)d名参加人员") % {"n": added})
            return redirect(branch)
    return render(request, "branches/participation_add.html", {"form": form, "branch": branch})


urlpatterns: list = [
    path("branches/<int:pk>/participants/add/", participation_add, name="participation_add"),
    path("communities/", community_list, name="community_list"),
    path("communities/<str:code>/", community_detail, name="community_detail"),
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
    path("transfers/", transferrequest_list, name="transferrequest_list"),
    path("transfers/new/", transferrequest_create, name="transferrequest_create"),
    path("transfers/<int:pk>/accept/", transferrequest_accept, name="transferrequest_accept"),
    path("transfers/<int:pk>/decline/", transferrequest_decline, name="transferrequest_decline"),
    path("transfers/<int:pk>/withdraw/", transferrequest_withdraw, name="transferrequest_withdraw"),
]
