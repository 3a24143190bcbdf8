"""Production headers: a Content-Security-Policy without inline script, no-store on pages with personal data,
and OPSDESK_HTTPS switching on secure cookies, HSTS and the proxy's scheme header."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import opsdesk.web
from opsdesk.test import BaseTestCase

TEMPLATES = Path(opsdesk.web.__file__).parent / "templates"


def settings_under(env: dict[str, str]) -> dict[str, object]:
    """Some settings as a fresh process with `env` reads them."""
    code = (
        "import json; from opsdesk import settings as s; print(json.dumps({k: getattr(s, k) for k in "
        "('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER', "
        "'SECURE_SSL_REDIRECT')}))"
    )
    result = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


class HeadersTestCase(BaseTestCase):
    def test_pages_carry_a_policy_without_inline_script(self) -> None:
        self.client.force_login(self.operator)
        policy = self.client.get("/orders/")["Content-Security-Policy"]
        script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
        self.assertEqual(script.strip(), "script-src 'self'")
        self.assertIn("frame-ancestors 'none'", policy)

    def test_templates_hold_no_inline_script_or_handlers(self) -> None:
        self.client.force_login(self.admin)
        for url in ("/", "/orders/", "/cases/", "/checklist/", "/imports/", "/stockouts/"):
            html = self.client.get(url).content.decode()
            self.assertNotRegex(html, r"<script(?![^>]*\bsrc=)", url)
            self.assertNotRegex(html, r"\son[a-z]+=", url)

    def test_no_template_holds_inline_script_or_handlers(self) -> None:
        """Every template, including the pages and partials no test above renders (case, queue, order…)."""
        for path in sorted(TEMPLATES.rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            self.assertIsNone(re.search(r"<script(?![^>]*\bsrc=)", text), path)
            self.assertIsNone(re.search(r"\son[a-z]+\s*=|hx-on|javascript:", text), path)

    def test_pages_with_personal_data_are_not_stored(self) -> None:
        self.client.force_login(self.operator)
        for url in ("/orders/?q=13800000000", "/cases/", "/"):
            self.assertIn("no-store", self.client.get(url)["Cache-Control"], url)

    def test_https_turns_on_secure_cookies_hsts_and_the_proxy_header(self) -> None:
        on = settings_under({"OPSDESK_HTTPS": "true"})
        self.assertEqual(on["SESSION_COOKIE_SECURE"], True)
        self.assertEqual(on["CSRF_COOKIE_SECURE"], True)
        self.assertGreaterEqual(on["SECURE_HSTS_SECONDS"], 180 * 24 * 3600)  # type: ignore[operator]
        self.assertEqual(on["SECURE_PROXY_SSL_HEADER"], ["HTTP_X_FORWARDED_PROTO", "https"])
        self.assertEqual(on["SECURE_SSL_REDIRECT"], True)

    def test_plain_http_keeps_cookies_usable_without_https(self) -> None:
        off = settings_under({"OPSDESK_HTTPS": "false"})
        self.assertEqual(off["SESSION_COOKIE_SECURE"], False)
        self.assertEqual(off["SECURE_HSTS_SECONDS"], 0)
        self.assertIsNone(off["SECURE_PROXY_SSL_HEADER"])
