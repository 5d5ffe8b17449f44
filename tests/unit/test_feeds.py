"""parse_feed on RSS, Atom and RDF written here, and on things that are not feeds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from extract.config import FeedConfig, FetchSettings
from extract.ingest.feeds import UNTITLED, html_to_text, parse_feed
from extract.ingest.fetch import Fetcher
from extract.ingest.opml import parse_opml
from tests.helpers.httpserver import TestServer

BASE = "http://news.example.com/feeds/world.xml"

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>World &amp; Politics</title>
  <link>http://news.example.com/</link>
  <item>
    <title>Envoy   says &lt;b&gt;talks&lt;/b&gt; will   resume</title>
    <link>/2024/05/talks.html?utm_source=rss</link>
    <guid isPermaLink="false">story-1</guid>
    <dc:creator>Ann Bee</dc:creator>
    <pubDate>Tue, 14 May 2024 09:30:00 +0200</pubDate>
    <description>short summary</description>
    <content:encoded><![CDATA[<p>First  paragraph &amp; more.</p>
      <script>track()</script><style>p{}</style>
      <p>Second<br/>line</p>]]></content:encoded>
  </item>
  <item>
    <title>Second story</title>
    <link>https://news.example.com/b</link>
    <author>desk@example.com (Carl Dee)</author>
    <description>&lt;p&gt;Only a &lt;i&gt;summary&lt;/i&gt;&lt;/p&gt;</description>
  </item>
</channel>
</rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://blog.example.org/posts/">
  <title type="html">A &lt;em&gt;blog&lt;/em&gt;</title>
  <entry>
    <id>urn:uuid:1</id>
    <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Hello <b>world</b></div></title>
    <link rel="alternate" href="hello.html"/>
    <updated>2024-01-02T03:04:05+02:00</updated>
    <author><name>Zed Y</name></author>
    <content type="html">&lt;h2&gt;Head&lt;/h2&gt;&lt;p&gt;Body text.&lt;/p&gt;</content>
  </entry>
</feed>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://rdf.example.net/">
    <title>RDF news</title><link>http://rdf.example.net/</link>
  </channel>
  <item rdf:about="http://rdf.example.net/1">
    <title>RDF item</title><link>http://rdf.example.net/1</link>
    <dc:date>2023-03-04T05:06:07Z</dc:date>
  </item>
</rdf:RDF>"""


def rss_items(*items: str, encoding: str = "utf-8") -> bytes:
    body = "".join(f"<item>{item}</item>" for item in items)
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
        f"<title>T</title>{body}</channel></rss>"
    ).encode()


def test_rss_entries_are_normalised() -> None:
    feed = parse_feed(RSS, BASE, "application/rss+xml")
    assert feed.problem is None and feed.title == "World & Politics"
    first, second = feed.entries
    assert first.guid == "story-1"
    assert first.link == "http://news.example.com/2024/05/talks.html?utm_source=rss"
    assert first.title == "Envoy says talks will resume"
    assert first.author == "Ann Bee"
    assert first.published == datetime(2024, 5, 14, 7, 30, tzinfo=UTC)
    # content:encoded wins over description; script and style are gone.
    assert first.summary == "First paragraph & more.\n\nSecond\n\nline"
    assert second.guid == "https://news.example.com/b"  # no guid: the link
    assert second.author == "Carl Dee"
    assert second.summary == "Only a summary" and second.published is None


def test_atom_with_xml_base_and_updated_date() -> None:
    feed = parse_feed(ATOM, "http://blog.example.org/atom.xml")
    assert feed.problem is None and feed.title == "A blog"
    (entry,) = feed.entries
    assert entry.link == "http://blog.example.org/posts/hello.html"
    assert entry.title == "Hello world" and entry.author == "Zed Y"
    assert entry.published == datetime(2024, 1, 2, 1, 4, 5, tzinfo=UTC)
    assert entry.published.tzinfo is UTC
    assert entry.summary == "Head\n\nBody text."


def test_rdf_feed() -> None:
    feed = parse_feed(RDF, "http://rdf.example.net/index.rdf")
    assert feed.title == "RDF news" and feed.problem is None
    (entry,) = feed.entries
    assert entry.link == "http://rdf.example.net/1" and entry.title == "RDF item"
    assert entry.published == datetime(2023, 3, 4, 5, 6, 7, tzinfo=UTC)


def test_relative_links_resolve_against_the_feed_url() -> None:
    feed = parse_feed(
        rss_items(
            "<title>a</title><link>../a.html</link>",
            "<title>b</title><link>b.html</link>",
            "<title>c</title><link>//cdn.example.com/c</link>",
        ),
        BASE,
    )
    assert [e.link for e in feed.entries] == [
        "http://news.example.com/a.html",
        "http://news.example.com/feeds/b.html",
        "http://cdn.example.com/c",
    ]


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "data:text/html,x", "ftp://x.org/a", "file:///etc/passwd"]
)
def test_unfetchable_links_are_dropped_for_remote_feeds(link: str) -> None:
    (entry,) = parse_feed(rss_items(f"<title>x</title><link>{link}</link>"), BASE).entries
    assert entry.link is None and entry.title == "x"


