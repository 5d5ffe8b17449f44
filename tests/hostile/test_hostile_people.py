"""Hostile people: names with markup and escapes, 10,000 aliases for one person, corrections
that loop or name someone who is gone. A clear message, nothing lost, the store whole.
Real store, real ``briefing`` processes, the real app through its pilot."""

from __future__ import annotations

import json
import sqlite3
from itertools import product
from pathlib import Path

import pytest

from extract.models import Analysis
from extract.names import HONORIFICS
from extract.store import NewArticle, PeopleError, open_store
from extract.store.people import PROFILE_ALIASES
from tests.helpers.app import SIZE, make_app
from tests.helpers.hardening import briefing, cli_problems, forbidden_chars
from tests.helpers.people import add, quote
from tests.helpers.screen import screen_text
from tui.screens.profile import ProfileScreen

HOSTILE = [
    "Mallory [Bold] Quinn\x1b[2J\x07",
    "Eve [link=http://evil]Ha[/link] Smith",
    "Zoë O’Brien\u202e",
    "Bob \\x1b[31m Jones",
    "Carol\x00 Null",
]


def whole(path: Path) -> list[str]:
    """What is wrong with the store: integrity, foreign keys, links to no person."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [str(tuple(r)) for r in conn.execute("PRAGMA foreign_key_check")]
        problems += [
            f"alias of no one: {r[0]}"
            for r in conn.execute(
                "SELECT alias FROM person_aliases WHERE person_id NOT IN (SELECT id FROM people)"
            )
        ]
        return problems
    finally:
        conn.close()


def _quotes(path: Path) -> int:
    with open_store(path) as store:
        return store.conn.execute("SELECT count(*) FROM quotes").fetchone()[0]


@pytest.mark.slow
def test_names_with_markup_and_escapes_are_kept_and_shown_safely(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with open_store(path) as store:
        for i, name in enumerate(HOSTILE):
            add(store, f"2016-09-0{i + 1}", [name], said={name: f"[red]said[/red] {i}"})
    out = briefing("people", "--store", str(path))
    assert cli_problems("people", out) == []
    assert out.returncode == 0 and not forbidden_chars(out.stdout)
    assert b"Mallory" in out.stdout and b"[Bold]" in out.stdout  # as written, not markup
    out = briefing("people", "--json", "--store", str(path))
    names = [json.loads(line)["name"] for line in out.stdout.decode().splitlines()]
    # The escape, the bell, the NUL and the bidi override are not part of anyone's name;
    # "[link=...]" is no name at all (its quotes stay, unlinked: nothing is lost).
    assert sorted(names) == ["Carol Null", "Mallory [Bold] Quinn", "Zoë O’Brien"]
    out = briefing("quotes", "--speaker", "Quinn", "--store", str(path))
    assert cli_problems("quotes --speaker", out) == []
    assert out.returncode == 0 and b"[red]said[/red] 0" in out.stdout
    assert whole(path) == [] and _quotes(path) == len(HOSTILE)


@pytest.mark.slow
def test_ten_thousand_aliases_for_one_person(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    titles = [t.title() for t in HONORIFICS][:20]
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    forms = [f"{t} Donald {a}. {b}. Trump" for t, a, b in product(titles, letters, letters)]
    forms = forms[:10_000]
    text = "x " * 50
    with open_store(path) as store:
        store.add_article(
            NewArticle(
                None,
                "https://a.example/1",
                "t",
                None,
                "2016-09-01T00:00:00+00:00",
                "Wire",
                text,
                "full_text",
            ),
            None,
            None,
            Analysis((), tuple(quote(text, f, 0) for f in forms), "t"),
        )
        later = add(store, "2016-09-02", ["Donald Trump"])
        [trump] = store.find_people("Donald Trump")
        assert trump.alias_count == 10_001 and trump.quotes == 10_001
        assert (
            store.conn.execute(
                "SELECT person_id FROM quotes WHERE article_id = ?", (later,)
            ).fetchone()[0]
            == trump.id
        )
        profile = store.person_profile(trump.id)
        assert profile is not None and len(profile.aliases) == PROFILE_ALIASES
    out = briefing("people", "--json", "--store", str(path))
    [row] = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert row["alias_count"] == 10_001 and len(row["aliases"]) == 5
    out = briefing(
        "quotes", "--speaker", "Mr. Trump", "--limit", "20000", "--json", "--store", str(path)
    )
    assert out.returncode == 0 and len(out.stdout.splitlines()) == 10_001
    assert whole(path) == []


@pytest.mark.slow
async def test_the_app_profile_of_a_person_with_ten_thousand_aliases(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.sqlite3")
    text = "x " * 50
    forms = [
        f"Donald {a}. {b}. {c}. Trump" for a, b, c in product("ABCDEFGHIJKLMNOPQRSTUV", repeat=3)
    ][:10_000]
    store.add_article(
        NewArticle(
            None,
            "https://a.example/1",
            "t",
            None,
            "2016-09-01T00:00:00+00:00",
            "Wire",
            text,
            "full_text",
        ),
        None,
        None,
        Analysis((), tuple(quote(text, f, 0) for f in forms), "t"),
    )
    [trump] = store.find_people("Trump")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        app.main_screen.open_profile(trump.id)
        await pilot.pause()
        assert isinstance(app.screen, ProfileScreen)
        assert "+9988 more" in screen_text(app)
        assert len(app.screen.results) == 500  # the screen lists the newest 500
    store.close()


@pytest.mark.slow
def test_corrections_that_loop_or_name_the_gone_say_so_and_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with open_store(path) as store:
        add(store, "2016-09-01", ["Josh Schwerin"])
        add(store, "2016-09-02", ["Dan Schwerin"])
        add(store, "2016-09-03", ["Melania Trump"])
        josh = store.find_people("Josh Schwerin")[0].id
    before = _quotes(path)
    s = ["--store", str(path)]
    out = briefing("people", "merge", "Josh Schwerin", "Josh Schwerin", *s)
    assert out.returncode == 1 and b"into itself" in out.stderr
    out = briefing("people", "merge", "Josh Schwerin", "Dan Schwerin", *s)
    assert out.returncode == 0, out.stderr
    # The loop back: Josh is no one now (his names are Dan's), so it is Dan into Dan.
    out = briefing("people", "merge", "Dan Schwerin", "Josh Schwerin", *s)
    assert out.returncode == 1 and b"into itself" in out.stderr
    for args in (
        ["rename", f"#{josh}", "X"],
        ["merge", f"#{josh}", "Melania Trump"],
        ["split", f"#{josh}", "Josh Schwerin"],
        ["rename", "Nobody Atall", "X"],
    ):
        out = briefing("people", *args, *s)
        assert cli_problems(" ".join(args), out) == []
        assert out.returncode == 1 and b"Traceback" not in out.stderr, args
        assert b"no one" in out.stderr or b"no person" in out.stderr, out.stderr
    out = briefing("people", "split", "Schwerin", "Nobody", *s)
    assert out.returncode == 1 and b"has no alias 'Nobody'" in out.stderr
    out = briefing("people", "split", "Melania Trump", "Melania Trump", *s)
    assert out.returncode == 1 and b"rename the person instead" in out.stderr
    out = briefing("people", "rename", "Melania Trump", "\x1b[2J\t", *s)
    assert out.returncode == 1 and b"cannot be empty" in out.stderr
    assert _quotes(path) == before and whole(path) == []
    with open_store(path) as store:
        assert [o.action for o in store.person_overrides()] == ["merge"]
        with pytest.raises(PeopleError):
            store.merge_people(josh, josh)


def test_hostile_names_and_ten_thousand_aliases_on_postgres(pg_url: str) -> None:
    """The same registry code on the team's server: names with escapes and a NUL (which
    PostgreSQL text cannot hold), and one article naming one person 10,000 ways."""
    from extract.store import open_pg

    text = "x " * 50
    forms = [
        f"Donald {a}. {b}. {c}. Trump" for a, b, c in product("ABCDEFGHIJKLMNOPQRSTUV", repeat=3)
    ]
    with open_pg(pg_url, "ann") as store:
        for i, name in enumerate(HOSTILE):
            add(store, f"2016-09-0{i + 1}", [name], said={name: f"[red]said[/red] {i}"})
        assert sorted(p.name for p in store.people()) == [
            "Carol Null",
            "Mallory [Bold] Quinn",
            "Zoë O’Brien",
        ]
        store.add_article(
            NewArticle(
                None, "https://a.example/1", "t", None, "2016-09-10T00:00:00+00:00", "Wire",
                text, "full_text",
            ),
            None,
            None,
            Analysis((), tuple(quote(text, f, 0) for f in forms[:10_000]), "t"),
        )  # fmt: skip
        [trump] = store.find_people("Donald Trump")
        assert trump.alias_count == 10_000 and trump.quotes == 10_000
        profile = store.person_profile(trump.id)
        assert profile is not None and len(profile.aliases) == PROFILE_ALIASES
        assert store.people_named("Carol\x00 Null") == [
            (store.find_people("Carol Null")[0].id, "Carol Null")
        ]
