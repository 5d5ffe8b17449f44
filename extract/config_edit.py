"""Adding feeds to the user's ``config.toml`` in place: comments, order and layout kept.

The file is edited with tomlkit (a round-trip TOML library), the result is validated as a
config before it is written, and it is written whole or not at all. With no user config yet
(the bundled default in use), the user's XDG config file is created from the default.
"""

from __future__ import annotations

import difflib
import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import platformdirs
import tomlkit

from extract.config import APP_NAME, DEFAULT_CONFIG, Config, ConfigError, parse_config
from extract.ingest.opml import OpmlFeed, OpmlList, Refused


@dataclass(frozen=True, slots=True)
class Skipped:
    feed: OpmlFeed
    reason: str  # "already configured as ...", "twice in the file"


@dataclass(frozen=True, slots=True)
class FeedImport:
    """What importing a list would do to ``target``."""

    target: Path
    creates: bool  # the file does not exist yet: it is made from the bundled default
    added: tuple[OpmlFeed, ...]
    skipped: tuple[Skipped, ...]
    refused: tuple[Refused, ...]
    old_text: str
    new_text: str

    def diff(self) -> str:
        old = "" if self.creates else self.old_text
        return "".join(
            difflib.unified_diff(
                old.splitlines(keepends=True),
                self.new_text.splitlines(keepends=True),
                fromfile=str(self.target) if not self.creates else "/dev/null",
                tofile=str(self.target),
            )
        )


def user_config_path(config: Config) -> Path:
    """The file an import edits: the config in use, or the XDG one when that is the bundled
    default (which belongs to the program, not the user)."""
    if config.is_bundled:
        return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"
    return config.path


def _url_key(url: str) -> str:
    return url.strip().rstrip("/").casefold()


def plan_feed_import(listed: OpmlList, config: Config, target: Path) -> FeedImport:
    """Which feeds are new (by URL and by name), and the config text that adds them."""
    creates = not target.exists()
    source = DEFAULT_CONFIG if creates else target
    try:
        old_text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(source, "", f"cannot read the file: {exc}") from None
    urls = {_url_key(f.url): f.name for f in config.feeds} if not creates else {}
    names = {f.name.casefold(): f.name for f in config.feeds} if not creates else {}
    added: list[OpmlFeed] = []
    skipped: list[Skipped] = []
    for feed in listed.feeds:
        key, name = _url_key(feed.url), feed.name.casefold()
        if key in urls:
            skipped.append(Skipped(feed, f"its URL is already the feed {urls[key]!r}"))
        elif name in names:
            skipped.append(Skipped(feed, f"a feed is already named {names[name]!r}"))
        else:
            added.append(feed)
            urls[key], names[name] = feed.name, feed.name
    new_text = _with_feeds(old_text, added) if added else old_text
    try:  # never write a config that would not load
        parse_config(tomllib.loads(new_text), target)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(target, "", f"the edited file would not be valid TOML: {exc}") from None
    return FeedImport(
        target, creates, tuple(added), tuple(skipped), listed.refused, old_text, new_text
    )


def _with_feeds(text: str, feeds: list[OpmlFeed]) -> str:
    doc = tomlkit.parse(text)
    existing = doc.get("feeds")
    fresh = existing is None
    if fresh:  # the first feeds: at the end, after a blank line
        doc.add(tomlkit.nl())
        doc.append("feeds", tomlkit.aot())
    tables = doc["feeds"]
    for feed in feeds:
        table = tomlkit.table()
        table.add("name", feed.name)
        table.add("url", feed.url)
        if feed.tags:
            table.add("tags", list(feed.tags))
        if not fresh:  # among existing feeds: a blank line after each, as people write them
            table.add(tomlkit.nl())
        tables.append(table)
    return tomlkit.dumps(doc)


def apply_feed_import(plan: FeedImport) -> None:
    """Write the edited config: through a temporary file and a rename, whole or not at all."""
    target = plan.target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise ConfigError(target, "", f"cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(plan.new_text)
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ConfigError(target, "", f"cannot write: {exc.strerror or exc}") from None
