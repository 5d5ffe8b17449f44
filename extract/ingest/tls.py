"""The fetcher's TLS context, its trusted certificates loaded on the first https URL.

httpx builds its TLS context when a client is made, reading the whole CA bundle
(~0.1 s of CPU) even when every feed is plain http, as on an idle re-poll of local
or http feeds. This context starts empty and loads the same certificates httpx would
(``SSL_CERT_FILE``, else ``SSL_CERT_DIR``, else certifi's bundle) just before the
first https connection. Verification is on from the start (``PROTOCOL_TLS_CLIENT``:
hostname checked, certificate required), so a connection made before the load
would fail, never go unverified.
"""

from __future__ import annotations

import os
import ssl
import sys
import threading


class LazyTrust:
    """One TLS context for an httpx client (``verify=trust.context``)."""

    def __init__(self) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        keylog = os.environ.get("SSLKEYLOGFILE")  # as ssl.create_default_context does
        if keylog and not sys.flags.ignore_environment:
            self.context.keylog_filename = keylog
        self._loaded = False
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._loaded

    def ready_for(self, url: str) -> None:
        """Load the certificates if ``url`` is https and they are not loaded yet."""
        if not self._loaded and url[:6].lower() == "https:":
            with self._lock:
                if not self._loaded:
                    load_trusted(self.context)
                    self._loaded = True


def load_trusted(context: ssl.SSLContext) -> None:
    """The certificates ``httpx.create_ssl_context()`` trusts, into ``context``."""
    if os.environ.get("SSL_CERT_FILE"):
        context.load_verify_locations(cafile=os.environ["SSL_CERT_FILE"])
    elif os.environ.get("SSL_CERT_DIR"):
        context.load_verify_locations(capath=os.environ["SSL_CERT_DIR"])
    else:
        import certifi

        context.load_verify_locations(cafile=certifi.where())
