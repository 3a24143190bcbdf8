"""The profile registry: which source a file is (scored from its headers) and where its header row is."""

from __future__ import annotations

from dataclasses import dataclass, field

from opsdesk.imports.models import ImportProfile
from opsdesk.imports.readers import Table, clean_cell
from opsdesk.lib.errors import Refused

# Exports put at most a few title lines above the header row.
HEADER_SEARCH_ROWS = 30
# Padding, full-width punctuation and quote marks that exports and spreadsheet programs add.
_HEADER_TRANSLATE = str.maketrans({"（": "(", "）": ")", "：": "", ":": "", " ": "", "\u3000": "", "*": ""})


def header_key(text: str) -> str:
    return clean_cell(text).translate(_HEADER_TRANSLATE).lower()


def value_key(text: str) -> str:
    """Status-like values compare without spaces and with ASCII commas (exports mix ， and ,)."""
    return text.replace("，", ",").replace(" ", "").replace("\u3000", "")


@dataclass
class Profile:
    source: str
    name: str
    kind: str
    channel_code: str
    headers: dict[str, str]
    required: list[str]
    maps: dict[str, dict[str, str]]
    default_payment: str = ""
    order_no_date_prefix: bool = False
    one_row_per_order: bool = False
    fields: set[str] = field(default_factory=set)
    version: str = ""

    @classmethod
    def from_model(cls, model: ImportProfile) -> Profile:
        headers = {header_key(text): name for text, name in (model.headers or {}).items()}
        maps = {
            "status": model.status_map, "payment": model.payment_map, "allocation": model.allocation_map,
            "aftersales": model.aftersales_map, "kind": model.kind_map,
        }
        return cls(
            source=model.source, name=model.name, kind=model.kind, channel_code=model.channel_code,
            headers=headers, required=list(model.required or []),
            maps={key: {value_key(k): v for k, v in (values or {}).items()} for key, values in maps.items()},
            default_payment=model.default_payment, order_no_date_prefix=model.order_no_date_prefix,
            one_row_per_order=model.one_row_per_order,
            fields={name for name in headers.values() if name},
            version=model.updated_at.isoformat() if model.updated_at else "",
        )

    def match(self, cells: list[str]) -> tuple[float, dict[str, list[int]]]:
        """How well a candidate header row fits: the cells this source knows (ignored columns too), less half the
        fields it has and the row lacks; -inf without every required field. Also field → column indexes."""
        columns: dict[str, list[int]] = {}
        known = 0
        for index, cell in enumerate(cells):
            name = self.headers.get(header_key(cell)) if cell else None
            if name is None:
                continue
            known += 1
            if name:
                columns.setdefault(name, []).append(index)
        if not columns or any(name not in columns for name in self.required):
            return float("-inf"), columns
        return known - 0.5 * len(self.fields - columns.keys()), columns


@dataclass
class Layout:
    """Where a file's data is: its profile, the header row's index and field → column indexes."""

    profile: Profile
    header_row: int
    columns: dict[str, list[int]]
    headers: list[str]
    unknown: list[str]


def profile_choices() -> list[tuple[str, str]]:
    """(source, name) of every profile in the database, shipped or added by an admin (e.g. `jd`)."""
    return list(ImportProfile.objects.order_by("id").values_list("source", "name"))


def profiles_load(*, source: str | None = None) -> dict[str, Profile]:
    """Every profile (detection scores them all), or only the named source's."""
    found = ImportProfile.objects.all() if source is None else ImportProfile.objects.filter(source=source)
    return {model.source: Profile.from_model(model) for model in found}


def source_check(source: str) -> None:
    """Refused unless a profile of this name is in the database (before an upload is queued under it)."""
    if not ImportProfile.objects.filter(source=source).exists():
        raise _unknown_source(source)


def _unknown_source(source: str) -> Refused:
    shown = source if len(source) <= SOURCE_SHOWN else source[:SOURCE_SHOWN] + "…"
    return Refused(f"未知的来源 {shown!r} (可用: {', '.join(sorted(name for name, _ in profile_choices()))})")


SOURCE_SHOWN = 40


# A file is another source's when that source's headers fit it by this much more than the named one's (two more
# columns it knows): the channels' own exports share most headers and differ by one or two (an official export
# scores 20 as official, 18 as 药房网), and an admin's profile made from another may fit that one's files a little
# better; an official export named 拼多多 fit by far less.
CLEARLY_OTHER = 2


def layout_find(table: Table, profiles: dict[str, Profile], *, source: str | None, file_name: str) -> Layout:
    """The header row and its profile: the best of all, or the named source's (`profiles` holds every profile, so
    that a file another source's headers clearly fit better is refused rather than read as the named one)."""
    if source and source not in profiles:
        raise _unknown_source(source)
    for row in range(min(table.nrows, HEADER_SEARCH_ROWS)):
        cells = table.row(row)
        scored = sorted(((p.match(cells), p) for p in profiles.values()), key=lambda item: -item[0][0])
        chosen = next(item for item in scored if item[1].source == source) if source else scored[0]
        (best, columns), profile = chosen
        if best == float("-inf") or len(columns) < min(2, len(profile.fields)):
            continue
        if source and scored[0][0][0] >= best + CLEARLY_OTHER:
            other = scored[0][1]
            raise Refused(f"{file_name}: 表头是{other.name}({other.source})的, 不是 --source 指定的{profile.name}({source})")
        if not source and len(scored) > 1 and scored[1][0][0] == best:
            names = "、".join(f"{p.name}({p.source})" for (score, _), p in scored if score == best)
            raise Refused(f"{file_name}: 无法判断来源, 表头同时符合 {names}; 请用 --source 指定")
        return _layout(profile, row, columns, cells)
    wanted = f"{profiles[source].name}的表头" if source else "任何已知来源的表头"
    raise Refused(f"{file_name}: 在前 {HEADER_SEARCH_ROWS} 行中找不到{wanted} (文件为空或格式不符)")


def _layout(profile: Profile, row: int, columns: dict[str, list[int]], cells: list[str]) -> Layout:
    headers = [clean_cell(cell) for cell in cells]
    unknown = [text for text in headers if text and header_key(text) not in profile.headers]
    return Layout(profile=profile, header_row=row, columns=columns, headers=headers, unknown=unknown)
