"""Shared set-up for the after-sales tests: a ZTO and an STO order, a real SMTP server (aiosmtpd) and a local
HTTP server standing in for the DingTalk robot. Made-up data only."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller

from opsdesk.orders.models import Courier, Order, OrderStatus, Product
from tests.factories import OrderFactory, OrderLineFactory

ZTO_TRACKING = "75300000000001"
STO_TRACKING = "77300000000002"


def zto_order(**overrides: Any) -> Order:
    """A shipped 拼多多 order sent by ZTO, receiver as in the notes' example (made-up phone)."""
    values = {
        "channel_code": "pdd", "order_no": "201122-123456789012345", "erp_order_no": "XD201122000001",
        "status": OrderStatus.SHIPPED, "status_raw": "已发货", "courier": Courier.ZTO, "courier_raw": "中通快递",
        "tracking_no": ZTO_TRACKING, "receiver_name": "张女士", "receiver_phone": "13900000000",
        "province": "山东省", "city": "青岛市", "district": "李沧区", "address": "示例路1号1单元101",
    }
    order = OrderFactory(**{**values, **overrides})
    OrderLineFactory(order=order, line_no=1, sku="SKU-ZTO-1", name="感冒灵颗粒", qty=2)
    return order


def sto_order(**overrides: Any) -> Order:
    """A shipped 苏宁 order sent by STO whose export repeats province and city in the address."""
    values = {
        "channel_code": "suning", "order_no": "SN200910027912111", "erp_order_no": "XD200910000002",
        "status": OrderStatus.SHIPPED, "status_raw": "已发货", "courier": Courier.STO, "courier_raw": "申通快递",
        "tracking_no": STO_TRACKING, "receiver_name": "李先生", "receiver_phone": "13700000000",
        "province": "江苏省", "city": "南京市", "district": "江宁区", "address": "江苏省南京市江宁区示例大道2号",
    }
    order = OrderFactory(**{**values, **overrides})
    OrderLineFactory(order=order, line_no=1, sku="SKU-STO-1", name="板蓝根颗粒", qty=1)
    OrderLineFactory(order=order, line_no=2, sku="SKU-STO-2", name="维生素C片", qty=1)
    Product.objects.create(sku="SKU-STO-1", name="板蓝根颗粒", reissue_sku="BF-STO-1")
    Product.objects.create(sku="SKU-STO-2", name="维生素C片", reissue_sku="BF-STO-2")
    return order


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    rcpt_tos: list[str]
    message: email.message.EmailMessage

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content()).replace("\r\n", "\n")

    @property
    def attachments(self) -> dict[str, bytes]:
        return {str(p.get_filename()): p.get_payload(decode=True) for p in self.message.iter_attachments()}


@dataclass
class SmtpSink:
    """Keeps what it receives; refuses the addresses in `refuse` (550) and answers DATA `data_delay` s late."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    data_delay: float = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(Received(list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        await asyncio.sleep(self.data_delay)
        return "250 OK"


@contextmanager
def smtp_server(timeout: float = 5) -> Iterator[tuple[SmtpSink, dict[str, Any]]]:
    """A real SMTP server on 127.0.0.1 and the MAILERS setting that points Django at it."""
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        mailers = {"default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": timeout},
        }}
        yield sink, mailers
    finally:
        controller.stop()


@dataclass
class Post:
    path: str
    query: dict[str, str]
    body: dict[str, Any]


class DingTalkRobot:
    """Answers each POST with the next queued JSON answer (errcode 0 once the queue is empty), `delay` seconds
    after it has read the post (a slow robot, or one that times out). A 3xx answer sends the client to `moved`
    (on this server), which answers a GET with errcode 0 as a page that posts nothing would; the GETs are kept.
    `trickle`: seconds between the bytes of the answer's status line and headers (no per-read timeout ends it)."""

    def __init__(self, delay: float = 0, trickle: float = 0) -> None:
        self.posts: list[Post] = []
        self.gets: list[str] = []
        self.answers: list[tuple[int, dict[str, Any]]] = []
        self.delay, self.trickle = delay, trickle
        self.moved = "/robot/moved?access_token=test-token"
        self.read = threading.Event()
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                parts = urlsplit(self.path)
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                query = {key: values[0] for key, values in parse_qs(parts.query).items()}
                robot.posts.append(Post(parts.path, query, json.loads(raw)))
                robot.read.set()
                time.sleep(robot.delay)
                status, answer = robot.answers.pop(0) if robot.answers else (200, {"errcode": 0, "errmsg": "ok"})
                self.answer(status, answer)

            def do_GET(self) -> None:
                robot.gets.append(self.path)
                self.answer(200, {"errcode": 0, "errmsg": "ok"})

            def answer(self, status: int, answer: dict[str, Any]) -> None:
                payload = json.dumps(answer).encode()
                try:
                    if robot.trickle:
                        for byte in f"HTTP/1.1 {status} OK\r\nContent-Length: {len(payload)}\r\n\r\n".encode():
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(robot.trickle)
                        self.wfile.write(payload)
                        return
                    self.send_response(status)
                    if 300 <= status < 400:
                        self.send_header("Location", robot.moved)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the client gave up waiting (a timeout test)
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/robot/send?access_token=test-token"

    def __enter__(self) -> DingTalkRobot:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def case_cli(*args: str, as_json: bool = True) -> Any:
    """`opsdesk case ARGS`: its `--json` output parsed, or (as_json=False) the text it prints."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("case", *args, *(["--json"] if as_json else []), stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue()) if as_json else out.getvalue()
