"""Web desk benchmark (issue 6): 500,000 orders in a fresh SQLite database, the desk served by gunicorn on
127.0.0.1, and wrk loading the day page, three queue pages (ship_overdue; buyer_note with its row actions;
returned_unrefunded, which finds its orders by the return mark in the ERP's notes) and a search with 20 concurrent
connections, with 200,000 import records behind the sources strip, each request
sent by one of 20 people logged in through the login form (operators, service, pharmacists and admins, as a
shop has them), with the session and CSRF cookies a browser sends.
Goal: p95 < 150 ms for each page (wrk's latency distribution, read through a small Lua `done` hook).
"cold" is the first request of each page, which computes the counts (shared for a minute, or five times as long
as they took, by opsdesk/web/cache.py); wrk then measures the pages as twenty people refreshing them see them.

    .venv/bin/python bench/web_bench.py [--orders 500000] [--workers 2] [--duration 20] [--keep DIR]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
PASSWORD = "bench-password-42"
GOAL_MS = 150
# Eight operators, six service staff, four pharmacists and two admins.
PEOPLE = [(f"bench-{n:02d}", role) for n, role in enumerate(["operator"] * 8 + ["service"] * 6
                                                             + ["pharmacist"] * 4 + ["admin"] * 2, start=1)]
WRK_LUA = """
local cookies = {%s}
local sent = 0
request = function()
  sent = sent + 1
  return wrk.format(nil, nil, {["Cookie"] = cookies[(sent %% #cookies) + 1]})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT p50=%%d p95=%%d p99=%%d requests=%%d errors=%%d\\n", latency:percentile(50),
    latency:percentile(95), latency:percentile(99), summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def database_fill(*, orders: int, data_dir: Path) -> None:
    """Migrate a fresh database, bulk-insert the orders through the cursor and add a bench user (in a child
    process, so that this one never holds the database open while gunicorn serves it)."""
    script = f"""
import django, time
django.setup()
from django.core.management import call_command
from opsdesk.core.services import user_add
from opsdesk.demo.bulk import orders_bulk_insert
from opsdesk.lib.dates import now
call_command("migrate", verbosity=0)
started = time.perf_counter()
orders_bulk_insert(count={orders}, at=now())
print(f"bulk insert {orders:,} orders: {{time.perf_counter() - started:.1f}} s", flush=True)
"""
    subprocess.run([str(VENV / "python"), "-c", script], check=True, env=_env(data_dir), cwd=ROOT)


def history_ensure(*, records: int, data_dir: Path) -> None:
    """`records` ImportRecord rows (kept with the database): the worker's imports and pulls of every source, one
    every few minutes back from now, one in fifty rejected. The sources strip reads each source's newest."""
    script = f"""
import django, itertools, time
django.setup()
from datetime import timedelta
from opsdesk.imports.models import ImportRecord
from opsdesk.lib.dates import now
from opsdesk.live.models import SourcePolicy
missing = {records} - ImportRecord.objects.count()
sources = list(SourcePolicy.objects.values_list("source", flat=True))
started, end = time.perf_counter(), now()
rows = (ImportRecord(file_name=f"{{source}}-{{n}}.xlsx", sha256=f"{{n:064x}}", source=source, rows=100,
                     status="rejected" if n % 50 == 0 else "imported", via="inbox", at=end - timedelta(minutes=3 * n))
        for n, source in zip(range(missing), itertools.cycle(sources)))
ImportRecord.objects.bulk_create(rows, batch_size=5000)
if missing > 0:
    print(f"import history {{missing:,}} records: {{time.perf_counter() - started:.1f}} s", flush=True)
"""
    subprocess.run([str(VENV / "python"), "-c", script], check=True, env=_env(data_dir), cwd=ROOT)


def people_ensure(*, data_dir: Path) -> None:
    """The twenty bench users (kept with the database between runs)."""
    script = f"""
import django
django.setup()
from django.contrib.auth import get_user_model
from opsdesk.core.services import user_add
for username, role in {PEOPLE!r}:
    if not get_user_model().objects.filter(username=username).exists():
        user_add(username=username, role=role, password={PASSWORD!r})
"""
    subprocess.run([str(VENV / "python"), "-c", script], check=True, env=_env(data_dir), cwd=ROOT)


def _env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "OPSDESK_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "opsdesk.settings"}
    env.pop("OPSDESK_DATABASE_URL", None)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(*, data_dir: Path, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [str(VENV / "gunicorn"), "opsdesk.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--timeout", "300", "--log-level", "warning"],
        env=_env(data_dir), cwd=ROOT,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def session_cookie(base: str, username: str) -> str:
    """Log in through the login form, as a browser does (CSRF cookie + token), and return the Cookie header the
    browser then sends (session and CSRF cookies)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    form = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token, "no CSRF token on the login page"
    data = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]})
    try:
        opener.open(urllib.request.Request(f"{base}/accounts/login/", data=data.encode(), headers={"Referer": base}))
    except urllib.error.HTTPError as answer:  # the 302 to "/" (not followed: the bench times that page itself)
        assert answer.code == 302, answer
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "sessionid" in cookies, f"login of {username} failed"
    return "; ".join(f"{name}={value}" for name, value in sorted(cookies.items()))


def fetch(base: str, path: str, cookie: str) -> tuple[int, float, bytes]:
    """One GET as the person with `cookie`; a redirect (to the login page) is not followed but fails."""
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})
    started = time.perf_counter()
    with urllib.request.build_opener(_NoRedirect()).open(request) as answer:
        body = answer.read()
        return answer.status, time.perf_counter() - started, body


def load(base: str, path: str, *, duration: int, lua: Path) -> dict[str, int]:
    out = subprocess.run(
        ["wrk", "-t2", "-c20", f"-d{duration}s", "--latency", "-s", str(lua), base + path],
        capture_output=True, text=True, check=True,
    ).stdout
    found = re.search(r"RESULT (.*)", out)
    assert found, out
    return {key: int(value) for key, value in (pair.split("=") for pair in found[1].split())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=500_000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2 measured best on 2 cores)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (over 1: gthread)")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the database in this folder")
    parser.add_argument("--history", type=int, default=200_000, help="import records (~14 months of the worker's)")
    options = parser.parse_args()
    work = options.keep or Path(tempfile.mkdtemp(prefix="opsdesk-web-bench-"))
    data_dir = work / "data"
    if not (data_dir / "opsdesk.sqlite3").is_file():
        data_dir.mkdir(parents=True, exist_ok=True)
        database_fill(orders=options.orders, data_dir=data_dir)
    history_ensure(records=options.history, data_dir=data_dir)
    people_ensure(data_dir=data_dir)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(data_dir=data_dir, port=port, workers=options.workers, threads=options.threads)
    try:
        cookies = [session_cookie(base, username) for username, _role in PEOPLE]
        lua = work / "people.lua"
        lua.write_text(WRK_LUA % ", ".join(f'"{cookie}"' for cookie in cookies), encoding="utf-8")
        cookie = cookies[0]  # an operator: the first look at each page
        # The notes queue as an operator sees it: row facts, checkboxes and the clear button (issue 13).
        pages = {"day page": "/", "queue page": "/exceptions/ship_overdue/", "notes queue": "/exceptions/buyer_note/",
                 "returns queue": "/exceptions/returned_unrefunded/", "search": ""}
        print(f"{options.orders:,} orders, gunicorn {options.workers} workers × {options.threads} threads, wrk -t2 -c20 -d{options.duration}s, "
              f"{len(cookies)} people logged in")
        for label, path in pages.items():
            path = path or search_path(base, cookie)
            _status, seconds, _body = fetch(base, path, cookie)
            # Everyone gets the page itself: wrk would count a redirect to the login page as a quick success.
            assert all(fetch(base, path, other)[0] == 200 for other in cookies), path
            result = load(base, path, duration=options.duration, lua=lua)
            verdict = "OK" if result["p95"] / 1000 < GOAL_MS else "TOO SLOW"
            print(f"{label:<13} {path:<40} cold {seconds * 1000:6.0f} ms  p50 {result['p50'] / 1000:6.1f} ms  "
                  f"p95 {result['p95'] / 1000:6.1f} ms  p99 {result['p99'] / 1000:6.1f} ms  "
                  f"{result['requests']:>6} requests  {result['errors']} errors  {verdict}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)


def search_path(base: str, cookie: str) -> str:
    """Search for an order number taken from the queue page (what an operator pastes into the box)."""
    _status, _seconds, body = fetch(base, "/exceptions/ship_overdue/", cookie)
    found = re.search(r'href="/orders/[^/]+/([^/"]+)/"', body.decode())
    assert found, "no order on the queue page"
    return "/orders/?" + urllib.parse.urlencode({"q": urllib.parse.unquote(found[1])})


if __name__ == "__main__":
    sys.exit(main())
