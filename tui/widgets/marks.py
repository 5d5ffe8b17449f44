"""How entities and quotes are marked, shared by the reader and the side panels.

One colour per entity label, so a name looks the same in the text and in the
Entities panel. Fixed colours (not theme variables) because they are applied to
``rich.text.Text`` built from untrusted strings, never to markup.
"""

from __future__ import annotations

from rich.style import Style

from extract.models import Quote
from extract.safe_text import safe

LABEL_STYLES: dict[str, Style] = {
    "PERSON": Style(color="#7dcfff", bold=True),
    "ORG": Style(color="#bb9af7"),
    "GPE": Style(color="#9ece6a"),
    "LOC": Style(color="#73daca"),
    "NORP": Style(color="#e0af68"),
    "FAC": Style(color="#ff9e64"),
    "EVENT": Style(color="#f7768e"),
    "DATE": Style(color="#a9b1d6", italic=True),
    "TIME": Style(color="#a9b1d6", italic=True),
}
OTHER_LABEL = Style(color="#c0caf5", underline=True)

LABEL_NAMES = {
    "PERSON": "People", "ORG": "Organisations", "GPE": "Places (countries, cities)",
    "LOC": "Places", "NORP": "Groups and nationalities", "FAC": "Buildings",
    "EVENT": "Events", "DATE": "Dates", "TIME": "Times", "LAW": "Laws",
    "PRODUCT": "Products", "WORK_OF_ART": "Works", "MONEY": "Money",
    "PERCENT": "Percentages", "QUANTITY": "Quantities", "CARDINAL": "Numbers",
    "ORDINAL": "Ordinals", "LANGUAGE": "Languages",
}

DIRECT_QUOTE = Style(bgcolor="#1e3448")
INDIRECT_QUOTE = Style(bgcolor="#2b2b36", italic=True)
SELECTED = Style(bgcolor="#e0af68", color="#1a1b26", bold=True)
SPEAKER = Style(color="#7f8aa8", italic=True)
DIM = Style(dim=True)
WARN = Style(color="#e0af68")
ERROR = Style(color="#f7768e")


def label_style(label: str) -> Style:
    return LABEL_STYLES.get(label, OTHER_LABEL)


def speaker_mark(quote: Quote) -> str:
    """A short tag for a speaker the analysis could not read off the text directly."""
    if quote.speaker is None:
        return "unattributed"
    if quote.resolution == "pronoun":
        mention = " ".join(safe(quote.speaker_mention).split()[:1])  # "she" of "she said"
        return f"inferred from “{mention}”" if mention else "inferred from a pronoun"
    if quote.resolution == "inherited":
        return "inferred from context"
    if quote.resolution == "description":
        return "not named"
    return ""
