"""Django admin for administrators (core.admin lets no one else in): the big tables, 25 rows a page
like the site's lists, so the two can be compared on the same rows. Nothing is deleted here."""

from django.contrib import admin

from branches.models import Activity, Branch, Retiree


class AdministratorsAdmin(admin.ModelAdmin):
    list_per_page = 25

    def has_delete_permission(self, request, obj=None):
        return False  # archive instead, in the site


@admin.register(Branch)
class BranchAdmin(AdministratorsAdmin):
    list_display = ["name", "kind", "region", "cluster", "founded_on", "archived_at"]
    list_filter = ["kind"]
    search_fields = ["name", "pinyin", "pinyin_initials"]
    list_select_related = ["region", "cluster"]
    raw_id_fields = ["region", "cluster", "parent"]


@admin.register(Retiree)
class RetireeAdmin(AdministratorsAdmin):
    list_display = ["person", "branch", "status", "is_party_member", "former_unit", "region_code"]
    list_filter = ["status", "is_party_member"]
    search_fields = ["person__name", "person__pinyin", "person__pinyin_initials"]
    list_select_related = ["person", "branch"]
    raw_id_fields = ["person"]
    readonly_fields = ["region_code"]


@admin.register(Activity)
class ActivityAdmin(AdministratorsAdmin):
    list_display = ["held_on", "kind", "branch", "topic"]
    list_filter = ["kind"]
    search_fields = ["topic"]
    list_select_related = ["branch"]
    raw_id_fields = ["branch"]
    date_hierarchy = "held_on"
