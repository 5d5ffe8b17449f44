"""How entities and quotes are marked, shared by the reader, the list and the side panels.

Every colour comes from the theme's variables (``$primary``, ``$warning``, ...), then is
moved towards the theme's foreground until it reaches WCAG AA contrast (4.5:1) against
every background it is drawn on: the screen, the panels, a quote's background and a
highlighted row. So a name looks the same in the text and in the Entities panel, and
stays readable in every theme the app offers.

Styles are ``rich.style.Style`` (not CSS) because they are applied to ``Text`` built
from untrusted strings, never to markup. The app sets the palette of its theme with
``use`` when the theme changes (once at start); renderers read ``current()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rich.style import Style
from textual.color import Color

from extract.models import Quote
from extract.safe_text import safe

AA = 4.5  # WCAG AA for normal text

LABEL_NAMES = {
    "PERSON": "People",
    "ORG": "Organisations",
    "GPE": "Places (countries, cities)",
    "LOC": "Places",
    "NORP": "Groups and nationalities",
    "FAC": "Buildings",
    "EVENT": "Events",
    "DATE": "Dates",
    "TIME": "Times",
    "LAW": "Laws",
    "PRODUCT": "Products",
    "WORK_OF_ART": "Works",
    "MONEY": "Money",
    "PERCENT": "Percentages",
    "QUANTITY": "Quantities",
    "CARDINAL": "Numbers",
    "ORDINAL": "Ordinals",
    "LANGUAGE": "Languages",
}

# Which theme colour each entity label takes (the rest: the foreground, underlined).
LABEL_SOURCES = {
    "PERSON": "primary",
    "ORG": "secondary",
    "GPE": "success",
    "LOC": "success",
    "NORP": "warning",
    "FAC": "accent",
    "EVENT": "error",
    "DATE": "foreground",
    "TIME": "foreground",
}


def luminance(color: Color) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(a: Color, b: Color) -> float:
    """The WCAG contrast ratio of two opaque colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(color: Color, backgrounds: Iterable[Color], toward: Color) -> Color:
    """``color``, moved towards ``toward`` (the theme's text colour, then black or white)
    only as far as it takes to reach AA against every background."""
    grounds = list(backgrounds)
    dark = sum(luminance(g) for g in grounds) / len(grounds) < 0.18  # below mid grey
    extreme = Color(255, 255, 255) if dark else Color(0, 0, 0)
    for target in (toward, extreme):
        for step in range(21):
            candidate = color.blend(target, step / 20)
            if all(contrast(candidate, g) >= AA for g in grounds):
                return candidate
        color = target
    return extreme


def best_text(background: Color) -> Color:
    """Black or white, whichever reads better on ``background``."""
    white, black = Color(255, 255, 255), Color(0, 0, 0)
    return white if contrast(white, background) >= contrast(black, background) else black


@dataclass(frozen=True)
class Palette:
    """Every style the app's own renderers use, for one theme."""

    labels: Mapping[str, Style]
    other_label: Style
    direct_quote: Style  # a quote's background in the reader
    indirect_quote: Style
    selected: Style  # the quote or entity selected in the reader
    found: Style  # a search hit or a find match
    speaker: Style  # "— Julianne Smith" after a quote
    name: Style  # a speaker in the panels
    muted: Style  # roles, counts, dates, read titles
    warn: Style
    error: Style
    link: Style
    title: Style
    backgrounds: tuple[Color, ...]  # what the text colours were checked against
    text_colors: tuple[Color, ...]  # every text colour above, for tests

    def label(self, label: str) -> Style:
        return self.labels.get(label, self.other_label)


def _color(variables: Mapping[str, str], name: str, over: Color) -> Color:
    raw = variables.get(name, "")
    try:
        color = Color.parse(raw.split()[0]) if raw and not raw.startswith("auto") else None
    except Exception:  # noqa: BLE001  an odd theme value: fall back
        color = None
    if color is None or color.ansi is not None:  # "auto", or a terminal (ANSI) colour
        return Color(224, 224, 224) if luminance(over) < 0.5 else Color(30, 30, 30)
    return over.blend(color.with_alpha(1.0), color.a) if color.a < 1 else color


