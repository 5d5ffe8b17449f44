"""Shared fixtures (the local HTTP test server) and the Hypothesis profiles.

Profiles (``HYPOTHESIS_PROFILE``, see ``tests/helpers/fuzz.py``): ``default`` tries
the same 100 examples every run (a fifth of ``scaled(n)`` for the costly fuzzers);
``hardening`` (``make hardening``) tries 500 (all of ``scaled(n)``), at random.
Neither has a per-example deadline: a busy machine is slow, not broken.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from extract.store import StoreApi
from tests.helpers import postgres
from tests.helpers.backends import BACKENDS, NewStore, StoreTarget
from tests.helpers.fuzz import DEFAULT, FULL
from tests.helpers.httpserver import TestServer

# --cpu-durations=N; the longest tests first (make test's xdist schedule)
pytest_plugins = ["tests.helpers.cpu_report", "tests.helpers.schedule"]

# A full garbage collection walks a worker's whole heap (the spaCy model, Textual, every
# test module and what the tests keep: 0.1-0.5 s each, ~17 s of the suite's CPU with
# Python's threshold). Tests make short-lived cycles (apps, screens) by the thousand; a
# full pass every 100 middle-generation passes instead of 10 frees them all the same.
# The app raises it further while it runs and puts back this value when it ends.
FULL_PASS_EVERY = 100
gc.set_threshold(*gc.get_threshold()[:2], FULL_PASS_EVERY)

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


@pytest.fixture(autouse=True)
def panes_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app mounts and shows its reader and side panels right after its first frame,
    not once no key has come for ``PANES_QUIET_SECONDS``: a test that reads them right
    after start-up would otherwise race that pause, and wait for it. The pause itself is
    tested by ``test_start_up_shows_the_panes_once_the_keys_pause`` (it sets its own).
    A test that runs the app has imported ``tui.app`` when it was collected."""
    app = sys.modules.get("tui.app")
    if app is not None:
        monkeypatch.setattr(app, "PANES_QUIET_SECONDS", 0.0)


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


def pytest_configure(config: pytest.Config) -> None:
    """pytest's controller (or the only process) makes the run folder of the shared
    PostgreSQL cluster before any xdist worker starts; the workers inherit its name."""
    if not hasattr(config, "workerinput"):
        config.stash[_PG_RUN] = postgres.SharedRun.begin()


def pytest_unconfigure(config: pytest.Config) -> None:
    """After every worker ended, crashed or not: the cluster is stopped and removed."""
    run = config.stash.get(_PG_RUN, None)
    if run is not None:
        run.end()


_PG_RUN = pytest.StashKey[postgres.SharedRun]()


@pytest.fixture(scope="session")
def pg_cluster() -> postgres.Cluster:
    """The run's throwaway PostgreSQL 15 server on a loopback port, shared by every xdist
    worker (started by the first test that needs it); skips, saying what to install, when
    the binaries are missing. Never restart or stop it: use ``pg_own_cluster`` for that."""
    why = postgres.missing()
    if why:
        pytest.skip(why)
    run = postgres.SharedRun.current()
    assert run is not None, "tests/conftest.py's pytest_configure makes the run folder"
    return run.cluster()


@pytest.fixture
def pg_own_cluster() -> Iterator[postgres.Cluster]:
    """A server of this test's own (initdb and a start: seconds), for a test that restarts
    or stops it; its template is made, so ``fresh_database()`` works as on the shared one."""
    why = postgres.missing()
    if why:
        pytest.skip(why)
    cluster = postgres.start()
    try:
        postgres.make_template(cluster)
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: postgres.Cluster) -> Iterator[str]:
    """The URL of a new database on the shared server, migrated (a copy of the template);
    dropped after the test."""
    url = pg_cluster.fresh_database()
    yield url
    pg_cluster.drop(url)


@pytest.fixture(params=BACKENDS)
def new_store(request: pytest.FixtureRequest) -> Iterator[NewStore]:
    """Makes fresh stores on each backend in turn (``tests/helpers/backends.py``): a SQLite
    file in the folder given, or a new database on the shared PostgreSQL server (dropped
    after the test)."""
    if request.param == "sqlite":
        yield NewStore("sqlite", lambda folder: StoreTarget("sqlite", folder / "store.sqlite3"))
        return
    cluster: postgres.Cluster = request.getfixturevalue("pg_cluster")
    urls: list[str] = []

    def make(folder: Path) -> StoreTarget:
        urls.append(cluster.fresh_database())
        return StoreTarget("postgres", folder / "store.sqlite3", urls[-1])

    yield NewStore("postgres", make)
    for url in urls:
        cluster.drop(url)


@pytest.fixture
def store_target(new_store: NewStore, tmp_path: Path) -> StoreTarget:
    """A fresh store on each backend in turn: where it is (see ``new_store``)."""
    return new_store(tmp_path)


@pytest.fixture
def backend(store_target: StoreTarget) -> Iterator[StoreApi]:
    """An opened store on a fresh store of each backend in turn; closed after the test."""
    store = store_target.open()
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def pg_empty_url(pg_cluster: postgres.Cluster) -> Iterator[str]:
    """The URL of a new database with no schema at all (a test that migrates by hand or
    makes an older schema); dropped after the test."""
    url = pg_cluster.fresh_database(migrated=False)
    yield url
    pg_cluster.drop(url)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests on PostgreSQL are ``slow``: the first of the run starts the server (initdb, a
    start and the template's migrations: seconds), so ``make test-fast`` stays on SQLite."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        fixtures = set(getattr(item, "fixturenames", ()))
        uses_pg = {"pg_url", "pg_empty_url", "pg_cluster", "pg_own_cluster"} & fixtures
        if uses_pg or "postgres" in params.values():
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.postgres)
