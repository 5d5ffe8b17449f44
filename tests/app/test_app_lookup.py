"""Quote lookup: type a speaker, open the quote in context, copy its citation."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.store import Store, StoreApi
from tests.helpers.app import SIZE, make_app, open_lookup, parts, wait_for
from tests.helpers.screen import screen_text
from tests.helpers.storefactory import build_store
from tui.screens.main import MainScreen
from tui.screens.quote_lookup import QuoteLookup
from tui.widgets.reader import Paragraph

ENVOY = "US envoy says the alliance stands united"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = build_store(tmp_path / "briefing.sqlite3")
    yield store
    store.close()


@pytest.mark.slow
async def test_typing_a_speaker_finds_quotes_and_enter_opens_it_highlighted(
    any_store: StoreApi,
) -> None:
    app = make_app(any_store)
    async with app.run_test(size=SIZE) as pilot:
        _, articles, reader = parts(app)
        lookup = await open_lookup(app, pilot, "julianne")
        assert [r.quote.speaker for r in lookup.results] == ["Julianne Smith"] * 2
        await pilot.press("down")  # into the results, on the first
        assert lookup.result_list.has_focus and lookup.result_list.highlighted == 0
        await pilot.press("down")  # the second result: the one in the NATO article
        found = lookup.results[1]
        assert found.quote.text.startswith("We are ready to talk")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert reader.article.id == found.article_id
        assert reader.selected == (found.quote.start, found.quote.end)
        assert articles.current.id == found.article_id  # the list follows
        holder = reader.paragraph_at(found.quote.start)
        assert isinstance(holder, Paragraph)
        # scrolled so the quote's paragraph is inside the reader's visible region
        assert reader.scrollable_content_region.contains_region(holder.region)


@pytest.mark.slow
async def test_a_long_article_scrolls_to_a_quote_far_down(tmp_path: Path) -> None:
    from extract.models import Analysis, Quote
    from extract.store import NewArticle

    store = build_store(tmp_path / "s.sqlite3")
    text = "\n\n".join(f"Paragraph {n} of filler about nothing at all." for n in range(60))
    text += "\n\n“The end is near,” said Cassandra Troy."
    start = text.index("The end")
    quote = Quote(
        "direct",
        "The end is near,",
        ((start, start + 16),),
        "Cassandra Troy",
        "said Cassandra Troy",
        None,
        None,
        None,
        "said",
        "explicit",
        start - 1,
        len(text),
    )
    store.add_article(
        NewArticle(
            None,
            None,
            "Long read",
            None,
            "2022-02-01T00:00:00+00:00",
            "Wire World",
            text,
            "full_text",
        ),
        None,
        None,
        Analysis((), (quote,), "test"),
    )
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, _, reader = parts(app)
        await pilot.press("l", *"cassandra", "enter", "enter")  # to the results; open
        await pilot.pause()
        await pilot.pause()
        assert reader.article.title == "Long read"
        assert reader.scroll_y > 50
        holder = reader.paragraph_at(start)
        assert reader.scrollable_content_region.contains_region(holder.region)
    store.close()


@pytest.mark.slow
async def test_y_copies_the_citation(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l", *"nothing about europe")
        await pilot.pause()
        lookup = app.screen
        assert len(lookup.results) == 1
        await pilot.press("ctrl+y")  # from the input, where "y" is typed
        assert app.last_copied == (
            "“Nothing about Europe without Europe” — Julianne Smith, US envoy to NATO, "
            "Wire World, 2022-01-13, https://news.example/3"
        )
        shown = [n.message for n in app._notifications]  # the text itself, to select by hand
        assert any(m.startswith("“Nothing about Europe without Europe” — ") for m in shown)
        app.last_copied = None
        await pilot.press("tab")  # into the results, where "y" is the key
        assert lookup.query_one("#lookup-results").has_focus
        await pilot.press("y")
        assert app.last_copied is not None and app.last_copied.startswith("“Nothing about")
        assert lookup.query_one("#lookup-input").value == "nothing about europe"


@pytest.mark.slow
async def test_down_moves_to_the_results_where_y_and_a_are_keys(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l", *"smith")
        await pilot.pause()
        lookup = app.screen
        search = lookup.query_one("#lookup-input")
        assert "↓/enter/tab results · ctrl+y copy citation · ctrl+s all by speaker" in screen_text(
            app
        )
        await pilot.press("down")
        assert lookup.result_list.has_focus
        assert "enter open · y copy citation · a all by speaker" in screen_text(app)
        await pilot.press("y")
        assert app.last_copied == lookup.results[0].citation()
        assert app.last_copied.startswith("“Nothing about Europe without Europe”")
        await pilot.press("a")
        await pilot.pause()
        assert lookup.speaker == "Julianne Smith"
        assert [r.quote.speaker for r in lookup.results] == ["Julianne Smith"] * 2
        assert search.value == "smith"  # neither key was typed into the search
        await pilot.press("escape", "up")  # back to the search; up on the first result
        assert search.has_focus
        await pilot.press("enter")  # enter in the search box goes to the results too
        assert lookup.result_list.has_focus
        await pilot.press("shift+tab", *"x")
        assert search.value == "smithx"


@pytest.mark.slow
async def test_speaker_key_lists_everything_they_said_newest_first(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l", *"core principles")
        await pilot.pause()
        lookup = app.screen
        assert [r.quote.speaker for r in lookup.results] == ["Julianne Smith"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert lookup.speaker == "Julianne Smith"
        titles = [r.title for r in lookup.results]
        assert titles == [ENVOY, "NATO and Russia hold talks in Brussels"]
        dates = [r.published for r in lookup.results]
        assert dates == sorted(dates, reverse=True)
        await pilot.press("escape")  # back to the search, not out of the lookup
        assert isinstance(app.screen, QuoteLookup)
        assert len(lookup.results) == 1
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


@pytest.mark.slow
async def test_empty_lookup_shows_latest_quotes_and_unmatched_text_shows_none(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        lookup = app.screen
        assert len(lookup.results) == 5  # every stored quote, newest first
        assert lookup.results[0].title == ENVOY
        await pilot.press(*"zzzqqq")
        await pilot.pause()
        assert lookup.results == []
        await pilot.press("enter")  # nothing to open: stays put, no crash
        assert isinstance(app.screen, QuoteLookup)


@pytest.mark.slow
async def test_quote_search_in_the_command_palette_opens_the_quote(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, _, reader = parts(app)
        await pilot.press("ctrl+p", *"significant differences")
        # the palette searches in the background
        await wait_for(pilot, lambda: "There are significant" in _palette_text(app))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert reader.article is not None
        assert reader.article.title == "NATO and Russia hold talks in Brussels"
        quote = store.quotes(reader.article.id)[0]
        assert reader.selected == (quote.start, quote.end)


@pytest.mark.slow
async def test_feed_filter_from_the_command_palette(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, articles, _ = parts(app)
        await pilot.press("ctrl+p", *"Feed: Daily")
        await wait_for(pilot, lambda: "Feed: Daily Ledger" in _palette_text(app))
        await pilot.press("enter")
        await pilot.pause()
        assert articles.source.label == "Feed Daily Ledger"
        assert {articles.row_at(i).source for i in range(articles.count)} == {"Daily Ledger"}
        assert articles.count == 2


def _palette_text(app) -> str:  # noqa: ANN001
    from tests.helpers.screen import screen_text

    return screen_text(app)


@pytest.mark.slow
async def test_a_lone_first_letter_waits_for_a_second_key_and_is_never_dropped(
    store: Store,
) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        lookup = await open_lookup(app, pilot)
        latest = [r.id for r in lookup.results]
        lookup.as_you_type.hold = 600  # no timer fires within this test's keys
        await pilot.press("j")
        await pilot.pause()
        assert lookup.as_you_type.held == "j" and [r.id for r in lookup.results] == latest
        await pilot.press("u")  # the second key searches at once, the held letter is gone
        await pilot.pause()
        assert lookup.as_you_type.held is None
        assert {r.quote.speaker for r in lookup.results} == {"Julianne Smith"}
        lookup.as_you_type.hold = 0.05
        await pilot.press("backspace")  # "j" alone again, and no key follows: it runs
        await wait_for(pilot, lambda: lookup.as_you_type.held is None)
        expected = [r.id for r in store.search_quotes("j", 50)]
        assert [r.id for r in lookup.results] == expected and expected != latest
        lookup.as_you_type.hold = 600
        await pilot.press("backspace", "u")  # "u" held; down goes to its results
        await pilot.press("down")
        await pilot.pause()
        assert [r.id for r in lookup.results] == [r.id for r in store.search_quotes("u", 50)]
        assert lookup.result_list.has_focus
