from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("经费")

    def ready(self):
        # None of these imports a view module: loading the app stays cheap.
        from core.hooks import (
            register_benchmark_pages,
            register_benchmark_scale,
            register_demo_loader,
            register_nav,
            register_page_section,
            register_todo,
        )
        from funds import benchmark, demo, lookups, menus, panels, todos

        register_nav(*menus.NAV)
        register_todo(*todos.TODOS)
        for page, section in panels.PAGE_SECTIONS:
            register_page_section(page, section)
        register_demo_loader(demo.load, order=60)
        lookups.register()
        register_benchmark_pages(*benchmark.PAGES)
        from core.imports import register_import_kind
        from funds.imports import FundEntryImport

        register_import_kind(FundEntryImport())
        for label, model in benchmark.SCALE:
            register_benchmark_scale(label, model)
