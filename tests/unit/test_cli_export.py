"""``briefing export`` as a user runs it: a real process, a real store, real files."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from tests.helpers.cli import briefing
from tests.helpers.storefactory import build_store

REPO = Path(__file__).resolve().parents[2]


def _store(tmp_path: Path) -> Path:
    path = tmp_path / "store.sqlite3"
    build_store(path).close()
    return path


def test_help_lists_every_filter() -> None:
    out = briefing("export", "--help")
    assert out.returncode == 0 and out.stdout.startswith("usage: briefing export")
    for flag in (
        "--format",
        "--output",
        "--since",
        "--until",
        "--feed",
        "--tag",
        "--starred",
        "--unread",
        "--search",
        "--speaker",
        "--limit",
    ):
        assert flag in out.stdout


def test_markdown_to_stdout_with_filters(tmp_path: Path) -> None:
    store = _store(tmp_path)
    out = briefing(
        "export",
        "--store",
        str(store),
        "--since",
        "2022-01-12",
        "--feed",
        "Wire World",
        "--title",
        "Wire, two days",
    )
    assert out.returncode == 0, out.stderr
    tokens = MarkdownIt("commonmark").parse(out.stdout)
    assert tokens[0].tag == "h1" and tokens[1].content == "Wire, two days"
    assert "2 articles, 5 quotes" in out.stdout  # the envoy's 1, the NATO talks' 4
    assert "feed: Wire World" in out.stdout and "Markets steady" not in out.stdout


def test_html_to_a_file_says_where_it_went(tmp_path: Path) -> None:
    store, target = _store(tmp_path), tmp_path / "out" / "b.html"
    target.parent.mkdir()
    out = briefing(
        "export",
        "--store",
        str(store),
        "--format",
        "html",
        "-o",
        str(target),
        "--speaker",
        "Julianne Smith",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
    assert f"wrote 2 articles and 2 quotes to {target}" in out.stderr
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Nothing about Europe without Europe" in page


def test_bad_dates_and_missing_places_are_one_clear_line(tmp_path: Path) -> None:
    store = _store(tmp_path)
    bad = briefing("export", "--store", str(store), "--since", "2022-02-30")
    assert bad.returncode == 2 and "'2022-02-30' is not a date (YYYY-MM-DD)" in bad.stderr
    backwards = briefing(
        "export", "--store", str(store), "--since", "2022-02-01", "--until", "2022-01-01"
    )
    assert backwards.returncode == 2 and "is after --until" in backwards.stderr
    missing = tmp_path / "typo" / "s.sqlite3"
    gone = briefing("export", "--store", str(missing))
    assert gone.returncode == 4 and "no store at" in gone.stderr and not missing.parent.exists()
    nowhere = briefing("export", "--store", str(store), "-o", str(tmp_path / "no" / "b.md"))
    assert nowhere.returncode == 1 and "export error: cannot write to" in nowhere.stderr
    typo = briefing("export", "--store", str(store), "--feed", "Wire Wrld")
    assert typo.returncode == 2 and "no feed named 'Wire Wrld' in the store" in typo.stderr
    for out in (bad, backwards, gone, nowhere, typo):
        assert "Traceback" not in out.stderr
