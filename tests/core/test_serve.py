"""`opsdesk serve`'s gunicorn: the access log holds the path, never the query string or the referer (a phone
search must not land in it, PIPL). A real gunicorn on a free port."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from opsdesk.core.management.commands.serve import gunicorn_argv
from tests.console import console_env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str, *, referer: str) -> None:
    request = urllib.request.Request(url, headers={"Referer": referer})
    for _attempt in range(100):
        try:
            urllib.request.urlopen(request, timeout=5).read()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn never answered {url}")


def test_the_access_log_leaves_out_phone_searches(tmp_path: Path) -> None:
    port = free_port()
    env = console_env(tmp_path)
    server = subprocess.Popen(gunicorn_argv(host="127.0.0.1", port=port, workers=1), env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        get(f"{base}/accounts/login/?q=13800000000&next=/orders/%3Fq%3D13900000000",
            referer=f"{base}/orders/?q=13700000000")
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:  # gunicorn logs this line whole
            raw.sendall(b"GET /orders/?q=13612345679\x01 HTTP/1.1\r\nHost: x\r\n\r\n")
            raw.recv(1024)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert '"GET /accounts/login/ HTTP/1.1" 200' in output
    assert "136****5679" in output, output  # the malformed request was logged, masked
    for phone in ("13800000000", "13900000000", "13700000000", "13612345679"):
        assert phone not in output
