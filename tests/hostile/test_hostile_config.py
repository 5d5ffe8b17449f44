"""Hostile configs, systematically: every key of the documented default with a value of
every wrong type, unknown keys at every level, files that are not TOML or not text,
and feed URLs with schemes we must refuse. Each is one clear line naming the key,
exit code 2, never a traceback (``tests/unit/test_config.py`` covers the basics).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from extract.config import DEFAULT_CONFIG, ConfigError, load_config
from tests.helpers.hardening import briefing, cli_problems

DEFAULTS: dict[str, Any] = tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))
FEED = {"name": "World", "url": "https://example.com/rss", "tags": ["world"], "enabled": True}
FEED_FETCH = dict(DEFAULTS["fetch"])

# A value of each TOML type; for each key, every one of the wrong type is tried.
SAMPLES: dict[str, Any] = {
    "text": "'x'",
    "int": "3",
    "float": "1.5",
    "bool": "true",
    "list": "['a']",
    "table": "{ a = 1 }",
}


def toml_type(value: Any) -> str:
    for name, kind in (
        ("bool", bool),
        ("int", int),
        ("float", float),
        ("text", str),
        ("list", list),
        ("table", dict),
    ):
        if isinstance(value, kind):
            return name
    raise AssertionError(value)


def wrong_types(value: Any) -> list[str]:
    ok = {toml_type(value)}
    if isinstance(value, float):
        ok.add("int")  # timeout = 5 is fine
    return [kind for kind in SAMPLES if kind not in ok]


def cases() -> list[tuple[str, str, str]]:
    """(the key as ConfigError names it, the TOML text, the wrong type)."""
    out = []
    for table in ("store", "fetch", "nlp"):
        for key, value in DEFAULTS[table].items():
            for kind in wrong_types(value):
                out.append((f"{table}.{key}", f"[{table}]\n{key} = {SAMPLES[kind]}\n", kind))
    for key, value in FEED.items():
        for kind in wrong_types(value):
            others = "".join(f"{k} = {_toml(v)}\n" for k, v in FEED.items() if k != key)
            out.append((f"feeds[0].{key}", f"[[feeds]]\n{others}{key} = {SAMPLES[kind]}\n", kind))
    for key, value in FEED_FETCH.items():
        for kind in wrong_types(value):
            body = (
                "[[feeds]]\n"
                + "".join(f"{k} = {_toml(v)}\n" for k, v in FEED.items())
                + f"[feeds.fetch]\n{key} = {SAMPLES[kind]}\n"
            )
            out.append((f"feeds[0].fetch.{key}", body, kind))
    for kind in ("int", "bool", "list", "table"):
        out.append(("keys.quit", f"[keys]\nquit = {SAMPLES[kind]}\n", kind))
    for table in ("store", "fetch", "nlp", "keys"):
        out.append((table, f"{table} = 3\n", "int"))
    out.append(("feeds", "feeds = 'x'\n", "text"))
    out.append(("feeds[0]", "feeds = [1]\n", "int"))
    out.append(
        (
            "feeds[0].fetch",
            "[[feeds]]\nname = 'a'\nurl = 'https://a.example'\nfetch = 'fast'\n",
            "text",
        )
    )
    return out


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


CASES = cases()


def test_every_default_key_is_covered() -> None:
    keys = {key for key, _, _ in CASES}
    for table in ("store", "fetch", "nlp"):
        assert {f"{table}.{k}" for k in DEFAULTS[table]} <= keys
    assert {f"feeds[0].fetch.{k}" for k in FEED_FETCH} <= keys
    assert len(CASES) > 60


@pytest.mark.parametrize(("key", "body", "kind"), CASES, ids=[f"{k}={t}" for k, _, t in CASES])
def test_wrong_type_names_the_key_and_the_file(
    tmp_path: Path, key: str, body: str, kind: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.key == key, str(caught.value)
    message = str(caught.value)
    assert str(path) in message and f"[{key}]" in message
    assert "\n" not in message and len(message) < 400


@pytest.mark.parametrize(
    "where",
    [
        "",
        "[store]\n",
        "[fetch]\n",
        "[nlp]\n",
        "[[feeds]]\nname = 'a'\nurl = 'https://a.example'\n",
        "[[feeds]]\nname = 'a'\nurl = 'https://a.example'\n[feeds.fetch]\n",
    ],
)
def test_unknown_key_at_every_level(tmp_path: Path, where: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(where + "colour = 'red'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key") as caught:
        load_config(path)
    assert caught.value.key.endswith("colour")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/xml,<rss/>",
        "ftp://a.example/rss",
        "gopher://a.example",
        "mailto:x@a.example",
        "about:blank",
        "view-source:https://a.example/rss",
        "https://",
        "http:///rss",
        "",
        "   ",
        "jar:file:///x.zip!/rss",
    ],
)
def test_refused_feed_urls(tmp_path: Path, url: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[[feeds]]\nname = 'a'\nurl = '{url}'\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.key == "feeds[0].url"


@pytest.mark.parametrize(
    "url",
    [
        "file:///tmp/feed.xml",
        "/tmp/feed.xml",
        "~/feeds/x.xml",
        "feeds/x.xml",
        "https://a.example/rss?x=1#y",
    ],
)
def test_accepted_feed_urls(tmp_path: Path, url: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[[feeds]]\nname = 'a'\nurl = '{url}'\n", encoding="utf-8")
    (feed,) = load_config(path).feeds
    assert feed.url == url and feed.is_local == (not url.startswith("https"))


BAD_FILES: dict[str, bytes] = {
    "not_toml": b"[fetch\nconcurrency = ",
    "not_utf8": "[store]\npath = 'caf\xe9'\n".encode("latin-1"),
    "binary": bytes(range(256)) * 4,
    "utf16": "[nlp]\nprocesses = 1\n".encode("utf-16"),
    "json": b'{"fetch": {"timeout": 3}}',
    "nul": b"[nlp]\nmodel = 'x\x00'\n",
    "duplicate_key": b"[fetch]\ntimeout = 1\ntimeout = 2\n",
    "escapes_in_values": b'[[feeds]]\nname = "\\u001b[31mred\\u001b]52;c;eA==\\u0007"\n'
    b'url = "javascript:\\u001b[2J\\u202e"\n',
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_through_the_cli_is_one_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.toml"
    path.write_bytes(BAD_FILES[name])
    out = briefing("config", "--check", "--config", str(path), timeout=60)
    assert cli_problems(f"config {name}", out) == []
    lines = out.stderr.decode().strip().splitlines()
    assert out.returncode == ConfigError.exit_code, (out.stdout, out.stderr)
    assert (
        len(lines) == 1 and lines[0].startswith("briefing: config error:") and str(path) in lines[0]
    ), lines
    assert b"Traceback" not in out.stderr


@pytest.mark.slow
def test_missing_file_and_folder_through_the_cli(tmp_path: Path) -> None:
    for path, words in ((tmp_path / "nope.toml", "file not found"), (tmp_path, "cannot read")):
        out = briefing("fetch", "--config", str(path), "--progress", "none", timeout=60)
        assert cli_problems("config missing", out) == []
        assert out.returncode == ConfigError.exit_code and words in out.stderr.decode()
        assert len(out.stderr.decode().strip().splitlines()) == 1


def test_deeply_nested_toml_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * 5000 + "1" + "]" * 5000 + "\n")
    out = briefing("config", "--check", "--config", str(path), timeout=60)
    check_cli_quiet = b"Traceback" not in out.stderr
    assert out.returncode == ConfigError.exit_code and check_cli_quiet, out.stderr[-300:]
