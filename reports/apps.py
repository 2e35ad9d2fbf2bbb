from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("统计报表")

    def ready(self):
        from core.hooks import register_home_panel, register_nav
        from reports import menus, panels

        register_nav(*menus.NAV)
        for panel in panels.HOME_PANELS:
            register_home_panel(panel)
