"""The ``briefing`` command line: parser, commands, exit codes and messages (in this process,
as tests/helpers/cli.py explains; what needs a real process starts one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from extract.errors import ConfigError, ModelNotFound, StoreError, UsageError
from extract.ingest.events import ArticleStored, Done, Progress, from_json
from tests.helpers.cli import briefing
from tests.helpers.crash import english_page
from tests.helpers.hostile_pages import HTML
from tests.helpers.httpserver import TestServer

REPO = Path(__file__).resolve().parents[2]
SEED_TEXT = REPO / "tests" / "fixtures" / "seed" / "nato-russia.txt"
COMMANDS = ["fetch", "config", "analyse", "quotes", "people", "reprocess", "export", "opml"]


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_every_command_has_help(command: list[str]) -> None:
    out = briefing(*command, "--help")
    assert out.returncode == 0 and out.stdout.startswith("usage: briefing")
    assert "--config" in out.stdout


def test_version() -> None:
    out = briefing("--version")
    assert out.returncode == 0 and out.stdout.strip().startswith("briefing 0.")


def test_config_check_shows_where_it_was_found(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[[feeds]]\nname = "World"\nurl = "https://example.com/rss"\n')
    out = briefing("config", "--check", "--config", str(path))
    assert out.returncode == 0, out.stderr
    assert str(path) in out.stdout and "World" in out.stdout


def test_bad_config_is_one_clear_line_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[fetch]\ntimeout = "soon"\n')
    for args in (["config", "--check"], ["fetch"], ["quotes"]):
        out = briefing(*args, "--config", str(path))
        assert out.returncode == ConfigError.exit_code
        assert "[fetch.timeout]" in out.stderr and str(path) in out.stderr
        assert "Traceback" not in out.stderr


def test_env_var_config_is_used(tmp_path: Path) -> None:
    path = tmp_path / "env.toml"
    path.write_text("[nlp]\nprocesses = 'two'\n")
    out = briefing("config", "--check", env={"BRIEFING_CONFIG": str(path)})
    assert out.returncode == ConfigError.exit_code and "[nlp.processes]" in out.stderr


def test_unknown_feed_name_is_refused(tmp_path: Path) -> None:
    out = briefing("fetch", "--demo", "--store", str(tmp_path / "s.sqlite3"), "--feed", "Nope")
    assert out.returncode == UsageError.exit_code and "'Nope'" in out.stderr


@pytest.mark.slow
def test_fetch_demo_as_json_lines_then_quotes(tmp_path: Path) -> None:
    store = tmp_path / "demo.sqlite3"
    out = briefing("fetch", "--demo", "--store", str(store), "--progress", "jsonl")
    assert out.returncode == 0, out.stderr
    events = [from_json(line) for line in out.stdout.splitlines()]
    assert None not in events
    stored = [e for e in events if isinstance(e, ArticleStored)]
    assert len(stored) >= 9  # 8+ pages and one feed-summary-only entry
    assert any(e.text_status == "feed_summary" for e in stored)
    assert {e.stage for e in events if isinstance(e, Progress)} == {"feeds", "pages", "analysis"}
    assert isinstance(events[-1], Done) and events[-1].new == len(stored)

    again = briefing("fetch", "--demo", "--store", str(store), "--progress", "none")
    assert again.returncode == 0 and "Fetch summary" in again.stdout

    quotes = briefing("quotes", "--store", str(store), "--speaker", "julianne smith", "--json")
    rows = [json.loads(line) for line in quotes.stdout.splitlines()]
    assert len(rows) == 2 and all(r["speaker"] == "Julianne Smith" for r in rows)
    assert rows[0]["citation"].endswith("2022-01-12, " + rows[0]["url"])
    table = briefing("quotes", "--store", str(store), "--since", "2022-01-01")
    assert table.returncode == 0 and "Julianne Smith" in table.stdout

    reprocessed = briefing("reprocess", "--store", str(store))
    assert reprocessed.returncode == 0 and "reprocessed" in reprocessed.stdout
    after = briefing("quotes", "--store", str(store), "--speaker", "julianne smith", "--json")
    assert len(after.stdout.splitlines()) == 2  # same answer after re-running the pipeline


@pytest.mark.slow
def test_analyse_plain_text_offsets_refer_to_the_file(tmp_path: Path) -> None:
    unreadable = tmp_path / "missing.txt"
    out = briefing("analyse", "--json", str(SEED_TEXT), str(unreadable))
    assert out.returncode == 1 and "cannot read" in out.stderr  # the others still analysed
    (result,) = [json.loads(line) for line in out.stdout.splitlines()]
    text = SEED_TEXT.read_text(encoding="utf-8")
    assert result["path"] == str(SEED_TEXT)
    for quote in result["quotes"]:
        for start, end in quote["spans"]:
            span = text[start:end]
            assert quote["text"].startswith(span[:20]) or span in quote["text"]
    speakers = {q["speaker"] for q in result["quotes"]}
    assert {"Julianne Smith", "Michael Carpenter"} <= speakers
    people = {e["canonical"] for e in result["entities"] if e["label"] == "PERSON"}
    assert "Alexander Grushko" in people


def test_fetch_exits_1_when_every_feed_failed(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        f'[store]\npath = "{tmp_path / "s.sqlite3"}"\n'
        '[[feeds]]\nname = "Gone"\nurl = "' + str(tmp_path / "nope.xml") + '"\n'
    )
    out = briefing("fetch", "--config", str(config), "--progress", "none")
    assert out.returncode == 1
    assert "Gone" in out.stdout and "failed" in out.stdout


def test_quotes_on_a_mistyped_store_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "store.sqlite3"
    out = briefing("quotes", "--store", str(missing))
    assert out.returncode == StoreError.exit_code and "no store at" in out.stderr
    assert not missing.parent.exists()


@pytest.mark.slow
def test_missing_model_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[nlp]\nmodel = "no_such_pipeline_xyz"\n')
    for args in (["config", "--check"], ["analyse", str(SEED_TEXT)]):
        out = briefing(*args, "--config", str(config))
        assert out.returncode == ModelNotFound.exit_code and "not installed" in out.stderr
        assert "pip install" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.slow
def test_opml_becomes_feed_tables_that_validate(tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline text="World" xmlUrl="https://a.example/rss"/>'
        '<outline text="World" xmlUrl="https://b.example/rss"/>'
        '<outline text="Sneaky" xmlUrl="file:///etc/passwd"/></body></opml>'
    )
    out = briefing("opml", str(opml))
    assert out.returncode == 0
    config = tmp_path / "c.toml"
    config.write_text(out.stdout)
    check = briefing("config", "--check", "--config", str(config))
    assert check.returncode == 0, check.stderr
    assert "World (2): https://b.example/rss" in check.stdout and "passwd" not in check.stdout


@pytest.mark.slow
def test_two_fetches_at_once_both_succeed(tmp_path: Path, http_server: TestServer) -> None:
    """Two ``briefing fetch`` processes of the same feed into one SQLite file: both finish,
    and each story is stored once. Three pages, not the demo's nine: each process loads
    spaCy either way, and the pages only need to overlap."""
    items = []
    for n in range(3):
        link = http_server.add(f"/story/{n}", english_page(n), headers=HTML)
        items.append(f"<item><title>Story {n}</title><link>{link}</link><guid>g{n}</guid></item>")
    feed = http_server.add(
        "/feed",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{"".join(items)}'
        f"</channel></rss>".encode(),
        headers={"Content-Type": "application/rss+xml"},
    )
    store = tmp_path / "s.sqlite3"
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{store}"\n[[feeds]]\nname = "F"\nurl = "{feed}"\n')
    env = {**os.environ, "NO_COLOR": "1"}
    args = [sys.executable, "-m", "tui.cli", "fetch", "--config", str(config), "--progress", "none"]
    procs = [
        subprocess.Popen(
            args, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=240), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    assert [code for code, _ in results] == [0, 0], results
    assert all("Traceback" not in err for _, err in results)
    from extract.store import open_store

    with open_store(store) as s:
        assert s.article_count() == 3  # each story once, though both fetches found all
        assert s.conn.execute("SELECT count(DISTINCT guid) FROM article_feeds").fetchone()[0] == 3
        helen = s.conn.execute(
            "SELECT count(DISTINCT article_id) FROM quotes WHERE speaker = 'Helen Brandt'"
        )
        assert helen.fetchone()[0] == 3  # each story analysed
