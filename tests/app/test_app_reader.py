"""The reader on very long articles: marks bucketed per paragraph, a window of paragraphs."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from rich.console import Console
from rich.style import Style
from rich.text import Text

from extract.models import Analysis, Entity, Quote
from extract.store import NewArticle
from tests.helpers.app import SIZE, make_app, parts, settle
from tests.helpers.screen import screen_text
from tests.helpers.storefactory import build_store
from tui.widgets import marks
from tui.widgets.reader import (
    MAX_CHARS,
    MAX_PARAGRAPHS,
    PIECE_CHARS,
    Mark,
    Paragraph,
    bucket_marks,
    paragraph_spans,
    render_paragraph,
)


def reference(
    text: str, start: int, end: int, marks_: list[Mark], selected: tuple[int, int] | None
) -> Text:
    """The straightforward O(segments x marks) rendering the fast one must equal."""
    inside = [m for m in marks_ if m.start < end and m.end > start]
    notes = {}
    for m in inside:
        if m.after is not None and start < m.end <= end:
            at = min(m.anchor, end)
            while at < end and text[at] in "\"'”’»)":
                at += 1
            notes[id(m)] = at
    cuts = {start, end, *notes.values()}
    for m in inside:
        cuts.update(x for x in (m.start, m.end) if start < x < end)
    if selected and selected[0] < end and selected[1] > start:
        cuts.update(x for x in selected if start < x < end)
    out = Text(end="")
    points = sorted(cuts)
    for a, b in itertools.pairwise(points):
        style = Style()
        for m in inside:
            if m.start <= a and b <= m.end:
                style += m.style
        if selected and selected[0] <= a and b <= selected[1]:
            style += marks.current().selected
        out.append(text[a:b], style)
        for m in inside:
            if notes.get(id(m)) == b:
                out.append_text(m.after)
    return out


def test_bucketed_rendering_equals_the_reference_on_random_marks() -> None:
    rng = random.Random(7)
    console = Console()
    styles = [
        Style(bold=True),
        Style(color="red"),
        Style(color="green"),
        Style(bgcolor="blue"),
        Style(bgcolor="yellow", italic=True),
    ]  # clashing: the order they stack in shows
    for _ in range(30):
        text = "\n\n".join(
            "".join(rng.choice('ab ”"') for _ in range(rng.randint(1, 40)))
            for _ in range(rng.randint(1, 12))
        )
        marks_ = []
        for _ in range(rng.randint(0, 25)):
            a = rng.randrange(len(text) + 1)
            b = min(len(text), a + rng.randint(0, 30))  # some empty, some across paragraphs
            note = Text(f" — {a}") if rng.random() < 0.3 else None
            marks_.append(Mark(a, b, rng.choice(styles), note, b + rng.randint(0, 3)))
        spans = paragraph_spans(text)
        selected = rng.choice([None, (rng.randrange(len(text)), rng.randrange(len(text)) + 5)])
        for (start, end), bucket in zip(spans, bucket_marks(spans, marks_)):
            assert bucket == [m for m in marks_ if m.start < end and m.end > start]
            fast = render_paragraph(text, start, end, bucket, selected)
            slow = reference(text, start, end, marks_, selected)
            assert fast.plain == slow.plain
            assert [fast.get_style_at_offset(console, i) for i in range(len(fast.plain))] == [
                slow.get_style_at_offset(console, i) for i in range(len(slow.plain))
            ]


def test_a_huge_paragraph_is_shown_in_pieces_cut_at_spaces() -> None:
    text = "intro\n" + " ".join(["word"] * 30_000) + "\nend"
    spans = paragraph_spans(text)
    assert spans[0] == (0, 5) and spans[-1] == (len(text) - 3, len(text))
    pieces = spans[1:-1]
    assert len(pieces) > 1 and all(e - s <= PIECE_CHARS for s, e in pieces)
    assert "".join(text[s:e] for s, e in pieces) == text[6:-4]  # nothing lost
    assert all(text[e - 1] == " " for _, e in pieces[:-1])


@pytest.mark.slow
async def test_a_3000_paragraph_article_shows_a_window_and_quotes_beyond_it(tmp_path: Path) -> None:
    store = build_store(tmp_path / "s.sqlite3")
    paragraphs = [
        f"Paragraph {n}: Anna Berg met Carl Dahl in Oslo to talk about nothing."
        for n in range(3000)
    ]
    paragraphs[2900] = "“The end is near,” said Cassandra Troy."
    text = "\n\n".join(paragraphs)
    entities = []
    offset = 0
    for _n, para in enumerate(paragraphs):
        for name, label in (("Anna Berg", "PERSON"), ("Carl Dahl", "PERSON"), ("Oslo", "GPE")):
            at = para.find(name)
            if at != -1:
                entities.append(Entity(label, name, name, offset + at, offset + at + len(name)))
        offset += len(para) + 2
    start = text.index("The end")
    quote = Quote(
        "direct",
        "The end is near,",
        ((start, start + 16),),
        "Cassandra Troy",
        "said Cassandra Troy",
        None,
        None,
        None,
        "said",
        "explicit",
        start - 1,
        text.index("\n", start),
    )
    store.add_article(
        NewArticle(
            None,
            None,
            "Endless read",
            None,
            "2022-02-01T00:00:00+00:00",
            "Wire World",
            text,
            "full_text",
        ),
        None,
        None,
        Analysis(tuple(entities), (quote,), "test"),
    )
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, _articles, reader = parts(app)
        await pilot.press("enter")  # the newest: the endless read
        await settle(app, pilot)
        assert reader.article.title == "Endless read"
        shown = list(reader.query(Paragraph))
        assert len(shown) == MAX_PARAGRAPHS
        assert sum(p.end - p.start for p in shown) <= MAX_CHARS
        assert reader.paragraph_at(start) is None
        assert (
            reader.query_one(".reader-truncated")
            .render()
            .plain.startswith(f"{3000 - MAX_PARAGRAPHS:,} more paragraph(s): keep scrolling")
        )
        await pilot.press("1", "enter")  # the Quotes tab: Cassandra Troy's quote
        await pilot.pause()
        holder = reader.paragraph_at(start)
        assert isinstance(holder, Paragraph)
        assert reader.selected == (start, start + 16)
        assert "The end is near" in screen_text(app)
        assert reader.scrollable_content_region.contains_region(holder.region)
        notes = [n.render().plain for n in reader.query(".reader-truncated")]
        assert notes == ["2,897 earlier paragraph(s): scroll up (k, b) or press g for the start."]
    store.close()
