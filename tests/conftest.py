"""Shared fixtures (the local HTTP test server) and the Hypothesis profiles.

Profiles (``HYPOTHESIS_PROFILE``, see ``tests/helpers/fuzz.py``): ``default`` tries
the same 100 examples every run (a fifth of ``scaled(n)`` for the costly fuzzers);
``hardening`` (``make hardening``) tries 500 (all of ``scaled(n)``), at random.
Neither has a per-example deadline: a busy machine is slow, not broken.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from tests.helpers import postgres
from tests.helpers.fuzz import DEFAULT, FULL
from tests.helpers.httpserver import TestServer

# --cpu-durations=N; the longest tests first (make test's xdist schedule)
pytest_plugins = ["tests.helpers.cpu_report", "tests.helpers.schedule"]

settings.register_profile(
    "default",
    max_examples=DEFAULT,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "hardening", max_examples=FULL, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session", autouse=True)
def no_user_files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The user's own config and store stay out of the tests (and of every ``briefing``
    process they start): the XDG folders are empty ones of this session."""
    home = tmp_path_factory.mktemp("xdg")
    with pytest.MonkeyPatch.context() as env:
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            env.setenv(name, str(home / name.lower()))
        env.delenv("BRIEFING_CONFIG", raising=False)
        env.delenv("BRIEFING_STORE_URL", raising=False)
        yield


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


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[postgres.Cluster]:
    """A throwaway PostgreSQL 15 server for this test process (one per xdist worker), on a
    loopback port; skips, saying what to install, when the binaries are missing."""
    why = postgres.missing()
    if why:
        pytest.skip(why)
    cluster = postgres.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: postgres.Cluster) -> str:
    """The URL of a new empty database on the test server."""
    return pg_cluster.fresh_database()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests on PostgreSQL are ``slow``: the first in each worker starts a server of its
    own (initdb and a start, seconds), so ``make test-fast`` stays on SQLite."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        uses_pg = {"pg_url", "pg_cluster"} & set(getattr(item, "fixturenames", ()))
        if uses_pg or "postgres" in params.values():
            item.add_marker(pytest.mark.slow)
