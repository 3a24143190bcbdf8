"""`opsdesk remind`: the deadline digest and the 17:30 handover go to the DingTalk group once, never twice."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from opsdesk.aftersales.models import ChatGroup
from opsdesk.live.models import Reminder, ReminderPlan
from opsdesk.test import command_json
from tests.aftersales.helpers import DingTalkRobot


def remind(moment: str) -> tuple[int, list[dict]]:
    return command_json("remind", "--at", moment)


@pytest.fixture
def robot():
    with DingTalkRobot() as server:
        group = ChatGroup.objects.create(name="运营群", app="dingtalk", purpose="warehouse", webhook_url=server.url,
                                         secret="SEC-test")
        ReminderPlan.objects.update(group=group)
        yield server


@pytest.mark.django_db
def test_it_refuses_without_a_configured_group() -> None:
    with pytest.raises(CommandError, match="提醒设置"):
        call_command("remind", "--at", "2026-11-23T09:22")


@pytest.mark.django_db
def test_ten_minutes_before_a_deadline_the_digest_goes_out_once(robot: DingTalkRobot) -> None:
    code, sent = remind("2026-11-23T09:22")
    assert code == 0 and [post["key"] for post in sent] == ["09:30"]
    text = robot.posts[0].body["text"]["content"]
    assert text.startswith("【运营台提醒】09:30 截止 (还有 8 分钟)")
    assert "[药房网] 处方单审核: 0 单" in text and "数据过期" in text
    assert "sign" in robot.posts[0].query and "timestamp" in robot.posts[0].query
    assert remind("2026-11-23T09:25") == (0, [])
    assert len(robot.posts) == 1
    assert Reminder.objects.get().status == "sent"


@pytest.mark.django_db
def test_nothing_is_due_between_deadlines(robot: DingTalkRobot) -> None:
    assert remind("2026-11-23T09:05") == (0, [])
    assert robot.posts == []


@pytest.mark.django_db
def test_a_refused_post_is_tried_again_and_then_sent_once(robot: DingTalkRobot) -> None:
    robot.answers.append((200, {"errcode": 310000, "errmsg": "sign not match"}))
    code, sent = remind("2026-11-23T09:55")
    assert code == 1 and sent[0]["status"] == "failed" and "310000" in sent[0]["error"]
    code, sent = remind("2026-11-23T09:56")
    assert code == 0 and sent[0]["status"] == "sent"
    assert remind("2026-11-23T09:57") == (0, [])
    assert len(robot.posts) == 2


@pytest.mark.django_db
def test_at_half_past_five_the_handover_summarises_the_day(robot: DingTalkRobot) -> None:
    code, sent = remind("2026-11-23T17:31")
    assert code == 0 and [post["key"] for post in sent] == ["handover"]
    text = robot.posts[0].body["text"]["content"]
    assert text.startswith("【运营台交接】2026-11-23 17:31")
    assert "已签核 0/" in text and "售后: 今日新建 0 件, 结案 0 件" in text and "未签核:" in text
    assert remind("2026-11-23T17:40") == (0, [])


@pytest.mark.django_db
def test_a_post_whose_outcome_is_unknown_is_never_posted_again() -> None:
    with DingTalkRobot(delay=1.5) as slow, override_settings(DINGTALK_TIMEOUT=0.5):
        group = ChatGroup.objects.create(name="运营群", app="dingtalk", purpose="warehouse", webhook_url=slow.url)
        ReminderPlan.objects.update(group=group)
        code, sent = remind("2026-11-23T09:22")
        assert code == 1 and sent[0]["status"] == "unknown" and "确认" in sent[0]["error"]
        assert remind("2026-11-23T09:24") == (0, [])
        assert len(slow.posts) == 1
    assert Reminder.objects.get().status == "unknown"
