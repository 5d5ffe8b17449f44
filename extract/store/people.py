"""The people registry: linking each article's names to people, and the analyst's corrections.

All the SQL of people lives here; the decision of who is who is ``extract.people`` (pure).
Functions take the connection (inside the caller's transaction for writes), so linking an
article happens in the same transaction that writes its analysis.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from extract.errors import EXIT_FAILURES, BriefingError
from extract.people import Candidate, Link, Mention, decide, parse_name
from extract.people.linking import org_key
from extract.people.names import MAX_NAME_CHARS, display_name, visible
from extract.people.variants import same_given
from extract.people.words import title_gender
from extract.store.records import (
    EntityCount,
    Override,
    PersonAlias,
    PersonProfile,
    PersonRow,
    RoleSeen,
    utc_now,
)
from extract.store.sqlx import Row, Sql

ORG_LABELS = ("ORG", "GPE", "NORP")
PROFILE_ALIASES = 200  # a profile lists this many aliases (a person may have thousands)


class PeopleError(BriefingError):
    """A name that fits no one or several people, or a correction that cannot be made."""

    kind = "people"
    exit_code = EXIT_FAILURES  # like a search that found nothing: exit 1, candidates named


# -- linking -------------------------------------------------------------------


@dataclass(slots=True)
class _Names:
    """The names of one article: each mention (one per kind and key: "Donald J. Trump"
    and "Donald Trump" are one) with the stored strings that carry it."""

    mentions: dict[tuple[str, str], Mention] = field(default_factory=dict)
    speakers: dict[Mention, set[str]] = field(default_factory=dict)
    entities: dict[Mention, set[str]] = field(default_factory=dict)
    org_entities: set[str] = field(default_factory=set)  # linked only to orgs that speak

    def one(self, mention: Mention) -> Mention:
        return self.mentions.setdefault((mention.kind, mention.key), mention)


def link_all(conn: Sql) -> int:
    """Link every stored article, oldest first (as they would have been fetched)."""
    ids = [
        r[0]
        for r in conn.execute("SELECT id FROM articles ORDER BY published IS NULL, published, id")
    ]
    for article_id in ids:
        link_article(conn, article_id)
    return len(ids)


def link_article(tx: Sql, article_id: int) -> None:
    """Point the article's quotes and entities at their people, creating people as needed."""
    row = tx.execute("SELECT published FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        return
    published = row[0]
    tx.lock("people")  # two fetches linking one new name must not make two people
    names = _article_names(tx, article_id)
    mentions = list(names.mentions.values())
    if not mentions and not names.org_entities:
        return
    candidates = _candidates(tx, mentions, names.org_entities)
    in_article: dict[str, int] = {}
    # Full names first, so a surname alone can follow the full name of its own article.
    order = sorted(mentions, key=lambda m: (m.name is not None and m.name.surname_only, m.kind))
    for mention in order:
        if mention.kind == "person" and mention.name and mention.name.surname_only:
            _count_mentions(tx, candidates, mention)
        link = decide(mention, candidates, in_article, published)
        texts = names.speakers.get(mention, set()) | names.entities.get(mention, set())
        person_id = _apply(tx, link, mention, texts, article_id, published, candidates)
        if mention.name is not None and not mention.name.surname_only:
            in_article[mention.key] = person_id
        _point(
            tx,
            article_id,
            person_id,
            mention.kind,
            names.speakers.get(mention, ()),
            names.entities.get(mention, ()),
        )
    orgs = {c.person_id: c for c in candidates if c.kind == "org"}
    for text in names.org_entities:
        key = org_key(text)
        for c in orgs.values():
            if key in c.keys:
                _point(tx, article_id, c.person_id, "org", (), (text,))
                break


def _article_names(tx: Sql, article_id: int) -> _Names:
    names = _Names()
    labels: dict[str, str] = {}
    genders = _genders(tx, article_id)
    for canonical, label in tx.execute(
        "SELECT DISTINCT canonical, label FROM entities WHERE article_id = ?", (article_id,)
    ):
        labels.setdefault(canonical, label)
        if label == "PERSON":
            parsed = parse_name(canonical)
            if parsed:
                mention = names.one(Mention(canonical, "person", parsed, genders.get(canonical)))
                names.entities.setdefault(mention, set()).add(canonical)
        elif label in ORG_LABELS:
            names.org_entities.add(canonical)
    for (speaker,) in tx.execute(
        "SELECT DISTINCT speaker FROM quotes WHERE article_id = ? AND speaker IS NOT NULL",
        (article_id,),
    ):
        said = _speaker_mention(speaker, labels.get(speaker), genders.get(speaker))
        if said is not None:
            names.speakers.setdefault(names.one(said), set()).add(speaker)
    # An org that speaks is linked as a speaker; its entity rows follow it.
    for mention in names.speakers:
        if mention.kind == "org":
            texts = {t for t in names.org_entities if org_key(t) == mention.key}
            names.entities.setdefault(mention, set()).update(texts)
            names.org_entities -= texts
    return names


def _genders(tx: Sql, article_id: int) -> dict[str, str]:
    """Name -> the gender an honorific gives it where it was written ("Mr. Obama")."""
    found: dict[str, set[str]] = {}
    for name, written in tx.execute(
        "SELECT canonical, text FROM entities WHERE article_id = ? AND label = 'PERSON' "
        "UNION SELECT speaker, speaker_mention FROM quotes WHERE article_id = ? AND "
        "speaker IS NOT NULL AND speaker_mention IS NOT NULL",
        (article_id, article_id),
    ):
        first = written.split(maxsplit=1)[0] if written.strip() else ""
        gender = title_gender(first)
        if gender:
            found.setdefault(name, set()).add(gender)
    return {name: g.pop() for name, g in found.items() if len(g) == 1}


def _speaker_mention(speaker: str, label: str | None, gender: str | None = None) -> Mention | None:
    if label in ORG_LABELS:
        key = org_key(speaker)
        return Mention(speaker, "org") if key and len(speaker) <= MAX_NAME_CHARS else None
    parsed = parse_name(speaker)  # a nominal speaker ("the mayor") is nobody's alias
    return Mention(speaker, "person", parsed, gender) if parsed else None


def _candidates(tx: Sql, mentions: list[Mention], org_texts: Iterable[str]) -> list[Candidate]:
    keys = {m.key for m in mentions} | {org_key(t) for t in org_texts}
    surnames = {m.name.surname_key for m in mentions if m.name}
    found: dict[int, Candidate] = {}
    rows = []
    for part in _chunks(sorted(keys)):
        rows += tx.execute(
            "SELECT DISTINCT a.person_id FROM person_aliases a WHERE "
            + tx.one_of("a.key", len(part)),
            part,
        ).fetchall()
    for part in _chunks(sorted(surnames)):
        rows += tx.execute(
            "SELECT DISTINCT a.person_id FROM person_aliases a WHERE "
            + tx.one_of("a.surname_key", len(part)),
            part,
        ).fetchall()
    ids = sorted({r[0] for r in rows})
    for part in _chunks(ids):
        marks = ",".join("?" * len(part))
        for pid, name, kind, first, last in tx.execute(
            f"SELECT id, name, kind, first_seen, last_seen FROM people WHERE id IN ({marks})", part
        ):
            found[pid] = Candidate(pid, name, kind, first_seen=first, last_seen=last)
        # The distinct names of each person, not every alias as written: a person with
        # 10,000 aliases costs as many rows as it has distinct (key, given, surname) ones.
        for pid, key, given, surname_key in tx.execute(
            "SELECT DISTINCT person_id, key, given, surname_key FROM person_aliases "
            f"WHERE person_id IN ({marks}) AND ({tx.one_of('key', len(keys))} OR "
            f"{tx.one_of('surname_key', len(surnames))})",
            (*part, *sorted(keys), *sorted(surnames)),
        ):
            c = found[pid]
            c.keys.add(key)
            if given:
                c.givens.add(given)
            c.surname_keys.add(surname_key)
        for pid, key in tx.execute(
            f"SELECT person_id, key FROM person_blocks WHERE person_id IN ({marks})", part
        ):
            found[pid].blocked.add(key)
    return list(found.values())


def _chunks(values: list, size: int = 400) -> Iterable[list]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _count_mentions(tx: Sql, candidates: list[Candidate], mention: Mention) -> None:
    """Mention counts, for a surname shared by two or more people (only then needed)."""
    assert mention.name is not None
    family = [
        c
        for c in candidates
        if mention.name.surname_key in c.surname_keys and c.givens and not c.mentions
    ]
    if len(family) < 2:
        return
    for c in family:
        c.mentions = tx.execute(
            "SELECT (SELECT count(*) FROM quotes WHERE person_id = ?) + "
            "(SELECT count(*) FROM entities WHERE person_id = ?)",
            (c.person_id, c.person_id),
        ).fetchone()[0]


def _apply(
    tx: Sql,
    link: Link,
    mention: Mention,
    texts: set[str],
    article_id: int,
    published: str | None,
    candidates: list[Candidate],
) -> int:
    """Write the decision: a new person or the link; the aliases with why; seen dates."""
    if link.person_id is None:
        name = display_name(mention.text)
        person_id = tx.insert_id(
            "INSERT INTO people (name, kind, first_seen, last_seen, created_at) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            (name, mention.kind, published, published, utc_now()),
        )
        candidate = Candidate(
            person_id, name, mention.kind, first_seen=published, last_seen=published
        )
        candidates.append(candidate)
    else:
        person_id = link.person_id
        candidate = next(c for c in candidates if c.person_id == person_id)
        if published and not (
            candidate.first_seen
            and candidate.last_seen
            and candidate.first_seen <= published <= candidate.last_seen
        ):
            tx.execute(
                "UPDATE people SET first_seen = CASE WHEN first_seen IS NULL OR first_seen > ? "
                "THEN ? ELSE first_seen END, last_seen = CASE WHEN last_seen IS NULL OR "
                "last_seen < ? THEN ? ELSE last_seen END WHERE id = ?",
                (published, published, published, published, person_id),
            )
            candidate.first_seen = min(candidate.first_seen or published, published)
            candidate.last_seen = max(candidate.last_seen or published, published)
        if mention.name and not mention.name.surname_only and candidate.surname_only:
            # The first full name of someone known by the surname alone names them.
            tx.execute(
                "UPDATE people SET name = ? WHERE id = ? AND renamed = 0",
                (display_name(mention.text), person_id),
            )
    given = _given_for(mention, candidate)
    surname = mention.name.surname_key if mention.name else mention.key
    candidate.keys.add(mention.key)
    candidate.surname_keys.add(surname)
    if given:
        candidate.givens.add(given)
    tx.executemany(
        "INSERT INTO person_aliases (person_id, alias, key, given, surname_key, why, "
        "article_id, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [
            (person_id, t, mention.key, given, surname, link.why, article_id, utc_now())
            for t in sorted(texts)
        ],
    )
    return person_id


