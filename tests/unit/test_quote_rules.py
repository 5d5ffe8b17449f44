"""The quote rules for real web pages, one class of error per test, on small
hand-written texts: quoted names that are no quotes, speakers that are no
names, the wrong person, and roles that are no roles."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from extract.config import NlpSettings
from extract.models import Analysis, Quote
from extract.nlp import analyse_text
from extract.nlp.attribution.roles import is_role
from extract.store import open_store
from extract.store.records import StoredQuote
from tests.helpers.storefactory import Draft, add_draft
from tui.widgets.marks import speaker_mark

SETTINGS = NlpSettings()


def analyse(text: str) -> Analysis:
    result = analyse_text(text, SETTINGS)
    assert result.skipped is None
    return result


def direct(text: str) -> list[Quote]:
    return [q for q in analyse(text).quotes if q.kind == "direct"]


def one(quotes: list[Quote], start: str) -> Quote:
    found = [q for q in quotes if q.text.startswith(start)]
    assert len(found) == 1, (start, [q.text for q in quotes])
    return found[0]


# -- quoted names, titles and terms are no quotes -----------------------------

REAL = "“We will rebuild the bridge by spring,” Mayor Ana Lopes said on Monday."


def test_titles_slogans_and_terms_are_not_quotes() -> None:
    texts = [
        "The agency ran the slogan “Drive slow, live long.” across the state.",
        "The plan has been dubbed “the billionaire's giveaway.”",
        "The band closed with its hit single “Rivers of Light Over the Old Town Square.”",
        "Officials defended the “one country, two systems” formula on Monday.",
        "The car has a front trunk, or “frunk,” with room for two bags.",
        "Many think the app will be the “Uber of laundry,” but sales are slow.",
        "“Stay home, stay safe” is printed on every bus in the city.",
        "We should not forget the state's “Meth. We are on it.” ad campaign.",
        "What is the new motto?\n\n“Faster, higher, greener.”\n\nIt was chosen by pupils.",
    ]
    for text in texts:
        found = [q.text for q in direct(f"{text}\n\n{REAL}")]
        assert found == ["We will rebuild the bridge by spring,"], text


def test_a_quoted_heading_is_no_quote_nor_credited_to_the_next_speaker() -> None:
    text = "3. “Not some irregular channel”\n\n“I never used that term,” Kurt Vogel said."
    assert [q.text for q in direct(text)] == ["I never used that term,"]


def test_inch_marks_are_not_quote_marks() -> None:
    text = (
        'The 65"+ TV costs $400 this week, a record low.\n\n'
        "“It is the best deal of the season,” analyst Ben Ortiz said."
    )
    quotes = direct(text)
    assert [q.text for q in quotes] == ["It is the best deal of the season,"]
    assert quotes[0].speaker == "Ben Ortiz"


def test_a_partial_quote_woven_into_a_clause_is_kept() -> None:
    quotes = direct(
        "Senator Paul Grant called the bill “a gift to polluters and nobody else” on Tuesday."
    )
    q = one(quotes, "a gift to polluters")
    assert q.speaker == "Paul Grant"  # the clause's subject: no speech verb needed


# -- speakers that are no names ------------------------------------------------


def test_a_document_speaks_for_its_issuer() -> None:
    q = one(
        direct(
            "“We never blocked the concert,” said a statement from Harbor Line Records on Friday."
        ),
        "We never blocked",
    )
    assert q.speaker == "Harbor Line Records"
    assert q.resolution == "explicit"


def test_a_description_is_stored_as_such_when_nobody_is_named() -> None:
    q = one(
        direct(
            "The bridge has been closed since May.\n\n“The road will reopen on Friday,” "
            "a spokesman said."
        ),
        "The road will reopen",
    )
    assert q.speaker == "spokesman"
    assert q.resolution == "description"
    assert not q.inferred
    assert speaker_mark(q) == "not named"
    stored = StoredQuote(1, 1, q, "Bridge", "Wire", "2024-05-01", None)
    assert "spokesman (not named)" in stored.citation()


def test_a_description_quote_survives_the_store(tmp_path: Path) -> None:
    text = "“The road will reopen on Friday,” a spokesman said."
    draft = Draft("Bridge", text, "Wire", "2024-05-01", "Wire World").quote(
        "The road will reopen on Friday,",
        "spokesman",
        mention="a spokesman",
        resolution="description",
    )
    with open_store(tmp_path / "s.sqlite3") as store:
        article_id = add_draft(store, draft, None, 0)
        assert [q.resolution for q in store.quotes(article_id)] == ["description"]


def test_a_store_of_the_old_schema_takes_descriptions(tmp_path: Path) -> None:
    from extract.store.connection import _statements
    from extract.store.migrations import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for migration in MIGRATIONS[:2]:
        for statement in _statements(migration):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    conn.execute(
        "INSERT INTO articles (title, text, text_status, added_at) "
        "VALUES ('Old', 'Old text', 'full_text', '2022')"
    )
    conn.execute(
        "INSERT INTO quotes (article_id, kind, text, spans, speaker, resolution, "
        "sentence_start, sentence_end) VALUES (1, 'direct', 'Kept words', "
        "'[[0, 4]]', 'Ana', 'explicit', 0, 8)"
    )
    conn.close()
    text = "“The road will reopen on Friday,” a spokesman said."
    draft = Draft("Bridge", text, "Wire", "2024-05-01", "Wire World").quote(
        "The road will reopen on Friday,", "spokesman", resolution="description"
    )
    with open_store(path) as store:
        assert [q.text for q in store.quotes(1)] == ["Kept words"]
        assert [s.quote.speaker for s in store.search_quotes("kept")] == ["Ana"]
        new_id = add_draft(store, draft, None, 1)
        assert [q.resolution for q in store.quotes(new_id)] == ["description"]
        assert [s.quote.speaker for s in store.search_quotes("reopen")] == ["spokesman"]


def test_a_role_noun_stands_for_the_named_person() -> None:
    text = (
        "Actor Tom Reyes has left the long-running show after ten seasons.\n\n"
        "“It was the hardest decision of my life,” the actor said."
    )
    q = one(direct(text), "It was the hardest")
    assert q.speaker == "Tom Reyes"
    assert q.speaker_mention == "actor"


def test_an_apposed_title_names_the_speaker_of_the_title() -> None:
    text = (
        "Maria Costa, the ambassador to Spain, arrived in Madrid on Monday.\n\n"
        "“We want calm and we want talks,” the ambassador told reporters."
    )
    assert one(direct(text), "We want calm").speaker == "Maria Costa"


# -- the wrong person -----------------------------------------------------------


def test_she_said_continues_the_woman_just_quoted() -> None:
    text = (
        "Mary Lund thanked Ruth Dahl for the grant on Monday.\n\n"
        "“We will spend every cent on the school,” Lund said. "
        "“Every child will have a laptop by June,” she said."
    )
    quotes = direct(text)
    assert one(quotes, "Every child will").speaker == "Mary Lund"


# -- roles -------------------------------------------------------------------------


def test_a_role_found_once_belongs_to_all_the_persons_quotes() -> None:
    text = (
        "“We will build more homes this year,” said Housing Minister Ana Ribeiro.\n\n"
        "Prices rose again in March.\n\n"
        "“Rents are simply too high for young families,” Ribeiro added."
    )
    quotes = direct(text)
    assert one(quotes, "We will build").role == "Housing Minister"
    assert one(quotes, "Rents are simply").role == "Housing Minister"


def test_roles_are_titles_positions_or_affiliations() -> None:
    for role in (
        "little mention",
        "closeness",
        "photograph",
        "lab",
        "year-old",
        "Nobel Prize in 2004",
        "man",
        "He",
        "Britain",
        None,
        "",
    ):
        assert not is_role(role), role
    for role in (
        "US envoy to NATO",
        "chest doctor at the Royal Infirmary",
        "planetary geologist",
        "Taliban spokesman",
        "CEO",
        "U.S. Attorney",
        "Wild defenseman",
        "founding director of the Center for Environmental Politics",
    ):
        assert is_role(role), role


def test_a_share_of_respondents_speaks_for_the_poll() -> None:
    text = (
        "A new Harbor Times poll shows support for the plan. Sixty percent say that "
        "“the city should build the bridge before the election.”"
    )
    assert one(direct(text), "the city should").speaker == "Harbor Times"


def test_a_signature_paragraph_signs_the_quote_before_it() -> None:
    text = (
        "“The show was great and the seats were comfortable.”\n\n– Dana K.\n\n"
        "“We loved every minute of the second act.”\n\n– Ali***"
    )
    quotes = direct(text)
    assert (one(quotes, "The show was").speaker or "").rstrip(".") == "Dana K"
    assert one(quotes, "We loved").speaker == "Ali***"  # as written, not cut at "Ali"


def test_they_said_is_the_group_with_a_plural_verb() -> None:
    text = (
        "Critics said big labels can hurt small artists.\n\n"
        "Harbor Line have denied doing anything wrong.\n\n"
        "“At no point did we block the concert,” they said in a statement."
    )
    assert one(direct(text), "At no point").speaker == "Harbor Line"


def test_a_few_words_in_a_named_speakers_reported_clause_are_a_quote() -> None:
    text = "Mayor Ana Lopes said the engineers had “patched” the bridge overnight."
    assert one(direct(text), "patched").speaker == "Ana Lopes"
    assert direct("Forecasters warned that smog would reach “severe” levels.") == []


def test_the_statement_is_the_one_its_issuer_made() -> None:
    text = (
        "Two sailors were hurt in a fire, the Harbor Authority said in a statement on "
        "Monday.\n\n“No ship was damaged by the fire,” the statement said."
    )
    assert one(direct(text), "No ship was").speaker == "Harbor Authority"
