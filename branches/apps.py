from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("党支部与关工委")

    def ready(self):
        # None of these imports a view module: loading the app stays cheap.
        from branches import benchmark, demo, menus, panels
        from core.hooks import (
            register_benchmark_pages,
            register_benchmark_scale,
            register_demo_loader,
            register_home_panel,
            register_nav,
        )

        register_nav(*menus.NAV)
        for panel in panels.HOME_PANELS:
            register_home_panel(panel)
        register_demo_loader(demo.load, order=20)
        register_benchmark_pages(*benchmark.PAGES)
        for label, model in benchmark.SCALE:
            register_benchmark_scale(label, model)
