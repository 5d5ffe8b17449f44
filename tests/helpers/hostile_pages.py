"""Hostile article pages: the cases of ``tests/hostile/test_hostile_pages.py`` and of
the hardening report (``tests/hostile/test_hardening_report.py``), in one place.
"""

from __future__ import annotations

from extract.ingest.pipeline import MAX_ANALYSED_CHARS
from tests.helpers.hardening import EVERYTHING

HTML = {"Content-Type": "text/html; charset=utf-8"}


def article(lang: str, paragraphs: list[str], title: str = "A page") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html lang='{lang}'><head><title>{title}</title></head><body>"
        f"<article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


RUSSIAN = article(
    "ru",
    [
        "Министр иностранных дел заявил в понедельник, что переговоры с соседними странами "
        "будут продолжены на следующей неделе в столице.",
        "По словам представителя министерства, стороны обсудили вопросы безопасности, торговли "
        "и энергетики, но окончательного соглашения пока нет.",
        "«Мы готовы к диалогу», — сказал министр журналистам после встречи.",
    ],
    "Переговоры",
)
CHINESE = article(
    "zh",
    [
        "外交部发言人星期一表示，与邻国的谈判将于下周在首都继续进行，双方将讨论安全、贸易和能源问题。",
        "发言人说：“我们愿意继续对话。”他补充说，目前还没有达成最终协议，但进展是积极的。",
        "分析人士认为，这次谈判对地区稳定具有重要意义，各方都希望尽快取得成果。",
    ],
    "谈判",
)
GERMAN = article(
    "de",
    [
        f"Der Außenminister hat am Montag erklärt, dass die Gespräche mit den Nachbarländern in "
        f"der kommenden Woche in der Hauptstadt fortgesetzt werden sollen, Runde {i}."
        for i in range(4)
    ]
    + ["„Wir sind zum Dialog bereit“, sagte der Minister."],
    "Gespräche",
)
# German declared as English: the text decides. Other words: identical text is one article.
GERMAN_AS_EN = GERMAN.replace(b"lang='de'", b"lang='en'").replace(b"Runde", b"Durchgang")
ENGLISH = article(
    "en",
    [
        "The foreign minister said on Monday that talks with neighbouring countries would "
        "resume next week in the capital.",
        '"We are ready for dialogue," Foreign Minister Ana Lopes told reporters after the meeting.',
    ],
)
QUOTE_MARKS = article(
    "en",
    [
        "Officials said the talks went on for hours on Monday.",
        " ".join('"' for _ in range(600)),
        " ".join('"it is' for _ in range(300)),
    ],
)
HOSTILE_TEXT = article(
    "en",
    [
        f"The minister said {EVERYTHING} on Monday, officials added.",
        '"We will see," said Ana Lopes, the [bold]minister[/bold].',
    ],
    title="Escapes \x1b[31m",
)
BINARY = bytes(range(256)) * 64


def entry(n: int, title: str, link: str) -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link><guid>p{n}</guid>"
        f"<description>Feed summary of {title}: officials said it happened.</description>"
        f"</item>"
    )


MARK_CHARS = "\"“”«»„'‘’"


def quote_marks_word(chars: int) -> str:
    """One "word" of ``chars`` quote marks of every kind, no space: spaCy's tokenizer
    took ~11 s for 10,000 of them, ~49 s for 20,000."""
    return "".join(MARK_CHARS[(k * 7 + k // 9) % len(MARK_CHARS)] for k in range(chars))


def mixed_quote_marks(chars: int) -> str:
    """Words with quote marks of every kind glued before or after them, no sentence end."""
    words = ("said", "Smith", "the", "talks", "would", "go", "on", "he", "told", "reporters")
    out, n, k = [], 0, 0
    while n < chars:
        mark, word = MARK_CHARS[k % len(MARK_CHARS)], words[(k * 3) % len(words)]
        out.append(mark + word if k % 2 else word + mark)
        n, k = n + len(out[-1]) + 1, k + 1
    return " ".join(out)


def pathological(kind: str) -> bytes:
    if kind == "one_mb_paragraph":
        sentence = (
            'The minister said the talks would continue and "nothing is agreed," officials added. '
        )
        return article("en", [sentence * (1_000_000 // len(sentence))])
    if kind == "quote_marks_in_one_sentence":
        return article(
            "en",
            [
                "Officials said the talks went on for hours on Monday. "
                + " ".join('"it is' for _ in range(6000))
            ],
        )
    if kind == "one_word_of_quote_marks":  # the tokenizer was quadratic in a word's length
        lead = "Officials said the talks went on for hours on Monday "
        return article("en", [lead + quote_marks_word(MAX_ANALYSED_CHARS) + " and ended."])
    if kind == "mixed_quote_marks":
        return article("en", [mixed_quote_marks(MAX_ANALYSED_CHARS)])
    if kind == "nested_reported_speech":  # to the analysis cap, in one sentence
        names = ("John Smith", "Mary Jones", "Ana Lopes")
        reports = "".join(f"{names[k % 3]} said " for k in range(MAX_ANALYSED_CHARS // 12))
        return article("en", [reports + "the talks would go on."])
    return article(
        "en",
        ["Officials said the talks went on for hours on Monday."]
        + [" ".join('"it is' for _ in range(1000))] * 3,
    )
