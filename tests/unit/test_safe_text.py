"""safe(): untrusted text reaches the terminal as plain characters only."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from extract.safe_text import one_line, safe

BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = set("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")


def test_csi_colour_sequences_are_removed_whole() -> None:
    assert safe("a\x1b[31mred\x1b[0m b") == "ared b"
    assert safe("\x1b[38;2;255;0;0mx") == "x"


def test_osc_hyperlink_and_title_sequences_are_removed_whole() -> None:
    assert safe("\x1b]8;;http://evil\x07click\x1b]8;;\x07") == "click"
    assert safe("\x1b]0;pwned title\x1b\\after") == "after"
    assert safe("cut off \x1b]8;;http://evil") == "cut off "


def test_eight_bit_csi_and_dcs_are_removed() -> None:
    assert safe("a\x9b31mb") == "ab"
    assert safe("a\x1bPq#0;2;0;0;0\x1b\\b") == "ab"


def test_controls_bidi_and_zero_width_are_removed_but_newlines_stay() -> None:
    assert safe("one\x00two\x07\x08\rthree\nfour") == "onetwothree\nfour"
    assert safe("\u202eevil\u202c and \u2066x\u2069") == "evil and x"
    assert safe("in\u200bvis\ufeffible") == "invisible"
    assert safe("tab\there") == "tab here"


def test_markup_is_left_as_literal_characters() -> None:
    # Markup is never parsed (widgets use Text); safe() must not eat the brackets.
    assert safe("[bold]x[/] [link=http://x]y[/link]") == "[bold]x[/] [link=http://x]y[/link]"


def test_one_line_collapses_whitespace() -> None:
    assert one_line("  a\n\n b \t c ") == "a b c"
    assert one_line(None) == ""


@given(st.text())
def test_no_control_escape_bidi_or_zero_width_survives(s: str) -> None:
    out = safe(s)
    for ch in out:
        assert ch == "\n" or unicodedata.category(ch) != "Cc", repr(ch)
        assert ch not in BIDI and ch not in ZERO_WIDTH, repr(ch)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Zl", "Zp"))))
def test_ordinary_text_is_unchanged(s: str) -> None:
    assert safe(s) == s
