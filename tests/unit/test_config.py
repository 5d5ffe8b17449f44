"""Config: lookup order, validation errors that name the key and the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.config import DEFAULT_CONFIG, ConfigError, load_config

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_default_is_the_documented_repo_file() -> None:
    assert DEFAULT_CONFIG.read_bytes() == (REPO / "config.toml").read_bytes()
    config = load_config(DEFAULT_CONFIG)
    assert config.feeds == () and config.nlp.model == "en_core_web_sm"
    assert config.store_path.name == "briefing.sqlite3"


def test_full_config_is_typed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[store]
path = "~/x/store.sqlite3"
[fetch]
concurrency = 4
timeout = 5
[nlp]
processes = 2
[keys]
quote_lookup = "ctrl+l"
[[feeds]]
name = "World"
url = "https://example.com/rss"
tags = ["world", "daily"]
[feeds.fetch]
max_bytes = 1000
[[feeds]]
name = "Local"
url = "/tmp/feed.xml"
enabled = false
""",
    )
    config = load_config(path)
    world, local = config.feeds
    assert config.store_path == Path("~/x/store.sqlite3").expanduser()
    assert config.fetch.concurrency == 4 and config.fetch.timeout == 5.0
    assert world.fetch.max_bytes == 1000 and world.fetch.concurrency == 4  # override + inherit
    assert world.tags == ("world", "daily") and not world.is_local
    assert local.is_local and not local.enabled and local.local_path == Path("/tmp/feed.xml")
    assert config.nlp.processes == 2 and config.keys == {"quote_lookup": "ctrl+l"}


def test_file_urls_are_local_paths_unquoted(tmp_path: Path) -> None:
    path = write(tmp_path, '[[feeds]]\nname = "x"\nurl = "file:///tmp/my%20feeds/x.xml"\n')
    (feed,) = load_config(path).feeds
    assert feed.is_local and feed.local_path == Path("/tmp/my feeds/x.xml")


@pytest.mark.parametrize(
    ("body", "key", "words"),
    [
        ("colour = 1", "colour", "unknown key"),
        ("[fetch]\nconcurency = 3", "fetch.concurency", "unknown key"),
        ("[fetch]\nconcurrency = 'many'", "fetch.concurrency", "whole number"),
        ("[fetch]\nconcurrency = true", "fetch.concurrency", "whole number"),
        ("[fetch]\ntimeout = -1", "fetch.timeout", "greater than 0"),
        ("[nlp]\nprocesses = 0", "nlp.processes", "greater than 0"),
        ("[nlp]\nlanguages = []", "nlp.languages", "non-empty"),
        ("[store]\npath = 3", "store.path", "text"),
        ("[keys]\nquit = 3", "keys.quit", "key name"),
        ("fetch = 3", "fetch", "table"),
        ("[[feeds]]\nurl = 'https://a.example/rss'", "feeds[0].name", "required"),
        ("[[feeds]]\nname = 'x'", "feeds[0].url", "required"),
        ("[[feeds]]\nname = 'x'\nurl = 'javascript:alert(1)'", "feeds[0].url", "only http(s)"),
        ("[[feeds]]\nname = 'x'\nurl = 'ftp://a.example/rss'", "feeds[0].url", "only http(s)"),
        ("[[feeds]]\nname = 'x'\nurl = 'https://'", "feeds[0].url", "no host"),
        (
            "[[feeds]]\nname = 'x'\nurl = 'https://a.example'\ntags = [1]",
            "feeds[0].tags",
            "single words",
        ),
        (
            "[[feeds]]\nname = 'x'\nurl = 'https://a.example'\ntags = ['world news']",
            "feeds[0].tags",
            "single words",
        ),
        (
            "[[feeds]]\nname = 'x'\nurl = 'https://a.example'\n[feeds.fetch]\nper_host = 1",
            "feeds[0].fetch.per_host",
            "unknown key",
        ),
        (
            "[[feeds]]\nname = 'x'\nurl = 'https://a.example'\nenabled = 'yes'",
            "feeds[0].enabled",
            "true or false",
        ),
        (
            "[[feeds]]\nname = 'x'\nurl = 'https://a.example'\n[feeds.fetch]\ntimeout = 'slow'",
            "feeds[0].fetch.timeout",
            "number",
        ),
        (
            "[[feeds]]\nname = 'x'\nurl = 'https://a.example'\n[[feeds]]\nname = 'x'\n"
            "url = 'https://b.example'",
            "feeds",
            "two feeds",
        ),
    ],
)
def test_bad_values_name_the_key_and_file(tmp_path: Path, body: str, key: str, words: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.key == key
    assert words in str(caught.value)
    assert str(path) in str(caught.value)


def test_not_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[fetch\nconcurrency = "))
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")


def test_lookup_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    xdg = tmp_path / "xdg"
    (xdg / "briefing").mkdir(parents=True)
    (xdg / "briefing" / "config.toml").write_text("[nlp]\nbatch_size = 3\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    assert load_config().nlp.batch_size == 3  # XDG file beats the bundled default
    env_file = write(tmp_path, "[nlp]\nbatch_size = 5\n")
    monkeypatch.setenv("BRIEFING_CONFIG", str(env_file))
    assert load_config().nlp.batch_size == 5  # $BRIEFING_CONFIG beats XDG
    explicit = tmp_path / "explicit.toml"
    explicit.write_text("[nlp]\nbatch_size = 7\n")
    assert load_config(explicit).nlp.batch_size == 7  # --config beats everything
    (xdg / "briefing" / "config.toml").unlink()
    monkeypatch.delenv("BRIEFING_CONFIG")
    assert load_config().path == DEFAULT_CONFIG


def test_analysis_cuts_default_to_the_fetch_bounds_and_can_be_lowered(tmp_path: Path) -> None:
    from extract.ingest.pipeline import MAX_ANALYSED_CHARS
    from extract.nlp.model import MAX_TOKENS

    default = load_config(DEFAULT_CONFIG).nlp
    assert (default.max_chars, default.max_words) == (MAX_ANALYSED_CHARS, MAX_TOKENS)
    assert (MAX_ANALYSED_CHARS, MAX_TOKENS) == (100_000, 30_000)
    lowered = load_config(write(tmp_path, "[nlp]\nmax_chars = 1000\nmax_words = 50\n")).nlp
    assert (lowered.max_chars, lowered.max_words) == (1000, 50)
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, "[nlp]\nmax_words = 0\n"))
    assert caught.value.key == "nlp.max_words"
