"""Search ranks the same on SQLite (FTS5) and PostgreSQL (tsvector): the same stored
articles and quotes, the same typed searches, the same results in the same order.

The ranking's window and the first range of ids PostgreSQL reads are made small here, so
a few hundred quotes cross both: the newest matches are found over several ranges, and
the tiers are cut at the window as on a store of millions.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from extract.models import Analysis, Quote
from extract.store import NewArticle, StoreApi, open_pg, open_store, pg_search, sqlite

SPEAKERS = ["Ann Lee", "Boris Kral", "Clara Diaz", "Dmitri Orlov", "Ebba Lund", None]
ROLES = ["minister of energy", "central bank governor", "trade union leader", None]
WORDS = (
    "energy prices rise sharply winter heating bills grid storage bank rates inflation "
    "union strike talks minister budget deficit reform pension trade tariffs steel café"
).split()
QUERIES = [
    "energy", "ener", "min", "bank", "bank rates", "heating bills", "rates bank",
    "lee", "ann lee", "kral", "diaz energy", "union OR tariffs", "energy -bills",
    "energy NOT minister", '"heating bills"', '"winter heat', "cafe", "café", "governor bank",
    "trade", "strike talks", "orlov pension", "lund", "zzz", "NOT energy", "steel*",
]  # fmt: skip


def _fill(store: StoreApi, seed: int = 15) -> None:
    rng = random.Random(seed)
    for n in range(60):
        title = " ".join(rng.choice(WORDS) for _ in range(5)).capitalize()
        sentences = [" ".join(rng.choice(WORDS) for _ in range(8)) + "." for _ in range(6)]
        text = " ".join(sentences)
        quotes = []
        offset = 0
        for sentence in sentences:
            quotes.append(
                Quote(
                    "direct",
                    sentence[:-1],
                    ((offset, offset + len(sentence) - 1),),
                    rng.choice(SPEAKERS),
                    None,
                    None,
                    None,
                    rng.choice(ROLES),
                    "said",
                    "explicit",
                    offset,
                    offset + len(sentence),
                )
            )
            offset += len(sentence) + 1
        url = f"https://search.example/{n}"
        new = NewArticle(url, url, title, None, f"2024-01-{1 + n % 28:02d}T10:00:00+00:00",
                         "Test", text, "full_text", content_hash=url)  # fmt: skip
        store.add_article(new, None, None, Analysis((), tuple(quotes)))


@pytest.fixture
def both(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[StoreApi]]:
    monkeypatch.setattr(sqlite, "RANK_WINDOW", 40)
    monkeypatch.setattr(pg_search, "RANK_WINDOW", 40)
    monkeypatch.setattr(pg_search, "FIRST_SPAN", 16)
    stores: list[StoreApi] = [open_store(tmp_path / "b.sqlite3"), open_pg(pg_url, "ann")]
    try:
        for store in stores:
            _fill(store)
        yield stores
    finally:
        for store in stores:
            store.close()


@pytest.mark.parametrize("limit", [5, 50])
def test_quote_search_ranks_the_same(both: list[StoreApi], limit: int) -> None:
    lite, pg = both
    for query in QUERIES:
        expected = [q.id for q in lite.search_quotes(query, limit=limit)]
        assert [q.id for q in pg.search_quotes(query, limit=limit)] == expected, query
    assert lite.search_quotes("ann lee", limit=limit)[0].quote.speaker == "Ann Lee"


@pytest.mark.parametrize("limit", [3, 200])
def test_article_search_ranks_the_same(both: list[StoreApi], limit: int) -> None:
    lite, pg = both
    for query in QUERIES:
        expected = [r.id for r in lite.search_articles(query, limit=limit)]
        assert [r.id for r in pg.search_articles(query, limit=limit)] == expected, query


def test_the_tiers_on_postgres(both: list[StoreApi], monkeypatch: pytest.MonkeyPatch) -> None:
    """What the tiers mean, said on PostgreSQL: a word in a quote's role before the same
    word in its text only, and the words side by side before the words apart (every
    match in the window)."""
    monkeypatch.setattr(pg_search, "RANK_WINDOW", 2000)
    _, pg = both
    hits = pg.search_quotes("energy", limit=200)
    in_role = ["energy" in (q.quote.role or "") for q in hits]
    assert True in in_role and False in in_role
    assert in_role == sorted(in_role, reverse=True)
    hits = pg.search_quotes("heating bills", limit=200)
    side_by_side = ["heating bills" in q.quote.text for q in hits]
    assert True in side_by_side and False in side_by_side
    assert side_by_side == sorted(side_by_side, reverse=True)


def test_typed_words_become_a_tsquery_that_cannot_be_tsquery_syntax() -> None:
    query = pg_search.pg_query("it's -x:* \"heating bi", "AD")
    assert query is not None
    assert query.full == (
        "(('it':*)) & (('s':*)) & ((('heating':A <-> 'bi':*A) | ('heating':D <-> 'bi':*D)))"
        " & !('x':*)"
    )
    assert query.must == "(('it':*)) & (('s':*)) & (('heating' <-> 'bi':*))"  # no columns
    assert query.adjacent == "" and query.excludes
    two = pg_search.pg_query("orlov pens", "ABD")
    assert two is not None and two.adjacent == (
        "(('orlov':A <-> 'pens':*A) | ('orlov':B <-> 'pens':*B) | ('orlov':D <-> 'pens':*D))"
    )
    assert pg_search.pg_query("NOT energy") is None and pg_search.ts_query("") == ""
