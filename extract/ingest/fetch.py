"""Fetching feeds and pages over HTTP (httpx), with every failure as a value.

One ``Fetcher`` holds one ``httpx.AsyncClient`` and the limits: a global and a
per-host concurrency cap, connect/read timeouts, a byte cap counted on the
*decompressed* body while it streams (so gzip bombs and endless streams stop
early), and a wall-clock budget per fetch (httpx's read timeout is reset by
every byte, so a server dripping one byte a second would otherwise never
time out). Redirects are followed here, at most five, so a loop can be named.
"""

from __future__ import annotations

import asyncio
import mimetypes
import socket
import ssl
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from urllib.parse import urldefrag, urlsplit

# httpx imports its command line (``httpx._main``: click, rich's syntax highlighting,
# pygments; ~40 ms) when imported, unless that import fails, which it allows for. A
# None in sys.modules makes it fail; nothing here runs httpx's command line.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

import httpx  # noqa: E402

from extract.config import FeedConfig, FetchSettings  # noqa: E402
from extract.ingest.tls import LazyTrust  # noqa: E402
from extract.urls import (  # noqa: E402
    address_problem,
    is_fetchable_link,
    is_private_address,
    local_path,
    resolve_link,
)

MAX_REDIRECTS = 5
DEADLINE_FACTOR = 3  # a whole fetch may take this many read timeouts
HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECT_CODES = (301, 302, 303, 307, 308)
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass(slots=True)
class FetchResult:
    """The outcome of one fetch. ``reason`` says what went wrong, for a human."""

    ok: bool
    url: str  # as asked for
    final_url: str | None = None  # after redirects (a file: URI for local files)
    status: int | None = None  # HTTP status; None for local files and network errors
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # a 304: the caller's copy is current
    reason: str | None = None

    @classmethod
    def failure(
        cls, url: str, reason: str, *, final_url: str | None = None, status: int | None = None
    ) -> FetchResult:
        return cls(ok=False, url=url, final_url=final_url, status=status, reason=reason)


@dataclass(slots=True)
class _Redirect:
    location: str
    status: int


