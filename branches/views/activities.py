"""Views of the activities area: the activity log, its files, the compliance
calendar, 送学上门 to-dos and political birthdays (see branches/models/activities.py).

Every access question goes to `core.access`: outside the scope 404, a role
without the permission or a row the querysets keep from the user 403.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches import compliance, exports
from branches.filters.activities import ActivityFilter, ComplianceRuleFilter
from branches.forms.activities import (
    ActivityFilesForm,
    ActivityForm,
    CatchUpForm,
    ComplianceRuleForm,
    read_attendance,
)
from branches.models import (
    Activity,
    ActivityAttachment,
    ActivityPhoto,
    Attendance,
    Branch,
    ComplianceRule,
    Membership,
    Retiree,
    frequency_label,
)
from branches.selectors import activities as selectors
from branches.services.activities import (
    activity_add_files,
    activity_record,
    activity_set_attendance,
    attendance_catch_up,
    member_ids_on,
)
from core import access
from core.formatting import join_clauses
from core.forms import add_service_errors
from core.mixins import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from core.params import recent_years, year_param
from core.routing import lifecycle_urls

# --- helpers ----------------------------------------------------------------------------------


def _date_param(value, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return default


def _members(branch, on: dt.date, extra_ids=()):
    """Members of the branch on a date (plus `extra_ids`), by pinyin: one query."""
    ids = Membership.objects.filter(branch=branch).open_on(on).values("retiree_id")
    condition = Q(pk__in=ids, archived_at__isnull=True)
    if extra_ids:
        condition |= Q(pk__in=list(extra_ids))
    return list(Retiree.all_objects.filter(condition).select_related("person").order_by("person__pinyin"))


def _member_rows(members, post=None, existing=None):
    """What the tick boxes show: from the posted form, the saved attendance, or all present."""
    existing = existing or {}
    rows = []
    for retiree in members:
        saved = existing.get(retiree.pk)
        if post is not None:
            present = str(retiree.pk) in post.getlist("present")
            reason = post.get(f"reason_{retiree.pk}", "")
        elif saved is not None:
            present = saved.status == Attendance.Status.PRESENT
            reason = saved.absence_reason
        else:
            present, reason = True, ""
        rows.append({"retiree": retiree, "present": present, "reason": reason, "saved": saved})
    return rows


def _members_refresh_attrs(form, url: str) -> None:
    """Changing the date reloads the member list for that date (htmx, no page script)."""
    form.fields["held_on"].widget.attrs.update(
        {
            "hx-get": url,
            "hx-trigger": "change",
            "hx-target": "#yl-members",
            "hx-select": "#yl-members",
            "hx-swap": "outerHTML",
        }
    )


# --- record an activity ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    """The one-minute form: today's date, the branch's members ticked present, photos."""
    access.require(request.user, "add", Activity)
    branches = access.readable(request.user, Branch).filter(dissolved_on__isnull=True)
    first_two = list(branches.order_by("pinyin")[:2])
    branch_pk = request.GET.get("branch", "")
    if branch_pk:
        branch = access.get_readable(request.user, branches, pk=branch_pk if branch_pk.isdigit() else 0)
    elif len(first_two) == 1:
        branch = first_two[0]
    else:
        query = request.GET.get("q", "").strip()
        listed = branches.filter(name__contains=query) if query else branches
        page = Paginator(listed.select_related("region").order_by("pinyin"), 30).get_page(request.GET.get("page"))
        context = {"page_obj": page, "branches": page, "q": query}
        return render(request, "branches/activity_branch_choice.html", context)

    today = timezone.localdate()
    url = f"{reverse('branches:activity_create')}?branch={branch.pk}"
    if request.method == "POST":
        form = ActivityForm(request.POST, request.FILES, user=request.user, branch=branch)
        held_on = _date_param(request.POST.get("held_on"), today)
        if form.is_valid():
            held_on = form.cleaned_data["held_on"]
            attendance = read_attendance(request.POST, member_ids_on(branch, held_on))
            try:
                with transaction.atomic():
                    activity = activity_record(
                        branch=branch,
                        data=form.activity_data(),
                        attendance=attendance,
                        photos=form.cleaned_data["photos"],
                        attachments=form.cleaned_data["attachments"],
                        by=request.user,
                    )
                    # The entry must be one the user may change (else nothing is kept).
                    access.require(request.user, "change", activity)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("已记录：%(name)s") % {"name": activity.topic})
                return redirect(activity)
        post = request.POST
    else:
        held_on = min(_date_param(request.GET.get("held_on"), today), today)
        form = ActivityForm(user=request.user, branch=branch, initial={"held_on": held_on})
        post = None
    _members_refresh_attrs(form, url)
    context = {
        "form": form,
        "branch": branch,
        "held_on": held_on,
        "members": _member_rows(_members(branch, held_on), post),
        "title": _("记录活动"),
        "many_branches": len(first_two) > 1,
    }
    return render(request, "branches/activity_form.html", context)


class ActivityUpdateView(ScopedUpdateView):
    """Edit the activity and its ticks (optimistic locking through VersionedModelForm)."""

    model = Activity
    form_class = ActivityForm
    template_name = "branches/activity_form.html"
    select_related = ("branch",)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["with_files"] = False
        return kwargs

    def _existing(self):
        return {a.retiree_id: a for a in Attendance.all_objects.filter(activity=self.object)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        existing = self._existing()
        post = self.request.POST if self.request.method == "POST" else None
        held_on = self.object.held_on
        context.update(
            branch=self.object.branch,
            held_on=held_on,
            members=_member_rows(_members(self.object.branch, held_on, existing), post, existing),
            title=_("编辑活动"),
        )
        return context

    def post(self, request, *args, **kwargs):
        existing = self._existing()
        listed = [r.pk for r in _members(self.object.branch, self.object.held_on, existing)]
        self.attendance = read_attendance(request.POST, listed)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)

    def check_saved_object(self, obj):
        super().check_saved_object(obj)
        activity_set_attendance(activity=obj, attendance=self.attendance, by=self.request.user)


# --- list, detail, files, archive ---------------------------------------------------------


class ActivityListView(ScopedListView):
    model = Activity
    filterset_class = ActivityFilter
    select_related = ("branch",)
    template_name = "branches/activity_list.html"
    export_columns = exports.ACTIVITY

    def get_queryset(self):
        return selectors.with_counts(super().get_queryset()).order_by("-held_on", "-start_time", "-pk")


class ActivityDetailView(ScopedDetailView):
    model = Activity
    include_archived = True
    select_related = ("branch", "recorded_by")
    template_name = "branches/activity_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        attendances = list(
            self.object.attendances.select_related("retiree__person").order_by("retiree__person__pinyin")
        )
        by_status = {value: [] for value in Attendance.Status.values}
        for attendance in attendances:
            by_status[attendance.status].append(attendance)
        context.update(
            attendance_groups=[
                (label, by_status[value]) for value, label in Attendance.Status.choices if by_status[value]
            ],
            present_count=len(by_status[Attendance.Status.PRESENT]),
            photos=list(self.object.photos.all()),
            attachments=list(self.object.attachments.all()),
            photo_limit=ActivityPhoto.MAX_PER_ACTIVITY,
        )
        return context


@require_http_methods(["GET", "POST"])
def activity_add_files_view(request: HttpRequest, pk: int) -> HttpResponse:
    """More photos (up to 10 in all) and attachments for a recorded activity: changing it."""
    activity = access.get_writable(request.user, Activity.objects.select_related("branch"), pk=pk)
    access.require(request.user, "add", ActivityPhoto)
    access.require(request.user, "add", ActivityAttachment)
    form = ActivityFilesForm(request.POST or None, request.FILES or None, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            activity_add_files(
                activity=activity,
                photos=form.cleaned_data["photos"],
                attachments=form.cleaned_data["attachments"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已上传"))
            return redirect(activity)
    context = {"form": form, "activity": activity, "photo_count": form.existing_photos}
    return render(request, "branches/activity_files.html", context)


def _file_response(file, filename: str | None = None, as_attachment: bool = False) -> FileResponse:
    response = FileResponse(file.open("rb"), as_attachment=as_attachment, filename=filename or file.name)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def activity_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo, streamed to users who may see its activity (never a public /media/ URL)."""
    photo = access.get_readable(request.user, ActivityPhoto, pk=pk)
    return _file_response(photo.image)


