"""The fetcher's TLS trust, loaded on the first https URL, against a real TLS server."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest

from extract.config import FetchSettings
from extract.ingest.fetch import Fetcher
from tests.helpers.httpserver import TestServer

FAST = FetchSettings(timeout=5.0, connect_timeout=5.0)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1: (certificate file, key file)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


@pytest.fixture
def tls_server(certificate: tuple[str, str]) -> Iterator[TestServer]:
    server = TestServer(tls=certificate).start()
    server.add("/page", b"<html><body><p>Hello</p></body></html>")
    yield server
    server.close()


async def test_plain_http_loads_no_certificates(http_server: TestServer) -> None:
    http_server.add("/page", b"<html><body><p>Hi</p></body></html>")
    async with Fetcher(FAST) as fetcher:
        result = await fetcher.fetch_page(http_server.url("/page"))
        assert result.ok
        assert not fetcher.tls_loaded
        assert fetcher.tls_context.cert_store_stats()["x509_ca"] == 0


async def test_https_is_verified_against_the_usual_bundle(
    tls_server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    async with Fetcher(FAST) as fetcher:
        result = await fetcher.fetch_page(tls_server.url("/page"))
        assert fetcher.tls_loaded
        assert fetcher.tls_context.cert_store_stats()["x509_ca"] > 100  # certifi's bundle
    assert not result.ok  # a self-signed certificate is not trusted
    assert "certificate" in (result.reason or "").lower(), result.reason


async def test_https_trusts_ssl_cert_file_as_httpx_does(
    tls_server: TestServer, certificate: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", certificate[0])
    async with Fetcher(FAST) as fetcher:
        result = await fetcher.fetch_page(tls_server.url("/page"))
    assert result.ok, result.reason
    assert b"Hello" in result.body
