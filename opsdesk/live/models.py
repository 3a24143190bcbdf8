"""Live sources: how fresh each of the twelve sources is allowed to be, the worker's schedules (data an admin
edits), the reminders sent to the team's group, and the uploads the worker imports for the desk."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SourcePolicy(models.Model):
    """One of the sources of interface.md (official … stock): its label and how old its data may get during
    working hours before the desk marks the numbers it feeds as stale."""

    source = models.CharField(_("来源代码"), max_length=20, unique=True)
    label = models.CharField(_("名称"), max_length=40)
    max_age_minutes = models.PositiveIntegerField(
        _("最长间隔(分钟)"), help_text=_("工作时间内超过这么久没有导入或拉取即为过期; 每天开始后未更新也算过期")
    )
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = _("数据来源")
        verbose_name_plural = _("数据来源")

    def __str__(self) -> str:
        return f"{self.label} ({self.source})"


# What a schedule may run: an admin picks one, never types a path to import.
SCHEDULED_TASKS = [
    ("opsdesk.hupun.tasks.erp_pull", _("拉取万里牛订单与售后单 (OPEN API)")),
    ("opsdesk.live.tasks.inbox_watch", _("导入收件夹")),
    ("opsdesk.live.tasks.remind", _("截止提醒与交接")),
    ("opsdesk.core.tasks.backup_daily", _("备份")),
]


class Schedule(models.Model):
    """A job the worker runs every `every_minutes` between `starts` and `ends` (Shanghai time), each slot once."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    title = models.CharField(_("名称"), max_length=80)
    task = models.CharField(_("任务"), max_length=120, choices=SCHEDULED_TASKS)
    kwargs = models.JSONField(_("参数"), default=dict, blank=True)
    every_minutes = models.PositiveIntegerField(_("间隔(分钟)"), default=10)
    starts = models.TimeField(_("开始"), default="00:00")
    ends = models.TimeField(_("结束"), null=True, blank=True, help_text=_("留空 = 到当天结束"))
    source = models.CharField(_("数据来源"), max_length=20, blank=True, help_text=_("失败时在来源条上显示"))
    enabled = models.BooleanField(_("启用"), default=True)
    last_status = models.CharField(_("上次结果"), max_length=12, blank=True)
    last_error = models.TextField(_("上次错误"), blank=True)
    last_finished_at = models.DateTimeField(_("上次完成"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("定时任务")
        verbose_name_plural = _("定时任务")

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class ScheduleSlot(models.Model):
    """A slot handed to the queue. The unique pair is what keeps two workers from running one slot twice."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="slots")
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["schedule", "slot"], name="schedule_slot_once")]

    def __str__(self) -> str:
        return f"{self.schedule_id} {self.slot}"


class ReminderPlan(models.Model):
    """Where and when the deadline digests and the handover go (one row; the admin edits it)."""

    group = models.ForeignKey(
        "aftersales.ChatGroup", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("钉钉群"),
        help_text=_("需配置机器人 Webhook"),
    )
    lead_minutes = models.PositiveSmallIntegerField(_("提前(分钟)"), default=10)
    handover_at = models.TimeField(_("交接时间"), default="17:30")
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")

    def __str__(self) -> str:
        return str(_("提醒设置"))


class ReminderStatus(models.TextChoices):
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("失败")
    UNKNOWN = "unknown", _("结果未知, 请人工确认")


class Reminder(models.Model):
    """One digest (`key` is the deadline `HH:MM`, or `handover`) of one day: claimed before it is posted, so that
    it goes out once whoever runs it; a refused post may be tried again, one whose outcome is unknown is not."""

    day = models.DateField(_("日期"))
    key = models.CharField(_("截止"), max_length=20)
    status = models.CharField(_("状态"), max_length=10, choices=ReminderStatus.choices)
    text = models.TextField(_("内容"))
    error = models.TextField(_("错误"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now=True)

    class Meta:
        ordering = ["-day", "key"]
        constraints = [models.UniqueConstraint(fields=["day", "key"], name="reminder_once_per_deadline")]
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")

    def __str__(self) -> str:
        return f"{self.day} {self.key}"


class UploadStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("完成")
    FAILED = "failed", _("失败")


class Upload(models.Model):
    """Files dropped on the desk's import page, imported by the worker; `progress` and `results` are what the
    page polls. The files themselves are removed as soon as each is imported."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("上传人"))
    source = models.CharField(_("来源"), max_length=20, blank=True)
    files = models.JSONField(_("文件"), default=list)
    status = models.CharField(_("状态"), max_length=10, choices=UploadStatus.choices, default=UploadStatus.QUEUED)
    progress = models.JSONField(_("进度"), default=dict, blank=True)
    results = models.JSONField(_("结果"), default=list, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("网页上传")
        verbose_name_plural = _("网页上传")

    def __str__(self) -> str:
        return f"{self.created_at} {self.status}"
