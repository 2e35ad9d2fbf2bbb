from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("基础数据")

    def ready(self):
        from core.roles import sync_role_groups

        # After every migrate, so new models' permissions reach the roles at once.
        post_migrate.connect(sync_role_groups, dispatch_uid="core.sync_role_groups")
