from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("党支部与关工委")

    def ready(self):
        from branches import demo, lookups
        from branches.roles import committee_staff_reach, committee_staff_read_only
        from branches.views import activities, organisation, people, recognition
        from core.hooks import register_demo_loader, register_home_panel, register_nav, register_person_scope
        from core.scoping import Role

        for area in (organisation, people, activities, recognition):
            register_nav(*area.NAV)
            for panel in area.HOME_PANELS:
                register_home_panel(panel)
        register_demo_loader(demo.load, order=20)
        lookups.register()
        register_person_scope(Role.COMMITTEE_STAFF, reach=committee_staff_reach, read_only=committee_staff_read_only)