def test_local_feed_keeps_local_links(tmp_path) -> None:
    path = tmp_path / "feed.xml"
    body = rss_items("<title>x</title><link>pages/x.html</link>")
    (entry,) = parse_feed(body, str(path)).entries
    assert entry.link == str(tmp_path / "pages" / "x.html")
    (remote,) = parse_feed(body, str(path), allow_local=False).entries
    assert remote.link is None


def test_missing_title_and_link() -> None:
    feed = parse_feed(rss_items("<description>only text</description>"), BASE)
    (entry,) = feed.entries
    assert entry.title == UNTITLED and entry.link is None
    assert entry.guid.startswith("sha1:") and entry.summary == "only text"


def test_entries_without_ids_get_distinct_stable_hashes() -> None:
    body = rss_items("<title>one</title>", "<title>two</title>")
    first = [e.guid for e in parse_feed(body, BASE).entries]
    assert len(set(first)) == 2
    assert first == [e.guid for e in parse_feed(body, BASE).entries]


def test_html_in_titles_is_stripped_and_entities_unescaped() -> None:
    feed = parse_feed(
        rss_items(
            "<title>&lt;a href='x'&gt;Link&lt;/a&gt; &amp;amp; 5 &lt; 6</title>",
            "<title><![CDATA[<em>Caf&eacute;</em>  talks]]></title>",
            "<title>AT&amp;T  \n  deal</title>",
        ),
        BASE,
    )
    assert [e.title for e in feed.entries] == ["Link & 5 < 6", "Café talks", "AT&T deal"]


def test_duplicate_guids_keep_the_first() -> None:
    feed = parse_feed(
        rss_items(
            "<title>first</title><guid>same</guid>",
            "<title>second</title><guid>same</guid>",
            "<title>third</title><guid>other</guid>",
        ),
        BASE,
    )
    assert [(e.guid, e.title) for e in feed.entries] == [("same", "first"), ("other", "third")]


def test_absurd_dates_become_none() -> None:
    now = datetime(2025, 6, 1, tzinfo=UTC)
    soon = (now + timedelta(days=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    later = (now + timedelta(days=3)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    feed = parse_feed(
        rss_items(
            "<title>old</title><guid>1</guid><pubDate>Mon, 01 Jan 1973 00:00:00 GMT</pubDate>",
            f"<title>soon</title><guid>2</guid><pubDate>{soon}</pubDate>",
            f"<title>later</title><guid>3</guid><pubDate>{later}</pubDate>",
            "<title>junk</title><guid>4</guid><pubDate>yesterday-ish</pubDate>",
        ),
        BASE,
        now=now,
    )
    dates = [e.published for e in feed.entries]
    assert dates == [None, now + timedelta(days=1), None, None]


def test_wrongly_declared_encoding_still_reads_entries() -> None:
    body = rss_items("<title>Café crème</title><guid>1</guid>").replace(
        "Café crème".encode(), "Café crème".encode("latin-1")
    )
    feed = parse_feed(body, BASE)
    assert [e.title for e in feed.entries] == ["Café crème"]
    assert feed.problem is not None and "declared as utf-8" in feed.problem


def test_charset_from_content_type_is_used() -> None:
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>Ærø</title><guid>1</guid></item></channel></rss>"
    ).encode("latin-1")
    feed = parse_feed(body, BASE, "application/rss+xml; charset=iso-8859-1")
    assert [e.title for e in feed.entries] == ["Ærø"]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"", "not a feed: the response is empty"),
        (b"  \n ", "not a feed: the response is empty"),
        (
            b"<!DOCTYPE html><html><body><p>Home</p></body></html>",
            "not a feed: looks like an HTML page",
        ),
        (b'{"items": []}', "not a feed: looks like JSON"),
        (
            b'{"version": "https://jsonfeed.org/version/1.1"}',
            "not a feed we can read: JSON Feed is not supported",
        ),
        (b"just some text", "not a feed: the response is not XML"),
        (
            b"<?xml version='1.0'?><catalog><book/></catalog>",
            "not a feed: no RSS, Atom or RDF document found",
        ),
    ],
)
def test_non_feeds_give_a_reason(body: bytes, problem: str) -> None:
    feed = parse_feed(body, BASE, "text/html")
    assert feed.entries == [] and feed.problem == problem


def test_malformed_xml_without_entries_names_the_line() -> None:
    body = b"<?xml version='1.0'?>\n<rss>\n<channel><title>Broken</ti"
    feed = parse_feed(body, BASE)
    assert feed.entries == []
    assert feed.problem is not None and feed.problem.startswith("malformed XML:")
    assert "at line 3" in feed.problem


def test_slightly_broken_feed_keeps_entries_and_notes_it() -> None:
    body = rss_items(
        "<title>kept</title><guid>1</guid>", "<title>also & kept</title><guid>2</guid>"
    )
    feed = parse_feed(body, BASE)
    assert [e.title for e in feed.entries] == ["kept", "also & kept"]
    assert feed.problem is not None and feed.problem.startswith("the feed has problems")


