"""Hostile feeds: the cases of ``tests/hostile/test_hostile_feeds.py`` and of the
hardening report (``tests/hostile/test_hardening_report.py``), in one place.

Bytes only: no test runs here. ``BASE`` is the URL a case pretends to come from.
"""

from __future__ import annotations

from pathlib import Path

from extract.config import Config, FeedConfig, FetchSettings, NlpSettings
from tests.helpers.hardening import EVERYTHING

BASE = "http://news.example.com/rss/world.xml"
XML = {"Content-Type": "application/rss+xml"}
SECRET = "root:x:0:0:SECRET-MARKER"


def rss(items: str, title: str = "Hostile") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title>{items}</channel></rss>"
    ).encode()


def item(
    title: str = "T",
    link: str | None = "http://news.example.com/a",
    guid: str = "",
    extra: str = "",
) -> str:
    parts = [f"<title>{title}</title>" if title is not None else ""]
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if guid:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    return "<item>" + "".join(parts) + extra + "</item>"


LAUGHS = (
    b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
"""
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"""]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>http://news.example.com/a</link>
<description>&lol9;&lol9;</description></item></channel></rss>"""
)

QUADRATIC = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + b"x" * 50_000 + b'">]>'
    b'<rss version="2.0"><channel><title>q</title><item><title>t</title>'
    b"<link>http://news.example.com/a</link><description>"
    + b"&a;" * 20_000
    + b"</description></item></channel></rss>"
)

XXE = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
    b'<!ENTITY % ext SYSTEM "http://127.0.0.1:9/evil.dtd"> %ext;]>'
    b'<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title>'
    b"<link>http://news.example.com/a</link><description>&xxe;</description></item>"
    b"</channel></rss>"
)

WIN1251 = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Новости'
    "</title><item><title>Переговоры продолжаются</title><link>http://news.example.com"
    "/ru</link></item></channel></rss>"
).encode("cp1251")

# name -> (body, content type)
HOSTILE_FEEDS: dict[str, tuple[bytes, str | None]] = {
    "malformed": (b"<?xml version='1.0'?><rss><channel><title>Broken</ti", "application/rss+xml"),
    "truncated": (rss(item("One", guid="1") + item("Two", guid="2"))[:140], "application/rss+xml"),
    "billion_laughs": (LAUGHS, "application/rss+xml"),
    "quadratic_blowup": (QUADRATIC, "application/rss+xml"),
    "external_entities": (XXE, "application/rss+xml"),
    "no_link_no_title": (
        rss("<item><description>Only a summary.</description></item><item></item>"),
        "application/rss+xml",
    ),
    "absurd_dates": (
        rss(
            "".join(
                item(f"D{i}", f"http://news.example.com/d{i}", f"d{i}", f"<pubDate>{d}</pubDate>")
                for i, d in enumerate(
                    (
                        "Mon, 01 Jan 9999 00:00:00 GMT",
                        "Sat, 01 Jan 0001 00:00:00 GMT",
                        "Thu, 01 Jan 1970 00:00:00 GMT",
                        "yesterday",
                        "Tue, 31 Feb 2023 25:61:61 +9999",
                        "-1",
                        "99999999999999999999",
                    )
                )
            )
        ),
        "application/rss+xml",
    ),
    "duplicate_guids": (
        rss(
            item("A", "http://news.example.com/1", "same")
            + item("B", "http://news.example.com/2", "same")
            + item("C", "http://news.example.com/1", "other")
        ),
        "application/rss+xml",
    ),
    "relative_and_local_links": (
        rss(
            item("rel", "../story.html", "r1")
            + item("abs-path", "/etc/passwd", "r2")
            + item("file", "file:///etc/passwd", "r3")
            + item("js", "javascript:alert(1)", "r4")
            + item("data", "data:text/html,<p>x</p>", "r5")
            + item("parent", "../../../../etc/passwd", "r6")
            + item("ftp", "ftp://news.example.com/x", "r7")
            + item("host-less", "http:///x", "r8")
            + item("smb", "\\\\server\\share\\x", "r9")
            + item("drive", "C:/Windows/win.ini", "r10")
        ),
        "application/rss+xml",
    ),
    "wrongly_declared_encoding": (WIN1251, "application/rss+xml; charset=utf-8"),
    "utf16": (
        (
            '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>U'
            "</title><item><title>Ünïcödé</title><link>http://news.example.com/u</link>"
            "</item></channel></rss>"
        ).encode("utf-16"),
        "text/xml",
    ),
    "html_in_titles": (
        rss(
            item(
                "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;Bold&lt;/b&gt; "
                "&lt;img src=x onerror=alert(1)&gt;news",
                guid="h1",
            )
            + item(
                "<![CDATA[<iframe src='http://evil'></iframe>Plain]]>",
                "http://news.example.com/h2",
                "h2",
            )
        ),
        "application/rss+xml",
    ),
    "escapes_in_text": (
        rss(
            item(
                "A &#x1b;[31mred&#x1b;[0m &#x202e;txt.exe",
                guid="e1",
                extra="<description>\x1b]52;c;ZXZpbA==\x07</description>",
            ),
            title="Feed\x1b]0;pwned\x07",
        ),
        "application/rss+xml",
    ),
    "json": (b'{"items": [{"title": "x"}]}', "application/json"),
    "json_feed": (
        b'{"version": "https://jsonfeed.org/version/1.1", "items": []}',
        "application/feed+json",
    ),
    "html_page": (b"<!doctype html><html><body><h1>Not a feed</h1></body></html>", "text/html"),
    "empty": (b"", "application/rss+xml"),
    "whitespace": (b"  \n\t ", "application/rss+xml"),
    "binary": (bytes(range(256)) * 20, "application/octet-stream"),
    "nul_bytes": (
        rss(item("nul", guid="n1")).replace(b"<title>nul", b"<title>n\x00ul"),
        "application/rss+xml",
    ),
    "deep_nesting": (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>deep</title>'
        b"<item><title>t</title><link>http://news.example.com/deep</link>"
        b"<description>"
        + b"<x>" * 50_000
        + b"</x>" * 50_000
        + b"</description></item></channel></rss>",
        "application/rss+xml",
    ),
    "atom_garbage": (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="'
        + b"A" * 100_000
        + b'"/><title type="xhtml"><div><div><div>x</div>'
        b"</div></div></title></entry></feed>",
        "application/atom+xml",
    ),
}


# A valid feed the fuzzers mutate, and the snippets they insert.
VALID = rss(
    item(
        "Envoy &amp; minister",
        "/2024/a.html?utm_source=x",
        "g1",
        "<pubDate>Tue, 14 May 2024 09:30:00 +0200</pubDate>"
        "<description>&lt;p&gt;Talks &lt;b&gt;resume&lt;/b&gt;&lt;/p&gt;</description>",
    )
    + item("Second", "https://news.example.com/b", "g2")
)
SNIPPETS = [
    b"<",
    b">",
    b"&",
    b"&lol;",
    b"]]>",
    b"<![CDATA[",
    b"<!DOCTYPE x [",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"<item>",
    b"</channel>",
    b"<link>file:///etc/passwd</link>",
    b"<link>javascript:x</link>",
    b"&#x1b;",
    b"\x1b[31m",
    b"<?xml",
    b"<rss>",
    EVERYTHING.encode(),
]


def make_config(tmp_path: Path, feeds: list[FeedConfig]) -> Config:
    fetch = FetchSettings(timeout=2.0, connect_timeout=1.0, max_bytes=2_000_000)
    return Config(
        path=tmp_path / "config.toml",
        store_path=tmp_path / "store.sqlite3",
        fetch=fetch,
        nlp=NlpSettings(),
        feeds=tuple(feeds),
        keys={},
    )


def web_feed(name: str, url: str) -> FeedConfig:
    return FeedConfig(
        name=name,
        url=url,
        fetch=FetchSettings(timeout=2.0, connect_timeout=1.0, max_bytes=2_000_000),
    )
