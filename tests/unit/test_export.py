"""The exported briefing: its layout, its filters, and feed text that stays text.

The Markdown is read back with markdown-it-py (CommonMark) and the HTML with the standard
library's HTML parser, so the checks are about what a renderer or browser would make of it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from extract.export import ExportFilter, build_briefing, export_to_file, new_export_path, render
from extract.export.briefing import pick_highlights
from extract.store import ArticleFilter, Store, StoreApi, open_pg, open_store
from extract.store.exports import ExportQuote
from tests.helpers import hostile_briefing as hb
from tests.helpers.people import add
from tests.helpers.storefactory import Draft, add_draft, build_store, fill

NOW = datetime(2026, 12, 2, 6, 30, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = build_store(tmp_path / "store.sqlite3")
    yield s
    s.close()


@pytest.fixture(params=["sqlite", "postgres"])
def both(request: pytest.FixtureRequest, tmp_path: Path):
    """The fixed briefing on each backend: one ``exports.py`` runs on both."""
    if request.param == "sqlite":
        s: StoreApi = open_store(tmp_path / "store.sqlite3")
    else:
        s = open_pg(request.getfixturevalue("pg_url"), "ann")
    fill(s)
    yield s
    s.close()


@pytest.fixture
def hostile(tmp_path: Path) -> Store:
    s = hb.build_hostile_store(tmp_path / "hostile.sqlite3")
    yield s
    s.close()


class Page(HTMLParser):
    """Every tag with its attributes, the text, and the text under each tag name."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []
        self.text: list[str] = []
        self.under: dict[str, list[str]] = {}
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("br", "meta", "img", "input", "link", "hr"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for tag in self.open:
            self.under.setdefault(tag, []).append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append(("!--", {"data": data}))

    def all_text(self) -> str:
        return "".join(self.text)

    def texts(self, tag: str) -> str:
        return "".join(self.under.get(tag, []))

    def names(self) -> set[str]:
        return {t for t, _ in self.tags}


def md_tokens(text: str) -> list:
    out = []
    for token in MarkdownIt("commonmark").parse(text):
        out.append(token)
        out.extend(token.children or [])
    return out


def headings(text: str) -> list[tuple[str, str]]:
    tokens = MarkdownIt("commonmark").parse(text)
    return [
        (tokens[i].tag, tokens[i + 1].content)
        for i, t in enumerate(tokens)
        if t.type == "heading_open"
    ]


# -- layout ------------------------------------------------------------------------------


def test_briefing_groups_articles_by_day_and_outlet_newest_first(both: Store) -> None:
    store = both
    b = build_briefing(store, ExportFilter(), title="Morning", now=NOW)
    assert [d.day for d in b.days] == ["2022-01-13", "2022-01-12", "2022-01-11", "2022-01-10"]
    assert [o.name for o in b.days[0].outlets] == ["Daily Ledger", "Wire World"]
    assert [r.number for r in b.references] == [1, 2, 3, 4, 5]
    assert b.references[2].title == "NATO and Russia hold talks in Brussels"
    assert b.article_count == 5 and b.quote_count == 5
    assert b.period == "2022-01-10 to 2022-01-13"
    assert b.feeds == ("Daily Ledger", "Odd Feed", "Wire World")


def test_highlights_prefer_named_direct_quotes_and_keep_text_order(store: Store) -> None:
    b = build_briefing(store, ExportFilter(), now=NOW)
    nato = b.days[1].outlets[0].entries[0]
    assert nato.quote_count == 4
    # The unattributed "Diplomats said" is the one left out; the rest stay in text order.
    assert [c.quote.speaker for c in nato.highlights] == [
        "Jens Stoltenberg",
        "Alexander Grushko",
        "Julianne Smith",
    ]
    assert [c.how_found for c in nato.highlights][2] == "resolved from a pronoun"


def _q(
    text: str, speaker: str | None, kind: str = "direct", resolution: str = "explicit"
) -> ExportQuote:
    return ExportQuote(1, kind, text, speaker, None, resolution)


def test_pick_highlights_order_of_preference() -> None:
    long = "a sentence long enough to matter in a briefing"
    quotes = [
        _q(long, None),
        _q("short", "A"),
        _q(long, "B", kind="indirect"),
        _q(long, "C", resolution="pronoun"),
        _q(long, "D"),
    ]
    # The best three are D, C and A (B is reported speech, the first has no speaker),
    # shown in the order of the text.
    assert [q.speaker for q in pick_highlights(quotes)] == ["A", "C", "D"]
    assert [q.speaker for q in pick_highlights(quotes, 1)] == ["D"]


def test_who_said_what_groups_by_person_newest_first(both: Store) -> None:
    store = both
    b = build_briefing(store, ExportFilter(), now=NOW)
    people = {p.speaker: p for p in b.people}
    assert set(people) == {"Julianne Smith", "Jens Stoltenberg", "Alexander Grushko"}
    assert b.people[0].speaker == "Julianne Smith"  # the most quoted first
    smith = people["Julianne Smith"].quotes
    assert [c.ref.date for c in smith] == ["2022-01-13", "2022-01-12"]
    assert [c.ref.number for c in smith] == [2, 3]


def test_markdown_layout_and_every_quote_cites_a_reference(store: Store) -> None:
    text = render(build_briefing(store, ExportFilter(), title="Morning", now=NOW), "markdown")
    heads = headings(text)
    assert heads[0] == ("h1", "Morning")
    assert [h for tag, h in heads if tag == "h2"] == ["Articles", "Who said what", "References"]
    assert ("h3", "Julianne Smith (2 quotes)") in heads
    assert "5 articles, 5 quotes, 3 people quoted" in text
    html = MarkdownIt("commonmark").render(text)
    page = Page(html)
    refs = page.texts("ol")
    assert (
        "NATO and Russia hold talks in Brussels — Wire World, 2022-01-12, "
        "https://news.example/2" in refs
    )
    for line in text.splitlines():
        if line.startswith("- “") or line.startswith("- 20"):
            assert line.rstrip().endswith("]") and "\\[" in line  # cites [n]
    links = [a.get("href") for t, a in page.tags if t == "a"]
    assert links.count("https://news.example/2") == 2  # the article and its reference


def test_html_is_self_contained_and_every_citation_resolves(store: Store) -> None:
    html = render(build_briefing(store, ExportFilter(), title="Morning", now=NOW), "html")
    page = Page(html)
    assert not page.names() & {"script", "link", "img", "iframe", "object"}
    csp = [a for t, a in page.tags if t == "meta" and a.get("http-equiv")]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")
    ids = {a["id"] for _, a in page.tags if a.get("id")}
    cites = [a["href"] for t, a in page.tags if t == "a" and (a.get("href") or "")[:1] == "#"]
    assert cites and all(href[1:] in ids for href in cites)
    assert {f"ref-{n}" for n in range(1, 6)} <= ids
    quotes = [a for t, a in page.tags if t == "blockquote"]
    assert len(quotes) == 4  # 3 highlights of the NATO article, 1 of the envoy's
    assert "There are significant differences between NATO allies and Russia”" in page.texts(
        "blockquote"
    )


def test_empty_selection_says_so(store: Store) -> None:
    b = build_briefing(store, ExportFilter(since="2030-01-01"), now=NOW)
    assert b.article_count == 0
    assert "No articles match." in render(b, "markdown")
    assert "No articles match." in Page(render(b, "html")).all_text()


# -- filters -----------------------------------------------------------------------------


FILTER_CASES = [
    (
        ExportFilter(since="2022-01-12", until="2022-01-12"),
        ["NATO and Russia hold talks in Brussels"],
    ),
    (
        ExportFilter(since="2022-01-13"),
        ["Markets steady as talks continue", "US envoy says the alliance stands united"],
    ),
    (
        ExportFilter(view=ArticleFilter(feed="Wire World")),
        ["US envoy says the alliance stands united", "NATO and Russia hold talks in Brussels"],
    ),
    (
        ExportFilter(view=ArticleFilter(tag="misc")),
        ["[bold]x[/] [link=http://x]click[/link] red"],
    ),
    (ExportFilter(search="Brussels talks"), ["NATO and Russia hold talks in Brussels"]),
    (ExportFilter(search="((("), []),
    (
        ExportFilter(speaker="julianne smith"),
        ["US envoy says the alliance stands united", "NATO and Russia hold talks in Brussels"],
    ),
    (
        ExportFilter(limit=2),
        ["Markets steady as talks continue", "US envoy says the alliance stands united"],
    ),
]


@pytest.mark.parametrize(("where", "titles"), FILTER_CASES)
def test_filters_select_articles(store: Store, where: ExportFilter, titles: list[str]) -> None:
    b = build_briefing(store, where, now=NOW)
    assert [r.title for r in b.references] == titles


def test_the_filters_select_the_same_on_postgres(pg_url: str) -> None:
    """Every case above, on one PostgreSQL store (one database, not one per case)."""
    with open_pg(pg_url, "ann") as store:
        fill(store)
        for where, titles in FILTER_CASES:
            b = build_briefing(store, where, now=NOW)
            assert [r.title for r in b.references] == titles, where


def test_speaker_filter_keeps_only_that_speakers_quotes(store: Store) -> None:
    b = build_briefing(store, ExportFilter(speaker="Julianne Smith"), now=NOW)
    assert b.quote_count == 2
    assert [p.speaker for p in b.people] == ["Julianne Smith"]
    assert "speaker: Julianne Smith" in b.filters


def test_starred_unread_and_chosen_ids(both: Store) -> None:
    store = both
    ids = store.article_ids()
    store.set_starred(ids[1], True)
    for article_id in ids[2:]:
        store.set_read(article_id)
    starred = build_briefing(store, ExportFilter(view=ArticleFilter(starred=True)), now=NOW)
    unread = build_briefing(store, ExportFilter(view=ArticleFilter(unread=True)), now=NOW)
    chosen = build_briefing(store, ExportFilter(article_ids=(ids[4], ids[0])), now=NOW)
    assert [r.title for r in starred.references] == [store.article(ids[1]).title]
    assert len(unread.references) == 2
    assert [r.title for r in chosen.references] == [
        store.article(i).title for i in (ids[0], ids[4])
    ]


# -- hostile text ------------------------------------------------------------------------


def test_markdown_keeps_hostile_text_inert(hostile: Store) -> None:
    text = render(build_briefing(hostile, ExportFilter(), now=NOW), "markdown")
    tokens = md_tokens(text)
    kinds = {t.type for t in tokens}
    assert not kinds & {
        "html_block",
        "html_inline",
        "image",
        "code_inline",
        "s_open",
        "fence",
        "code_block",
        "blockquote_open",
    }
    hrefs = [t.attrGet("href") for t in tokens if t.type == "link_open"]
    assert hrefs and all(str(h).startswith("https://") for h in hrefs)
    odd = "https://evil.example/a%22%3E%3Cscript%3Edocument.title=%22pwned%22%3C/script%3E"
    assert odd in hrefs
    # Only the headings the layout makes; the title's "# Heading" is not one.
    heads = headings(text)
    assert [h for tag, h in heads if tag in ("h1", "h2")] == [
        "Briefing",
        "Articles",
        "Who said what",
        "References",
    ]
    page = Page(MarkdownIt("commonmark").render(text))
    shown = page.all_text()
    for hostile_text in (hb.TITLE, hb.OUTLET, hb.SPEAKER, hb.QUOTE, hb.ROLE, hb.BAD_URL):
        assert hb.shown(hostile_text) in shown  # every character, literally
    assert "1. Numbered lead" in shown  # the lead is a paragraph, not a list
    assert "\x1b" not in text and "\u202e" not in text
    assert not page.names() & {"script", "img", "iframe", "svg", "em", "code", "del"}


def test_html_keeps_hostile_text_inert(hostile: Store) -> None:
    html = render(build_briefing(hostile, ExportFilter(), now=NOW), "html")
    page = Page(html)
    assert not page.names() & {"script", "img", "iframe", "svg", "!--", "b"}
    for tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        href = attrs.get("href")
        if tag == "a":
            assert href and (href.startswith("#ref-") or href.startswith("https://")), href
    shown = page.all_text()
    for hostile_text in (hb.TITLE, hb.OUTLET, hb.SPEAKER, hb.QUOTE, hb.ROLE):
        assert hb.shown(hostile_text) in shown
    assert f"{hb.BAD_URL} (not a web link)" in shown
    assert page.texts("title") == "Briefing"
    assert "\x1b" not in html and "\u202e" not in html


# -- files -------------------------------------------------------------------------------


def test_export_to_file_writes_whole_file_under_a_fresh_name(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "new" / "briefings"
    first = new_export_path(folder, "html", NOW)
    assert first.name == "briefing-2026-12-02-0630.html" and folder.is_dir()
    done = export_to_file(store, ExportFilter(), "html", first, now=NOW)
    assert (done.articles, done.quotes) == (5, 5)
    assert first.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    second = new_export_path(folder, "html", NOW)
    assert second.name == "briefing-2026-12-02-0630-2.html"
    assert [p.name for p in folder.iterdir()] == [first.name]  # no temporary file left


def test_a_described_speaker_is_cited_but_is_no_person(store: Store) -> None:
    draft = Draft(
        title="Spokesman has nothing to add",
        source="Wire World",
        feed="Wire World",
        published="2022-01-14T10:00:00+00:00",
        text="\u201cWe have nothing to add at this stage,\u201d a spokesman said.",
    )
    draft.quote(
        "We have nothing to add at this stage,",
        "a spokesman",
        mention="a spokesman",
        resolution="description",
    )
    add_draft(store, draft, None, 20)
    b = build_briefing(store, ExportFilter(since="2022-01-14"), now=NOW)
    (cited,) = b.days[0].outlets[0].entries[0].highlights
    assert cited.quote.speaker == "a spokesman" and cited.how_found == "described, not named"
    assert b.people == ()


def test_who_said_what_is_by_person_under_the_registrys_name(tmp_path: Path) -> None:
    with open_store(tmp_path / "people.sqlite3") as store:
        add(store, "2016-09-01", ["Donald Trump"], said={"Donald Trump": "one"})
        add(store, "2016-09-02", ["Donald J. Trump"], said={"Donald J. Trump": "two"})
        add(store, "2016-09-03", ["Trump"], said={"Trump": "three"})
        add(store, "2016-08-01", ["Melania Trump"])  # shares the surname: her own heading
        b = build_briefing(store, ExportFilter(), now=NOW)
        people = {p.speaker: [c.quote.text for c in p.quotes] for p in b.people}
        assert people == {"Donald Trump": ["three", "two", "one"], "Melania Trump": ["words"]}
        text = render(b, "markdown")
        assert ("h3", "Donald Trump (3 quotes)") in headings(text)
        assert "- 2016-09-03 · “three” — as Trump (named with the quote) \\[1\\]" in text
        page = Page(render(b, "html"))
        assert "Donald Trump (3 quotes)" in page.texts("h3") and "as Donald J. Trump" in page.texts(
            "li"
        )
        # --speaker: the person under any alias, not the string
        only = build_briefing(store, ExportFilter(speaker="Donald J. Trump"), now=NOW)
        assert [p.speaker for p in only.people] == ["Donald Trump"]
        assert only.quote_count == 3 and only.article_count == 3