@require_GET
def activity_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment, downloaded under its original name by users who may see its activity."""
    attachment = access.get_readable(request.user, ActivityAttachment, pk=pk)
    return _file_response(attachment.file, attachment.name, as_attachment=True)


# --- compliance ---------------------------------------------------------------------------


@require_GET
def compliance_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One branch's compliance calendar for a year (two queries for the numbers)."""
    branch = access.get_readable(request.user, Branch.objects.select_related("region"), pk=pk)
    access.require(request.user, "view", Activity)
    year = year_param(request)
    calendar = compliance.branch_calendar(branch, year)
    context = {
        "branch": branch,
        "year": year,
        "calendar": calendar,
        "months": range(1, 13),
        "years": recent_years(year),
    }
    return render(request, "branches/compliance_calendar.html", context)


@require_GET
def compliance_overview(request: HttpRequest) -> HttpResponse:
    """Every branch in scope with its overdue, due and done periods this year."""
    access.require(request.user, "view", Activity)
    year = year_param(request)
    branches = access.readable(request.user, Branch).filter(dissolved_on__isnull=True).order_by("pinyin")
    page = Paginator(branches, 60).get_page(request.GET.get("page"))
    rows = sorted(compliance.calendars(page.object_list, year), key=lambda c: (-c.overdue_count, c.branch.name))
    context = {
        "year": year,
        "rows": rows,
        "page_obj": page,
        "years": recent_years(year),
        "total_overdue": sum(c.overdue_count for c in rows),
    }
    return render(request, "branches/compliance_overview.html", context)


