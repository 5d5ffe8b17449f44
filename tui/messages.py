"""Messages the refresh worker posts while ``briefing fetch`` runs in its own process.

The worker reads one JSON object per line from the child's stdout
(the events of ``extract.events``) and posts one of these; only message handlers change
widgets, so the UI never races the worker. Dataclass messages (harlequin's
style): ``Message.__init__`` work happens in ``__post_init__``, which the
dataclass ``__init__`` calls.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from textual.message import Message


@dataclass
class RefreshStarted(Message):
    demo: bool


@dataclass
class RefreshProgress(Message):
    stage: str  # feeds | pages | analysis
    done: int
    total: int


@dataclass
class FeedChecked(Message):
    feed: str
    status: str  # ok | unchanged | failed
    new: int
    reason: str | None


@dataclass
class ArticleAdded(Message):
    article_id: int
    title: str


@dataclass
class RefreshDone(Message):
    new: int
    failed_feeds: int


@dataclass
class RefreshError(Message):
    """An error the fetch process reported about itself (it may still exit 0)."""

    message: str


def from_line(line: str) -> Message | None:
    """The message for one line of ``fetch --progress jsonl``; None for anything else.

    Parsed by hand rather than with ``extract.events.from_json`` so a field
    added to an event later (or one missing) does not make the app drop it.
    """
    try:
        data = json.loads(line)
        kind = data["event"]
        if kind == "progress":
            return RefreshProgress(str(data["stage"]), int(data["done"]), int(data["total"]))
        if kind == "feed":
            return FeedChecked(str(data["feed"]), str(data["status"]), int(data.get("new") or 0),
                               _text_or_none(data.get("reason")))
        if kind == "article":
            return ArticleAdded(int(data["id"]), str(data.get("title") or ""))
        if kind == "done":
            return RefreshDone(int(data.get("new") or 0), int(data.get("failed_feeds") or 0))
        if kind == "error":
            return RefreshError(str(data.get("message") or "unknown error"))
    except (ValueError, KeyError, TypeError):
        pass
    return None


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)
