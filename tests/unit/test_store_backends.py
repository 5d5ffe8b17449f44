"""The store's core reads and writes, the same on both backends: a real SQLite file and a
real PostgreSQL 15 server (a throwaway cluster on a loopback port; see tests/helpers)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from extract.models import Analysis, Quote
from extract.store import DuplicateArticle, NewArticle, StoreApi, open_pg, open_store
from extract.store.records import ArticleFilter
from tests.helpers.storefactory import drafts, fill

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreApi]:
    if request.param == "sqlite":
        opened: StoreApi = open_store(tmp_path / "briefing.sqlite3")
    else:
        opened = open_pg(request.getfixturevalue("pg_url"), "ann")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def filled(store: StoreApi) -> tuple[StoreApi, list[int]]:
    return store, fill(store)


def _new(url: str, title: str = "A title", text: str = "Some text.") -> NewArticle:
    return NewArticle(
        url=url,
        canonical_url=url,
        title=title,
        author=None,
        published="2024-05-01T10:00:00+00:00",
        source="Test",
        text=text,
        text_status="full_text",
        content_hash=f"hash-{url}",
    )


def test_articles_entities_and_quotes_read_back(filled: tuple[StoreApi, list[int]]) -> None:
    store, ids = filled
    nato = ids[2]
    article = store.article(nato)
    assert article is not None
    assert article.title == "NATO and Russia hold talks in Brussels"
    assert article.feeds == ("Wire World",)
    assert not article.read and not article.starred
    assert [q.speaker for q in store.quotes(nato)] == [q.speaker for q in drafts()[2].quotes]
    assert store.quotes(nato)[0].spans == drafts()[2].quotes[0].spans
    counts = {(c.label, c.canonical): c.count for c in store.entity_counts(nato)}
    assert counts[("ORG", "NATO")] == 3
    assert len(store.entities(nato)) == len(drafts()[2].entities)
    rows = store.article_rows(0, 10)
    assert [r.id for r in rows] == [ids[4], ids[3], ids[2], ids[1], ids[0]]  # newest first
    assert store.article_count() == 5
    assert store.article_count(ArticleFilter(feed="Daily Ledger")) == 2
    assert store.article_count(ArticleFilter(tag="europe")) == 2
    assert store.article_ids(ArticleFilter(entity="Julianne Smith")) == [ids[3], ids[2]]


def test_hostile_text_is_kept_apart_from_nul(filled: tuple[StoreApi, list[int]]) -> None:
    store, ids = filled
    article = store.article(ids[1])
    assert article is not None
    assert "[bold]not bold[/bold]" in article.text  # kept as text, never markup
    assert "\x1b[31m" in article.text  # escapes are the reader's to neutralise


def test_find_and_link_by_each_key(store: StoreApi) -> None:
    feed = store.upsert_feed("F", "http://127.0.0.1/f.xml")
    assert store.upsert_feed("F", "http://127.0.0.1/g.xml") == feed  # same name: same feed
    article = store.add_article(_new("https://a.example/1"), feed, "g1")
    assert store.find_article(feed_id=feed, guid="g1") == article
    assert store.find_article(canonical_url="https://a.example/1") == article
    assert store.find_article(content_hash="hash-https://a.example/1") == article
    assert store.find_article(canonical_url="https://a.example/none") is None
    other = store.upsert_feed("G", "http://127.0.0.1/h.xml")
    store.link_feed(article, other, "g2")
    store.link_feed(article, other, "g2")  # twice: still one link
    found = store.article(article)
    assert found is not None and found.feeds == ("F", "G")
    assert {f.name: f.article_count for f in store.feeds()} == {"F": 1, "G": 1}


def test_a_second_copy_of_a_url_is_refused(store: StoreApi) -> None:
    store.add_article(_new("https://a.example/1"), None, None)
    with pytest.raises((sqlite3.IntegrityError, DuplicateArticle)):
        store.add_article(_new("https://a.example/1", title="again"), None, None)
    assert store.article_count() == 1


def test_feed_checks_keep_validators_only_on_success(store: StoreApi) -> None:
    feed = store.upsert_feed("F", "http://127.0.0.1/f.xml")
    store.record_feed_check(feed, "ok", etag='"v1"', last_modified="Mon", title="Feed F")
    store.record_feed_check(feed, "failed", "HTTP 500")
    assert store.feed_validators(feed) == ('"v1"', "Mon")
    row = store.feeds()[0]
    assert (row.last_status, row.last_error, row.title) == ("failed", "HTTP 500", "Feed F")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stolt", [2]),  # a prefix, as typed
        ("brussels talks", [2]),  # every word
        ("talks", [2, 4]),
        ("kyiv OR moscow", [3, 2]),
        ("brussels -diplomats", [3]),
        ('"heads of its allies"', [3]),
        ("bruxelles", [0]),
        ("NOT nato", []),
        ("", []),
    ],
)
def test_search_articles_same_on_both(
    filled: tuple[StoreApi, list[int]], query: str, expected: list[int]
) -> None:
    store, ids = filled
    found = [r.id for r in store.search_articles(query)]
    assert sorted(found) == sorted(ids[i] for i in expected)


def test_a_title_match_ranks_above_a_text_match(store: StoreApi) -> None:
    in_text = store.add_article(_new("https://a.example/1", text="On quartz prices."), None, None)
    in_title = store.add_article(_new("https://a.example/2", title="Quartz"), None, None)
    assert [r.id for r in store.search_articles("quartz")] == [in_title, in_text]


def test_search_folds_accents(store: StoreApi) -> None:
    store.add_article(_new("https://a.example/z", title="Zelenskýy in Kyiv"), None, None)
    store.add_article(_new("https://a.example/c", text="A café in town."), None, None)
    assert len(store.search_articles("zelenskyy")) == 1
    assert len(store.search_articles("cafe")) == 1
    assert len(store.search_articles("café")) == 1


def test_search_and_look_up_quotes(filled: tuple[StoreApi, list[int]]) -> None:
    store, ids = filled
    by_speaker = store.search_quotes("julianne")
    assert {q.quote.text for q in by_speaker} == {
        "We are ready to talk, but we will not compromise on core principles,",
        "Nothing about Europe without Europe,",
    }
    assert [q.quote.speaker for q in store.search_quotes("expans")] == ["Alexander Grushko"]
    smith = store.quotes_by("julianne SMITH")
    assert [q.article_id for q in smith] == [ids[3], ids[2]]  # newest first, any case
    assert smith[0].feed == "Wire World" and smith[0].title.startswith("US envoy")
    assert len(store.quotes_by(since="2022-01-13")) == 1
    assert [q.quote.text for q in store.quotes_by(about="principles")] == [smith[1].quote.text]
    assert len(store.quotes_by(limit=2)) == 2


def test_read_and_starred(filled: tuple[StoreApi, list[int]]) -> None:
    store, ids = filled
    store.set_read(ids[2])
    store.set_starred(ids[3], True)
    assert store.article_count(ArticleFilter(unread=True)) == 4
    assert store.article_ids(ArticleFilter(starred=True)) == [ids[3]]
    assert store.article_ids(ArticleFilter(unread=True, keep=ids[2])).count(ids[2]) == 1
    article = store.article(ids[2])
    assert article is not None and article.read
    assert store.mark_all_read(ids) == 4  # one was read already
    assert store.article_count(ArticleFilter(unread=True)) == 0
    store.set_read(ids[2], False)
    store.set_starred(ids[3], False)
    assert [r.id for r in store.article_rows(0, 10) if not r.read] == [ids[2]]
    assert store.article_count(ArticleFilter(starred=True)) == 0


def test_writing_an_analysis_again_replaces_it(store: StoreApi) -> None:
    quote = Quote("direct", "Yes", ((0, 3),), "Ann Lee", None, None, None, None, "said",
                  "explicit", 0, 4)  # fmt: skip
    first = store.add_article(_new("https://a.example/q"), None, None, Analysis((), (quote,)))
    assert store.search_quotes("ann")[0].article_id == first
    assert store.all_article_ids() == [first]


def test_position_of_counts_as_the_list_orders(filled: tuple[StoreApi, list[int]]) -> None:
    store, ids = filled[0], list(filled[1])
    store.set_read(ids[2])  # not in the unread list
    for n in (1, 2):  # undated articles sort last, newest first among them
        undated = replace(_new(f"https://undated.example/{n}"), published=None)
        ids.append(store.add_article(undated, None, None))
    for where in (
        ArticleFilter(),
        ArticleFilter(feed="Daily Ledger"),
        ArticleFilter(unread=True),
        ArticleFilter(order="outlet"),
    ):
        listed = store.article_ids(where)
        for article_id in ids:
            expected = listed.index(article_id) if article_id in listed else None
            assert store.position_of(article_id, where) == expected, (where, article_id)
    assert store.position_of(ids[2], ArticleFilter(unread=True)) is None
    assert store.latest_article_id() == max(ids)
