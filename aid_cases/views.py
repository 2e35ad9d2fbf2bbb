"""Views of the aid app. Thin: load through `core.access` (a child, case or sponsor outside the
user's scope is a 404 for every role, leaders and branch secretaries included), call a service,
render. Every page that shows a child's record, and every export, writes an access-log row.
"""

import csv

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aid_cases import selectors, services
from aid_cases.filters import CareVisitFilter, CaseFilter, ChildFilter, DriveFilter, SponsorFilter
from aid_cases.forms import (
    CareVisitForm,
    CaseForm,
    ChildForm,
    ChildRegisterForm,
    ConsentForm,
    DisbursementForm,
    DonationForm,
    DriveForm,
    EndPairingForm,
    GuardianForm,
    MonthCloseForm,
    PairingForm,
    PauseForm,
    PayoutForm,
    ProgrammeForm,
    ResumeForm,
    RevealIdNumberForm,
    ReverseForm,
    SponsorForm,
    TransitionForm,
)
from aid_cases.models import (
    AidCase,
    CareVisit,
    Child,
    ChildAccessLog,
    Consent,
    Disbursement,
    Donation,
    Drive,
    Guardian,
    Pairing,
    Payout,
    Programme,
    Sponsor,
)
from branches.models import YouthCareCommittee
from core import access
from core.forms import add_service_errors
from core.mixins import ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView
from core.params import recent_years, year_param
from core.routing import lifecycle_urls
from core.validators import mask_id_number


def _form_page(request, form, title, status=200):
    return render(request, "core/form.html", {"form": form, "title": title}, status=status)


# --- Counts only --------------------------------------------------------------------------------


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The aid work's numbers for the user's region: no name, school or village (every aid role, leaders,
    branch secretaries). Cases are counted through the programmes the user's region runs."""
    if not access.has_permission(request.user, "aid_cases.view_aid_overview"):
        raise PermissionDenied
    year = year_param(request)
    user = request.user
    region = user.region
    if region is None and user.role != user.Role.ADMIN:
        # Post-scoped roles: the region of the organisation their posts give them.
        committee = access.readable(user, YouthCareCommittee).select_related("region").first()
        region = committee.region.county() if committee else None
    committees = YouthCareCommittee.objects.all()
    if region is not None:
        committees = committees.filter(region__code__startswith=region.prefix)
    elif user.role != user.Role.ADMIN:
        committees = committees.none()
    numbers = selectors.overview(
        AidCase.objects.filter(committee__in=committees),
        CareVisit.objects.filter(committee__in=committees),
        Disbursement.objects.filter(case__committee__in=committees),
        year,
    )
    context = {"numbers": numbers, "year": year, "years": recent_years(year), "region": region}
    return render(request, "aid_cases/overview.html", context)


# --- Children -----------------------------------------------------------------------------------


class ChildListView(ScopedListView):
    model = Child
    filterset_class = ChildFilter
    select_related = ("person", "region")
    template_name = "aid_cases/child_list.html"

    def get_queryset(self):
        return super().get_queryset().order_by("person__pinyin", "pk")


def _age_or_birth_date(user, person):
    """Age for roles that do not need the birth date (minimum necessary), the date for those that do."""
    if access.has_permission(user, "aid_cases.view_child_birth_date"):
        return {"birth_date": person.birth_date, "age": person.age}
    return {"birth_date": None, "age": person.age}


def _child_page(request, child, *, id_number=None, reveal_form=None, status=200):
    user = request.user
    services.log_child_access(user=user, kind=ChildAccessLog.Kind.VIEW, child=child)
    cases = list(
        access.readable(user, AidCase.all_objects.filter(child=child)).select_related("programme", "committee")
    )
    context = {
        "child": child,
        "object": child,
        "person": child.person,
        **_age_or_birth_date(user, child.person),
        "id_number": id_number or (mask_id_number(child.person.id_number) if child.person.id_number else ""),
        "id_revealed": id_number is not None,
        "may_reveal": bool(child.person.id_number) and access.can_reveal_id_number(user, child),
        "reveal_form": reveal_form or RevealIdNumberForm(),
        "guardians": list(child.guardians.select_related("person")),
        "consents": list(child.consents.all()),
        "cases": cases,
        "viewers": selectors.recent_viewers(child),
    }
    return render(request, "aid_cases/child_detail.html", context, status=status)


