"""Views of the organisation area (see branches/models/organisation.py).

Branches, clusters (片组), venues (阵地), youth-care committees (关工委), posts
and term changes (换届), the work committee (党工委) and its guidance visits.
Every access question goes to `core.access` (directly or through the generic
views of core.mixins): outside the scope 404, no permission 403.
The branch detail page (`branches:branch_detail`) is assembled from every
area by the lead; this module renders `branch_organisation_summary` there.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Min
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from branches import exports
from branches.filters.organisation import (
    BranchFilter,
    ClusterFilter,
    CommitteeFilter,
    GuidanceVisitFilter,
    VenueFilter,
)
from branches.forms.organisation import (
    BranchForm,
    ClusterForm,
    CommitteeForm,
    GuidanceVisitForm,
    PostEndForm,
    PostForm,
    TermChangeForm,
    TermPostFormSet,
    VenueForm,
    WorkCommitteeForm,
    WorkCommitteeMemberForm,
)
from branches.models import (
    Activity,
    Branch,
    Cluster,
    GuidanceVisit,
    Participation,
    Post,
    Venue,
    WorkCommittee,
    WorkCommitteeMember,
    YouthCareCommittee,
)
from branches.selectors.activities import branch_activity_summary, organiser_activity_summary
from branches.selectors.organisation import (
    branch_organisation_summary,
    cluster_totals,
    clusters_with_counts,
    committee_detail_data,
    work_committee_members,
)
from branches.selectors.people import branch_people_summary
from branches.selectors.recognition import branch_recognition_summary, committee_recognition_summary
from branches.services.organisation import post_change_term
from core import access
from core.forms import add_service_errors
from core.mixins import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from core.params import choice_param, pk_param, recent_years, year_param
from core.routing import lifecycle_urls

FORM_TEMPLATE = "core/form.html"

# --- Shared pieces ----------------------------------------------------------------------------


class ArchivedListMixin:
    """`?archived=1` lists the archived rows instead, for users who may restore them.

    `annotate(queryset)` adds a list's aggregates before scoping and filtering,
    so the filterset can sort on them.
    """

    def show_archived(self) -> bool:
        return self.request.GET.get("archived") == "1" and access.can(self.request.user, access.RESTORE, self.model)

    def annotate(self, queryset):
        return queryset

    def get_manager(self):
        if self.show_archived():
            return self.annotate(self.model.all_objects.filter(archived_at__isnull=False))
        return self.annotate(self.model.objects.all())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_archived"] = self.show_archived()
        return context


class OrganiserActivitiesMixin:
    """An organiser's page (cluster, work committee, committee) shows its activities of the year."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if access.can(user, access.VIEW, Activity):
            year = year_param(self.request)
            readable = access.readable(user, Activity)
            context["organiser_activities"] = organiser_activity_summary(self.object, year, readable)
            context.setdefault("year", year)
            context.setdefault("years", recent_years(year))
        return context


class ParentObjectMixin:
    """Create views under a parent record (a post of a branch, a member of a work committee).

    Adding a child changes the parent: the parent must be one the user may change
    (404 outside the scope, 403 inside it), then the role must add such children (403).
    """

    parent_model = None
    parent_kwarg = "pk"

    def has_permission(self):
        self.parent = access.get_writable(
            self.request.user, self.parent_model, action=access.CHANGE, pk=self.kwargs[self.parent_kwarg]
        )
        return super().has_permission()


# --- Branches ---------------------------------------------------------------------------------


class BranchListView(ArchivedListMixin, ScopedListView):
    model = Branch
    filterset_class = BranchFilter
    select_related = ("region", "cluster", "parent")
    template_name = "branches/branch_list.html"
    export_columns = exports.BRANCH

    def annotate(self, queryset):
        return queryset.with_member_counts()


