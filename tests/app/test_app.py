"""Pilot tests: the real app on a real SQLite store, driven by keys."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from extract.models import Analysis
from extract.store import NewArticle, Store, StoreApi
from tests.helpers import REPO
from tests.helpers.app import SIZE, make_app, parts, settle, wait_for
from tests.helpers.screen import screen_segments, screen_text
from tests.helpers.storefactory import HOSTILE_TITLE, build_store
from tui.app import BriefingApp
from tui.keymap import key_rows
from tui.screens.help import HelpScreen
from tui.screens.main import ALL_LABEL, MainScreen

NATO = "NATO and Russia hold talks in Brussels"


async def test_opens_with_every_article_newest_first(any_store: StoreApi) -> None:
    app = make_app(any_store)
    async with app.run_test(size=SIZE):
        _, articles, reader = parts(app)
        assert articles.count == 5
        assert [articles.row_at(i).title for i in range(3)] == [
            "Markets steady as talks continue",
            "US envoy says the alliance stands united",
            NATO,
        ]
        assert articles.has_focus
        assert reader.article is None
        assert f"{ALL_LABEL} · 5" in screen_text(app)


@pytest.mark.slow
async def test_j_k_g_G_move_and_enter_opens_the_article(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, articles, reader = parts(app)
        await pilot.press("j", "j")
        assert articles.cursor == 2
        await pilot.press("k")
        assert articles.cursor == 1
        await pilot.press("G")
        assert articles.cursor == 4
        await pilot.press("g")
        assert articles.cursor == 0
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert reader.article is not None and reader.article.title == NATO
        assert NATO in screen_text(app)
        # the reader shows the speaker of each quote after it
        assert "— Jens Stoltenberg" in screen_text(app)


@pytest.mark.slow
async def test_keys_before_the_reader_and_side_panels_are_mounted(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first frame is the list; the reader and side panels are mounted once it is up
    # (on ready). Keys that need them wait for them, however early they come.
    monkeypatch.setattr(BriefingApp, "on_ready", lambda self: None)  # never mounted by it
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main = app.main_screen
        assert not main.query("#reader") and not main.query("#side")
        await pilot.press("j", "j", "enter", "2")
        await settle(app, pilot)
        assert main.reader.article is not None and main.reader.article.title == NATO
        assert main.query_one("#side").active == "entities"
        assert main.query_one("#entity-panel").has_focus


async def test_quitting_at_once_while_the_panels_mount(store: Store) -> None:
    for _ in range(3):
        app = make_app(store)
        async with app.run_test(size=SIZE):
            pass  # shuts down while the reader and side panels are being mounted: no error


@pytest.mark.slow
async def test_opening_marks_read_and_m_s_toggles_persist(any_store: StoreApi) -> None:
    store = any_store
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, articles, _ = parts(app)
        first = articles.current.id
        assert store.article(first).read is False
        await pilot.press("enter")
        await settle(app, pilot)  # writes run off the UI thread
        assert store.article(first).read is True
        await pilot.press("m")
        await settle(app, pilot)
        assert store.article(first).read is False
        assert articles.current.read is False  # the list row was re-read from the store
        await pilot.press("s")
        await settle(app, pilot)
        assert store.article(first).starred is True
        assert articles.current.starred is True
        await pilot.press("s")
        await settle(app, pilot)
        assert store.article(first).starred is False


@pytest.mark.slow
async def test_quote_panel_selection_scrolls_and_highlights_the_reader(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, _, reader = parts(app)
        await pilot.press("j", "j", "enter", "1")
        await pilot.pause()
        panel = app.main_screen.query_one("#quote-panel")
        assert panel.has_focus
        await pilot.press("enter")  # the first quote: Stoltenberg's
        await pilot.pause()
        quote = store.quotes(reader.article.id)[0]
        assert reader.selected == (quote.start, quote.end)
        # direct quotes first; reported speech under its own heading; speakers marked
        prompts = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        heading = prompts.index("Reported speech")
        assert "[inferred from “she”]" in prompts[heading - 1]  # Julianne Smith's, direct
        assert prompts[heading + 1].startswith("Alexander Grushko")
        assert prompts[heading + 2].startswith("?  [unattributed]")


async def test_untrusted_markup_and_escapes_show_as_literal_text(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, articles, _reader = parts(app)
        articles.show_article(
            next(r.id for r in store.article_rows(0, 10) if r.title == HOSTILE_TITLE)
        )
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "[bold]x[/] [link=http://x]click[/link] red" in text
        assert "[bold]not bold[/bold] and" in text
        assert "[link=http://evil]not a link[/link]." in text
        assert "Colour should not apply; OSC link text; bidi evil;" in text
        assert "Odd Feed · 2022-01-11" in text  # the source had a clear-screen sequence
        for segment in screen_segments(app):
            if segment.control:
                continue  # cursor moves the compositor itself emits
            assert not any(c in segment.text for c in "\x1b\x00\x07\u202e\x9b"), segment
            assert segment.style is None or segment.style.link is None  # no OSC 8 links


@pytest.mark.slow
async def test_entity_pivot_filters_the_list_and_escape_restores_it(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main, articles, reader = parts(app)
        await pilot.press("j", "enter", "2")  # the envoy article; Entities tab
        await pilot.pause()
        panel = main.query_one("#entity-panel")
        assert panel.has_focus
        index = next(
            i
            for i in range(panel.option_count)
            if panel.get_option_at_index(i).id is not None
            and panel.counts[int(panel.get_option_at_index(i).id)].canonical == "Julianne Smith"
        )
        panel.highlighted = index
        await pilot.press("enter")  # select: the reader jumps to the first mention
        await pilot.pause()
        mention = next(
            e for e in store.entities(reader.article.id) if e.canonical == "Julianne Smith"
        )
        assert reader.selected == (mention.start, mention.end)
        await pilot.press("p")  # pivot: every article mentioning her
        await pilot.pause()
        assert articles.source.label == "Mentioning Julianne Smith"
        titles = {articles.row_at(i).title for i in range(articles.count)}
        assert titles == {NATO, "US envoy says the alliance stands united"}
        assert articles.has_focus
        assert "Mentioning Julianne Smith · 2" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert articles.source.label == ALL_LABEL and articles.count == 5
        assert articles.current.id == reader.article.id  # the cursor stayed on it


@pytest.mark.slow
async def test_slash_searches_articles_and_escape_restores(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, articles, reader = parts(app)
        await pilot.press("slash", *"grush")
        await pilot.pause()
        assert articles.source.label == "Search: grush"
        assert [articles.row_at(i).title for i in range(articles.count)] == [NATO]
        await pilot.press("enter")  # opens the first result, to read on
        await pilot.pause()
        assert reader.article.title == NATO and reader.has_focus
        await pilot.press("escape")  # back to the results
        assert articles.has_focus and articles.source.label == "Search: grush"
        await pilot.press("escape")
        await pilot.pause()
        assert articles.count == 5
        assert not app.main_screen.query_one("#search").display


@pytest.mark.slow
async def test_help_lists_every_binding_with_the_key_in_force(store: Store) -> None:
    app = make_app(store, keys={"refresh": "R"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = {
            row.id: row for row in key_rows(app.binding_contexts(), app.keymap, app.get_key_display)
        }
        for binding_id in (
            "quit",
            "help",
            "quote_lookup",
            "refresh",
            "toggle_read",
            "toggle_star",
            "open_in_browser",
            "search",
            "cursor_down",
            "entity_pivot",
            "copy_citation",
            "speaker_quotes",
            "tab_quotes",
        ):
            assert binding_id in rows
        assert rows["refresh"].keys == "R"
        assert rows["cursor_down"].keys == "j, ↓"
        table = app.screen.query_one("#help-table")
        every = key_rows(app.binding_contexts(), app.keymap, app.get_key_display)
        assert table.row_count == len(every)  # an id used in two places: two rows
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


@pytest.mark.slow
async def test_keys_remapped_in_config_take_effect(store: Store) -> None:
    app = make_app(store, keys={"quote_lookup": "ctrl+l", "toggle_star": "x"})
    async with app.run_test(size=SIZE) as pilot:
        from tui.screens.quote_lookup import QuoteLookup

        _, articles, _ = parts(app)
        await pilot.press("l")
        assert not isinstance(app.screen, QuoteLookup)
        await pilot.press("s")
        assert store.article(articles.current.id).starred is False
        await pilot.press("x")
        assert store.article(articles.current.id).starred is True
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, QuoteLookup)


@pytest.mark.slow
async def test_a_large_store_is_paged_not_mounted(tmp_path: Path) -> None:
    store = build_store(tmp_path / "big.sqlite3", extra=10_000)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, articles, _ = parts(app)
        assert articles.count == 10_005
        assert len(articles.children) == 0  # rows are drawn, never mounted
        await pilot.press("G")
        await pilot.pause()
        assert articles.cursor == 10_004
        assert articles.current.title == "Filler article 9999"
        assert "Filler article 9999" in screen_text(app)
        # only the pages drawn so far were read: the first and the last
        assert set(articles._pages.keys()) <= {0, 99, 100}
    store.close()


@pytest.mark.slow
def test_the_app_never_imports_spacy(tmp_path: Path) -> None:
    # In a fresh interpreter: other tests in this process may have imported spaCy.
    script = textwrap.dedent(f"""
        import asyncio, sys
        from pathlib import Path
        from tests.helpers.app import make_app
        from tests.helpers.storefactory import build_store
        async def main():
            app = make_app(build_store(Path({str(tmp_path / "s.sqlite3")!r})))
            async with app.run_test(size=(140, 40)) as pilot:
                await pilot.press("j", "j", "enter", "l", *"smith", "enter", "enter")
                await pilot.pause()
                assert app.main_screen.query_one("Reader").selected is not None
        asyncio.run(main())
        print("spacy" in sys.modules, "extract.nlp" in sys.modules)
    """)
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.slow
async def test_o_opens_the_link_in_a_thread_and_3_shows_info(store: Store, monkeypatch) -> None:  # noqa: ANN001
    import threading
    import webbrowser

    opened: list[tuple[str, bool]] = []
    monkeypatch.setattr(
        webbrowser,
        "open",
        lambda url: opened.append((url, threading.current_thread() is threading.main_thread())),
    )
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, articles, _ = parts(app)
        await pilot.press("j", "j", "o")
        await wait_for(pilot, lambda: bool(opened))
        assert opened == [(store.article(articles.current.id).url, False)]  # off the UI thread
        store.conn.execute(
            "UPDATE articles SET url = 'javascript:alert(1)' WHERE id = ?", (articles.current.id,)
        )
        await pilot.press("o")
        await pilot.pause(0.2)
        assert len(opened) == 1  # refused
        assert any("Only http(s) and file links" in n.message for n in app._notifications)
        await pilot.press("enter", "3")
        await pilot.pause()
        text = screen_text(app)
        assert "storefactory; briefing test" in text  # analysed_with
        assert "Wire World" in text


@pytest.mark.slow
async def test_summary_only_articles_are_badged_and_explained(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, articles, reader = parts(app)
        assert articles.current.text_status == "feed_summary"
        assert "summary" in screen_text(app).splitlines()[1]  # the first row's badge
        await pilot.press("enter")
        await pilot.pause()
        header = str(reader.query_one("#reader-header").render())
        assert "Only the feed summary was available: the page needs JavaScript" in header


@pytest.mark.slow
async def test_tab_moves_between_panes_and_q_quits(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main, articles, reader = parts(app)
        await pilot.press("enter")
        assert reader.has_focus  # enter opens the article to read it
        await pilot.press("tab", "tab")  # the side tabs' tab bar, then the Quotes panel
        assert main.focused.id == "quote-panel"
        await pilot.press("tab")
        assert articles.has_focus
        await pilot.press("shift+tab")
        assert main.focused.id == "quote-panel"
        await pilot.press("q")  # one level back: the list
        assert articles.has_focus and app.is_running
        await pilot.press("q")  # at the top, q quits
        await pilot.pause()
        assert not app.is_running


async def test_start_up_shows_the_panes_once_the_keys_pause(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The reader and side panels are mounted hidden once no key has come for
    # PANES_QUIET_SECONDS since the first frame, and shown after a second such pause: here
    # never, so they are not even mounted until a key needs them (enter opens an article).
    import tui.app

    monkeypatch.setattr(tui.app, "PANES_QUIET_SECONDS", 3600.0)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main = app.main_screen
        await pilot.press("j")
        await pilot.pause()
        assert not main.query("#quote-panel") and not main.panes_shown
        assert "Quotes" not in screen_text(app)  # the side panel's tab is not drawn
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.article is not None)
        assert main.panes_shown
        assert main.reader.has_focus
    app = make_app(store)  # tab, before the panes are mounted, reaches them
    async with app.run_test(size=SIZE) as pilot:
        main = app.main_screen
        await pilot.pause()
        assert not main.query("#quote-panel")
        await pilot.press("tab")
        await pilot.pause()
        assert main.panes_shown and not main.articles.has_focus
    monkeypatch.setattr(tui.app, "PANES_QUIET_SECONDS", 0.05)
    app = make_app(store)  # keys that pause: mounted hidden, then shown without one
    app.collector.touch()  # a key as the app starts: the show waits for a second pause
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.main_screen.panes_shown)
        assert "Quotes" in screen_text(app)


async def test_unknown_or_clashing_key_ids_are_reported_once_at_start(store: Store) -> None:
    app = make_app(store, keys={"no_such_action": "x", "toggle_star": "m"})
    async with app.run_test(size=SIZE):
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert any("no_such_action" in w for w in warnings)
        assert any("toggle_star" in w and "toggle_read" in w and "'m'" in w for w in warnings)
    app = make_app(store, keys={"quote_lookup": "ctrl+l"})
    async with app.run_test(size=SIZE):
        assert not [n for n in app._notifications if n.severity == "warning"]


async def test_reader_says_why_an_article_was_not_analysed_once(store: Store) -> None:
    article_id = store.add_article(
        NewArticle(
            url=None,
            canonical_url=None,
            title="Pourparlers",
            author=None,
            published="2030-01-01T00:00:00+00:00",
            source="Le Journal",
            text="Les pourparlers continuent.",
            text_status="full_text",
        ),
        None,
        None,
        Analysis(skipped="not analysed: language 'fr' is not in [nlp] languages ['en']"),
    )
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await app.main_screen.open_article(article_id)
        await pilot.pause()
        text = screen_text(app)
        assert "Not analysed: language 'fr'" in text
        assert "not analysed: not analysed" not in text.lower()
