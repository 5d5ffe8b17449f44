"""A briefing as Markdown (CommonMark): every piece of feed text escaped to stay text.

A title such as ``[x](javascript:alert(1))``, ``<script>``, ``<!-- -->`` or ``# Heading``
must come out as those characters, never as a link, raw HTML or a heading: every
character Markdown could read as syntax is backslash-escaped, and lines that would start
a list, heading or quote never start with feed text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extract.export.briefing import Briefing, Cited, Entry, Reference
from extract.export.links import safe_link

# Backslash-escapable ASCII punctuation that can open syntax anywhere in a line
# (emphasis, code, links, images, raw HTML and autolinks, entities, tables, strikethrough).
_INLINE = re.compile(r"([\\`*_{}\[\]<>#!|~&])")
# Syntax that only counts at the start of a line: lists, headings, setext, quotes.
_LINE_START = re.compile(r"^(\d{1,9})([.)])|^([-+=>])")


def md(text: str) -> str:
    """``text`` (already one line) as literal Markdown characters."""
    escaped = _INLINE.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escaped)


# Speakers, roles, outlets and dates recur across a briefing: escape each once.
md_name = lru_cache(maxsize=4096)(md)


def link(url: str) -> str:
    """An autolink for a web URL; any other URL (or none) as inert text."""
    safe = safe_link(url)
    if safe:
        return f"<{safe}>"
    return f"{md(url)} (not a web link)" if url else "(no link)"


def render_markdown(b: Briefing) -> str:
    out: list[str] = [f"# {md(b.title)}", ""]
    out += _header(b)
    out += ["## Articles", ""]
    if not b.days:
        out += ["No articles match.", ""]
    for day in b.days:
        out += [f"### {md(day.day)}", ""]
        for outlet in day.outlets:
            out += [f"#### {md(outlet.name)}", ""]
            for entry in outlet.entries:
                out += _entry(entry)
    out += _people(b)
    out += ["## References", ""]
    out += [_reference(r) for r in b.references] or ["None."]
    return "\n".join(out).rstrip("\n") + "\n"


def _header(b: Briefing) -> list[str]:
    people = len(b.people)
    lines = [
        f"Generated {md(b.generated)}  ",
        f"Period: {md(b.period)}  ",
        f"{b.article_count} articles, {b.quote_count} quotes, "
        f"{people} {'person' if people == 1 else 'people'} quoted  ",
        f"Feeds: {md(', '.join(b.feeds)) or 'none'}",
    ]
    if b.filters:
        lines[-1] += "  "
        lines.append(f"Filters: {md('; '.join(b.filters))}")
    return [*lines, ""]


def _entry(e: Entry) -> list[str]:
    when = " ".join(x for x in (e.ref.date, e.time) if x) or "undated"
    lines = [
        f"**{md(e.ref.title)}** \\[{e.ref.number}\\]  ",
        f"{md(e.ref.outlet)} · {md(when)} · {link(e.ref.url)}",
        "",
    ]
    if e.lead:
        lines += [md(e.lead), ""]
    for cited in e.highlights:
        lines.append(f"- {_said(cited)}")
    if e.quote_count > len(e.highlights):
        more = e.quote_count - len(e.highlights)
        lines.append(f"- *and {more} more {'quote' if more == 1 else 'quotes'}*")
    return lines + ([""] if e.highlights or e.quote_count else [])


def _said(c: Cited) -> str:
    q = c.quote
    words = f"“{md(q.text)}”" if q.kind == "direct" else f"Reported: {md(q.text)}"
    who = f"**{md_name(q.speaker)}**" if q.speaker else "unattributed"
    role = f", {md_name(q.role)}" if q.role else ""
    return f"{words} — {who}{role} ({c.how_found}) \\[{c.ref.number}\\]"


def _people(b: Briefing) -> list[str]:
    out = ["## Who said what", ""]
    if not b.people:
        return [*out, "No attributed quotes.", ""]
    for person in b.people:
        n = len(person.quotes)
        out += [f"### {md(person.speaker)} ({n} {'quote' if n == 1 else 'quotes'})", ""]
        for c in person.quotes:
            q = c.quote
            words = f"“{md(q.text)}”" if q.kind == "direct" else f"Reported: {md(q.text)}"
            role = f" — {md_name(q.role)}" if q.role else ""
            if q.speaker and q.speaker != person.speaker:  # "Mr. Trump" under Donald Trump
                role = f" — as {md_name(q.speaker)}{role.replace(' — ', ', ', 1)}"
            date = md_name(c.ref.date or "undated")
            out.append(f"- {date} · {words}{role} ({c.how_found}) \\[{c.ref.number}\\]")
        out.append("")
    return out


def _reference(r: Reference) -> str:
    parts = [md(r.outlet)] + ([md(r.date)] if r.date else []) + [link(r.url)]
    return f"{r.number}. {md(r.title)} — {', '.join(parts)}"
