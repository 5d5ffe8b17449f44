"""The reading flow a newsboat user expects, driven through the app's pilot on real stores:
enter reads, J/K and n/N step, space/b page, q goes back a level, every key counts."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest

from extract.models import Analysis, Quote
from extract.store import NewArticle, Store
from tests.helpers.app import SIZE, make_app, parts, settle, wait_for
from tests.helpers.screen import screen_text
from tests.helpers.storefactory import build_store
from tui.widgets.reader import MAX_PARAGRAPHS, Paragraph

NATO = "NATO and Russia hold talks in Brussels"
ENVOY = "US envoy says the alliance stands united"
MARKETS = "Markets steady as talks continue"


def long_store(tmp_path: Path, paragraphs: int) -> Store:
    """The fixed briefing plus, newest, one article of ``paragraphs`` numbered paragraphs."""
    store = build_store(tmp_path / "s.sqlite3")
    text = "\n\n".join(f"Paragraph {n} of the long read." for n in range(paragraphs))
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
        Analysis((), (), "test"),
    )
    return store


@pytest.mark.slow
async def test_enter_reads_the_article_and_j_scrolls_it_not_the_list(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, articles, reader = parts(app)
        await pilot.press("j", "j", "enter")
        await settle(app, pilot)
        assert reader.article.title == NATO and reader.has_focus
        await pilot.press("j", "j")
        assert articles.cursor == 2 and reader.article.title == NATO
        await pilot.press("J")  # the next article of the list, from the reader
        await settle(app, pilot)
        assert reader.article.title != NATO and articles.cursor == 3 and reader.has_focus
        await pilot.press("K", "K")
        await settle(app, pilot)
        assert reader.article.title == ENVOY and articles.cursor == 1


@pytest.mark.slow
async def test_n_opens_the_next_unread_and_A_marks_all_read(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        _, articles, reader = parts(app)
        await pilot.press("enter")  # the newest: read now
        await settle(app, pilot)
        store.set_read(articles.row_at(1).id, True)  # the next one was read elsewhere
        articles.reload()
        await pilot.press("n")
        await settle(app, pilot)
        assert reader.article.title == NATO  # skipped the read one
        await pilot.press("N")  # the two before are read now
        await settle(app, pilot)
        assert reader.article.title == NATO
        assert "No more unread articles in this list." in screen_text(app)
        await pilot.press("q", "A")  # from the list: every article of the list
        await settle(app, pilot)
        assert all(store.article(articles.row_at(i).id).read for i in range(articles.count))
        assert "Marked 2 article(s) read." in screen_text(app)


@pytest.mark.slow
async def test_q_goes_back_one_level_and_quits_only_at_the_top(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main, articles, reader = parts(app)
        await pilot.press("slash", *"grush", "enter")
        await settle(app, pilot)
        assert reader.has_focus
        await pilot.press("z")  # zoomed reader
        assert main.maximized is reader
        await pilot.press("q")
        assert main.maximized is None and reader.has_focus
        await pilot.press("q")
        assert articles.has_focus and articles.source.label == "Search: grush"
        await pilot.press("q")
        assert articles.source.label == "All articles" and app.is_running
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.slow
async def test_Q_quits_at_once(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "2", "Q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.slow
async def test_every_key_in_a_burst_counts_in_the_reader(tmp_path: Path) -> None:
    store = long_store(tmp_path, 120)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, _, reader = parts(app)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press(*["j"] * 20)  # one burst
        assert reader.scroll_y == 20
        page = reader.scrollable_content_region.height - 1
        await pilot.press("pagedown", "pagedown", "pagedown")
        assert reader.scroll_y == 20 + 3 * page
        await pilot.press("b", "k")
        assert reader.scroll_y == 20 + 2 * page - 1
        await pilot.press("space")
        assert reader.scroll_y == 20 + 3 * page - 1


@pytest.mark.slow
async def test_the_end_of_a_401_paragraph_article_is_reachable(tmp_path: Path) -> None:
    store = long_store(tmp_path, MAX_PARAGRAPHS + 1)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, _, reader = parts(app)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("G")
        await settle(app, pilot)
        last = f"Paragraph {MAX_PARAGRAPHS} of the long read."
        await wait_for(pilot, lambda: last in screen_text(app))
        await pilot.press("g")
        await settle(app, pilot)
        assert "Paragraph 0 of the long read." in screen_text(app)
        for _ in range(60):  # paging on past the window's end reaches the last paragraph
            await pilot.press("space")
            if any(p.index == MAX_PARAGRAPHS for p in reader.query(Paragraph)):
                break
        await pilot.press("G")
        await wait_for(pilot, lambda: last in screen_text(app))


@pytest.mark.slow
async def test_an_opened_article_stays_in_the_unread_view(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main, articles, reader = parts(app)
        from extract.store import ArticleFilter

        main.filter_articles(ArticleFilter(unread=True), "Unread")
        await pilot.press("j", "enter")
        await settle(app, pilot)
        opened = reader.article.id
        assert store.article(opened).read
        assert articles.current.id == opened and articles.count == 5  # still listed
        await pilot.press("s")  # acts on the article being read
        await settle(app, pilot)
        assert store.article(opened).starred
        await pilot.press("q", "j")  # back to the list: j moves one row, none skipped
        assert articles.cursor == 2


@pytest.mark.slow
async def test_panels_move_with_j_k_and_y_copies_the_quote_citation(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main, _, _ = parts(app)
        app.clipboard_tool = None
        await pilot.press("j", "j", "enter", "1")
        await settle(app, pilot)
        panel = main.query_one("#quote-panel")
        first = panel.highlighted
        await pilot.press("j")
        assert panel.highlighted != first
        await pilot.press("k", "y")
        assert app.last_copied == (
            "“There are significant differences between NATO allies and Russia” — Jens "
            "Stoltenberg, NATO Secretary-General, Wire World, 2022-01-12, https://news.example/2"
        )
        await pilot.press("j", "y")  # a pronoun speaker is flagged
        await pilot.pause()
        assert "Julianne Smith (speaker inferred), US envoy to NATO" in app.last_copied
        await pilot.press("2")
        entities = main.query_one("#entity-panel")
        start = entities.highlighted
        await pilot.press("j", "j", "j", "k")
        assert entities.highlighted == start + 2


async def test_copied_text_reaches_a_system_clipboard_tool(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "clipboard.txt"
    app = make_app(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        app.clipboard_tool = ("sh", "-c", f"cat > '{out}'")
        app.copy_text("“Quote\x1b[31m” — Someone", "Citation")
        await settle(app, pilot)
        assert out.read_text(encoding="utf-8") == "“Quote” — Someone"  # sanitised
        assert "“Quote” — Someone" in screen_text(app)  # shown, to select by hand


async def test_o_without_a_browser_says_so_and_copies_the_link(store: Store, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(webbrowser, "open", lambda url: False)  # what it says with no browser
    app = make_app(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        _, articles, _ = parts(app)
        app.clipboard_tool = None
        await pilot.press("j", "j", "o")
        await wait_for(pilot, lambda: app.last_copied is not None)
        assert app.last_copied == store.article(articles.current.id).url
        assert "No browser found" in screen_text(app)


@pytest.mark.slow
async def test_not_analysed_article_says_why_in_the_quotes_tab(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G", "enter", "1")  # the oldest: French, not analysed
        await settle(app, pilot)
        panel = app.main_screen.query_one("#quote-panel")
        shown = str(panel.get_option_at_index(0).prompt)
        assert shown == "Not analysed for quotes: language fr is not analysed"


@pytest.mark.slow
async def test_search_or_marks_hits_and_down_enter_opens(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, articles, reader = parts(app)
        await pilot.press("slash", *"Kyiv OR Grushko")
        await pilot.pause()
        assert articles.count == 2
        await pilot.press(*["backspace"] * 15, *"zanzibar")
        await pilot.pause()
        assert "No article matches this search." in screen_text(app)
        assert "Press r to refresh" not in screen_text(app)
        await pilot.press(*["backspace"] * 8, *"grushko")
        await pilot.press("down", "enter")  # down to the results, enter opens
        await settle(app, pilot)
        assert reader.article.title == NATO
        assert [reader.article.text[a:b] for a, b in reader.hits] == ["Grushko", "Grushko"]


@pytest.mark.slow
async def test_find_in_the_article_jumps_between_matches(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main, _, reader = parts(app)
        await pilot.press("j", "j", "enter", "f", *"brussels")
        await settle(app, pilot)
        text = reader.article.text
        assert len(reader.hits) == 2
        assert reader.selected == reader.hits[0]
        await pilot.press("enter")
        await settle(app, pilot)
        assert reader.selected == reader.hits[1]
        assert text[slice(*reader.selected)] == "Brussels"
        await pilot.press("escape")
        assert not main.query_one("#find").display and reader.has_focus and not reader.hits


@pytest.mark.slow
async def test_pivot_closes_the_search(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main, articles, _ = parts(app)
        await pilot.press("slash", *"smith", "enter", "2")
        await settle(app, pilot)
        await pilot.press("j", "j", "j", "j", "p")  # an entity, then its articles
        await settle(app, pilot)
        assert articles.source.label.startswith("Mentioning ")
        assert not main.query_one("#search").display


@pytest.mark.slow
async def test_sort_date_filter_hide_read_and_star_beside_unread(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, articles, _ = parts(app)
        await pilot.press("s")
        await settle(app, pilot)
        assert "●★" in screen_text(app).replace(" ", "")[:400]  # both marks, side by side
        await pilot.press("S")
        assert [articles.row_at(i).source for i in range(2)] == ["Daily Ledger"] * 2
        assert "by outlet" in screen_text(app)
        await pilot.press("S", "enter", "q", "u")
        await settle(app, pilot)
        assert articles.count == 5  # the open one is kept
        assert "· unread" in screen_text(app)
        await pilot.press("D")  # today: nothing in this briefing of 2022
        assert articles.count == 0 and "No article in this view" in screen_text(app)
        await pilot.press("D", "D", "D", "u")
        assert articles.count == 5


@pytest.mark.slow
async def test_layout_responds_to_the_terminal_width(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        main, articles, reader = parts(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert reader.size.width >= 40  # the side panel went below the reader
        side = main.query_one("#side")
        assert side.region.y > reader.region.y
        await pilot.press("z")
        await pilot.pause()
        assert reader.size.width >= 76
    app = make_app(store)
    async with app.run_test(size=(220, 60)) as pilot:
        _, articles, _ = parts(app)
        await pilot.pause()
        assert articles.size.width >= 80
        assert "Daily Ledger" in screen_text(app)  # the outlet column, at full length


async def test_a_key_that_steals_a_list_key_is_reported_at_start(store: Store) -> None:
    app = make_app(store, keys={"refresh": "j"})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("refresh = 'j'" in m and "article list" in m for m in messages)


def test_two_reported_quotes_in_one_sentence_keep_their_own_speakers() -> None:
    from tui.widgets.reader import article_marks

    text = "Trump said talks would go on and Sondland said the direction was set."
    a, b = text.index("talks"), text.index("the direction")

    def reported(start: int, end: int, who: str) -> Quote:
        return Quote(
            "indirect",
            text[start:end],
            ((start, end),),
            who,
            who,
            None,
            None,
            None,
            "said",
            "explicit",
            0,
            len(text),
        )

    marks_ = article_marks(
        [], [reported(a, a + 19, "Donald Trump"), reported(b, len(text) - 1, "Gordon Sondland")]
    )
    notes = {m.after.plain: m.anchor for m in marks_ if m.after is not None}
    assert notes[" — Donald Trump"] == a + 19  # after its own words, not the sentence
    assert notes[" — Gordon Sondland"] == len(text) - 1


def test_a_long_entity_role_wraps_under_its_indent() -> None:
    from rich.console import Console

    from extract.store.records import EntityCount
    from tui.widgets.entity_panel import entity_prompt

    console = Console(width=30, record=True, color_system=None)
    console.print(
        entity_prompt(
            EntityCount(
                "PERSON",
                "Julianne Smith",
                "the United States ambassador to the North Atlantic Treaty",
                3,
            )
        )
    )
    lines = console.export_text().splitlines()
    assert lines[0].startswith("Julianne Smith  ×3")
    assert len(lines) >= 3 and all(line.startswith("  ") for line in lines[1:])
