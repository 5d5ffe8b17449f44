"""A real HTTP/1.1 server on 127.0.0.1 for tests: no mocks, real sockets.

Usage (through the ``http_server`` fixture in ``conftest.py``)::

    def test_something(http_server):
        http_server.add("/feed.xml", b"<rss>...</rss>",
                        headers={"Content-Type": "application/rss+xml"})
        url = http_server.url("/feed.xml")
        ...
        assert http_server.requests[-1].headers["user-agent"].startswith("Briefing")

Routes added with ``add`` win over handlers added with ``handle(prefix, function)``
(a test's own dynamic routes, for this server only), which win over the built-in
handlers below. Built-ins take their parameters from the query string:

=================================  ==================================================
``/status/<code>``                 that status, a short text body (404, 500, ...)
``/conditional``                   ETag ``"v1"`` + Last-Modified; 304 when the request
                                   sends a matching If-None-Match / If-Modified-Since
``/gzip?size=N``                   N bytes of text, gzip-encoded (Content-Encoding)
``/redirect/<n>``                  302 to ``/redirect/<n-1>`` ... ``/redirect/0`` is 200
``/redirect-to?url=U&code=301``    one redirect to U
``/loop/a``, ``/loop/b``           a redirect loop a -> b -> a
``/slow?delay_ms=D``               waits D ms before sending anything (read timeout)
``/drip?ms=N&bytes=B``             one byte every N ms, B bytes (slow-drip)
``/big?size=N``                    N bytes, with Content-Length
``/big-unsized?size=N``            N bytes, chunked (no Content-Length)
``/endless``                       a chunked stream that never ends
``/bomb?mib=N``                    gzip of N MiB of zeros (~1 KB per MiB on the wire)
``/hold?ms=N``                     waits N ms then 200; counts requests in flight
``/malformed.xml``                 broken XML with an XML content type
``/pdf``                           a small body served as application/pdf
=================================  ==================================================

``server.requests`` records every request as ``Recorded(path, headers)``
(path with query string, header names lower-cased). ``server.max_in_flight``
is the highest number of requests being handled at once (all routes).

Handler threads are daemons and every long-running handler checks a stop flag,
so a test that abandons an endless or slow response never hangs pytest.
"""

from __future__ import annotations

import gzip
import ssl
import struct
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

