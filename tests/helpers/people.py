"""Stores of hand-written articles for people tests: who speaks and who is named, by day."""

from __future__ import annotations

from typing import Any

from extract.models import Analysis, Entity, Quote
from extract.store import NewArticle, StoreApi
from extract.store.people_store import PeopleMethods


def quote(
    text: str,
    speaker: str,
    start: int,
    role: str | None = None,
    words: str = "words",
    resolution: str = "explicit",
) -> Quote:
    return Quote(
        kind="direct",
        text=words,
        spans=((start, start + 5),),
        speaker=speaker,
        speaker_mention=speaker,
        speaker_start=None,
        speaker_end=None,
        role=role,
        cue="said",
        resolution=resolution,
        sentence_start=0,
        sentence_end=len(text),
    )


def add(
    store: StoreApi,
    day: str,
    speakers: list[str],
    people: tuple[str, ...] = (),
    orgs: tuple[str, ...] = (),
    source: str = "Wire",
    roles: dict | None = None,
    said: dict | None = None,
) -> int:
    """An article of ``day`` whose quotes are by ``speakers`` and which names ``people``."""
    text = " ".join(["x" * 10] * 40)
    entities = tuple(Entity("PERSON", p, p, i, i + 1) for i, p in enumerate(people)) + tuple(
        Entity("ORG", o, o, 100 + i, 101 + i) for i, o in enumerate(orgs)
    )
    quotes = tuple(
        quote(text, s, 10 * i, (roles or {}).get(s), (said or {}).get(s, "words"))
        for i, s in enumerate(speakers)
    )
    return store.add_article(
        NewArticle(
            url=None,
            canonical_url=f"http://x/{day}/{speakers}/{people}",
            title="t",
            author=None,
            published=f"{day}T12:00:00+00:00",
            source=source,
            text=text,
            text_status="full_text",
        ),
        None,
        None,
        Analysis(entities, quotes, "test"),
    )


def one(store: PeopleMethods, sql: str, params: tuple[Any, ...] = ()) -> Any:
    """The first column of the first row of ``sql`` (``?`` placeholders), on either backend."""
    with store.reading_sql() as db:
        return db.one(sql, params)


def person_of(store: PeopleMethods, article_id: int, speaker: str) -> int | None:
    """The person the article's quote by ``speaker`` (as written) points at."""
    return one(
        store,
        "SELECT person_id FROM quotes WHERE article_id = ? AND speaker = ? ORDER BY id",
        (article_id, speaker),
    )
