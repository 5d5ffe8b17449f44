"""Fetcher against the real local HTTP server: every path ends in a value."""

from __future__ import annotations

import asyncio
import socket
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest

from extract.config import FeedConfig, FetchSettings
from extract.ingest.fetch import Fetcher, FetchResult
from tests.helpers.httpserver import ETAG, FEED_BODY, LAST_MODIFIED, Handler, TestServer

FAST = FetchSettings(timeout=2.0, connect_timeout=2.0)


def feed_at(url: str, settings: FetchSettings = FAST) -> FeedConfig:
    return FeedConfig(name="test", url=url, fetch=settings)


async def page(url: str, settings: FetchSettings = FAST, **kwargs: bool) -> FetchResult:
    async with Fetcher(settings) as fetcher:
        return await fetcher.fetch_page(url, **kwargs)


async def feed(
    url: str,
    settings: FetchSettings = FAST,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchResult:
    async with Fetcher(settings) as fetcher:
        return await fetcher.fetch_feed(feed_at(url, settings), etag, last_modified)


async def test_plain_200_returns_body_and_metadata(http_server: TestServer) -> None:
    url = http_server.add(
        "/a.html",
        b"<html><body>hi</body></html>",
        headers={"Content-Type": "text/html; charset=utf-8", "ETag": '"x"'},
    )
    result = await page(url)
    assert result.ok and result.reason is None
    assert result.body == b"<html><body>hi</body></html>"
    assert result.status == 200 and result.final_url == url and result.etag == '"x"'
    sent = http_server.requests[-1].headers
    assert sent["user-agent"] == FAST.user_agent
    assert sent["accept-encoding"] == "gzip"


async def test_user_agent_can_be_overridden_per_call(http_server: TestServer) -> None:
    url = http_server.add("/ua.html", b"<html></html>")
    async with Fetcher(FAST) as fetcher:
        await fetcher.fetch_page(url, replace(FAST, user_agent="Other/2"))
    assert http_server.requests[-1].headers["user-agent"] == "Other/2"


async def test_etag_conditional_get_gives_not_modified(http_server: TestServer) -> None:
    first = await feed(http_server.url("/conditional"))
    assert first.ok and not first.not_modified and first.body == FEED_BODY
    assert first.etag == ETAG and first.last_modified == LAST_MODIFIED
    second = await feed(http_server.url("/conditional"), etag=first.etag)
    assert second.ok and second.not_modified and second.status == 304 and second.body == b""
    assert http_server.requests[-1].headers["if-none-match"] == ETAG
    assert "if-none-match" not in http_server.requests[0].headers


async def test_last_modified_conditional_get(http_server: TestServer) -> None:
    result = await feed(http_server.url("/conditional"), last_modified=LAST_MODIFIED)
    assert result.not_modified and result.ok
    assert http_server.requests[-1].headers["if-modified-since"] == LAST_MODIFIED


async def test_304_without_validators_keeps_the_callers(http_server: TestServer) -> None:
    url = http_server.add("/bare304", b"", status=304)
    result = await feed(url, etag='"old"', last_modified=LAST_MODIFIED)
    assert result.not_modified and result.etag == '"old"'
    assert result.last_modified == LAST_MODIFIED


async def test_gzip_body_is_decoded(http_server: TestServer) -> None:
    result = await page(http_server.url("/gzip?size=5000"))
    assert result.ok and len(result.body) == 5000
    assert result.body.startswith(b"<html><body><p>gzip me")


async def test_redirect_chain_of_two_is_followed(http_server: TestServer) -> None:
    result = await page(http_server.url("/redirect/2"))
    assert result.ok and b"arrived" in result.body
    assert result.url == http_server.url("/redirect/2")
    assert result.final_url == http_server.url("/redirect/0")
    assert http_server.paths() == ["/redirect/2", "/redirect/1", "/redirect/0"]


async def test_five_redirects_are_allowed_six_are_not(http_server: TestServer) -> None:
    assert (await page(http_server.url("/redirect/5"))).ok
    result = await page(http_server.url("/redirect/6"))
    assert not result.ok and result.reason == "too many redirects (more than 5)"


async def test_redirect_loop_is_named(http_server: TestServer) -> None:
    result = await page(http_server.url("/loop/a"))
    assert not result.ok and result.reason is not None
    assert result.reason.startswith("redirect loop")
    assert len(http_server.requests) == 2


async def test_redirect_dropping_tracking_params_is_not_a_loop(http_server: TestServer) -> None:
    http_server.add("/story", b"<html><body>story</body></html>")
    url = http_server.url("/redirect-to?url=/story&utm_source=rss")
    result = await page(url)
    assert result.ok and result.body.endswith(b"story</body></html>")


async def test_redirect_to_a_non_web_scheme_is_refused(http_server: TestServer) -> None:
    result = await page(http_server.url("/redirect-to?url=file:///etc/passwd"))
    assert not result.ok and "not a web address" in (result.reason or "")
    assert result.body == b""


# Timeouts are wall time by nature. These tests ask only whether the client gave up long
# before the server would have answered (a server 100x slower than the timeout), so a
# busy machine, which slows the client a few times, never fails them.


async def test_slow_response_times_out(http_server: TestServer) -> None:
    settings = FetchSettings(timeout=0.2, connect_timeout=1.0)
    started = time.monotonic()
    result = await page(http_server.url("/slow?delay_ms=20000"), settings)
    assert time.monotonic() - started < 10  # not the server's 20 s
    assert not result.ok and result.reason == "timed out after 0.2s"


async def test_slow_drip_is_stopped_by_the_total_deadline(http_server: TestServer) -> None:
    # A byte every 50 ms never trips a 0.2 s read timeout; the deadline (3x) does.
    settings = FetchSettings(timeout=0.2, connect_timeout=1.0)
    started = time.monotonic()
    result = await page(http_server.url("/drip?ms=50&bytes=1000"), settings)
    elapsed = time.monotonic() - started
    assert not result.ok and "in total" in (result.reason or "")
    assert 0.5 < elapsed < 25  # the deadline (0.6 s), not the whole drip (50 s)


async def test_oversize_body_with_length_is_refused(http_server: TestServer) -> None:
    settings = replace(FAST, max_bytes=100_000)
    result = await page(http_server.url("/big?size=200000"), settings)
    assert not result.ok and result.reason == "larger than the 100,000-byte limit"
    assert result.body == b""


async def test_oversize_chunked_body_is_cut_while_streaming(http_server: TestServer) -> None:
    settings = replace(FAST, max_bytes=100_000)
    assert (await page(http_server.url("/big-unsized?size=100000"), settings)).ok
    result = await page(http_server.url("/big-unsized?size=100001"), settings)
    assert not result.ok and result.reason == "larger than the 100,000-byte limit"


async def test_endless_stream_stops_at_the_cap(http_server: TestServer) -> None:
    settings = replace(FAST, max_bytes=1_000_000)
    result = await page(http_server.url("/endless"), settings)
    # The cap stopped it, not the total deadline ("took longer than ...").
    assert not result.ok and "1,000,000-byte limit" in (result.reason or "")


async def test_a_connection_closed_without_an_answer_is_tried_once_more(
    http_server: TestServer,
) -> None:
    # What a kept-alive connection looks like when the server closed it while idle: the
    # request goes out and the connection ends with no answer. Browsers send it again.
    calls: list[str] = []

    def hang_up_first(h: Handler, rest: str, q: dict[str, str]) -> None:
        calls.append(rest)
        if len(calls) == 1:
            h.close_connection = True
            return
        h.send(200, b"<html><body><p>second time lucky</p></body></html>")

    url = http_server.handle("/flaky", hang_up_first)
    result = await page(url)
    assert result.ok and b"second time lucky" in result.body, result.reason
    assert len(calls) == 2

    calls.clear()
    http_server.handle("/gone", lambda h, rest, q: setattr(h, "close_connection", True))
    result = await page(http_server.url("/gone"))  # every time: one retry, then the reason
    assert not result.ok and "broke the connection" in (result.reason or "")
    assert http_server.paths().count("/gone") == 2


async def test_gzip_bomb_is_stopped_with_little_memory(http_server: TestServer) -> None:
    # A long read timeout: this test is about the size cap, which must trip first even
    # on a machine too busy to serve the bomb quickly.
    settings = replace(FAST, max_bytes=2_000_000, timeout=30.0)
    url = http_server.url("/bomb?mib=512")
    tracemalloc.start()
    try:
        result = await page(url, settings)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not result.ok and "2,000,000-byte limit" in (result.reason or "")
    # 512 MiB decompressed; we hold at most about the cap plus a chunk.
    assert peak < 20_000_000


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (404, "HTTP 404 Not Found"),
        (500, "HTTP 500 Internal Server Error"),
        (503, "HTTP 503 Service Unavailable"),
    ],
)
async def test_http_errors_have_status_reasons(
    http_server: TestServer, code: int, reason: str
) -> None:
    result = await feed(http_server.url(f"/status/{code}"))
    assert not result.ok and result.status == code and result.reason == reason


