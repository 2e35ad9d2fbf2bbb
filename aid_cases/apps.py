from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidCasesConfig(AppConfig):
    name = "aid_cases"
    verbose_name = _("助学帮扶")
