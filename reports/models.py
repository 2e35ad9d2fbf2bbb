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


class ActivityTally(models.Model):
    """The activities of a county, kind, 线上/大型 flag pair and month (`span` "m") or day ("d"): how
    many, their person-times and the absentees who caught up since (补学). A summary kept by the
    database (triggers on branches_activity and branches_activitypresence, migration 0002) so that
    a province's or a city's year of activities is a sum over a few thousand rows instead of an
    aggregate over millions; never written by the application. Archived activities are not in it.
    `reports.tallies` reads it, and rebuilds it from the records (after `seed_scale`, which copies
    with the triggers off)."""

    class Span(models.TextChoices):
        MONTH = "m", _("月")
        DAY = "d", _("日")

    county_code = models.CharField(_("县级行政区划代码"), max_length=6)
    span = models.CharField(_("时段"), max_length=1, choices=Span.choices)
    starts_on = models.DateField(_("起始日期"))
    kind = models.CharField(_("活动类型"), max_length=32)
    is_online = models.BooleanField(_("线上会议"))
    is_large = models.BooleanField(_("大型活动"))
    activities = models.IntegerField(_("活动次数"), default=0)
    person_times = models.BigIntegerField(_("参与人次"), default=0)
    caught_up = models.IntegerField(_("补学人次"), default=0)

    class Meta:
        verbose_name = _("活动汇总")
        verbose_name_plural = _("活动汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["county_code", "span", "starts_on", "kind", "is_online", "is_large"],
                name="reports_activitytally_key",
            )
        ]
        indexes = [models.Index(fields=["span", "starts_on"], name="reports_activitytally_when")]

    def __str__(self):
        return f"{self.county_code} {self.span}{self.starts_on} {self.kind}: {self.activities}"
