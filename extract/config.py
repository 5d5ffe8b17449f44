"""Load and validate ``config.toml`` once, into typed objects.

Lookup order: ``--config PATH``, ``$BRIEFING_CONFIG``, the XDG config dir
(``briefing/config.toml``), then the bundled default. Every error names the key
and the file, so the user can fix it without reading a traceback.
"""

from __future__ import annotations

import getpass
import math
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from extract.errors import ConfigError
from extract.urls import address_problem, is_local_url, local_path

APP_NAME = "briefing"
ENV_VAR = "BRIEFING_CONFIG"
STORE_URL_VAR = "BRIEFING_STORE_URL"
DEFAULT_CONFIG = Path(__file__).with_name("default_config.toml")
MAX_CONFIG_BYTES = 1_000_000  # a config (or an OPML list) is text a person wrote


@dataclass(frozen=True, slots=True)
class FetchSettings:
    concurrency: int = 8  # pages fetched at once, over all hosts
    per_host: int = 2  # pages fetched at once from one host
    timeout: float = 20.0  # seconds to read a response
    connect_timeout: float = 10.0
    max_bytes: int = 5_000_000  # a larger body is refused, with the reason recorded
    user_agent: str = "Briefing/0.1 (terminal briefing reader)"
    run_timeout: float = 1800.0  # seconds for a whole fetch; what is left waits for the next
    private_redirects: bool = False  # may a public feed's links redirect to private addresses


PER_FEED_FETCH_KEYS = {"timeout", "connect_timeout", "max_bytes", "user_agent"}


@dataclass(frozen=True, slots=True)
class FeedConfig:
    name: str
    url: str  # http(s) URL, or a local file path the user configured
    tags: tuple[str, ...] = ()
    enabled: bool = True
    fetch: FetchSettings = field(default_factory=FetchSettings)

    @property
    def is_local(self) -> bool:
        return is_local_url(self.url)

    @property
    def local_path(self) -> Path:
        return local_path(self.url)


@dataclass(frozen=True, slots=True)
class NlpSettings:
    model: str = "en_core_web_sm"
    processes: int = 1
    # Fewer workers than ``processes`` when other programs keep the CPUs busy
    # (``extract.nlp.analyse.workers_for``); False: exactly ``processes``.
    fit_to_free_cpus: bool = True
    batch_size: int = 16
    languages: tuple[str, ...] = ("en",)
    cpu_per_text: float = 20.0  # CPU seconds one text may take (a 100,000-char article: ~5 s)
    # One text's analysis is cut at these (and says so): a 1 MB paragraph took ~7 s of CPU,
    # 100,000 one-character words ~30 s and 1.6 GB. A 100,000-character article is ~20,000
    # words. Lower figures cross the same bounds with small inputs (the tests do).
    max_chars: int = 100_000
    max_words: int = 30_000


@dataclass(frozen=True, slots=True)
class WatchConfig:
    """A watchlist: hits are articles quoting one of ``people``, mentioning one of
    ``entities`` or holding one of ``words`` (each searched as `/` does), optionally only
    from some feeds or tags."""

    name: str
    people: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    notify_command: tuple[str, ...] = ()  # run with the hit as JSON on stdin, no shell
    notify_timeout: float = 10.0


EXPORT_FORMATS = ("markdown", "html")


@dataclass(frozen=True, slots=True)
class ExportSettings:
    dir: Path  # where the app's `e` writes briefings
    format: str = "markdown"  # or "html"


def default_export_dir() -> Path:
    return Path(platformdirs.user_documents_dir()) / "briefings"


@dataclass(frozen=True, slots=True)
class Config:
    path: Path  # where it was found ("bundled default" is DEFAULT_CONFIG)
    store_path: Path
    fetch: FetchSettings
    nlp: NlpSettings
    feeds: tuple[FeedConfig, ...]
    keys: dict[str, str]
    export: ExportSettings = field(default_factory=lambda: ExportSettings(default_export_dir()))
    watches: tuple[WatchConfig, ...] = ()
    store_url: str | None = None  # [store] url or BRIEFING_STORE_URL: PostgreSQL, not the file
    user: str = field(default_factory=lambda: default_user())  # [user] name: whose read state

    @property
    def is_bundled(self) -> bool:
        return self.path == DEFAULT_CONFIG


