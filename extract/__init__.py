"""Briefing's headless core: config, feeds, fetch, clean, NLP and store.

Nothing in this package imports Textual or the ``tui`` package; the app and the
command line are built on top of it.
"""

__version__ = "0.1.0"
