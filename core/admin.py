from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.models import ExportLog, Job, Person, Region, User
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


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "role", "region", "person", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["region", "person"]
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("角色与范围"), {"fields": ("role", "region", "person", "large_font")}))
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, (_("角色与范围"), {"fields": ("role", "region", "person")}))


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
