"""Views of the volunteers app: thin, every load through core.access, writes through services.

Plain pages use the scoped generic views of core.mixins; pages that write through a
service are function views that load with `access.get_writable` (404 outside the scope,
403 inside it for a role or row that may not).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from branches.models import Retiree, YouthCareCommittee
from core import access
from core.forms import add_service_errors
from core.mixins import ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView
from core.models import Region
from core.params import PK_MAX, recent_years, year_param
from core.routing import lifecycle_urls
from volunteers import services
from volunteers.certificates import certificate_context, mask_name, render_pdf
from volunteers.filters import (
    CertificateFilter,
    ServiceRecordFilter,
    StudioFilter,
    SuggestionFilter,
    TeamFilter,
    VolunteerFilter,
)
from volunteers.forms import (
    CertificateForm,
    LeaveTeamForm,
    ReturnForm,
    ServiceRecordForm,
    StudioForm,
    SuggestionForm,
    TeamForm,
    TeamMembersForm,
    VolunteerDetailsForm,
    VolunteerRegisterForm,
    VolunteerStatusForm,
    registration_initial,
)
from volunteers.models import (
    ServiceCertificate,
    ServiceHours,
    ServicePhoto,
    ServiceRecord,
    Studio,
    Suggestion,
    Team,
    TeamMembership,
    Volunteer,
    recording_committees,
)
from volunteers.selectors import (
    category_counts,
    committee_pipeline,
    database_view,
    kind_counts,
    service_totals,
    volunteer_service_summary,
    with_hours,
)

FORM_TEMPLATE = "core/form.html"
VERIFY_RATE = "20/m"  # per address: enough for a person checking a few certificates, not for guessing numbers


# --- Volunteers -----------------------------------------------------------------------------


class VolunteerListView(ScopedListView):
    model = Volunteer
    filterset_class = VolunteerFilter
    select_related = ("person", "committee")
    template_name = "volunteers/volunteer_list.html"

    def get_manager(self):
        archived = self.request.GET.get("archived") == "1" and access.can(self.request.user, access.RESTORE, Volunteer)
        return Volunteer.all_objects.filter(archived_at__isnull=False) if archived else Volunteer.objects

    def get_queryset(self):
        return with_hours(super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts, total = category_counts(self.filterset.qs)
        context.update(category_counts=counts, total=total)
        return context


def _registration_retiree(request, committee_id) -> Retiree | None:
    """The pipeline retiree a registration is for (`?retiree=`): one of the committee's pipeline, else 404."""
    raw = request.GET.get("retiree") or request.POST.get("retiree_id")
    if not raw:
        return None
    committee = access.rows(request.user, YouthCareCommittee, access.CHANGE).filter(pk=committee_id or 0).first()
    retiree = committee_pipeline(committee).filter(pk=raw).first() if committee and str(raw).isdigit() else None
    if retiree is None:
        raise Http404
    return retiree


@require_http_methods(["GET", "POST"])
def volunteer_register(request: HttpRequest) -> HttpResponse:
    """登记五老志愿者; `?committee=&retiree=` from the pipeline list prefills it."""
    access.require(request.user, access.ADD, Volunteer)
    committee_id = request.POST.get("committee") or request.GET.get("committee")
    if committee_id and not str(committee_id).isdigit():
        raise Http404
    retiree = _registration_retiree(request, committee_id)
    initial = {"committee": committee_id, **registration_initial(retiree)}
    form = VolunteerRegisterForm(
        request.POST or None, user=request.user, retiree=retiree, initial=initial, instance=Volunteer()
    )
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.volunteer_register(
                by=request.user, volunteer=form.volunteer(), new_person=form.new_person()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("已登记：%(name)s，编号%(number)s") % {"name": volunteer.person.name, "number": volunteer.number},
            )
            return redirect(volunteer)
    title = _("登记五老志愿者")
    if retiree is not None:
        title = _("登记五老志愿者：%(name)s") % {"name": retiree.person.name}
    return render(request, "volunteers/volunteer_register.html", {"form": form, "title": title, "retiree": retiree})


