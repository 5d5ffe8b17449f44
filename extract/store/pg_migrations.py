"""The PostgreSQL schema, as a list of migrations applied in order (like ``migrations.py``).

``briefing_schema.version`` holds how many migrations a database has had (SQLite keeps it
in ``PRAGMA user_version``). A new migration is appended, never edited. Dates stay ISO 8601
text, as in SQLite, so both stores sort and compare them the same way and copy 1:1.

What differs from SQLite, and why:

- search: a ``tsvector`` column kept by PostgreSQL (title weighted above text; speaker above
  the quote's words) with a GIN index, in the ``briefing`` text search configuration:
  ``simple`` (no stemming, no stop words, like FTS5's unicode61) plus ``unaccent`` when the
  server has it (``prepare`` below), so "Zelenskyy" finds "Zelenskyý" as FTS5's
  ``remove_diacritics`` does;
- read and starred are each analyst's own (``article_state``, by ``[user] name``), not a
  column of the shared article;
- watch hits "seen" are each analyst's own too (``watch_seen``); corrections to people
  name the analyst (``person_overrides.user_name``);
- feeds carry a claim (``claimed_by``, ``claimed_at``): fetch processes on several machines
  take feeds with ``SELECT ... FOR UPDATE SKIP LOCKED`` and never poll one twice.
"""

from __future__ import annotations

# Search ranking in the server, one round trip per search (pg_search.py says how it ranks;
# under load each round trip cost ~4 ms, and a search in Python took 7 to 10 of them).
# ``briefing_newest``: the ids of the newest ``n`` rows (down to id ``floor``) meeting
# ``cond`` ($1 the tier's query, $2 the whole query), read in ranges of ids growing back
# from the newest when ``walk``; else in one go from the GIN bitmap, the range a filter
# only (``id + 0``: the planner walked an article range, unpacking each large vector).
# Each EXECUTE is planned for its own words and range. ``briefing_ranked``: the tiers.
RANKED = """
    CREATE FUNCTION briefing_newest(tbl text, cond text, tier tsquery, q tsquery, n integer,
                                    top bigint, floor bigint, walk boolean, first_span bigint)
    RETURNS bigint[] LANGUAGE plpgsql AS $f$
    DECLARE
        span bigint := CASE WHEN walk THEN first_span ELSE top END;
        col text := CASE WHEN walk THEN 'id' ELSE '(id + 0)' END;
        low bigint;
        ids bigint[];
    BEGIN
        LOOP
            low := greatest(floor, top - span);
            EXECUTE format('SELECT coalesce(array_agg(id ORDER BY id DESC), ''{}'') FROM '
                           '(SELECT id FROM %I WHERE %s%s ORDER BY id DESC LIMIT $3) m',
                           tbl, cond, CASE WHEN low > 0 THEN ' AND ' || col || ' >= $4'
                                           ELSE '' END)
                INTO ids USING tier, q, n, low;
            IF cardinality(ids) = n OR low = floor THEN
                RETURN ids;
            END IF;
            span := span * 8;
        END LOOP;
    END $f$;

    CREATE FUNCTION briefing_ranked(tbl text, q tsquery, must tsquery, adjacent tsquery,
                                    excludes boolean, lim integer, rank_window integer,
                                    first_span integer)
    RETURNS TABLE (rid bigint, rank bigint) LANGUAGE plpgsql ROWS 50 AS $f$
    DECLARE
        walk boolean := tbl = 'quotes';
        fields text := CASE tbl
            WHEN 'quotes' THEN $c$to_tsvector('briefing'::regconfig,
                coalesce(speaker, '') || ' ' || coalesce(role, '')) @@ $1$c$
            ELSE $c$to_tsvector('briefing'::regconfig, title) @@ $1$c$ END;
        top bigint;
        newest bigint[];
        found bigint[] := '{}';
        oldest bigint;
        span bigint;
    BEGIN
        IF tbl NOT IN ('quotes', 'articles') THEN
            RAISE EXCEPTION 'briefing_ranked: no table %', tbl;
        END IF;
        EXECUTE format('SELECT max(id) FROM %I', tbl) INTO top;  -- the index's last key
        IF top IS NULL THEN
            RETURN;
        END IF;
        PERFORM set_config('enable_seqscan', 'off', true);
        PERFORM set_config('enable_indexscan', CASE WHEN walk THEN 'on' ELSE 'off' END, true);
        newest := briefing_newest(tbl, 'search @@ $2', NULL, q, 2 * lim, top, 0, walk,
                                  first_span);
        IF cardinality(newest) = 0 THEN
            RETURN;
        END IF;
        oldest := newest[cardinality(newest)];
        IF cardinality(newest) = 2 * lim THEN
            span := newest[1] - oldest + 1;
            oldest := greatest(0, newest[1] - span * rank_window / cardinality(newest));
        END IF;
        PERFORM set_config('enable_indexscan', 'off', true);
        IF excludes THEN
            fields := fields || ' AND search @@ $2';
        END IF;
        found := briefing_newest(tbl, fields, must, q, lim, top, oldest, walk, first_span);
        IF adjacent IS NOT NULL AND cardinality(found) < lim THEN
            found := found || briefing_newest(tbl, 'search @@ $1', adjacent, q, lim, top,
                                              oldest, walk, first_span);
        END IF;
        RETURN QUERY SELECT r.id, min(r.n) FROM unnest(found || newest)
            WITH ORDINALITY AS r(id, n) GROUP BY r.id ORDER BY min(r.n) LIMIT lim;
    END $f$;
"""