async def test_page_with_wrong_content_type_is_refused(http_server: TestServer) -> None:
    result = await page(http_server.url("/pdf"))
    assert not result.ok and result.reason == "not an HTML page (content type application/pdf)"


async def test_xhtml_page_is_accepted(http_server: TestServer) -> None:
    url = http_server.add("/x.xhtml", b"<html/>", headers={"Content-Type": "application/xhtml+xml"})
    assert (await page(url)).ok


async def test_page_without_content_type_is_sniffed(http_server: TestServer) -> None:
    # BaseHTTPRequestHandler only adds a type if we ask, so use a raw header set.
    html = http_server.add(
        "/untyped.html", b"<!DOCTYPE html><html></html>", headers={"Content-Type": ""}
    )
    data = http_server.add("/untyped.bin", b"\x00\x01binary", headers={"Content-Type": ""})
    assert (await page(html)).ok
    result = await page(data)
    assert not result.ok and "not an HTML page" in (result.reason or "")


async def test_malformed_feed_body_is_still_fetched(http_server: TestServer) -> None:
    # Fetching does not judge XML; parsing does (see test_feeds).
    result = await feed(http_server.url("/malformed.xml"))
    assert result.ok and result.body.startswith(b"<?xml")
    assert result.content_type == "application/rss+xml"


