"""What a user types into `/` or the quote lookup: OR, NOT, "phrases", prefix*, never an
FTS5 syntax error."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.models import Analysis, Quote
from extract.store import ArticleFilter, NewArticle, open_store
from extract.store.records import StoredQuote, outlet
from extract.store.search import fts_query, highlight_pattern

TITLES = {
    1: "Russia moves troops",
    2: "Taiwan strait patrol",
    3: "Russia and Taiwan talk",
    4: "Heating bills rise",
    5: "Bills of heating oil",
}


def article(n: int, title: str) -> NewArticle:
    return NewArticle(
        url=f"https://news.example/{n}",
        canonical_url=f"https://news.example/{n}",
        title=title,
        author=None,
        published=f"2024-02-{n:02d}T10:00:00+00:00",
        source="Example News" if n % 2 else "Harbour Wire",
        text=title + ".",
        text_status="full_text",
        content_hash=f"h{n}",
    )


def found(store, text: str) -> set[int]:  # noqa: ANN001
    return {r.id for r in store.search_articles(text)}


def test_or_not_phrases_and_prefixes(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.sqlite3") as store:
        ids = {n: store.add_article(article(n, t), None, None) for n, t in TITLES.items()}
        assert found(store, "Russia OR Taiwan") == {ids[1], ids[2], ids[3]}
        assert found(store, "Russia NOT Taiwan") == {ids[1]}
        assert found(store, "Russia -Taiwan") == {ids[1]}
        assert found(store, '"heating bills"') == {ids[4]}
        assert found(store, "heating bills") == {ids[4], ids[5]}
        assert found(store, "Taiw*") == {ids[2], ids[3]}
        assert found(store, "russia or") == set()  # lower-case "or" is a word
        assert found(store, "NOT Taiwan") == set()  # nothing to look for: no error either
        assert found(store, '"heating bi') == {ids[4]}  # typing: the phrase is not closed yet


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab "*-()^:+.OR NOTAND_\\x00é')), max_size=40))
@pytest.mark.slow
def test_any_input_is_a_valid_query(text: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    conn.execute("INSERT INTO t VALUES ('a b ab é')")
    query = fts_query(text)
    if query:
        conn.execute("SELECT * FROM t WHERE t MATCH ?", (query,)).fetchall()  # never raises


def test_highlight_pattern_finds_prefixes_and_phrases() -> None:
    pattern = highlight_pattern('russ "heating bills" NOT oil')
    assert pattern is not None
    text = "Russian heating  bills; oil heating"
    assert [m.group() for m in pattern.finditer(text)] == ["Russian", "heating  bills"]
    assert highlight_pattern("NOT x") is None


def test_date_filter_order_by_outlet_and_kept_article(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.sqlite3") as store:
        ids = {n: store.add_article(article(n, t), None, None) for n, t in TITLES.items()}
        since = ArticleFilter(since="2024-02-04")
        assert [r.id for r in store.article_rows(0, 10, since)] == [ids[5], ids[4]]
        by_outlet = ArticleFilter(order="outlet")
        rows = store.article_rows(0, 10, by_outlet)
        assert [r.source for r in rows] == ["Example News"] * 3 + ["Harbour Wire"] * 2
        assert store.position_of(ids[2], by_outlet) == 4  # Harbour Wire: 4 then 2
        assert store.mark_all_read([ids[1], ids[2]]) == 2
        unread = ArticleFilter(unread=True)
        assert ids[1] not in {r.id for r in store.article_rows(0, 10, unread)}
        kept = ArticleFilter(unread=True, keep=ids[1])
        assert ids[1] in {r.id for r in store.article_rows(0, 10, kept)}
        assert store.position_of(ids[1], kept) is not None


def quote(
    text: str,
    resolution: str = "explicit",
    speaker: str | None = "Laura Okafor",
    kind: str = "direct",
) -> Quote:
    return Quote(
        kind,
        text,
        ((0, len(text)),),
        speaker,
        "she",
        0,
        3,
        "energy minister",  # type: ignore[arg-type]
        "said",
        resolution,
        0,
        len(text),
    )  # type: ignore[arg-type]


def test_citation_names_the_outlet_flags_inferred_speakers_and_drops_the_comma() -> None:
    def cite(q: Quote, source: str = "127.0.0.1:8765", feed: str | None = "Harbour Wire") -> str:
        return StoredQuote(
            1, 1, q, "Title", source, "2024-02-13T09:00:00", "http://127.0.0.1:8765/a", feed
        ).citation()

    assert cite(quote("We will cut heating bills,")) == (
        "“We will cut heating bills” — Laura Okafor, energy minister, Harbour Wire, "
        "2024-02-13, http://127.0.0.1:8765/a"
    )
    assert "Laura Okafor (speaker inferred), energy minister" in cite(quote("x", "pronoun"))
    assert "(speaker inferred)" in cite(quote("x", "inherited"))
    assert "(not named)" in cite(quote("x", "description"))
    assert cite(quote("x"), source="The Harbour Times").count("The Harbour Times") == 1
    assert cite(quote("x", speaker=None)).startswith("“x” — unattributed, ")
    assert cite(quote("they agreed", kind="indirect")).startswith("Reported: they agreed — ")
    assert outlet("news.example.com", "https://news.example.com/a", None) == "news.example.com"


def test_every_prefix_length_finds_the_same_as_a_scan(tmp_path: Path) -> None:
    """One, two, three and more letters (the 1-3 letter prefix indexes, and the merge of
    words for longer ones) find exactly the rows whose words start so."""
    titles = {1: "Trade talks stall", 2: "Tariffs and trade", 3: "Taiwan talks", 4: "Oil"}
    with open_store(tmp_path / "s.sqlite3") as store:
        ids = {n: store.add_article(article(n, t), None, None) for n, t in titles.items()}
        for typed in ("t", "ta", "tal", "talk", "talks", "tr", "o", "x", "trade t", "ta t"):
            expected = {
                ids[n]
                for n, title in titles.items()
                if all(
                    any(w.lower().startswith(p) for w in (title + " " + title).split())
                    for p in typed.split()
                )
            }
            assert found(store, typed) == expected, typed


def test_ranking_puts_title_and_speaker_matches_first(tmp_path: Path) -> None:
    """bm25 weighs a title 5x the text (articles), a speaker 4x the quote's words."""
    with open_store(tmp_path / "s.sqlite3") as store:
        text_only = replace(article(1, "Markets steady"), text="Then Grushko spoke.")
        body = store.add_article(text_only, None, None)
        title = store.add_article(article(2, "Grushko warns Brussels"), None, None)
        assert [r.id for r in store.search_articles("grus")] == [title, body]
        store.add_article(
            article(3, "Talks"),
            None,
            None,
            Analysis(
                quotes=(
                    quote("Smith was right, we agree", speaker="Anna Berg"),
                    quote("We agree", speaker="Julianne Smith"),
                )
            ),
        )
        found_quotes = store.search_quotes("smi")
        assert [q.quote.speaker for q in found_quotes] == ["Julianne Smith", "Anna Berg"]
        # Side by side as typed before the words apart, though older; then the newest.
        for n, words in ((4, "Gas prices will rise"), (5, "Prices of gas rise"), (6, "Gas ok")):
            store.add_article(
                article(n, "Energy"), None, None, Analysis(quotes=(quote(words, speaker=None),))
            )
        assert [q.quote.text for q in store.search_quotes("gas pri")] == [
            "Gas prices will rise",
            "Prices of gas rise",
        ]