def default_user() -> str:
    """The analyst, when ``[user] name`` does not say: the OS user."""
    try:
        return getpass.getuser() or "analyst"
    except (KeyError, OSError):  # no passwd entry (a container's uid)
        return "analyst"


def _store_url(store: dict[str, Any], path: Path) -> str | None:
    """``BRIEFING_STORE_URL`` (wins, like ``BRIEFING_CONFIG``) or ``[store] url``, checked."""
    env = os.environ.get(STORE_URL_VAR, "").strip()
    url = env or _get(store, "url", str, "store", path, "").strip()
    if not url:
        return None
    where = f"{STORE_URL_VAR} (environment)" if env else "url"
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in ("postgresql", "postgres"):
        raise ConfigError(
            path,
            "store",
            f"{where}: {_redact(url)!r} is not a PostgreSQL URL",
            "write postgresql://USER:PASSWORD@HOST:5432/DATABASE, or remove it to keep "
            "the SQLite file ([store] path)",
        )
    return url


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


def default_store_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME)) / "briefing.sqlite3"


def find_config(explicit: str | Path | None = None) -> Path:
    """The file to read, by the documented lookup order."""
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    user = Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"
    try:
        return user if user.is_file() else DEFAULT_CONFIG
    except OSError as exc:  # a folder on the way we may not enter: said, not a traceback
        raise ConfigError(user, "", f"cannot read the file: {exc.strerror or exc}") from None


def read_user_file(path: Path, max_bytes: int = MAX_CONFIG_BYTES) -> bytes:
    """A small file a person gave us (a config, an OPML list), read safely: a FIFO or a
    device (``/dev/zero``) would block or never end, so only regular files are read,
    and at most ``max_bytes``. Raises FileNotFoundError, or OSError with a reason."""
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        raise OSError(f"{path} is not a regular file")
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise OSError(f"{path} is larger than {max_bytes:,} bytes")
    return data