def _given_for(mention: Mention, c: Candidate) -> str:
    """The given name to file the alias under: the word that agreed with the person's."""
    if mention.name is None:
        return ""
    for word in (mention.name.given, *mention.name.others):
        if any(same_given(word, g) for g in c.givens):
            return word
    return mention.name.given


def _point(
    tx: Sql,
    article_id: int,
    person_id: int,
    kind: str,
    speakers: Iterable[str],
    entities: Iterable[str],
) -> None:
    # One statement per person, names as a JSON list: one pass over the article's rows
    # however many names (a statement per name was quadratic on a hostile article).
    labels = ("PERSON",) if kind == "person" else ORG_LABELS
    speakers, entities = sorted(speakers), sorted(entities)
    if speakers:
        tx.execute(
            f"UPDATE quotes SET person_id = ? WHERE article_id = ? AND {tx.in_values('speaker')}",
            (person_id, article_id, tx.values(speakers)),
        )
    if entities:
        tx.execute(
            f"UPDATE entities SET person_id = ? WHERE article_id = ? AND "
            f"{tx.in_values('canonical')} AND {tx.one_of('label', len(labels))}",
            (person_id, article_id, tx.values(entities), *labels),
        )


# -- reading -------------------------------------------------------------------


def _person_columns(conn: Sql) -> str:
    """A person's row and counts in one query (one round trip to a server, not three):
    each count and the first aliases read through the indexes by person."""
    return (
        "p.id, p.name, p.kind, p.first_seen, p.last_seen, "
        "(SELECT count(*) FROM quotes q WHERE q.person_id = p.id) AS n_quotes, "
        "(SELECT count(*) FROM entities e WHERE e.person_id = p.id) AS n_mentions, "
        "(SELECT count(*) FROM person_aliases a WHERE a.person_id = p.id) AS n_aliases, "
        "(SELECT count(*) FROM (SELECT article_id FROM quotes WHERE person_id = p.id UNION "
        "SELECT article_id FROM entities WHERE person_id = p.id) AS seen_in) AS n_articles, "
        f"(SELECT {conn.json_list('x.alias')} FROM (SELECT alias FROM person_aliases "
        "WHERE person_id = p.id ORDER BY id LIMIT 5) AS x) AS first_aliases"
    )


