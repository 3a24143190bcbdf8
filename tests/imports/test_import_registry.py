"""The source-kind registry: every profile's kind is one class; an admin-added profile (`jd`) is accepted by name on
the command line; a reader that is no file writes its records through the kind's own writer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opsdesk.core.roles import system_user
from opsdesk.imports.defaults import CHANNEL_HEADERS, CHANNEL_STATUS, DEFAULT_PROFILES
from opsdesk.imports.models import ImportProfile, SourceKind
from opsdesk.imports.records import Record
from opsdesk.imports.services import import_file
from opsdesk.imports.sources import REGISTRY, records_write
from opsdesk.orders.models import Channel, Order, WmsRecord
from tests.imports.helpers import channel_row, export, official_row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_every_kind_a_profile_can_have_is_registered() -> None:
    assert set(REGISTRY) == set(SourceKind.values)
    assert {profile["kind"] for profile in DEFAULT_PROFILES} <= set(REGISTRY)


def test_an_admin_added_profile_is_accepted_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Channel.objects.create(code="jd", name="京东")
    ImportProfile.objects.create(source="jd", name="京东", kind="channel", channel_code="jd",
                                 headers={**CHANNEL_HEADERS, "京东订单号": "order_no"}, required=["order_no"],
                                 status_map=CHANNEL_STATUS)
    row = channel_row("xywy", "JD1")
    path = export(tmp_path, "jd.csv", "xywy", [row])
    call_command("import_files", str(path), "--source", "jd", "--json")
    assert json.loads(capsys.readouterr().out)[0]["source"] == "jd"
    assert Order.objects.get().channel.code == "jd"


def test_an_unknown_source_name_is_a_usage_error_listing_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="taobao.*official") as raised:
        call_command("import_files", str(tmp_path / "x.csv"), "--source", "taobao")
    assert raised.value.returncode == 2


def test_records_of_a_kind_are_written_by_its_writer() -> None:
    record = Record(key="GW1", values={"erp_order_no": "XD1", "warehouse": "杭州仓", "allocation": "complete",
                                       "allocation_raw": "分配完成", "courier": "zto", "courier_raw": "中通快递",
                                       "tracking_no": "75300000000001", "shipped_at": None, "last_update": ""})
    written = records_write(kind="wms", records=[record.seal("x")])
    assert (written.created, WmsRecord.objects.get().allocation) == (1, "complete")


def test_the_profiles_are_read_only_as_far_as_an_import_needs_them(tmp_path: Path) -> None:
    path = export(tmp_path, "o.csv", "official", [official_row("GW1")])
    call_command("import_files", str(path), "--json")
    with CaptureQueriesContext(connection) as again:  # the same file: known by its hash, nothing detected
        call_command("import_files", str(path), "--json")
    with CaptureQueriesContext(connection) as named:
        call_command("import_files", str(export(tmp_path, "p.csv", "official", [official_row("GW2")])),
                     "--source", "official", "--json")
    assert not [q for q in again.captured_queries if "imports_importprofile" in q["sql"]]
    read = [q["sql"] for q in named.captured_queries if "FROM \"imports_importprofile\"" in q["sql"]]
    # The check of the name, then every profile: a file another source's headers fit better is refused.
    assert len(read) == 2 and "official" in read[0] and "WHERE" not in read[1], read


def test_a_named_source_whose_headers_another_fits_better_is_refused(tmp_path: Path) -> None:
    """An official export imported as 拼多多 became a 拼多多 order, with only a warning about unknown columns."""
    path = export(tmp_path, "o.csv", "official", [official_row("GW1")])
    for named in ("pdd", "yaofangwang"):
        result = import_file(path=path, source=named, user=system_user())
        assert result.status == "rejected"
        assert "表头是官网(official)的, 不是 --source 指定的" in result.errors[0]["message"], result.errors
    assert not Order.objects.exists()