class VolunteerDetailView(ScopedDetailView):
    model = Volunteer
    include_archived = True
    select_related = ("person", "person__region", "committee", "retiree", "retiree__branch")
    template_name = "volunteers/volunteer_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        volunteer = self.object
        history = (
            ServiceHours.objects.filter(volunteer=volunteer, record__archived_at__isnull=True)
            .select_related("record", "record__team")
            .order_by("-record__served_on", "-record_id")
        )
        page = Paginator(history, 25).get_page(self.request.GET.get("page"))
        memberships = volunteer.team_memberships.select_related("team").order_by("left_on", "-joined_on")
        certificates = access.readable(self.request.user, ServiceCertificate).filter(volunteer=volunteer)
        context.update(
            summary=volunteer_service_summary(volunteer),
            page_obj=page,
            history=page.object_list,
            memberships=list(memberships),
            certificates=list(certificates.order_by("-issued_on", "-pk")),
            status_form=VolunteerStatusForm(initial={"status": volunteer.status, "on": timezone.localdate()}),
        )
        return context


class VolunteerPrintView(VolunteerDetailView):
    """五老志愿者登记表: one printable A4 page per volunteer."""

    template_name = "volunteers/volunteer_print.html"


class VolunteerUpdateView(ScopedUpdateView):
    model = Volunteer
    form_class = VolunteerDetailsForm
    select_related = ("person",)
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("编辑志愿者信息")}


