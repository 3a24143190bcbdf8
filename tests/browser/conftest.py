from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from opsdesk.test import PASSWORD
from opsdesk.web.cache import desk_cache

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1360, "height": 900},
                                  accept_downloads=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def login(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(autouse=True)
def _fresh_desk_cache() -> None:
    """Counts shared between requests (opsdesk/web/cache.py) must not leak from one test into the next."""
    desk_cache().clear()


@pytest.fixture(autouse=True)
def _seed_data(transactional_db: None) -> None:
    """The channels and checklist items the migrations seed. Django restores them for `serialized_rollback`
    tests from a snapshot taken when the test database is created, but under pytest-xdist a worker whose first
    tests are plain TestCases gets no snapshot: take it here on the first look, and restore it after a flush."""
    from django.db import connection

    from opsdesk.orders.models import Channel

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None and Channel.objects.exists():
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()  # type: ignore[attr-defined]
    elif contents and not Channel.objects.exists():
        connection.creation.deserialize_db_from_string(contents)
    assert Channel.objects.exists(), "the migrations' seed data is missing"
