"""People across articles: names, the linking rules, the registry in a real store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from extract.models import Analysis
from extract.people import parse_name
from extract.people.variants import same_given, surname_key
from extract.store import PeopleError, Store, open_pg, open_store
from tests.helpers.people import add, one, person_of, quote


def why(store, alias: str) -> str:  # noqa: ANN001 - either backend
    return one(store, "SELECT why FROM person_aliases WHERE alias = ?", (alias,))


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "s.sqlite3") as s:
        yield s


@pytest.fixture(params=["sqlite", "postgres"])
def both(request: pytest.FixtureRequest, tmp_path: Path):
    """The same people registry on each backend: one ``people.py`` runs on both."""
    if request.param == "sqlite":
        opened = open_store(tmp_path / "s.sqlite3")
    else:
        opened = open_pg(request.getfixturevalue("pg_url"), "ann")
    with opened as s:
        yield s


# -- names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,given,surname",
    [
        ("Donald J. Trump", "donald", "trump"),
        ("Mr. Trump", "", "trump"),
        ("President Donald Trump", "donald", "trump"),
        ("Fox News's Ed Henry", "ed", "henry"),
        ("CNN’s Jake Tapper", "jake", "tapper"),
        ("Ursula von der Leyen", "ursula", "von der leyen"),
        ("Martin Luther King Jr.", "martin", "king"),
        ("Azucena Gonzàlez", "azucena", "gonzalez"),
    ],
)
def test_names_lose_titles_initials_and_outlets(text: str, given: str, surname: str) -> None:
    name = parse_name(text)
    assert name is not None and (name.given, name.surname) == (given, surname)


@pytest.mark.parametrize(
    "text",
    [
        "the mayor",
        "officials",
        "",
        "x" * 500,
        "[bold]Evil[/bold]",
        "Charles Grassley and Patrick Leahy",
    ],
)
def test_descriptions_and_junk_are_not_names(text: str) -> None:
    assert parse_name(text) is None


def test_spelling_variants_and_short_forms() -> None:
    assert surname_key("Zelenskiy") == surname_key("Zelensky") == surname_key("Zelenskyy")
    assert surname_key("Mohammed") == surname_key("Mohamed")
    assert surname_key("Trump") != surname_key("Truman")
    assert same_given("Pat", "Patrick") and same_given("Bob", "Rob")
    assert not same_given("Patrick", "Patricia")  # a shared short form is not enough
    assert not same_given("Josh", "Dan") and not same_given("Hillary", "Bill")


# -- linking -------------------------------------------------------------------


def test_variants_of_one_person_link_across_articles(both: Store) -> None:
    store = both
    a = add(store, "2016-09-01", ["Donald Trump"])
    b = add(store, "2016-09-02", ["Donald J. Trump"])
    c = add(store, "2016-09-03", ["Mr. Trump"])
    d = add(store, "2016-09-04", ["Volodymyr Zelenskiy"])
    e = add(store, "2016-09-05", ["Volodymyr Zelensky"])
    f = add(store, "2016-09-06", ["Pat Carlineo"])
    g = add(store, "2016-09-07", ["Patrick Carlineo"])
    h = add(store, "2016-09-08", ["Fox News's Ed Henry"])
    i = add(store, "2016-09-09", ["Ed Henry"])
    trump = person_of(store, a, "Donald Trump")
    assert person_of(store, b, "Donald J. Trump") == person_of(store, c, "Mr. Trump") == trump
    assert person_of(store, d, "Volodymyr Zelenskiy") == person_of(store, e, "Volodymyr Zelensky")
    assert person_of(store, f, "Pat Carlineo") == person_of(store, g, "Patrick Carlineo")
    assert person_of(store, h, "Fox News's Ed Henry") == person_of(store, i, "Ed Henry")
    assert store.person(person_of(store, h, "Fox News's Ed Henry")).name == "Ed Henry"
    assert "spelling variant" in why(store, "Volodymyr Zelensky")
    assert "short form" in why(store, "Patrick Carlineo")
    assert "the only 'Trump'" in why(store, "Mr. Trump")
    assert len(store.people()) == 4


def test_people_who_share_a_surname_stay_apart(both: Store) -> None:
    store = both
    a = add(store, "2016-09-01", ["Hillary Clinton", "Bill Clinton"])
    b = add(store, "2016-09-02", ["Melania Trump"], people=("Donald Trump",))
    c = add(store, "2016-09-03", ["Josh Schwerin"])
    d = add(store, "2016-09-04", ["Dan Schwerin"])
    assert person_of(store, a, "Hillary Clinton") != person_of(store, a, "Bill Clinton")
    assert person_of(store, c, "Josh Schwerin") != person_of(store, d, "Dan Schwerin")
    melania = person_of(store, b, "Melania Trump")
    donald = one(store, "SELECT person_id FROM entities WHERE canonical = 'Donald Trump'")
    assert melania != donald
    # "Clinton" alone, with both around that week: neither is assumed.
    e = add(store, "2016-09-05", ["Clinton"])
    assert person_of(store, e, "Clinton") not in (
        person_of(store, a, "Hillary Clinton"),
        person_of(store, a, "Bill Clinton"),
    )
    assert "ambiguous" in why(store, "Clinton")


def test_a_surname_follows_the_full_name_of_its_own_article(store: Store) -> None:
    add(store, "2016-09-01", ["Hillary Clinton"])
    add(store, "2016-09-01", ["Bill Clinton"])
    a = add(store, "2016-09-02", ["Clinton"], people=("Bill Clinton",))
    assert person_of(store, a, "Clinton") == store.find_people("Bill Clinton")[0].id
    assert "same article" in why(store, "Clinton")


def test_a_surname_far_from_its_only_namesake_still_links(store: Store) -> None:
    add(store, "2016-01-01", ["Neera Tanden"])
    a = add(store, "2016-09-01", ["Tanden"])
    assert person_of(store, a, "Tanden") == store.find_people("Neera Tanden")[0].id


def test_orgs_that_speak_are_people_and_nominal_speakers_are_not(both: Store) -> None:
    store = both
    a = add(store, "2016-09-01", ["ABC News", "the mayor"], orgs=("ABC News",))
    b = add(store, "2016-09-02", [], orgs=("ABC News",))
    org = person_of(store, a, "ABC News")
    assert store.person(org).kind == "org"
    assert person_of(store, a, "the mayor") is None
    assert one(store, "SELECT person_id FROM entities WHERE article_id = ?", (b,)) == org


def test_reanalysis_keeps_the_people(store: Store) -> None:
    a = add(store, "2016-09-01", ["Donald Trump"])
    trump = person_of(store, a, "Donald Trump")
    text = store.article(a).text
    store.replace_text(
        a,
        text=text,
        text_status="full_text",
        text_reason=None,
        language="en",
        cleaned_with="t",
        analysis=Analysis((), (quote(text, "Donald Trump", 0),), "t2"),
    )
    assert person_of(store, a, "Donald Trump") == trump
    assert len(store.people()) == 1


# -- corrections -----------------------------------------------------------------


def test_merge_holds_on_later_fetches(both: Store) -> None:
    store = both
    a = add(store, "2016-09-01", ["Pat Smith"])
    b = add(store, "2016-09-02", ["Patricia Smith"])  # "Pat" may be her: the rule links it
    c = add(store, "2016-09-03", ["Trish Smith"])
    trish, patricia = person_of(store, c, "Trish Smith"), person_of(store, b, "Patricia Smith")
    assert trish != patricia and person_of(store, a, "Pat Smith") == patricia
    store.merge_people(trish, patricia)
    assert store.person(trish) is None
    d = add(store, "2016-09-04", ["Trish Smith"])
    assert person_of(store, d, "Trish Smith") == patricia
    assert store.person(patricia).quotes == 4
    assert [o.action for o in store.person_overrides()] == ["merge"]


def test_split_holds_on_later_fetches(store: Store) -> None:
    add(store, "2016-09-01", ["Donald Trump"])
    a = add(store, "2016-09-02", ["Trump"])
    donald = store.find_people("Donald Trump")[0].id
    assert person_of(store, a, "Trump") == donald
    new = store.split_person(donald, "Trump")
    assert person_of(store, a, "Trump") == new and new != donald
    b = add(store, "2016-09-03", ["Trump"])
    assert person_of(store, b, "Trump") == new
    assert store.person(donald).quotes == 1
    assert "split" in store.person_overrides()[0].detail
    text = store.article(a).text  # reprocess writes the analysis again: the split holds
    store.replace_text(
        a,
        text=text,
        text_status="full_text",
        text_reason=None,
        language="en",
        cleaned_with="t",
        analysis=Analysis((), (quote(text, "Trump", 0),), "t"),
    )
    assert person_of(store, a, "Trump") == new


def test_rename_holds_and_bad_corrections_say_why(both: Store) -> None:
    store = both
    a = add(store, "2016-09-01", ["Trump"])
    trump = person_of(store, a, "Trump")
    store.rename_person(trump, "The Donald")
    add(store, "2016-09-02", ["Donald Trump"])  # a full name would name him: not now
    assert store.person(trump).name == "The Donald"
    with pytest.raises(PeopleError, match="into itself"):
        store.merge_people(trump, trump)
    with pytest.raises(PeopleError, match="no person #999"):
        store.merge_people(999, trump)
    with pytest.raises(PeopleError, match="no alias"):
        store.split_person(trump, "Nobody")
    with pytest.raises(PeopleError, match="empty"):
        store.rename_person(trump, "\x1b \n\t")
    assert [o.action for o in store.person_overrides()] == ["rename"]  # the failed: none
    if isinstance(store, Store):
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def testquotes_by_person_gather_every_alias(both: Store) -> None:
    store = both
    add(store, "2016-09-01", ["Donald Trump"])
    add(store, "2016-09-02", ["Donald J. Trump"])
    add(store, "2016-09-03", ["Mr. Trump"])
    [trump] = store.find_people("Trump")
    assert [q.quote.speaker for q in store.quotes_by(person_id=trump.id)] == [
        "Mr. Trump",
        "Donald J. Trump",
        "Donald Trump",
    ]


def test_an_old_store_is_linked_when_migrated(tmp_path: Path) -> None:
    from extract.store.connection import _statements
    from extract.store.migrations import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:2]:  # a store as version 2 wrote it
        for statement in _statements(script):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    for n, (day, speaker) in enumerate(
        [
            ("2016-09-01", "Donald Trump"),
            ("2016-09-02", "Donald J. Trump"),
            ("2016-09-03", "the mayor"),
        ],
        1,
    ):
        conn.execute(
            "INSERT INTO articles (id, title, text, text_status, added_at, published) "
            "VALUES (?, 't', 'text', 'full_text', '2016', ?)",
            (n, day),
        )
        conn.execute(
            "INSERT INTO quotes (article_id, kind, text, spans, speaker, resolution, "
            "sentence_start, sentence_end) VALUES (?, 'direct', 'q', '[[0, 1]]', ?, "
            "'explicit', 0, 4)",
            (n, speaker),
        )
    conn.close()
    with open_store(path) as s:
        ids = [r[0] for r in s.conn.execute("SELECT person_id FROM quotes ORDER BY id")]
        assert ids[0] == ids[1] and ids[0] is not None and ids[2] is None
        assert [(p.name, p.quotes) for p in s.people()] == [("Donald Trump", 2)]
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert (tmp_path / "old.sqlite3.v2.bak").exists()


def test_a_nickname_before_the_name_does_not_split_the_person(store: Store) -> None:
    a = add(store, "2016-09-01", ["Hillary Clinton", "Bill Clinton"])
    b = add(store, "2016-09-02", ["Crooked Hillary Clinton"])
    assert person_of(store, b, "Crooked Hillary Clinton") == person_of(store, a, "Hillary Clinton")


def test_an_honorific_tells_which_namesake_a_surname_is(store: Store) -> None:
    a = add(store, "2016-09-01", ["Barack Obama"], people=("Michelle Obama",))
    b = add(store, "2016-09-02", ["Obama"], people=("Michelle Obama",))
    store.conn.execute("UPDATE quotes SET speaker_mention = 'Mr. Obama' WHERE article_id = ?", (b,))
    store.relink_people()
    assert person_of(store, b, "Obama") == person_of(store, a, "Barack Obama")


def test_lookup_helpers_name_people_by_any_alias(both: Store) -> None:
    store = both
    a = add(store, "2016-09-01", ["Donald Trump", "Hillary Clinton"])
    add(store, "2016-09-02", ["Donald J. Trump"])
    add(store, "2016-09-03", ["Volodymyr Zelenskiy"])
    trump, clinton = person_of(store, a, "Donald Trump"), person_of(store, a, "Hillary Clinton")
    assert store.people_named("trump") == [(trump, "Donald Trump")]  # typed in lower case
    assert store.people_named("Donald J. Trump") == [(trump, "Donald Trump")]
    assert [n for _, n in store.people_named("Zelensky")] == ["Volodymyr Zelenskiy"]
    assert store.people_named("#1") == [] and store.people_named("x" * 5000) == []
    assert store.people_containing("onald") == [trump]  # the most quoted first
    assert set(store.people_containing("on")) == {trump, clinton}
    assert store.people_containing("%") == store.people_containing("_") == []  # literal


def test_split_and_the_profile_read_the_same_on_both(both: Store) -> None:
    add(both, "2016-09-01", ["Donald Trump"], roles={"Donald Trump": "president"})
    a = add(both, "2016-09-02", ["Trump"], source="Ledger")
    donald = both.find_people("Donald Trump")[0].id
    profile = both.person_profile(donald)
    assert profile is not None
    assert [r.role for r in profile.roles] == ["president"]
    assert dict(profile.outlets) == {"Wire": 1, "Ledger": 1}
    new = both.split_person(donald, "Trump")
    assert person_of(both, a, "Trump") == new != donald
    b = add(both, "2016-09-03", ["Trump"])
    assert person_of(both, b, "Trump") == new  # the split holds on a later fetch
    assert both.person_ids("#" + str(new)) == [new]
    assert [o.action for o in both.person_overrides()] == ["split"]


def test_a_postgres_store_of_articles_is_linked_when_migrated(pg_url: str) -> None:
    """A database made before the people registry (schema 1) is linked when it arrives."""
    import psycopg
    from psycopg.rows import dict_row

    from extract.store.pg_connect import _prepare
    from extract.store.pg_migrations import PG_MIGRATIONS

    with psycopg.connect(pg_url, autocommit=True, row_factory=dict_row) as conn, conn.transaction():
        _prepare(conn)
        conn.execute(PG_MIGRATIONS[0].encode())
        conn.execute("UPDATE briefing_schema SET version = 1")
        for n, speaker in enumerate(["Donald Trump", "Donald J. Trump", "the mayor"], 1):
            conn.execute(
                "INSERT INTO articles (id, title, text, text_status, added_at, published) "
                "VALUES (%s, 't', 'text', 'full_text', '2016', %s)",
                (n, f"2016-09-0{n}"),
            )
            conn.execute(
                "INSERT INTO quotes (article_id, kind, text, spans, speaker, resolution, "
                "sentence_start, sentence_end) VALUES (%s, 'direct', 'q', '[[0, 1]]', %s, "
                "'explicit', 0, 4)",
                (n, speaker),
            )
    with open_pg(pg_url, "ann") as s:
        assert [(p.name, p.quotes) for p in s.people()] == [("Donald Trump", 2)]
        assert person_of(s, 1, "Donald Trump") == person_of(s, 2, "Donald J. Trump")
        assert person_of(s, 3, "the mayor") is None