async def test_corrupt_gzip_is_reported(http_server: TestServer) -> None:
    url = http_server.add(
        "/corrupt", b"\x1f\x8b\x08\x00garbage-not-deflate", headers={"Content-Encoding": "gzip"}
    )
    result = await page(url)
    assert not result.ok and "corrupt" in (result.reason or "")


def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    return port


async def test_refused_connection() -> None:
    result = await page(f"http://127.0.0.1:{closed_port()}/x")
    assert not result.ok and result.reason == "connection refused by 127.0.0.1"
    assert result.status is None


async def test_dns_failure_is_named() -> None:
    settings = FetchSettings(timeout=1.0, connect_timeout=1.0)
    started = time.monotonic()
    result = await page("http://no-such-host.invalid/story", settings)
    assert time.monotonic() - started < 20  # bounded by the 3 s deadline, not the resolver's
    assert not result.ok
    # A resolver that cannot answer in time is also a plain, named failure.
    assert result.reason in (
        "DNS lookup failed for host no-such-host.invalid",
        "could not connect to no-such-host.invalid within 1s",
        "took longer than 3s in total (the server sends too slowly)",
    )


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<p>x</p>",
        "ftp://example.com/a",
        "file:///etc/passwd",
        "/etc/passwd",
    ],
)
async def test_non_web_pages_are_not_fetched(url: str) -> None:
    result = await page(url)
    assert not result.ok and (result.reason or "").startswith("not fetched")


async def test_per_host_limit_is_honoured(http_server: TestServer) -> None:
    settings = FetchSettings(concurrency=8, per_host=2, timeout=2.0)
    async with Fetcher(settings) as fetcher:
        urls = [http_server.url(f"/hold?ms=150&n={i}") for i in range(6)]
        results = await asyncio.gather(*(fetcher.fetch_page(u) for u in urls))
    assert all(r.ok for r in results)
    assert http_server.max_in_flight == 2


async def test_global_limit_is_honoured_across_hosts(http_server: TestServer) -> None:
    # 127.0.0.1 and localhost are two hosts to the fetcher, one server to us.
    settings = FetchSettings(concurrency=3, per_host=3, timeout=2.0)
    alias = http_server.url("/").replace("127.0.0.1", "localhost")
    urls = [http_server.url(f"/hold?ms=150&n={i}") for i in range(4)]
    urls += [f"{alias}hold?ms=150&n={i}" for i in range(4)]
    async with Fetcher(settings) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch_page(u) for u in urls))
    assert all(r.ok for r in results), [r.reason for r in results]
    assert http_server.max_in_flight == 3


async def test_local_feed_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(FEED_BODY)
    result = await feed(str(path))
    assert result.ok and result.body == FEED_BODY
    assert result.final_url == path.as_uri() and result.status is None
    assert (await feed(path.as_uri())).body == FEED_BODY


async def test_local_feed_problems_are_values(tmp_path: Path) -> None:
    missing = await feed(str(tmp_path / "nope.xml"))
    assert not missing.ok and missing.reason == f"file not found: {tmp_path / 'nope.xml'}"
    directory = await feed(str(tmp_path))
    assert not directory.ok and "not a regular file" in (directory.reason or "")
    big = tmp_path / "big.xml"
    big.write_bytes(b"x" * 101)
    result = await feed(str(big), replace(FAST, max_bytes=100))
    assert not result.ok and result.reason == "larger than the 100-byte limit"


async def test_local_pages_only_for_local_feeds(tmp_path: Path) -> None:
    article = tmp_path / "story.html"
    article.write_bytes(b"<html><body><p>local</p></body></html>")
    refused = await page(article.as_uri())
    assert not refused.ok and "local feed" in (refused.reason or "")
    allowed = await page(article.as_uri(), allow_local=True)
    assert allowed.ok and b"local" in allowed.body
    text = tmp_path / "notes.txt"
    text.write_bytes(b"plain")
    wrong = await page(str(text), allow_local=True)
    assert not wrong.ok and wrong.reason == "not an HTML page (content type text/plain)"


async def test_fetcher_outside_context_is_a_programming_error() -> None:
    with pytest.raises(RuntimeError):
        await Fetcher(FAST).fetch_url("http://127.0.0.1/")
