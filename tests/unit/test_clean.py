"""The cleaning stage: page HTML -> paragraphs + metadata, and the boilerplate filter."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from trafilatura.settings import Document

from extract.ingest.boilerplate import is_call_to_action, is_furniture, strip_boilerplate
from extract.ingest.clean import (
    CLEANER_VERSION,
    RETRY_GAIN,
    clean_page,
    decode_html,
    pick_extraction,
)
from extract.models import CleanArticle
from tests.bench.extractors import trafilatura_only
from tests.helpers import FIXTURES

PAGE = FIXTURES / "pages" / "nato-russia.html"
SEED = FIXTURES / "seed" / "nato-russia.txt"
URL = "https://continental-ledger.example/europe/2022/01/12/russia-nato-security-demands"
TITLE = "Russia sets out security guarantee demands at NATO meeting"
SEED_TAIL = [
    "We’ve Already Come Too Far To End This Now.",
    "Subscribe To Our Weekly Newsletter",
    "Get notified about new articles",
]


def seed_paragraphs() -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", SEED.read_text(encoding="utf-8")) if p.strip()]


def article_paragraphs() -> list[str]:
    """The seed's article: from "Russia has begun..." to the Carpenter paragraph."""
    paragraphs = seed_paragraphs()
    first = next(i for i, p in enumerate(paragraphs) if p.startswith("Russia has begun"))
    last = next(i for i, p in enumerate(paragraphs) if "Michael Carpenter" in p)
    return paragraphs[first : last + 1]


