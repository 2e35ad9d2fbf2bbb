"""The annual report: choose an area and a year, read it, download it as Word or Excel.

Thin views: the area is loaded through core.access (404 outside the user's scope),
the role must hold `reports.view_annualreport` (403 otherwise), and the figures come
from reports.annual, which the page and both downloads share. The dashboard, the report
and its downloads read from the database replica when one is configured (core.db_routing).
"""

import datetime as dt
from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core import access
from core.db_routing import reads_from_replica
from core.models import Region
from core.params import FIRST_YEAR, recent_years, year_param
from reports import annual, numbers
from reports.exports import excel, word
from reports.forms import AnnualReportChoiceForm
from reports.links import figure_links
from reports.models import AnnualReport
from reports.selectors import dashboard
from reports.selectors.annual import Period
from volunteers.models import Volunteer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _as_of(request) -> dt.date | None:
    """`?as_of=2024-06-30`: the report as things stood that day (ignored when not a date)."""
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return None


class AnnualReportMixin:
    def report(self, request, code: str, year: int) -> annual.Report:
        region = access.get_readable(request.user, Region, pk=code)  # 404 outside the user's areas
        access.require(request.user, access.VIEW, AnnualReport)
        this_year = timezone.localdate().year
        if not FIRST_YEAR <= year <= this_year:
            raise Http404  # no records before FIRST_YEAR, and no report of a year to come
        return annual.build(Period.of(region, year, _as_of(request)))

    def filename(self, report: annual.Report, extension: str) -> str:
        return f"{report.title}.{extension}"


class AnnualReportIndexView(View):
    def get(self, request):
        access.require(request.user, access.VIEW, AnnualReport)
        last_year = timezone.localdate().year - 1
        initial = {"region": request.user.region_id, "year": last_year}
        form = AnnualReportChoiceForm(request.GET or None, user=request.user, initial=initial)
        if form.is_bound and form.is_valid():
            return redirect("reports:annual", code=form.cleaned_data["region"].pk, year=form.cleaned_data["year"])
        return render(request, "reports/annual_index.html", {"form": form})


class AnnualReportView(AnnualReportMixin, View):
    @reads_from_replica()
    def get(self, request, code, year):
        report = self.report(request, code, year)
        return render(request, "reports/annual_report.html", {"report": report, "period": report.period})


class AnnualReportWordView(AnnualReportMixin, View):
    @reads_from_replica()
    def get(self, request, code, year):
        report = self.report(request, code, year)
        issuer = request.user.region.name if request.user.region_id else ""
        response = HttpResponse(word.render(report, issuer=issuer), content_type=DOCX)
        response["Content-Disposition"] = _attachment(self.filename(report, "docx"))
        return response


class AnnualReportExcelView(AnnualReportMixin, View):
    @reads_from_replica()
    def get(self, request, code, year):
        report = self.report(request, code, year)
        response = HttpResponse(excel.render(report), content_type=XLSX)
        response["Content-Disposition"] = _attachment(self.filename(report, "xlsx"))
        return response


class DashboardView(View):
    """An area's dashboard: the user's own area at /reports/dashboard/, any area below by its code."""

    @reads_from_replica()
    def get(self, request, code=None):
        code = code or request.user.region_id or _first_province(request.user)
        region = access.get_readable(request.user, Region, pk=code)
        access.require(request.user, access.VIEW, AnnualReport)
        year = year_param(request, high=timezone.localdate().year)
        period = Period.of(region, year)
        areas = dashboard.children(period)
        calendars = dashboard.area_calendars(period)
        heat_map = dashboard.heat_map(period, calendars=calendars)
        if heat_map:
            # A branch's name links to its page only for users who may open it (committee staff may not).
            access.prefetch(request.user, [row["branch"] for row in heat_map], access.VIEW)
            for row in heat_map:
                row["linked"] = access.can(request.user, access.VIEW, row["branch"])
        chart = {
            "labels": [a["region"].name if a["region"] else _("本级") for a in areas],
            "branches": [a["branches"] for a in areas],
            "person_times": [a["person_times"] for a in areas],
            "links": [
                reverse("reports:dashboard_area", kwargs={"code": a["region"].pk}) + f"?year={year}"
                if a["region"]
                else ""
                for a in areas
            ],
            "series": [_("离退休干部党支部"), _("活动参与人次")],
        }
        figures = dashboard.headline(period)
        links = figure_links(request.user, period)
        hours = dashboard.hours_by_month(period)
        hours_chart = {
            "labels": [_("%(month)s月") % {"month": month} for month in range(1, 13)],
            "hours": [float(h) for h in hours],
            "series": _("服务时长（小时）"),
        }
        context = {
            "period": period,
            "year": year,
            "years": recent_years(year),
            "figures": figures,
            "links": links,
            "categories": [
                (figures[f"volunteers_{c.value}"], c.label, links.get(f"volunteers_{c.value}"))
                for c in Volunteer.Category
            ],
            "hours_months": [
                {"month": month, "label": label, "hours": numbers.plain(h)}
                for month, label, h in zip(range(1, 13), hours_chart["labels"], hours, strict=True)
            ],
            "hours_chart": hours_chart,
            "todo_figures": dashboard.todo_figures(period, calendars=calendars),
            "areas": areas,
            "chart": chart,
            "heat_map": heat_map,
            "months": range(1, 13),
            "breadcrumb": _breadcrumb(request.user, region),
        }
        return render(request, "reports/dashboard.html", context)


def _first_province(user) -> str | None:
    """An administrator holds no area: their dashboard opens on the first province they see."""
    province = access.readable(user, Region).filter(level=Region.Level.PROVINCE).order_by("code").first()
    return province.pk if province else None


def _breadcrumb(user, region) -> list[Region]:
    """From the highest area the user may read down to this one (one query)."""
    codes = [r.code for r in region.ancestors()]
    return list(access.readable(user, Region).filter(code__in=codes).order_by("code"))


def _attachment(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("dashboard/<str:code>/", DashboardView.as_view(), name="dashboard_area"),
    path("annual/", AnnualReportIndexView.as_view(), name="annual_index"),
    path("annual/<str:code>/<int:year>/", AnnualReportView.as_view(), name="annual"),
    path("annual/<str:code>/<int:year>/word/", AnnualReportWordView.as_view(), name="annual_word"),
    path("annual/<str:code>/<int:year>/excel/", AnnualReportExcelView.as_view(), name="annual_excel"),
]
