"""Shared fixtures: the local HTTP test server and small generic helpers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.httpserver import TestServer


@pytest.fixture
def http_server() -> Iterator[TestServer]:
    """A fresh real HTTP/1.1 server on 127.0.0.1 (ephemeral port) for one test.

    Add routes with ``http_server.add(path, body, status=200, headers={...})``,
    get URLs with ``http_server.url(path)``, inspect ``http_server.requests``.
    Built-in routes (redirects, gzip, slow, endless, bomb, ...) are listed in
    ``tests/helpers/httpserver.py``. Stopped after the test, even mid-response.
    """
    server = TestServer().start()
    try:
        yield server
    finally:
        server.close()
