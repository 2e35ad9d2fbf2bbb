from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("统计报表")

    def ready(self):
        from core.hooks import register_benchmark_pages, register_home_panel, register_nav
        from reports import benchmark, menus, panels

        register_nav(*menus.NAV)
        register_benchmark_pages(*benchmark.PAGES)
        for panel in panels.HOME_PANELS:
            register_home_panel(panel)
