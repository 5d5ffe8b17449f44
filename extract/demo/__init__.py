"""The bundled demo briefing: a local feed file and its article pages.

Used by ``make run`` / ``briefing --demo``, and when no feeds are configured,
so a newcomer sees a real briefing with no network.
"""

from __future__ import annotations

from pathlib import Path

from extract.config import Config, FeedConfig, default_store_path

DEMO_DIR = Path(__file__).parent
DEMO_FEED = DEMO_DIR / "feed.xml"
DEMO_FEED_NAME = "Briefing demo"


def demo_feeds() -> tuple[FeedConfig, ...]:
    return (FeedConfig(name=DEMO_FEED_NAME, url=str(DEMO_FEED), tags=("demo",)),)


def demo_store_path() -> Path:
    """The demo keeps its own store, beside the real one, so it never mixes with it."""
    return default_store_path().with_name("demo.sqlite3")


def feeds_to_poll(config: Config, demo: bool) -> tuple[FeedConfig, ...]:
    """The demo feed with ``--demo`` or when no feeds are configured."""
    return demo_feeds() if demo or not config.feeds else config.feeds