@require_GET
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    child = access.get_readable(request.user, Child.all_objects.select_related("person", "region"), pk=pk)
    return _child_page(request, child)


@require_POST
def child_reveal_id_number(request: HttpRequest, pk: int) -> HttpResponse:
    """POST a reason: the page once more, with the whole number (never in a URL); the service logs the
    reason in the children's access log and in the audit trail."""
    child = access.get_readable(request.user, Child.all_objects.select_related("person", "region"), pk=pk)
    access.require_reveal_id_number(request.user, child)
    form = RevealIdNumberForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            number = services.child_reveal_id_number(child=child, by=request.user, reason=reason)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _child_page(request, child, id_number=number)
    return _child_page(request, child, reveal_form=form)


@require_http_methods(["GET", "POST"])
def child_create(request: HttpRequest) -> HttpResponse:
    """Register a child. A child of the county with the same ID number, or the same name, birth date
    and guardian, is shown first; saving then needs the box "not the same child" ticked."""
    access.require(request.user, "add", Child)
    form = ChildRegisterForm(request.POST or None, user=request.user)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        county = data["region"].county()
        if county is not None:
            duplicates = list(
                selectors.possible_duplicates(
                    county=county,
                    id_number=data["id_number"],
                    name=data["name"].strip(),
                    birth_date=data["birth_date"],
                    guardian_name=data["guardian_name"].strip(),
                )
            )
        access.prefetch(request.user, duplicates, "view")
        same_id = any(d.person.id_number and d.person.id_number == data["id_number"] for d in duplicates)
        if same_id:
            form.add_error("id_number", gettext("该身份证号已登记为受助儿童，请打开已有档案，不要重复登记"))
        elif duplicates and not data["not_duplicate"]:
            form.add_error(None, gettext("县内可能已登记过这名儿童，请先核对下面列出的档案"))
        else:
            guardian = services.GuardianData(
                relation=data["guardian_relation"], name=data["guardian_name"].strip(), phone=data["guardian_phone"]
            )
            try:
                child = services.child_register(
                    by=request.user,
                    person=form.person(),
                    child=form.child(),
                    guardian=guardian,
                    consent=form.consent(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied:
                form.add_error("region", gettext("所选村（社区）不在您的管辖范围内"))
            else:
                messages.success(request, gettext("已登记"))
                return redirect(child)
    if not duplicates:  # the "not the same child" box only means something next to a list of candidates
        form.fields["not_duplicate"].widget = forms.HiddenInput()
    context = {"form": form, "title": gettext("登记受助儿童"), "duplicates": duplicates}
    return render(request, "aid_cases/child_register.html", context)


class ChildUpdateView(ScopedUpdateView):
    model = Child
    form_class = ChildForm
    template_name = "core/form.html"
    select_related = ("person",)
    extra_context = {"title": _("编辑儿童信息")}


def _child_part_create(request, pk, form_class, title):
    child = access.get_writable(request.user, Child, pk=pk)
    model = form_class._meta.model
    access.require(request.user, "add", model)
    form = form_class(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        row = form.save(commit=False)
        row.child = child
        row.save()
        messages.success(request, gettext("已保存"))
        return redirect(child)
    return _form_page(request, form, title)


@require_http_methods(["GET", "POST"])
def guardian_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_part_create(request, pk, GuardianForm, gettext("添加监护人"))


@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_part_create(request, pk, ConsentForm, gettext("登记知情同意"))


# --- Programmes ---------------------------------------------------------------------------------


class ProgrammeListView(ScopedListView):
    model = Programme
    select_related = ("committee",)
    template_name = "aid_cases/programme_list.html"


class ProgrammeDetailView(ScopedDetailView):
    model = Programme
    include_archived = True
    select_related = ("committee",)
    template_name = "aid_cases/programme_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cases = AidCase.objects.filter(programme=self.object)
        context["numbers"] = selectors.overview(
            cases, CareVisit.objects.none(), Disbursement.objects.filter(case__in=cases), year_param(self.request)
        )
        return context


class ProgrammeCreateView(ScopedCreateView):
    model = Programme
    form_class = ProgrammeForm
    template_name = "core/form.html"
    extra_context = {"title": _("新建帮扶项目")}


class ProgrammeUpdateView(ScopedUpdateView):
    model = Programme
    form_class = ProgrammeForm
    template_name = "core/form.html"
    extra_context = {"title": _("编辑帮扶项目")}


# --- Cases --------------------------------------------------------------------------------------


class CaseListView(ScopedListView):
    model = AidCase
    filterset_class = CaseFilter
    select_related = ("child__person", "child__region", "programme", "committee")
    template_name = "aid_cases/case_list.html"

    def get_queryset(self):
        return super().get_queryset().order_by(*((self.request.GET.getlist("o") and ()) or ("-registered_on", "-pk")))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_export"] = access.has_permission(self.request.user, "aid_cases.export_aidcase")
        return context


@require_GET
def case_export(request: HttpRequest) -> HttpResponse:
    """The filtered case list as CSV (UTF-8 with BOM for Excel), logged with its filters and row count."""
    if not access.has_permission(request.user, "aid_cases.export_aidcase"):
        raise PermissionDenied
    queryset = access.readable(request.user, AidCase).select_related("child__person", "child__region", "programme")
    filterset = CaseFilter(request.GET or None, queryset=queryset, request=request)
    rows = list(filterset.qs.order_by("child__person__pinyin", "pk"))
    filters = {k: v for k, v in request.GET.items() if v}
    services.log_child_access(user=request.user, kind=ChildAccessLog.Kind.EXPORT, filters=filters, row_count=len(rows))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="aid-cases.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            gettext("姓名"),
            gettext("年龄"),
            gettext("所在村（社区）"),
            gettext("学校"),
            gettext("年级"),
            gettext("帮扶项目"),
            gettext("状态"),
            gettext("登记日期"),
        ]
    )
    for case in rows:
        child = case.child
        writer.writerow(
            [
                child.person.name,
                child.person.age or "",
                child.region.name,
                child.school,
                child.grade,
                case.programme.name,
                case.get_status_display(),
                case.registered_on.isoformat(),
            ]
        )
    return response


@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "add", AidCase)
    initial = {}
    if request.GET.get("child"):
        initial["child"] = request.GET["child"]
    form = CaseForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(case=form.save(commit=False), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            form.add_error("committee", gettext("您无权为这一关工委登记个案"))
        else:
            messages.success(request, gettext("已登记个案，等待乡镇关工委核实"))
            return redirect(case)
    return _form_page(request, form, gettext("登记帮扶个案"))


def _case_page(request, case, *, transition_form=None, status=200):
    user = request.user
    services.log_child_access(user=user, kind=ChildAccessLog.Kind.VIEW, child=case.child)
    pairings = list(case.pairings.select_related("sponsor").prefetch_related("supports", "pauses"))
    money = selectors.money_by_pairing(Pairing.all_objects.filter(case=case))
    for pairing in pairings:
        pairing.money = money.get(pairing.pk)
        pairing.months = selectors.pairing_months(pairing) if len(pairings) <= 3 else []
    disbursements = list(
        case.disbursements.select_related("handed_over_by", "reverses", "pairing__sponsor")
        .prefetch_related("items", Prefetch("reversed_by"))
        .order_by("-paid_on", "-pk")
    )
    access.prefetch(user, disbursements, "reverse")
    access.prefetch(user, pairings, "change")
    context = {
        "case": case,
        "object": case,
        "child": case.child,
        **_age_or_birth_date(user, case.child.person),
        "timeline": list(case.timeline.select_related("by__person")),
        "transitions": services.transitions_for(user, case),
        "transition_form": transition_form or TransitionForm(),
        "pairings": pairings,
        "disbursements": disbursements,
        "disbursed": selectors.disbursement_totals(case.disbursements.all()),
        "visits": list(case.child.care_visits.select_related("committee").order_by("-visited_on")[:20]),
        "drives": list(case.drives.all()),
        "pause_form": PauseForm(auto_id=False),  # one per pairing on the page: no ids to repeat
        "resume_form": ResumeForm(auto_id=False),
        "end_form": EndPairingForm(auto_id=False),
        "reverse_form": ReverseForm(),
    }
    return render(request, "aid_cases/case_detail.html", context, status=status)


_CASE_QS = AidCase.all_objects.select_related("child__person", "child__region", "programme", "committee")


@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_readable(request.user, _CASE_QS, pk=pk)
    return _case_page(request, case)


@require_POST
def case_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of the status flow (verify, approve, activate, close, reopen). Refused: nothing changes."""
    case = access.get_readable(request.user, _CASE_QS, pk=pk)
    transition = services.TRANSITIONS.get(action)
    if transition is None:
        raise PermissionDenied
    access.require(request.user, transition.access_action, case)
    form = TransitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_transition(
                case=case,
                action=action,
                by=request.user,
                on=data["on"],
                comment=data["comment"],
                close_reason=data["close_reason"],
                outcome=data["outcome"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("已%(action)s") % {"action": transition.label})
            return redirect(case)
    case.refresh_from_db()
    return _case_page(request, case, transition_form=form)


# --- Sponsors and pairings ----------------------------------------------------------------------


class SponsorListView(ScopedListView):
    model = Sponsor
    filterset_class = SponsorFilter
    template_name = "aid_cases/sponsor_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["object_list"])
        money = selectors.money_by_sponsor(Pairing.objects.filter(sponsor__in=[s.pk for s in page]))
        for sponsor in page:
            sponsor.money = money.get(sponsor.pk)
        context["object_list"] = page
        return context


class SponsorDetailView(ScopedDetailView):
    model = Sponsor
    include_archived = True
    select_related = ("region", "person")
    template_name = "aid_cases/sponsor_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, sponsor = self.request.user, self.object
        pairings = list(
            access.readable(user, Pairing.all_objects.filter(sponsor=sponsor)).select_related(
                "case__child__person", "case__programme"
            )
        )
        money = selectors.money_by_pairing(Pairing.all_objects.filter(pk__in=[p.pk for p in pairings]))
        for pairing in pairings:
            pairing.money = money.get(pairing.pk)
        context["pairings"] = pairings
        context["by_year"] = selectors.sponsor_giving_by_year(sponsor)
        context["totals"] = selectors.money_by_sponsor(Pairing.all_objects.filter(sponsor=sponsor)).get(sponsor.pk)
        context["donations"] = list(
            access.readable(user, Donation.objects.filter(sponsor=sponsor)).select_related("drive")
        )
        return context


class SponsorCreateView(ScopedCreateView):
    model = Sponsor
    form_class = SponsorForm
    template_name = "core/form.html"
    extra_context = {"title": _("登记资助人")}


class SponsorUpdateView(ScopedUpdateView):
    model = Sponsor
    form_class = SponsorForm
    template_name = "core/form.html"
    extra_context = {"title": _("编辑资助人")}


@require_http_methods(["GET", "POST"])
def pairing_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_writable(request.user, _CASE_QS, pk=pk)
    access.require(request.user, "add", Pairing)
    form = PairingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pairing_create(
                case=case,
                sponsor=data["sponsor"],
                monthly_amount=data["monthly_amount"],
                start_on=data["start_on"],
                planned_end_on=data["planned_end_on"],
                end_condition=data["end_condition"],
                supports=form.supports,
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("已结对"))
            return redirect(case)
    return _form_page(request, form, gettext("结对资助：%(child)s") % {"child": case.child})


def _pairing_step(request, pk, form_class, call, done):
    pairing = access.get_writable(request.user, Pairing.all_objects.select_related("case"), pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(pairing, form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(pairing.case)


@require_POST
def pairing_pause(request: HttpRequest, pk: int) -> HttpResponse:
    return _pairing_step(
        request,
        pk,
        PauseForm,
        lambda p, d: services.pairing_pause(pairing=p, from_month=d["from_month"], reason=d["reason"], by=request.user),
        gettext("已暂停结对"),
    )


@require_POST
def pairing_resume(request: HttpRequest, pk: int) -> HttpResponse:
    return _pairing_step(
        request,
        pk,
        ResumeForm,
        lambda p, d: services.pairing_resume(pairing=p, month=d["month"], by=request.user),
        gettext("已恢复结对"),
    )


@require_POST
def pairing_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _pairing_step(
        request,
        pk,
        EndPairingForm,
        lambda p, d: services.pairing_end(pairing=p, ended_on=d["ended_on"], reason=d["reason"], by=request.user),
        gettext("已结束结对"),
    )


@require_GET
def payments_due(request: HttpRequest) -> HttpResponse:
    """This month's payments due and the arrears, per pairing, per sponsor and per committee (three queries
    of money, three of names, whatever the number of pairings)."""
    access.require(request.user, "view", Pairing)
    pairings = access.readable(request.user, Pairing).exclude(status=Pairing.Status.ENDED)
    open_rows = selectors.pairings_owing(pairings)
    rows = list(
        Pairing.objects.filter(pk__in=open_rows).select_related("sponsor", "case__child__person", "case__committee")
    )
    for pairing in rows:
        pairing.money = open_rows[pairing.pk]
    rows.sort(key=lambda p: (-p.money["arrears"], p.sponsor.pinyin))
    by_sponsor = selectors.money_by_sponsor(pairings)
    sponsors = {s.pk: s for s in Sponsor.objects.filter(pk__in=by_sponsor)}
    by_committee = selectors.money_by_committee(pairings)
    committees = {c.pk: c for c in YouthCareCommittee.objects.filter(pk__in=by_committee)}
    context = {
        "rows": rows,
        "sponsors": sorted(((sponsors[k], v) for k, v in by_sponsor.items()), key=lambda sv: -sv[1]["arrears"]),
        "committees": sorted(((committees[k], v) for k, v in by_committee.items()), key=lambda cv: cv[0].pinyin),
        "month": timezone.localdate().replace(day=1),
        "close_form": MonthCloseForm(user=request.user),
    }
    return render(request, "aid_cases/payments_due.html", context)


# --- Disbursements ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def disbursement_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_writable(request.user, _CASE_QS, pk=pk)
    access.require(request.user, "add", Disbursement)
    initial = {"pairing": request.GET.get("pairing")} if request.GET.get("pairing") else {}
    form = DisbursementForm(request.POST or None, request.FILES or None, user=request.user, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.disbursement_record(
                case=case,
                by=request.user,
                paid_on=data["paid_on"],
                amount=data["amount"] or 0,
                items=form.items,
                pairing=data["pairing"],
                for_month=data["for_month"],
                handed_over_by=data["handed_over_by"],
                present=data["present"],
                receipt=data["receipt"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("已登记发放"))
            return redirect(case)
    return _form_page(request, form, gettext("登记发放：%(child)s") % {"child": case.child})


@require_GET
def disbursement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    disbursement = access.get_readable(
        request.user,
        Disbursement.all_objects.select_related(
            "case__child__person", "handed_over_by", "reverses", "pairing__sponsor"
        ),
        pk=pk,
    )
    services.log_child_access(user=request.user, kind=ChildAccessLog.Kind.VIEW, child=disbursement.case.child)
    context = {
        "object": disbursement,
        "items": list(disbursement.items.all()),
        "reversal": Disbursement.all_objects.filter(reverses=disbursement).first(),
        "reverse_form": ReverseForm(),
    }
    return render(request, "aid_cases/disbursement_detail.html", context)


@require_POST
def disbursement_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    original = access.get_writable(
        request.user, Disbursement.all_objects.select_related("case"), pk=pk, action="reverse"
    )
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            services.disbursement_reverse(original=original, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, gettext("已冲销，原发放和冲销记录都保留在个案中"))
    else:
        messages.error(request, gettext("请填写冲销原因"))
    return redirect(original.case)


@require_GET
def disbursement_receipt(request: HttpRequest, pk: int) -> FileResponse:
    """A receipt, streamed to users who may see its case (never a public /media/ URL); logged like the record."""
    disbursement = access.get_readable(request.user, Disbursement.all_objects.select_related("case"), pk=pk)
    if not disbursement.receipt:
        from django.http import Http404

        raise Http404
    services.log_child_access(user=request.user, kind=ChildAccessLog.Kind.VIEW, child=disbursement.case.child)
    response = FileResponse(disbursement.receipt.open("rb"))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def month_close(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "add", Disbursement)
    form = MonthCloseForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.month_close(
                committee=form.cleaned_data["committee"], month=form.cleaned_data["month"], by=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, gettext("已月结：此后不能再登记或更改该月的发放，更正请用冲销"))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("aid_cases:payments_due")


# --- Care visits --------------------------------------------------------------------------------


class CareVisitListView(ScopedListView):
    model = CareVisit
    filterset_class = CareVisitFilter
    select_related = ("committee",)
    template_name = "aid_cases/carevisit_list.html"

    def get_queryset(self):
        from django.db.models import Count

        return super().get_queryset().annotate(children_count=Count("children")).order_by("-visited_on", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visits = access.readable(self.request.user, CareVisit)
        year = year_param(self.request)
        context["by_year"] = selectors.visit_sums_by_year(visits)
        context["by_town"] = selectors.visit_sums_by_town(visits, year)
        context["year"], context["years"] = year, recent_years(year)
        return context


class CareVisitDetailView(ScopedDetailView):
    model = CareVisit
    include_archived = True
    select_related = ("committee",)
    prefetch_related = ("children__person", "visitors")
    template_name = "aid_cases/carevisit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The visit names children: each one is a view of a child's data.
        services.log_children_viewed(user=self.request.user, children=self.object.children.all())
        return context


class CareVisitCreateView(ScopedCreateView):
    model = CareVisit
    form_class = CareVisitForm
    template_name = "core/form.html"
    extra_context = {"title": _("登记慰问")}


# --- Drives -------------------------------------------------------------------------------------


class DriveListView(ScopedListView):
    model = Drive
    filterset_class = DriveFilter
    select_related = ("committee",)
    template_name = "aid_cases/drive_list.html"

    def get_queryset(self):
        return selectors.drives_with_totals(super().get_queryset())


class DriveDetailView(ScopedDetailView):
    model = Drive
    include_archived = True
    select_related = ("committee", "case__child__person")
    template_name = "aid_cases/drive_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        drive = self.object
        context["totals"] = selectors.drive_totals(drive)
        context["donations"] = list(drive.donations.select_related("sponsor"))
        context["payouts"] = list(drive.payouts.all())
        context["payout_form"] = PayoutForm()
        return context


class DriveCreateView(ScopedCreateView):
    model = Drive
    form_class = DriveForm
    template_name = "core/form.html"
    extra_context = {"title": _("发起募捐")}


@require_http_methods(["GET", "POST"])
def donation_create(request: HttpRequest, pk: int) -> HttpResponse:
    drive = access.get_writable(request.user, Drive, pk=pk)
    access.require(request.user, "add", Donation)
    form = DonationForm(request.POST or None, user=request.user, drive=drive)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("已登记捐赠"))
        return redirect(drive)
    return _form_page(request, form, gettext("登记捐赠：%(drive)s") % {"drive": drive})


@require_http_methods(["GET", "POST"])
def payout_create(request: HttpRequest, pk: int) -> HttpResponse:
    drive = access.get_writable(request.user, Drive, pk=pk)
    access.require(request.user, "add", Payout)
    form = PayoutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.payout_record(drive=drive, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("已登记支出"))
            return redirect(drive)
    return _form_page(request, form, gettext("登记募捐支出：%(drive)s") % {"drive": drive})


# --- URLs ---------------------------------------------------------------------------------------

urlpatterns: list = [
    path("", overview, name="overview"),
    path("children/", ChildListView.as_view(), name="child_list"),
    path("children/new/", child_create, name="child_create"),
    path("children/<int:pk>/", child_detail, name="child_detail"),
    path("children/<int:pk>/edit/", ChildUpdateView.as_view(), name="child_update"),
    path("children/<int:pk>/id-number/", child_reveal_id_number, name="child_reveal_id_number"),
    path("children/<int:pk>/guardians/new/", guardian_create, name="guardian_create"),
    path("children/<int:pk>/consents/new/", consent_create, name="consent_create"),
    *lifecycle_urls("children/", Child, "child", after_archive="aid_cases:child_list"),
    *lifecycle_urls("guardians/", Guardian, "guardian", restore=False, history=False),
    *lifecycle_urls("consents/", Consent, "consent", restore=False, history=False),
    path("programmes/", ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/new/", ProgrammeCreateView.as_view(), name="programme_create"),
    path("programmes/<int:pk>/", ProgrammeDetailView.as_view(), name="programme_detail"),
    path("programmes/<int:pk>/edit/", ProgrammeUpdateView.as_view(), name="programme_update"),
    path("cases/", CaseListView.as_view(), name="case_list"),
    path("cases/export/", case_export, name="case_export"),
    path("cases/new/", case_create, name="case_create"),
    path("cases/<int:pk>/", case_detail, name="case_detail"),
    path("cases/<int:pk>/step/<slug:action>/", case_transition, name="case_transition"),
    path("cases/<int:pk>/pairings/new/", pairing_create, name="pairing_create"),
    path("cases/<int:pk>/disbursements/new/", disbursement_create, name="disbursement_create"),
    *lifecycle_urls("cases/", AidCase, "case", restore=False),
    path("pairings/<int:pk>/pause/", pairing_pause, name="pairing_pause"),
    path("pairings/<int:pk>/resume/", pairing_resume, name="pairing_resume"),
    path("pairings/<int:pk>/end/", pairing_end, name="pairing_end"),
    path("payments-due/", payments_due, name="payments_due"),
    path("month-close/", month_close, name="month_close"),
    path("disbursements/<int:pk>/", disbursement_detail, name="disbursement_detail"),
    path("disbursements/<int:pk>/reverse/", disbursement_reverse, name="disbursement_reverse"),
    path("disbursements/<int:pk>/receipt/", disbursement_receipt, name="disbursement_receipt"),
    path("sponsors/", SponsorListView.as_view(), name="sponsor_list"),
    path("sponsors/new/", SponsorCreateView.as_view(), name="sponsor_create"),
    path("sponsors/<int:pk>/", SponsorDetailView.as_view(), name="sponsor_detail"),
    path("sponsors/<int:pk>/edit/", SponsorUpdateView.as_view(), name="sponsor_update"),
    path("visits/", CareVisitListView.as_view(), name="carevisit_list"),
    path("visits/new/", CareVisitCreateView.as_view(), name="carevisit_create"),
    path("visits/<int:pk>/", CareVisitDetailView.as_view(), name="carevisit_detail"),
    path("drives/", DriveListView.as_view(), name="drive_list"),
    path("drives/new/", DriveCreateView.as_view(), name="drive_create"),
    path("drives/<int:pk>/", DriveDetailView.as_view(), name="drive_detail"),
    path("drives/<int:pk>/donations/new/", donation_create, name="donation_create"),
    path("drives/<int:pk>/payouts/new/", payout_create, name="payout_create"),
]
