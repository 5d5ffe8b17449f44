"""What only the PostgreSQL store does: each analyst's own state, feeds claimed by one
fetch at a time, the schema version, and clear errors for a server that cannot be used."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from extract.config import WatchConfig, parse_config
from extract.errors import ConfigError, StoreError
from extract.store import open_pg, open_store
from extract.store.copy import copy_store
from extract.store.pg_migrations import PG_SCHEMA_VERSION
from extract.store.watches import hits, mark_seen, unseen_counts
from extract.watchlist import evaluate_watches
from tests.helpers import postgres
from tests.helpers.cli import briefing
from tests.helpers.storefactory import fill


def test_each_analyst_has_their_own_read_and_starred(pg_url: str) -> None:
    with open_pg(pg_url, "ann") as ann, open_pg(pg_url, "bob") as bob:
        ids = fill(ann)
        ann.set_read(ids[0])
        ann.set_starred(ids[1], True)
        bob.set_read(ids[2])
        assert [r.id for r in ann.article_rows(0, 9) if r.read] == [ids[0]]
        assert [r.id for r in bob.article_rows(0, 9) if r.read] == [ids[2]]
        ann_article, bob_article = ann.article(ids[1]), bob.article(ids[1])
        assert ann_article is not None and ann_article.starred
        assert bob_article is not None and not bob_article.starred
        assert bob.article_count() == ann.article_count() == 5  # the articles are shared


def test_a_feed_is_polled_by_one_of_two_overlapping_fetches(pg_url: str) -> None:
    first, second = open_pg(pg_url, "ann"), open_pg(pg_url, "ann")  # two runs, both started
    try:
        feed = first.upsert_feed("F", "http://127.0.0.1/f.xml")
        assert first.claim_feed(feed)
        assert not second.claim_feed(feed)  # held by the first run
        first.release_feeds()
        assert not second.claim_feed(feed)  # polled during the second run: not again
        assert first.claim_feed(feed)  # its own claim, taken again (a retry)
        first.release_feeds()
        with open_pg(pg_url, "ann") as later:  # a run that starts after: polls it
            assert later.claim_feed(feed)
            assert not first.claim_feed(feed)  # now held by the later run
            # ... which is killed: no release, its connections gone with it
        with open_pg(pg_url, "ann") as next_run:  # not locked out by the dead run
            assert next_run.claim_feed(feed)
    finally:
        first.close()
        second.close()


def test_a_feed_another_fetch_is_upserting_is_still_claimed(pg_url: str) -> None:
    """Another fetch's ``upsert_feed`` holds the feed's row for its transaction: a claim
    made then waits for it, instead of skipping the row (then, if that fetch asked for the
    advisory lock before this one let it go, neither polled the feed: seen under load)."""
    import psycopg

    with open_pg(pg_url, "ann") as run, psycopg.connect(pg_url) as other:
        feed = run.upsert_feed("F", "http://127.0.0.1/f.xml")
        other.execute("UPDATE feeds SET url = url WHERE id = %s", (feed,))  # not committed
        claimed: list[bool] = []
        claim = threading.Thread(target=lambda: claimed.append(run.claim_feed(feed)))
        claim.start()
        claim.join(timeout=0.5)  # it waits for the row (or, skipping it, has returned)
        other.commit()
        claim.join(timeout=60)
        assert claimed == [True]


def test_the_schema_is_versioned_and_a_newer_one_is_refused(
    pg_cluster: postgres.Cluster, pg_url: str
) -> None:
    open_pg(pg_url, "ann").close()
    database = pg_url.rsplit("/", 1)[1]
    store = open_pg(pg_url, "ann")  # opening again migrates nothing
    with store, store.pool.connection() as conn:
        row = conn.execute("SELECT version FROM briefing_schema").fetchone()
        assert row is not None and row["version"] == PG_SCHEMA_VERSION
        conn.execute("UPDATE briefing_schema SET version = version + 1")
    with pytest.raises(StoreError) as caught:
        open_pg(pg_url, "ann")
    assert "newer Briefing" in caught.value.message
    assert database in caught.value.message
    assert caught.value.hint and "upgrade Briefing" in caught.value.hint


def test_a_database_of_something_else_is_not_touched(pg_empty_url: str) -> None:
    url = pg_empty_url
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    with pytest.raises(StoreError, match="not a Briefing store"):
        open_pg(url, "ann")
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert tables == (1,)


@pytest.mark.parametrize(
    ("broken", "says", "hint"),
    [
        ("password", "refused the user or password", "PGPASSWORD"),
        ("port", "cannot reach PostgreSQL at 127.0.0.1:1/", "is the server running"),
        ("database", "there is no database 'nosuchdb'", "createdb nosuchdb"),
        ("syntax", "cannot be read", "postgresql://USER:PASSWORD@HOST"),
    ],
)
def test_a_server_that_cannot_be_used_is_named_with_what_to_do(
    pg_cluster: postgres.Cluster, broken: str, says: str, hint: str
) -> None:
    url = {
        "password": pg_cluster.url(password="wrong"),
        "port": pg_cluster.url().replace(f":{pg_cluster.port}/", ":1/"),
        "database": pg_cluster.url("nosuchdb"),
        "syntax": pg_cluster.url() + "?sslmode",
    }[broken]
    with pytest.raises(StoreError) as caught:
        open_pg(url, "ann", key="[store] url")
    assert caught.value.message.startswith("[store] url: ")
    assert says in caught.value.message
    assert caught.value.hint and hint in caught.value.hint
    assert "wrong" not in caught.value.message  # never the password


@pytest.mark.slow
def test_the_command_line_names_the_variable_and_exits_as_a_store_error(
    pg_cluster: postgres.Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_STORE_URL", pg_cluster.url(password="wrong"))
    done = briefing("quotes")
    assert done.returncode == 4, done.stderr
    assert "BRIEFING_STORE_URL: PostgreSQL at 127.0.0.1" in done.stderr
    assert "wrong" not in done.stderr
    assert "Traceback" not in done.stderr
    # The reader app starts and says so, in a terminal: tests/app/test_app_postgres.py


def test_config_check_shows_the_server_without_the_password(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[store]\nurl = "postgresql://ann:hunter2@db.example:6543/team"\n')
    done = briefing("config", "--config", str(config))
    assert done.returncode == 0, done.stderr
    assert "store: PostgreSQL db.example:6543/team" in done.stdout
    assert "hunter2" not in done.stdout


def test_config_url_and_its_typos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "config.toml"
    config = parse_config({"store": {"url": "postgresql://u:p@db/briefing"}}, path)
    assert config.store_url == "postgresql://u:p@db/briefing"
    assert parse_config({}, path).store_url is None
    assert parse_config({"user": {"name": "ann"}}, path).user == "ann"
    with pytest.raises(ConfigError) as caught:
        parse_config({"store": {"url": "postgresq://u:secret@db/briefing"}}, path)
    assert "[store] url: 'postgresq://u:***@db/briefing' is not a PostgreSQL URL" in str(
        caught.value
    )
    monkeypatch.setenv("BRIEFING_STORE_URL", "postgres://env@db/x")
    assert parse_config({"store": {"url": "postgresql://u@db/y"}}, path).store_url == (
        "postgres://env@db/x"
    )


def test_copy_sqlite_to_postgres_and_back(tmp_path: Path, pg_url: str) -> None:
    source = tmp_path / "source.sqlite3"
    with open_store(source) as store:
        ids = fill(store)
        store.set_read(ids[2])
        store.set_starred(ids[3], True)
        evaluate_watches(store, (WatchConfig("Smith", people=("Julianne Smith",)),))
        mark_seen(store, [hits(store)[0].id])
    report = copy_store(str(source), pg_url, "ann")
    assert report.counts["watch_hits"] == 2 and report.seen == 1
    assert report.counts["articles"] == 5 and report.counts["quotes"] == 5
    assert report.state == 2 and report.sampled == 5
    with open_store(source) as store:
        people = [(p.id, p.name, p.quotes) for p in store.people()]
        seen = [(h.id, h.seen) for h in hits(store)]
    with open_pg(pg_url, "ann") as shared:
        assert [(p.id, p.name, p.quotes) for p in shared.people()] == people  # copied as is
        assert [(h.id, h.seen) for h in hits(shared)] == seen  # Ann's, one of two
        with open_pg(pg_url, "bob") as bob:
            assert unseen_counts(bob) == {"Smith": 2}  # seen is Ann's own
        assert shared.article_ids() == ids[::-1][:2] + ids[2::-1]  # newest first
        assert {r.id for r in shared.article_rows(0, 9) if r.read} == {ids[2]}
        new = shared.upsert_feed("New feed", "http://127.0.0.1/n.xml")  # sequences moved on
        assert new == len(shared.feeds())
    back = tmp_path / "back.sqlite3"
    assert copy_store(pg_url, str(back), "ann").counts == {**report.counts, "feeds": 4}
    with open_store(back) as store:
        article = store.article(ids[3])
        assert article is not None and article.starred
        assert [q.quote.text for q in store.quotes_by("Julianne Smith")] == [
            q.quote.text for q in open_store(source).quotes_by("Julianne Smith")
        ]
        assert [(p.id, p.name, p.quotes) for p in store.people()] == people  # and back
    with pytest.raises(StoreError, match="already holds a briefing"):
        copy_store(str(source), pg_url, "ann")


def test_store_copy_command(tmp_path: Path, pg_url: str) -> None:
    source = tmp_path / "source.sqlite3"
    with open_store(source) as store:
        fill(store)
    done = briefing("store", "copy", "--store", str(source), "--to", pg_url)
    assert done.returncode == 0, done.stderr
    assert "5 articles" in done.stdout and "compared field by field: same" in done.stdout
    assert postgres.PASSWORD not in done.stdout
    again = briefing("store", "copy", "--store", str(source), "--to", pg_url)
    assert again.returncode == 4 and "already holds a briefing" in again.stderr
    typo = briefing("store", "copy", "--store", str(source), "--to", "postgresq://u:pw@db/x")
    assert typo.returncode == 2 and "neither a postgresql:// URL nor a file" in typo.stderr
    assert not list(tmp_path.glob("postgresq*")) and not Path("postgresq:").exists()


@pytest.mark.slow
def test_a_stopped_server_fails_each_read_and_the_store_recovers_when_it_is_back(
    pg_own_cluster: postgres.Cluster,
) -> None:
    """The app reads on its UI thread: with the server gone each read is a StoreError
    (the store knows it is down, so the next ones wait ``DOWN_WAIT``, not the pool's whole
    timeout), and reads work again once the server is back, on the same store."""
    with open_pg(pg_own_cluster.fresh_database(), "ann", wait=2) as store:
        fill(store)
        assert not store.down
        pg_own_cluster.ctl("stop", "-m", "fast")
        for _ in range(2):
            with pytest.raises(StoreError, match="lost the PostgreSQL store"):
                store.article_count()
            assert store.down
        pg_own_cluster.start_server()
        counted = None
        for _ in range(50):  # the pool drops its dead connections and makes new ones
            try:
                counted = store.article_count()
                break
            except StoreError:
                threading.Event().wait(0.2)
        assert counted == 5
        assert not store.down


def test_a_tests_database_is_emptied_for_the_next_or_dropped_if_its_shape_changed(
    pg_cluster: postgres.Cluster,
) -> None:
    """The test helper's reuse of databases (tests/helpers/postgres.py): a database whose
    rows a test changed comes back empty, with ids from 1 again and every session on it
    ended; one whose schema a test changed is dropped, never handed out again."""
    import psycopg

    url = pg_cluster.fresh_database()
    store = open_pg(url, "ann")
    fill(store)
    store.set_read(1)
    pg_cluster.drop(url)  # the store's pool is still open: its sessions are ended
    store.close()
    again = pg_cluster.fresh_database()
    assert again == url  # reused, not copied again
    with open_pg(again, "ann") as fresh:
        assert fresh.article_count() == 0 and fresh.feeds() == []
        assert fill(fresh)[0] == 1  # the sequences start again
    with psycopg.connect(again, autocommit=True) as conn:
        conn.execute("ALTER TABLE articles ADD COLUMN extra TEXT")
    pg_cluster.drop(again)
    other = pg_cluster.fresh_database()
    assert other != again
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        names = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
    assert again.rsplit("/", 1)[1] not in names  # dropped
    pg_cluster.drop(other)