ETAG = '"v1"'
LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"
FEED_BODY = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>One</title><link>http://example.com/1</link><guid>1</guid></item>
</channel></rss>"""


class Recorded(NamedTuple):
    path: str  # with the query string
    headers: dict[str, str]  # names lower-cased


@dataclass
class Route:
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class TestServer:
    """A threaded HTTP/1.1 server; see the module docstring for the routes."""

    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, tls: tuple[str, str] | None = None) -> None:
        """``tls``: (certificate file, key file) to serve https instead of http."""
        self.routes: dict[str, Route] = {}
        self.handlers: list[tuple[str, HandlerFunction]] = []
        self.requests: list[Recorded] = []
        self.stop = threading.Event()
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self.scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(target=self._serve, name="test-http-server", daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this server."""
        path = path if path.startswith("/") else "/" + path
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    def add(
        self, path: str, body: bytes, status: int = 200, headers: dict[str, str] | None = None
    ) -> str:
        """Serve ``body`` at ``path`` (exact match, query ignored); returns its URL."""
        self.routes[path] = Route(body, status, dict(headers or {}))
        return self.url(path)

    def handle(self, prefix: str, function: HandlerFunction) -> str:
        """Answer ``prefix`` and the paths under it with ``function(handler, rest, query)``
        (``rest``: the path after ``prefix/``); returns the URL of ``prefix``."""
        self.handlers.insert(0, (prefix, function))
        return self.url(prefix)

    def paths(self) -> list[str]:
        """The paths requested so far, in order."""
        return [r.path for r in self.requests]

    def start(self) -> TestServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self.stop.set()  # ends slow, dripping and endless handlers
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=2)

    def _serve(self) -> None:
        # A short poll interval makes shutdown() return quickly.
        self._httpd.serve_forever(poll_interval=0.02)

    def _enter(self, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append(Recorded(path, headers))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # Clients that hang up mid-request (timeouts, byte caps) are what the
        # tests provoke; anything else still gets the stdlib's traceback.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _make_handler(server: TestServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        owner = server

    return Handler


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 5  # idle keep-alive connections go away on their own
    owner: TestServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # keep pytest output clean

    def do_GET(self) -> None:  # noqa: N802 (stdlib naming)
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.owner._enter(self.path, headers)
        try:
            self._dispatch()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True  # the client gave up: expected in tests
        finally:
            self.owner._leave()

    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        route = self.owner.routes.get(parts.path)
        if route is not None:
            self.send(route.status, route.body, route.headers)
            return
        for prefix, handler in (*self.owner.handlers, *_BUILTINS):
            if parts.path == prefix or parts.path.startswith(prefix + "/"):
                handler(self, parts.path[len(prefix) + 1 :], query)
                return
        self.send(404, b"no such route", {"Content-Type": "text/plain"})

    # --- helpers used by the built-ins -------------------------------------

    def send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        headers = dict(headers or {})
        self.send_response(status)
        if not any(k.lower() == "content-type" for k in headers) and status != 304:
            headers["Content-Type"] = "text/html; charset=utf-8"
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def start_chunked(self, headers: dict[str, str]) -> None:
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def end_chunked(self) -> None:
        self.wfile.write(b"0\r\n\r\n")

    def pause(self, seconds: float) -> bool:
        """Sleep, but wake early when the server stops; False if it stopped."""
        return not self.owner.stop.wait(seconds)


Handler = _Handler  # what a handler function gets: ``send``, ``pause``, ``headers``, ...
# handler(request handler, the path after the prefix, the query string's last values)
HandlerFunction = Callable[[_Handler, str, dict[str, str]], None]


# --- built-in handlers -------------------------------------------------------


def _status(h: _Handler, rest: str, q: dict[str, str]) -> None:
    code = int(rest or 500)
    h.send(code, f"status {code}".encode(), {"Content-Type": "text/plain"})


def _conditional(h: _Handler, rest: str, q: dict[str, str]) -> None:
    validators = {
        "ETag": ETAG,
        "Last-Modified": LAST_MODIFIED,
        "Content-Type": "application/rss+xml",
    }
    if (
        h.headers.get("If-None-Match") == ETAG
        or h.headers.get("If-Modified-Since") == LAST_MODIFIED
    ):
        h.send(304, b"", {"ETag": ETAG, "Last-Modified": LAST_MODIFIED})
    else:
        h.send(200, FEED_BODY, validators)


def _gzip(h: _Handler, rest: str, q: dict[str, str]) -> None:
    size = int(q.get("size", 10_000))
    text = (b"<html><body><p>gzip me</p></body></html>" * (size // 40 + 1))[:size]
    h.send(
        200,
        gzip.compress(text),
        {"Content-Encoding": "gzip", "Content-Type": "text/html; charset=utf-8"},
    )


def _redirect(h: _Handler, rest: str, q: dict[str, str]) -> None:
    n = int(rest or 0)
    if n <= 0:
        h.send(200, b"<html><body><p>arrived</p></body></html>")
    else:
        h.send(302, b"", {"Location": f"/redirect/{n - 1}"})


def _redirect_to(h: _Handler, rest: str, q: dict[str, str]) -> None:
    h.send(int(q.get("code", 302)), b"", {"Location": q["url"]})


def _loop(h: _Handler, rest: str, q: dict[str, str]) -> None:
    h.send(301, b"", {"Location": "/loop/b" if rest == "a" else "/loop/a"})


def _slow(h: _Handler, rest: str, q: dict[str, str]) -> None:
    if h.pause(int(q.get("delay_ms", 2000)) / 1000):
        h.send(200, b"<html><body><p>finally</p></body></html>")


def _drip(h: _Handler, rest: str, q: dict[str, str]) -> None:
    every, total = int(q.get("ms", 100)) / 1000, int(q.get("bytes", 1000))
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", str(total))
    h.end_headers()
    for _ in range(total):
        h.wfile.write(b"x")
        h.wfile.flush()
        if not h.pause(every):
            return


def _big(h: _Handler, rest: str, q: dict[str, str]) -> None:
    h.send(200, b"a" * int(q.get("size", 6_000_000)), {"Content-Type": "text/html"})


def _big_unsized(h: _Handler, rest: str, q: dict[str, str]) -> None:
    left = int(q.get("size", 6_000_000))
    h.start_chunked({"Content-Type": "text/html"})
    while left > 0 and not h.owner.stop.is_set():
        part = min(left, 65536)
        h.chunk(b"a" * part)
        left -= part
    h.end_chunked()


def _endless(h: _Handler, rest: str, q: dict[str, str]) -> None:
    h.start_chunked({"Content-Type": "text/html"})
    block = b"<p>more</p>" * 1000
    while not h.owner.stop.is_set():
        h.chunk(block)  # raises BrokenPipe once the client hangs up


def _bomb(h: _Handler, rest: str, q: dict[str, str]) -> None:
    body = gzip_bomb(int(q.get("mib", 256)))
    h.send(200, body, {"Content-Encoding": "gzip", "Content-Type": "text/html"})


def _hold(h: _Handler, rest: str, q: dict[str, str]) -> None:
    if h.pause(int(q.get("ms", 200)) / 1000):
        h.send(200, b"<html><body><p>held</p></body></html>")


def _malformed(h: _Handler, rest: str, q: dict[str, str]) -> None:
    h.send(
        200,
        b"<?xml version='1.0'?><rss><channel><title>Broken</ti",
        {"Content-Type": "application/rss+xml"},
    )


def _pdf(h: _Handler, rest: str, q: dict[str, str]) -> None:
    h.send(200, b"%PDF-1.4\n%...", {"Content-Type": "application/pdf"})


_BUILTINS: list[tuple[str, HandlerFunction]] = [
    ("/status", _status),
    ("/conditional", _conditional),
    ("/gzip", _gzip),
    ("/redirect-to", _redirect_to),
    ("/redirect", _redirect),
    ("/loop", _loop),
    ("/slow", _slow),
    ("/drip", _drip),
    ("/big-unsized", _big_unsized),
    ("/big", _big),
    ("/endless", _endless),
    ("/bomb", _bomb),
    ("/hold", _hold),
    ("/malformed.xml", _malformed),
    ("/pdf", _pdf),
]

_BOMBS: dict[int, bytes] = {}


def gzip_bomb(mib: int) -> bytes:
    """A valid gzip stream of ``mib`` MiB of zeros, about 1 KB per MiB.

    A full flush resets the compressor, so every 1 MiB block compresses to the
    same bytes: we compress one block and repeat it instead of compressing
    gigabytes. Cached, since the CRC over all the zeros takes a moment.
    """
    if mib not in _BOMBS:
        zeros = bytes(1 << 20)
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
        crc = 0
        for _ in range(mib):
            crc = zlib.crc32(zeros, crc)
        header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
        trailer = struct.pack("<II", crc, (mib << 20) & 0xFFFFFFFF)
        _BOMBS[mib] = header + block * mib + deflate.flush() + trailer
    return _BOMBS[mib]


def wait_until(predicate: Callable[[], bool], timeout: float = 2.0) -> bool:
    """Poll ``predicate`` until true or ``timeout`` seconds pass."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
