"""The SQLite schema, as a list of migrations applied in order.

``PRAGMA user_version`` holds how many migrations a store has had. A new
migration is appended, never edited, so an old store can always be brought up
to date (a backup copy is taken first; see ``store.open_store``).
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: feeds, articles, their link, entities, quotes, and full-text indexes.
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        url TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '',          -- space-separated
        title TEXT,
        etag TEXT,
        last_modified TEXT,
        last_status TEXT,                        -- ok | unchanged | failed
        last_error TEXT,
        checked_at TEXT
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        url TEXT,
        canonical_url TEXT UNIQUE,
        title TEXT NOT NULL,
        author TEXT,
        published TEXT,                          -- ISO 8601 UTC
        source TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        html_zlib BLOB,
        text_status TEXT NOT NULL CHECK (text_status IN ('full_text', 'feed_summary', 'failed')),
        text_reason TEXT,
        summary TEXT NOT NULL DEFAULT '',       -- the feed's own text, kept for re-cleaning
        language TEXT,
        content_hash TEXT,
        cleaned_with TEXT,
        analysed_with TEXT,
        analysis_skipped TEXT,
        quote_count INTEGER NOT NULL DEFAULT 0,
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL
    );
    CREATE INDEX articles_by_date ON articles (published DESC, id DESC);
    CREATE INDEX articles_by_hash ON articles (content_hash);
    CREATE TABLE article_feeds (
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
        guid TEXT NOT NULL,
        PRIMARY KEY (article_id, feed_id)
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX article_feeds_by_guid ON article_feeds (feed_id, guid);
    CREATE INDEX article_feeds_by_feed ON article_feeds (feed_id, article_id);
    CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
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
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('direct', 'indirect')),
        text TEXT NOT NULL,
        spans TEXT NOT NULL,                     -- JSON [[start, end], ...]
        speaker TEXT,
        speaker_mention TEXT,
        speaker_start INTEGER,
        speaker_end INTEGER,
        role TEXT,
        cue TEXT,
        resolution TEXT NOT NULL CHECK (resolution IN ('explicit', 'pronoun', 'inherited', 'none')),
        sentence_start INTEGER NOT NULL,
        sentence_end INTEGER NOT NULL
    );
    CREATE INDEX quotes_by_article ON quotes (article_id, sentence_start);
    CREATE INDEX quotes_by_speaker ON quotes (speaker COLLATE NOCASE, article_id);

    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;

    CREATE VIRTUAL TABLE quotes_fts USING fts5 (
        text, speaker, role, content='quotes', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3'
    );
    CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
        INSERT INTO quotes_fts (rowid, text, speaker, role)
        VALUES (new.id, new.text, coalesce(new.speaker, ''), coalesce(new.role, ''));
    END;
    CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
        INSERT INTO quotes_fts (quotes_fts, rowid, text, speaker, role)
        VALUES ('delete', old.id, old.text, coalesce(old.speaker, ''), coalesce(old.role, ''));
    END;
    """,
    # 2: one feed's guid names one entry (the link was keyed by article, so a second
    # entry of the same feed pointing at a stored article lost its guid and was fetched
    # again on every run); how the page was served, so re-cleaning decodes it the same
    # way; an index for the unread filter.
    """
    CREATE TABLE article_feeds_v2 (
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
        guid TEXT NOT NULL,
        PRIMARY KEY (feed_id, guid)
    );  -- a rowid table: SQLite 3.40's integrity_check misreports NOT NULL columns
        -- outside the key of a WITHOUT ROWID table as NULL
    INSERT OR IGNORE INTO article_feeds_v2 (article_id, feed_id, guid)
        SELECT article_id, feed_id, guid FROM article_feeds;
    DROP TABLE article_feeds;
    ALTER TABLE article_feeds_v2 RENAME TO article_feeds;
    CREATE INDEX article_feeds_by_article ON article_feeds (article_id, feed_id);
    CREATE INDEX article_feeds_by_feed ON article_feeds (feed_id, article_id);
    ALTER TABLE articles ADD COLUMN content_type TEXT;
    CREATE INDEX articles_unread ON articles (published DESC, id DESC) WHERE read = 0;
    """,
    # 3: a quote's speaker may be a description ("a spokesman said"), not a name. SQLite
    # cannot change a CHECK constraint: the table is rebuilt with the same ids, and the
    # full-text index rebuilt from it.
    """
    CREATE TABLE quotes_v3 (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('direct', 'indirect')),
        text TEXT NOT NULL,
        spans TEXT NOT NULL,                     -- JSON [[start, end], ...]
        speaker TEXT,
        speaker_mention TEXT,
        speaker_start INTEGER,
        speaker_end INTEGER,
        role TEXT,
        cue TEXT,
        resolution TEXT NOT NULL CHECK (resolution IN ('explicit', 'description', 'pronoun',
                                                       'inherited', 'none')),
        sentence_start INTEGER NOT NULL,
        sentence_end INTEGER NOT NULL
    );
    INSERT INTO quotes_v3 SELECT id, article_id, kind, text, spans, speaker, speaker_mention,
        speaker_start, speaker_end, role, cue, resolution, sentence_start, sentence_end
        FROM quotes;
    DROP TABLE quotes;
    ALTER TABLE quotes_v3 RENAME TO quotes;
    CREATE INDEX quotes_by_article ON quotes (article_id, sentence_start);
    CREATE INDEX quotes_by_speaker ON quotes (speaker COLLATE NOCASE, article_id);
    CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
        INSERT INTO quotes_fts (rowid, text, speaker, role)
        VALUES (new.id, new.text, coalesce(new.speaker, ''), coalesce(new.role, ''));
    END;
    CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
        INSERT INTO quotes_fts (quotes_fts, rowid, text, speaker, role)
        VALUES ('delete', old.id, old.text, coalesce(old.speaker, ''), coalesce(old.role, ''));
    END;
    INSERT INTO quotes_fts (quotes_fts) VALUES ('rebuild');
    """,
    # 4 (watchlists): what each [[watch]] found, and how far each has looked. A hit names
    # its watch by the config's name; quote_id is not a foreign key because reprocessing
    # rewrites an article's quotes (the hit, on the article, stays).
    """
    CREATE TABLE watch_hits (
        id INTEGER PRIMARY KEY,
        watch TEXT NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        quote_id INTEGER,
        matched TEXT NOT NULL,                   -- "quotes Julianne Smith", "mentions NATO"
        found_at TEXT NOT NULL,
        seen INTEGER NOT NULL DEFAULT 0,
        UNIQUE (watch, article_id, matched)
    );
    CREATE INDEX watch_hits_unseen ON watch_hits (watch, seen, article_id);
    CREATE INDEX watch_hits_by_article ON watch_hits (article_id);
    CREATE TABLE watch_state (
        watch TEXT PRIMARY KEY,
        last_article_id INTEGER NOT NULL         -- articles up to this id have been looked at
    );
    """,
    # 5: people, one row per real person (or speaking organisation) across the briefing;
    # every alias seen with why it was linked; the analyst's corrections; quotes and
    # entities point at their person. Counts, roles and outlets are read from the quotes
    # and entities (indexed by person), not kept here: they stay right through reprocess,
    # deletes and merges. Existing stores are linked from what they hold when this runs
    # (``extract.store.people.link_all``, called by the connection after the migration).
    """
    CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,                      -- the display name
        kind TEXT NOT NULL CHECK (kind IN ('person', 'org')),
        renamed INTEGER NOT NULL DEFAULT 0,      -- the analyst chose the name: keep it
        first_seen TEXT,                         -- publication dates, ISO 8601
        last_seen TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE person_aliases (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
        alias TEXT NOT NULL,                     -- as the analysis wrote it
        key TEXT NOT NULL,                       -- plain spelling: "donald trump"
        given TEXT NOT NULL DEFAULT '',
        surname_key TEXT NOT NULL,               -- spelling-variant key: "zelensky"
        why TEXT NOT NULL,
        article_id INTEGER REFERENCES articles (id) ON DELETE SET NULL,
        added_at TEXT NOT NULL,
        UNIQUE (person_id, alias)
    );
    CREATE INDEX person_aliases_by_key ON person_aliases (key, person_id);
    CREATE INDEX person_aliases_by_surname ON person_aliases (surname_key, person_id, given);
    CREATE TABLE person_blocks (                 -- an alias the analyst split off a person
        person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        PRIMARY KEY (person_id, key)
    );
    CREATE TABLE person_overrides (              -- the analyst's corrections, as a log
        id INTEGER PRIMARY KEY,
        action TEXT NOT NULL CHECK (action IN ('merge', 'split', 'rename')),
        detail TEXT NOT NULL,                    -- what was done, in words
        person_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
        created_at TEXT NOT NULL
    );
    ALTER TABLE quotes ADD COLUMN person_id INTEGER REFERENCES people (id) ON DELETE SET NULL;
    ALTER TABLE entities ADD COLUMN person_id INTEGER REFERENCES people (id) ON DELETE SET NULL;
    CREATE INDEX quotes_by_person ON quotes (person_id, article_id);
    CREATE INDEX entities_by_person ON entities (person_id, article_id);
    """,
    # 6: search as you type at a million quotes, and counts that do not scan. The full-text
    # indexes keep every prefix of 1 to 8 letters: a prefix with no index of its length
    # ("t", "minis") merged the postings of every word starting so, on each keystroke (up
    # to 1.4 s at 1,000,000 quotes); indexed, FTS5 reads the newest matches and stops. The
    # index grows ~60%. FTS5 cannot change its options: both tables are made again and
    # rebuilt from their content (the triggers name the tables and stay). The article
    # list's counts are kept per (read, starred) by triggers.
    """
    DROP TABLE articles_fts;
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3 4 5 6 7 8'
    );
    INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
    DROP TABLE quotes_fts;
    CREATE VIRTUAL TABLE quotes_fts USING fts5 (
        text, speaker, role, content='quotes', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3 4 5 6 7 8'
    );
    INSERT INTO quotes_fts (quotes_fts) VALUES ('rebuild');

    CREATE TABLE article_counts (
        read INTEGER NOT NULL,                   -- 0 | 1
        starred INTEGER NOT NULL,                -- 0 | 1
        n INTEGER NOT NULL,
        PRIMARY KEY (read, starred)
    ) WITHOUT ROWID;
    INSERT INTO article_counts (read, starred, n)
        SELECT r.v, s.v, 0 FROM (SELECT 0 AS v UNION SELECT 1) r,
                                (SELECT 0 AS v UNION SELECT 1) s;
    UPDATE article_counts SET n = (SELECT count(*) FROM articles a
        WHERE (a.read != 0) = article_counts.read AND (a.starred != 0) = article_counts.starred);
    CREATE TRIGGER article_counts_insert AFTER INSERT ON articles BEGIN
        UPDATE article_counts SET n = n + 1
        WHERE read = (new.read != 0) AND starred = (new.starred != 0);
    END;
    CREATE TRIGGER article_counts_delete AFTER DELETE ON articles BEGIN
        UPDATE article_counts SET n = n - 1
        WHERE read = (old.read != 0) AND starred = (old.starred != 0);
    END;
    CREATE TRIGGER article_counts_update AFTER UPDATE OF read, starred ON articles
    WHEN (old.read != 0) != (new.read != 0) OR (old.starred != 0) != (new.starred != 0) BEGIN
        UPDATE article_counts SET n = n - 1
        WHERE read = (old.read != 0) AND starred = (old.starred != 0);
        UPDATE article_counts SET n = n + 1
        WHERE read = (new.read != 0) AND starred = (new.starred != 0);
    END;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
