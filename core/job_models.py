"""Background jobs, uploaded import files and the log of exports (imported by core.models).

Not domain records: they are the bookkeeping of work done on domain records, so they
are neither archived nor tracked by pghistory; an ExportLog row is never changed.
"""

import datetime as dt

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import Role

# A job still running this long after it started lost its worker (killed, host restarted).
STALE_AFTER = dt.timedelta(hours=2)


class OwnRowsQuerySet(models.QuerySet):
    """Rows belong to the user who started them; administrators see everyone's."""

    owner_field = "created_by"

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role == Role.ADMIN:
            return self
        return self.filter(**{self.owner_field: user})

    def editable_by(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(**{self.owner_field: user})


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class Job(models.Model):
    """One piece of long work (an import, a province export) run by a queue worker.

    `core.jobs` runs it: the handler registered for `kind` reports rows `done` of
    `total` as it goes, and the job page polls them. A failed job can be retried.
    """

    Status = JobStatus

    kind = models.CharField(_("任务类型"), max_length=64)
    title = models.CharField(_("任务"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    done = models.PositiveIntegerField(_("已处理行数"), default=0)
    phase = models.CharField(_("阶段"), max_length=50, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = OwnRowsQuerySet.as_manager()
    all_objects = OwnRowsQuerySet.as_manager()  # what core.access asks a row's own questions of

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="core_job_status_valid"),
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")) | Q(total=0), name="core_job_done_le_total"
            ),
        ]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="core_job_owner_newest")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("core:job_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def may_retry(self) -> bool:
        """Failed, or still "running" long after it started (its worker was killed mid-way)."""
        if self.status == JobStatus.FAILED:
            return True
        stale = timezone.now() - STALE_AFTER
        return self.status == JobStatus.RUNNING and self.started_at is not None and self.started_at < stale


class ImportUploadState(models.TextChoices):
    CHECKING = "checking", _("检查中")
    CHECKED = "checked", _("待确认")
    IMPORTING = "importing", _("导入中")
    IMPORTED = "imported", _("已导入")
    FAILED = "failed", _("失败")


class ImportUpload(models.Model):
    """An uploaded .xlsx, kept in the database (not a temporary file: any server or worker
    may check or import it), with the result of its check row by row."""

    State = ImportUploadState

    kind = models.CharField(_("导入类型"), max_length=64)
    filename = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(_("文件内容"))
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.CHECKING)
    # [{"row": 3, "status": "new"|"update"|"unchanged"|"error", "values": {...}, "errors": {column: message}}]
    rows = models.JSONField(_("检查结果"), default=list, blank=True)
    summary = models.JSONField(_("汇总"), default=dict, blank=True)
    check_job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    import_job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = OwnRowsQuerySet.as_manager()
    all_objects = OwnRowsQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入文件")
        verbose_name_plural = _("导入文件")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ImportUploadState.values), name="core_importupload_state_valid"
            )
        ]

    def __str__(self):
        return self.filename

    def get_absolute_url(self):
        return reverse("core:import_preview", args=[self.pk])

    @property
    def has_errors(self) -> bool:
        return bool(self.summary.get("error"))


class ExportLog(models.Model):
    """Who exported what, when, with which filter and how many rows (personal data leaves the system)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导出人"), on_delete=models.PROTECT, related_name="+"
    )
    exported_at = models.DateTimeField(_("导出时间"), default=timezone.now)
    model = models.CharField(_("数据类型"), max_length=100)
    path = models.CharField(_("页面"), max_length=200)
    filters = models.TextField(_("筛选条件"), blank=True)
    row_count = models.PositiveIntegerField(_("行数"))
    personal = models.BooleanField(_("含个人信息"), default=False)

    class Meta:
        verbose_name = _("导出记录")
        verbose_name_plural = _("导出记录")
        ordering = ["-exported_at"]
        indexes = [models.Index(fields=["-exported_at"], name="core_exportlog_newest")]
        # An audit row is written once: the application cannot rewrite or remove it.
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self):
        return f"{self.user} {self.model} {self.row_count}"