def _person_row(r: Row) -> PersonRow:
    return PersonRow(
        r["id"],
        r["name"],
        r["kind"],
        r["n_quotes"],
        r["n_mentions"],
        r["n_articles"],
        r["first_seen"],
        r["last_seen"],
        tuple(json.loads(r["first_aliases"])),
        r["n_aliases"],
    )


def people(conn: Sql, search: str | None = None, limit: int = 1000) -> list[PersonRow]:
    """People, most quoted first; with ``search``, those with a name or alias containing it."""
    where, params = "", []
    if search:
        like = conn.like
        where = (
            f"WHERE p.id IN (SELECT person_id FROM person_aliases WHERE alias {like} ? "
            f"ESCAPE '\\' OR key {like} ? ESCAPE '\\') OR p.name {like} ? ESCAPE '\\'"
        )
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", search) + "%"
        params = [pattern, pattern, pattern]
    rows = conn.execute(
        f"SELECT {_person_columns(conn)} FROM people p {where} "
        "ORDER BY n_quotes DESC, n_mentions DESC, p.id LIMIT ?",
        (*params, limit),
    )
    return [_person_row(r) for r in rows.fetchall()]


def person(conn: Sql, person_id: int) -> PersonRow | None:
    r = conn.execute(
        f"SELECT {_person_columns(conn)} FROM people p WHERE p.id = ?", (person_id,)
    ).fetchone()
    return _person_row(r) if r else None


