from __future__ import annotations

from collections.abc import Iterator

import pytest

from opsdesk.hupun.client import HupunClient
from opsdesk.hupun.contract import ContractServer
from tests.hupun.helpers import APP_KEY, SECRET


@pytest.fixture
def server() -> Iterator[ContractServer]:
    with ContractServer(app_key=APP_KEY, secret=SECRET) as running:
        yield running


@pytest.fixture
def client(server: ContractServer) -> HupunClient:
    return HupunClient(base=server.url, app_key=APP_KEY, secret=SECRET, timeout=0.3, attempts=3, backoff=0.01)
