"""Watchlists: the config, incremental evaluation, hits, notify commands, ``briefing watch``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from extract.config import ConfigError, WatchConfig, parse_config
from extract.store import Store, StoreApi, open_pg, open_store
from extract.store.watches import hits, last_looked_at, mark_seen, newest_article_id
from extract.watchlist import evaluate_watches
from tests.helpers.cli import briefing
from tests.helpers.people import add
from tests.helpers.storefactory import FEEDS, Draft, add_draft, build_store, fill

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = build_store(tmp_path / "store.sqlite3")
    yield s
    s.close()


@pytest.fixture(params=["sqlite", "postgres"])
def both(request: pytest.FixtureRequest, tmp_path: Path):
    """The fixed briefing on each backend: one ``watches.py`` runs on both."""
    if request.param == "sqlite":
        s: StoreApi = open_store(tmp_path / "store.sqlite3")
    else:
        s = open_pg(request.getfixturevalue("pg_url"), "ann")
    fill(s)
    yield s
    s.close()


def smith_again(store: StoreApi, n: int = 10) -> int:
    """A new article quoting Julianne Smith, as a fetch would add it."""
    draft = Draft(
        title="Envoy returns to Brussels",
        source="Wire World",
        feed="Wire World",
        published="2022-01-20T10:00:00+00:00",
        text="\u201cWe remain united on sanctions,\u201d Julianne Smith said on "
        "Thursday in Brussels.",
    )
    draft.entity("PERSON", "Julianne Smith").entity("GPE", "Brussels")
    draft.quote(
        "We remain united on sanctions,",
        "Julianne Smith",
        mention="Julianne Smith",
        role="US envoy to NATO",
    )
    feed_id = store.upsert_feed("Wire World", *FEEDS["Wire World"])
    return add_draft(store, draft, feed_id, n)


def recorder(path: Path, exit_code: int = 0) -> tuple[str, ...]:
    """A notify command that appends the JSON it reads to ``path``."""
    code = (
        f"import sys; data = sys.stdin.read(); open({str(path)!r}, 'a').write(data + '\\n');"
        f" sys.exit({exit_code})"
    )
    return (sys.executable, "-c", code)


# -- config ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("watch", "key", "problem"),
    [
        ({"name": "x"}, "watch[0]", "watches nothing"),
        ({"people": ["a"]}, "watch[0].name", "is required"),
        ({"name": "x", "words": [""]}, "watch[0].words", "non-empty texts"),
        (
            {"name": "x", "words": ["a"], "notify_command": "notify-send"},
            "watch[0].notify_command",
            "must be a list",
        ),
        ({"name": "x", "words": ["a"], "feeds": ["Nope"]}, "watch[0].feeds", "no feed is named"),
        (
            {"name": "x", "words": ["a"], "notify_timeout": -1},
            "watch[0].notify_timeout",
            "greater than 0",
        ),
        ({"name": "x", "word": ["a"]}, "watch[0].word", "unknown key"),
    ],
)
def test_bad_watch_config_names_the_key(watch: dict, key: str, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({"watch": [watch]}, Path("c.toml"))
    assert caught.value.key == key and problem in caught.value.problem


def test_two_watches_with_one_name_are_refused() -> None:
    with pytest.raises(ConfigError, match="two watches are named 'x'"):
        parse_config(
            {"watch": [{"name": "x", "words": ["a"]}, {"name": "x", "words": ["b"]}]},
            Path("c.toml"),
        )


# -- evaluation --------------------------------------------------------------------------


def test_a_new_watch_takes_in_the_backlog_without_notifying(both: Store, tmp_path: Path) -> None:
    store = both
    log = tmp_path / "notified.jsonl"
    watch = WatchConfig("Smith", people=("julianne smith",), notify_command=recorder(log))
    report = evaluate_watches(store, (watch,))
    assert report.backlog == 2 and report.new_hits == [] and not log.exists()
    assert [h.matched for h in hits(store)] == ["quotes Julianne Smith"] * 2
    assert last_looked_at(store, "Smith") == newest_article_id(store)
    again = evaluate_watches(store, (watch,))  # nothing new: nothing found twice
    assert again.backlog == 0 and again.new_hits == [] and len(hits(store)) == 2


def test_new_articles_are_hits_and_notified_as_json(both: Store, tmp_path: Path) -> None:
    store = both
    log = tmp_path / "notified.jsonl"
    watches = (
        WatchConfig("Smith", people=("Julianne Smith",), notify_command=recorder(log)),
        WatchConfig("Brussels", entities=("Brussels",)),
        WatchConfig("Sanctions", words=("united sanctions",), feeds=("Wire World",)),
        WatchConfig("Elsewhere", words=("sanctions",), tags=("business",)),
    )
    evaluate_watches(store, watches)
    article_id = smith_again(store)
    report = evaluate_watches(store, watches)
    assert {(h.watch, h.matched) for h in report.new_hits} == {
        ("Smith", "quotes Julianne Smith"),
        ("Brussels", "mentions Brussels"),
        ("Sanctions", "says united sanctions"),
    }  # "Elsewhere" watches another tag
    assert all(h.article_id == article_id for h in report.new_hits)
    (line,) = log.read_text(encoding="utf-8").splitlines()
    sent = json.loads(line)
    assert sent["watch"] == "Smith" and sent["title"] == "Envoy returns to Brussels"
    assert sent["quote"] == "We remain united on sanctions," and sent["seen"] is False
    assert sent["url"] == "https://news.example/10"


def test_failing_and_slow_notify_commands_are_reported_and_never_block(
    store: Store, tmp_path: Path
) -> None:
    sleeper = (sys.executable, "-c", "import time; time.sleep(30)")
    watches = (
        WatchConfig(
            "Fails",
            people=("Julianne Smith",),
            notify_command=recorder(tmp_path / "x", exit_code=3),
        ),
        WatchConfig("Missing", people=("Julianne Smith",), notify_command=("/no/such/notifier",)),
        WatchConfig("Slow", people=("Julianne Smith",), notify_command=sleeper, notify_timeout=0.5),
    )
    evaluate_watches(store, watches)
    smith_again(store)
    report = evaluate_watches(store, watches)
    assert len(report.new_hits) == 3  # every hit stored, whatever the commands did
    problems = sorted(report.notify_failures)
    assert "exited with 3" in problems[0]
    assert "notify command not found: '/no/such/notifier'" in problems[1]
    assert "took longer than 0.5 s and was stopped" in problems[2]


def test_a_watched_person_is_found_under_every_alias(tmp_path: Path) -> None:
    with open_store(tmp_path / "people.sqlite3") as store:
        watches = (
            WatchConfig("Zelensky", people=("Zelensky",)),  # a surname, spelled another way
            WatchConfig("Donald", people=("Donald J. Trump",)),
            WatchConfig("Clintons", people=("Clinton",)),  # two people share it: both
            WatchConfig("Nominal", people=("the mayor",)),  # no person: the name as written
        )
        add(store, "2016-09-01", ["Donald Trump", "Bill Clinton", "Hillary Clinton"])
        evaluate_watches(store, watches)
        zelenskiy = add(store, "2022-03-01", ["Volodymyr Zelenskiy"])
        trump = add(store, "2022-03-02", ["Mr. Trump"])
        clinton = add(store, "2022-03-03", ["Hillary Clinton", "the mayor"])
        new = {
            (h.watch, h.article_id, h.matched) for h in evaluate_watches(store, watches).new_hits
        }
        assert new == {
            ("Zelensky", zelenskiy, "quotes Volodymyr Zelenskiy"),
            ("Donald", trump, "quotes Mr. Trump"),
            ("Clintons", clinton, "quotes Hillary Clinton"),
            ("Nominal", clinton, "quotes the mayor"),
        }


def test_seen_hits_leave_the_new_list(both: Store) -> None:
    store = both
    watch = WatchConfig("Smith", people=("Julianne Smith",))
    evaluate_watches(store, (watch,))
    new = hits(store, only_new=True)
    assert len(new) == 2
    mark_seen(store, [new[0].id])
    assert [h.id for h in hits(store, only_new=True)] == [new[1].id]


# -- the command line --------------------------------------------------------------------


def test_briefing_watch_new_exits_1_until_marked_seen(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    build_store(path).close()
    config = tmp_path / "c.toml"
    config.write_text(
        '[[watch]]\nname = "Smith"\npeople = ["Julianne Smith"]\n\n'
        '[[watch]]\nname = "Markets"\nwords = ["shares"]\n',
        encoding="utf-8",
    )
    common = ("--config", str(config), "--store", str(path))
    first = briefing("watch", "--new", "--json", *common)
    assert first.returncode == 1, first.stderr
    rows = [json.loads(line) for line in first.stdout.splitlines()]
    assert {(r["watch"], r["title"]) for r in rows} == {
        ("Smith", "US envoy says the alliance stands united"),
        ("Smith", "NATO and Russia hold talks in Brussels"),
        ("Markets", "Markets steady as talks continue"),
    }
    marked = briefing("watch", "--new", "--mark-seen", "--name", "Markets", *common)
    assert marked.returncode == 1 and "1 new watchlist hit" in marked.stdout
    left = briefing("watch", "--new", "--json", *common)
    assert left.returncode == 1 and len(left.stdout.splitlines()) == 2
    briefing("watch", "--mark-seen", *common)
    done = briefing("watch", "--new", *common)
    assert done.returncode == 0 and "0 new watchlist hits" in done.stdout
    export = briefing("export", "--watch", "Smith", *common)
    assert export.returncode == 0 and "2 articles, 5 quotes" in export.stdout
    unknown = briefing("watch", "--name", "Nope", *common)
    assert unknown.returncode == 2 and "no watch named 'Nope'" in unknown.stderr


@pytest.mark.slow
def test_fetch_notifies_what_it_brings(tmp_path: Path) -> None:
    """The real thing: the demo feed ingested (spaCy included), the watch evaluated after."""
    store, log = tmp_path / "demo.sqlite3", tmp_path / "notified.jsonl"
    config = tmp_path / "c.toml"
    command = json.dumps(list(recorder(log)))  # a JSON array is a TOML array
    config.write_text(
        f'[[watch]]\nname = "Smith"\npeople = ["Julianne Smith"]\nnotify_command = {command}\n',
        encoding="utf-8",
    )
    out = briefing(
        "fetch", "--demo", "--store", str(store), "--config", str(config), "--progress", "none"
    )
    assert out.returncode == 0, out.stderr
    # Her two quotes are in one article: one hit, one notification.
    assert "briefing: 1 new watchlist hit (briefing watch --new)" in out.stderr
    sent = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert len(sent) == 1 and sent[0]["speaker"] == "Julianne Smith"
    assert sent[0]["matched"] == "quotes Julianne Smith" and sent[0]["url"].startswith("file:")
    again = briefing(
        "fetch", "--demo", "--store", str(store), "--config", str(config), "--progress", "none"
    )
    assert again.returncode == 0 and "watchlist" not in again.stderr  # nothing new
    assert len(log.read_text(encoding="utf-8").splitlines()) == 1