class BranchDetailView(ScopedDetailView):
    """A branch's story at a glance: members, posts, this year's activities and
    compliance, open needs, honours. Each area's selector runs a fixed number of
    queries, so the page costs the same for 5 members or 500."""

    model = Branch
    include_archived = True
    select_related = ("region", "parent", "cluster")
    template_name = "branches/branch_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = year_param(self.request)
        branch = self.object
        summary = branch_organisation_summary(branch)
        user = self.request.user
        access.prefetch(user, summary["posts"], access.VIEW_HISTORY, access.CHANGE)
        for linked in (summary["venues"], summary["children"], summary["committees"]):
            access.prefetch(user, linked, access.VIEW)
        context.update(
            year=year,
            years=recent_years(year),
            summary=summary,
            people_summary=branch_people_summary(branch),
            activity_summary=branch_activity_summary(branch, year),
            recognition_summary=branch_recognition_summary(branch),
        )
        if branch.kind in Participation.BRANCH_KINDS and access.can(user, access.VIEW, Participation):
            taking_part = access.readable(user, Participation).filter(branch=branch).current()
            context["participant_count"] = taking_part.count()
            context["participants"] = list(
                taking_part.select_related("person__retiree__branch").order_by("person__pinyin")[:50]
            )
        return context


class BranchCreateView(ScopedCreateView):
    model = Branch
    form_class = BranchForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("新建党支部")}


class BranchUpdateView(ScopedUpdateView):
    model = Branch
    form_class = BranchForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("编辑党支部")}


# --- Clusters ---------------------------------------------------------------------------------


class ClusterListView(ArchivedListMixin, ScopedListView):
    model = Cluster
    filterset_class = ClusterFilter
    select_related = ("region",)
    template_name = "branches/cluster_list.html"
    export_columns = exports.CLUSTER

    def annotate(self, queryset):
        return clusters_with_counts(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = cluster_totals(self.request.user)
        return context


class ClusterDetailView(OrganiserActivitiesMixin, ScopedDetailView):
    model = Cluster
    include_archived = True
    select_related = ("region",)
    template_name = "branches/cluster_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        branches = (
            access.readable(self.request.user, Branch)
            .filter(cluster=self.object)
            .with_member_counts()
            .select_related("region", "parent")
            .order_by("pinyin")
        )
        context["branches"] = list(branches)
        context["member_total"] = sum(b.member_count or 0 for b in context["branches"])
        return context


class ClusterCreateView(ScopedCreateView):
    model = Cluster
    form_class = ClusterForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("新建片组")}


class ClusterUpdateView(ScopedUpdateView):
    model = Cluster
    form_class = ClusterForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("编辑片组")}


# --- Venues -----------------------------------------------------------------------------------


class VenueListView(ArchivedListMixin, ScopedListView):
    model = Venue
    filterset_class = VenueFilter
    select_related = ("region",)
    template_name = "branches/venue_list.html"
    export_columns = exports.VENUE


class VenueDetailView(ScopedDetailView):
    model = Venue
    include_archived = True
    select_related = ("region",)
    template_name = "branches/venue_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["branches"] = access.readable(user, Branch).filter(venues=self.object).order_by("pinyin")
        context["committees"] = access.readable(user, YouthCareCommittee).filter(venues=self.object).order_by("pinyin")
        return context


class VenueCreateView(ScopedCreateView):
    model = Venue
    form_class = VenueForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("新建阵地")}


class VenueUpdateView(ScopedUpdateView):
    model = Venue
    form_class = VenueForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("编辑阵地")}


# --- Youth-care committees --------------------------------------------------------------------


class CommitteeListView(ArchivedListMixin, ScopedListView):
    model = YouthCareCommittee
    filterset_class = CommitteeFilter
    select_related = ("region", "branch", "parent")
    template_name = "branches/committee_list.html"
    export_columns = exports.COMMITTEE

    def annotate(self, queryset):
        return queryset.with_one_shoulder()


