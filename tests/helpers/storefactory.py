"""Build small real stores for app tests: hand-written articles and analyses.

No spaCy, no network: offsets of entities and quotes are found in the text by
``_at`` so the data stays honest when an article's wording is edited. Every
value is fixed, so snapshot tests see the same screen on every run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from extract.models import Analysis, Entity, Quote
from extract.store import NewArticle, Store, StoreApi, open_store

ANALYSED_WITH = "storefactory; briefing test"
CLEANED_WITH = "storefactory"


def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """The (start, end) of the ``nth`` occurrence of ``needle`` in ``text``."""
    # Whole words only, so "Russia" is not found inside "Russian".
    matches = list(re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", text))
    if len(matches) <= nth:
        raise ValueError(f"{needle!r} occurs {len(matches)} times, wanted #{nth}")
    return matches[nth].span()


@dataclass
class Draft:
    """An article being written, with its entities and quotes."""

    title: str
    text: str
    source: str
    published: str
    feed: str
    author: str | None = None
    status: str = "full_text"
    reason: str | None = None
    skipped: str | None = None
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    def entity(
        self,
        label: str,
        words: str,
        canonical: str | None = None,
        role: str | None = None,
        nth: int = 0,
    ) -> Draft:
        start, end = _at(self.text, words, nth)
        self.entities.append(Entity(label, words, canonical or words, start, end, role))
        return self

    def quote(
        self,
        words: str,
        speaker: str | None,
        *,
        mention: str | None = None,
        role: str | None = None,
        kind: str = "direct",
        cue: str = "said",
        resolution: str = "explicit",
    ) -> Draft:
        start, end = _at(self.text, words)
        s_start, s_end = _at(self.text, mention) if mention else (None, None)
        # The sentence: from the previous full stop (or paragraph start) to the next.
        sent_start = max(self.text.rfind(". ", 0, start) + 2, self.text.rfind("\n", 0, start) + 1)
        sent_end = self.text.find("\n", end)
        self.quotes.append(
            Quote(
                kind=kind,
                text=words,
                spans=((start, end),),
                speaker=speaker,
                speaker_mention=mention,
                speaker_start=s_start,
                speaker_end=s_end,
                role=role,
                cue=cue,
                resolution=resolution,
                sentence_start=sent_start,
                sentence_end=sent_end if sent_end != -1 else len(self.text),
            )
        )
        return self

    def analysis(self) -> Analysis:
        return Analysis(
            tuple(sorted(self.entities, key=lambda e: e.start)),
            tuple(self.quotes),
            ANALYSED_WITH,
            self.skipped,
        )


FEEDS = {
    "Wire World": ("http://127.0.0.1/wire.xml", ("world", "europe")),
    "Daily Ledger": ("http://127.0.0.1/ledger.xml", ("business",)),
    "Odd Feed": ("http://127.0.0.1/odd.xml", ("misc",)),
}

HOSTILE_TITLE = "[bold]x[/] [link=http://x]click[/link] \x1b[31mred\x1b[0m"
HOSTILE_BODY = (
    "Plain start. [bold]not bold[/bold] and [link=http://evil]not a link[/link].\n\n"
    "Colour \x1b[31mshould not\x1b[0m apply; OSC \x1b]8;;http://evil\x07link\x1b]8;;\x07 "
    "text; bidi \u202eevil\u202c; nul \x00 here."
)


def drafts() -> list[Draft]:
    """The fixed briefing, oldest first."""
    nato = Draft(
        title="NATO and Russia hold talks in Brussels",
        source="Wire World",
        feed="Wire World",
        author="Anna Field",
        published="2022-01-12T09:30:00+00:00",
        text=(
            "NATO Secretary-General Jens Stoltenberg received Russian Deputy Foreign Minister "
            "Alexander Grushko in Brussels on Wednesday.\n\n"
            "\u201cThere are significant differences between NATO allies and Russia,\u201d "
            "Stoltenberg told reporters after the meeting.\n\n"
            "Grushko said that Moscow would not accept further expansion of the alliance.\n\n"
            "Julianne Smith, the US envoy to NATO, was cautious. \u201cWe are ready to talk, "
            "but we will not compromise on core principles,\u201d she said.\n\n"
            "Diplomats said the talks in Brussels could continue next month."
        ),
    )
    nato.entity("ORG", "NATO").entity("PERSON", "Jens Stoltenberg", role="NATO Secretary-General")
    nato.entity("NORP", "Russian").entity(
        "PERSON", "Alexander Grushko", role="Russian Deputy Foreign Minister"
    )
    nato.entity("GPE", "Brussels").entity("DATE", "Wednesday")
    nato.entity("ORG", "NATO", nth=1).entity("GPE", "Russia")
    nato.entity("PERSON", "Stoltenberg", "Jens Stoltenberg", nth=1)
    nato.entity("PERSON", "Grushko", "Alexander Grushko", nth=1).entity("GPE", "Moscow")
    nato.entity("PERSON", "Julianne Smith", role="US envoy to NATO").entity("GPE", "US", nth=0)
    nato.entity("ORG", "NATO", nth=2).entity("GPE", "Brussels", nth=1)
    nato.quote(
        "There are significant differences between NATO allies and Russia,",
        "Jens Stoltenberg",
        mention="Stoltenberg told",
        role="NATO Secretary-General",
        cue="told",
    )
    nato.quote(
        "Moscow would not accept further expansion of the alliance",
        "Alexander Grushko",
        mention="Grushko said",
        role="Russian Deputy Foreign Minister",
        kind="indirect",
    )
    nato.quote(
        "We are ready to talk, but we will not compromise on core principles,",
        "Julianne Smith",
        mention="she said",
        role="US envoy to NATO",
        resolution="pronoun",
    )
    nato.quote(
        "the talks in Brussels could continue next month",
        None,
        mention="Diplomats",
        kind="indirect",
        resolution="none",
    )

    envoy = Draft(
        title="US envoy says the alliance stands united",
        source="Wire World",
        feed="Wire World",
        published="2022-01-13T08:00:00+00:00",
        text=(
            "The United States will not negotiate over the heads of its allies, Julianne Smith "
            "said on Thursday.\n\n"
            "\u201cNothing about Europe without Europe,\u201d Smith said in Brussels.\n\n"
            "Officials in Kyiv welcomed the remarks."
        ),
    )
    envoy.entity("GPE", "The United States").entity(
        "PERSON", "Julianne Smith", role="US envoy to NATO"
    )
    envoy.entity("DATE", "Thursday").entity("LOC", "Europe")
    envoy.entity("PERSON", "Smith", "Julianne Smith", nth=1)
    envoy.entity("GPE", "Brussels").entity("GPE", "Kyiv")
    envoy.quote(
        "Nothing about Europe without Europe,",
        "Julianne Smith",
        mention="Smith said",
        role="US envoy to NATO",
    )

    markets = Draft(
        title="Markets steady as talks continue",
        source="Daily Ledger",
        feed="Daily Ledger",
        published="2022-01-13T12:15:00+00:00",
        status="feed_summary",
        reason="the page needs JavaScript; showing the feed summary",
        text="European shares were little changed on Thursday as investors watched the talks.",
    )
    markets.entity("NORP", "European").entity("DATE", "Thursday")

    hostile = Draft(
        title=HOSTILE_TITLE,
        source="Odd \x1b[2JFeed",
        feed="Odd Feed",
        published="2022-01-11T07:00:00+00:00",
        text=HOSTILE_BODY,
    )

    foreign = Draft(
        title="Les discussions continuent \u00e0 Bruxelles",
        source="Daily Ledger",
        feed="Daily Ledger",
        published="2022-01-10T18:00:00+00:00",
        skipped="language fr is not analysed",
        text="Les discussions entre l'OTAN et la Russie continuent \u00e0 Bruxelles.",
    )
    return [foreign, hostile, nato, envoy, markets]


def build_store(path: Path, extra: int = 0) -> Store:
    """A store at ``path`` holding the fixed briefing and ``extra`` filler articles."""
    store = open_store(path)
    fill(store)
    if extra:
        add_filler(store, extra, store.upsert_feed("Daily Ledger", *FEEDS["Daily Ledger"]))
    return store


def fill(store: StoreApi) -> list[int]:
    """The fixed briefing, into any backend's store; the article ids, oldest first."""
    feed_ids = {name: store.upsert_feed(name, url, tags) for name, (url, tags) in FEEDS.items()}
    return [add_draft(store, d, feed_ids[d.feed], n) for n, d in enumerate(drafts())]


