"""Getting articles in: poll feeds, fetch pages, clean them, hand the text to the NLP, store.

* ``feeds``: feedparser on bytes, normalised entries, OPML;
* ``fetch``: httpx with limits, caps, redirects and conditional GET, errors as values;
* ``clean``, ``boilerplate``, ``language``, ``texts``: a page to its main text;
* ``pipeline``: the ingest that runs all of it and reports ``events``;
* ``reprocess``: the same cleaning and analysis again, offline, from stored pages.
"""