def load_config(explicit: str | Path | None = None) -> Config:
    path = find_config(explicit)
    try:
        raw = tomllib.loads(read_user_file(path).decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError(path, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, "", f"cannot read the file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", f"not valid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses per nesting level
        raise ConfigError(path, "", "not valid TOML: nested too deeply") from None
    return parse_config(raw, path)


def parse_config(raw: dict[str, Any], path: Path) -> Config:
    _known(raw, {"store", "user", "fetch", "nlp", "feeds", "keys", "export", "watch"}, "", path)
    store = _table(raw, "store", path)
    _known(store, {"path", "url"}, "store", path)
    store_path = _get(store, "path", str, "store", path, "")
    user = _table(raw, "user", path)
    _known(user, {"name"}, "user", path)
    user_name = _get(user, "name", str, "user", path, "").strip() or default_user()
    fetch = _fetch(_table(raw, "fetch", path), FetchSettings(), "fetch", path)
    feeds_raw = raw.get("feeds", [])
    if not isinstance(feeds_raw, list):
        raise ConfigError(path, "feeds", "must be an array of tables: [[feeds]]")
    feeds = tuple(_feed(f, i, fetch, path) for i, f in enumerate(feeds_raw))
    names = [f.name for f in feeds]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(path, "feeds", f"two feeds are named {name!r}; names must be unique")
    return Config(
        path=path,
        store_path=Path(store_path).expanduser() if store_path else default_store_path(),
        fetch=fetch,
        nlp=_nlp(_table(raw, "nlp", path), path),
        feeds=feeds,
        keys=_keys(_table(raw, "keys", path), path),
        export=_export(_table(raw, "export", path), path),
        watches=_watches(raw.get("watch", []), {f.name for f in feeds}, path),
        store_url=_store_url(store, path),
        user=user_name,
    )


_WATCH_LISTS = ("people", "entities", "words", "feeds", "tags", "notify_command")


def _watches(raw: Any, feed_names: set[str], path: Path) -> tuple[WatchConfig, ...]:
    if not isinstance(raw, list):
        raise ConfigError(path, "watch", "must be an array of tables: [[watch]]")
    watches = tuple(_watch(w, i, feed_names, path) for i, w in enumerate(raw))
    names = [w.name for w in watches]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(
                path, "watch", f"two watches are named {name!r}; names must be unique"
            )
    return watches


def _watch(raw: Any, index: int, feed_names: set[str], path: Path) -> WatchConfig:
    key = f"watch[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(path, key, "must be a table with a name and what to watch")
    _known(raw, {"name", "notify_timeout", *_WATCH_LISTS}, key, path)
    if "name" not in raw:
        raise ConfigError(path, f"{key}.name", "is required")
    name = _get(raw, "name", str, key, path, "").strip()
    if not name:
        raise ConfigError(path, f"{key}.name", "must not be empty")
    lists: dict[str, tuple[str, ...]] = {}
    for field_name in _WATCH_LISTS:
        values = _get(raw, field_name, list, key, path, [])
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise ConfigError(path, f"{key}.{field_name}", "must be a list of non-empty texts")
        lists[field_name] = tuple(v.strip() for v in values)
    if not (lists["people"] or lists["entities"] or lists["words"]):
        raise ConfigError(path, key, "watches nothing: give people, entities or words")
    unknown = [f for f in lists["feeds"] if f not in feed_names]
    if unknown:
        raise ConfigError(path, f"{key}.feeds", f"no feed is named {unknown[0]!r}")
    timeout = _positive(raw, "notify_timeout", (int, float), f"{key}.notify_timeout", path, 10.0)
    return WatchConfig(name=name, notify_timeout=float(timeout), **lists)


def _export(table: dict[str, Any], path: Path) -> ExportSettings:
    _known(table, {"dir", "format"}, "export", path)
    directory = _get(table, "dir", str, "export", path, "").strip()
    fmt = _get(table, "format", str, "export", path, "markdown")
    if fmt not in EXPORT_FORMATS:
        raise ConfigError(
            path, "export.format", f"must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}"
        )
    return ExportSettings(Path(directory).expanduser() if directory else default_export_dir(), fmt)


def _fetch(table: dict[str, Any], base: FetchSettings, key: str, path: Path) -> FetchSettings:
    _known(table, set(FetchSettings.__slots__), key, path)
    values: dict[str, Any] = {}
    for name in ("concurrency", "per_host", "max_bytes"):
        if name in table:
            values[name] = _positive(table, name, int, f"{key}.{name}", path)
    for name in ("timeout", "connect_timeout", "run_timeout"):
        if name in table:
            values[name] = float(_positive(table, name, (int, float), f"{key}.{name}", path))
            if not math.isfinite(values[name]):
                raise ConfigError(path, f"{key}.{name}", "must be a finite number of seconds")
    if "private_redirects" in table:
        values["private_redirects"] = _get(table, "private_redirects", bool, key, path, False)
    if "user_agent" in table:
        values["user_agent"] = _get(table, "user_agent", str, key, path, "")
        agent = values["user_agent"]
        if not agent.strip() or not agent.isprintable() or not agent.isascii():
            # An HTTP header is ASCII: "Brïefing" would fail every request.
            raise ConfigError(path, f"{key}.user_agent", "must be printable, non-empty ASCII text")
    return replace(base, **values)


def _feed(raw: Any, index: int, fetch: FetchSettings, path: Path) -> FeedConfig:
    key = f"feeds[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(path, key, "must be a table with name and url")
    _known(raw, {"name", "url", "tags", "enabled", "fetch"}, key, path)
    for required in ("name", "url"):
        if required not in raw:
            raise ConfigError(path, f"{key}.{required}", "is required")
    name = _get(raw, "name", str, key, path, "").strip()
    if not name:
        raise ConfigError(path, f"{key}.name", "must not be empty")
    url = _get(raw, "url", str, key, path, "").strip()
    _check_feed_url(url, f"{key}.url", path)
    tags = _get(raw, "tags", list, key, path, [])
    if not all(isinstance(t, str) and t and not any(c.isspace() for c in t) for t in tags):
        raise ConfigError(
            path, f"{key}.tags", 'must be a list of single words, e.g. ["world", "energy-policy"]'
        )
    override = raw.get("fetch", {})
    if not isinstance(override, dict):
        raise ConfigError(path, f"{key}.fetch", "must be a table")
    # Limits on connections are the fetcher's, shared by all feeds; a per-feed value
    # would be silently ignored, so it is refused.
    _known(override, PER_FEED_FETCH_KEYS, f"{key}.fetch", path)
    return FeedConfig(
        name=name,
        url=url,
        tags=tuple(tags),
        enabled=_get(raw, "enabled", bool, key, path, True),
        fetch=_fetch(override, fetch, f"{key}.fetch", path),
    )


def _check_feed_url(url: str, key: str, path: Path) -> None:
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # "http://[::1"
        raise ConfigError(path, key, f"{url!r} is not a valid URL: {exc}") from None
    if parts.scheme in ("http", "https"):
        if not parts.hostname:
            raise ConfigError(path, key, f"{url!r} is not a valid URL: it has no host")
        problem = address_problem(url)
        if problem:
            raise ConfigError(path, key, f"{url!r} is not a valid URL: {problem}")
        return
    if (parts.scheme in ("", "file") and url) or len(parts.scheme) == 1:
        # A local feed file the user configured (or C:\feeds\x.xml).
        try:
            local_path(url)
        except RuntimeError as exc:  # "~nosuchuser/x": no such home directory
            raise ConfigError(path, key, f"{url!r}: {exc}") from None
        return
    shown = url if url else "(empty)"
    raise ConfigError(path, key, f"{shown!r}: only http(s) URLs and local file paths are allowed")


def _nlp(table: dict[str, Any], path: Path) -> NlpSettings:
    _known(table, set(NlpSettings.__slots__), "nlp", path)
    base = NlpSettings()
    model = _get(table, "model", str, "nlp", path, base.model).strip()
    if not model or not (_PACKAGE_NAME.fullmatch(model) or "/" in model or "\\" in model):
        raise ConfigError(
            path,
            "nlp.model",
            "must name a spaCy pipeline: an installed package "
            "such as en_core_web_sm, or a directory",
        )
    languages = _get(table, "languages", list, "nlp", path, list(base.languages))
    if not languages or not all(isinstance(x, str) and x for x in languages):
        raise ConfigError(path, "nlp.languages", "must be a non-empty list of language codes")
    processes = _positive(table, "processes", int, "nlp.processes", path, base.processes)
    budget = float(
        _positive(table, "cpu_per_text", (int, float), "nlp.cpu_per_text", path, base.cpu_per_text)
    )
    if not math.isfinite(budget):
        raise ConfigError(path, "nlp.cpu_per_text", "must be a finite number of seconds")
    return NlpSettings(
        model=model,
        # More workers than CPUs only adds forks and memory (100,000 would never end).
        processes=min(processes, os.cpu_count() or 1),
        batch_size=_positive(table, "batch_size", int, "nlp.batch_size", path, base.batch_size),
        fit_to_free_cpus=_get(table, "fit_to_free_cpus", bool, "nlp", path, base.fit_to_free_cpus),
        languages=tuple(languages),
        cpu_per_text=budget,
        max_chars=_positive(table, "max_chars", int, "nlp.max_chars", path, base.max_chars),
        max_words=_positive(table, "max_words", int, "nlp.max_words", path, base.max_words),
    )


_PACKAGE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _keys(table: dict[str, Any], path: Path) -> dict[str, str]:
    for name, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(path, f"keys.{name}", 'must be a key name such as "ctrl+q"')
    return dict(table)


def _table(raw: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(path, key, "must be a table")
    return value


def _known(table: dict[str, Any], allowed: set[str], key: str, path: Path) -> None:
    for name in table:
        if name not in allowed:
            full = f"{key}.{name}" if key else name
            hint = ", ".join(sorted(allowed))
            raise ConfigError(path, full, f"unknown key (expected one of: {hint})")


_TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list",
}


def _get(table: dict[str, Any], name: str, kind: Any, key: str, path: Path, default: Any) -> Any:
    if name not in table:
        return default
    value = table[name]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # bool is an int in Python; a config that says `concurrency = true` is wrong.
    if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
        wanted = " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)
        full = f"{key}.{name}" if key else name
        raise ConfigError(path, full, f"must be {wanted}, not {type(value).__name__} {value!r}")
    return value


def _positive(
    table: dict[str, Any], name: str, kind: Any, key: str, path: Path, default: Any = None
) -> Any:
    value = _get(table, name, kind, key.rsplit(".", 1)[0], path, default)
    if value is not None and value <= 0:
        raise ConfigError(path, key, f"must be greater than 0, not {value!r}")
    return value
