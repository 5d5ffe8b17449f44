"""The bundled demo briefing: every page cleans and yields its expected quotes and people.

``tests/fixtures/demo_expected.json`` lists, per page, the attributions a good
extractor must find (written with the pages, before the extractor was tuned).
"""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from extract.config import NlpSettings
from extract.demo import DEMO_DIR, DEMO_FEED
from extract.ingest.clean import clean_page
from extract.ingest.feeds import parse_feed
from extract.models import Analysis, Quote
from extract.nlp import analyse_texts
from tests.helpers import FIXTURES

# The demo pages analysed with spaCy (the model's load included): left out of test-fast.
pytestmark = pytest.mark.slow

EXPECTED = json.loads((FIXTURES / "demo_expected.json").read_text())
PAGES = sorted(EXPECTED["pages"])


@pytest.fixture(scope="session")  # once per worker, however its tests are spread
def analysed() -> dict[str, tuple[str, Analysis]]:
    texts = []
    for name in PAGES:
        page = clean_page((DEMO_DIR / "pages" / name).read_bytes())
        assert page is not None, name
        texts.append(page.text)
    return {
        name: (text, analysis)
        for name, text, analysis in zip(PAGES, texts, analyse_texts(texts, NlpSettings()))
    }


def find(quotes: tuple[Quote, ...], start: str) -> Quote | None:
    """The quote whose text begins like ``start`` (a reported clause may end sooner)."""
    for quote in quotes:
        text = quote.text.lstrip("“\"‘'")
        n = min(40, len(text), len(start))
        if n >= 20 and text[:n] == start[:n]:
            return quote
    return None


def test_demo_feed_lists_every_page_and_one_summary_only_entry() -> None:
    parsed = parse_feed(DEMO_FEED.read_bytes(), str(DEMO_FEED))
    assert parsed.problem is None and len(parsed.entries) == len(PAGES) + 1
    linked = {Path(e.link or "").name for e in parsed.entries}
    assert set(PAGES) <= linked and "missing-page.html" in linked
    assert not feedparser.parse(DEMO_FEED.read_bytes()).bozo
    assert len(PAGES) >= 8


@pytest.mark.parametrize("name", PAGES)
def test_page_people(analysed: dict[str, tuple[str, Analysis]], name: str) -> None:
    _, analysis = analysed[name]
    people = {e.canonical for e in analysis.entities if e.label == "PERSON"}
    assert people == set(EXPECTED["pages"][name]["people"])


@pytest.mark.parametrize(
    "expected",
    [q for name in PAGES for q in EXPECTED["pages"][name]["quotes"]],
    ids=lambda q: f"{q['page']}:{q['form']}:{q['quote_start'][:24]}",
)
def test_expected_quote(analysed: dict[str, tuple[str, Analysis]], expected: dict) -> None:
    text, analysis = analysed[expected["page"]]
    quote = find(analysis.quotes, expected["quote_start"])
    assert quote is not None, f"not found: {expected['quote_start']!r}"
    assert (quote.kind, quote.speaker, quote.resolution) == (
        expected["kind"],
        expected["speaker"],
        expected["resolution"],
    )
    assert quote.role == expected["role"]
    for start, end in quote.spans:  # offsets point into the cleaned text
        assert text[start:end].strip() and text[start:end] in text
