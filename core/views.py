from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core import access, audit
from core.exports import ExportColumn
from core.filters import PersonFilter
from core.hooks import nav_for, registry
from core.mixins import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from core.models import AuditEntry, Person
from core.person_forms import PersonForm, RevealIdNumberForm


def home(request: HttpRequest) -> HttpResponse:
    """Each role's start page: who they are, their scope, and what they may do."""
    panels = [panel for func in registry.home_panels if (panel := func(request))]
    return render(
        request,
        "core/home.html",
        {"panels": panels, "shortcut_groups": nav_for(request.user)},
    )


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.headers.get("referer") or reverse("core:home")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("core:home")


@login_not_required
@require_POST
def toggle_large_font(request: HttpRequest) -> HttpResponse:
    """The 适老化 large-font switch: remembered on the user, or the session before login."""
    if request.user.is_authenticated:
        request.user.large_font = not request.user.large_font
        request.user.save(update_fields=["large_font"])
    else:
        request.session["large_font"] = not request.session.get("large_font", False)
    return redirect(_back(request))


@require_POST
def person_reveal_id_number(request: HttpRequest, pk: int) -> HttpResponse:
    """显示完整号码: POST a reason, get the whole number (a fragment for htmx, else a page; never in a URL).

    A person outside the user's scope is a 404; a role that may not reveal is a 403 and nothing
    is written. Each number shown writes one audit entry with the reason.
    """
    person = access.get_readable(request.user, Person.all_objects.select_related("region"), pk=pk)
    access.require_reveal_id_number(request.user, person)
    form = RevealIdNumberForm(request.POST)
    number = None
    if form.is_valid() and person.id_number:
        number = person.id_number
        audit.record(request, AuditEntry.Kind.REVEAL_ID, target=person, reason=form.cleaned_data["reason"])
    context = {"person": person, "form": form, "number": number, "next": _back(request)}
    template = "core/partials/id_number_reveal.html" if request.htmx else "core/id_number_reveal.html"
    return render(request, template, context)


class PersonListView(ScopedListView):
    model = Person
    filterset_class = PersonFilter
    select_related = ("region",)
    template_name = "core/person_list.html"
    export_columns = (
        ExportColumn(_("姓名"), "name", personal=True),
        ExportColumn(_("身份证号"), "id_number", kind="id_number"),
        ExportColumn(_("性别"), "gender", personal=True),
        ExportColumn(_("出生日期"), "birth_date", personal=True),
        ExportColumn(_("联系电话"), "mobile", kind="text", personal=True),
        ExportColumn(_("所在区划"), "region__name"),
    )


class PersonDetailView(ScopedDetailView):
    model = Person
    include_archived = True
    select_related = ("region",)
    template_name = "core/person_detail.html"


class PersonCreateView(ScopedCreateView):
    model = Person
    form_class = PersonForm
    template_name = "core/form.html"
    extra_context = {"title": _("新增人员")}


class PersonUpdateView(ScopedUpdateView):
    model = Person
    form_class = PersonForm
    template_name = "core/form.html"
    extra_context = {"title": _("编辑人员")}
