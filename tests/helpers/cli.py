"""Running the real ``briefing`` command line in a test, as text, without colour."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers import REPO


def briefing(*args: str) -> subprocess.CompletedProcess[str]:
    """``briefing ARGS`` in a child process, output as text at a fixed width."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
