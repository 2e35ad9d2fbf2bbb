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
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
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
from branches.imports import ActivityImport
from branches.models import (
    Activity,
    ActivityAttachment,
    ActivityPhoto,
    Attendance,
    Branch,
    Cluster,
    ComplianceRule,
    Retiree,
    WorkCommittee,
    YouthCareCommittee,
    frequency_label,
)
from branches.models.activities import ORGANISER_FIELDS, organiser_type_of
from branches.selectors import activities as selectors
from branches.services.activities import (
    activity_add_files,
    activity_record,
    activity_set_attendance,
    attendance_catch_up,
    attendance_catch_up_all,
    roll_person_ids,
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
from core.models import Person
from core.params import choice_param, date_param, month_param, pk_param, recent_years, text_param, year_param
from core.routing import lifecycle_urls
from core.undo import success_with_undo

# --- helpers ----------------------------------------------------------------------------------


def _date_param(value, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return default


# The query parameter that names each kind of organiser on the record page.
ORGANISER_PARAMS = {
    "branch": Branch,
    "cluster": Cluster,
    "work_committee": WorkCommittee,
    "committee": YouthCareCommittee,
}


def _roll(organiser, on: dt.date, extra_ids=()):
    """The people on the roll: the organiser's on a date (plus `extra_ids`), by party group and pinyin."""
    ids = roll_person_ids(organiser, on) | set(extra_ids)
    people = Person.all_objects.filter(pk__in=ids).select_related("retiree").order_by("pinyin")
    return list(people)


def _roll_rows(people, post=None, existing=None, *, default_present=True, added=()):
    """What the roll shows: from the posted form, the saved attendance, or the default ticks."""
    existing = existing or {}
    added = set(added)
    rows = []
    for person in people:
        saved = existing.get(person.pk)
        if post is not None:
            present = str(person.pk) in post.getlist("present")
            reason = post.get(f"reason_{person.pk}", "")
        elif saved is not None:
            present = saved.status == Attendance.Status.PRESENT
            reason = saved.absence_reason
        else:
            present, reason = default_present and person.pk not in added, ""
        retiree = getattr(person, "retiree", None)
        rows.append(
            {
                "person": person,
                "retiree": retiree,
                "group": retiree.party_group if retiree else "",
                "present": present or person.pk in added,
                "reason": reason,
                "saved": saved,
            }
        )
    # Grouped by 党小组 where the branch has groups (people in none come last), by pinyin within.
    if any(r["group"] for r in rows):
        rows.sort(key=lambda r: (r["group"] == "", _group_order(r["group"])))
    return rows


_NUMERALS = str.maketrans("一二三四五六七八九", "123456789")


def _group_order(name: str) -> str:
    """第二党小组 before 第三党小组 (the characters alone sort 一, 三, 二, 四)."""
    return name.translate(_NUMERALS).replace("十", "1")


def _roll_refresh_attrs(form, url: str) -> None:
    """Changing the date reloads the roll for that date (htmx, no page script)."""
    form.fields["held_on"].widget.attrs.update(
        {
            "hx-get": url,
            "hx-trigger": "change",
            "hx-target": "#yl-members",
            "hx-select": "#yl-members",
            "hx-swap": "outerHTML",
        }
    )


def _organiser_param(request: HttpRequest):
    """The organiser named in the query (`?branch=`, `?cluster=`, `?work_committee=`, `?committee=`).

    None when none is named; 404 for one the user may not see or a malformed value.
    """
    for param, model in ORGANISER_PARAMS.items():
        if request.GET.get(param):
            return param, access.get_readable(request.user, model, pk=pk_param(request, param) or 0)
    return None, None


def _organisers_to_choose(request: HttpRequest) -> dict:
    """The organisers a user may record for, for the choice page: branches they see, and the
    clusters, work committees and committees whose records they may change."""
    user = request.user
    branches = access.readable(user, Branch).filter(dissolved_on__isnull=True)
    query = text_param(request, "q")
    listed = branches.filter(name__contains=query) if query else branches
    page = Paginator(listed.select_related("region").order_by("pinyin"), 30).get_page(request.GET.get("page"))
    others = []
    for param, model in (("cluster", Cluster), ("work_committee", WorkCommittee), ("committee", YouthCareCommittee)):
        if access.can(user, access.VIEW, model):
            rows = access.rows(user, model, access.CHANGE).order_by("name")[:50]
            others.append((model._meta.verbose_name, param, list(rows)))
    return {"page_obj": page, "branches": page, "q": query, "others": [o for o in others if o[2]]}


def _one_organiser(request: HttpRequest):
    """The organiser to record for when the user has exactly one branch and nothing else."""
    user = request.user
    first_two = list(access.readable(user, Branch).filter(dissolved_on__isnull=True).order_by("pinyin")[:2])
    if len(first_two) != 1:
        return None, True
    for model in (Cluster, WorkCommittee, YouthCareCommittee):
        if access.can(user, access.VIEW, model) and access.rows(user, model, access.CHANGE).exists():
            return None, True
    return first_two[0], False


def _roll_context(form, organiser, held_on, people, post, *, existing=None, added=()) -> dict:
    kind = (post.get("kind") if post is not None else None) or form["kind"].value()
    return {
        "organiser": organiser,
        "organiser_type": organiser_type_of(organiser),
        "held_on": held_on,
        "members": _roll_rows(people, post, existing, default_present=kind != Activity.Kind.HOME_STUDY, added=added),
    }


# --- record an activity ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    """The one-minute form: today's date, the organiser's roll ticked present, photos."""
    access.require(request.user, "add", Activity)
    param, organiser = _organiser_param(request)
    many = True
    if organiser is None:
        organiser, many = _one_organiser(request)
        param = "branch"
    if organiser is None:
        return render(request, "branches/activity_branch_choice.html", _organisers_to_choose(request))

    today = timezone.localdate()
    url = f"{reverse('branches:activity_create')}?{param}={organiser.pk}"
    added: list[int] = []
    if request.method == "POST":
        form = ActivityForm(request.POST, request.FILES, user=request.user, organiser=organiser)
        held_on = _date_param(request.POST.get("held_on"), today)
        if form.is_valid():
            held_on = form.cleaned_data["held_on"]
            added = form.added_person_ids()
            listed = roll_person_ids(organiser, held_on) | set(_posted_people(request, form)) | set(added)
            attendance = read_attendance(request.POST, listed, added=added)
            try:
                with transaction.atomic():
                    activity = activity_record(
                        organiser=organiser,
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
        held_on = min(date_param(request, "held_on", default=today), today)
        form = ActivityForm(user=request.user, organiser=organiser, initial={"held_on": held_on})
        post = None
    _roll_refresh_attrs(form, url)
    extra = set(_posted_people(request, form)) | set(added) if post is not None else set()
    context = {
        "form": form,
        "title": _("记录活动"),
        "many_branches": many,
        **_roll_context(form, organiser, held_on, _roll(organiser, held_on, extra), post, added=added),
    }
    return render(request, "branches/activity_form.html", context)


def _posted_people(request: HttpRequest, form) -> list[int]:
    """People added to the roll earlier on this form (`listed` hidden inputs) whom the user may see."""
    ids = [int(v) for v in request.POST.getlist("listed") if v.isdigit()]
    if not ids:
        return []
    return list(access.readable(request.user, Person).filter(pk__in=ids).values_list("pk", flat=True))


class ActivityUpdateView(ScopedUpdateView):
    """Edit the activity and its ticks (optimistic locking through VersionedModelForm)."""

    model = Activity
    form_class = ActivityForm
    template_name = "branches/activity_form.html"
    select_related = ("branch", "cluster", "work_committee", "committee")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["with_files"] = False
        return kwargs

    def _existing(self):
        return {a.person_id: a for a in Attendance.all_objects.filter(activity=self.object, archived_at__isnull=True)}

    def _added(self, form=None):
        if self.request.method != "POST":
            return []
        added = form.added_person_ids() if form is not None and form.is_bound and hasattr(form, "cleaned_data") else []
        return [*_posted_people(self.request, form), *added]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        existing = self._existing()
        post = self.request.POST if self.request.method == "POST" else None
        held_on = self.object.held_on
        added = self._added(context.get("form"))
        people = _roll(self.object.organiser, held_on, {*existing, *added})
        context.update(
            title=_("编辑活动"),
            **_roll_context(
                context["form"], self.object.organiser, held_on, people, post, existing=existing, added=added
            ),
        )
        return context

    def form_valid(self, form):
        existing = self._existing()
        listed = roll_person_ids(self.object.organiser, self.object.held_on) | set(existing) | set(self._added(form))
        self.attendance = read_attendance(self.request.POST, listed, added=self._added(form))
        try:
            return super().form_valid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)

    def check_saved_object(self, obj):
        super().check_saved_object(obj)
        activity_set_attendance(activity=obj, attendance=self.attendance, by=self.request.user)


# --- list, detail, files, archive ---------------------------------------------------------


ORGANISER_RELATED = ("branch", "cluster", "work_committee", "committee")


class ActivityListView(ScopedListView):
    model = Activity
    filterset_class = ActivityFilter
    select_related = ORGANISER_RELATED
    template_name = "branches/activity_list.html"
    export_columns = exports.ACTIVITY

    def get_queryset(self):
        return selectors.with_counts(super().get_queryset()).order_by("-held_on", "-start_time", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The import link: for those who record activities for some branch (not the committees' roles).
        context["may_import"] = ActivityImport().may_use(self.request.user)
        return context


class ActivityDetailView(ScopedDetailView):
    model = Activity
    include_archived = True
    select_related = (*ORGANISER_RELATED, "recorded_by")
    template_name = "branches/activity_detail.html"

    def get_queryset(self):
        return selectors.with_counts(super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The rows the viewer may read: a secretary sees only their own members on a county training.
        attendances = list(
            access.readable(self.request.user, Attendance)
            .filter(activity=self.object)
            .select_related("person")
            .order_by("person__pinyin")
        )
        by_status = {value: [] for value in Attendance.Status.values}
        for attendance in attendances:
            by_status[attendance.status].append(attendance)
        context.update(
            attendance_groups=[
                (label, by_status[value]) for value, label in Attendance.Status.choices if by_status[value]
            ],
            present_count=len(by_status[Attendance.Status.PRESENT]),
            organiser_param=ORGANISER_FIELDS[self.object.organiser_type],
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
    access.require(request.user, "view", Retiree)  # a branch's ledger: for those who keep its members' records
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
    access.require(request.user, "view", Retiree)  # branches' ledgers: not the committees' roles
    year = year_param(request)
    branches = (
        access.readable(request.user, Branch)
        .filter(dissolved_on__isnull=True)
        .select_related("region__parent", "cluster")
        .order_by("pinyin")
    )
    # Every branch in scope is reckoned (two queries for their counts and rules), so the totals
    # are the county's, not the page's; branches no rule assesses are left out. `?to_hold=1`
    # keeps those with a meeting overdue or due now (the home page's 待办).
    to_hold = choice_param(request, "to_hold", ["1"]) == "1"
    assessed = compliance.assessed_calendars(branches, year, to_hold_only=to_hold)
    assessed.sort(key=lambda c: (-c.overdue_count, c.branch.pinyin))
    page = Paginator(assessed, 60).get_page(request.GET.get("page"))
    whole, by_cluster, by_town = compliance.totals(assessed)
    context = {
        "year": year,
        "rows": page.object_list,
        "page_obj": page,
        "years": recent_years(year),
        "whole": whole,
        "by_cluster": by_cluster,
        "by_town": by_town,
        "to_hold": to_hold,
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
    extra_context = {"title": gettext_lazy("新增开会要求")}


class ComplianceRuleUpdateView(ScopedUpdateView):
    model = ComplianceRule
    form_class = ComplianceRuleForm
    template_name = "core/form.html"
    success_url = reverse_lazy("branches:compliancerule_list")
    extra_context = {"title": gettext_lazy("编辑开会要求")}


# --- 送学上门 and political birthdays ---------------------------------------------------------


@require_GET
def home_study_todo(request: HttpRequest) -> HttpResponse:
    """Members absent from a required meeting and not yet visited with the material, oldest first."""
    access.require(request.user, "view", Attendance)
    access.require(request.user, "view", Retiree)  # branch members' absences: not the committees' roles
    people = selectors.home_study_todo_by_person(access.readable(request.user, Attendance))
    page = Paginator(people, 30).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "people": page.object_list,
        "form": CatchUpForm(),
        # Every absence listed is one its reader may record (ActivityChildQuerySet): the role decides.
        "may_catch_up": access.can(request.user, "change", Attendance),
    }
    return render(request, "branches/home_study_todo.html", context)


@require_POST
def home_study_catch_up(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: one tap records the visit for all of a person's missed meetings (one transaction).

    `pk` is the person's, found among the roll lines the user may record: a person on none of
    them is not found (404), whatever exists elsewhere.
    """
    lines = access.rows(request.user, Attendance, access.CHANGE).filter(person_id=pk)
    line = lines.select_related("person").first()
    if line is None:
        raise Http404
    access.require(request.user, access.CHANGE, Attendance)
    name = line.person.name  # only roles that record attendance get here: they see names
    missed = selectors.home_study_todo(lines)
    form = CatchUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写正确的送学日期。"))
    elif not missed.exists():
        messages.info(request, _("%(name)s没有待送学的会议。") % {"name": name})
    else:
        ids = list(missed.values_list("pk", flat=True))
        try:
            count = attendance_catch_up_all(
                attendances=missed.select_for_update(of=("self",)),
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, join_clauses(error.messages))
        else:
            success_with_undo(
                request,
                _("已登记送学上门：%(name)s，%(n)s次会议") % {"name": name, "n": count},
                "home_study",
                next_url=reverse("branches:home_study_todo"),
                person=pk,
                attendances=ids,
                on=form.cleaned_data["on"].isoformat(),
            )
    return HttpResponseRedirect(reverse("branches:home_study_todo"))


@require_POST
def attendance_catch_up_view(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: the absentee was visited with the material (送学上门) on a date."""
    attendance = access.get_writable(
        request.user, Attendance.objects.select_related("activity__branch", "person"), pk=pk
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
            messages.success(request, _("已记录送学上门：%(name)s") % {"name": attendance.person})
    else:
        messages.error(request, _("请填写正确的送学日期。"))
    return HttpResponseRedirect(reverse("branches:home_study_todo"))


@require_GET
def political_birthdays(request: HttpRequest) -> HttpResponse:
    """Members whose Party anniversary falls in a month (default this month), by day."""
    access.require(request.user, "view", Retiree)
    today = timezone.localdate()
    month_start = month_param(request, default=today.replace(day=1), warn=True)
    retirees = access.readable(request.user, Retiree)
    branch_pk = pk_param(request, "branch")
    branch = None
    if branch_pk:
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
        archive_message=gettext_lazy("已删除照片（可恢复：请联系老干部局）"),
    ),
    path("activity-attachments/<int:pk>/", activity_attachment, name="activity_attachment"),
    *lifecycle_urls(
        "activity-attachments/",
        ActivityAttachment,
        "activity_attachment",
        restore=False,
        history=False,
        archive_message=gettext_lazy("已删除附件：%(name)s（可恢复：请联系老干部局）"),
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
    path("home-study/<int:pk>/catch-up/", home_study_catch_up, name="home_study_catch_up"),
    path("birthdays/", political_birthdays, name="political_birthdays"),
]
