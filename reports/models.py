"""The reports app keeps no records: it reads the other apps' (ARCHITECTURE.md: read-only).

`AnnualReport` has no table. It exists so that who may read reports is a Django
permission like every other (`reports.view_annualreport`, granted in reports/roles.py)
and `core.access` can answer `can(user, "view", AnnualReport)`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AnnualReport(models.Model):
    class Meta:
        managed = False
        default_permissions = ("view",)
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")

    def __str__(self):
        return str(self._meta.verbose_name)