class ComplianceRuleListView(ScopedListView):
    model = ComplianceRule
    filterset_class = ComplianceRuleFilter
    select_related = ("region",)
    template_name = "branches/compliancerule_list.html"
    export_columns = exports.COMPLIANCE_RULE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["defaults"] = [
            _("%(kind)s%(frequency)s")
            % {"kind": Activity.Kind(kind).label, "frequency": frequency_label(period, times)}
            for kind, (period, times) in compliance.DEFAULT_RULES.items()
        ]
        return context


class ComplianceRuleCreateView(ScopedCreateView):
    model = ComplianceRule
    form_class = ComplianceRuleForm
    template_name = "core/form.html"
    success_url = reverse_lazy("branches:compliancerule_list")
    extra_context = {"title": gettext_lazy("新增活动频次要求")}


class ComplianceRuleUpdateView(ScopedUpdateView):
    model = ComplianceRule
    form_class = ComplianceRuleForm
    template_name = "core/form.html"
    success_url = reverse_lazy("branches:compliancerule_list")
    extra_context = {"title": gettext_lazy("编辑活动频次要求")}


# --- 送学上门 and political birthdays ---------------------------------------------------------


@require_GET
def home_study_todo(request: HttpRequest) -> HttpResponse:
    """Members absent from a required meeting and not yet visited with the material, oldest first."""
    access.require(request.user, "view", Attendance)
    todos = selectors.home_study_todo(access.readable(request.user, Attendance))
    page = Paginator(todos, 30).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "todos": page.object_list,
        "form": CatchUpForm(),
        # Every absence listed is one its reader may record (ActivityChildQuerySet): the role decides.
        "may_catch_up": access.can(request.user, "change", Attendance),
    }
    return render(request, "branches/home_study_todo.html", context)