class CommitteeDetailView(OrganiserActivitiesMixin, ScopedDetailView):
    model = YouthCareCommittee
    include_archived = True
    select_related = ("region", "branch", "parent")
    template_name = "branches/committee_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = committee_detail_data(self.object)
        user = self.request.user
        access.prefetch(user, data["posts"], access.VIEW_HISTORY, access.CHANGE)
        for linked in (data["venues"], data["children"]):
            access.prefetch(user, linked, access.VIEW)
        if data["one_shoulder"]:
            access.prefetch(user, [p.branch for p in data["one_shoulder"]["branch_posts"]], access.VIEW)
        context.update(data, recognition_summary=committee_recognition_summary(self.object))
        return context


class CommitteeCreateView(ScopedCreateView):
    model = YouthCareCommittee
    form_class = CommitteeForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("新建关工委")}


class CommitteeUpdateView(ScopedUpdateView):
    model = YouthCareCommittee
    form_class = CommitteeForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("编辑关工委")}


# --- Posts and term changes -------------------------------------------------------------------


class PostFormMixin:
    """Post create/update: the database's last word on a second secretary shows on the field."""

    model = Post
    form_class = PostForm
    template_name = "branches/post_form.html"

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except IntegrityError:
            form.add_integrity_error()
            return self.form_invalid(form)


class PostCreateMixin(PostFormMixin, ParentObjectMixin):
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Post(**{self.organisation_field: self.parent})
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisation"] = self.parent
        context["title"] = _("为%(organisation)s添加职务") % {"organisation": self.parent}
        return context


class PostCreateForBranchView(PostCreateMixin, ScopedCreateView):
    parent_model = Branch
    organisation_field = "branch"


class PostCreateForCommitteeView(PostCreateMixin, ScopedCreateView):
    parent_model = YouthCareCommittee
    organisation_field = "committee"


class PostUpdateView(PostFormMixin, ScopedUpdateView):
    select_related = ("person", "branch", "committee")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisation"] = self.object.organisation
        context["title"] = _("编辑职务")
        return context


@require_http_methods(["GET", "POST"])
def post_end(request: HttpRequest, pk: int) -> HttpResponse:
    """离任: the post ends on the date given (it stays in the history and in past counts)."""
    posts = Post.objects.select_related("person", "branch", "committee")
    post = access.get_writable(request.user, posts, action=access.CHANGE, pk=pk)
    form = PostEndForm(request.POST or None, post=post)
    if request.method == "POST" and form.is_valid():
        post.end_on = form.cleaned_data["end_on"]
        post.save(update_fields=["end_on", "updated_at"])
        messages.success(request, _("已办理离任：%(post)s") % {"post": post})
        return redirect(post.organisation.get_absolute_url())
    return render(request, "branches/post_end.html", {"form": form, "post": post})


