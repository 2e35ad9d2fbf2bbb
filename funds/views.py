"""Pages of the funds ledger: thin views, every load through core.access, writes in funds.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches.models import Branch, YouthCareCommittee
from core import access
from core.forms import add_service_errors
from core.mixins import HistoryView, ScopedUpdateView
from core.models import Region
from core.params import choice_param, recent_years, year_param
from core.routing import lifecycle_urls
from funds import exports, services
from funds.filters import EntryFilter
from funds.forms import (
    AllocationForm,
    BudgetForm,
    EntryEditForm,
    EntryForm,
    MonthCloseForm,
    PayMonthForm,
    PerHeadForm,
    PeriodForm,
    ReverseForm,
)
from funds.models import Budget, Category, Direction, FundEntry, Ledger
from funds.selectors import (
    activity_funds_per_head,
    allowances_due_rows,
    allowances_due_totals,
    book_rows,
    budget_use,
    category_totals,
    entry_totals,
    ledger_summary,
    ledgers_near_overspend,
    ledgers_with_totals,
    paid_in_month,
    running_balances,
)

FORM_TEMPLATE = "core/form.html"
PAGE_SIZE = 50


def _ledgers(user):
    return access.readable(user, Ledger).select_related("branch", "committee", "county")


def _entry_source():
    return FundEntry.all_objects.select_related(
        "ledger__branch", "ledger__committee", "ledger__county", "counterparty_person", "activity", "post__person"
    )


# --- Ledgers ---------------------------------------------------------------------------------


@require_GET
def ledger_list(request: HttpRequest) -> HttpResponse:
    """Every ledger the user may see with this year's income, spending and balance (one query)."""
    access.require(request.user, access.VIEW, Ledger)
    year = year_param(request)
    ledgers = _ledgers(request.user)
    # `?near_overspend=1`: those with a budget line of the year about to overspend (the home page's 待办).
    near_overspend = choice_param(request, "near_overspend", ["1"]) == "1"
    if near_overspend:
        ledgers = ledgers_near_overspend(ledgers, year)
    ledgers = ledgers_with_totals(ledgers, year).order_by("county", "branch__pinyin", "committee__pinyin")
    page = Paginator(ledgers, PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    county = user.region.county() if getattr(user, "region_id", None) else None
    context = {
        "page_obj": page,
        "ledgers": page.object_list,
        "year": year,
        "years": recent_years(year),
        "near_overspend": near_overspend,
        "county_without_ledger": county
        if county and access.can(user, access.ADD, Ledger) and not Ledger.all_objects.filter(county=county).exists()
        else None,
    }
    return render(request, "funds/ledger_list.html", context)


@require_POST
def ledger_open(request: HttpRequest) -> HttpResponse:
    """Open the ledger of a branch, a committee or the user's county office (POST branch=, committee= or county=)."""
    access.require(request.user, access.ADD, Ledger)
    user = request.user
    if request.POST.get("branch"):
        owner = {"branch": access.get_readable(user, Branch, pk=request.POST["branch"])}
    elif request.POST.get("committee"):
        owner = {"committee": access.get_readable(user, YouthCareCommittee, pk=request.POST["committee"])}
    elif request.POST.get("county"):
        county = access.get_readable(user, Region, pk=request.POST["county"])
        if county.level != Region.Level.COUNTY:
            raise Http404
        owner = {"county": county}
    else:
        raise Http404
    ledger = services.ledger_open(**owner)
    if not access.can(user, access.VIEW, ledger):
        raise PermissionDenied
    messages.success(request, _("已开设：%(name)s") % {"name": ledger})
    return redirect(ledger)


@require_GET
def ledger_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The ledger book: the year's totals and budgets for everyone who may see the ledger; the
    entries with their running balance for those who may see entries (not leaders)."""
    user = request.user
    ledger = access.get_readable(user, _ledgers(user), pk=pk)
    year = year_param(request)
    context = {
        "ledger": ledger,
        "year": year,
        "years": recent_years(year),
        "summary": ledger_summary(ledger, year),
        "budgets": budget_use(ledger, year),
        "categories": category_totals(ledger, year),
        "closed_months": list(ledger.closed_months.filter(month__year=year).values_list("month", flat=True)),
        "may_view_entries": access.can(user, access.VIEW, FundEntry),
    }
    if context["may_view_entries"]:
        filterset = EntryFilter(request.GET, queryset=ledger.entries.all(), request=request)
        entries = filterset.qs
        page = Paginator(book_rows(entries), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        balances = running_balances(ledger, [row.pk for row in rows])
        reversed_ids = set(
            FundEntry.objects.filter(reverses__in=[row.pk for row in rows]).values_list("reverses_id", flat=True)
        )
        for row in rows:
            row.balance = balances.get(row.pk)
            row.is_reversed = row.pk in reversed_ids
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            filterset=filterset,
            page_obj=page,
            rows=rows,
            totals=entry_totals(entries),
            query_without_page=query.urlencode(),
            export_query=query.urlencode(),
        )
    return render(request, "funds/ledger_detail.html", context)


@require_GET
def ledger_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The entries the ledger page shows (same filters), as an Excel workbook."""
    user = request.user
    ledger = access.get_readable(user, _ledgers(user), pk=pk)
    access.require(user, access.VIEW, FundEntry)
    filterset = EntryFilter(request.GET, queryset=ledger.entries.all(), request=request)
    entries = book_rows(filterset.qs)
    balances = running_balances(ledger, filterset.qs)
    content = exports.ledger_workbook(ledger, entries, balances, show_names=access.shows_personal_data(user))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"ledger-{ledger.pk}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
def ledger_close_month(request: HttpRequest, pk: int) -> HttpResponse:
    ledger = access.get_writable(request.user, Ledger, action="close", pk=pk)
    form = MonthCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.month_close(ledger=ledger, month=form.cleaned_data["month"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            month = form.cleaned_data["month"]
            messages.success(request, _("%(year)s年%(month)s月已结账") % {"year": month.year, "month": month.month})
            return redirect(ledger)
    context = {"form": form, "title": _("结账：%(ledger)s") % {"ledger": ledger}, "submit_label": _("结账")}
    return render(request, FORM_TEMPLATE, context)


@require_GET
def ledger_allowances(request: HttpRequest, pk: int) -> HttpResponse:
    """Allowances due from the ledger's posts in a period, what was paid, and the month's batch."""
    user = request.user
    ledger = access.get_readable(user, _ledgers(user), pk=pk)
    access.require(user, access.VIEW, FundEntry)  # the rows name the people paid
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    rows = allowances_due_rows(ledger, start, end)
    pay_form = PayMonthForm()
    month = pay_form.fields["month"].initial
    context = {
        "ledger": ledger,
        "period_form": period,
        "start": start,
        "end": end,
        "rows": rows,
        "totals": allowances_due_totals(rows),
        "pay_form": pay_form,
        "paid_this_month": paid_in_month(ledger, month),
        "month": month,
    }
    return render(request, "funds/ledger_allowances.html", context)


@require_POST
def ledger_pay_month(request: HttpRequest, pk: int) -> HttpResponse:
    ledger = access.get_writable(request.user, Ledger, action="pay_allowances", pk=pk)
    form = PayMonthForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("funds:ledger_allowances", pk=ledger.pk)
    month = form.cleaned_data["month"]
    try:
        result = services.allowances_pay_month(
            ledger=ledger, month=month, occurred_on=form.cleaned_data["occurred_on"], by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("funds:ledger_allowances", pk=ledger.pk)
    paid = result["paid"]
    if paid:
        messages.success(
            request,
            _("已发放%(year)s年%(month)s月补贴%(count)s人：%(names)s")
            % {
                "year": month.year,
                "month": month.month,
                "count": len(paid),
                "names": "、".join(f"{p.person.name} {p.amount}元" for p in paid),
            },
        )
    if result["already_paid"]:
        messages.warning(
            request,
            _("以下人员本月补贴此前已发放，未重复发放：%(names)s")
            % {"names": "、".join(post.person.name for post in result["already_paid"])},
        )
    return redirect("funds:ledger_allowances", pk=ledger.pk)


# --- Entries ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest, ledger_pk: int) -> HttpResponse:
    user = request.user
    ledger = access.get_writable(user, _ledgers(user), action="record", pk=ledger_pk)
    access.require(user, access.ADD, FundEntry)
    initial = {"direction": request.GET.get("direction", Direction.EXPENSE)}
    form = EntryForm(request.POST or None, request.FILES or None, ledger=ledger, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.entry_record(
                ledger=ledger,
                occurred_on=data["occurred_on"],
                direction=data["direction"],
                category=data["category"],
                amount=data["amount"],
                summary=data["summary"],
                counterparty_person=data.get("counterparty_person"),
                counterparty_name=data.get("counterparty_name", ""),
                activity=data.get("activity"),
                post=data.get("post"),
                receipt=data.get("receipt"),
                overspend_reason=data.get("overspend_reason", ""),
                by=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已记账，凭证号 %(number)s") % {"number": entry.voucher_number})
            return redirect(ledger)
    context = {"form": form, "ledger": ledger, "title": _("记一笔：%(ledger)s") % {"ledger": ledger}}
    return render(request, "funds/entry_form.html", context)


@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    entry = access.get_readable(user, _entry_source(), pk=pk)
    reversal = FundEntry.all_objects.filter(reverses=entry).first()
    counterpart = entry.counterpart if entry.counterpart_id else None
    context = {
        "entry": entry,
        "ledger": entry.ledger,
        "reversal": reversal,
        "counterpart": counterpart,
        "may_view_counterpart": counterpart is not None and access.can(user, access.VIEW, counterpart),
        "month_closed": services.month_is_closed(entry.ledger, entry.occurred_on),
        "may_reverse": not entry.reverses_id and reversal is None and access.can(user, "record", entry.ledger),
        "is_linked": bool(entry.reverses_id or reversal or entry.counterpart_id or hasattr(entry, "allowance_payment")),
    }
    return render(request, "funds/entry_detail.html", context)


class EntryUpdateView(ScopedUpdateView):
    """Correct an entry in an open month; closed months, reversals and linked entries are refused."""

    model = FundEntry
    form_class = EntryEditForm
    template_name = "funds/entry_form.html"
    include_archived = False

    def get(self, request, *args, **kwargs):
        refusal = self.refusal()
        if refusal:
            messages.error(request, refusal)
            return redirect(self.object)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        refusal = self.refusal()
        if refusal:
            messages.error(request, refusal)
            return redirect(self.object)
        return super().post(request, *args, **kwargs)

    def refusal(self) -> str:
        entry = self.object
        if services.month_is_closed(entry.ledger, entry.occurred_on):
            return services.closed_month_error(entry.occurred_on).messages[0]
        if entry.reverses_id or FundEntry.all_objects.filter(reverses=entry).exists():
            return _("冲销过的凭证和冲销凭证不能修改")
        if entry.counterpart_id or hasattr(entry, "allowance_payment"):
            return _("下拨经费和补贴发放的凭证不能修改，如有错误请冲销")
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ledger"] = self.object.ledger
        context["title"] = _("修改凭证 %(number)s") % {"number": self.object.voucher_number}
        return context


@require_http_methods(["GET", "POST"])
def entry_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """冲销: a new entry cancelling this one, dated in an open month; both stay shown, linked."""
    user = request.user
    entry = access.get_readable(user, _entry_source(), pk=pk)
    access.require(user, "record", entry.ledger)
    access.require(user, access.ADD, FundEntry)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reversal = services.entry_reverse(
                entry=entry, occurred_on=form.cleaned_data["occurred_on"], reason=form.cleaned_data["reason"], by=user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("已冲销凭证 %(old)s，冲销凭证号 %(new)s")
                % {"old": entry.voucher_number, "new": reversal.voucher_number},
            )
            return redirect(entry)
    context = {
        "form": form,
        "title": _("冲销凭证 %(number)s") % {"number": entry.voucher_number},
        "submit_label": _("冲销"),
    }
    return render(request, FORM_TEMPLATE, context)


@require_POST
def entry_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Archive an entry made by mistake, while its month is open (the service says why not)."""
    entry = access.get_writable(request.user, _entry_source(), action=access.ARCHIVE, pk=pk)
    try:
        services.entry_archive(entry=entry, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(entry)
    messages.success(request, _("已归档凭证 %(number)s") % {"number": entry.voucher_number})
    return redirect(entry.ledger)


@require_GET
def entry_receipt(request: HttpRequest, pk: int) -> FileResponse:
    """The receipt scan, streamed to users who may see the entry (never a public /media/ URL)."""
    entry = access.get_readable(request.user, FundEntry.all_objects, pk=pk)
    if not entry.receipt:
        raise Http404
    response = FileResponse(entry.receipt.open("rb"), filename=entry.receipt.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Budgets ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def budget_create(request: HttpRequest, ledger_pk: int) -> HttpResponse:
    user = request.user
    ledger = access.get_writable(user, _ledgers(user), action="record", pk=ledger_pk)
    access.require(user, access.ADD, Budget)
    form = BudgetForm(request.POST or None, instance=Budget(ledger=ledger), user=user)
    if request.method == "POST" and form.is_valid():
        budget = form.save()
        messages.success(request, _("已保存：%(name)s") % {"name": budget})
        return redirect(budget)
    return render(request, FORM_TEMPLATE, {"form": form, "title": _("编制预算：%(ledger)s") % {"ledger": ledger}})


class BudgetUpdateView(ScopedUpdateView):
    model = Budget
    form_class = BudgetForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": gettext_lazy("修改预算")}


# --- Allocations and activity funds ----------------------------------------------------------


def _county_ledger(user):
    """The county office ledger the user allocates from (404 when there is none they may use)."""
    access.require(user, "allocate", Ledger)
    ledger = access.rows(user, _ledgers(user), "allocate").order_by("pk").first()
    if ledger is None:
        raise Http404
    access.require(user, "allocate", ledger)
    return ledger


@require_GET
def allocation_list(request: HttpRequest) -> HttpResponse:
    """The county's allocations: each expense of a county ledger with the receiver's income."""
    user = request.user
    access.require(user, "allocate", Ledger)
    year = year_param(request)
    entries = (
        access.readable(user, FundEntry)
        .filter(ledger__county__isnull=False, category=Category.ALLOCATION, occurred_on__year=year)
        .select_related("ledger__county", "counterpart__ledger__branch", "counterpart__ledger__committee", "reverses")
        .order_by("-occurred_on", "-voucher_seq")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "entries": page.object_list,
        "totals": entry_totals(entries),
        "year": year,
        "years": recent_years(year),
    }
    return render(request, "funds/allocation_list.html", context)


@require_http_methods(["GET", "POST"])
def allocation_create(request: HttpRequest) -> HttpResponse:
    """下拨: one form, one transaction: the county's expense and each receiver's income."""
    user = request.user
    county_ledger = _county_ledger(user)
    receivers = (
        _ledgers(user)
        .filter(region_code__startswith=county_ledger.region_code[:6], county__isnull=True)
        .order_by("committee", "branch__pinyin", "committee__pinyin")
    )
    initial_amounts = {}
    if request.method == "GET" and request.GET.get("per_head"):
        per_head = PerHeadForm(request.GET)
        on, rate = per_head.values()
        branches, _totals = activity_funds_per_head(access.readable(user, Branch), on, rate)
        by_branch = {b.pk: b.amount for b in branches if b.amount}
        initial_amounts = {ledger.pk: by_branch.get(ledger.branch_id) for ledger in receivers if ledger.branch_id}
    form = AllocationForm(request.POST or None, receivers=receivers, initial_amounts=initial_amounts)
    if request.method == "POST" and form.is_valid():
        try:
            pairs = services.allocation_create(
                county_ledger=county_ledger,
                occurred_on=form.cleaned_data["occurred_on"],
                summary=form.cleaned_data["summary"],
                lines=form.lines(),
                by=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            total = sum(expense.amount for expense, _income in pairs)
            messages.success(request, _("已下拨%(count)s个单位，共%(total)s元") % {"count": len(pairs), "total": total})
            return redirect("funds:allocation_list")
    context = {"form": form, "county_ledger": county_ledger}
    return render(request, "funds/allocation_form.html", context)


@require_GET
def per_head(request: HttpRequest) -> HttpResponse:
    """Activity funds per head: each branch's members on a date × yuan per person a year."""
    user = request.user
    access.require(user, "allocate", Ledger)
    form = PerHeadForm(request.GET or None)
    on, rate = form.values()
    branches, totals = activity_funds_per_head(
        access.readable(user, Branch).filter(dissolved_on__isnull=True), on, rate
    )
    page = Paginator(branches, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    context = {"form": form, "on": on, "rate": rate, "page_obj": page, "branches": page.object_list, "totals": totals}
    return render(request, "funds/per_head.html", context)


urlpatterns = [
    path("", ledger_list, name="ledger_list"),
    path("open/", ledger_open, name="ledger_open"),
    path("<int:pk>/", ledger_detail, name="ledger_detail"),
    path("<int:pk>/export/", ledger_export, name="ledger_export"),
    path("<int:pk>/close-month/", ledger_close_month, name="ledger_close_month"),
    path("<int:pk>/allowances/", ledger_allowances, name="ledger_allowances"),
    path("<int:pk>/allowances/pay/", ledger_pay_month, name="ledger_pay_month"),
    path("<int:ledger_pk>/entries/new/", entry_create, name="entry_create"),
    path("entries/<int:pk>/", entry_detail, name="entry_detail"),
    path("entries/<int:pk>/edit/", EntryUpdateView.as_view(), name="entry_update"),
    path("entries/<int:pk>/reverse/", entry_reverse, name="entry_reverse"),
    path("entries/<int:pk>/archive/", entry_archive, name="entry_archive"),
    path("entries/<int:pk>/history/", HistoryView.as_view(model=FundEntry), name="entry_history"),
    path("entries/<int:pk>/receipt/", entry_receipt, name="entry_receipt"),
    path("<int:ledger_pk>/budgets/new/", budget_create, name="budget_create"),
    path("budgets/<int:pk>/edit/", BudgetUpdateView.as_view(), name="budget_update"),
    *lifecycle_urls("budgets/", Budget, "budget"),
    path("allocations/", allocation_list, name="allocation_list"),
    path("allocations/new/", allocation_create, name="allocation_create"),
    path("per-head/", per_head, name="per_head"),
]
