"""How old the data behind each number on the desk is: the sources strip, and per checklist item and queue tile
the oldest refresh of the sources its rule reads, marked stale when one of them is (opsdesk/live/selectors.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from opsdesk.live.selectors import (
    Freshness,
    SourceState,
    channel_sources,
    freshness_of,
    rule_channels,
    rule_sources,
    source_states,
    state_at,
)
from opsdesk.web.cache import memo


@dataclass(frozen=True)
class DeskFreshness:
    states: list[SourceState]
    by_source: dict[str, SourceState]
    by_channel: dict[str, str]
    scoped: dict[str, list[str]]

    @property
    def key(self) -> tuple[Any, ...]:
        """What the rendered tables depend on: a refresh, a failure or a source turning stale renders anew."""
        return tuple((state.source, state.last_at, state.stale, state.last_error_at) for state in self.states)

    def of_rule(self, rule: str | None, channels: Iterable[str] = ()) -> Freshness | None:
        if not rule:
            return None
        sources = rule_sources(rule=rule, channels=channels, by_channel=self.by_channel, scoped=self.scoped)
        # A count from the desk's own records only (complaints' deadlines) has no import to be stale for.
        return freshness_of(sources=sources, states=self.by_source) if sources else None


def desk_freshness(*, at: datetime, shared: bool = True) -> DeskFreshness:
    """The sources as seen at `at`. Read once per generation and shared by every page and worker (cache.memo: an
    import or pull starts a new one, so a refresh shows on the next look), then aged to `at` on each look; a
    failed scheduled job or an admin's edit of a source shows within the memo's minute. `shared=False` (a staff
    member's `?at=`) reads afresh."""
    (states, by_channel, scoped), _read_at = memo(
        "sources", at=at, compute=lambda: (source_states(at=at), channel_sources(), rule_channels()), shared=shared,
    )
    states = [state_at(state, at) for state in states]
    return DeskFreshness(states=states, by_source={state.source: state for state in states}, by_channel=by_channel,
                         scoped=scoped)


def with_freshness(rows: list[dict[str, Any]], fresh: DeskFreshness) -> list[dict[str, Any]]:
    """Checklist rows (shared, so copied) with the freshness of the count each shows."""
    return [{**row, "fresh": fresh.of_rule(row["rule"], row["channels"])} for row in rows]
