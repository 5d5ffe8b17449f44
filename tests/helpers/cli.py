"""Running the real ``briefing`` command line in a test, as text, without colour.

``briefing()`` runs ``tui.cli.main`` in this process: the same parser, commands and
error handling as the installed command, without paying a fresh interpreter and a
spaCy load per call (the model loads once per test worker). It runs in its own
thread, so async tests can call it and the command's own ``asyncio.run`` has a
thread without a running loop. ``briefing_process()`` starts the real entry point
in a child process, for what only a process shows: the exit status the shell sees,
signals, a hang bounded by a timeout, what gets imported.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from tests.helpers import REPO

PLAIN = {"NO_COLOR": "1", "COLUMNS": "200"}
_ONE_AT_A_TIME = threading.Lock()  # sys.stdout, sys.stderr and os.environ are global


def briefing(*args: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``briefing ARGS`` in this process, output as text at a fixed width."""
    from tui.cli import main

    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["code"] = main(list(args))
        except SystemExit as exit_:  # argparse: --help, a usage error
            code = exit_.code
            result["code"] = code if isinstance(code, int) else (0 if code is None else 1)

    out, err = _text_stream(), _text_stream()
    with (
        _ONE_AT_A_TIME,
        _environment({**PLAIN, **(env or {})}),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        worker = threading.Thread(target=run, name="briefing-cli")
        worker.start()
        worker.join()
    if "code" not in result:
        raise AssertionError(f"briefing {' '.join(args)} raised; stderr:\n{_read(err)}")
    return subprocess.CompletedProcess(["briefing", *args], result["code"], _read(out), _read(err))


def briefing_process(
    *args: str,
    env: Mapping[str, str] | None = None,
    timeout: float = 240,
    cwd: Path = REPO,
    text: bool = True,
    python: str = sys.executable,
    **kwargs: Any,
) -> subprocess.CompletedProcess[Any]:
    """``briefing ARGS`` as a child process (the real entry point)."""
    full_env = {**os.environ, **PLAIN, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [python, "-m", "tui.cli", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=text,
        timeout=timeout,
        **kwargs,
    )


def _text_stream() -> io.TextIOWrapper:
    # A real text stream over bytes (it has .buffer, as sys.stdout does), not a terminal.
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")


def _read(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8", errors="backslashreplace")


@contextlib.contextmanager
def _environment(changes: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
