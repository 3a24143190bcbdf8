"""The two things OpsDesk can send itself: a claim e-mail over SMTP and a DingTalk custom-robot post.
Both raise Refused with the reason when the other side did not take the message."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import smtplib
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage

from opsdesk.aftersales.messages import ClaimEmail
from opsdesk.aftersales.models import ChatGroup
from opsdesk.lib.errors import Refused

log = logging.getLogger(__name__)

DINGTALK_TIMEOUT = 10
DINGTALK_ERRORS = {
    310000: "钉钉拒绝了消息 (关键词、时间戳、签名或 IP 不符)",
    130101: "钉钉限流: 每分钟最多 20 条, 请稍后重试",
}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """url-encoded base64 of HMAC-SHA256(key=secret, msg="{timestamp}\\n{secret}") (DingTalk 加签)."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def dingtalk_url(group: ChatGroup, timestamp_ms: int) -> str:
    if not group.secret:
        return group.webhook_url
    sep = "&" if "?" in group.webhook_url else "?"
    return f"{group.webhook_url}{sep}timestamp={timestamp_ms}&sign={dingtalk_sign(group.secret, timestamp_ms)}"


def dingtalk_post(group: ChatGroup, text: str) -> None:
    """Post ``text`` into the group; DingTalk answers HTTP 200 even on failure, so errcode decides."""
    body = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode()
    request = urllib.request.Request(
        dingtalk_url(group, int(time.time() * 1000)), data=body, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=DINGTALK_TIMEOUT) as response:  # noqa: S310
            answer = json.loads(response.read().decode("utf-8") or "{}")
    except urllib.error.HTTPError as exc:
        raise Refused(f"钉钉群「{group.name}」发送失败: HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise Refused(f"钉钉群「{group.name}」无法连接: {getattr(exc, 'reason', exc)}") from exc
    except ValueError as exc:
        raise Refused(f"钉钉群「{group.name}」返回的不是 JSON") from exc
    _dingtalk_check(group, answer)


def _dingtalk_check(group: ChatGroup, answer: dict[str, object]) -> None:
    code = answer.get("errcode")
    if code == 0:
        return
    reason = DINGTALK_ERRORS.get(code if isinstance(code, int) else -1, "钉钉返回错误")
    log.warning("dingtalk post to group %s failed: errcode=%s", group.pk, code)
    raise Refused(f"钉钉群「{group.name}」发送失败: {reason} (errcode {code}: {answer.get('errmsg', '')})")


def smtp_send(email: ClaimEmail) -> None:
    if not settings.SMTP_ENABLED:
        raise Refused("未配置 SMTP (OPSDESK_SMTP_HOST)")
    message = EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, email.to)
    for name, content, mimetype in email.attachment_files():
        message.attach(name, content, mimetype)
    try:
        message.send(using="default")
    except (smtplib.SMTPException, OSError) as exc:
        raise Refused(f"理赔邮件发送失败: {exc}") from exc
