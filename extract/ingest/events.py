"""What the ingest reports while it runs, as plain values.

The command line turns these into a rich progress display; ``--progress
jsonl`` prints them one JSON object per line for the app, which runs the
ingest in a separate process and reads its standard output.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields
from typing import Literal

from extract.safe_text import INVISIBLE

Stage = Literal["feeds", "pages", "analysis"]
FeedStatus = Literal["ok", "unchanged", "failed"]


@dataclass(frozen=True, slots=True)
class Progress:
    stage: Stage
    done: int
    total: int
    event: str = "progress"


@dataclass(frozen=True, slots=True)
class FeedChecked:
    feed: str
    status: FeedStatus
    new: int
    reason: str | None = None
    event: str = "feed"


@dataclass(frozen=True, slots=True)
class ArticleStored:
    id: int
    title: str
    text_status: str = "full_text"
    event: str = "article"


@dataclass(frozen=True, slots=True)
class Done:
    new: int
    failed_feeds: int
    event: str = "done"


@dataclass(frozen=True, slots=True)
class Error:
    message: str
    event: str = "error"


IngestEvent = Progress | FeedChecked | ArticleStored | Done | Error
_BY_NAME = {
    "progress": Progress,
    "feed": FeedChecked,
    "article": ArticleStored,
    "done": Done,
    "error": Error,
}


# json.dumps escapes C0 controls but leaves C1 controls, bidi overrides and zero-width
# characters raw; a terminal acts on them. Escaped, the JSON still holds the same text.
_JSON_UNSAFE = re.compile(f"[{INVISIBLE}]")


def json_line(value: object) -> str:
    """One JSON line, non-ASCII text kept readable, invisible controls escaped."""
    return _JSON_UNSAFE.sub(
        lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False)
    )


def to_json(event: IngestEvent) -> str:
    return json_line(asdict(event))


def from_json(line: str) -> IngestEvent | None:
    """Parse one line; anything that is not a known event gives None.

    Fields this version does not know are ignored, so a newer ``briefing fetch``
    can add some without an older reader dropping its events.
    """
    try:
        data = json.loads(line)
        kind = _BY_NAME[data["event"]]
        values = {f.name: data[f.name] for f in fields(kind) if f.name in data}
        if not all(_fits(values[f.name], str(f.type)) for f in fields(kind) if f.name in values):
            return None
        return kind(**values)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _fits(value: object, annotation: str) -> bool:
    """Does a JSON value fit a field annotated ``int``, ``str`` or ``str | None``?"""
    if value is None:
        return "None" in annotation
    if isinstance(value, bool):
        return False
    if annotation.startswith("int"):
        return isinstance(value, int)
    return isinstance(value, str)
