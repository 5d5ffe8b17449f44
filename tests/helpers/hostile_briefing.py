"""A store whose articles are written to break an exported briefing (Markdown and HTML).

Every string an export shows comes from a stranger: titles, outlets, leads, quotes,
speakers, roles and URLs. Each one here tries a way out: raw HTML and scripts, Markdown
links to ``javascript:``, HTML comments, headings and lists, entities, table pipes,
terminal escapes and bidi overrides.
"""

from __future__ import annotations

from pathlib import Path

from extract.models import Analysis, Quote
from extract.safe_text import one_line
from extract.store import NewArticle, Store, open_store

PWNED = "data-pwned"  # what any of the scripts below would add to <body>
TITLE = (
    '<script>document.body.setAttribute("data-pwned","1")</script> '
    "[click](javascript:alert(1)) <!-- hidden --> # Heading *bold* `code` &lt;b&gt; "
    "\x1b[31mred\x1b[0m \u202eevil"
)
OUTLET = "- Evil <b>Outlet</b> | col |"
SPEAKER = "<img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">Eve Mallory"
ROLE = "[role](javascript:alert(2)) <!-- role -->"
QUOTE = (
    '# not a heading ](javascript:alert(3)) <iframe src="https://evil.example/"></iframe> '
    "~~struck~~ &amp; <svg onload=\"document.body.setAttribute('data-pwned','4')\">"
)
LEAD = '1. Numbered lead <a href="javascript:alert(5)">x</a>\n\n> second paragraph'
BAD_URL = "javascript:alert(document.domain)"
ODD_URL = 'https://evil.example/a"><script>document.title="pwned"</script>'
CALM_TITLE = "Calm article with an odd link"
CALM_QUOTE = "This one is an ordinary quote that anyone could have said"


def shown(text: str) -> str:
    """The text as an export shows it: one line, no controls."""
    return one_line(text)


def _quote(text: str, speaker: str | None, role: str | None) -> Quote:
    start = 0
    return Quote(
        kind="direct",
        text=text,
        spans=((start, start + len(text)),),
        speaker=speaker,
        speaker_mention=speaker,
        speaker_start=None,
        speaker_end=None,
        role=role,
        cue="said",
        resolution="explicit",
        sentence_start=0,
        sentence_end=len(text),
    )


def build_hostile_store(path: Path) -> Store:
    store = open_store(path)
    feed = store.upsert_feed(
        "Evil <feed> [x](javascript:y)", "http://127.0.0.1/evil.xml", ("evil",)
    )
    articles = [
        (TITLE, OUTLET, BAD_URL, "2024-05-02T10:00:00+00:00", LEAD, [_quote(QUOTE, SPEAKER, ROLE)]),
        (
            CALM_TITLE,
            "Calm Outlet",
            ODD_URL,
            "2024-05-01T09:00:00+00:00",
            "An ordinary lead.",
            [_quote(CALM_QUOTE, "Ann Calm", "mayor")],
        ),
    ]
    for n, (title, outlet, url, published, text, quotes) in enumerate(articles):
        new = NewArticle(
            url=url,
            canonical_url=f"https://x.example/{n}",
            title=title,
            author=None,
            published=published,
            source=outlet,
            text=text,
            text_status="full_text",
            language="en",
        )
        analysis = Analysis((), tuple(quotes), "hostile briefing", None)
        store.add_article(new, feed, f"guid-{n}", analysis)
    return store
