from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("五老志愿者")

    def ready(self):
        # None of these imports a view module: loading the app stays cheap.
        from core.hooks import (
            register_benchmark_pages,
            register_benchmark_scale,
            register_demo_loader,
            register_home_panel,
            register_nav,
            register_page_section,
            register_person_scope,
            register_todo,
        )
        from core.imports import register_import_kind
        from core.scoping import Role
        from volunteers import benchmark, demo, lookups, menus, panels, todos
        from volunteers.imports import ServiceRecordImport, VolunteerImport
        from volunteers.roles import committee_staff_reach

        register_nav(*menus.NAV)
        for panel in panels.HOME_PANELS:
            register_home_panel(panel)
        register_todo(*todos.TODOS)
        for page, section in panels.PAGE_SECTIONS:
            register_page_section(page, section)
        register_demo_loader(demo.load, order=40)
        lookups.register()
        register_person_scope(Role.COMMITTEE_STAFF, reach=committee_staff_reach)
        register_import_kind(VolunteerImport())
        register_import_kind(ServiceRecordImport())
        register_benchmark_pages(*benchmark.PAGES)
        for label, model in benchmark.SCALE:
            register_benchmark_scale(label, model)
