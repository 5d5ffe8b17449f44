"""Entities: canonical person names, honorifics, roles, relabelling."""

from __future__ import annotations

import pytest

from extract.config import NlpSettings
from extract.models import Entity
from extract.nlp import analyse_text

SETTINGS = NlpSettings()


def people(text: str) -> list[Entity]:
    result = analyse_text(text, SETTINGS)
    assert result.skipped is None
    return [e for e in result.entities if e.label == "PERSON"]


@pytest.mark.slow
def test_surname_and_honorific_take_the_full_name() -> None:
    text = (
        "Russian Deputy Foreign Minister Alexander Grushko arrived on Monday.\n\n"
        "Mr Grushko said little. Grushko left early."
    )
    found = people(text)
    assert {e.canonical for e in found} == {"Alexander Grushko"}
    assert {e.text for e in found} == {"Alexander Grushko", "Mr Grushko", "Grushko"}
    first = found[0]
    assert first.role == "Russian Deputy Foreign Minister"


@pytest.mark.slow
def test_offsets_point_at_the_mention() -> None:
    text = "The talks were led by Mr Grushko, a former ambassador."
    for e in analyse_text(text, SETTINGS).entities:
        assert text[e.start : e.end] == e.text


def test_role_before_and_after_the_name() -> None:
    before = people("US envoy to NATO Julianne Smith spoke on Tuesday.")
    assert before[0].role == "US envoy to NATO"
    after = people("Michael Carpenter, US ambassador to the OSCE, spoke on Wednesday.")
    assert after[0].role == "US ambassador to the OSCE"
    leading = people("The US ambassador to the OSCE, Michael Carpenter, spoke on Wednesday.")
    assert leading[0].role == "US ambassador to the OSCE"


def test_model_org_with_honorific_is_a_person() -> None:
    text = (
        "Amara Diallo, an economist at the African Development Bank, spoke first.\n\n"
        "“Borrowing costs too much,” Ms Diallo said."
    )
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


# --- junk names and impossible labels (hand-written texts of the shapes seen on real pages) ---


def entities(text: str) -> list[Entity]:
    result = analyse_text(text, SETTINGS)
    assert result.skipped is None
    return list(result.entities)


def test_links_and_handles_are_not_names() -> None:
    text = (
        "Watch the ferry video at pic.twitter.com/Ab12Cd34 or https://harbour.example/news/1 "
        "on Monday, posted by @harbourdesk. The Harbour Authority said it would reply."
    )
    found = entities(text)
    assert not [e for e in found if "/" in e.text or "@" in e.text or "twitter" in e.text]
    assert "Harbour Authority" in {e.canonical for e in found}


def test_lowercase_words_and_fragments_are_not_names() -> None:
    text = (
        "She said she didn't know. The meth epidemic grew, and meth was everywhere, "
        "officials said. Dana Reyes, the sheriff, said it wasn't over."
    )
    found = entities(text)
    names = [e for e in found if e.label in {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}]
    assert all(any(c.isupper() for c in e.text) for e in names), names
    assert not [e for e in found if e.text.lower() in {"n't", "n’t", "meth"}]
    assert "Dana Reyes" in {e.canonical for e in names if e.label == "PERSON"}


def test_a_name_with_a_glued_copy_of_itself_is_dropped() -> None:
    text = "Rep. Maria OrtizMaria Ortiz said the bill would fail. Ortiz voted against it."
    persons = people(text)
    assert not [e for e in persons if "OrtizMaria" in e.text]


def test_names_keep_no_line_breaks_or_leading_lowercase_words() -> None:
    text = "Reviewers praised the new Harbourbook Pro\n\nThe older Harbourbook Pro was slower."
    for e in entities(text):
        assert e.text == e.text.strip() and "\n" not in e.text
        assert e.text[:1].isupper() or not e.text[:1].isalpha() or e.label not in {"PERSON"}


def test_outlet_possessive_is_the_reporter() -> None:
    text = (
        "Emily Feng reported from Beijing on Monday. NPR’s Feng said the factories were "
        "closed, and NPR's Feng added that the roads were empty."
    )
    persons = people(text)
    assert {e.canonical for e in persons} == {"Emily Feng"}
    assert all(e.text in {"Emily Feng", "Feng"} for e in persons)
    assert "NPR" in {e.canonical for e in entities(text) if e.label == "ORG"}


def test_a_place_the_article_puts_in_front_of_a_preposition_is_a_place() -> None:
    text = (
        "The ship left Rotterdam on Monday. Dockers in Rotterdam said the strike would go "
        "on. Rotterdam is Europe's largest port."
    )
    labels = {e.label for e in entities(text) if e.text == "Rotterdam"}
    assert labels and "PERSON" not in labels