def _term_change(request: HttpRequest, organisation) -> HttpResponse:
    """The term change page of an organisation the caller has loaded writable: it ends posts and adds posts."""
    user = request.user
    access.require(user, access.CHANGE, Post)
    access.require(user, access.ADD, Post)
    is_branch = isinstance(organisation, Branch)
    roles = Post.Role.branch_roles() if is_branch else Post.Role.committee_roles()
    current = list(organisation.current_posts())
    initial = [
        {
            "person": p.person_id,
            "role": p.role,
            "duty": p.duty,
            "outside_role": p.outside_role,
            "monthly_allowance": p.monthly_allowance,
        }
        for p in current
    ]
    form = TermChangeForm(request.POST or None)
    formset = TermPostFormSet(
        request.POST or None, initial=initial, prefix="posts", form_kwargs={"user": user, "roles": roles}
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            post_change_term(organisation=organisation, on=form.cleaned_data["on"], posts=formset.rows(), by=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("换届完成：%(name)s 新一届委员已生效") % {"name": organisation})
            return HttpResponseRedirect(organisation.get_absolute_url())
    return render(
        request,
        "branches/post_change_term.html",
        {"organisation": organisation, "form": form, "formset": formset, "current": current, "is_branch": is_branch},
    )


@require_http_methods(["GET", "POST"])
def branch_change_term(request: HttpRequest, pk: int) -> HttpResponse:
    """换届 of a branch committee: one page, one transaction."""
    branch = access.get_writable(request.user, Branch, action=access.CHANGE, pk=pk)
    return _term_change(request, branch)


@require_http_methods(["GET", "POST"])
def committee_change_term(request: HttpRequest, pk: int) -> HttpResponse:
    """换届 of a youth-care committee."""
    committee = access.get_writable(request.user, YouthCareCommittee, action=access.CHANGE, pk=pk)
    return _term_change(request, committee)


# --- Work committee and guidance visits ------------------------------------------------------


class WorkCommitteeListView(ArchivedListMixin, ScopedListView):
    model = WorkCommittee
    select_related = ("region",)
    template_name = "branches/workcommittee_list.html"
    export_columns = exports.WORK_COMMITTEE


class WorkCommitteeDetailView(OrganiserActivitiesMixin, ScopedDetailView):
    model = WorkCommittee
    include_archived = True
    select_related = ("region",)
    template_name = "branches/workcommittee_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = year_param(self.request)
        behind_only = choice_param(self.request, "behind", ["1"]) == "1"
        members = work_committee_members(self.object, year=year, behind_only=behind_only)
        user = self.request.user
        visits = list(
            access.readable(user, GuidanceVisit)
            .filter(member__work_committee=self.object, visited_on__year=year)
            .select_related("member__person", "branch")
            .order_by("-visited_on")[:20]
        )
        access.prefetch(user, members, access.VIEW_HISTORY, access.CHANGE)
        access.prefetch(user, {b for m in members for b in m.branches.all()}, access.VIEW)
        access.prefetch(user, visits, access.VIEW_HISTORY, access.CHANGE, access.ARCHIVE)
        # The committee's years go back to its first member's (a county's since 1990s, not five).
        since = self.object.members.aggregate(first=Min("start_on"))["first"]
        context.update(
            year=year,
            years=recent_years(year, since=since.year if since else None),
            members=members,
            behind_count=sum(1 for m in members if m.behind),
            behind_only=behind_only,
            visits=visits,
        )
        return context


class WorkCommitteeCreateView(ScopedCreateView):
    model = WorkCommittee
    form_class = WorkCommitteeForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("新建离退休干部党工委")}


class WorkCommitteeUpdateView(ScopedUpdateView):
    model = WorkCommittee
    form_class = WorkCommitteeForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("编辑离退休干部党工委")}


class WorkCommitteeMemberCreateView(ParentObjectMixin, ScopedCreateView):
    model = WorkCommitteeMember
    parent_model = WorkCommittee
    form_class = WorkCommitteeMemberForm
    template_name = FORM_TEMPLATE

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = WorkCommitteeMember(work_committee=self.parent)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("为%(name)s添加委员") % {"name": self.parent}
        return context


class WorkCommitteeMemberUpdateView(ScopedUpdateView):
    model = WorkCommitteeMember
    form_class = WorkCommitteeMemberForm
    template_name = FORM_TEMPLATE
    select_related = ("person", "work_committee")
    extra_context = {"title": gettext_lazy("编辑党工委委员")}


class GuidanceVisitListView(ScopedListView):
    model = GuidanceVisit
    filterset_class = GuidanceVisitFilter
    select_related = ("member__person", "branch")
    template_name = "branches/guidancevisit_list.html"
    export_columns = exports.GUIDANCE_VISIT

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access.prefetch(self.request.user, context["object_list"], access.VIEW_HISTORY, access.CHANGE, access.ARCHIVE)
        return context


class GuidanceVisitFormMixin:
    model = GuidanceVisit
    form_class = GuidanceVisitForm
    template_name = FORM_TEMPLATE

    def get_success_url(self):
        return reverse("branches:guidancevisit_list")


class GuidanceVisitCreateView(GuidanceVisitFormMixin, ScopedCreateView):
    extra_context = {"title": gettext_lazy("记录到点指导")}

    def get_initial(self):
        initial = super().get_initial()
        for key in ("member", "branch"):
            if pk := pk_param(self.request, key):
                initial[key] = pk
        return initial


class GuidanceVisitUpdateView(GuidanceVisitFormMixin, ScopedUpdateView):
    extra_context = {"title": gettext_lazy("编辑到点指导记录")}


