"""OPML both ways: reading lists (folders, refusals), writing the configured feeds, and
``briefing opml import`` editing a real config.toml in place."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from extract.config import FeedConfig, load_config
from extract.ingest.opml import folder_tag, parse_opml, write_opml
from tests.helpers.cli import briefing

REPO = Path(__file__).resolve().parents[2]

LIST = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>My feeds</title></head><body>
  <outline text="World News">
    <outline text="Wire" title="Wire World" type="rss" xmlUrl="https://wire.example/rss"/>
    <outline text="Deep">
      <outline text="Ledger" xmlUrl="http://ledger.example/feed" category="/Politics,/eu"/>
    </outline>
  </outline>
  <outline text="Top &lt;b&gt;level&lt;/b&gt;&#x202e;" xmlUrl="https://top.example/x.xml"/>
  <outline text="Again" xmlUrl="https://wire.example/rss/"/>
  <outline text="Script" xmlUrl="javascript:alert(1)"/>
  <outline text="Passwords" xmlUrl="file:///etc/passwd"/>
  <outline text="Hostless" xmlUrl="http:///nothing"/>
  <outline text="A link, not a feed" htmlUrl="https://site.example/"/>
</body></opml>
"""

CONFIG = """# My Briefing config: hand-written, with comments that must survive.

[nlp]
processes = 1  # one is enough here

# The feeds I read every morning.
[[feeds]]
name = "Wire World"   # the wire
url = "https://wire.example/rss"
tags = ["world"]

[keys]
refresh = "R"  # capital R
"""


def test_parse_keeps_folders_as_tags_and_says_why_it_refuses() -> None:
    listed = parse_opml(LIST)
    assert listed is not None
    assert [(f.name, f.url, f.tags) for f in listed.feeds] == [
        ("Wire World", "https://wire.example/rss", ("world-news",)),
        ("Ledger", "http://ledger.example/feed", ("world-news", "deep", "politics", "eu")),
        ("Top <b>level</b>", "https://top.example/x.xml", ()),
        ("Again", "https://wire.example/rss/", ()),
    ]
    assert {r.name: r.reason for r in listed.refused} == {
        "Script": "only http(s) feeds are imported, not javascript:",
        "Passwords": "only http(s) feeds are imported, not file:",
        "Hostless": "not a valid URL: it has no host",
    }


@pytest.mark.parametrize("text", ["", "not xml", "<rss><channel/></rss>", "<opml"])
def test_not_opml_is_none(text: str) -> None:
    assert parse_opml(text) is None


def test_folder_names_become_single_word_tags() -> None:
    assert folder_tag("World News") == "world-news"
    assert folder_tag("  Économie / Finance ") == "économie-finance"
    assert folder_tag("\x1b[31mRed\u202e") == "red"


def test_write_then_read_gives_the_same_feeds() -> None:
    feeds = [
        FeedConfig('Wire <&> "World"', "https://wire.example/rss", ("world", "eu")),
        FeedConfig("Ledger", "https://ledger.example/feed", ("business",)),
        FeedConfig("Plain", "https://plain.example/x"),
        FeedConfig("Saved", "~/feeds/saved.xml", ("world",)),
    ]
    text = write_opml(feeds, datetime(2026, 12, 2, tzinfo=UTC))
    assert "Wed, 02 Dec 2026 00:00:00 +0000" in text
    back = parse_opml(text)
    assert back is not None and not back.refused
    assert [(f.name, f.url, f.tags) for f in back.feeds] == [
        ('Wire <&> "World"', "https://wire.example/rss", ("world", "eu")),
        ("Ledger", "https://ledger.example/feed", ("business",)),
        ("Plain", "https://plain.example/x", ()),
    ]  # the local file is left out