def find_people(conn: Sql, name: str) -> list[PersonRow]:
    """The people ``name`` may mean: an id ("#12"), a display name or alias as written, the
    same name spelled plainly, or a surname. Exact matches win over looser ones."""
    return [p for p in (person(conn, i) for i in person_ids(conn, name)) if p]


def person_ids(conn: Sql, name: str) -> list[int]:
    """The ids ``find_people`` would list, without reading each person's counts."""
    name = name.strip()
    if re.fullmatch(r"#?\d+", name):
        row = conn.execute("SELECT id FROM people WHERE id = ?", (int(name.lstrip("#")),))
        return [r[0] for r in row]
    if not name or len(name) > MAX_NAME_CHARS:
        return []
    for sql, value in _lookups(conn, name):
        ids = [r[0] for r in conn.execute(sql, (value,))]
        if ids:
            return list(dict.fromkeys(ids))
    return []


def people_named(conn: Sql, name: str, limit: int = 5) -> list[tuple[int, str]]:
    """The people ``name`` may mean (as ``person_ids``) as (id, display name), most quoted
    first, at most ``limit``: for a lookup as you type, where a shared surname lists each."""
    ids = [] if re.fullmatch(r"#?\d+", name.strip()) else person_ids(conn, name)
    if not ids:
        return []
    rows = conn.execute(
        "SELECT p.id, p.name, (SELECT count(*) FROM quotes q WHERE q.person_id = p.id) AS n "
        f"FROM people p WHERE {conn.in_values('p.id')} "
        "ORDER BY n DESC, p.id LIMIT ?",
        (conn.values(ids), limit),
    )
    return [(r[0], r[1]) for r in rows]


