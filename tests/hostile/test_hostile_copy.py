"""Everything copied or exported is cleaned like the screen (issue 16, item 4): the
citation ``y`` puts on the clipboard (OSC 52) in the real app, ``quotes --json``, and
quote text that came from a feed summary.
"""

from __future__ import annotations

from pathlib import Path

from extract.ingest.feeds import parse_feed
from extract.models import Analysis, Quote
from extract.safe_text import plain
from extract.store import NewArticle, Store, open_store
from tests.helpers.app import SIZE, make_app
from tests.helpers.hardening import EVERYTHING, HOSTILE_STRINGS, TALLY, briefing, forbidden_chars
from tui.screens.quote_lookup import QuoteLookup


def _hostile_store(path: Path) -> Store:
    store = open_store(path)
    feed_id = store.upsert_feed("F", "http://f.example/rss")
    for n, value in enumerate([*HOSTILE_STRINGS.values(), EVERYTHING]):
        text = f"Zyxwv {value} line one\nline two {value}"
        quote = Quote("direct", text, ((0, len(text)),), f"Speaker {value}", value, 0, 1,
                      f"Role {value}", "said", "explicit", 0, len(text))
        store.add_article(NewArticle(
            url=f"http://f.example/{n}?{value}", canonical_url=f"http://f.example/{n}",
            title=value, author=value, published=f"2024-01-01{value}", source=f"Src {value}",
            text=text, text_status="full_text", html=b"x"), feed_id, f"g{n}",
            Analysis(quotes=(quote,), analysed_with="copy"))
    return store


def test_plain_keeps_lines_and_drops_every_escape() -> None:
    copied = plain(EVERYTHING + "\nsecond line\r\n\u2028third")
    assert forbidden_chars(copied) == []
    assert "second line" in copied.split("\n") and "[bold]not bold[/bold]" in copied


async def test_y_copies_a_citation_without_escapes(tmp_path: Path) -> None:
    store = _hostile_store(tmp_path / "s.sqlite3")
    app = make_app(store)
    copied: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l", *"zyxwv")
        await pilot.pause()
        lookup = app.screen
        assert isinstance(lookup, QuoteLookup)
        assert len(lookup.results) == len(HOSTILE_STRINGS) + 1
        await pilot.press("ctrl+y")
        copied.append(app.last_copied or "")
        await pilot.press("tab")
        for _ in range(len(lookup.results)):
            await pilot.press("y")
            copied.append(app.last_copied or "")
            await pilot.press("down")
    store.close()
    TALLY.tried("clipboard", len(copied))
    for text in copied:
        assert text.startswith("“Zyxwv")
        found = TALLY.scan("clipboard (y)", text)
        assert found == [], (text, found)
    # The hostile parts are still there, as plain text: nothing was dropped wholesale.
    assert any("[link=http://evil.example]click[/link]" in text for text in copied)


def test_quotes_json_exports_clean_text(tmp_path: Path) -> None:
    _hostile_store(tmp_path / "s.sqlite3").close()
    out = briefing("quotes", "--json", "--store", str(tmp_path / "s.sqlite3"), timeout=60)
    TALLY.tried("export", len(HOSTILE_STRINGS) + 1)
    assert out.returncode == 0
    text = out.stdout.decode()
    # Not even escaped (\u001b, \u202e): the export holds what the screen shows.
    assert "\\u001b" not in text and "\\u202e" not in text and "\\u200b" not in text
    assert TALLY.scan("quotes --json", text) == []


def test_feed_summaries_lose_bidi_and_zero_width_at_ingest() -> None:
    body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>'
            "<title>t</title><guid>1</guid><description>"
            "“We will stay,” said Ana Ruiz\u202e, the mayor\u200b.\u2066x\u2069 &amp;#x1b;[2J"
            "</description></item></channel></rss>").encode()
    (entry,) = parse_feed(body, "http://news.example/rss").entries
    assert forbidden_chars(entry.summary) == []
    assert "“We will stay,” said Ana Ruiz, the mayor." in entry.summary
