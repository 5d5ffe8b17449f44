"""The benchmark store generator writes a valid, consistent store (small N, fast).

Also: the article list stays virtualised on a generated store (the pilot drives
the real app; mounted widgets do not grow with the number of articles).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from extract.config import parse_config
from extract.store import open_store
from extract.store.migrations import SCHEMA_VERSION
from tests.bench.gen_store import generate, main

ARTICLES, QUOTES = 300, 3000


@pytest.fixture(scope="session")  # once per worker, however its tests are spread
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gen") / "gen.sqlite3"
    info = generate(path, ARTICLES, QUOTES)
    assert info["articles"] == ARTICLES and info["quotes"] == QUOTES
    return path


@pytest.mark.slow
def test_counts_and_integrity(generated: Path) -> None:
    conn = sqlite3.connect(generated)
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert one("PRAGMA user_version") == SCHEMA_VERSION
    assert one("PRAGMA journal_mode") == "wal"
    assert one("SELECT count(*) FROM articles") == ARTICLES
    assert one("SELECT count(*) FROM quotes") == QUOTES
    assert one("SELECT sum(quote_count) FROM articles") == QUOTES
    assert (
        one(
            "SELECT count(*) FROM articles a WHERE quote_count != "
            "(SELECT count(*) FROM quotes q WHERE q.article_id = a.id)"
        )
        == 0
    )
    assert one("SELECT count(*) FROM entities") > ARTICLES * 5
    assert one("SELECT count(*) FROM feeds WHERE tags != ''") >= 10
    assert (
        one("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM article_feeds)")
        == 0
    )
    assert one("SELECT count(DISTINCT speaker) FROM quotes") >= 100
    first, last = conn.execute("SELECT min(published), max(published) FROM articles").fetchone()
    assert first[:7] <= "2024-05" and last[:7] >= "2024-11"  # spread over months
    kinds = {tuple(r) for r in conn.execute("SELECT DISTINCT kind, resolution FROM quotes")}
    assert {
        ("direct", "explicit"),
        ("direct", "pronoun"),
        ("direct", "inherited"),
        ("indirect", "explicit"),
        ("indirect", "none"),
    } <= kinds
    statuses = {r[0] for r in conn.execute("SELECT DISTINCT text_status FROM articles")}
    assert statuses == {"full_text", "feed_summary", "failed"}


@pytest.mark.slow
def test_fts_indexes_match_their_tables(generated: Path) -> None:
    conn = sqlite3.connect(generated)
    for table in ("articles_fts", "quotes_fts"):  # raises if index and content differ
        conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
    n = conn.execute("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'said'").fetchone()
    assert (
        n[0]
        == conn.execute(
            "SELECT count(*) FROM quotes WHERE ' ' || lower(text) || ' ' GLOB '*[^a-z]said[^a-z]*'"
        ).fetchone()[0]
    )


@pytest.mark.slow
def test_offsets_point_at_the_text(generated: Path) -> None:
    with open_store(generated, readonly=True) as store:
        for article_id in store.all_article_ids():
            text = store.article(article_id).text
            for entity in store.entities(article_id):
                assert text[entity.start : entity.end] == entity.text
            for quote in store.quotes(article_id):
                assert " ".join(text[s:e] for s, e in quote.spans) == quote.text
                assert quote.sentence_start <= quote.start < quote.end <= quote.sentence_end
                if quote.speaker_start is not None:
                    assert text[quote.speaker_start : quote.speaker_end] == quote.speaker_mention
                if quote.resolution == "explicit" and quote.speaker:
                    assert quote.speaker.split()[-1] in quote.speaker_mention


def test_the_store_answers_searches(generated: Path) -> None:
    with open_store(generated, readonly=True) as store:
        speaker = store.conn.execute(
            "SELECT speaker FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker "
            "ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        found = store.search_quotes(speaker)
        assert found and found[0].quote.speaker == speaker
        assert store.search_articles("gas") or store.search_articles("nato")
        assert len(store.quotes_by(speaker=speaker)) >= 5
        assert json.loads(store.conn.execute("SELECT spans FROM quotes LIMIT 1").fetchone()[0])


def test_same_seed_same_store(tmp_path: Path) -> None:
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    generate(a, 40, 200, seed=7)
    generate(b, 40, 200, seed=7)
    rows = "SELECT title, text, published FROM articles ORDER BY id"
    assert (
        sqlite3.connect(a).execute(rows).fetchall() == sqlite3.connect(b).execute(rows).fetchall()
    )


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cli.sqlite3"
    assert main([str(path), "--articles", "30", "--quotes", "120"]) == 0
    assert "30 articles, 120 quotes" in capsys.readouterr().out
    assert main([str(path), "--articles", "10", "--quotes", "10"]) == 0  # overwrites
    with open_store(path, readonly=True) as store:
        assert store.article_count() == 10


def _screen_widgets(app) -> dict[str, int]:  # noqa: ANN001
    counts: dict[str, int] = {}
    for widget in app.screen.walk_children(with_self=False):
        name = type(widget).__name__
        if name != "FooterKey":  # the footer draws its keys once bindings settle
            counts[name] = counts.get(name, 0) + 1
    return counts


@pytest.mark.slow
async def test_article_list_is_virtualised(tmp_path: Path) -> None:
    """Mounted widgets are the same for 200 and 2,000 articles, before and after G."""
    from tui.app import BriefingApp
    from tui.widgets.article_list import ArticleList

    config = parse_config(
        {"feeds": [{"name": "Wire", "url": "https://wire.example/rss"}]}, Path("test-config.toml")
    )
    seen = []
    for articles in (200, 2000):
        path = tmp_path / f"{articles}.sqlite3"
        generate(path, articles, articles)
        with open_store(path) as store:
            app = BriefingApp(store, config)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                article_list = app.screen.query_one(ArticleList)
                assert article_list.count == articles
                before = _screen_widgets(app)
                await pilot.press("G")
                await pilot.pause()
                assert article_list.cursor == articles - 1
                assert len(article_list.children) == 0
                assert _screen_widgets(app) == before
                seen.append(before)
    assert seen[0] == seen[1]


@pytest.mark.slow
def test_people_written_from_the_cast_are_those_the_linker_finds(tmp_path: Path) -> None:
    """The fast registry (the generator's own cast) against the real linker on the same
    store: the same quotes and entities linked, people and aliases within 15%."""
    direct, real = tmp_path / "direct.sqlite3", tmp_path / "real.sqlite3"
    generate(direct, 200, 2000, seed=3)
    generate(real, 200, 2000, seed=3, link="real")
    figures = (
        "SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM person_aliases), "
        "(SELECT count(*) FROM quotes WHERE person_id IS NOT NULL), "
        "(SELECT count(*) FROM entities WHERE person_id IS NOT NULL)"
    )
    ours = sqlite3.connect(direct).execute(figures).fetchone()
    theirs = sqlite3.connect(real).execute(figures).fetchone()
    assert ours[2:] == theirs[2:] and ours[2] > 1000
    for mine, linked in zip(ours[:2], theirs[:2]):
        assert abs(mine - linked) <= 0.15 * linked, (ours, theirs)
    with open_store(direct, readonly=True) as store:  # a person under their written forms
        person = store.people(limit=1)[0]
        assert person.quotes > 0 and store.quotes_by(person_id=person.id)