CONTAINING_SCAN = 200  # people with a matching alias ranked by the palette, at most


def people_containing(conn: Sql, text: str, limit: int = 8) -> list[int]:
    """People with an alias containing ``text``, most quoted first, for the palette: the
    first ``CONTAINING_SCAN`` such people only are ranked, so a two-letter query on a
    briefing of thousands of people costs one pass over the aliases, not a count each."""
    like = "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"
    rows = conn.execute(
        "SELECT p.id, (SELECT count(*) FROM quotes q WHERE q.person_id = p.id) AS n FROM "
        "people p WHERE p.id IN (SELECT DISTINCT person_id FROM person_aliases WHERE alias "
        f"{conn.like} ? ESCAPE '\\' LIMIT ?) ORDER BY n DESC, p.id LIMIT ?",
        (like, CONTAINING_SCAN, limit),
    )
    return [r[0] for r in rows]


def _lookups(conn: Sql, name: str) -> list[tuple[str, str]]:
    steps = [
        (f"SELECT id FROM people WHERE {conn.nocase('name')} ORDER BY id", name),
        (
            f"SELECT person_id FROM person_aliases WHERE {conn.nocase('alias')} ORDER BY person_id",
            name,
        ),
    ]
    parsed = parse_name(name) or parse_name(name.title())  # typed in lower case
    if parsed:
        steps.append(
            ("SELECT person_id FROM person_aliases WHERE key = ? ORDER BY person_id", parsed.key)
        )
        if parsed.surname_only:
            steps.append(
                (
                    "SELECT DISTINCT a.person_id FROM person_aliases a JOIN people p "
                    "ON p.id = a.person_id WHERE a.surname_key = ? AND p.kind = 'person' "
                    "ORDER BY a.person_id",
                    parsed.surname_key,
                )
            )
    else:
        steps.append(
            ("SELECT person_id FROM person_aliases WHERE key = ? ORDER BY person_id", org_key(name))
        )
    return steps


def profile(conn: Sql, person_id: int) -> PersonProfile | None:
    row = person(conn, person_id)
    if row is None:
        return None
    aliases = tuple(
        PersonAlias(*r)
        for r in conn.execute(
            "SELECT alias, why, article_id FROM person_aliases WHERE person_id = ? ORDER BY id "
            "LIMIT ?",
            (person_id, PROFILE_ALIASES),
        )
    )
    roles = tuple(
        RoleSeen(*r)
        for r in conn.execute(
            "SELECT role, max(published), source FROM ("
            "SELECT q.role, a.published, a.source FROM quotes q JOIN articles a "
            "ON a.id = q.article_id WHERE q.person_id = ? AND q.role IS NOT NULL UNION ALL "
            "SELECT e.role, a.published, a.source FROM entities e JOIN articles a "
            "ON a.id = e.article_id WHERE e.person_id = ? AND e.role IS NOT NULL) AS r "
            "GROUP BY role, source ORDER BY max(published) DESC NULLS LAST LIMIT 50",
            (person_id, person_id),
        )
    )
    outlets = tuple(
        (r[0], r[1])
        for r in conn.execute(
            "SELECT a.source, count(*) FROM quotes q JOIN articles a ON a.id = q.article_id "
            "WHERE q.person_id = ? GROUP BY a.source ORDER BY count(*) DESC, a.source LIMIT 20",
            (person_id,),
        )
    )
    with_entities = tuple(
        EntityCount(*r)
        for r in conn.execute(
            "SELECT e.label, e.canonical, max(e.role), count(DISTINCT e.article_id) AS n "
            "FROM entities e WHERE e.article_id IN (SELECT article_id FROM quotes "
            "WHERE person_id = ?) AND (e.person_id IS NULL OR e.person_id != ?) "
            "GROUP BY e.label, e.canonical ORDER BY n DESC, e.canonical LIMIT 15",
            (person_id, person_id),
        )
    )
    return PersonProfile(row, aliases, roles, outlets, with_entities)


