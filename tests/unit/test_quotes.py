"""Direct quotes, reported speech and speakers, on the seed article and on
small hand-written sentences, one per quote form."""

from __future__ import annotations

import pytest

from extract.config import NlpSettings
from extract.models import Analysis, Quote
from extract.nlp import analyse_text, analyse_texts, load_pipeline
from extract.nlp.quote_spans import find_quotes
from tests.helpers import FIXTURES
from tests.helpers.cpu import cpu_budget

SEED = FIXTURES / "seed" / "nato-russia.txt"
SETTINGS = NlpSettings()


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The article paragraphs: up to and including the Carpenter paragraph
    (the last three lines are newsletter boilerplate the cleaner removes)."""
    text = SEED.read_text(encoding="utf-8")
    end = text.index("\n", text.index("Michael Carpenter"))
    return text[:end]


@pytest.fixture(scope="session")
def seed(seed_text: str) -> Analysis:
    return analyse_text(seed_text, SETTINGS)


def one(quotes: tuple[Quote, ...] | list[Quote], start: str) -> Quote:
    found = [q for q in quotes if q.text.startswith(start)]
    assert len(found) == 1, (start, [q.text for q in quotes])
    return found[0]


def analyse(text: str) -> Analysis:
    result = analyse_text(text, SETTINGS)
    assert result.skipped is None
    return result


# -- the seed article ---------------------------------------------------------


def test_seed_direct_quote_with_role(seed: Analysis, seed_text: str) -> None:
    q = one(seed.quotes, "Let’s be clear: Russian actions have precipitated this crisis")
    assert (q.kind, q.speaker, q.role, q.resolution) == (
        "direct",
        "Julianne Smith",
        "US envoy to NATO",
        "explicit",
    )
    assert q.cue == "told"
    assert seed_text[q.speaker_start : q.speaker_end] == "Julianne Smith"
    assert q.text.endswith("to de-escalate the situation,")
    assert seed_text[q.start - 1] == "“" and seed_text[q.end] == "”"


def test_seed_pronoun_speaker(seed: Analysis, seed_text: str) -> None:
    q = one(seed.quotes, "We want to see … Russia pulling back its forces")
    assert (q.speaker, q.speaker_mention, q.resolution) == ("Julianne Smith", "she", "pronoun")
    assert seed_text[q.speaker_start : q.speaker_end] == "she"
    assert q.inferred


def test_seed_inverted_role_after_name(seed: Analysis) -> None:
    q = one(seed.quotes, "Our main goal is, in principle, to establish a dialogue")
    assert (q.kind, q.speaker, q.role, q.cue) == (
        "direct",
        "Michael Carpenter",
        "US ambassador to the OSCE",
        "said",
    )
    assert "no negotiations as such this week" in q.text


def test_seed_reported_speech(seed: Analysis) -> None:
    grushko = one(seed.quotes, "Russia wants to avoid confrontation")
    assert (grushko.kind, grushko.speaker, grushko.speaker_mention) == (
        "indirect",
        "Alexander Grushko",
        "Mr Grushko",
    )
    assert grushko.role == "former Russian ambassador to NATO"
    ryabkov = one(seed.quotes, "Ukraine must never be allowed to join NATO")
    assert (ryabkov.kind, ryabkov.speaker, ryabkov.role) == (
        "indirect",
        "Sergei Ryabkov",
        "Deputy Foreign Minister",
    )
    nominal = one(seed.quotes, "the Western alliance would consider it a success")
    assert (nominal.kind, nominal.speaker) == ("indirect", "NATO diplomats")


def test_seed_direct_quotes_are_exactly_three(seed: Analysis) -> None:
    assert len([q for q in seed.quotes if q.kind == "direct"]) == 3


def test_seed_people(seed: Analysis) -> None:
    people = {e.canonical for e in seed.entities if e.label == "PERSON"}
    assert people == {
        "Jens Stoltenberg",
        "Alexander Grushko",
        "Julianne Smith",
        "Sergei Ryabkov",
        "Michael Carpenter",
    }
    grushko = {e.text for e in seed.entities if e.canonical == "Alexander Grushko"}
    assert grushko == {"Alexander Grushko", "Mr Grushko"}


def test_seed_sentence_span_holds_quote_and_cue(seed: Analysis, seed_text: str) -> None:
    for q in seed.quotes:
        assert q.sentence_start <= q.start < q.end <= q.sentence_end
        if q.speaker_start is not None:
            assert q.sentence_start <= q.speaker_start < q.speaker_end <= q.sentence_end


# -- quote forms, on sentences written for these tests ------------------------


def test_straight_quotes_and_inverted_said() -> None:
    a = analyse('"The bridge will open in May," said Maria Lopez, the city engineer.')
    q = one(a.quotes, "The bridge will open in May")
    assert (q.speaker, q.role, q.cue, q.resolution) == (
        "Maria Lopez",
        "city engineer",
        "said",
        "explicit",
    )


def test_split_quote_is_one_quote_with_two_spans() -> None:
    text = "“We are ready,” Anna Berg said, “and we will not wait any longer.”"
    a = analyse(text)
    direct = [q for q in a.quotes if q.kind == "direct"]
    assert len(direct) == 1
    q = direct[0]
    assert [text[s:e] for s, e in q.spans] == ["We are ready,", "and we will not wait any longer."]
    assert q.speaker == "Anna Berg" and q.text == "We are ready, and we will not wait any longer."


def test_quote_over_two_paragraphs_is_one_quote() -> None:
    text = (
        "Tom Novak, the union leader, said: “We have asked for talks three times this year.\n\n"
        "“Each time the company said no. We will strike on Monday.”\n\n"
        "The company did not comment."
    )
    a = analyse(text)
    direct = [q for q in a.quotes if q.kind == "direct"]
    assert len(direct) == 1
    q = direct[0]
    assert len(q.spans) == 2 and q.text.endswith("We will strike on Monday.")
    assert q.speaker == "Tom Novak"


def test_colon_lead_in() -> None:
    a = analyse(
        "Ms Okafor told reporters on Monday: “The numbers add up, and they will keep adding up.”"
    )
    q = one(a.quotes, "The numbers add up")
    assert q.speaker_mention == "Ms Okafor" and q.cue == "told"


def test_pronoun_speaker_respects_gender() -> None:
    text = (
        "Mr Reyes met Mrs Brandt in Geneva on Tuesday.\n\n"
        "“We agreed on almost nothing,” she said.\n\n"
        "“The talks will go on,” he added."
    )
    a = analyse(text)
    assert one(a.quotes, "We agreed").speaker == "Brandt"
    assert one(a.quotes, "We agreed").resolution == "pronoun"
    assert one(a.quotes, "The talks will go on").speaker == "Reyes"


def test_pronoun_takes_nearer_person_of_unknown_gender() -> None:
    # Shoigu's gender is known (a common first name), Wallace's is not: the
    # nearer compatible subject wins
    text = (
        "Russian Defence Minister Sergei Shoigu spoke first.\n\n"
        '"We have no plans to invade," Shoigu said, but Wallace disagreed. '
        '"That is simply not true," he said.'
    )
    a = analyse(text)
    assert one(a.quotes, "We have no plans").speaker == "Sergei Shoigu"
    q = one(a.quotes, "That is simply not true")
    assert (q.speaker, q.speaker_mention, q.resolution) == ("Wallace", "he", "pronoun")
    bare = analyse(
        '"We have no plans to invade," Shoigu said, but Wallace disagreed. '
        '"That is simply not true," he said.'
    )
    assert one(bare.quotes, "That is simply not true").speaker == "Wallace"


def test_pronoun_skips_nearer_person_of_other_gender() -> None:
    a = analyse(
        '"We have no plans to invade," Sergei Shoigu said, but Mrs Brandt disagreed. '
        '"That is simply not true," he said.'
    )
    assert one(a.quotes, "That is simply not true").speaker == "Sergei Shoigu"
    b = analyse(
        'Mrs Brandt opened the meeting.\n\n"The budget is balanced," Brandt said, '
        'but Okafor disagreed. "Nobody believes that," she said.'
    )
    assert one(b.quotes, "Nobody believes that").speaker == "Okafor"


def test_pronoun_keeps_main_subject_over_person_in_their_clause() -> None:
    # Wallace is nearer but named inside Shoigu's clause; Shoigu is a known "he"
    a = analyse(
        'Sergei Shoigu insisted that Wallace was wrong. "We have no plans to invade," he said.'
    )
    q = one(a.quotes, "We have no plans to invade")
    assert (q.speaker, q.resolution) == ("Sergei Shoigu", "pronoun")


def test_bare_surname_names_the_known_person() -> None:
    # the NER misses these surnames on their own; the article introduced the person
    text = (
        "Sarah Fielding, the head of the council, spoke on Monday.\n\n"
        "“We will rebuild the library,” she said.\n\n"
        "Fielding added: “It will take two years.”"
    )
    q = one(analyse(text).quotes, "It will take two years")
    assert (q.speaker, q.speaker_mention, q.resolution) == (
        "Sarah Fielding",
        "Fielding",
        "explicit",
    )
    green = analyse(
        "Alice Green, a council member, voted against the plan.\n\n"
        "“It will take two years,” Green said."
    )
    assert one(green.quotes, "It will take two years").speaker == "Alice Green"
    price = analyse(
        "David Price, a council member, voted against the plan.\n\n"
        "Price said the work would take two years."
    )  # tagged a common noun
    assert one(price.quotes, "the work would take two years").speaker == "David Price"


def test_bare_surname_of_two_known_people_stays_as_written() -> None:
    text = (
        "Sarah Fielding, the head of the council, met Tom Fielding, her brother, on "
        "Monday.\n\nFielding added: “It will take two years.”"
    )
    q = one(analyse(text).quotes, "It will take two years")
    assert (q.speaker, q.speaker_mention) == ("Fielding", "Fielding")


def test_unresolvable_pronoun_stays_unresolved() -> None:
    a = analyse("“The river has never been this low,” she said.")
    q = one(a.quotes, "The river has never been this low")
    assert q.speaker is None and q.resolution == "none" and q.speaker_mention == "she"


def test_inherited_speaker() -> None:
    text = (
        "“Prices will fall next year,” said Karl Weber, an economist at the bank.\n\n"
        "“Nobody should expect a quick recovery, though.”"
    )
    a = analyse(text)
    q = one(a.quotes, "Nobody should expect")
    assert (q.speaker, q.resolution, q.cue) == ("Karl Weber", "inherited", None)


def test_inherited_speaker_is_the_last_named_one_within_a_paragraph() -> None:
    text = (
        "“Prices will fall next year,” said Karl Weber, an economist at the bank.\n\n"
        "“Nobody should expect a quick recovery, though.” “Wages will lag behind.”\n\n"
        "“Rents will keep rising for a while.”\n\n"
        "The bank did not comment.\n\n"
        "“Savers should not panic about any of this.”"
    )
    a = analyse(text)
    for start in ("Nobody should expect", "Wages will lag"):
        q = one(a.quotes, start)
        assert (q.speaker, q.resolution) == ("Karl Weber", "inherited"), start
    # two paragraphs after the speaker was named: inherited speakers do not chain
    for start in ("Rents will keep rising", "Savers should not panic"):
        q = one(a.quotes, start)
        assert q.speaker is None and q.resolution == "none", start


def test_according_to() -> None:
    a = analyse(
        "Exports rose by a third last year, according to Lena Fischer, an analyst at the institute."
    )
    q = one(a.quotes, "Exports rose by a third last year")
    assert (q.kind, q.speaker, q.cue) == ("indirect", "Lena Fischer", "according to")
    assert q.role == "analyst at the institute"


def test_direct_quote_with_according_to() -> None:
    a = analyse("“Nobody cuts a ribbon for a dyke,” according to Jan Smit, a water engineer.")
    q = one(a.quotes, "Nobody cuts a ribbon")
    assert (q.kind, q.speaker, q.cue) == ("direct", "Jan Smit", "according to")


def test_possessor_is_not_the_speaker() -> None:
    a = analyse("Senator Peter Hall's spokeswoman, Ana Lima, said the vote would be delayed.")
    q = one(a.quotes, "the vote would be delayed")
    assert q.speaker == "Ana Lima"


def test_nominal_speaker_keeps_noun_phrase() -> None:
    a = analyse("Health officials said deliveries often arrived with little warning.")
    q = one(a.quotes, "deliveries often arrived")
    assert (q.kind, q.speaker) == ("indirect", "Health officials")


def test_apostrophes_are_not_quotes() -> None:
    text = "Russia’s demands aren't new, and Let’s Talk is the union's slogan."
    assert find_quotes(text) == []
    assert analyse(text).quotes == ()


def test_unbalanced_marks_never_abort() -> None:
    text = (
        'He said ” nothing “ at all " here.\n\n'
        "“This quote opens and never closes\n\n"
        "Maria Lopez said the bridge would open in May."
    )
    a = analyse(text)
    q = one(a.quotes, "the bridge would open in May")
    assert q.speaker == "Maria Lopez"


def test_scare_quotes_and_titles_are_not_quotations() -> None:
    a = analyse("The senator appeared on “Face the Nation” to defend the “magic” plan.")
    assert [q for q in a.quotes if q.kind == "direct"] == []


def test_dash_signature() -> None:
    text = "“We need law and order, and we need it now.” ― Carla Sanchez"
    q = one(analyse(text).quotes, "We need law and order")
    assert q.speaker == "Carla Sanchez"


@pytest.mark.slow
def test_quote_marks_in_one_long_sentence_cost_linear_time() -> None:
    """Hostile text: thousands of quotes in one sentence. Each quote's cue zones are
    looked up, not walked. A hang guard, not a speed target (those live in the
    benchmarks): ~0.1 s of CPU now, 3,000 marks took ~10-30 s when the zones were
    walked, so 5 s catches that. CPU time of this thread: a busy machine does not
    trip it."""
    from extract.nlp.attribution import attribute

    nlp = load_pipeline(SETTINGS)
    text = "Officials said the talks went on for hours on Monday. " + " ".join(
        '"it is' for _ in range(3000)
    )
    doc = nlp(text)
    with cpu_budget(5.0, "attribution of 3,000 quote marks in one sentence"):
        _, quotes = attribute(doc)
    assert [q.kind for q in quotes] == ["indirect"]


def nested_reports(chars: int, names: tuple[str, ...] = ("Smith", "Jones")) -> str:
    """ "Smith said Jones said Smith said ... the talks would go on.": one sentence,
    each report inside the one before."""
    parts, n = [], 0
    while n < chars:
        parts.append(f"{names[len(parts) % len(names)]} said ")
        n += len(parts[-1])
    return "".join(parts) + "the talks would go on."


@pytest.mark.slow
def test_nested_reported_speech_costs_bounded_time() -> None:
    """Each reported clause holds all those after it: walking every clause's
    subtree was worse than quadratic (10,000 chars ~7 s, 100,000 no end in
    minutes). A hang guard, not a speed target (those live in the benchmarks):
    ~0.2 s of CPU now at 30,000 chars, ~30 s before, so 5 s catches a return of
    the walk."""
    from extract.nlp.attribution import attribute
    from extract.nlp.attribution.reported import REPORTED_CHARS as _REPORTED_CHARS

    nlp = load_pipeline(SETTINGS)
    doc = nlp(nested_reports(30_000, ("John Smith", "Mary Jones", "Ana Lopes")))
    with cpu_budget(5.0, "attribution of nested reported speech, 30,000 chars"):
        _, quotes = attribute(doc)
    assert quotes and all(q.kind == "indirect" for q in quotes)
    # the innermost reports are kept, the run-on outer ones are not
    assert all(q.end - q.start <= _REPORTED_CHARS for q in quotes)
    assert quotes[-1].text == "the talks would go on"
    assert {q.speaker for q in quotes} == {"John Smith", "Mary Jones", "Ana Lopes"}


def test_nested_reported_speech_in_a_short_sentence() -> None:
    a = analyse("Smith said Jones said the talks would go on.")
    assert [(q.speaker, q.text) for q in a.quotes] == [
        ("Smith", "Jones said the talks would go on"),
        ("Jones", "the talks would go on"),
    ]


# -- the spaCy component on its own -------------------------------------------


def test_component_extensions_on_a_bare_pipeline() -> None:
    import spacy

    import extract.nlp.component  # noqa: F401  registers the factory and extensions

    base = load_pipeline(SETTINGS)
    nlp = spacy.blank("en", vocab=base.vocab)
    for name in ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"):
        if name in base.pipe_names:
            nlp.add_pipe(name, source=base)
    nlp.add_pipe("briefing_quotes")
    doc = nlp("“We will win,” said Maria Lopez. Nobody else spoke.")
    assert [q.speaker for q in doc._.quotes] == ["Maria Lopez"]
    assert doc._.people == ("Maria Lopez",)
    assert len(doc[0:5]._.quotes) == 1 and doc[-4:]._.quotes == ()
    assert {e.canonical for e in doc._.briefing_entities} >= {"Maria Lopez"}


def test_two_processes_give_the_same_results(seed_text: str) -> None:
    texts = [
        seed_text,
        "“We are ready,” Anna Berg said, “and we will not wait.”",
        "No quotes here at all.",
        seed_text[:400],
    ]
    one_proc = list(analyse_texts(texts, NlpSettings(processes=1, batch_size=2)))
    two_procs = list(analyse_texts(texts, NlpSettings(processes=2, batch_size=2)))
    assert one_proc == two_procs
    assert len(two_procs[0].quotes) >= 6
