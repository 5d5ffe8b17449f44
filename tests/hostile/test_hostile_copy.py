"""Everything copied or exported is cleaned like the screen (issue 16, item 4): the
citation ``y`` puts on the clipboard (OSC 52) in the real app, ``quotes --json``, and
quote text that came from a feed summary.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.ingest.feeds import parse_feed
from extract.safe_text import plain
from tests.helpers.hardening import EVERYTHING, Tally, forbidden_chars
from tests.helpers.isolation import quotes_json_exports_clean_text, y_copies_a_citation


def test_plain_keeps_lines_and_drops_every_escape() -> None:
    copied = plain(EVERYTHING + "\nsecond line\r\n\u2028third")
    assert forbidden_chars(copied) == []
    assert "second line" in copied.split("\n") and "[bold]not bold[/bold]" in copied


@pytest.mark.slow
async def test_y_copies_a_citation_without_escapes(tmp_path: Path) -> None:
    tally = Tally()
    await y_copies_a_citation(tally, tmp_path)
    assert tally.copied_escapes == [] and tally.escapes == []


@pytest.mark.slow
def test_quotes_json_exports_clean_text(tmp_path: Path) -> None:
    tally = Tally()
    quotes_json_exports_clean_text(tally, tmp_path)
    assert tally.copied_escapes == [] and tally.escapes == []


def test_feed_summaries_lose_bidi_and_zero_width_at_ingest() -> None:
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>'
        "<title>t</title><guid>1</guid><description>"
        "“We will stay,” said Ana Ruiz\u202e, the mayor\u200b.\u2066x\u2069 &amp;#x1b;[2J"
        "</description></item></channel></rss>"
    ).encode()
    (entry,) = parse_feed(body, "http://news.example/rss").entries
    assert forbidden_chars(entry.summary) == []
    assert "“We will stay,” said Ana Ruiz, the mayor." in entry.summary
