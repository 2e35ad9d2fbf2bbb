"""The audit page (审计记录): county staff read their region's users' entries, administrators all
(`AuditEntryQuerySet.visible_to`). Record changes themselves, with before and after, are on each
record's history page (`core.history`); an entry about a record links there."""

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core import access
from core.exports import ExportColumn
from core.filters import AuditEntryFilter
from core.mixins import ScopedListView
from core.models import AuditEntry


def _target_links(user, entries) -> dict[tuple[str, str], str]:
    """(model label, pk) → the record's history page (else its own page), for the records of `entries`
    that the user may see. One query per kind of record on the page, whatever the number of entries."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        if entry.target_model and entry.target_id:
            wanted.setdefault(entry.target_model, set()).add(entry.target_id)
    links = {}
    for label, pks in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        if not hasattr(model.objects, "visible_to") or not access.has_permission(
            user, access.permission_for(model, access.VIEW)
        ):
            continue
        manager = getattr(model, "all_objects", model.objects)
        ints = [int(pk) for pk in pks if pk.isdigit()]
        for obj in access.readable(user, manager).filter(pk__in=ints).only("pk"):
            url = _history_url(model, obj)
            if url:
                links[(label, str(obj.pk))] = url
    return links


def _history_url(model, obj) -> str:
    """The `<app>:<model>_history` page `core.routing.lifecycle_urls` gives a record, else its own page."""
    opts = model._meta
    try:
        return reverse(f"{opts.app_label}:{opts.model_name}_history", args=[obj.pk])
    except NoReverseMatch:
        get_url = getattr(obj, "get_absolute_url", None)
        try:
            return get_url() if get_url else ""
        except NoReverseMatch:
            return ""


class AuditEntryListView(ScopedListView):
    model = AuditEntry
    filterset_class = AuditEntryFilter
    template_name = "core/auditentry_list.html"
    paginate_by = 50
    export_title = _("审计记录")
    export_columns = (
        ExportColumn(_("时间"), "occurred_at"),
        ExportColumn(_("类别"), "kind"),
        ExportColumn(_("用户名"), "username", kind="text"),
        ExportColumn(_("地址"), "ip_address", kind="text"),
        ExportColumn(_("记录类型"), "target_model", kind="text"),
        ExportColumn(_("记录编号"), "target_id", kind="text"),
        ExportColumn(_("记录"), "target_label", kind="text"),
        ExportColumn(_("事由"), "reason", kind="text"),
    )

    def get_queryset(self):
        return super().get_queryset().order_by("-occurred_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = list(context["object_list"])
        links = _target_links(self.request.user, entries)
        for entry in entries:
            entry.target_url = links.get((entry.target_model, entry.target_id), "")
        context["entries"] = entries
        return context
