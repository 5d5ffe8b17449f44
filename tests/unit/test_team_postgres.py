"""A team on one PostgreSQL store: what is shared (articles, quotes, people and their
corrections, watch hits) and what is each analyst's own (read, starred, watch hits seen),
through the store and through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg

from extract.config import WatchConfig
from extract.store import open_pg
from extract.store.watches import (
    hit_article_rows,
    hits,
    mark_article_seen,
    mark_seen,
    unseen_counts,
)
from extract.watchlist import evaluate_watches
from tests.helpers.cli import briefing
from tests.helpers.people import add, person_of
from tests.helpers.storefactory import fill


def test_a_merge_is_everyones_and_seen_is_each_analysts(pg_url: str) -> None:
    watch = WatchConfig("Smith", people=("Patricia Smith",))
    with open_pg(pg_url, "ann") as ann, open_pg(pg_url, "bob") as bob:
        pat = add(ann, "2016-09-01", ["Patricia Smith"])
        trish_article = add(bob, "2016-09-02", ["Trish Smith"])
        trish, patricia = (
            ann.find_people("Trish Smith")[0].id,
            ann.find_people("Patricia Smith")[0].id,
        )
        assert trish != patricia
        evaluate_watches(ann, (watch,))  # the backlog: Patricia's article only
        ann.merge_people(trish, patricia)
        # Bob sees Ann's correction: one person, under both names, and who made it.
        assert bob.person(trish) is None
        assert [p.id for p in bob.find_people("Trish Smith")] == [patricia]
        assert person_of(bob, trish_article, "Trish Smith") == patricia
        [override] = bob.person_overrides()
        assert override.action == "merge" and override.by == "ann"
        # A later fetch (by either) links the merged name to the one person.
        later = add(bob, "2016-09-03", ["Trish Smith"])
        assert person_of(ann, later, "Trish Smith") == patricia
        evaluate_watches(bob, (watch,))  # the hits are found once, for both
        new = hits(ann, only_new=True)
        assert {h.article_id for h in new} == {pat, later}  # the backlog is new too
        assert [h.id for h in hits(bob, only_new=True)] == [h.id for h in new]
        mark_seen(ann, [h.id for h in new])
        assert hits(ann, only_new=True) == [] and unseen_counts(ann) == {}
        assert [h.id for h in hits(bob, only_new=True)] == [h.id for h in new]  # still new
        assert unseen_counts(bob) == {"Smith": len(new)}
        assert all(h.seen for h in hits(ann)) and not any(h.seen for h in hits(bob))
        mark_article_seen(bob, later, ["Smith"])
        assert unseen_counts(bob) == {"Smith": 1} and unseen_counts(ann) == {}
        ann.set_read(later)
        assert {r.id: r.read for r in hit_article_rows(bob, "Smith")} == {pat: False, later: False}
        assert {r.id: r.read for r in hit_article_rows(ann, "Smith")} == {pat: False, later: True}


def _config(tmp_path: Path, user: str) -> str:
    config = tmp_path / f"{user}.toml"
    config.write_text(
        f'[user]\nname = "{user}"\n\n[[watch]]\nname = "Smith"\npeople = ["Julianne Smith"]\n',
        encoding="utf-8",
    )
    return str(config)


def test_the_commands_run_on_the_teams_store(tmp_path: Path, pg_url: str) -> None:
    with open_pg(pg_url, "setup") as store:
        ids = fill(store)
    env = {"BRIEFING_STORE_URL": pg_url}
    ann, bob = ("--config", _config(tmp_path, "ann")), ("--config", _config(tmp_path, "bob"))

    people = briefing("people", "--json", *ann, env=env)
    assert people.returncode == 0, people.stderr
    names = [json.loads(line)["name"] for line in people.stdout.splitlines()]
    assert names[0] == "Julianne Smith"  # the most quoted first
    merged = briefing("people", "merge", "Jens Stoltenberg", "Alexander Grushko", *ann, env=env)
    assert merged.returncode == 0, merged.stderr
    shown = briefing("people", "--overrides", "--json", *bob, env=env)
    [override] = [json.loads(line) for line in shown.stdout.splitlines()]
    assert override["action"] == "merge" and override["by"] == "ann"
    said = briefing("quotes", "--speaker", "julianne smith", "--json", *bob, env=env)
    assert said.returncode == 0 and len(said.stdout.splitlines()) == 2, said.stderr

    first = briefing("watch", "--new", "--json", "--mark-seen", *ann, env=env)
    assert first.returncode == 1 and len(first.stdout.splitlines()) == 2, first.stderr
    assert briefing("watch", "--new", *ann, env=env).returncode == 0  # seen by Ann
    assert briefing("watch", "--new", *bob, env=env).returncode == 1  # not by Bob
    export = briefing("export", "--watch", "Smith", *bob, env=env)
    assert export.returncode == 0 and "2 articles" in export.stdout, export.stderr

    check = briefing("store", "check", *ann, env=env)
    assert check.returncode == 0 and "store OK" in check.stdout, check.stderr
    assert "5 articles" in check.stdout and "quote counts" in check.stdout
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE articles SET quote_count = 99 WHERE id = %s", (ids[0],))
    broken = briefing("store", "check", *ann, env=env)
    assert broken.returncode == 4 and f"quote counts: 1 row(s) ({ids[0]})" in broken.stdout
    assert "briefing reprocess" in broken.stderr

    again = briefing("reprocess", *ann, env=env)
    assert again.returncode == 0 and "reprocessed 5 articles" in again.stdout, again.stderr
    assert briefing("store", "check", *bob, env=env).returncode == 0  # the counts made right
    after = briefing("people", "--overrides", "--json", *bob, env=env)
    assert len(after.stdout.splitlines()) == 1  # the correction is kept through reprocess
    gone = briefing("people", "show", "Jens Stoltenberg", *bob, env=env)
    assert gone.returncode == 0 and "Alexander Grushko" in gone.stdout, gone.stderr


def test_two_fetches_linking_one_new_name_make_one_person(pg_url: str) -> None:
    """Each writer links in its article's transaction; on PostgreSQL they run at once, so
    linking takes turns (an advisory lock): a new name seen by both is one person."""
    import threading

    stores = [open_pg(pg_url, "ann"), open_pg(pg_url, "bob")]
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def fetch(n: int) -> None:
        try:
            start.wait()
            for day in range(1, 9):
                add(stores[n], f"2024-0{1 + n}-0{day}", ["Xavier Quillfeather", "Mr. Quillfeather"])
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=fetch, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert failures == []
        [person] = stores[0].people()
        assert person.quotes == 32 and person.name == "Xavier Quillfeather"
        assert stores[1].people_named("\x00Quillfeather") == [(person.id, person.name)]
    finally:
        for s in stores:
            s.close()
