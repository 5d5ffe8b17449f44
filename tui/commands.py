"""Command palette providers: the app's actions and filters, and quote search.

``BriefingCommands`` lists what the keys do plus one filter per feed and tag
(the article list's feed/tag filters live here rather than on more keys).
``QuoteCommands`` is quote lookup inside the palette: what you type is an FTS5
query over every stored quote, and choosing a hit opens its article there.
``PeopleCommands`` offers "Person: <name>" for the people a query names (the people
registry's lookup); choosing one opens the speaker profile.

The palette renders a plain ``str`` prompt or help as Textual markup, so every
prompt and help here is a ``Content`` built from plain text: feed, tag and
site names come from strangers ("Evil [/] News" would raise ``MarkupError``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from extract.safe_text import one_line
from extract.store import ArticleFilter
from extract.store.records import PersonRow
from tui.app_api import AppApi

if TYPE_CHECKING:
    from tui.app import BriefingApp

PERSON_MIN = 2  # letters typed before the registry is asked
PEOPLE_SHOWN = 8


class BriefingCommands(Provider):
    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = cast(AppApi, self.app)
        main = app.main_screen
        items: list[tuple[str, Callable[[], object], str]] = [
            ("Quote lookup", app.action_quote_lookup, "Search who said what, everywhere"),
            ("Refresh feeds", app.action_refresh, "Fetch new articles now"),
            ("Search articles", main.action_search, "Full-text search of titles and text"),
            ("Show all articles", main.show_all, "Clear the list filter"),
            ("Show or hide read articles", main.action_show_read, "u in the list"),
            ("Sort by date or by outlet", main.action_sort, "S in the list"),
            ("Date filter: today, 7 days, 30 days, any", main.action_date_filter, "D in the list"),
            ("Mark all read", main.action_mark_all_read, "Every article in the list (A)"),
            (
                "Show starred articles",
                partial(main.filter_articles, ArticleFilter(starred=True), "Starred"),
                "",
            ),
            (
                "Show unread articles",
                partial(main.filter_articles, ArticleFilter(unread=True), "Unread"),
                "",
            ),
            (
                "Export this view",
                main.action_export,
                "Write the listed articles as a cited briefing ([export] dir)",
            ),
            ("Keys", app.action_help, "Every key binding and its id"),
        ]
        briefing = cast("BriefingApp", self.app)  # the watch view needs the whole app
        if briefing.config.watches:
            from tui.watch_view import show_watch, unseen

            counts = unseen(briefing)
            for watch in briefing.config.watches:
                new = counts.get(watch.name, 0)
                items.append(
                    (
                        f"Watch: {one_line(watch.name)}",
                        partial(show_watch, briefing, watch.name),
                        f"{new} new {'hit' if new == 1 else 'hits'}",
                    )
                )
        feeds = app.store.feeds()
        for feed in feeds:
            name = one_line(feed.name)
            items.append(
                (
                    f"Feed: {name}",
                    partial(main.filter_articles, ArticleFilter(feed=feed.name), f"Feed {name}"),
                    f"{feed.article_count} articles",
                )
            )
        for tag in sorted({t for feed in feeds for t in feed.tags}):
            items.append(
                (
                    f"Tag: {one_line(tag)}",
                    partial(main.filter_articles, ArticleFilter(tag=tag), f"Tag {one_line(tag)}"),
                    "",
                )
            )
        return items

    async def discover(self) -> Hits:
        for name, command, help_text in self.commands():
            yield DiscoveryHit(Content(name), command, text=name, help=plain(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score, highlight(matcher, name), command, text=name, help=plain(help_text)
                )


class PeopleCommands(Provider):
    """ "Person: <name>" for the people of the registry a query names; choosing one opens
    their speaker profile. Asked of the store, not matched against every person (a big
    briefing has thousands): the registry's own lookup (any alias, a spelling variant, a
    surname), then names and aliases containing the words. "person:" before them is
    optional."""

    async def search(self, query: str) -> Hits:
        name = re.sub(r"^\s*person\b:?", "", query, flags=re.IGNORECASE).strip()
        if len(name) < PERSON_MIN:
            return
        app = cast(AppApi, self.app)
        store = app.store
        ids = [pid for pid, _ in store.people_named(name, PEOPLE_SHOWN)]
        ids += [i for i in store.people_containing(name, PEOPLE_SHOWN) if i not in ids]
        rows = [p for p in (store.person(i) for i in ids[:PEOPLE_SHOWN]) if p is not None]
        matcher = self.matcher(query)
        for rank, person in enumerate(rows):
            label = f"Person: {one_line(person.name)}"
            # The registry said so even where the letters differ ("Zelensky"): above quotes.
            score = max(matcher.match(label), 0.6 - rank / 100)
            yield Hit(
                score,
                highlight(matcher, label),
                partial(app.main_screen.open_profile, person.id, person.name),
                text=label,
                help=plain(person_help(person)),
            )


def person_help(person: PersonRow) -> str:
    quotes = f"{person.quotes} {'quote' if person.quotes == 1 else 'quotes'}"
    others = [a for a in person.aliases if a != person.name][:3]
    also = f" · also {', '.join(one_line(a) for a in others)}" if others else ""
    return f"Speaker profile · {quotes} in {person.articles} articles{also}"


class QuoteCommands(Provider):
    """Typing in the palette searches quotes; a hit opens the article at the quote."""

    async def search(self, query: str) -> Hits:
        app = cast(AppApi, self.app)
        results = app.store.search_quotes(query, 20)
        for rank, found in enumerate(results):
            speaker = one_line(found.quote.speaker) or "unattributed"
            words = one_line(found.quote.text)[:90]
            label = f"“{words}” — {speaker}"
            # FTS ranks them already; keep that order below the command hits
            yield Hit(
                0.5 - rank / 100,
                Content(label),
                partial(app.open_quote, found),
                text=label,
                help=plain(f"{one_line(found.source)} · {(found.published or '')[:10]}"),
            )


def plain(text: str) -> str | None:
    """Help text as literal characters (a plain ``str`` help is parsed as markup).

    Textual types ``help`` as ``str`` but renders a ``Content`` as it is."""
    return cast(str, Content(text)) if text else None


def highlight(matcher: Matcher, candidate: str) -> Content:
    """``Matcher.highlight`` without reading ``candidate`` as markup."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if score:
        for offset in offsets:
            if not candidate[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
