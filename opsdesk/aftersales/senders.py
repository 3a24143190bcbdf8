"""The two things OpsDesk can send itself: a claim e-mail over SMTP and a DingTalk custom-robot post.

Both raise Refused with the reason when the other side did not take the message (nothing arrived: sending again
is safe), and OutcomeUnknown when the line broke after the message was handed over (it may have arrived: a
person checks). They are called with no transaction open (see `outbox.py`)."""

from __future__ import annotations

import base64
import email.policy
import hashlib
import hmac
import http.client
import json
import logging
import smtplib
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers

from opsdesk.aftersales.models import ChatGroup
from opsdesk.lib.errors import OutcomeUnknown, Refused
from opsdesk.lib.http import Deadline

log = logging.getLogger(__name__)

DINGTALK_ERRORS = {
    310000: "钉钉拒绝了消息 (关键词、时间戳、签名或 IP 不符)",
    130101: "钉钉限流: 每分钟最多 20 条, 请稍后重试",
}

# A proxy or gateway between us and the robot answers these after it passed the post on: 502 (the robot's answer
# was broken or the line dropped) and 504 (no answer in time), so the robot may have posted. A 503 from a proxy
# usually means it had no upstream to pass the post to: nothing arrived, and it stays a failure as 4xx and the
# other 5xx do.
GATEWAY_UNKNOWN = {502, 504}


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
    _dingtalk_check(group, _dingtalk_answer(group, request))


def _dingtalk_answer(group: ChatGroup, request: urllib.request.Request) -> dict[str, object]:
    """urllib wraps what fails while connecting and posting in URLError; what fails after the post went out
    (no answer in time, the connection dropped, an answer that is not JSON) comes through as itself."""
    try:
        with Deadline(settings.DINGTALK_TIMEOUT).open(request) as response:  # in all, headers and answer too
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raise _dingtalk_http_error(group, request, exc) from exc
    except urllib.error.URLError as exc:
        raise Refused(f"钉钉群「{group.name}」无法连接: {exc.reason}") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise OutcomeUnknown(f"钉钉群「{group.name}」已发出但没有回答 ({exc or type(exc).__name__}): 请到群里确认是否收到") from exc
    try:
        answer = json.loads(raw.decode("utf-8") or "{}")
    except ValueError as exc:
        raise OutcomeUnknown(f"钉钉群「{group.name}」返回的不是 JSON: 请到群里确认是否收到") from exc
    return answer if isinstance(answer, dict) else {}


def _dingtalk_http_error(group: ChatGroup, request: urllib.request.Request, exc: urllib.error.HTTPError) -> Refused:
    if 300 <= exc.code < 400:
        # Only the host: the URL's query may carry an access token, and the message is stored with the send.
        moved = urllib.parse.urljoin(request.full_url, exc.headers.get("Location", ""))
        return Refused(f"钉钉群「{group.name}」发送失败: webhook 地址被重定向 "
                       f"(HTTP {exc.code} → {urllib.parse.urlsplit(moved).hostname}), 请检查群的 webhook 地址")
    if exc.code in GATEWAY_UNKNOWN:
        return OutcomeUnknown(f"钉钉群「{group.name}」已发出, 但中间的网关答 HTTP {exc.code} (机器人可能已收到并发出): "
                              "请到群里确认是否收到")
    return Refused(f"钉钉群「{group.name}」发送失败: HTTP {exc.code}")


def _dingtalk_check(group: ChatGroup, answer: dict[str, object]) -> None:
    code = answer.get("errcode")
    if code == 0:
        return
    reason = DINGTALK_ERRORS.get(code if isinstance(code, int) else -1, "钉钉返回错误")
    log.warning("dingtalk post to group %s failed: errcode=%s", group.pk, code)
    raise Refused(f"钉钉群「{group.name}」发送失败: {reason} (errcode {code}: {answer.get('errmsg', '')})")


def smtp_send(message: EmailMessage) -> None:
    """All recipients or none: each address is offered (RCPT) before the content; when the server refuses any
    of them the envelope is reset and nothing is sent, so that a retry after the address is fixed sends once."""
    if not settings.SMTP_ENABLED:
        raise Refused("未配置 SMTP (OPSDESK_SMTP_HOST)")
    backend: Any = mailers["default"]  # the SMTP backend: its open connection is driven step by step
    try:
        backend.open()
    except (smtplib.SMTPException, OSError) as exc:
        raise Refused(f"理赔邮件发送失败: 无法连接邮件服务器 ({exc})") from exc
    try:
        _smtp_envelope(backend, message)
        _smtp_data(backend.connection, message)
    finally:
        _smtp_close(backend)


def _smtp_envelope(backend: Any, message: EmailMessage) -> None:
    connection: smtplib.SMTP = backend.connection
    try:
        connection.ehlo_or_helo_if_needed()
        code, reply = connection.mail(backend.prep_address(message.from_email))
        if code != 250:
            raise Refused(f"理赔邮件发送失败: 发件人 {message.from_email} 被拒绝 ({code} {_text(reply)})")
        refused = _smtp_rcpts(backend, message.recipients())
        if refused:
            connection.rset()
    except (smtplib.SMTPException, OSError) as exc:
        raise Refused(f"理赔邮件发送失败: {exc}") from exc
    if refused:
        raise Refused(f"理赔邮件未发送 (所有收件人都未发): 邮件服务器拒绝了 {'; '.join(refused)}")


def _smtp_rcpts(backend: Any, recipients: list[str]) -> list[str]:
    """Offer each address; the refused ones as 'address (code reply)'."""
    refused = []
    for address in recipients:
        code, reply = backend.connection.rcpt(backend.prep_address(address))
        if code not in (250, 251):
            refused.append(f"{address} ({code} {_text(reply)})")
    return refused


def _smtp_data(connection: smtplib.SMTP, message: EmailMessage) -> None:
    """A refusal of the content is an answer; a broken line once DATA began may have delivered it."""
    content = message.message(policy=email.policy.SMTP).as_bytes()
    try:
        code, reply = connection.data(content)
    except smtplib.SMTPDataError as exc:
        raise Refused(f"理赔邮件发送失败: 邮件服务器拒绝了邮件 ({exc.smtp_code} {_text(exc.smtp_error)})") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise OutcomeUnknown(f"理赔邮件已交给邮件服务器但没有确认 ({exc or type(exc).__name__}): 请到邮箱确认是否发出") from exc
    if code != 250:
        raise Refused(f"理赔邮件发送失败: 邮件服务器拒绝了邮件 ({code} {_text(reply)})")


def _smtp_close(backend: Any) -> None:
    try:
        backend.close()
    except (smtplib.SMTPException, OSError):  # the outcome is known by now; a failing QUIT changes nothing
        log.info("SMTP connection closed uncleanly")


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
