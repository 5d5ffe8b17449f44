"""Messages the refresh worker posts while ``briefing fetch`` runs in its own process.

The worker reads one JSON object per line from the child's stdout (the events of
``extract.ingest.events``) and posts each as an ``IngestEventMessage`` carrying the event
itself; ``MainScreen`` dispatches on the event's type. Only message handlers change
widgets, so the UI never races the worker. Dataclass messages (harlequin's style):
``Message.__init__`` work happens in ``__post_init__``, which the dataclass ``__init__``
calls.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from extract.ingest import events


@dataclass
class RefreshStarted(Message):
    """The app started a refresh (before the child prints anything)."""

    demo: bool


@dataclass
class IngestEventMessage(Message):
    """One event the fetch child printed, as the ingest reported it."""

    event: events.IngestEvent


def from_line(line: str) -> IngestEventMessage | None:
    """The message for one line of ``fetch --progress jsonl``; None for anything else."""
    event = events.from_json(line)
    return None if event is None else IngestEventMessage(event)


@dataclass
class WatchHits(Message):
    """A refresh brought new watch hits: ``summary`` says how many, per watch. Posted after
    the refresh's own events, so it follows the "Refreshed: ..." note on the status line."""

    summary: str
