"""Run ``briefing fetch --progress jsonl`` in a child process and relay its events.

The ingest (network, trafilatura, spaCy) never runs in the UI process: a slow
page or a model load cannot freeze the keys, and the app never imports spaCy.
The child writes to the store itself (WAL lets the app keep reading; on PostgreSQL it is
one more fetch among the team's); the app only hears about it line by line.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

from textual.message import Message

from extract.config import Config
from extract.errors import HINT_PREFIX, STDERR_PREFIX, RefreshFailed

# One event per line. A line longer than this (a 20 MB title) is skipped, never an error:
# the child goes on and the app hears about the next article.
LINE_LIMIT = 8 << 20


def fetch_command(config: Config, store_path: Path | None, demo: bool) -> list[str]:
    """The command that fetches into ``store_path`` with the app's config; with no path,
    into the team's PostgreSQL store the config (or ``BRIEFING_STORE_URL``, which the
    child inherits) names."""
    command = [*briefing_command(), "fetch", "--progress", "jsonl"]
    if store_path is not None:
        command += ["--store", str(store_path)]
    if not config.is_bundled:
        command += ["--config", str(config.path)]
    if demo:
        command.append("--demo")
    return command


def briefing_command() -> list[str]:
    """The installed ``briefing`` entry point of this interpreter's environment.

    The script beside the interpreter (a venv's ``bin/``), else the one on PATH."""
    beside = Path(sys.executable).with_name("briefing")
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("briefing")
    if found is None:
        raise RefreshFailed(
            "the briefing command is not installed in this environment",
            "pip install the project, or run `make run`",
        )
    return [found]


def child_env() -> dict[str, str]:
    """The app's environment; the child's events arrive as they are written."""
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


async def run_fetch(
    command: Sequence[str], post: Callable[[Message], object], *, line_limit: int = LINE_LIMIT
) -> None:
    """Run ``command``, ``post`` a message per event line; raise if it exits non-zero."""
    from tui.messages import from_line  # not needed to start the app

    proc = await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=child_env(),
        limit=line_limit,
    )
    assert proc.stdout is not None and proc.stderr is not None  # both are PIPEs
    # stderr is drained alongside stdout, so a chatty child never blocks on a full pipe.
    errors = asyncio.create_task(proc.stderr.read())
    try:
        async for raw in read_lines(proc.stdout):
            message = from_line(raw.decode("utf-8", errors="replace"))
            if message is not None:
                post(message)
        code = await proc.wait()
        stderr = (await errors).decode("utf-8", errors="replace")
    finally:
        await _stop(proc, errors)
    if code != 0:
        problem, hint = child_error(stderr)
        raise RefreshFailed(f"the fetch exited with status {code}: {problem}", hint)


async def read_lines(stream: asyncio.StreamReader) -> AsyncIterator[bytes]:
    """The lines of ``stream``, skipping any longer than its limit.

    ``async for line in stream`` raises ``ValueError`` on such a line (and the
    child would be killed); here it is read past in limit-sized pieces, so
    memory stays bounded and the next line is read as usual.
    """
    skipping = False  # inside an over-long line: drop up to and including its newline
    while True:
        try:
            line = await stream.readuntil(b"\n")
        except asyncio.IncompleteReadError as exc:  # end of output
            if exc.partial and not skipping:
                yield exc.partial
            return
        except asyncio.LimitOverrunError as exc:
            skipping = True
            await stream.read(max(1, exc.consumed))  # discard what is buffered so far
            continue
        if skipping:
            skipping = False  # that was the over-long line's tail
            continue
        yield line


async def _stop(proc: asyncio.subprocess.Process, errors: asyncio.Task) -> None:
    """Kill the child if it still runs (the worker was cancelled), and close its pipes."""
    try:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    finally:
        errors.cancel()
        # Close the pipes now: left to the garbage collector, they are closed after
        # the event loop is gone and asyncio complains ("Event loop is closed").
        # asyncio has no public way to; the private attribute is read with a fallback,
        # so if it ever goes the pipes are merely closed later (a warning, no failure).
        transport = getattr(proc, "_transport", None)
        if transport is not None:
            transport.close()


def child_error(stderr: str) -> tuple[str, str | None]:
    """The error the child printed last (``briefing: <kind> error: ...``) and its hint.

    Anything else on stderr (a traceback, a warning) counts by its last line."""
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    if not lines:
        return "no error message", None
    hint = None
    if len(lines) > 1 and lines[-1].startswith(HINT_PREFIX):
        hint = lines.pop()[len(HINT_PREFIX) :][:300]
    message = lines[-1].removeprefix(STDERR_PREFIX)
    return message[:300], hint
