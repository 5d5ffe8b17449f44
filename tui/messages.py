"""Messages the refresh worker posts while ``briefing fetch`` runs in its own process.

The worker reads one JSON object per line from the child's stdout
(the events of ``extract.ingest.events``) and posts one of these; only message handlers change
widgets, so the UI never races the worker. Dataclass messages (harlequin's
style): ``Message.__init__`` work happens in ``__post_init__``, which the
dataclass ``__init__`` calls.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from extract.ingest import events


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
    """The message for one line of ``fetch --progress jsonl``; None for anything else."""
    event = events.from_json(line)
    if isinstance(event, events.Progress):
        return RefreshProgress(event.stage, event.done, event.total)
    if isinstance(event, events.FeedChecked):
        return FeedChecked(event.feed, event.status, event.new, event.reason)
    if isinstance(event, events.ArticleStored):
        return ArticleAdded(event.id, event.title)
    if isinstance(event, events.Done):
        return RefreshDone(event.new, event.failed_feeds)
    if isinstance(event, events.Error):
        return RefreshError(event.message)
    return None
