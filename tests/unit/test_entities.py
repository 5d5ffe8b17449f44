"""Entities: canonical person names, honorifics, roles, relabelling."""

from __future__ import annotations

from extract.config import NlpSettings
from extract.models import Entity
from extract.nlp import analyse_text

SETTINGS = NlpSettings()


def people(text: str) -> list[Entity]:
    result = analyse_text(text, SETTINGS)
    assert result.skipped is None
    return [e for e in result.entities if e.label == "PERSON"]


def test_surname_and_honorific_take_the_full_name() -> None:
    text = ("Russian Deputy Foreign Minister Alexander Grushko arrived on Monday.\n\n"
            "Mr Grushko said little. Grushko left early.")
    found = people(text)
    assert {e.canonical for e in found} == {"Alexander Grushko"}
    assert {e.text for e in found} == {"Alexander Grushko", "Mr Grushko", "Grushko"}
    first = found[0]
    assert first.role == "Russian Deputy Foreign Minister"


def test_offsets_point_at_the_mention() -> None:
    text = "The talks were led by Mr Grushko, a former ambassador."
    for e in analyse_text(text, SETTINGS).entities:
        assert text[e.start:e.end] == e.text


def test_role_before_and_after_the_name() -> None:
    before = people("US envoy to NATO Julianne Smith spoke on Tuesday.")
    assert before[0].role == "US envoy to NATO"
    after = people("Michael Carpenter, US ambassador to the OSCE, spoke on Wednesday.")
    assert after[0].role == "US ambassador to the OSCE"
    leading = people("The US ambassador to the OSCE, Michael Carpenter, spoke on Wednesday.")
    assert leading[0].role == "US ambassador to the OSCE"


def test_model_org_with_honorific_is_a_person() -> None:
    text = ("Amara Diallo, an economist at the African Development Bank, spoke first.\n\n"
            "“Borrowing costs too much,” Ms Diallo said.")
    names = {e.canonical for e in people(text)}
    assert names == {"Amara Diallo"}


def test_all_labels_are_kept() -> None:
    result = analyse_text("NATO met in Brussels on Wednesday.", SETTINGS)
    labels = {e.label for e in result.entities}
    assert {"ORG", "GPE"} <= labels


def test_two_people_with_one_surname_stay_apart() -> None:
    text = "Hillary Clinton and Bill Clinton arrived. Later Clinton spoke."
    names = {e.canonical for e in people(text)}
    assert {"Hillary Clinton", "Bill Clinton"} <= names


def test_known_person_by_surname_or_full_name() -> None:
    from extract.nlp import load_pipeline
    from extract.nlp.entities import find_people

    nlp = load_pipeline(SETTINGS)
    found = find_people(nlp("Sarah Fielding met Tom Fielding and Mary Jones on Monday."))
    assert found.known_person("Mary Jones") == "Mary Jones"
    assert found.known_person("Jones") == "Mary Jones"
    assert found.known_person("Tom Fielding") == "Tom Fielding"
    assert found.known_person("Fielding") is None  # two people answer to it
    assert found.known_person("Mary") is None  # first names are not looked up here
