"""canonical_url, is_fetchable_link and resolve_link."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.urls import canonical_url, is_fetchable_link, resolve_link


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://Example.COM/Path/Story.html", "http://example.com/Path/Story.html"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"),
        ("https://example.com/a?id=7&fbclid=XYZ&gclid=1&ref=tw", "https://example.com/a?id=7"),
        (
            "https://example.com/a?mc_cid=1&mc_eid=2&cmpid=3&ocid=4&UTM_Campaign=x",
            "https://example.com/a",
        ),
        ("https://example.com/a?b=2&a=1&c=3", "https://example.com/a?a=1&b=2&c=3"),
        ("https://example.com/a?q=caf%C3%A9&page=2", "https://example.com/a?page=2&q=caf%C3%A9"),
        ("https://user:pw@Example.com/a", "https://example.com/a"),
        ("http://[::1]:8080/a", "http://[::1]:8080/a"),
        ("  https://example.com/a\n", "https://example.com/a"),
        ("https://example.com/a?", "https://example.com/a"),
        ("https://example.com/search?referrer=x", "https://example.com/search?referrer=x"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_same_story_through_different_links_is_one_url() -> None:
    links = [
        "https://News.example.com/world/talks?utm_source=rss#top",
        "https://news.example.com:443/world/talks?fbclid=abc",
        "https://news.example.com/world/talks",
    ]
    assert len({canonical_url(link) for link in links}) == 1


@pytest.mark.parametrize("text", ["not a url", "http://host:notaport/", "", "mailto:a@b.c#x"])
def test_canonical_url_never_raises(text: str) -> None:
    assert isinstance(canonical_url(text), str)


@given(st.text(max_size=80))
@pytest.mark.slow
def test_canonical_url_is_total_and_idempotent(text: str) -> None:
    once = canonical_url(text)
    assert canonical_url(once) == once


@pytest.mark.parametrize(
    ("link", "local", "allowed"),
    [
        ("https://example.com/a", False, True),
        ("http://example.com/a", True, True),
        ("HTTPS://example.com/a", False, True),
        ("http:///no-host", False, False),
        ("file:///home/me/page.html", False, False),
        ("file:///home/me/page.html", True, True),
        ("pages/a.html", False, False),
        ("pages/a.html", True, True),
        ("/abs/a.html", True, True),
        (r"C:\feeds\a.html", True, True),
        (r"C:\feeds\a.html", False, False),
        ("javascript:alert(1)", True, False),
        ("JaVaScRiPt:alert(1)", False, False),
        ("java\tscript:alert(1)", True, False),
        ("data:text/html,<p>x</p>", True, False),
        ("ftp://example.com/a", True, False),
        ("mailto:a@example.com", False, False),
        ("", True, False),
        ("   ", False, False),
    ],
)
def test_is_fetchable_link(link: str, local: bool, allowed: bool) -> None:
    assert is_fetchable_link(link, feed_is_local=local) is allowed


@pytest.mark.parametrize(
    ("link", "base", "resolved"),
    [
        ("/a", "https://example.com/feeds/x.xml", "https://example.com/a"),
        ("a.html", "https://example.com/feeds/x.xml", "https://example.com/feeds/a.html"),
        ("../a", "https://example.com/feeds/x.xml", "https://example.com/a"),
        ("//cdn.example.org/a", "https://example.com/x", "https://cdn.example.org/a"),
        ("https://other.org/a", "https://example.com/x", "https://other.org/a"),
        ("  /spaced\n", "https://example.com/x", "https://example.com/spaced"),
        ("a.html", "/home/me/feeds/feed.xml", "/home/me/feeds/a.html"),
        ("a.html", "file:///home/me/feed.xml", "file:///home/me/a.html"),
        ("", "https://example.com/x", ""),
    ],
)
def test_resolve_link(link: str, base: str, resolved: str) -> None:
    assert resolve_link(link, base) == resolved
