"""URL rules: one canonical form per article, and which links we may fetch.

The canonical form is used to recognise the same article reached through
different links (tracking parameters, fragments, default ports), so it must
be stable and must never raise, whatever a feed puts in a link.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from urllib.parse import unquote, unquote_plus, urljoin, urlsplit, urlunsplit

# Query parameters that identify a campaign or a click, never the page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "ref_url",
        "cmpid",
        "ocid",
        "icid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "smid",
        "sr_share",
        "spm",
        "s_cid",
        "cid_source",
        "at_medium",
        "at_campaign",
        "share",
        "ito",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
DEFAULT_PORTS = {"http": 80, "https": 443}
WEB_SCHEMES = ("http", "https")
# Browsers drop these from links; feeds sometimes wrap long links with them.
_LINK_JUNK = re.compile(r"[\t\r\n]")
# Edges that urlsplit or str.strip would remove on a second pass (C0/C1 controls,
# Unicode spaces): strip them all at once so canonical_url is idempotent.
_EDGE_JUNK = re.compile(r"^[\s\x00-\x20\x7f-\x9f]+|[\s\x00-\x20\x7f-\x9f]+$")


def is_local_url(url: str) -> bool:
    """A path or file: URL rather than a web address (C:\\ counts as a path)."""
    scheme = urlsplit(url).scheme
    return scheme in ("", "file") or len(scheme) == 1


def local_path(url: str) -> Path:
    """The file a local feed or page URL names: file: URLs unquoted, ~ expanded.

    Raises RuntimeError for a home directory that does not exist ("~nosuchuser/x");
    the config check refuses such a feed, so a fetch never meets one."""
    parts = urlsplit(url)
    return Path(unquote(parts.path) if parts.scheme == "file" else url).expanduser()


def canonical_url(url: str) -> str:
    """The form of ``url`` used to tell whether two links name the same page.

    Lower-cases scheme and host, drops the fragment, a default port, user
    info and tracking parameters, sorts the remaining query parameters and
    keeps the path's case. Text that is not a URL comes back stripped.
    """
    text = _EDGE_JUNK.sub("", _LINK_JUNK.sub("", url))
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:  # e.g. "http://host:notaport/"
        return text
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES or not parts.hostname:
        # Not a web URL: only the fragment goes. Dropping it can bare an edge
        # that must go too ("0 #"), so trim until nothing changes.
        plain = _EDGE_JUNK.sub("", urlunsplit((scheme, parts.netloc, parts.path, parts.query, "")))
        return plain if len(plain) >= len(text) else canonical_url(plain)
    host = parts.hostname.lower()  # also drops user:password@
    if ":" in host:  # an IPv6 literal needs its brackets back
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path or "/", _clean_query(parts.query), ""))


def _clean_query(query: str) -> str:
    # Work on the raw "k=v" pairs so the remaining ones keep their exact encoding.
    kept = [pair for pair in query.split("&") if pair and not _is_tracking(pair)]
    return "&".join(sorted(kept))


def _is_tracking(pair: str) -> bool:
    name = unquote_plus(pair.split("=", 1)[0]).lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def is_fetchable_link(link: str, feed_is_local: bool) -> bool:
    """True when an entry's link may be fetched.

    Web pages (http/https with a host) always may. Local files (``file://``
    or a plain path) only when the feed itself is a local file the user
    configured: a remote feed must never make us read the user's disk.
    Anything else (``javascript:``, ``data:``, ``ftp:``, ``mailto:``) never.
    """
    text = _LINK_JUNK.sub("", link).strip()
    if not text:
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme in WEB_SCHEMES:
        return bool(parts.hostname)
    if scheme in ("", "file") or (len(scheme) == 1 and scheme.isalpha()):  # C:\...
        return feed_is_local
    return False


def address_problem(url: str) -> str | None:
    """Why a web address cannot be requested at all (a bad port, a broken IPv6
    literal), or None. Checked before every request: the socket layer raises
    OverflowError for a port above 65535, outside the network errors we expect."""
    try:
        parts = urlsplit(_LINK_JUNK.sub("", url).strip())
    except ValueError as exc:  # "http://[::1" -> Invalid IPv6 URL
        return f"invalid address ({exc})"
    try:
        parts.port  # noqa: B018  - parsing the port is the check
    except ValueError:
        _, _, port = parts.netloc.rpartition(":")
        return f"invalid port {port[:20]!r}: a port is a number from 0 to 65535"
    return None


def is_private_address(url: str) -> bool:
    """Whether ``url`` names a host on a private, loopback, link-local or otherwise
    non-public address (10.x, 192.168.x, 127.x, 169.254.169.254, fc00::/7, localhost).

    Only what the URL itself says: an IP literal, or a localhost name. A public name
    that resolves to a private address is not seen here."""
    try:
        host = (urlsplit(_LINK_JUNK.sub("", url).strip()).hostname or "").rstrip(".")
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not address.is_global


def resolve_link(link: str, base: str) -> str:
    """``link`` made absolute against ``base`` (the feed's URL or path).

    Returns "" for an empty link, and ``link`` unchanged when it cannot be
    joined (a malformed base), so callers can still reject it by scheme.
    """
    text = _LINK_JUNK.sub("", link).strip()
    if not text:
        return ""
    try:
        return urljoin(base.strip(), text)
    except ValueError:
        return text
