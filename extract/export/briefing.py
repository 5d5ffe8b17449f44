"""A briefing to export: the selected articles grouped by day and outlet, the quotes that
matter in each, who said what, and numbered references.

Every string here has been through ``one_line`` (no controls, escapes or line breaks);
the renderers still escape it for their format, since text from feeds is never markup.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from extract.safe_text import one_line
from extract.store import StoreApi
from extract.store.exports import (
    ExportArticle,
    ExportFilter,
    ExportQuote,
    export_articles,
    export_quotes,
)

HIGHLIGHTS = 3  # quotes shown under each article
LEAD_MAX = 320  # characters of the lead
UNDATED = "Undated"

HOW_FOUND = {
    "explicit": "named with the quote",
    "description": "described, not named",
    "pronoun": "resolved from a pronoun",
    "inherited": "carried over from the previous quote",
    "none": "no speaker found",
}


@dataclass(frozen=True, slots=True)
class Reference:
    """An article, numbered: every quote in the briefing cites one."""

    number: int
    title: str
    outlet: str
    date: str  # YYYY-MM-DD, or "" when undated
    url: str


@dataclass(frozen=True, slots=True)
class Cited:
    quote: ExportQuote  # speaker, role, text made one_line
    ref: Reference

    @property
    def how_found(self) -> str:
        return HOW_FOUND.get(self.quote.resolution, self.quote.resolution)


@dataclass(frozen=True, slots=True)
class Entry:
    ref: Reference
    time: str  # HH:MM UTC, or ""
    lead: str
    highlights: tuple[Cited, ...]
    quote_count: int


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Day:
    day: str  # YYYY-MM-DD or UNDATED
    outlets: tuple[Outlet, ...]


@dataclass(frozen=True, slots=True)
class Person:
    speaker: str  # the person's display name (or the speaker as written, when no person)
    quotes: tuple[Cited, ...]  # newest first


@dataclass(frozen=True, slots=True)
class Briefing:
    title: str
    generated: str  # YYYY-MM-DD HH:MM UTC
    period: str  # "2022-01-12 to 2022-01-13"
    filters: tuple[str, ...]  # what selected the articles, in words
    feeds: tuple[str, ...]
    article_count: int
    quote_count: int
    days: tuple[Day, ...]
    people: tuple[Person, ...]
    references: tuple[Reference, ...]


def build_briefing(
    store: StoreApi, where: ExportFilter, *, title: str = "Briefing", now: datetime | None = None
) -> Briefing:
    """Read the selection from the store and shape it for rendering."""
    articles = export_articles(store, where)
    quotes = export_quotes(store, [a.id for a in articles], where.speaker)
    by_article: dict[int, list[ExportQuote]] = defaultdict(list)
    for q in quotes:
        by_article[q.article_id].append(_clean_quote(q))
    refs = [_reference(n, a) for n, a in enumerate(articles, 1)]
    entries = [_entry(ref, a, by_article[a.id]) for ref, a in zip(refs, articles)]
    generated = (now or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M %Z").strip()
    return Briefing(
        title=one_line(title) or "Briefing",
        generated=generated,
        period=_period(where, articles),
        filters=describe(where),
        feeds=tuple(sorted({one_line(f) for a in articles for f in a.feeds})),
        article_count=len(articles),
        quote_count=len(quotes),
        days=_days(entries),
        people=_people(refs, articles, by_article),
        references=tuple(refs),
    )


def describe(where: ExportFilter) -> tuple[str, ...]:
    """The filters, as a reader of the briefing would want them stated."""
    v = where.view
    said = [
        ("feed", v.feed),
        ("tag", v.tag),
        ("mentioning", v.entity),
        ("search", where.search),
        ("speaker", where.speaker),
        ("watch", where.watch),
    ]
    words = [f"{name}: {one_line(value)}" for name, value in said if value]
    words += [w for w, on in (("starred", v.starred), ("unread", v.unread)) if on]
    if where.article_ids is not None:
        words.append(f"{len(where.article_ids)} chosen articles")
    if where.limit is not None:
        words.append(f"newest {where.limit}")
    return tuple(words)


def pick_highlights(quotes: list[ExportQuote], n: int = HIGHLIGHTS) -> list[ExportQuote]:
    """The quotes that matter most, in the order of the text: a named speaker before an
    unknown one, direct words before reported speech, a speaker found next to the quote
    before an inferred one, and a quote of a sentence or two before a fragment."""

    def weight(item: tuple[int, ExportQuote]) -> tuple[int, int, int, int, int]:
        index, q = item
        sized = 30 <= len(q.text) <= 400
        return (q.speaker is None, q.kind != "direct", q.resolution != "explicit", not sized, index)

    best = sorted(enumerate(quotes), key=weight)[:n]
    return [q for _, q in sorted(best, key=lambda item: item[0])]


def _clean_quote(q: ExportQuote) -> ExportQuote:
    # "...differences with Russia,” Stoltenberg said": the comma belongs to the sentence
    return ExportQuote(
        q.article_id,
        q.kind,
        one_line(q.text).rstrip(",;: "),
        _name(q.speaker),
        _name(q.role),
        q.resolution,
        q.person_id,
        _name(q.person),
    )


@lru_cache(maxsize=4096)
def _name(text: str | None) -> str | None:
    """A speaker or role made one line; the same few hundred recur across a briefing."""
    return one_line(text) or None


def _reference(number: int, a: ExportArticle) -> Reference:
    outlet = one_line(a.source) or (one_line(a.feeds[0]) if a.feeds else "") or "Unknown outlet"
    return Reference(
        number, one_line(a.title) or "(untitled)", outlet, (a.published or "")[:10], one_line(a.url)
    )


def _entry(ref: Reference, a: ExportArticle, quotes: list[ExportQuote]) -> Entry:
    time = (a.published or "")[11:16]
    return Entry(
        ref,
        f"{time} UTC" if time else "",
        _lead(a.lead),
        tuple(Cited(q, ref) for q in pick_highlights(quotes)),
        len(quotes),
    )


def _lead(text: str) -> str:
    first = next((p for p in text.split("\n") if p.strip()), "")
    lead = one_line(first)
    if len(lead) <= LEAD_MAX:
        return lead
    return lead[:LEAD_MAX].rsplit(" ", 1)[0] + " …"


def _days(entries: list[Entry]) -> tuple[Day, ...]:
    days: dict[str, dict[str, list[Entry]]] = {}
    for e in entries:  # newest first already; dicts keep that order
        days.setdefault(e.ref.date or UNDATED, {}).setdefault(e.ref.outlet, []).append(e)
    return tuple(
        Day(day, tuple(Outlet(name, tuple(es)) for name, es in outlets.items()))
        for day, outlets in days.items()
    )


def _people(
    refs: list[Reference], articles: list[ExportArticle], by_article: dict[int, list[ExportQuote]]
) -> tuple[Person, ...]:
    """Quotes by named speakers grouped by person, newest first within: one heading, the
    registry's display name, for "Trump" and "Donald J. Trump" when they are one person; a
    speaker the registry has no person for is grouped by name (case-insensitively).

    People are ordered by how much they said, then by name."""
    groups: dict[object, list[Cited]] = {}
    names: dict[object, str] = {}
    for ref, a in zip(refs, articles):  # newest article first
        for q in by_article[a.id]:
            if q.speaker and q.resolution != "description":  # "a spokesman" is no person
                key = q.person_id if q.person_id is not None else q.speaker.casefold()
                groups.setdefault(key, []).append(Cited(q, ref))
                names.setdefault(key, q.person or q.speaker)
    people = [Person(names[key], tuple(cited)) for key, cited in groups.items()]
    return tuple(sorted(people, key=lambda p: (-len(p.quotes), p.speaker.casefold())))


def _period(where: ExportFilter, articles: list[ExportArticle]) -> str:
    dates = sorted(a.published[:10] for a in articles if a.published)
    start = where.since or (dates[0] if dates else "")
    end = where.until or (dates[-1] if dates else "")
    if not start and not end:
        return "no dated articles"
    return start if start == end else f"{start or '…'} to {end or '…'}"
