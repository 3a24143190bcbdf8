"""The recent imports of each source with their results (the imports page): what came in, how, by whom, and
what was wrong with it, so that a rejected file of the morning is seen without asking who uploaded it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from opsdesk.imports.defaults import DEFAULT_PROFILES
from opsdesk.imports.models import ImportRecord

PER_SOURCE = 5
UNDETECTED = ""


@dataclass(frozen=True)
class SourceHistory:
    source: str
    label: str
    records: list[ImportRecord]


def import_history(*, per_source: int = PER_SOURCE) -> list[SourceHistory]:
    """Every source in the profiles' order (and files whose source was not recognised, last) with its latest
    `per_source` records, newest first: one query, numbered per source by the database."""
    ranked = ImportRecord.objects.annotate(
        rank=Window(RowNumber(), partition_by=[F("source")], order_by=[F("at").desc(), F("id").desc()])
    )
    recent = ranked.filter(rank__lte=per_source).select_related("user").order_by("source", "-at", "-id")
    by_source: dict[str, list[ImportRecord]] = defaultdict(list)
    for record in recent:
        by_source[record.source].append(record)
    labels = [(profile["source"], profile["name"]) for profile in DEFAULT_PROFILES]
    known = {source for source, _label in labels}
    labels += [(source, source or "未识别来源") for source in sorted(by_source) if source not in known]
    return [SourceHistory(source, label, by_source.get(source, [])) for source, label in labels]
