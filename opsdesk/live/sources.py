"""The twelve sources of interface.md with their default labels and maximum ages (the admin edits the rows)."""

from __future__ import annotations

CHANNEL_MAX_AGE = 120
FACT_MAX_AGE = 60
STOCK_MAX_AGE = 24 * 60

# (source, label, max age in minutes during working hours)
DEFAULT_SOURCES: tuple[tuple[str, str, int], ...] = (
    ("erp", "万里牛订单", FACT_MAX_AGE),
    ("erp_aftersales", "万里牛售后单", FACT_MAX_AGE),
    ("wms", "WMS", FACT_MAX_AGE),
    ("stock", "库存", STOCK_MAX_AGE),
    ("official", "官网", CHANNEL_MAX_AGE),
    ("pdd", "拼多多", CHANNEL_MAX_AGE),
    ("pingan", "平安好医生", CHANNEL_MAX_AGE),
    ("yaofangwang", "药房网", CHANNEL_MAX_AGE),
    ("suning", "苏宁", CHANNEL_MAX_AGE),
    ("jiage315", "315", CHANNEL_MAX_AGE),
    ("xywy", "寻医问药", CHANNEL_MAX_AGE),
    ("pdd_aftersales", "拼多多售后单", CHANNEL_MAX_AGE),
)

# (code, title, task, kwargs, every minutes, starts, ends, source, enabled)
DEFAULT_SCHEDULES: tuple[tuple[str, str, str, dict, int, str, str | None, str, bool], ...] = (
    ("erp-pull", "拉取万里牛订单与售后单", "opsdesk.hupun.tasks.erp_pull", {}, 10, "08:00", "20:00", "erp", True),
    ("inbox", "导入收件夹里的导出文件", "opsdesk.live.tasks.inbox_watch", {}, 1, "00:00", None, "", True),
    ("remind", "截止前提醒与17:30交接", "opsdesk.live.tasks.remind", {}, 1, "07:00", "21:00", "", True),
    ("backup", "每日备份", "opsdesk.core.tasks.backup_daily", {"keep_days": 30}, 1440, "02:00", None, "", True),
)