def entity_counts(conn: Sql, article_id: int) -> list[EntityCount]:
    """The article's names with counts, the names of one person as one entry ("Donald J.
    Trump" and "Donald Trump" in one article): shown as the name written most often,
    counted together, with the person's id so pivots and profiles need no name lookup."""
    rows = conn.execute(
        "SELECT label, canonical, max(role) AS role, count(*) AS n, max(person_id) AS pid "
        "FROM entities WHERE article_id = ? GROUP BY label, canonical "
        "ORDER BY label, count(*) DESC, canonical",
        (article_id,),
    )
    groups: dict[tuple[str, object], list[Row]] = {}
    for r in rows:
        key = (r["label"], r["pid"] if r["pid"] is not None else ("name", r["canonical"]))
        groups.setdefault(key, []).append(r)
    counts = []
    for group in groups.values():
        top = group[0]  # the most mentioned (rows come most mentioned first)
        roles = [r["role"] for r in group if r["role"]]
        counts.append(
            EntityCount(
                label=top["label"],
                canonical=top["canonical"],
                role=max(roles) if roles else None,
                count=sum(r["n"] for r in group),
                person_id=top["pid"],
                names=tuple(r["canonical"] for r in group) if len(group) > 1 else (),
            )
        )
    return sorted(counts, key=lambda c: (c.label, -c.count, c.canonical))


def overrides(conn: Sql) -> list[Override]:
    by = "o.user_name" if conn.pg else "''"  # who corrected: kept on PostgreSQL only
    return [
        Override(*r)
        for r in conn.execute(
            f"SELECT o.id, o.action, o.detail, o.person_id, p.name, o.created_at, {by} "
            "FROM person_overrides o LEFT JOIN people p ON p.id = o.person_id ORDER BY o.id"
        )
    ]


# -- the analyst's corrections -------------------------------------------------


def _existing(tx: Sql, person_id: int) -> Row:
    row = tx.execute("SELECT id, name, kind FROM people WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        raise PeopleError(
            f"no person #{person_id} (merged away or never there; "
            "`briefing people --search NAME` lists who there is)"
        )
    return row


def merge(tx: Sql, source_id: int, into_id: int) -> None:
    """``source`` is ``into``: every alias, quote and mention moves over; source is gone.

    Later fetches link the moved aliases to ``into`` by name, so the merge holds."""
    if source_id == into_id:
        raise PeopleError(f"cannot merge #{source_id} into itself")
    tx.lock("people")  # not while a fetch links names to either of them
    source, into = _existing(tx, source_id), _existing(tx, into_id)
    tx.execute(
        "INSERT INTO person_aliases (person_id, alias, key, given, "
        "surname_key, why, article_id, added_at) SELECT ?, alias, key, given, "
        "surname_key, ?, article_id, added_at FROM person_aliases WHERE person_id = ? "
        "ON CONFLICT DO NOTHING",
        (into_id, f"merged by the analyst from '{source['name']}'", source_id),
    )
    tx.execute(
        "INSERT INTO person_blocks (person_id, key) SELECT ?, key "
        "FROM person_blocks WHERE person_id = ? ON CONFLICT DO NOTHING",
        (into_id, source_id),
    )
    for table in ("quotes", "entities"):
        tx.execute(f"UPDATE {table} SET person_id = ? WHERE person_id = ?", (into_id, source_id))
    tx.execute(
        "UPDATE people SET first_seen = (SELECT min(first_seen) FROM people WHERE id IN "
        "(?, ?)), last_seen = (SELECT max(last_seen) FROM people WHERE id IN (?, ?)) "
        "WHERE id = ?",
        (source_id, into_id, source_id, into_id, into_id),
    )
    tx.execute(
        "UPDATE person_overrides SET person_id = ? WHERE person_id = ?", (into_id, source_id)
    )
    tx.execute("DELETE FROM people WHERE id = ?", (source_id,))
    _log(
        tx,
        "merge",
        f"merged '{source['name']}' (#{source_id}) into '{into['name']}' (#{into_id})",
        into_id,
    )