PG_MIGRATIONS: list[str] = [
    # 1: feeds (with claims), articles, their feed links, entities, quotes, search
    # vectors, and each analyst's read and starred state.
    """
    CREATE TABLE feeds (
        id BIGSERIAL PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        url TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '',
        title TEXT,
        etag TEXT,
        last_modified TEXT,
        last_status TEXT,
        last_error TEXT,
        checked_at TEXT,
        claimed_by TEXT,
        claimed_at TIMESTAMPTZ
    );
    CREATE TABLE articles (
        id BIGSERIAL PRIMARY KEY,
        url TEXT,
        canonical_url TEXT UNIQUE,
        title TEXT NOT NULL,
        author TEXT,
        published TEXT,
        source TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        html_zlib BYTEA,
        text_status TEXT NOT NULL CHECK (text_status IN ('full_text', 'feed_summary', 'failed')),
        text_reason TEXT,
        summary TEXT NOT NULL DEFAULT '',
        language TEXT,
        content_hash TEXT,
        cleaned_with TEXT,
        analysed_with TEXT,
        analysis_skipped TEXT,
        quote_count INTEGER NOT NULL DEFAULT 0,
        content_type TEXT,
        added_at TEXT NOT NULL,
        search TSVECTOR GENERATED ALWAYS AS (
            setweight(to_tsvector('briefing', title), 'A')
            || setweight(to_tsvector('briefing', text), 'D')
        ) STORED
    );
    CREATE INDEX articles_by_date ON articles (published DESC NULLS LAST, id DESC);
    CREATE INDEX articles_by_hash ON articles (content_hash);
    CREATE INDEX articles_search ON articles USING GIN (search);
    CREATE TABLE article_feeds (
        article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        feed_id BIGINT NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
        guid TEXT NOT NULL,
        PRIMARY KEY (feed_id, guid)
    );
    CREATE INDEX article_feeds_by_article ON article_feeds (article_id, feed_id);
    CREATE TABLE entities (
        id BIGSERIAL PRIMARY KEY,
        article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        text TEXT NOT NULL,
        canonical TEXT NOT NULL,
        role TEXT,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL
    );
    CREATE INDEX entities_by_article ON entities (article_id, start);
    CREATE INDEX entities_by_name ON entities (canonical, label, article_id);
    CREATE TABLE quotes (
        id BIGSERIAL PRIMARY KEY,
        article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('direct', 'indirect')),
        text TEXT NOT NULL,
        spans TEXT NOT NULL,
        speaker TEXT,
        speaker_mention TEXT,
        speaker_start INTEGER,
        speaker_end INTEGER,
        role TEXT,
        cue TEXT,
        resolution TEXT NOT NULL CHECK (resolution IN ('explicit', 'description', 'pronoun',
                                                       'inherited', 'none')),
        sentence_start INTEGER NOT NULL,
        sentence_end INTEGER NOT NULL,
        search TSVECTOR GENERATED ALWAYS AS (
            setweight(to_tsvector('briefing', coalesce(speaker, '')), 'A')
            || setweight(to_tsvector('briefing', text || ' ' || coalesce(role, '')), 'D')
        ) STORED
    );
    CREATE INDEX quotes_by_article ON quotes (article_id, sentence_start);
    CREATE INDEX quotes_by_speaker ON quotes (lower(speaker), article_id);
    CREATE INDEX quotes_search ON quotes USING GIN (search);
    CREATE TABLE article_state (
        user_name TEXT NOT NULL,
        article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        read BOOLEAN NOT NULL DEFAULT false,
        starred BOOLEAN NOT NULL DEFAULT false,
        PRIMARY KEY (user_name, article_id)
    );
    """,
    # 2: the people registry, as SQLite's migration 5 (one ``people.py`` runs on both):
    # people, their aliases with why, blocked names, the corrections, and each quote's and
    # entity's person. Shared by the team; a correction names the analyst who made it.
    """
    CREATE TABLE people (
        id BIGSERIAL PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('person', 'org')),
        renamed INTEGER NOT NULL DEFAULT 0,
        first_seen TEXT,
        last_seen TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE person_aliases (
        id BIGSERIAL PRIMARY KEY,
        person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
        alias TEXT NOT NULL,
        key TEXT NOT NULL,
        given TEXT NOT NULL DEFAULT '',
        surname_key TEXT NOT NULL,
        why TEXT NOT NULL,
        article_id BIGINT REFERENCES articles (id) ON DELETE SET NULL,
        added_at TEXT NOT NULL,
        UNIQUE (person_id, alias)
    );
    CREATE INDEX person_aliases_by_key ON person_aliases (key, person_id);
    CREATE INDEX person_aliases_by_surname ON person_aliases (surname_key, person_id, given);
    CREATE TABLE person_blocks (
        person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        PRIMARY KEY (person_id, key)
    );
    CREATE TABLE person_overrides (
        id BIGSERIAL PRIMARY KEY,
        action TEXT NOT NULL CHECK (action IN ('merge', 'split', 'rename')),
        detail TEXT NOT NULL,
        person_id BIGINT REFERENCES people (id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        user_name TEXT NOT NULL DEFAULT ''
    );
    ALTER TABLE quotes ADD COLUMN person_id BIGINT REFERENCES people (id) ON DELETE SET NULL;
    ALTER TABLE entities ADD COLUMN person_id BIGINT REFERENCES people (id) ON DELETE SET NULL;
    CREATE INDEX quotes_by_person ON quotes (person_id, article_id);
    CREATE INDEX entities_by_person ON entities (person_id, article_id);
    """,
    # 3: watchlists, as SQLite's migration 4: the hits each [[watch]] found (shared: found
    # once for the team, by the watch's name) and how far each has looked; "seen" is each
    # analyst's own (``watch_seen``), not a column of the shared hit.
    """
    CREATE TABLE watch_hits (
        id BIGSERIAL PRIMARY KEY,
        watch TEXT NOT NULL,
        article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        quote_id BIGINT,
        matched TEXT NOT NULL,
        found_at TEXT NOT NULL,
        UNIQUE (watch, article_id, matched)
    );
    CREATE INDEX watch_hits_by_article ON watch_hits (article_id);
    CREATE TABLE watch_state (
        watch TEXT PRIMARY KEY,
        last_article_id BIGINT NOT NULL
    );
    CREATE TABLE watch_seen (
        user_name TEXT NOT NULL,
        hit_id BIGINT NOT NULL REFERENCES watch_hits (id) ON DELETE CASCADE,
        PRIMARY KEY (user_name, hit_id)
    );
    CREATE INDEX watch_seen_by_hit ON watch_seen (hit_id);
    """,
    # 4: search ranks in tiers as on SQLite (pg_search.ranked), first the rows with every
    # word in the fields that count: a quote's speaker and role, an article's title. Each
    # gets a GIN index of its own, so that tier never reads the quotes' words or an
    # article's text (an article's vector is large and kept out of line). A quote's role
    # gets a weight of its own (B; speaker A, words D): a phrase is found within one of
    # them, as FTS5 finds it within one column.
    """
    DROP INDEX quotes_search;
    ALTER TABLE quotes DROP COLUMN search;
    ALTER TABLE quotes ADD COLUMN search TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('briefing', coalesce(speaker, '')), 'A')
        || setweight(to_tsvector('briefing', coalesce(role, '')), 'B')
        || setweight(to_tsvector('briefing', text), 'D')
    ) STORED;
    CREATE INDEX quotes_search ON quotes USING GIN (search);
    CREATE INDEX quotes_fields_search ON quotes USING GIN ((to_tsvector('briefing'::regconfig,
        coalesce(speaker, '') || ' ' || coalesce(role, ''))));
    CREATE INDEX articles_title_search ON articles USING GIN (
        (to_tsvector('briefing'::regconfig, title)));
    """
    + RANKED,
]

PG_SCHEMA_VERSION = len(PG_MIGRATIONS)
PEOPLE_VERSION = 2  # the migration that made the people registry (filled when it runs)

# Run once, before the first migration, outside it: the text search configuration the
# schema's vectors use. ``unaccent`` is a contrib extension; without it, no accent folding.
PREPARE_UNACCENT = "CREATE EXTENSION IF NOT EXISTS unaccent"
PREPARE_CONFIG = "CREATE TEXT SEARCH CONFIGURATION briefing (COPY = simple)"
PREPARE_MAPPING = (
    "ALTER TEXT SEARCH CONFIGURATION briefing "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
)
