"""People across the briefing: name normalisation, variants and the linking decision.

Headless and pure: no SQL (``extract.store.people`` reads and writes the registry) and
no spaCy (names arrive as the strings the analysis stored).
"""

from extract.people.linking import Candidate, Link, Mention, decide
from extract.people.names import PersonName, parse_name

__all__ = ["Candidate", "Link", "Mention", "PersonName", "decide", "parse_name"]
