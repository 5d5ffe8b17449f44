"""The person methods of both stores, written once over ``people.py``.

``Store`` (SQLite) and ``PgStore`` (PostgreSQL) each say how to get a ``Sql`` to read with
and one to write with (a transaction); everything else is here.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from extract.store import people as people_sql
from extract.store.records import EntityCount, Override, PersonProfile, PersonRow
from extract.store.sqlx import Sql


class PeopleMethods:
    """The people registry's reads and the analyst's corrections, for either backend."""

    def reading_sql(self) -> AbstractContextManager[Sql]:
        raise NotImplementedError

    def writing_sql(self) -> AbstractContextManager[Sql]:
        """One transaction: all or nothing."""
        raise NotImplementedError

    def entity_counts(self, article_id: int) -> list[EntityCount]:
        """The article's names with counts, one entry per person however written."""
        with self.reading_sql() as db:
            return people_sql.entity_counts(db, article_id)

    def people(self, search: str | None = None, limit: int = 1000) -> list[PersonRow]:
        with self.reading_sql() as db:
            return people_sql.people(db, search, limit)

    def person(self, person_id: int) -> PersonRow | None:
        with self.reading_sql() as db:
            return people_sql.person(db, person_id)

    def find_people(self, name: str) -> list[PersonRow]:
        """Who ``name`` may mean (an id, a name or alias, a surname); exact matches first."""
        with self.reading_sql() as db:
            return people_sql.find_people(db, name)

    def people_named(self, name: str, limit: int = 5) -> list[tuple[int, str]]:
        """(id, display name) of the people a typed name may mean, most quoted first."""
        with self.reading_sql() as db:
            return people_sql.people_named(db, name, limit)

    def people_containing(self, text: str, limit: int = 8) -> list[int]:
        """Ids of people with an alias containing ``text``, most quoted first (cheaply)."""
        with self.reading_sql() as db:
            return people_sql.people_containing(db, text, limit)

    def person_ids(self, name: str) -> list[int]:
        """The ids ``find_people`` would list, without reading each person's counts."""
        with self.reading_sql() as db:
            return people_sql.person_ids(db, name)

    def person_profile(self, person_id: int) -> PersonProfile | None:
        with self.reading_sql() as db:
            return people_sql.profile(db, person_id)

    def person_of_quote(self, quote_id: int) -> int | None:
        with self.reading_sql() as db:
            found = db.one("SELECT person_id FROM quotes WHERE id = ?", (quote_id,))
        return int(found) if found is not None else None

    def person_named_in(self, article_id: int, speaker: str) -> int | None:
        """The person a speaker of an article (as stored) was linked to."""
        with self.reading_sql() as db:
            found = db.one(
                "SELECT person_id FROM quotes WHERE article_id = ? AND speaker = ? AND "
                "person_id IS NOT NULL LIMIT 1",
                (article_id, speaker),
            )
        return int(found) if found is not None else None

    def merge_people(self, source_id: int, into_id: int) -> None:
        with self.writing_sql() as db:
            people_sql.merge(db, source_id, into_id)

    def split_person(self, person_id: int, alias: str) -> int:
        with self.writing_sql() as db:
            return people_sql.split(db, person_id, alias)

    def rename_person(self, person_id: int, name: str) -> None:
        with self.writing_sql() as db:
            people_sql.rename(db, person_id, name)

    def person_overrides(self) -> list[Override]:
        with self.reading_sql() as db:
            return people_sql.overrides(db)

    def relink_people(self) -> int:
        """Link every article again (aliases and corrections kept); returns articles."""
        with self.writing_sql() as db:
            return people_sql.link_all(db)