@require_POST
def attendance_catch_up_view(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: the absentee was visited with the material (送学上门) on a date."""
    attendance = access.get_writable(
        request.user, Attendance.objects.select_related("activity__branch", "retiree__person"), pk=pk
    )
    form = CatchUpForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                attendance_catch_up(
                    attendance=attendance,
                    on=form.cleaned_data["on"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
        except ValidationError as error:
            messages.error(request, join_clauses(error.messages))
        else:
            messages.success(request, _("已记录送学上门：%(name)s") % {"name": attendance.retiree})
    else:
        messages.error(request, _("请填写正确的送学日期。"))
    return HttpResponseRedirect(reverse("branches:home_study_todo"))


@require_GET
def political_birthdays(request: HttpRequest) -> HttpResponse:
    """Members whose Party anniversary falls in a month (default this month), by day."""
    access.require(request.user, "view", Retiree)
    today = timezone.localdate()
    month_start = _date_param(f"{request.GET.get('month', '')}-01", today.replace(day=1))
    retirees = access.readable(request.user, Retiree)
    branch_pk = request.GET.get("branch", "")
    branch = None
    if branch_pk.isdigit():
        branch = access.get_readable(request.user, Branch, pk=branch_pk)
        retirees = retirees.filter(branch=branch)
    people = selectors.political_birthdays(retirees, month_start.year, month_start.month)
    previous = (month_start - dt.timedelta(days=1)).replace(day=1)
    following = (month_start + dt.timedelta(days=32)).replace(day=1)
    context = {
        "people": people,
        "month": month_start,
        "previous": previous,
        "following": following,
        "branch": branch,
    }
    return render(request, "branches/birthdays_list.html", context)


# --- URLs ------------------------------------------------------------------------------------

urlpatterns: list = [
    path("activities/", ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", activity_create, name="activity_create"),
    path("activities/<int:pk>/", ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", ActivityUpdateView.as_view(), name="activity_update"),
    path("activities/<int:pk>/files/", activity_add_files_view, name="activity_add_files"),
    *lifecycle_urls("activities/", Activity, "activity", after_archive="branches:activity_list"),
    path("activity-photos/<int:pk>/", activity_photo, name="activity_photo"),
    *lifecycle_urls(
        "activity-photos/",
        ActivityPhoto,
        "activity_photo",
        restore=False,
        history=False,
        archive_message=gettext_lazy("已删除照片（已归档，可由老干部局恢复）"),
    ),
    path("activity-attachments/<int:pk>/", activity_attachment, name="activity_attachment"),
    *lifecycle_urls(
        "activity-attachments/",
        ActivityAttachment,
        "activity_attachment",
        restore=False,
        history=False,
        archive_message=gettext_lazy("已删除附件：%(name)s（已归档，可由老干部局恢复）"),
    ),
    path("compliance/", compliance_overview, name="compliance_overview"),
    path("compliance/<int:pk>/", compliance_view, name="compliance"),
    path("compliance-rules/", ComplianceRuleListView.as_view(), name="compliancerule_list"),
    path("compliance-rules/new/", ComplianceRuleCreateView.as_view(), name="compliancerule_create"),
    path("compliance-rules/<int:pk>/edit/", ComplianceRuleUpdateView.as_view(), name="compliancerule_update"),
    *lifecycle_urls(
        "compliance-rules/",
        ComplianceRule,
        "compliancerule",
        restore=False,
        history=False,
        after_archive="branches:compliancerule_list",
    ),
    path("home-study/", home_study_todo, name="home_study_todo"),
    path("attendance/<int:pk>/catch-up/", attendance_catch_up_view, name="attendance_catch_up"),
    path("birthdays/", political_birthdays, name="political_birthdays"),
]