def test_valid_empty_feed_is_not_a_problem() -> None:
    feed = parse_feed(rss_items(), BASE)
    assert feed.entries == [] and feed.problem is None and feed.title == "T"


def test_feedparser_never_opens_a_path_given_as_body(tmp_path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss_items("<title>leaked</title>"))
    feed = parse_feed(str(secret).encode(), BASE)
    assert feed.entries == []


def test_html_to_text_paragraphs() -> None:
    text = html_to_text(
        "<div>Intro <b>bold</b></div><ul><li>one</li><li>two</li></ul>"
        "<p>a&nbsp;b &lt;tag&gt;</p><!-- hidden --><noscript>x</noscript>"
    )
    assert text == "Intro bold\n\none\n\ntwo\n\na b <tag>"
    assert html_to_text("plain &amp; simple\n\n\nnext") == "plain & simple\n\nnext"
    assert html_to_text("") == ""


async def test_fetched_feed_from_the_server_parses(http_server: TestServer) -> None:
    url = http_server.add("/feeds/world.xml", RSS, headers={"Content-Type": "application/rss+xml"})
    async with Fetcher() as fetcher:
        result = await fetcher.fetch_feed(FeedConfig("w", url, fetch=FetchSettings(timeout=2)))
    feed = parse_feed(result.body, result.final_url or url, result.content_type)
    assert feed.entries[0].link == http_server.url("/2024/05/talks.html?utm_source=rss")


def test_html_served_as_feed_from_a_wrong_type() -> None:
    page = b"\xef\xbb\xbf\n  <html><head><title>x</title></head><body>hi</body></html>"
    assert (
        parse_feed(page, BASE, "application/rss+xml").problem
        == "not a feed: looks like an HTML page"
    )


OPML = """<?xml version="1.0" encoding="ISO-8859-1"?>
<opml version="2.0"><head><title>subs</title></head><body>
  <outline text="News">
    <outline text="World" title="World  News" type="rss" xmlUrl="https://a.example/world.xml"/>
    <outline text="Tech" type="rss" xmlUrl="http://b.example/tech.rss"/>
    <outline text="Again" type="rss" xmlUrl="http://b.example/tech.rss"/>
    <outline text="Local" type="rss" xmlUrl="file:///etc/passwd"/>
    <outline text="Folder only"/>
  </outline>
</body></opml>"""


def test_read_opml() -> None:
    listed = parse_opml(OPML)
    assert listed is not None
    assert [(f.name, f.url) for f in listed.feeds] == [
        ("World News", "https://a.example/world.xml"),
        ("Tech", "http://b.example/tech.rss"),
    ]


@pytest.mark.parametrize("text", ["", "not xml", "<opml><body><outline", "{}"])
def test_read_opml_bad_input_is_not_opml(text: str) -> None:
    assert parse_opml(text) is None


def test_utf16_feed_is_read() -> None:
    text = (
        '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>Zürich</title><guid>1</guid></item></channel></rss>"
    )
    feed = parse_feed(text.encode("utf-16"), BASE)
    assert [e.title for e in feed.entries] == ["Zürich"] and feed.problem is None


def test_truncated_feed_keeps_only_identifiable_entries() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>whole</title><guid>1</guid></item><item><title>cut off"
    )
    feed = parse_feed(body, BASE)
    assert [e.title for e in feed.entries] == ["whole"]
    only_fragment = parse_feed(b"<rss><channel><item><title>oops", BASE)
    assert only_fragment.entries == []
    assert (only_fragment.problem or "").startswith("malformed XML:")


# --- feed HTML fragments (summaries, content) ----------------------------------


def test_fragment_paragraphs_entities_and_scripts() -> None:
    fragment = (
        "<p>One &amp; <b>two</b> &#8220;three&#8221;</p>\n<p>Four<br>five</p>"
        "<script>alert(1)</script><style>p{}</style><ul><li>six</li><li>seven</li></ul>"
    )
    assert html_to_text(fragment) == "One & two “three”\n\nFour\n\nfive\n\nsix\n\nseven"


def test_fragment_collapses_source_whitespace_inside_a_paragraph() -> None:
    assert (
        html_to_text("<div>A line\n   broken in\tthe source</div>") == "A line broken in the source"
    )


@pytest.mark.parametrize(
    "fragment, expected",
    [
        ("", ""),
        ("   ", ""),
        ("Plain text, no tags", "Plain text, no tags"),
        ("<p></p><br><br>", ""),
        ("AT&amp;T &lt;b&gt;", "AT&T <b>"),
        ("bad \x00 char", "bad char"),
        ("<p>unclosed <b>tags", "unclosed tags"),
        ("<!-- hidden --><p>shown</p>", "shown"),
    ],
)
def test_fragment_edge_cases(fragment: str, expected: str) -> None:
    assert html_to_text(fragment) == expected
