"""People in the app: the speaker profile, and lookup, `a` and the entity pivot by person."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from extract.store import Store, StoreApi, open_pg, open_store
from tests.helpers.app import SIZE, make_app, open_lookup, parts, wait_for
from tests.helpers.people import add
from tests.helpers.screen import screen_text
from tui.screens.main import MainScreen
from tui.screens.profile import ProfileScreen
from tui.screens.quote_lookup import QuoteLookup

EVIL = "Mallory [Bold] Quinn\x1b[31m"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "briefing.sqlite3")
    yield from _filled(store)


@pytest.fixture(params=["sqlite", "postgres"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreApi]:
    """The same people in a SQLite file and on a real PostgreSQL server (its own registry)."""
    if request.param == "sqlite":
        yield from _filled(open_store(tmp_path / "briefing.sqlite3"))
    else:
        yield from _filled(open_pg(request.getfixturevalue("pg_url"), "ann"))


def _filled(store: StoreApi) -> Iterator[StoreApi]:
    add(
        store,
        "2016-09-01",
        ["Donald Trump"],
        people=("Hillary Clinton",),
        said={"Donald Trump": "we will build the wall"},
        roles={"Donald Trump": "nominee"},
        source="Wire",
    )
    add(
        store,
        "2016-09-02",
        ["Donald J. Trump"],
        said={"Donald J. Trump": "trade is unfair"},
        source="Ledger",
    )
    add(store, "2016-09-03", ["Mr. Trump"], said={"Mr. Trump": "the wall again"})
    add(store, "2016-09-04", [EVIL], said={EVIL: "markup [link=x]here[/link]"})
    add(store, "2022-03-01", ["Volodymyr Zelenskiy"], said={"Volodymyr Zelenskiy": "gas"})
    add(store, "2022-03-02", ["Volodymyr Zelensky"], said={"Volodymyr Zelensky": "we stand"})
    add(store, "2022-03-03", ["Olena Kyiv"], said={"Olena Kyiv": "Zelensky spoke"})
    yield store
    store.close()


async def _lookup_first(app, pilot, typed: str) -> QuoteLookup:  # noqa: ANN001
    lookup = await open_lookup(app, pilot, typed)
    await pilot.press("down")
    return lookup


@pytest.mark.slow
async def test_a_from_lookup_lists_the_person_under_every_name(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        lookup = await _lookup_first(app, pilot, "unfair")
        await pilot.press("a")
        await pilot.pause()
        assert [r.quote.speaker for r in lookup.results] == [
            "Mr. Trump",
            "Donald J. Trump",
            "Donald Trump",
        ]
        assert "as 3 names" in screen_text(app)


@pytest.mark.parametrize(
    "typed,speakers",
    [
        # every spelling of the person, newest first, then the words "Zelensky" in a quote
        ("Zelensky", ["Volodymyr Zelensky", "Volodymyr Zelenskiy", "Olena Kyiv"]),
        ("volodymyr zelenskiy", ["Volodymyr Zelensky", "Volodymyr Zelenskiy"]),
        ("Zelenskyy gas", ["Volodymyr Zelenskiy"]),  # the person, about "gas"
        # a surname: the person's quotes under every name ("Mr. Trump" holds no "Trump"
        # word the full-text search would find first)
        ("Trump", ["Mr. Trump", "Donald J. Trump", "Donald Trump"]),
    ],
)
@pytest.mark.slow
async def test_typing_a_name_finds_the_person_under_every_alias(
    store: Store, typed: str, speakers: list[str]
) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        lookup = await open_lookup(app, pilot, typed)
        assert [r.quote.speaker for r in lookup.results] == speakers
        assert "Quotes by " in screen_text(app)


@pytest.mark.slow
async def test_words_that_name_nobody_are_a_plain_search(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        await pilot.press(*"wall")
        await pilot.pause()
        lookup = app.screen
        texts = [r.quote.text for r in lookup.results]
        assert texts == ["the wall again", "we will build the wall"]
        assert "Best matches" in screen_text(app) and "Quotes by" not in screen_text(app)


@pytest.mark.slow
async def test_profile_shows_aliases_roles_outlets_and_filters_by_topic(
    any_store: StoreApi,
) -> None:
    app = make_app(any_store)
    async with app.run_test(size=SIZE) as pilot:
        await _lookup_first(app, pilot, "unfair")
        await pilot.press("w")
        await pilot.pause()
        profile = app.screen
        assert isinstance(profile, ProfileScreen)
        text = screen_text(app)
        for shown in (
            "Donald Trump",
            "Donald J. Trump",
            "Mr. Trump",
            "nominee",
            "Ledger",
            "Hillary Clinton",
            "3 quotes",
        ):
            assert shown in text, shown
        assert [r.quote.text for r in profile.results] == [
            "the wall again",
            "trade is unfair",
            "we will build the wall",
        ]
        await pilot.press(*"wall")
        await pilot.pause()
        assert [r.quote.text for r in profile.results] == [
            "the wall again",
            "we will build the wall",
        ]
        await pilot.press("down", "enter")  # opens the article at the quote
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        _, _, reader = parts(app)
        assert reader.article.id == profile.results[0].article_id


@pytest.mark.slow
async def test_a_name_with_markup_is_shown_as_written(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await _lookup_first(app, pilot, "markup")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ProfileScreen)
        text = screen_text(app)
        assert "Mallory [Bold] Quinn" in text and "[link=x]here[/link]" in text
        assert "\x1b" not in text


@pytest.mark.slow
async def test_profile_and_pivot_from_the_entities_panel(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main = app.main_screen
        await main.open_article(1)
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        panel = main.query_one("#entity-panel")
        panel.focus()
        await pilot.press("p")
        await pilot.pause()
        assert "Mentioning Hillary Clinton" in screen_text(app)
        panel.focus()
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ProfileScreen)
        assert "Hillary Clinton" in screen_text(app)


@pytest.mark.slow
async def test_palette_offers_the_person_by_any_name_and_opens_the_profile(
    any_store: StoreApi,
) -> None:
    app = make_app(any_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"zelensky")  # written "Zelenskiy" in one article
        await wait_for(pilot, lambda: "Person: Volodymyr Zelenskiy" in screen_text(app))
        text = screen_text(app)
        assert "also Volodymyr Zelensky" in text and "2 quotes in 2 articles" in text
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen))
        assert [r.quote.speaker for r in app.screen.results] == [
            "Volodymyr Zelensky",
            "Volodymyr Zelenskiy",
        ]


@pytest.mark.slow
async def test_palette_person_with_markup_in_the_name_stays_text(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"person: mallory")
        await wait_for(pilot, lambda: "Person: Mallory [Bold] Quinn" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen))
        assert "\x1b" not in screen_text(app)


@pytest.mark.slow
async def test_entities_panel_counts_one_person_once_and_pivots_by_person(
    any_store: StoreApi,
) -> None:
    store = any_store
    both = add(store, "2016-09-05", [], people=("Donald J. Trump", "Donald Trump", "Ed Henry"))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main = app.main_screen
        await main.open_article(both)
        await pilot.press("2")
        await pilot.pause()
        panel = main.query_one("#entity-panel")
        people = [(c.canonical, c.count, c.names) for c in panel.counts if c.label == "PERSON"]
        assert people == [
            ("Donald J. Trump", 2, ("Donald J. Trump", "Donald Trump")),
            ("Ed Henry", 1, ()),
        ]
        assert "also Donald Trump" in screen_text(app)
        panel.focus()
        panel.highlighted = 1  # the first entry, under its heading
        await pilot.press("enter")  # the reader selects a mention of either name
        await pilot.pause()
        assert parts(app)[2].selected == (0, 1)
        await pilot.press("p")
        await pilot.pause()
        articles = main.articles
        assert articles.source.label == "Mentioning Donald Trump"
        # every article where the person is named or quoted, under any name
        assert articles.count == 4
        panel.focus()
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen))
        assert "Donald Trump" in screen_text(app)


@pytest.mark.slow
async def test_a_on_a_description_lists_only_its_own_article(store: Store) -> None:
    first = add(store, "2016-10-01", ["the mayor"], said={"the mayor": "potholes first"})
    add(store, "2016-10-02", ["the mayor"], said={"the mayor": "another city's potholes"})
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        lookup = await _lookup_first(app, pilot, "potholes first")
        await pilot.press("a")
        await pilot.pause()
        # two mayors of two cities are not one person
        assert [(r.article_id, r.quote.text) for r in lookup.results] == [(first, "potholes first")]
        assert "is no person of the briefing" in screen_text(app)
