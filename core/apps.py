from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("基础数据")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core import audit, demo, exports, imports, input, security  # noqa: F401 (jobs of exports, imports)
        from core.hooks import (
            BenchmarkPage,
            NavItem,
            register_benchmark_pages,
            register_demo_loader,
            register_home_panel,
            register_nav,
        )
        from core.lookups import register_core_kinds
        from core.models import register_version_trigger
        from core.roles import sync_role_groups
        from core.todos import todo_panel

        register_version_trigger(self.apps.get_models())
        input.bound_dates(self.apps.get_models())
        audit.connect()
        user_logged_in.connect(security.session_started, dispatch_uid="core.security.session_started")

        register_nav(
            NavItem(
                _("人员"), "core:person_list", "core.view_person", order=90, group=pgettext_lazy("menu group", "人员")
            )
        )
        register_nav(NavItem(_("审计记录"), "core:audit_list", "core.view_auditentry", order=95))
        register_demo_loader(demo.load, order=10)
        # First on the home page: what is waiting, before the apps' own panels.
        register_home_panel(todo_panel)
        register_core_kinds()
        register_benchmark_pages(BenchmarkPage("laoganju", "core:home"), BenchmarkPage("laoganju", "core:person_list"))

        # After every migrate, so new models' permissions reach the roles at once.
        post_migrate.connect(sync_role_groups, dispatch_uid="core.sync_role_groups")