def split(tx: Sql, person_id: int, alias: str) -> int:
    """Take ``alias`` (and the aliases spelled the same) off a person into a new person.
    The old person never takes that name again by a rule; returns the new person's id."""
    tx.lock("people")
    row = _existing(tx, person_id)
    parsed = parse_name(alias)
    key = parsed.key if parsed else org_key(alias)
    moving = tx.execute(
        "SELECT id, alias FROM person_aliases WHERE person_id = ? AND "
        f"({tx.nocase('alias')} OR key = ?)",
        (person_id, alias, key),
    ).fetchall()
    if not moving:
        raise PeopleError(f"'{row['name']}' (#{person_id}) has no alias '{alias}'")
    total = tx.execute(
        "SELECT count(*) FROM person_aliases WHERE person_id = ?", (person_id,)
    ).fetchone()[0]
    if len(moving) == total:
        raise PeopleError(
            f"'{alias}' is every name '{row['name']}' (#{person_id}) has; rename the person instead"
        )
    new_id = tx.insert_id(
        "INSERT INTO people (name, kind, first_seen, last_seen, created_at) "
        "SELECT ?, kind, first_seen, last_seen, ? FROM people WHERE id = ? RETURNING id",
        (display_name(moving[0][1]), utc_now(), person_id),
    )
    ids = [m[0] for m in moving]
    texts = [m[1] for m in moving]
    marks = ",".join("?" * len(ids))
    tx.execute(
        f"UPDATE person_aliases SET person_id = ?, why = ? WHERE id IN ({marks})",
        (new_id, f"split off '{row['name']}' by the analyst", *ids),
    )
    tmarks = ",".join("?" * len(texts))
    tx.execute(
        f"UPDATE quotes SET person_id = ? WHERE person_id = ? AND speaker IN ({tmarks})",
        (new_id, person_id, *texts),
    )
    tx.execute(
        f"UPDATE entities SET person_id = ? WHERE person_id = ? AND canonical IN ({tmarks})",
        (new_id, person_id, *texts),
    )
    tx.execute(
        "INSERT INTO person_blocks (person_id, key) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (person_id, key),
    )
    _log(tx, "split", f"split '{alias}' off '{row['name']}' (#{person_id}) as #{new_id}", new_id)
    return new_id


def rename(tx: Sql, person_id: int, name: str) -> None:
    """Show the person as ``name`` from now on (kept through later fetches)."""
    clean = visible(name)
    if not clean:
        raise PeopleError("a person's name cannot be empty")
    if len(clean) > MAX_NAME_CHARS:
        raise PeopleError(f"a person's name is at most {MAX_NAME_CHARS} characters")
    tx.lock("people")
    row = _existing(tx, person_id)
    tx.execute("UPDATE people SET name = ?, renamed = 1 WHERE id = ?", (clean, person_id))
    _log(tx, "rename", f"renamed '{row['name']}' (#{person_id}) to '{clean}'", person_id)


def _log(tx: Sql, action: str, detail: str, person_id: int | None) -> None:
    """Keep the correction, with who made it where a store is a team's (PostgreSQL: the
    ``[user] name`` of the analyst; a SQLite file is one analyst's and keeps no name)."""
    if tx.pg:
        tx.execute(
            "INSERT INTO person_overrides (action, detail, person_id, created_at, user_name) "
            "VALUES (?, ?, ?, ?, ?)",
            (action, detail, person_id, utc_now(), tx.user),
        )
        return
    tx.execute(
        "INSERT INTO person_overrides (action, detail, person_id, created_at) VALUES (?, ?, ?, ?)",
        (action, detail, person_id, utc_now()),
    )
