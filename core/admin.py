from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core import audit, security
from core.models import AuditEntry, ExportLog, Job, Person, Region, User
from core.scoping import Role


def _admins_only(request) -> bool:
    user = request.user
    return user.is_active and user.is_staff and user.role == Role.ADMIN


# Django admin is the administrators' tool only; everyone else works in the site.
admin.site.has_permission = _admins_only
admin.site.site_header = _("银龄台账 系统管理")
admin.site.site_title = _("银龄台账")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_demo_code"]
    list_filter = ["level", "is_demo_code"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "pinyin", "gender", "birth_date", "region", "archived_at"]
    list_filter = ["gender"]
    search_fields = ["name", "pinyin", "pinyin_initials"]
    raw_id_fields = ["region"]

    def get_queryset(self, request):
        return Person.all_objects.all()

    def has_delete_permission(self, request, obj=None):
        return False  # archive instead


class SetPasswordForUserForm(AdminPasswordChangeForm):
    """A password an administrator sets is theirs too: the user must choose their own at next login."""

    def save(self, commit=True):
        self.user.must_change_password = True
        return super().save(commit=commit)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "role", "region", "person", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["region", "person"]
    change_password_form = SetPasswordForUserForm
    change_form_template = "admin/core/user/change_form.html"
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("角色与范围"), {"fields": ("role", "region", "person", "large_font")}),
        (_("密码"), {"fields": ("must_change_password",)}),
    )
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, (_("角色与范围"), {"fields": ("role", "region", "person")}))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.must_change_password = True  # the administrator knows this password
        super().save_model(request, obj, form, change)

    def get_urls(self):
        unlock = self.admin_site.admin_view(require_POST(self.unlock_view))
        return [path("<int:pk>/unlock/", unlock, name="core_user_unlock"), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        user = self.get_object(request, object_id)
        extra = {"login_failures": security.failures_of(user.username) if user else 0}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def unlock_view(self, request, pk):
        """解除登录锁定: forget the user's failed logins at every address, and say so in the audit trail."""
        if not self.has_change_permission(request):
            return redirect("admin:index")
        user = get_object_or_404(User, pk=pk)
        removed = security.unlock(user.username)
        audit.record(request, AuditEntry.Kind.UNLOCK, target=user, target_label=user.username)
        messages.success(
            request,
            (gettext("已解除 %(name)s 的登录锁定。") % {"name": user.username})
            if removed
            else gettext("该用户没有被锁定。"),
        )
        return redirect("admin:core_user_change", pk)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Bookkeeping the administrators read (the export log is append-only in the database too)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdmin):
    list_display = ["exported_at", "user", "model", "path", "filters", "row_count", "personal"]
    list_filter = ["personal", "model"]
    search_fields = ["user__username", "path", "filters"]
    date_hierarchy = "exported_at"


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "title", "kind", "status", "done", "total", "attempts", "created_by"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "created_by__username"]