def add_draft(store: StoreApi, draft: Draft, feed_id: int | None, n: int) -> int:
    """Store one draft as article ``n`` (its URL and guid); its id."""
    new = NewArticle(
        url=f"https://news.example/{n}",
        canonical_url=f"https://news.example/{n}",
        title=draft.title,
        author=draft.author,
        published=draft.published,
        source=draft.source,
        text=draft.text,
        text_status=draft.status,
        text_reason=draft.reason,
        summary=draft.text[:120],
        language="en",
        cleaned_with=CLEANED_WITH,
    )
    return store.add_article(
        new, feed_id, f"guid-{n}" if feed_id is not None else None, draft.analysis()
    )


def add_filler(store: Store, count: int, feed_id: int) -> None:
    """``count`` short articles dated before the fixed ones, in one transaction."""
    with store.transaction() as tx:
        for n in range(count):
            day, minute = divmod(n, 1440)
            published = (
                f"2021-{12 - day // 28 % 12:02d}-{28 - day % 28:02d}T"
                f"{23 - minute // 60:02d}:{59 - minute % 60:02d}:00+00:00"
            )
            cur = tx.execute(
                "INSERT INTO articles (url, canonical_url, title, published, source, text, "
                "text_status, added_at) VALUES (?,?,?,?,?,?,?,?)",
                (
                    f"https://filler.example/{n}",
                    f"https://filler.example/{n}",
                    f"Filler article {n}",
                    published,
                    "Daily Ledger",
                    f"Filler text {n}.",
                    "full_text",
                    "2022-01-14T00:00:00+00:00",
                ),
            )
            tx.execute(
                "INSERT INTO article_feeds (article_id, feed_id, guid) VALUES (?,?,?)",
                (cur.lastrowid, feed_id, f"filler-{n}"),
            )