def palette_for(variables: Mapping[str, str]) -> Palette:
    """The palette of a theme, from its CSS variables (``App.get_css_variables()``)."""
    bg = _color(variables, "background", Color(0, 0, 0))
    surface = _color(variables, "surface", bg)
    panel = _color(variables, "panel", bg)
    fg = _color(variables, "foreground", bg)
    primary = _color(variables, "primary", bg)
    accent = _color(variables, "accent", bg)
    warning = _color(variables, "warning", bg)
    # The backgrounds text sits on: quotes, and a highlighted row (see cursor_background).
    direct_bg = surface.blend(primary, 0.18)
    indirect_bg = surface.blend(fg, 0.08)
    grounds = (
        bg,
        surface,
        panel,
        direct_bg,
        indirect_bg,
        cursor_background(variables),
        bg.blend(primary, 0.25),
    )

    def text(name: str) -> Color:
        return readable(_color(variables, name, bg), grounds, fg)

    label_colors = {label: text(src) for label, src in LABEL_SOURCES.items()}
    labels = {
        label: Style(color=c.hex, bold=label == "PERSON", italic=label in ("DATE", "TIME"))
        for label, c in label_colors.items()
    }
    muted = readable(fg.blend(bg, 0.35), grounds, fg)
    colors = {name: text(name) for name in ("warning", "error", "primary", "accent", "success")}
    selected_bg, found_bg = warning, accent.blend(primary, 0.5)
    plain = readable(fg, grounds, fg)
    return Palette(
        labels=labels,
        other_label=Style(color=plain.hex, underline=True),
        direct_quote=Style(bgcolor=direct_bg.hex),
        indirect_quote=Style(bgcolor=indirect_bg.hex, italic=True),
        selected=Style(bgcolor=selected_bg.hex, color=best_text(selected_bg).hex, bold=True),
        found=Style(bgcolor=found_bg.hex, color=best_text(found_bg).hex),
        speaker=Style(color=muted.hex, italic=True),
        name=Style(color=colors["primary"].hex, bold=True),
        muted=Style(color=muted.hex),
        warn=Style(color=colors["warning"].hex),
        error=Style(color=colors["error"].hex),
        link=Style(color=colors["primary"].hex, underline=True),
        title=Style(color=plain.hex, bold=True),
        backgrounds=grounds,
        text_colors=(*label_colors.values(), plain, muted, *colors.values()),
    )


def cursor_background(variables: Mapping[str, str]) -> Color:
    """A highlighted row: the surface tinted with the primary colour (set in the CSS as
    ``$primary 25%`` over ``$surface``), dark enough that every text colour stays readable."""
    bg = _color(variables, "background", Color(0, 0, 0))
    return _color(variables, "surface", bg).blend(_color(variables, "primary", bg), 0.25)


# Pairs of theme variables Textual's own widgets draw text with, as this app styles them
# (briefing.tcss sets the footer's keys and highlighted rows to $foreground).
TEXTUAL_PAIRS = (
    ("foreground", "background"),
    ("foreground", "surface"),
    ("foreground", "panel"),
    ("foreground", "footer-background"),
    ("footer-description-foreground", "footer-background"),
)


def theme_problems(variables: Mapping[str, str]) -> list[str]:
    """Every pair of colours the app draws that falls short of AA in this theme."""
    palette = palette_for(variables)
    bg = _color(variables, "background", Color(0, 0, 0))
    fg = _color(variables, "foreground", bg)
    problems = [
        f"{c.hex} on {g.hex}: {contrast(c, g):.2f}"
        for c in palette.text_colors
        for g in palette.backgrounds
        if contrast(c, g) < AA
    ]
    for style in (palette.selected, palette.found):
        assert style.color is not None and style.bgcolor is not None
        fore, back = Color.parse(style.color.name), Color.parse(style.bgcolor.name)
        if contrast(fore, back) < AA:
            problems.append(f"{fore.hex} on {back.hex}: {contrast(fore, back):.2f}")
    for back in (cursor_background(variables), bg.blend(_color(variables, "primary", bg), 0.25)):
        if contrast(fg, back) < AA:
            problems.append(f"foreground on a highlighted row: {contrast(fg, back):.2f}")
    for fore_name, back_name in TEXTUAL_PAIRS:
        back = _color(variables, back_name, bg)
        fore = _color(variables, fore_name, back)
        if contrast(fore, back) < AA:
            problems.append(f"${fore_name} on ${back_name}: {contrast(fore, back):.2f}")
    return problems


_current: Palette | None = None


def use(palette: Palette) -> None:
    """Make ``palette`` the one renderers use (the app calls this when its theme changes)."""
    global _current
    _current = palette


def current() -> Palette:
    """The palette of the app's theme (Textual's default dark theme before an app sets one)."""
    global _current
    if _current is None:
        from textual.app import App

        _current = palette_for(App().get_css_variables())
    return _current


def label_style(label: str) -> Style:
    return current().label(label)


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
