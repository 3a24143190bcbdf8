"""Reading the rules: which orders each flags at a moment, why and since when."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from opsdesk.lib.dates import iso, local
from opsdesk.lib.errors import Refused
from opsdesk.orders.models import RECEIVER_FIELDS, Channel, Order
from opsdesk.orders.selectors import channel_check
from opsdesk.rules.models import RuleConfig
from opsdesk.rules.registry import REGISTRY, Check, Rule, RuleContext

# code → Chinese title, in the registry's order (menus, checklist, queues).
RULES: dict[str, str] = {code: item.title for code, item in REGISTRY.items()}
CHUNK = 2000
# Never read by a rule's message: the receiver (personal data: an evaluation of every order carries no address)
# and the ERP's whole note (a rule that needs it annotates what it needs, as returned_unrefunded does).
UNREAD_FIELDS = (*RECEIVER_FIELDS, "erp_note")


@cache
def flag_fields() -> tuple[str, ...]:
    """What a flagged order is loaded with: every Order column but the unread ones, so that a message reading
    any other never costs a query per order."""
    return tuple(field.name for field in Order._meta.concrete_fields if field.name not in UNREAD_FIELDS)


@dataclass(frozen=True)
class Flag:
    rule: str
    channel: str
    order_no: str
    severity: str
    message: str
    since: datetime | None
    order_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule, "channel": self.channel, "order_no": self.order_no,
            "severity": self.severity, "message": self.message, "since": iso(self.since),
        }


def rule_configs() -> dict[str, RuleConfig]:
    """Every rule's settings: the admin's row, or the registry's defaults where there is none."""
    stored = {config.code: config for config in RuleConfig.objects.all()}
    return {
        code: stored.get(code) or RuleConfig(code=code, severity=item.severity)
        for code, item in REGISTRY.items()
    }


def _rule(code: str) -> Rule:
    try:
        return REGISTRY[code]
    except KeyError:
        raise Refused(f"未知规则 {code!r}: 可选 {', '.join(REGISTRY)}") from None


def _channel_map() -> dict[int, Channel]:
    return {channel.pk: channel for channel in Channel.objects.all()}


def _checks(*, at: datetime, codes: Iterable[str]) -> list[tuple[RuleContext, Rule, Check]]:
    """The enabled rules among `codes`, built for the moment `at` (two small queries, whatever the count)."""
    configs, channels = rule_configs(), _channel_map()
    built = []
    for code in codes:
        item = _rule(code)
        ctx = RuleContext(at=local(at), config=configs[code], channels=channels)
        if ctx.config.enabled:
            built.append((ctx, item, item.build(ctx)))
    return built


def _queryset(check: Check, *, channel: str | None = None) -> QuerySet[Order]:
    queryset = Order.objects.filter(check.filter)
    if channel:
        queryset = queryset.filter(channel__code=channel)
    return queryset.order_by(*check.order_by, "pk")


def _annotated(check: Check, ids: list[int]) -> list[Order]:
    """The orders `ids` with the rule's annotations, in the order given. Fetched apart from the sorted id list
    because a database computes a SELECT's subqueries for every row it sorts, not just for the page kept."""
    found = Order.objects.filter(pk__in=ids).only(*flag_fields()).annotate(**check.annotations).in_bulk()
    return [found[pk] for pk in ids]


def _flags(ctx: RuleContext, item: Rule, check: Check, queryset: QuerySet[Order]) -> list[Flag]:
    flags: list[Flag] = []
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        flags.extend(_flag(ctx, item, check, order) for order in _annotated(check, ids[start:start + CHUNK]))
    return flags


def _flag(ctx: RuleContext, item: Rule, check: Check, order: Order) -> Flag:
    return Flag(
        rule=item.code, channel=ctx.channels[order.channel_id].code, order_no=order.order_no,
        severity=ctx.config.severity or item.severity, message=check.message(order), since=check.since(order),
        order_id=order.pk,
    )


def rule_queryset(*, code: str, at: datetime) -> QuerySet[Order]:
    """The orders rule `code` flags at `at`, oldest first (none while the rule is disabled)."""
    built = _checks(at=at, codes=[code])
    if not built:
        return Order.objects.none()
    return _queryset(built[0][2])


def rule_flags(
    *, code: str, at: datetime, channel: str | None = None, offset: int = 0, limit: int | None = None
) -> list[Flag]:
    """One rule's queue, a page at a time (the desk's /exceptions/<rule>/)."""
    channel_check(channel)
    flags: list[Flag] = []
    for ctx, item, check in _checks(at=at, codes=[code]):
        end = None if limit is None else offset + limit
        flags.extend(_flags(ctx, item, check, _queryset(check, channel=channel)[offset:end]))
    return flags


def exceptions_evaluate(*, at: datetime, rule: str | None = None, channel: str | None = None) -> list[Flag]:
    """Every flag at `at`: rule by rule in the registry's order, each rule's orders oldest first."""
    channel_check(channel)
    flags: list[Flag] = []
    for ctx, item, check in _checks(at=at, codes=[rule] if rule else list(REGISTRY)):
        flags.extend(_flags(ctx, item, check, _queryset(check, channel=channel)))
    return flags


def rule_counts_by_channel(*, at: datetime) -> dict[str, dict[str, int]]:
    """rule code → channel code → how many orders the rule flags there at `at`. Each rule reads only its own
    index, which ends with the channel (see Order.Meta), and the channels are tallied here: a GROUP BY channel
    would make SQLite walk a channel-led index and read every order row instead (five times slower at 500k)."""
    channels = {pk: channel.code for pk, channel in _channel_map().items()}
    counts: dict[str, dict[str, int]] = {code: {} for code in REGISTRY}
    for _, item, check in _checks(at=at, codes=list(REGISTRY)):
        tally = _channel_tally(_queryset(check))
        counts[item.code] = {channels[channel_id]: n for channel_id, n in tally.items()}
    return counts


def _channel_tally(queryset: QuerySet[Order]) -> Counter[int]:
    """channel id → orders in `queryset`, fetched as bare rows: the ORM's per-row work was a third of the time."""
    sql, params = queryset.order_by().values_list("channel_id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return Counter(row[0] for row in cursor.fetchall())


def rule_counts(*, at: datetime, channel: str | None = None) -> dict[str, int]:
    """How many orders each of the thirteen rules flags at `at` (0 for a disabled rule). One COUNT per rule:
    each can use the index that fits its own filter (often covering it, which a GROUP BY channel would not)."""
    channel_check(channel)
    counts = dict.fromkeys(REGISTRY, 0)
    for _, item, check in _checks(at=at, codes=list(REGISTRY)):
        counts[item.code] = _queryset(check, channel=channel).order_by().count()
    return counts


def order_flags(*, order: Order, at: datetime) -> list[Flag]:
    """What needs attention on one order now (the order page)."""
    flags: list[Flag] = []
    for ctx, item, check in _checks(at=at, codes=list(REGISTRY)):
        one = Order.objects.filter(check.filter if check.one_order is None else check.one_order, pk=order.pk)
        flags.extend(_flags(ctx, item, check, one))
    return flags
