"""A briefing as one self-contained HTML page: no scripts, no external assets, prints well.

Every piece of feed text is escaped (``html.escape``), links are made only for http(s)
URLs, and a Content-Security-Policy allowing nothing but the inline style means that
even a mistake here could not run a script or load anything from the network.
"""

from __future__ import annotations

from html import escape

from extract.export.briefing import Briefing, Cited, Entry, Reference
from extract.export.links import safe_link

CSP = "default-src 'none'; style-src 'unsafe-inline'"

STYLE = """
body { font: 16px/1.5 Georgia, 'Times New Roman', serif; max-width: 46em; margin: 2em auto;
       padding: 0 1em; color: #111; }
h1, h2, h3, h4 { font-family: Helvetica, Arial, sans-serif; line-height: 1.2; }
h2 { border-bottom: 1px solid #999; padding-bottom: .2em; margin-top: 2em; }
h4 { color: #444; margin-bottom: .4em; }
.meta, .source { color: #555; font-size: .9em; }
article { margin: 0 0 1.4em; break-inside: avoid; }
article h5 { font-size: 1.05em; margin: 0; }
blockquote { margin: .3em 0 .3em 1em; padding-left: .8em; border-left: 3px solid #bbb; }
.how { color: #666; font-size: .85em; }
.cite { font-size: .85em; text-decoration: none; }
ol.refs li { margin-bottom: .3em; word-break: break-word; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; } a { color: inherit; }
               h2 { break-after: avoid; } }
"""


def e(text: str) -> str:
    return escape(text, quote=True)


def link(url: str, label: str | None = None) -> str:
    safe = safe_link(url)
    if safe:
        return f'<a href="{e(safe)}">{e(label or url)}</a>'
    return f"{e(url)} (not a web link)" if url else "(no link)"


def render_html(b: Briefing) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{e(b.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(b.title)}</h1>",
    ]
    out += _header(b)
    out.append('<section id="articles"><h2>Articles</h2>')
    if not b.days:
        out.append("<p>No articles match.</p>")
    for day in b.days:
        out.append(f"<h3>{e(day.day)}</h3>")
        for outlet in day.outlets:
            out.append(f"<h4>{e(outlet.name)}</h4>")
            out += [_entry(entry) for entry in outlet.entries]
    out.append("</section>")
    out += _people(b)
    out.append('<section id="references"><h2>References</h2>')
    out.append(
        '<ol class="refs">' + "".join(_reference(r) for r in b.references) + "</ol>"
        if b.references
        else "<p>None.</p>"
    )
    out += ["</section>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _header(b: Briefing) -> list[str]:
    people = len(b.people)
    rows = [
        ("Generated", b.generated),
        ("Period", b.period),
        (
            "Counts",
            f"{b.article_count} articles, {b.quote_count} quotes, "
            f"{people} {'person' if people == 1 else 'people'} quoted",
        ),
        ("Feeds", ", ".join(b.feeds) or "none"),
    ]
    if b.filters:
        rows.append(("Filters", "; ".join(b.filters)))
    return [
        '<p class="meta" id="header">'
        + "<br>".join(f"<strong>{e(k)}:</strong> {e(v)}" for k, v in rows)
        + "</p>"
    ]


def _cite(ref: Reference) -> str:
    return f'<a class="cite" href="#ref-{ref.number}">[{ref.number}]</a>'


def _entry(entry: Entry) -> str:
    ref = entry.ref
    when = " ".join(x for x in (ref.date, entry.time) if x) or "undated"
    parts = [
        f'<article id="article-{ref.number}">',
        f"<h5>{e(ref.title)} {_cite(ref)}</h5>",
        f'<p class="source">{e(ref.outlet)} · {e(when)} · {link(ref.url)}</p>',
    ]
    if entry.lead:
        parts.append(f'<p class="lead">{e(entry.lead)}</p>')
    parts += [_said(c) for c in entry.highlights]
    more = entry.quote_count - len(entry.highlights)
    if more > 0:
        parts.append(f'<p class="how">and {more} more {"quote" if more == 1 else "quotes"}</p>')
    parts.append("</article>")
    return "\n".join(parts)


def _words(c: Cited) -> str:
    q = c.quote
    return f"“{e(q.text)}”" if q.kind == "direct" else f"<em>Reported:</em> {e(q.text)}"


def _said(c: Cited) -> str:
    q = c.quote
    who = f"<strong>{e(q.speaker)}</strong>" if q.speaker else "unattributed"
    role = f", {e(q.role)}" if q.role else ""
    return (
        f'<blockquote class="quote {e(q.kind)}">{_words(c)} — {who}{role} '
        f'<span class="how">({e(c.how_found)})</span> {_cite(c.ref)}</blockquote>'
    )


def _people(b: Briefing) -> list[str]:
    out = ['<section id="people"><h2>Who said what</h2>']
    if not b.people:
        out.append("<p>No attributed quotes.</p>")
    for person in b.people:
        n = len(person.quotes)
        out.append(
            f'<h3 class="person">{e(person.speaker)} '
            f'<span class="how">({n} {"quote" if n == 1 else "quotes"})</span></h3><ul>'
        )
        for c in person.quotes:
            role = f" — {e(c.quote.role)}" if c.quote.role else ""
            written = c.quote.speaker
            if written and written != person.speaker:  # "Mr. Trump" under Donald Trump
                role = f" — as {e(written)}{role.replace(' — ', ', ', 1)}"
            out.append(
                f"<li>{e(c.ref.date or 'undated')} · {_words(c)}{role} "
                f'<span class="how">({e(c.how_found)})</span> {_cite(c.ref)}</li>'
            )
        out.append("</ul>")
    out.append("</section>")
    return out


def _reference(r: Reference) -> str:
    parts = [e(r.outlet)] + ([e(r.date)] if r.date else []) + [link(r.url)]
    return f'<li id="ref-{r.number}" value="{r.number}">{e(r.title)} — {", ".join(parts)}</li>'
