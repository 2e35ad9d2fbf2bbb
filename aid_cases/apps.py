from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidCasesConfig(AppConfig):
    name = "aid_cases"
    verbose_name = _("助学帮扶")

    def ready(self):
        # None of these imports a view module: loading the app stays cheap.
        from aid_cases import benchmark, demo, lookups, menus, panels, todos
        from aid_cases.roles import committee_staff_reach
        from core.hooks import (
            register_benchmark_pages,
            register_benchmark_scale,
            register_demo_loader,
            register_home_panel,
            register_load_writes,
            register_nav,
            register_person_scope,
            register_todo,
        )
        from core.scoping import Role

        register_nav(*menus.NAV)
        for panel in panels.HOME_PANELS:
            register_home_panel(panel)
        register_todo(*todos.TODOS)
        register_demo_loader(demo.load, order=60)
        lookups.register()
        register_person_scope(Role.COMMITTEE_STAFF, reach=committee_staff_reach)
        register_benchmark_pages(*benchmark.PAGES)
        register_load_writes(*benchmark.WRITES)
        for label, model in benchmark.SCALE:
            register_benchmark_scale(label, model)

        from aid_cases.imports import ChildImport, SponsorImport
        from core.imports import register_import_kind

        register_import_kind(ChildImport())
        register_import_kind(SponsorImport())
