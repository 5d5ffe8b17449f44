"""Analysis bounded by characters: segments, batches, and the same result as one piece."""

from __future__ import annotations

import pytest

from extract.config import NlpSettings
from extract.nlp.analyse import workers_for
from extract.nlp.model import analyse_here, load_pipeline
from extract.nlp.results import unpack
from extract.nlp.segments import segments


def test_short_text_is_one_segment() -> None:
    assert segments("One paragraph.\n\nTwo.", limit=100) == ["One paragraph.\n\nTwo."]


def test_long_text_is_cut_after_paragraph_breaks_and_joins_back() -> None:
    paragraphs = [f"Paragraph {n} " + "word " * 30 for n in range(20)]
    text = "\n\n".join(paragraphs)
    pieces = segments(text, limit=400)
    assert "".join(pieces) == text
    assert len(pieces) > 1 and all(len(p) <= 400 for p in pieces)
    assert all(p.endswith("\n\n") for p in pieces[:-1])
    assert all(p.startswith("Paragraph") for p in pieces)


def test_a_paragraph_longer_than_the_limit_stays_whole() -> None:
    text = "a " * 300 + "\n\nshort tail"
    pieces = segments(text, limit=100)
    assert pieces == ["a " * 300 + "\n\n", "short tail"]
    assert segments("x" * 500, limit=100) == ["x" * 500]


def test_runs_of_newlines_stay_with_the_piece_before() -> None:
    text = "first " * 20 + "\n\n\n\nsecond " * 1
    assert segments(text, limit=50) == ["first " * 20 + "\n\n\n\n", "second "]


@pytest.mark.parametrize(
    ("requested", "cpus", "load", "expected"),
    [
        (2, 2, 1.0, 2),  # only this process busy: both CPUs are ours
        (2, 2, 0.2, 2),
        (2, 2, 3.0, 1),  # two other busy processes: no CPU free, analyse here
        (2, 2, 1.6, 1),  # another process takes more than half a CPU
        (2, 2, 1.4, 2),
        (4, 8, 2.0, 4),  # never more than asked
        (8, 4, 1.0, 4),  # nor more than the CPUs we may run on
        (1, 8, 0.0, 1),
        (3, 1, 9.0, 1),  # at least one, always
    ],
)
def test_worker_count_follows_the_free_cpus(
    requested: int, cpus: int, load: float, expected: int
) -> None:
    assert workers_for(requested, cpus, load) == expected


@pytest.mark.slow
def test_a_segmented_text_gets_the_analysis_of_the_whole() -> None:
    settings = NlpSettings()
    paragraphs = [
        f'"The budget for district {n} protects schools," Finance Minister Laura Okafor said '
        f"on Monday. Opposition leader Mark Reyes said the plan for district {n} was too "
        f"optimistic and that Acme Corp would lose its contract."
        for n in range(80)
    ]
    text = "\n\n".join(paragraphs)
    assert len(segments(text)) > 1
    [analysis] = list(analyse_here([text], settings))
    entities, quotes, error = unpack(load_pipeline(settings)(text))
    assert error is None and analysis.skipped is None
    assert analysis.quotes == quotes and analysis.entities == entities
    assert len(quotes) >= 80
    assert {q.speaker for q in quotes} >= {"Laura Okafor"}