# --- URLs -------------------------------------------------------------------------------


def _crud(prefix: str, noun: str, views: dict) -> list:
    """The usual list/detail/create/update URLs of one model (archive etc.: core.routing.lifecycle_urls)."""
    routes = {
        "list": "",
        "detail": "<int:pk>/",
        "create": "new/",
        "update": "<int:pk>/edit/",
        "archive": "<int:pk>/archive/",
        "restore": "<int:pk>/restore/",
        "history": "<int:pk>/history/",
    }
    return [
        path(f"{prefix}/{routes[action]}", view.as_view(), name=f"{noun}_{action}") for action, view in views.items()
    ]


urlpatterns = [
    path("", BranchListView.as_view(), name="branch_list"),
    path("<int:pk>/", BranchDetailView.as_view(), name="branch_detail"),
    path("new/", BranchCreateView.as_view(), name="branch_create"),
    path("<int:pk>/edit/", BranchUpdateView.as_view(), name="branch_update"),
    *lifecycle_urls("", Branch, "branch", after_archive="branches:branch_list"),
    path(
        "<int:branch_pk>/posts/new/",
        PostCreateForBranchView.as_view(parent_kwarg="branch_pk"),
        name="post_create_for_branch",
    ),
    path("<int:pk>/change-term/", branch_change_term, name="branch_change_term"),
    *_crud(
        "clusters",
        "cluster",
        {
            "list": ClusterListView,
            "detail": ClusterDetailView,
            "create": ClusterCreateView,
            "update": ClusterUpdateView,
        },
    ),
    *lifecycle_urls("clusters/", Cluster, "cluster", after_archive="branches:cluster_list"),
    *_crud(
        "venues",
        "venue",
        {
            "list": VenueListView,
            "detail": VenueDetailView,
            "create": VenueCreateView,
            "update": VenueUpdateView,
        },
    ),
    *lifecycle_urls("venues/", Venue, "venue", after_archive="branches:venue_list"),
    *_crud(
        "committees",
        "committee",
        {
            "list": CommitteeListView,
            "detail": CommitteeDetailView,
            "create": CommitteeCreateView,
            "update": CommitteeUpdateView,
        },
    ),
    *lifecycle_urls("committees/", YouthCareCommittee, "committee", after_archive="branches:committee_list"),
    path(
        "committees/<int:committee_pk>/posts/new/",
        PostCreateForCommitteeView.as_view(parent_kwarg="committee_pk"),
        name="post_create_for_committee",
    ),
    path("committees/<int:pk>/change-term/", committee_change_term, name="committee_change_term"),
    path("posts/<int:pk>/edit/", PostUpdateView.as_view(), name="post_update"),
    path("posts/<int:pk>/end/", post_end, name="post_end"),
    *lifecycle_urls("posts/", Post, "post", restore=False),
    *_crud(
        "work-committees",
        "workcommittee",
        {
            "list": WorkCommitteeListView,
            "detail": WorkCommitteeDetailView,
            "create": WorkCommitteeCreateView,
            "update": WorkCommitteeUpdateView,
        },
    ),
    *lifecycle_urls("work-committees/", WorkCommittee, "workcommittee", after_archive="branches:workcommittee_list"),
    path(
        "work-committees/<int:pk>/members/new/",
        WorkCommitteeMemberCreateView.as_view(),
        name="wcmember_create",
    ),
    *_crud(
        "work-committee-members",
        "wcmember",
        {
            "update": WorkCommitteeMemberUpdateView,
        },
    ),
    *lifecycle_urls("work-committee-members/", WorkCommitteeMember, "wcmember"),
    *_crud(
        "guidance-visits",
        "guidancevisit",
        {
            "list": GuidanceVisitListView,
            "create": GuidanceVisitCreateView,
            "update": GuidanceVisitUpdateView,
        },
    ),
    *lifecycle_urls(
        "guidance-visits/", GuidanceVisit, "guidancevisit", restore=False, after_archive="branches:guidancevisit_list"
    ),
]