def test_a_surname_stays_a_person_when_the_article_gives_the_full_name() -> None:
    text = (
        "Michael Jordan arrived in Chicago on Monday. Jordan said in Chicago that he "
        "was happy to be home."
    )
    assert "Michael Jordan" in {e.canonical for e in people(text)}


def test_organisation_evidence_overrules_a_place_label() -> None:
    found = entities("Gas prices rose in Europe. The company, Gazprom, said repairs were needed.")
    assert {e.label for e in found if e.text == "Gazprom"} == {"ORG"}


def test_legal_suffix_makes_an_organisation() -> None:
    from extract.nlp import load_pipeline
    from extract.nlp.entities import Mention
    from extract.nlp.entity_filter import settle_labels

    doc = load_pipeline(SETTINGS)("Northwind Holdings Inc rose.")
    m = Mention(0, 3, "GPE", "Northwind Holdings Inc", "Northwind Holdings Inc")
    settle_labels(doc, [m], set())
    assert m.label == "ORG"


def test_the_majority_label_of_a_string_wins() -> None:
    from extract.nlp.entities import Mention
    from extract.nlp.entity_filter import majority_labels

    mentions = [
        Mention(i, i + 1, label, "Delhi", "Delhi")
        for i, label in enumerate(["GPE", "GPE", "PERSON", "GPE", "GPE"])
    ]
    honorific = Mention(9, 10, "PERSON", "Delhi", "Delhi", gender="m")
    tie = [
        Mention(20, 21, "GPE", "Jordan", "Jordan"),
        Mention(22, 23, "PERSON", "Jordan", "Jordan"),
    ]
    majority_labels([*mentions, honorific, *tie])
    assert [m.label for m in mentions] == ["GPE"] * 5
    assert honorific.label == "PERSON"  # "Mr Delhi" says person whatever the others say
    assert [m.label for m in tie] == ["GPE", "PERSON"]  # no majority: nothing to overrule


def test_lowercase_miss_is_not_an_honorific() -> None:
    text = "“I miss Steve every day,” Dana Reyes said. Steve Park left the port in May."
    persons = people(text)
    assert "miss Steve" not in {e.text for e in persons}


def test_entities_panel_shows_names_before_numbers_and_dates() -> None:
    from extract.store.records import EntityCount
    from tui.widgets.entity_panel import entity_order

    counts = [
        EntityCount(label, name, None, n)
        for label, name, n in [
            ("CARDINAL", "two", 9),
            ("DATE", "Monday", 7),
            ("EVENT", "Port Week", 1),
            ("GPE", "Rotterdam", 2),
            ("PERSON", "Dana Reyes", 1),
            ("ORG", "Harbour Authority", 3),
            ("PERCENT", "5%", 4),
            ("LOC", "Europe", 1),
            ("MONEY", "$5", 2),
            ("XYZ", "new label", 1),
        ]
    ]
    order = [c.label for c in sorted(counts, key=entity_order)]
    assert order[:4] == ["PERSON", "ORG", "GPE", "LOC"]
    assert order.index("EVENT") < order.index("XYZ") < order.index("DATE")
    assert set(order[-4:]) == {"DATE", "MONEY", "PERCENT", "CARDINAL"}


def test_a_name_set_beside_a_thing_is_no_place() -> None:
    text = (
        "The fever is caused by the bacterium Harbouria portensis, which spreads in water. "
        "Harbouria portensis was first found in Lisbon."
    )
    found = entities(text)
    assert not [e for e in found if "Harbouria" in e.text and e.label in {"GPE", "LOC", "FAC"}]
    assert "Lisbon" in {e.text for e in found if e.label == "GPE"}


def test_a_name_beside_city_is_a_place() -> None:
    text = (
        "The outbreak began in the port city Rotterdam, where the ships dock. "
        "Rotterdam closed its port."
    )
    labels = {e.label for e in entities(text) if e.text == "Rotterdam"}
    assert labels and "PERSON" not in labels


def test_numbers_dates_and_amounts_are_kept() -> None:
    text = (
        "In the 1990s, 30 allies met in Brussels. By 2021 the fund held $5 billion, "
        "up 12 percent, and 100,000 troops were ready."
    )
    labels = {e.label for e in entities(text)}
    assert {"DATE", "CARDINAL", "MONEY", "PERCENT"} <= labels


def test_a_state_the_president_won_does_not_make_him_a_place() -> None:
    text = (
        "President Harlan visited the capital. Dana Reyes lost in a state Harlan won by "
        "30 points, and Harlan said he was pleased."
    )
    labels = {e.label for e in entities(text) if e.text == "Harlan"}
    assert labels == {"PERSON"}
