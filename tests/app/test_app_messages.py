"""The refresh worker's line parser: every event becomes a message, junk becomes None."""

from __future__ import annotations

import json

from extract.ingest import events
from tui.messages import IngestEventMessage, from_line


def test_every_event_the_fetch_prints_becomes_a_message_carrying_it() -> None:
    sent = [
        events.Progress("pages", 3, 9),
        events.FeedChecked("Wire", "failed", 0, "HTTP 503"),
        events.ArticleStored(12, "A title", "full_text"),
        events.Done(4, 1),
        events.Error("boom"),
    ]
    assert [from_line(events.to_json(e)) for e in sent] == [IngestEventMessage(e) for e in sent]


def test_the_documented_minimal_article_event_is_accepted() -> None:
    assert from_line(json.dumps({"event": "article", "id": 7, "title": "T"})) == IngestEventMessage(
        events.ArticleStored(7, "T")
    )


def test_lines_that_are_not_events_are_ignored() -> None:
    for line in (
        "",
        "not json",
        "[1, 2]",
        '{"event": "nope"}',
        '{"event": "progress"}',
        '{"event": "article", "id": "x"}',
        "Traceback (most recent call last):",
    ):
        assert from_line(line) is None, line
