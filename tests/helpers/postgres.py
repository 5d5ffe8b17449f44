"""A throwaway PostgreSQL 15 cluster for the tests: initdb in a temp folder, a server on a
loopback port, password auth (so a wrong password can be tested), stopped at the end.

PostgreSQL refuses to run as root, and CI runs as root: then the folder belongs to
``nobody`` and ``initdb``/``pg_ctl`` run through ``runuser``. One cluster per test process
(per xdist worker); each test gets its own database (``fresh_database``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

BIN = Path(os.environ.get("BRIEFING_PG_BIN", "/usr/lib/postgresql/15/bin"))
USER = "briefing"
PASSWORD = "briefing-test-pw"
RUN_AS = "nobody"


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

    def fresh_database(self) -> str:
        """A new empty database; its URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        self.admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def ctl(self, *args: str) -> None:
        """``pg_ctl`` on this cluster; a started server logs to a file (left on our pipe,
        it would hold it open and ``pg_ctl`` would never seem to end)."""
        log = ["-l", str(self.folder / "log")] if args[0] in ("start", "restart") else []
        _run([str(BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-w", *args, *log])

    def stop(self) -> None:
        try:
            self.ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


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


def start() -> Cluster:
    """initdb + start; the caller stops it (``Cluster.stop``)."""
    folder = Path(tempfile.mkdtemp(prefix="briefing-pg-"))
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
    options = (
        f"-c port={cluster.port} -c listen_addresses=127.0.0.1 "
        f"-c unix_socket_directories={folder} -c fsync=off -c shared_buffers=32MB "
        "-c max_connections=60 -c synchronous_commit=off -c full_page_writes=off"
    )
    try:
        cluster.ctl("start", "-o", options)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return cluster
