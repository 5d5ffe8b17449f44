"""Language: a real identifier (py3langid) weighed with the page's declared language."""

from __future__ import annotations

from extract.ingest.language import detect_language, identify

# English with few function words: a results table and a recipe list.
SCORES = (
    "Harbour City d. Westfield 61-40\n\nHarbour City 15 12 18 16 — 61\n\n"
    "Westfield 10 9 11 10 — 40\n\nHarbour City (2-0): Okafor 22 points. Reyes 14 points. "
    "Lindqvist 9 points. Westfield (0-2): Brennan 12 points. Tanaka 8 points, 6 rebounds. "
    "Girls basketball roundup: Harbour City remains undefeated after beating Westfield."
)
RECIPE = (
    "Pre-workout snack\n\nEat 60–90 minutes before training\n\nOatmeal and banana\n\n"
    "1 yellow container cooked oats\n\n1 purple container sliced banana\n\n"
    "Cinnamon to taste\n\nPost-workout meal\n\nGrilled chicken wrap with spinach\n\n"
    "Roasted sweet potato wedges\n\nSparkling water with lime"
)
GERMAN = (
    "Die Digitalisierung zieht sich bereits heute durch fast alle Branchen, sei es im "
    "Finanzbereich, der Industrie oder im Gesundheitswesen. Neue Technologien bieten "
    "Potenziale für mehr Effizienz, bessere Prozesse und eine deutliche Kostenersparnis "
    "in den Krankenhäusern des ganzen Landes."
)
PORTUGUESE = (
    "Nesta página você terá sempre a classificação atualizada do campeonato até a "
    "última corrida. Coloque nos seus favoritos e venha sempre conferir a "
    "classificação final da temporada, com os pontos de cada piloto e equipe."
)
PROSE = (
    "The finance minister said on Monday that the budget would be balanced by the end "
    "of the decade, despite the rising cost of borrowing and a slowing economy."
)


def test_english_without_prose_declared_english_is_english() -> None:
    assert detect_language(SCORES, "en") == "en"
    assert detect_language(RECIPE, "en-US") == "en"


def test_a_confident_identifier_overrides_a_wrong_declaration() -> None:
    assert detect_language(GERMAN, "en") == "de"
    assert detect_language(PROSE, "de") == "en"


def test_undeclared_pages_are_identified() -> None:
    assert detect_language(PORTUGUESE) == "pt"
    assert detect_language(GERMAN) == "de"
    assert detect_language(PROSE) == "en"


def test_identify_gives_a_probability() -> None:
    found = identify(PROSE)
    assert found.language == "en" and 0.9 <= found.probability <= 1.0


def test_too_short_to_judge() -> None:
    assert detect_language("") is None
    assert detect_language("12 34 —") is None
    assert detect_language("Oslo, Bergen", "nb-NO") == "nb"  # declared wins on a few words
    assert detect_language("Oslo, Bergen") == "unknown"