def page(body: str, head: str = "<meta charset='utf-8'>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body><article>{body}</article></body></html>"


PROSE = (
    "<p>The finance minister said on Monday that the budget would be balanced by the end "
    "of the decade, despite the rising cost of borrowing and a slowing economy.</p>"
    "<p>Opposition leaders called the plan unrealistic and said they would vote against it "
    "when parliament takes up the bill next month, according to party officials.</p>"
)


# --- the seed page ---------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_article() -> CleanArticle:
    article = clean_page(PAGE.read_bytes(), URL)
    assert article is not None
    return article


def test_seed_page_yields_exactly_the_article_paragraphs(seed_article: CleanArticle) -> None:
    assert seed_article.text == "\n\n".join(article_paragraphs())


def test_seed_page_metadata(seed_article: CleanArticle) -> None:
    assert seed_article.title == TITLE
    assert seed_article.author == "Anna Kowalska"
    assert seed_article.date == "2022-01-12"
    assert seed_article.sitename == "The Continental Ledger"
    assert seed_article.language == "en"  # from <html lang="en-GB">


def test_paragraphs_are_separated_by_exactly_one_blank_line(seed_article: CleanArticle) -> None:
    text = seed_article.text
    assert "\n\n\n" not in text
    assert "\n" not in text.replace("\n\n", "")
    assert text == text.strip()


def test_the_filter_is_what_removes_the_signup_box() -> None:
    # trafilatura alone keeps the newsletter box on this page; the shipped cleaner must not.
    raw = trafilatura_only(PAGE.read_text(encoding="utf-8"), URL)
    assert raw.split("\n\n")[-3:] == SEED_TAIL
    assert raw.split("\n\n")[:-3] == article_paragraphs()


def test_str_input_gives_the_same_article_as_bytes(seed_article: CleanArticle) -> None:
    assert clean_page(PAGE.read_text(encoding="utf-8"), URL) == seed_article


def words(n: int) -> Document:
    document = Document()
    document.text = " ".join(f"w{i}" for i in range(n))
    return document


def test_balanced_result_replaces_a_precise_one_that_kept_next_to_nothing() -> None:
    precise, balanced = words(12), words(12 * RETRY_GAIN)
    assert pick_extraction(precise, balanced) is balanced
    assert pick_extraction(None, balanced) is balanced
    # not much longer: the precise result stands (balanced adds boilerplate, not article)
    assert pick_extraction(precise, words(12 * RETRY_GAIN - 1)) is precise
    assert pick_extraction(precise, None) is precise
    assert pick_extraction(None, None) is None


# --- the boilerplate filter --------------------------------------------------------


def test_seed_text_loses_its_trailing_calls_to_action() -> None:
    paragraphs = seed_paragraphs()
    assert paragraphs[-3:] == SEED_TAIL
    assert strip_boilerplate(SEED.read_text(encoding="utf-8")) == "\n\n".join(paragraphs[:-3])


def test_leading_calls_to_action_are_removed() -> None:
    text = "Advertisement\n\nShare this article\n\nTweet\n\nThe talks began on Monday."
    assert strip_boilerplate(text) == "The talks began on Monday."


@pytest.mark.parametrize(
    "prose",
    [
        "He urged supporters to subscribe to the newsletter.",
        "Support for the bill fell to 40 percent, the poll found.",
        "Related charges were filed against two other men.",
        "Copyright law has not kept up with the technology, she said.",
        "The ministry's newsletter said the troops would withdraw.",
        "“Subscribe to my channel,” he told the crowd.",
        "Subscribe, he said, was the word he heard most often from the young men who ran the "
        "channels and who told him that growth was all that mattered to them in the end.",
    ],
)
def test_real_prose_at_the_edge_survives(prose: str) -> None:
    text = f"The talks began on Monday.\n\n{prose}"
    assert strip_boilerplate(text) == text
    assert strip_boilerplate(f"{prose}\n\nThe talks began on Monday.").startswith(prose)


def test_share_bar_list_items_go_but_an_imperative_list_item_stays() -> None:
    text = (
        "- Order Reprints\n\n- Print Article\n\nTo watch, do this:\n\n"
        "- Sign up for the bundle using the same email as your old account"
    )
    assert strip_boilerplate(text) == text.split("\n\n", 2)[2]


def test_calls_to_action_in_the_middle_are_left_alone() -> None:
    text = "First paragraph.\n\nSubscribe to our newsletter\n\nLast paragraph."
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize(
    "line",
    [
        "Sign up for our newsletter",
        "Click here to subscribe",
        "Follow us on Twitter",
        "Follow The Times on Facebook, Twitter and Instagram.",
        "Share on Facebook",
        "Read more: NATO allies reject Russian demands",
        "Related:",
        "Related stories",
        "Advertisement",
        "© 2022 The Continental Ledger. All rights reserved.",
        "Copyright 2021 Reuters",
        "Get the day’s top headlines delivered to your inbox every morning.",
        "Comments",
    ],
)
def test_common_calls_to_action_are_recognised(line: str) -> None:
    assert is_call_to_action(line)
    prose = "The talks began on Monday."
    assert strip_boilerplate(f"{prose}\n\n{line}") == prose


@given(
    st.lists(
        st.sampled_from(
            [
                "Subscribe To Our Weekly Newsletter",
                "Tweet",
                "Advertisement",
                "Read more: x",
                "The minister said the talks would go on.",
                "Allies are ready to negotiate.",
                "He urged supporters to subscribe to the newsletter.",
            ]
        ),
        max_size=8,
    )
)
def test_filter_keeps_a_run_less_its_furniture_and_is_idempotent(paragraphs: list[str]) -> None:
    out = strip_boilerplate("\n\n".join(paragraphs))
    kept = out.split("\n\n") if out else []
    rest = iter(paragraphs)
    assert all(any(p == q for q in rest) for p in kept)  # in order, nothing added
    assert all(not is_call_to_action(p) for p in kept[:1] + kept[-1:])
    assert not any(is_furniture(p) for p in kept)
    assert strip_boilerplate(out) == out


# Hand-written in the shape of what real pages leave in: furniture goes wherever it is.
@pytest.mark.parametrize(
    "line",
    [
        "Story continues below gallery",
        "Article continues after advertisement",
        "An error has occurred, please try again later.",
        "Something went wrong. Please try again.",
        "This copy is for your personal, non-commercial use only. To order copies for your "
        "colleagues or clients, contact Harbour Reprints at 555-0100 or visit harbour.example.",
        "Read more: Port strike enters its second week",
        "[Related: Ferry fares to rise in May]",
        "Most read in business",
        "DON'T MISS",
        "The port never sleeps, and neither do its cranes.Click To Tweet",
        "[button link=”http://ferry.example/submit” type=”big”] Send us YOUR ferry story[/button]",
    ],
)
def test_furniture_goes_from_the_middle_too(line: str) -> None:
    assert is_furniture(line)
    text = f"The talks began on Monday.\n\n{line}\n\nThey ended on Friday."
    assert strip_boilerplate(text) == "The talks began on Monday.\n\nThey ended on Friday."


@pytest.mark.parametrize(
    "line",
    [
        "Get Harbour Cycling delivered through your letterbox every month. 12 issues for £9.99. "
        "Click here for more information.",
        "Get the week's best reads + the puzzles you love, every Friday.",
        "Listen to Harbour Radio live at 07:15 weekdays - or listen back here.",
        "copyright Harbourlight 2021 - ISSN: 1234-567X",
        "Write to Dana Reyes at dana.reyes@harbour.example",
        "Email Sam Okafor at sokafor@harbour.example or follow him @samokafor.",
        "Listen: http://pod.example/ep12",
        "More Harbour sport: https://harbour.example/sport",
        "https://harbour.example/news/port-strike-2021",
        "Updated at 4:05 p.m.",
        "Reporting by Dana Reyes; editing by Sam Okafor",
        "Lee Park contributed to this report.",
        "Filed under: Ports |",
        "SOURCE: News agencies",
        "Thank you",
        "This article has been sent to",
        "Start your morning with the Harbour Brief. The Harbour Brief is what dock workers read "
        "first. Sign up for the free daily newsletter.",
        "There's plenty more where that came from. Sign up for the Harbour Brief today.",
    ],
)
def test_calls_to_action_of_real_page_shapes_go_at_the_edges(line: str) -> None:
    text = f"The talks began on Monday.\n\n{line}"
    assert strip_boilerplate(text) == "The talks began on Monday."
    assert (
        strip_boilerplate(f"{line}\n\nThe talks began on Monday.") == "The talks began on Monday."
    )


@pytest.mark.parametrize(
    "prose",
    [
        "Copyright law changed in 2019, and the studios sued.",
        "Get the facts right first, the editor told her. Then sign up the witnesses.",
        "“Sign up for the free daily newsletter,” the mayor joked. Nobody laughed.",
        "Listen to the people who live here, she said, and you hear something else.",
        "The problem occurred twice last year, engineers said.",
        "Related problems have plagued the port since the strike began in March.",
    ],
)
def test_prose_of_those_shapes_stays(prose: str) -> None:
    text = f"The talks began on Monday.\n\n{prose}\n\nThey ended on Friday."
    assert strip_boilerplate(text) == text
    assert strip_boilerplate(f"The talks began on Monday.\n\n{prose}").endswith(prose)


def test_hover_cards_are_not_glued_into_the_sentence() -> None:
    card = (
        '<span class="rollover-people"><a class="rollover-people-link" href="/p/1">'
        'Maria Ortiz</a><span class="rollover-people-block"><span class="rollover-block">'
        '<a href="/p/1">Maria Ortiz</a><a href="/n/2">Port strike: talks stall | Ferries '
        "cancelled</a></span></span></span>"
    )
    tip = (
        '<span class="tooltip">dockers<span class="tooltiptext">Workers who load and '
        "unload ships</span></span>"
    )
    html = page(
        f"<p>The strike was called by Rep. {card} (D-Port) on Monday, and the {tip} "
        "walked out at dawn.</p>" + PROSE
    )
    article = clean_page(html)
    assert article is not None
    first = article.text.split("\n\n")[0]
    assert first == (
        "The strike was called by Rep. Maria Ortiz (D-Port) on Monday, and the "
        "dockers walked out at dawn."
    )


# --- decoding ------------------------------------------------------------------


def test_wrongly_declared_utf8_falls_back_without_crashing() -> None:
    raw = page(PROSE.replace("decade", "décennie café"), "<meta charset='utf-8'>").encode("cp1252")
    article = clean_page(raw, encoding="utf-8")
    assert article is not None
    assert "décennie café" in article.text


def test_utf8_page_declared_as_latin1_is_read_as_utf8() -> None:
    raw = page(PROSE.replace("minister", "minister’s aide"), "<meta charset='iso-8859-1'>")
    article = clean_page(raw.encode("utf-8"), encoding="iso-8859-1")
    assert article is not None
    assert "minister’s aide" in article.text


def test_declared_charset_is_used_when_the_bytes_are_not_utf8() -> None:
    raw = page(PROSE.replace("minister", "министр"), "<meta charset='windows-1251'>")
    assert "министр" in decode_html(raw.encode("cp1251"))
    assert "министр" in decode_html(raw.encode("cp1251"), declared="windows-1251")


@pytest.mark.parametrize("label", ["x-no-such-charset", "utf-16", "", "  "])
def test_bogus_charset_labels_are_ignored(label: str) -> None:
    raw = page(PROSE, f"<meta charset='{label}'>").encode("utf-8")
    article = clean_page(raw, encoding=label)
    assert article is not None and "finance minister" in article.text


def test_byte_order_marks_win() -> None:
    assert decode_html("\ufeff<p>Zürich</p>".encode("utf-8")) == "<p>Zürich</p>"
    assert "Zürich" in decode_html("<p>Zürich</p>".encode("utf-16"))


# --- nothing usable -------------------------------------------------------------


@pytest.mark.parametrize(
    "junk",
    [
        "",
        b"",
        "   ",
        "<html></html>",
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        bytes(range(256)) * 8,
        "\x00\x01\x02 not a page",
        page("<p>Subscribe to our newsletter</p>"),
    ],
)
def test_empty_or_garbage_page_returns_none(junk: str | bytes) -> None:
    assert clean_page(junk) is None


def test_cleaner_version_names_its_parts() -> None:
    parts = r"trafilatura \d+\.\d+\.\d+; boilerplate \d+; cleaning \d+"
    assert re.fullmatch(parts, CLEANER_VERSION)


@pytest.mark.parametrize("reference", ["&#27;", "&#1;", "&#x1b;[2J", "\x1b[31m"])
def test_one_control_character_does_not_lose_the_page(reference: str) -> None:
    """Issue 16: lxml refused a page with one &#27; and the whole text was lost."""
    body = "".join(
        f"<p>The minister said the talks{reference if i == 2 else ''} would go on, "
        f"officials said in paragraph {i} of the report on Monday.</p>"
        for i in range(6)
    )
    cleaned = clean_page(page(body), "http://example.com/a")
    assert cleaned is not None and "paragraph 5 of the report" in cleaned.text
    assert "\x1b" not in cleaned.text and "\x01" not in cleaned.text