def test_import_edits_the_config_in_place_keeping_comments(tmp_path: Path) -> None:
    config, opml = tmp_path / "config.toml", tmp_path / "subs.opml"
    config.write_text(CONFIG, encoding="utf-8")
    opml.write_text(LIST, encoding="utf-8")
    out = briefing("opml", "import", str(opml), "--config", str(config))
    assert out.returncode == 0, out.stderr
    text = config.read_text(encoding="utf-8")
    assert text.startswith(CONFIG.split("[keys]")[0])  # everything before [keys], untouched
    assert text.rstrip().endswith('[keys]\nrefresh = "R"  # capital R')
    loaded = load_config(config)
    assert [f.name for f in loaded.feeds] == ["Wire World", "Ledger", "Top <b>level</b>"]
    assert loaded.feeds[1].tags == ("world-news", "deep", "politics", "eu")
    assert loaded.keys == {"refresh": "R"}
    err = out.stderr
    assert (
        "skipped 'Wire World' (https://wire.example/rss): its URL is already the feed "
        "'Wire World'" in err
    )
    assert "skipped 'Again'" in err
    assert "refused 'Script' (javascript:alert(1)): only http(s) feeds are imported" in err
    assert f"added 2 feeds to {config}; skipped 2, refused 3" in err
    again = briefing("opml", "import", str(opml), "--config", str(config))
    assert again.returncode == 0 and "added 0 feeds" in again.stderr
    assert config.read_text(encoding="utf-8") == text


def test_dry_run_shows_the_diff_and_writes_nothing(tmp_path: Path) -> None:
    config, opml = tmp_path / "config.toml", tmp_path / "subs.opml"
    config.write_text(CONFIG, encoding="utf-8")
    opml.write_text(LIST, encoding="utf-8")
    out = briefing("opml", "import", str(opml), "--dry-run", "--config", str(config))
    assert out.returncode == 0, out.stderr
    assert config.read_text(encoding="utf-8") == CONFIG
    assert out.stdout.startswith(f"--- {config}\n+++ {config}\n")
    assert '+name = "Ledger"\n+url = "http://ledger.example/feed"\n' in out.stdout
    assert "dry run: 2 feeds would be added" in out.stderr


def test_import_without_a_user_config_creates_one_from_the_default(tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(LIST, encoding="utf-8")
    xdg = tmp_path / "xdg"
    out = briefing("opml", "import", str(opml), env={"XDG_CONFIG_HOME": str(xdg)})
    assert out.returncode == 0, out.stderr
    created = xdg / "briefing" / "config.toml"
    assert "(created from the bundled default)" in out.stderr
    assert created.read_text(encoding="utf-8").startswith("# Briefing configuration")
    assert [f.name for f in load_config(created).feeds] == [
        "Wire World",
        "Ledger",
        "Top <b>level</b>",
    ]  # "Again" is Wire World's URL


def test_print_form_and_the_old_form_print_tables(tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(LIST, encoding="utf-8")
    printed = briefing("opml", "import", "--print", str(opml))
    old = briefing("opml", str(opml))
    assert printed.returncode == old.returncode == 0
    assert printed.stdout == old.stdout
    assert (
        '[[feeds]]\nname = "Ledger"\nurl = "http://ledger.example/feed"\n'
        'tags = ["world-news", "deep", "politics", "eu"]\n' in printed.stdout
    )
    bad = briefing("opml", "import")
    assert bad.returncode == 2 and "expected 'export', 'import FILE' or FILE" in bad.stderr
    missing = briefing("opml", "import", str(tmp_path / "none.opml"))
    assert missing.returncode == 7 and "input error: cannot read" in missing.stderr
    for out in (printed, old, bad, missing):
        assert "Traceback" not in out.stderr


def test_opml_export_writes_the_configured_feeds(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        CONFIG + '\n[[feeds]]\nname = "Local"\nurl = "~/x.xml"\n'
        '\n[[feeds]]\nname = "Two"\nurl = "https://two.example/rss"\n',
        encoding="utf-8",
    )
    out = briefing("opml", "export", "--config", str(config))
    assert out.returncode == 0, out.stderr
    listed = parse_opml(out.stdout)
    assert listed is not None
    assert [(f.name, f.tags) for f in listed.feeds] == [("Wire World", ("world",)), ("Two", ())]
    assert "left out 'Local': a local file" in out.stderr
    target = tmp_path / "feeds.opml"
    written = briefing("opml", "export", "-o", str(target), "--config", str(config))
    assert written.returncode == 0 and "wrote 2 feeds" in written.stderr
    assert parse_opml(target.read_text(encoding="utf-8")) == listed
