"""The command line as a new user meets it: options in either place, dates, closed pipes,
``[keys]`` checked. Real processes, no spaCy (stores built by the storefactory)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.cli import briefing
from tests.helpers.storefactory import build_store

REPO = Path(__file__).resolve().parents[2]


def store_at(tmp_path: Path) -> Path:
    path = tmp_path / "s.sqlite3"
    build_store(path).close()
    return path


def test_global_options_work_before_and_after_the_subcommand(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    before = briefing("--store", str(store), "quotes", "--json")
    after = briefing("quotes", "--json", "--store", str(store))
    assert before.returncode == 0, before.stderr
    assert before.stdout == after.stdout and len(before.stdout.splitlines()) == 5
    config = tmp_path / "c.toml"
    config.write_text('[[feeds]]\nname = "Harbour Wire"\nurl = "https://example.com/rss"\n')
    check = briefing("--config", str(config), "config", "--check")
    assert check.returncode == 0 and str(config) in check.stdout, check.stderr
    missing = tmp_path / "nowhere.sqlite3"
    assert str(missing) in briefing("--store", str(missing), "quotes").stderr


def test_since_must_be_a_date(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    for bad in ("13/02/2024", "garbage", "2024-13-45", "20240213"):
        out = briefing("quotes", "--store", str(store), "--since", bad)
        assert out.returncode == 2 and "YYYY-MM-DD" in out.stderr and bad in out.stderr
    good = briefing("quotes", "--store", str(store), "--since", "2022-01-13", "--json")
    assert good.returncode == 0
    assert {json.loads(x)["published"][:10] for x in good.stdout.splitlines()} == {"2022-01-13"}
    assert briefing("quotes", "--store", str(store), "--limit", "0").returncode == 2


def test_quotes_table_says_how_the_speaker_was_found(tmp_path: Path) -> None:
    out = briefing("quotes", "--store", str(store_at(tmp_path)))
    assert out.returncode == 0 and "how found" in out.stdout
    assert "pronoun" in out.stdout and "explicit" in out.stdout


def test_feed_names_are_case_insensitive(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        f'[store]\npath = "{tmp_path / "s.sqlite3"}"\n[[feeds]]\n'
        f'name = "Harbour Wire"\nurl = "{tmp_path / "gone.xml"}"\n'
    )
    out = briefing("--config", str(config), "fetch", "--feed", "harbour wire", "--progress", "none")
    assert out.returncode == 1 and "Harbour Wire" in out.stdout  # polled (and failed)
    for column in ("unchanged", "not analysed"):
        assert column in out.stdout
    wrong = briefing("--config", str(config), "fetch", "--feed", "harbour")
    assert wrong.returncode == 2 and "'Harbour Wire'" in wrong.stderr  # the names it has


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    env = {**os.environ, "NO_COLOR": "1"}
    for args in (["quotes", "--json"], ["quotes"]):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tui.cli", *args, "--store", str(store)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # like `| head -0`: gone before the first line is written
        # rich's own handler ends the table with 1, as on any closed stdout
        assert proc.wait(timeout=120) == (0 if "--json" in args else 1)
        err = proc.stderr.read()
        assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_config_check_reports_bad_keys(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[keys]\nrefresh = "j"\nno_such_action = "x"\nquote_lookup = "ctrl+l"\n')
    out = briefing("config", "--check", "--config", str(config))
    assert out.returncode == 3  # a config error
    assert "[keys] no_such_action: no key binding has this id" in out.stderr
    assert "refresh = 'j'" in out.stderr and "article list" in out.stderr
    assert "quote_lookup" not in out.stderr  # a free key is fine