class Fetcher:
    """Fetch feeds and pages; use as ``async with Fetcher(settings) as f: ...``.

    ``settings`` sets the concurrency limits for the fetcher's life; the
    per-request parts (timeouts, ``max_bytes``, user agent) can be overridden
    per call, as a feed's own ``[feeds.fetch]`` table does.
    """

    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = settings or FetchSettings()
        self._global = asyncio.Semaphore(self.settings.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._client: httpx.AsyncClient | None = None
        self._trust = LazyTrust()

    @property
    def tls_context(self) -> ssl.SSLContext:
        """The TLS context every https connection uses."""
        return self._trust.context

    @property
    def tls_loaded(self) -> bool:
        """Whether the trusted certificates are loaded (an https URL was asked for)."""
        return self._trust.loaded

    async def __aenter__(self) -> Fetcher:
        limits = httpx.Limits(
            max_connections=self.settings.concurrency,
            max_keepalive_connections=self.settings.concurrency,
        )
        self._client = httpx.AsyncClient(
            follow_redirects=False,  # followed by hand: loop detection, scheme checks
            limits=limits,
            timeout=_timeout(self.settings),
            verify=self._trust.context,  # certificates loaded on the first https URL
            # Only gzip: we decode it ourselves with a bounded output size.
            headers={"Accept-Encoding": "gzip", "User-Agent": self.settings.user_agent},
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def fetch_feed(
        self, feed: FeedConfig, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """Fetch a feed, conditionally: a 304 gives ``ok=True, not_modified=True``."""
        if feed.is_local:
            return await _read_local(feed.url, feed.local_path, feed.fetch.max_bytes, html=False)
        headers = {"Accept": FEED_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        result = await self.fetch_url(
            feed.url, feed.fetch, headers, private=private_allowed(feed.url, feed.fetch)
        )
        if result.not_modified:  # a 304 may omit the validators; ours still hold
            result.etag = result.etag or etag
            result.last_modified = result.last_modified or last_modified
        return result

    async def fetch_page(
        self,
        url: str,
        settings: FetchSettings | None = None,
        *,
        allow_local: bool = False,
        private: bool = True,
    ) -> FetchResult:
        """Fetch an article page; only HTML is accepted.

        ``allow_local`` is True only for entries of a local feed file the user
        configured: then ``file:`` links and paths are read from disk. ``private``
        False refuses redirects to private addresses (see ``private_allowed``).
        """
        if not is_fetchable_link(url, allow_local):
            return FetchResult.failure(url, _refusal(url))
        if not private and is_private_address(url):
            return FetchResult.failure(url, _private_refusal("a link to", url))
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            max_bytes = (settings or self.settings).max_bytes
            return await _read_local(url, local_path(url), max_bytes, html=True)
        result = await self.fetch_url(
            url, settings, {"Accept": PAGE_ACCEPT}, html=True, private=private
        )
        return _check_html(result) if result.ok else result

    async def fetch_url(
        self,
        url: str,
        settings: FetchSettings | None = None,
        headers: dict[str, str] | None = None,
        *,
        html: bool = False,
        private: bool = True,
    ) -> FetchResult:
        """GET ``url`` following redirects, within the limits; never raises for
        network or HTTP problems. ``html`` rejects non-HTML content types
        before the body is downloaded. ``private`` False: a redirect to a private
        or link-local address (an intranet, 169.254.169.254) is refused."""
        if self._client is None:
            raise RuntimeError("use Fetcher inside 'async with'")
        settings = settings or self.settings
        budget = settings.timeout * DEADLINE_FACTOR
        loop = asyncio.get_running_loop()
        visited: list[str] = []
        current = url
        while True:
            visited.append(urldefrag(current).url)
            bad_address = address_problem(current)
            if bad_address:
                return FetchResult.failure(url, bad_address, final_url=current)
            started = loop.time()
            outcome = await self._hop(url, current, settings, headers or {}, html, budget)
            budget -= loop.time() - started
            if isinstance(outcome, FetchResult):
                return outcome
            problem, current = _next_hop(current, outcome, visited)
            if not problem and not private and is_private_address(current):
                problem = _private_refusal("redirected to", current)
            if problem:
                return FetchResult.failure(url, problem, final_url=current, status=outcome.status)

    async def _hop(
        self,
        url: str,
        current: str,
        settings: FetchSettings,
        headers: dict[str, str],
        html: bool,
        budget: float,
    ) -> FetchResult | _Redirect:
        host = (urlsplit(current).hostname or "").lower()
        self._trust.ready_for(current)
        # Host first: a task queued for a busy host must not hold a global slot.
        async with self._host_limit(host), self._global:
            try:
                async with asyncio.timeout(max(budget, 0.001)):
                    return await self._request(url, current, settings, headers, html)
            except TimeoutError:
                total = settings.timeout * DEADLINE_FACTOR
                return FetchResult.failure(
                    url,
                    f"took longer than {total:g}s in total (the server sends too slowly)",
                    final_url=current,
                )

    def _host_limit(self, host: str) -> asyncio.Semaphore:
        if host not in self._hosts:
            self._hosts[host] = asyncio.Semaphore(self.settings.per_host)
        return self._hosts[host]

    async def _request(
        self, url: str, current: str, settings: FetchSettings, headers: dict[str, str], html: bool
    ) -> FetchResult | _Redirect:
        assert self._client is not None
        sent = {**headers, "User-Agent": settings.user_agent}
        try:
            try:
                return await self._get(url, current, settings, sent, html)
            except httpx.RemoteProtocolError as exc:
                if not _closed_before_answering(exc):
                    raise
                # A kept-alive connection the server had closed while idle: a GET that got
                # no answer at all is safe to send again, once, as browsers do.
                return await self._get(url, current, settings, sent, html)
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
            return FetchResult.failure(url, _describe(exc, current, settings), final_url=current)
        except Exception as exc:  # noqa: BLE001  e.g. an ExceptionGroup from the socket layer
            return FetchResult.failure(url, _describe(exc, current, settings), final_url=current)

    async def _get(
        self, url: str, current: str, settings: FetchSettings, sent: dict[str, str], html: bool
    ) -> FetchResult | _Redirect:
        assert self._client is not None
        async with self._client.stream(
            "GET", current, headers=sent, timeout=_timeout(settings)
        ) as response:
            return await _read_response(url, response, settings.max_bytes, html)


def _closed_before_answering(exc: httpx.RemoteProtocolError) -> bool:
    return "without sending a response" in str(exc)


def private_allowed(origin: str, settings: FetchSettings) -> bool:
    """May a fetch that started from ``origin`` be redirected to a private address?
    Yes when the origin is itself private (an intranet feed) or the config says so:
    a public feed must not steer a shared fetcher into the network it runs in."""
    return settings.private_redirects or is_private_address(origin)


def _private_refusal(what: str, url: str) -> str:
    return (
        f"{what} a private address ({url[:80]}) from a public feed: refused "
        "(set [fetch] private_redirects = true to allow it)"
    )


def _timeout(settings: FetchSettings) -> httpx.Timeout:
    return httpx.Timeout(
        settings.timeout,
        connect=settings.connect_timeout,
        pool=settings.connect_timeout + settings.timeout,
    )


def _next_hop(current: str, redirect: _Redirect, visited: list[str]) -> tuple[str | None, str]:
    """(problem or None, the next URL) for a redirect from ``current``."""
    target = resolve_link(redirect.location, current)
    if not is_fetchable_link(target, feed_is_local=False):
        return f"redirected to {target!r}, which is not a web address", target
    # Exact URLs, not canonical ones: "/a?utm_source=x" -> "/a" is no loop.
    if urldefrag(target).url in visited:
        return f"redirect loop ({current} -> {target})", target
    if len(visited) > MAX_REDIRECTS:
        return f"too many redirects (more than {MAX_REDIRECTS})", target
    return None, target


async def _read_response(
    url: str, response: httpx.Response, max_bytes: int, html: bool
) -> FetchResult | _Redirect:
    status = response.status_code
    final = str(response.url)
    if status in REDIRECT_CODES:
        location = response.headers.get("Location", "").strip()
        if not location:
            return FetchResult.failure(
                url, f"HTTP {status} redirect without a Location", final_url=final, status=status
            )
        return _Redirect(location, status)
    meta = {
        "url": url,
        "final_url": final,
        "status": status,
        "content_type": response.headers.get("Content-Type"),
        "etag": response.headers.get("ETag"),
        "last_modified": response.headers.get("Last-Modified"),
    }
    if status == 304:
        return FetchResult(ok=True, not_modified=True, **meta)
    if not 200 <= status < 300:
        phrase = response.reason_phrase or httpx.codes.get_reason_phrase(status)
        return FetchResult(ok=False, reason=f"HTTP {status} {phrase}".strip(), **meta)
    if html and meta["content_type"] and not _is_html_type(meta["content_type"]):
        return FetchResult(ok=False, reason=_not_html(meta["content_type"]), **meta)
    body, problem = await _read_capped(response, max_bytes)
    return FetchResult(
        ok=problem is None, body=body if problem is None else b"", reason=problem, **meta
    )


async def _read_capped(response: httpx.Response, max_bytes: int) -> tuple[bytes, str | None]:
    """The decoded body, or a problem once it passes ``max_bytes``."""
    too_big = f"larger than the {max_bytes:,}-byte limit"
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    length = response.headers.get("Content-Length", "")
    if encoding == "identity" and length.isdigit() and int(length) > max_bytes:
        return b"", too_big  # no need to download it to know
    try:
        decoder = _Decoder(encoding)
    except ValueError as exc:
        return b"", str(exc)
    parts: list[bytes] = []
    total = 0
    try:
        async for raw in response.aiter_raw():
            # Never decode more than one byte past the cap: that bounds memory.
            chunk = decoder.decode(raw, max_bytes - total + 1)
            total += len(chunk)
            if total > max_bytes:
                return b"", too_big
            parts.append(chunk)
        parts.append(decoder.flush())
    except zlib.error as exc:
        return b"", f"the compressed ({encoding}) response is corrupt: {exc}"
    body = b"".join(parts)
    return (b"", too_big) if len(body) > max_bytes else (body, None)


class _Decoder:
    """Content-Encoding decoding with a bound on each call's output."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        if encoding in ("gzip", "x-gzip"):
            self._z: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj()
        elif encoding in ("identity", ""):
            self._z = None
        else:
            raise ValueError(f"unsupported content encoding {encoding!r}")
        self._first = True

    def decode(self, data: bytes, limit: int) -> bytes:
        if self._z is None:
            return data[:limit]
        try:
            out = self._z.decompress(data, limit)
        except zlib.error:
            if not (self.encoding == "deflate" and self._first):
                raise
            # Some servers send raw deflate without the zlib header.
            self._z = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._z.decompress(data, limit)
        self._first = False
        return out

    def flush(self) -> bytes:
        return self._z.flush() if self._z is not None else b""


def _describe(exc: BaseException, url: str, settings: FetchSettings) -> str:
    """A human-readable reason for a network exception."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:  # anyio's task groups
        exc = exc.exceptions[0]
    try:
        host = urlsplit(url).hostname or url
    except ValueError:
        host = url[:80]
    if isinstance(exc, httpx.ConnectTimeout):
        return f"could not connect to {host} within {settings.connect_timeout:g}s"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {settings.timeout:g}s"
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError)):
        return f"not a valid web address: {url!r} ({exc})"
    for cause in _chain(exc):
        if isinstance(cause, socket.gaierror):
            return f"DNS lookup failed for host {host}"
        if isinstance(cause, ConnectionRefusedError):
            return f"connection refused by {host}"
        if isinstance(cause, ssl.SSLError):
            return f"TLS/SSL error with {host}: {cause}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server at {host} broke the connection ({exc})"
    return f"network error with {host}: {exc or type(exc).__name__}"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _is_html_type(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() in HTML_TYPES


def _not_html(content_type: str | None) -> str:
    shown = content_type.split(";")[0].strip() if content_type else "unknown"
    return f"not an HTML page (content type {shown})"


def _check_html(result: FetchResult) -> FetchResult:
    """Pages served without a content type are accepted if they look like HTML."""
    if result.content_type or result.not_modified:
        return result
    head = result.body[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return result
    return FetchResult.failure(
        result.url, _not_html(None), final_url=result.final_url, status=result.status
    )


def _refusal(url: str) -> str:
    scheme = urlsplit(url).scheme.lower() if url else ""
    if scheme in ("", "file") or len(scheme) == 1:
        return "not fetched: local files are only read for a local feed file"
    return f"not fetched: only http(s) links are followed, not {scheme or url!r}"


async def _read_local(url: str, path: Path, max_bytes: int, html: bool) -> FetchResult:
    """A local file as a FetchResult; the byte cap applies here too."""
    data, problem = await asyncio.to_thread(_read_file, path, max_bytes)
    final = path.absolute().as_uri()
    ctype = mimetypes.guess_type(path.name)[0]
    if problem is None and html and not (ctype and _is_html_type(ctype)):
        problem = _not_html(ctype)
    if problem is not None:
        return FetchResult.failure(url, problem, final_url=final)
    return FetchResult(ok=True, url=url, final_url=final, body=data, content_type=ctype)


def _read_file(path: Path, max_bytes: int) -> tuple[bytes, str | None]:
    try:
        if not path.exists():
            return b"", f"file not found: {path}"
        if not path.is_file():  # a directory, a FIFO that would block, a device
            return b"", f"{path} is not a regular file"
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except PermissionError:
        return b"", f"permission denied reading {path}"
    except OSError as exc:
        return b"", f"cannot read {path}: {exc.strerror or exc}"
    if len(data) > max_bytes:
        return b"", f"larger than the {max_bytes:,}-byte limit"
    return data, None
