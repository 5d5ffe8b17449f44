"""A throwaway PostgreSQL 15 cluster for the tests: initdb in a temp folder, a server on a
loopback port, password auth (so a wrong password can be tested), stopped at the end.

One cluster per test RUN, shared by every xdist worker (``SharedRun``): pytest's controller
makes a run folder (``BRIEFING_PG_RUN``) before the workers start; the first test that
needs PostgreSQL, in whichever worker, starts the cluster under a file lock and writes a
state file the others read; the controller stops it when the run ends. A watchdog process
the controller starts stops it too if the controller dies (SIGKILL, a closed terminal), so
no server outlives its run. The first start also migrates a template database; each test
gets a copy of it (``CREATE DATABASE ... TEMPLATE``), so no test pays for migrations, or a
copy an earlier test of the same worker used, emptied (``Cluster.drop``): a copy waits for
two checkpoints, and the copies were half of the shared server's CPU in a full run.

PostgreSQL refuses to run as root, and CI runs as root: then the folder belongs to
``nobody`` and ``initdb``/``pg_ctl`` run through ``runuser``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

BIN = Path(os.environ.get("BRIEFING_PG_BIN", "/usr/lib/postgresql/15/bin"))
USER = "briefing"
PASSWORD = "briefing-test-pw"
RUN_AS = "nobody"
TEMPLATE = "briefing_template"  # migrated once per run; each test's database is a copy
RUN_ENV = "BRIEFING_PG_RUN"  # the run folder, set by pytest's controller for its workers


def missing() -> str | None:
    """Why no cluster can be started here, or None."""
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not (BIN / tool).is_file():
            return (
                f"PostgreSQL 15 binaries are missing ({BIN / tool}): "
                "`apt-get install postgresql-15` (.ci/run does it)"
            )
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root without `runuser`: PostgreSQL cannot be started as root"
    return None


@dataclass
class Cluster:
    folder: Path
    port: int

    def url(self, database: str = "postgres", password: str = PASSWORD) -> str:
        return f"postgresql://{USER}:{password}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        """Run one statement on the maintenance database (autocommit)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]  # test-made SQL, no user input

    def fresh_database(self, migrated: bool = True) -> str:
        """A migrated database with no rows (a copy of the template, or one an earlier test
        of this process used and ``drop`` emptied), or an empty one; its URL."""
        spare = _SPARE.get(self.folder)
        if migrated and spare:
            return spare.pop()
        name = "t_" + uuid.uuid4().hex[:12]
        # FILE_COPY copies the files; the default (WAL_LOG) writes every page to the WAL.
        # tests/bench/bench_pg_clone.py: never dearer, 6x cheaper in one run (load 10).
        template = TEMPLATE if migrated else "template1"
        self.admin(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY")
        url = self.url(name)
        if migrated:
            _COPIES.add(url)
            if self.folder not in _SHAPE:  # read on a copy no test has touched yet
                _SHAPE[self.folder] = _shape(url)
        return url

    def drop(self, url: str) -> None:
        """A test is done with its database: emptied for this process's next test if the
        test changed only rows, else dropped (ending the sessions a killed process left).
        A copy (CREATE DATABASE ... FILE_COPY) waits for two checkpoints: 0.5-0.9 s in a
        full run, 45 s of the workers' time over 82 copies; emptying one takes ~40 ms."""
        if url in _COPIES and _emptied(url, _SHAPE.get(self.folder)):
            _SPARE.setdefault(self.folder, []).append(url)
            return
        _COPIES.discard(url)
        self.admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")

    def ctl(self, *args: str) -> None:
        """``pg_ctl`` on this cluster; a started server logs to a file (left on our pipe,
        it would hold it open and ``pg_ctl`` would never seem to end)."""
        log = ["-l", str(self.folder / "log")] if args[0] in ("start", "restart") else []
        _run([str(BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-w", *args, *log])

    def start_server(self) -> None:
        """Start the (initialised, stopped) server on its port and folder."""
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.folder} -c fsync=off -c shared_buffers=32MB "
            "-c max_connections=100 -c synchronous_commit=off -c full_page_writes=off"
        )
        self.ctl("start", "-o", options)

    def stop(self) -> None:
        try:
            self.ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


# This process's databases copied from a template, and those of them emptied for reuse (by
# the cluster's folder): each xdist worker keeps its own.
_COPIES: set[str] = set()
_SPARE: dict[Path, list[str]] = {}
_SHAPE: dict[Path, str] = {}  # the template's shape (below), by cluster, once read

# What a database holds besides rows: tables and columns, indexes, functions, triggers,
# text search configurations, settings and the schema version. A test that changed any of
# it gets its database dropped, not reused.
SHAPE_SQL = """
SELECT md5(string_agg(part, '|' ORDER BY part)) FROM (
  SELECT 'r ' || c.relname || ' ' || c.relkind::text || ' ' || coalesce(string_agg(
      a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull,
      ',' ORDER BY a.attnum), '') AS part
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    GROUP BY c.relname, c.relkind
  UNION ALL SELECT 'f ' || p.proname || ' ' || md5(p.prosrc) FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
  UNION ALL SELECT 't ' || tgname || ' ' || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL SELECT 'c ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
    WHERE connamespace = 'public'::regnamespace
  UNION ALL SELECT 's ' || cfgname FROM pg_ts_config
  UNION ALL SELECT 'e ' || extname FROM pg_extension
  UNION ALL SELECT 'g ' || array_to_string(setconfig, ',') FROM pg_db_role_setting
  UNION ALL SELECT 'v ' || t::text FROM briefing_schema t
) parts
"""


def _shape(url: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return _shape_of(conn)


def _shape_of(conn: Any) -> str:
    row = conn.execute(SHAPE_SQL).fetchone()
    return str(row[0] if row else None)


def _emptied(url: str, template_shape: str | None) -> bool:
    """End every other session on the database and delete its rows (sequences restarted),
    if its shape is still the template's; whether it was."""
    import psycopg

    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SET lock_timeout = '5s'")
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if template_shape is None or _shape_of(conn) != template_shape:
                return False
            tables = ", ".join(
                r[0]
                for r in conn.execute(
                    "SELECT quote_ident(tablename) FROM pg_tables"
                    " WHERE schemaname = 'public' AND tablename <> 'briefing_schema'"
                )
            )
            conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")  # type: ignore[arg-type]
    except psycopg.Error:
        return False
    return True


def _run(command: list[str]) -> None:
    if os.geteuid() == 0:
        command = ["runuser", "-u", RUN_AS, "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr or done.stdout}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(folder: Path | None = None) -> Cluster:
    """initdb + start in ``folder`` (a new temp folder if None); the caller stops it
    (``Cluster.stop``). Its template database is not made: see ``make_template``."""
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="briefing-pg-"))
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)  # the server user must reach it
    (folder / "pwfile").write_text(PASSWORD + "\n")
    if os.geteuid() == 0:
        shutil.chown(folder, RUN_AS)
        shutil.chown(folder / "pwfile", RUN_AS)
    cluster = Cluster(folder, _free_port())
    data = folder / "data"
    _run(
        [
            str(BIN / "initdb"),
            "-D",
            str(data),
            "-U",
            USER,
            "--pwfile",
            str(folder / "pwfile"),
            "--auth",
            "scram-sha-256",
            "-E",
            "UTF8",
            "--locale",
            "C.UTF-8",
            "--no-sync",
        ]
    )
    try:
        cluster.start_server()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return cluster


def make_template(cluster: Cluster) -> None:
    """The migrated database every test's database is copied from."""
    from extract.store import open_pg

    cluster.admin(f"CREATE DATABASE {TEMPLATE}")
    open_pg(cluster.url(TEMPLATE), "template").close()  # migrates; no session stays on it
    cluster.admin(f"ALTER DATABASE {TEMPLATE} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false")


class SharedRun:
    """The cluster of one test run, in ``folder`` (made by the controller): ``lock`` and
    ``state.json`` (the cluster's folder and port) say who started it and where it is."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.state = folder / "state.json"

    @classmethod
    def begin(cls) -> SharedRun:
        """In the controller, before any worker starts: the run folder, in the env."""
        folder = Path(tempfile.mkdtemp(prefix="briefing-pg-run-"))
        folder.chmod(0o755)  # the cluster's folder is inside, reached by the server user
        os.environ[RUN_ENV] = str(folder)
        watch(os.getpid(), folder)  # if this process dies, no server or folder is left
        return cls(folder)

    @classmethod
    def current(cls) -> SharedRun | None:
        folder = os.environ.get(RUN_ENV)
        return cls(Path(folder)) if folder else None

    def cluster(self) -> Cluster:
        """The run's cluster, started (with its template) by the first to ask."""
        with (self.folder / "lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self.state.exists():
                saved = json.loads(self.state.read_text())
                return Cluster(Path(saved["folder"]), saved["port"])
            cluster = start(self.folder / "cluster")
            try:
                make_template(cluster)
            except BaseException:
                cluster.stop()
                raise
            self.state.write_text(json.dumps({**asdict(cluster), "folder": str(cluster.folder)}))
            return cluster

    def end(self) -> None:
        """In the controller, after every worker ended (or crashed): stop and remove."""
        with (self.folder / "lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            stop_folder(self.folder)


def stop_folder(run: Path) -> None:
    """Stop the cluster under the run folder ``run`` if one runs, and remove the folder."""
    data = run / "cluster" / "data"
    if (data / "postmaster.pid").exists():
        # It may be stopped already (by the watchdog) or never have started.
        with contextlib.suppress(RuntimeError):
            _run([str(BIN / "pg_ctl"), "-D", str(data), "-w", "stop", "-m", "immediate"])
    shutil.rmtree(run, ignore_errors=True)


def watch(owner: int, run: Path) -> None:
    """A detached process that stops the run's cluster once ``owner`` is gone."""
    _WATCHDOGS.append(
        subprocess.Popen(
            [sys.executable, __file__, str(owner), str(run)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C to the run does not end it before the run
        )
    )


_WATCHDOGS: list[subprocess.Popen[bytes]] = []  # kept: never waited for, never warned of


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _watchdog(owner: int, run: Path) -> None:
    while _alive(owner) and run.exists():
        time.sleep(1.0)
    if run.exists():
        stop_folder(run)


if __name__ == "__main__":  # the watchdog: python postgres.py OWNER_PID RUN_FOLDER
    _watchdog(int(sys.argv[1]), Path(sys.argv[2]))
