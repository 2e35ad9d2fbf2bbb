"""Generic-view mixins whose every access question goes to `core.access`.

A record outside the user's scope answers 404; inside it, a role without the
permission, or a record the user may read but not change, answers 403.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, ListView, UpdateView, View
from django.views.generic.detail import SingleObjectMixin

from core import access
from core.exports import ExportListMixin
from core.history import history_of, title_for
from core.input import constraint_error
from core.models import StaleRecordError


class ScopedQuerysetMixin:
    """`get_queryset()` is the model's rows visible to the user (never all rows)."""

    model = None
    include_archived = False
    select_related: tuple = ()
    prefetch_related: tuple = ()

    def get_manager(self):
        return self.model.all_objects if self.include_archived else self.model.objects

    def get_queryset(self):
        queryset = access.readable(self.request.user, self.get_manager())
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset


class RolePermissionMixin(PermissionRequiredMixin):
    """403 for a role that may not do this at all; `action` is a `core.access` action."""

    action = access.VIEW
    raise_exception = True

    def get_permission_required(self):
        if self.permission_required:
            return super().get_permission_required()
        return (access.permission_for(self.model, self.action),)


class EditableObjectMixin:
    """After the scoped lookup (404), the user must be allowed to do `action` to the row (403)."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        access.require(self.request.user, self.action, obj)
        return obj


class ScopedListView(ExportListMixin, ScopedQuerysetMixin, RolePermissionMixin, ListView):
    """A scoped, filtered, paginated list; with `export_columns` it also exports to .xlsx (core.exports)."""

    paginate_by = 25
    filterset_class = None

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.filterset_class:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
            queryset = self.filterset.qs
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = getattr(self, "filterset", None)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


class ScopedDetailView(ScopedQuerysetMixin, RolePermissionMixin, DetailView):
    def has_permission(self):
        # Scope first: a record the user cannot see is a 404 for every role.
        self.object = self.get_object()
        access.seen(self.request.user, self.object)
        return super().has_permission()

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(object=self.object)
        return self.render_to_response(context)


class FormSaveMixin:
    """Scoped form choices, conflict detection and a success message for create/update views."""

    success_message = _("已保存")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.object = self.save_form(form)
                self.check_saved_object(self.object)
        except StaleRecordError as error:
            form.add_error(None, form.conflict_error(error.changed_at))
            return self.form_invalid(form)
        except IntegrityError as error:  # a constraint over fields the form does not have
            if hasattr(form, "add_integrity_error"):
                form.add_integrity_error()  # the form knows which field the constraint is about
            else:
                form.add_error(None, constraint_error(error, self.model))
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def save_form(self, form):
        """The write. A view whose form also feeds other rows calls its service here instead."""
        return form.save()

    def check_saved_object(self, obj):
        """The saved row must lie inside what the user may change (else nothing is kept)."""
        if not access.rows(self.request.user, type(obj), access.CHANGE).filter(pk=obj.pk).exists():
            raise PermissionDenied


class ScopedCreateView(FormSaveMixin, RolePermissionMixin, CreateView):
    action = access.ADD


class ScopedUpdateView(
    FormSaveMixin,
    ScopedQuerysetMixin,
    EditableObjectMixin,
    RolePermissionMixin,
    UpdateView,
):
    action = access.CHANGE

    def has_permission(self):
        self.object = self.get_object()
        return super().has_permission()

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)


class _StateChangeView(ScopedQuerysetMixin, SingleObjectMixin, RolePermissionMixin, View):
    http_method_names = ["post"]
    message = ""
    success_url_name = ""  # where to go afterwards; default: the record's own page

    def has_permission(self):
        self.object = self.get_object()
        return super().has_permission()

    def post(self, request, *args, **kwargs):
        self.change(self.object)
        messages.success(request, self.message % {"name": self.object})
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        if self.success_url_name:
            return reverse(self.success_url_name)
        if hasattr(self.object, "get_absolute_url"):
            return self.object.get_absolute_url()
        raise ImproperlyConfigured("set success_url_name or define get_success_url")


class ArchiveView(EditableObjectMixin, _StateChangeView):
    """POST: archive the record (it leaves lists, counts and reports; history keeps it).

    Archiving is what deleting would be, so it takes the `delete_<model>` permission."""

    action = access.ARCHIVE
    message = _("已删除：%(name)s。可恢复：如需恢复，请联系老干部局工作人员。")

    def change(self, obj):
        obj.archive(by=self.request.user)


class RestoreView(EditableObjectMixin, _StateChangeView):
    """POST: bring an archived record back (county staff)."""

    include_archived = True
    action = access.RESTORE
    message = _("已恢复：%(name)s")

    def get_manager(self):
        return self.model.all_objects

    def change(self, obj):
        obj.restore(by=self.request.user)


class HistoryView(EditableObjectMixin, ScopedDetailView):
    """Every recorded version of one record, as this viewer may see it (core.history).

    Whoever may view the record may view its history, except the history of a
    personal record (`personal_record = True`): 403 without `core.view_personal_data`.
    """

    include_archived = True
    action = access.VIEW_HISTORY
    template_name = "core/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record_title"] = title_for(self.object, self.request.user)
        context["events"] = history_of(self.object, self.request.user)
        return context