@require_POST
def volunteer_status(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = access.get_writable(request.user, Volunteer.objects.select_related("person"), pk=pk)
    form = VolunteerStatusForm(request.POST)
    if form.is_valid():
        try:
            services.volunteer_change_status(by=request.user, volunteer=volunteer, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已更新状态：%(status)s") % {"status": volunteer.get_status_display()})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(volunteer)


def _chosen_region(request):
    """`?region=<code>` among the areas the user may read; default their own (None for everything)."""
    code = request.GET.get("region")
    if code:
        region = access.readable(request.user, Region).filter(code=code).first()
        if region is None:
            raise Http404
        return region
    return request.user.region


@require_GET
def database(request: HttpRequest) -> HttpResponse:
    """五老数据库: counts by category, specialty, age band, health and status for a region, and the
    service done there; numbers only, so leaders see it too."""
    access.require(request.user, "statistics", Volunteer)
    region = _chosen_region(request)
    year = year_param(request)
    volunteers = access.rows(request.user, Volunteer, "statistics")
    records = (
        access.rows(request.user, ServiceRecord, "statistics")
        if access.has_permission(request.user, "volunteers.statistics_servicerecord")
        else ServiceRecord.objects.none()
    )
    suggestions = (
        access.rows(request.user, Suggestion, "statistics")
        if access.has_permission(request.user, "volunteers.statistics_suggestion")
        else Suggestion.objects.none()
    )
    if region is not None:
        volunteers, records, suggestions = (qs.in_region(region) for qs in (volunteers, records, suggestions))
    records = records.filter(served_on__year=year)
    suggestions = suggestions.filter(proposed_on__year=year)
    suggestion_counts = suggestions.aggregate(
        total=Count("pk"), adopted=Count("pk", filter=Q(adopted=True)), decisions=Count("pk", filter=~Q(decision=""))
    )
    context = {
        "region": region,
        "regions": access.readable(request.user, Region).filter(level__in=["county", "town"]).order_by("code")[:200]
        if access.can(request.user, access.VIEW, Region)
        else [],
        "year": year,
        "years": recent_years(year),
        "stats": database_view(volunteers.filter(status__in=[Volunteer.Status.ACTIVE, Volunteer.Status.PAUSED])),
        "all_stats": database_view(volunteers),
        "service": service_totals(records),
        "kinds": kind_counts(records),
        "suggestions": suggestion_counts,
    }
    return render(request, "volunteers/database.html", context)


# --- Service records ------------------------------------------------------------------------


class ServiceRecordListView(ScopedListView):
    model = ServiceRecord
    filterset_class = ServiceRecordFilter
    select_related = ("committee", "team", "recorded_by", "recorded_by__person")
    template_name = "volunteers/servicerecord_list.html"

    def get_queryset(self):
        # Meta.ordering does not apply to a GROUP BY query: say it again.
        rows = super().get_queryset().annotate(volunteer_count=Count("hours"), hour_total=Sum("hours__hours"))
        return rows.order_by("-served_on", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        access.prefetch(self.request.user, rows, "confirm")
        context["object_list"] = rows
        context["totals"] = service_totals(self.filterset.qs.order_by())
        context["may_confirm"] = access.has_permission(self.request.user, "volunteers.confirm_servicerecord")
        context["return_form"] = ReturnForm()
        return context


def _committee_for_recording(request) -> YouthCareCommittee | None:
    """The committee a new record is for: `?committee=`, `?team=`, or the user's only one."""
    committees = recording_committees(request.user)
    team_id = request.GET.get("team")
    committee_id = request.GET.get("committee") or request.POST.get("committee")
    try:
        if team_id:
            team = access.readable(request.user, Team).filter(pk=int(team_id)).first()
            committee_id = team.committee_id if team else None
            if committee_id is None:
                raise Http404
        if committee_id:
            return committees.filter(pk=int(committee_id)).get()
    except (ValueError, YouthCareCommittee.DoesNotExist) as error:
        raise Http404 from error
    only = list(committees[:2])
    return only[0] if len(only) == 1 else None


def _save_record(request, form, record) -> ServiceRecord | None:
    try:
        with transaction.atomic():
            saved = services.service_record_save(
                by=request.user,
                record=record,
                hours=form.per_volunteer,
                photos=form.cleaned_data.get("photos") or [],
                version=form.seen_version() if record.pk else None,
            )
            if not access.rows(request.user, ServiceRecord, access.CHANGE).filter(pk=saved.pk).exists():
                raise PermissionDenied
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    return saved


@require_http_methods(["GET", "POST"])
def servicerecord_create(request: HttpRequest) -> HttpResponse:
    """记录服务: one form, one tick per volunteer who served."""
    access.require(request.user, access.ADD, ServiceRecord)
    committee = _committee_for_recording(request)
    if committee is None:
        committees = recording_committees(request.user).order_by("pinyin")
        return render(request, "volunteers/servicerecord_choose.html", {"committees": committees})
    record = ServiceRecord(committee=committee)
    initial = {"team": request.GET.get("team")} if request.GET.get("team") else {}
    form = ServiceRecordForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        committee=committee,
        instance=record,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_record(request, form, form.instance)
        if saved is not None:
            if saved.status == ServiceRecord.Status.CONFIRMED:
                messages.success(request, _("已记录并确认"))
            else:
                messages.success(request, _("已记录，等待关工委确认"))
            return redirect(saved)
    context = {"form": form, "committee": committee, "title": _("记录志愿服务")}
    return render(request, "volunteers/servicerecord_form.html", context)


@require_http_methods(["GET", "POST"])
def servicerecord_update(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.get_writable(request.user, ServiceRecord.objects.select_related("committee"), pk=pk)
    form = ServiceRecordForm(
        request.POST or None, request.FILES or None, user=request.user, committee=record.committee, instance=record
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_record(request, form, form.instance)
        if saved is not None:
            messages.success(request, _("已保存"))
            return redirect(saved)
    context = {"form": form, "committee": record.committee, "title": _("修改服务记录")}
    return render(request, "volunteers/servicerecord_form.html", context)


class ServiceRecordDetailView(ScopedDetailView):
    model = ServiceRecord
    include_archived = True
    select_related = ("committee", "team", "recorded_by", "recorded_by__person", "confirmed_by", "confirmed_by__person")
    template_name = "volunteers/servicerecord_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["hours"] = list(self.object.hours.select_related("volunteer", "volunteer__person"))
        context["photos"] = list(self.object.photos.all())
        context["return_form"] = ReturnForm()
        return context


class NothingChosen(Exception):
    """The 确认 / 退回 button was pressed with no record ticked."""


def _chosen_records(request):
    """The ticked records the user may see: none ticked is a message, none of them visible a 404."""
    chosen = request.POST.getlist("records")
    if not chosen:
        raise NothingChosen
    pks = [int(pk) for pk in chosen if pk.isdigit() and int(pk) <= PK_MAX]
    records = list(access.readable(request.user, ServiceRecord).filter(pk__in=pks))
    if not records:
        raise Http404
    return records


def _nothing_chosen(request) -> HttpResponse:
    messages.warning(request, _("请先勾选服务记录"))
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("volunteers:servicerecord_list")


def _back(request, records):
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(records[0]) if len(records) == 1 else redirect("volunteers:servicerecord_list")


@require_POST
def servicerecord_confirm(request: HttpRequest) -> HttpResponse:
    """Confirm the ticked records (`records`), one or many."""
    try:
        records = _chosen_records(request)
    except NothingChosen:
        return _nothing_chosen(request)
    access.require(request.user, "confirm", ServiceRecord)
    try:
        count = services.service_records_confirm(by=request.user, records=records)
    except ValidationError as error:
        raise PermissionDenied(error.messages[0]) from error
    messages.success(request, _("已确认%(n)s条服务记录") % {"n": count})
    return _back(request, records)


@require_POST
def servicerecord_return(request: HttpRequest) -> HttpResponse:
    """Send the ticked records back with a reason."""
    try:
        records = _chosen_records(request)
    except NothingChosen:
        return _nothing_chosen(request)
    access.require(request.user, "confirm", ServiceRecord)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写退回原因"))
        return _back(request, records)
    try:
        count = services.service_records_return(by=request.user, records=records, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        raise PermissionDenied(error.messages[0]) from error
    messages.success(request, _("已退回%(n)s条服务记录") % {"n": count})
    return _back(request, records)


@require_GET
def servicephoto(request: HttpRequest, pk: int) -> FileResponse:
    """A photo, streamed to users who may see its record (never a public /media/ URL)."""
    photo = access.get_readable(request.user, ServicePhoto, pk=pk)
    response = FileResponse(photo.image.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Certificates ---------------------------------------------------------------------------


class CertificateListView(ScopedListView):
    """The register of certificates issued (编号登记簿)."""

    model = ServiceCertificate
    filterset_class = CertificateFilter
    select_related = ("volunteer", "volunteer__person", "committee", "issued_by", "issued_by__person")
    template_name = "volunteers/certificate_list.html"


@require_http_methods(["GET", "POST"])
def certificate_create(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = access.get_readable(request.user, Volunteer.objects.select_related("person", "committee"), pk=pk)
    access.require(request.user, access.ADD, ServiceCertificate)
    access.require(request.user, access.CHANGE, volunteer)
    today = timezone.localdate()
    director = volunteer.committee.current_posts().filter(role__in=["director", "executive_director"]).first()
    initial = {
        "period_start": today.replace(month=1, day=1),
        "period_end": today,
        "person_in_charge": director.person.name if director else "",
        "handler": request.user.display_name,
        "contact": request.user.person.mobile if request.user.person_id else "",
    }
    form = CertificateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = services.certificate_issue(by=request.user, volunteer=volunteer, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已出具证明，编号%(number)s") % {"number": certificate.number})
            return redirect(certificate)
    title = _("出具志愿服务记录证明：%(name)s") % {"name": volunteer.person.name}
    return render(request, FORM_TEMPLATE, {"form": form, "title": title})


def _certificate(request, pk):
    return access.get_readable(
        request.user, ServiceCertificate.all_objects.select_related("volunteer", "committee"), pk=pk
    )


@require_GET
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate as it prints on A4 (the same document the PDF renders)."""
    certificate = _certificate(request, pk)
    context = certificate_context(request, certificate)
    return render(request, "volunteers/certificate_page.html", context)


@require_GET
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate(request, pk)
    pdf = render_pdf(request, certificate)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def certificate_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access.get_writable(request.user, ServiceCertificate, action="reissue", pk=pk)
    services.certificate_reissue(by=request.user, certificate=certificate)
    messages.success(request, _("已补发，编号不变：%(number)s") % {"number": certificate.number})
    return redirect(certificate)


@login_not_required
@require_GET
@ratelimit(key="ip", rate=VERIFY_RATE, block=False)
def certificate_verify(request: HttpRequest, number: str) -> HttpResponse:
    """Public: does this certificate exist and is it unchanged? Only a masked name, the period,
    the hours and the issuer are shown."""
    if getattr(request, "limited", False):
        return render(request, "volunteers/certificate_verify.html", {"limited": True}, status=429)
    certificate = (
        ServiceCertificate.all_objects.filter(number=number[:40], archived_at__isnull=True)
        .select_related("committee")
        .first()
    )
    code = request.GET.get("c", "")
    state = "unknown"
    if certificate is not None:
        state = "valid" if certificate.is_unchanged() and code == certificate.verify_code else "altered"
    context = {
        "state": state,
        "number": number[:40],
        "certificate": certificate if state == "valid" else None,
        "masked_name": mask_name(certificate.facts.get("name", "")) if state == "valid" else "",
    }
    response = render(request, "volunteers/certificate_verify.html", context)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Teams ----------------------------------------------------------------------------------


class TeamListView(ScopedListView):
    model = Team
    filterset_class = TeamFilter
    select_related = ("committee", "branch", "leader", "leader__person")
    template_name = "volunteers/team_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(
                member_count=Count(
                    "memberships", filter=Q(memberships__left_on__isnull=True, memberships__archived_at__isnull=True)
                )
            )
        ).order_by("pinyin", "pk")


class TeamDetailView(ScopedDetailView):
    model = Team
    include_archived = True
    select_related = ("committee", "branch", "leader", "leader__person")
    template_name = "volunteers/team_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        team = self.object
        memberships = list(
            team.memberships.select_related("volunteer", "volunteer__person").order_by(
                "left_on", "volunteer__person__pinyin"
            )
        )
        access.prefetch(self.request.user, memberships, access.CHANGE)
        records = access.readable(self.request.user, ServiceRecord).filter(team=team)
        context.update(
            memberships=memberships,
            totals=service_totals(records),
            kinds=kind_counts(records),
            recent=list(records.select_related("committee")[:10]),
            members_form=TeamMembersForm(user=self.request.user, initial={"joined_on": timezone.localdate()}),
            leave_form=LeaveTeamForm(initial={"left_on": timezone.localdate()}, auto_id=False),  # one per member
        )
        return context


class TeamCreateView(ScopedCreateView):
    model = Team
    form_class = TeamForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("新建志愿服务队")}


class TeamUpdateView(ScopedUpdateView):
    model = Team
    form_class = TeamForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("编辑志愿服务队")}


@require_POST
def team_members(request: HttpRequest, pk: int) -> HttpResponse:
    team = access.get_writable(request.user, Team, pk=pk)
    access.require(request.user, access.ADD, TeamMembership)
    form = TeamMembersForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            count = services.team_add_members(by=request.user, team=team, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已加入%(n)s人") % {"n": count})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(team)


@require_POST
def teammembership_leave(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_writable(request.user, TeamMembership.objects.select_related("team"), pk=pk)
    form = LeaveTeamForm(request.POST)
    if form.is_valid():
        try:
            services.team_member_leave(by=request.user, membership=membership, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已办理离队"))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(membership.team)


# --- Studios --------------------------------------------------------------------------------


class StudioListView(ScopedListView):
    model = Studio
    filterset_class = StudioFilter
    select_related = ("committee", "leader", "leader__person", "venue")
    template_name = "volunteers/studio_list.html"


class StudioDetailView(ScopedDetailView):
    model = Studio
    include_archived = True
    select_related = ("committee", "leader", "leader__person", "venue")
    template_name = "volunteers/studio_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = list(self.object.members.select_related("person").order_by("person__pinyin"))
        return context


class StudioCreateView(ScopedCreateView):
    model = Studio
    form_class = StudioForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("新建五老工作室")}


class StudioUpdateView(ScopedUpdateView):
    model = Studio
    form_class = StudioForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("编辑五老工作室")}


# --- Suggestions ----------------------------------------------------------------------------


class SuggestionListView(ScopedListView):
    model = Suggestion
    filterset_class = SuggestionFilter
    select_related = ("committee", "team")
    prefetch_related = ("volunteers__person",)
    template_name = "volunteers/suggestion_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        access.prefetch(self.request.user, rows, access.CHANGE)
        context["object_list"] = rows
        context["counts"] = self.filterset.qs.aggregate(
            total=Count("pk"),
            adopted=Count("pk", filter=Q(adopted=True)),
            decisions=Count("pk", filter=~Q(decision="")),
        )
        return context


class SuggestionCreateView(ScopedCreateView):
    model = Suggestion
    form_class = SuggestionForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("登记建言献策")}

    def get_success_url(self):
        return reverse("volunteers:suggestion_list")


class SuggestionUpdateView(ScopedUpdateView):
    model = Suggestion
    form_class = SuggestionForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("编辑建言献策")}

    def get_success_url(self):
        return reverse("volunteers:suggestion_list")


urlpatterns = [
    path("", VolunteerListView.as_view(), name="volunteer_list"),
    path("register/", volunteer_register, name="volunteer_register"),
    path("database/", database, name="database"),
    path("<int:pk>/", VolunteerDetailView.as_view(), name="volunteer_detail"),
    path("<int:pk>/edit/", VolunteerUpdateView.as_view(), name="volunteer_update"),
    path("<int:pk>/status/", volunteer_status, name="volunteer_status"),
    path("<int:pk>/print/", VolunteerPrintView.as_view(), name="volunteer_print"),
    path("<int:pk>/certificate/", certificate_create, name="certificate_create"),
    *lifecycle_urls("", Volunteer, "volunteer", after_archive="volunteers:volunteer_list"),
    path("service/", ServiceRecordListView.as_view(), name="servicerecord_list"),
    path("service/new/", servicerecord_create, name="servicerecord_create"),
    path("service/confirm/", servicerecord_confirm, name="servicerecord_confirm"),
    path("service/return/", servicerecord_return, name="servicerecord_return"),
    path("service/<int:pk>/", ServiceRecordDetailView.as_view(), name="servicerecord_detail"),
    path("service/<int:pk>/edit/", servicerecord_update, name="servicerecord_update"),
    *lifecycle_urls("service/", ServiceRecord, "servicerecord", after_archive="volunteers:servicerecord_list"),
    path("service-photos/<int:pk>/", servicephoto, name="servicephoto"),
    path("certificates/", CertificateListView.as_view(), name="certificate_list"),
    path("certificates/<int:pk>/", certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/pdf/", certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/reissue/", certificate_reissue, name="certificate_reissue"),
    path("verify/<str:number>/", certificate_verify, name="certificate_verify"),
    path("teams/", TeamListView.as_view(), name="team_list"),
    path("teams/new/", TeamCreateView.as_view(), name="team_create"),
    path("teams/<int:pk>/", TeamDetailView.as_view(), name="team_detail"),
    path("teams/<int:pk>/edit/", TeamUpdateView.as_view(), name="team_update"),
    path("teams/<int:pk>/members/", team_members, name="team_members"),
    *lifecycle_urls("teams/", Team, "team", after_archive="volunteers:team_list"),
    path("team-members/<int:pk>/leave/", teammembership_leave, name="teammembership_leave"),
    path("studios/", StudioListView.as_view(), name="studio_list"),
    path("studios/new/", StudioCreateView.as_view(), name="studio_create"),
    path("studios/<int:pk>/", StudioDetailView.as_view(), name="studio_detail"),
    path("studios/<int:pk>/edit/", StudioUpdateView.as_view(), name="studio_update"),
    *lifecycle_urls("studios/", Studio, "studio", after_archive="volunteers:studio_list"),
    path("suggestions/", SuggestionListView.as_view(), name="suggestion_list"),
    path("suggestions/new/", SuggestionCreateView.as_view(), name="suggestion_create"),
    path("suggestions/<int:pk>/edit/", SuggestionUpdateView.as_view(), name="suggestion_update"),
    *lifecycle_urls("suggestions/", Suggestion, "suggestion", after_archive="volunteers:suggestion_list"),
]
