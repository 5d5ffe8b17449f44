"""The Entities tab: names in the open article, grouped by type, with counts and roles.

Enter selects an entity (the reader jumps to its first mention); ``p`` pivots
the article list to every article that mentions it, ``w`` opens the speaker profile.
Names are counted by person of the people registry: "Donald J. Trump" and "Donald
Trump" in one article are one entry, and the pivot finds the person under every name.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from extract.models import Entity
from extract.safe_text import one_line
from extract.store.records import EntityCount
from tui.widgets import marks


def entity_prompt(count: EntityCount) -> RenderableType:
    """The name and count; below it, indented as a whole, the other names this article
    gives the same person and the role, so a line that wraps does not look like another
    entity."""
    palette = marks.current()
    out = Text(end="")
    out.append(one_line(count.canonical), palette.label(count.label))
    out.append(f"  ×{count.count}", palette.muted)
    others = [one_line(n) for n in count.names if n != count.canonical]
    below = ([f"also {', '.join(others)}"] if others else []) + (
        [one_line(count.role)] if count.role else []
    )
    if not below:
        return out
    out.end = "\n"  # the rest goes on its own lines
    return Group(
        out,
        *(Padding(Text(line, palette.muted, end=""), (0, 0, 0, 2)) for line in below),
    )


# People first: "who said what" is the point; then organisations and places, other
# names, and last the numbers, dates and amounts (kept in the store, seldom looked up).
NAMES_FIRST = (
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "NORP",
    "FAC",
    "EVENT",
    "PRODUCT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
)
NUMBERS_LAST = ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL")
_RANK = {label: i for i, label in enumerate((*NAMES_FIRST, "", *NUMBERS_LAST))}


def entity_order(count: EntityCount) -> tuple[int, str, int, str]:
    """Groups in that order (an unknown label between names and numbers), then the
    most named first."""
    return (_RANK.get(count.label, len(NAMES_FIRST)), count.label, -count.count, count.canonical)


class EntityPanel(OptionList):
    BINDINGS = [
        Binding("p", "pivot", "Articles mentioning it", id="entity_pivot"),
        Binding("w", "profile", "Profile", show=False, id="entity_profile"),
        Binding("j", "cursor_down", "Down", show=False, id="panel_down"),
        Binding("k", "cursor_up", "Up", show=False, id="panel_up"),
    ]

    @dataclass
    class EntitySelected(Message):
        entity: Entity  # the first mention in the open article
        mentions: tuple[Entity, ...]

    @dataclass
    class Pivot(Message):
        canonical: str
        label: str
        person_id: int | None = None  # the person of the registry: pivot by person

    @dataclass
    class Profile(Message):
        canonical: str
        label: str
        person_id: int | None = None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts: list[EntityCount] = []
        self.entities: list[Entity] = []

    def show(self, counts: list[EntityCount], entities: list[Entity]) -> None:
        counts = sorted(counts, key=entity_order)
        self.counts, self.entities = counts, list(entities)
        options: list[Option | None] = []
        for label, group in groupby(enumerate(counts), key=lambda ic: ic[1].label):
            items = list(group)
            heading = Text(
                f"{marks.LABEL_NAMES.get(label, label)} ({len(items)})",
                Style(bold=True, underline=True),
            )
            if options:
                options.append(None)
            options.append(Option(heading, disabled=True))
            options += [Option(entity_prompt(c), id=str(i)) for i, c in items]
        if not counts:
            options = [
                Option(
                    Text("No entities found in this article.", marks.current().muted), disabled=True
                )
            ]
        self.set_options(options)
        # Start on the first real entry, so enter works as soon as the panel has focus.
        self.highlighted = next((i for i, o in enumerate(self.options) if not o.disabled), None)

    def _highlighted_count(self) -> EntityCount | None:
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self.counts[int(option.id)] if option.id is not None else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        count = self.counts[int(event.option.id)]
        names = set(count.names or (count.canonical,))
        mentions = tuple(
            e for e in self.entities if e.canonical in names and e.label == count.label
        )
        if mentions:
            self.post_message(self.EntitySelected(mentions[0], mentions))

    def action_pivot(self) -> None:
        count = self._highlighted_count()
        if count is not None:
            self.post_message(self.Pivot(count.canonical, count.label, count.person_id))

    def action_profile(self) -> None:
        count = self._highlighted_count()
        if count is not None:
            self.post_message(self.Profile(count.canonical, count.label, count.person_id))
