"""The errors a user sees: one family, each with a message, an optional hint and an exit code.

Code raises these where it finds the problem, worded for the user (what went wrong, and
where). ``tui.cli.main`` catches ``BriefingError`` once, prints ``describe(error)`` and
exits with ``error.exit_code``; the app shows the same ``describe(error)`` text in its
notifications. Anything else that escapes is a bug, and keeps its traceback.

Exit codes (also in the README):

===  =====================================================================
0    done
1    done, but something failed on the way (every feed failed; a file
     could not be analysed); the output says what
2    usage: the command line is wrong (argparse's own code)
3    config: config.toml is invalid (``ConfigError``)
4    store: the SQLite store cannot be opened or written (``StoreError``)
5    model: the spaCy pipeline is not installed (``ModelNotFound``)
6    refresh: the app's fetch process failed (``RefreshFailed``)
7    input: a file named on the command line cannot be read (``InputError``)
130  interrupted (Ctrl+C)
===  =====================================================================
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from extract.safe_text import one_line

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_INTERRUPTED = 130

# On stderr, the CLI prints "briefing: <kind> error: <message>", then "hint: <hint>".
STDERR_PREFIX = "briefing: "
HINT_PREFIX = "hint: "


class BriefingError(Exception):
    """A problem the user can act on; the message is for them, the hint says what to do."""

    kind: ClassVar[str] = "briefing"
    exit_code: ClassVar[int] = EXIT_FAILURES

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(BriefingError):
    """The command line asks for something that does not exist (e.g. an unknown feed)."""

    kind = "usage"
    exit_code = 2


class ConfigError(BriefingError):
    """A config problem: names the file and the key (``[fetch.timeout]``)."""

    kind = "config"
    exit_code = 3

    def __init__(self, path: Path | str, key: str, problem: str, hint: str | None = None) -> None:
        self.path, self.key, self.problem = str(path), key, problem
        where = f"{path}: " if key == "" else f"{path}: [{key}] "
        super().__init__(f"{where}{problem}", hint)


class StoreError(BriefingError):
    """The store cannot be opened or written."""

    kind = "store"
    exit_code = 4


class ModelNotFound(BriefingError):
    """The configured spaCy pipeline is not installed (or cannot be loaded)."""

    kind = "model"
    exit_code = 5


class RefreshFailed(BriefingError):
    """The app's ``briefing fetch`` child could not start or exited with an error."""

    kind = "refresh"
    exit_code = 6


class InputError(BriefingError):
    """A file named on the command line cannot be read, or holds nothing usable."""

    kind = "input"
    exit_code = 7


# Every kind, in exit-code order (the README table and the tests read it).
KINDS: tuple[type[BriefingError], ...] = (
    UsageError,
    ConfigError,
    StoreError,
    ModelNotFound,
    RefreshFailed,
    InputError,
)


def describe(error: BriefingError) -> str:
    """The one wording of ``error``: ``<kind> error: <message>``, then ``hint: <hint>``.

    The CLI prints it after ``briefing: ``; the app shows it in notifications. Messages
    may quote untrusted text (a path, a child's stderr), so each part is made one safe line.
    """
    text = f"{error.kind} error: {one_line(error.message)}"
    if error.hint:
        text += f"\n{HINT_PREFIX}{one_line(error.hint)}"
    return text
