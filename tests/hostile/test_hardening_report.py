"""The hardening figures (``make hardening``).

It runs a compact set of the hostile cases itself (every hostile feed and page of
the other hardening tests, seeded mutations, the real CLI on hostile text, the
SIGKILL rounds and the two-writers run), counts them in a ``Tally`` of its own and
prints:

    hostile inputs tried, crashes, escape sequences that reached the terminal, kills
    survived with integrity, concurrent writes lost, feeds lost because of another feed,
    runs past their deadline, escapes in anything copied or exported, other failed
    checks, damaged stores handled.

The figures are the same whether it runs alone or after the other tests (every
case and seed is fixed; only the timings vary). Marked ``hardening``: ``make test``
leaves it out, since every case in it is also a test of its own there (the kill
rounds and the two writers are the slowest tests of the suite).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from extract.ingest.clean import clean_page
from extract.ingest.feeds import parse_feed
from extract.models import Analysis, Quote
from extract.store import NewArticle, open_store
from tests.helpers import hostile_feeds as feeds_cases
from tests.helpers import hostile_pages as page_cases
from tests.helpers import isolation
from tests.helpers.crash import KILLS, run_lanes, serve_growing_feeds
from tests.helpers.crash import SEED as KILL_SEED
from tests.helpers.hardening import HOSTILE_STRINGS, LITERAL_MARKUP, Tally, briefing
from tests.helpers.httpserver import TestServer
from tests.helpers.two_writers import serve_slow_site, share_the_store

MUTATIONS = 500
SEED = 7


def _guarded(tally: Tally, kind: str, what: str, call) -> object:  # noqa: ANN001
    tally.tried(kind)
    try:
        return call()
    except Exception as exc:  # noqa: BLE001 - counted: a crash is the finding
        tally.crash(f"{kind} {what}: {type(exc).__name__}: {exc}")
        return None


def run_feed_cases(tally: Tally) -> None:
    for name, (body, ctype) in sorted(feeds_cases.HOSTILE_FEEDS.items()):
        _guarded(tally, "feed", name, lambda: parse_feed(body, feeds_cases.BASE, ctype))
    rng = random.Random(SEED)
    valid = feeds_cases.VALID
    for n in range(MUTATIONS):
        body = bytearray(valid)
        for _ in range(rng.randint(1, 5)):
            at = rng.randrange(len(body) + 1)
            op = rng.choice(("cut", "flip", "insert", "delete"))
            if op == "cut":
                del body[at:]
            elif op == "flip" and at < len(body):
                body[at] = rng.randrange(256)
            elif op == "insert":
                body[at:at] = rng.choice(feeds_cases.SNIPPETS)
            else:
                del body[at : at + rng.randint(1, 30)]
        data = bytes(body)
        _guarded(tally, "feed (mutated)", f"#{n}", lambda: parse_feed(data, feeds_cases.BASE))


def run_page_cases(tally: Tally) -> None:
    bodies = {
        name: getattr(page_cases, name)
        for name in (
            "RUSSIAN",
            "CHINESE",
            "GERMAN",
            "GERMAN_AS_EN",
            "ENGLISH",
            "QUOTE_MARKS",
            "HOSTILE_TEXT",
            "BINARY",
        )
    }
    bodies["huge_paragraph"] = page_cases.pathological("one_mb_paragraph")
    bodies.update(
        {
            f"string {k}": f"<html><body><p>{v} " * 20 + "</p></body></html>"
            for k, v in HOSTILE_STRINGS.items()
        }
    )
    for name, body in bodies.items():
        started = time.perf_counter()
        _guarded(tally, "page", name, lambda: clean_page(body, "http://example.com/a"))
        if name == "huge_paragraph":
            tally.timings["clean_page of a 1 MB paragraph"] = time.perf_counter() - started


def run_terminal_cases(tally: Tally, tmp_path: Path, server: TestServer) -> None:
    store_path = tmp_path / "terminal.sqlite3"
    with open_store(store_path) as store:
        feed_id = store.upsert_feed("F", "http://f.example/rss")
        for n, value in enumerate(HOSTILE_STRINGS.values()):
            text = f"{value} said"
            quote = Quote(
                "direct",
                text,
                ((0, len(text)),),
                f"{value} S",
                value,
                0,
                1,
                f"{value} R",
                "said",
                "explicit",
                0,
                len(text),
            )
            store.add_article(
                NewArticle(
                    url=f"http://f.example/{n}",
                    canonical_url=f"http://f.example/{n}",
                    title=value,
                    author=None,
                    published="2024-01-01",
                    source=value,
                    text=text,
                    text_status="full_text",
                    html=b"x",
                ),
                feed_id,
                f"g{n}",
                Analysis(quotes=(quote,), analysed_with="report"),
            )
    table = briefing("quotes", "--store", str(store_path), env={"COLUMNS": "400"})
    tally.check_cli("quotes", table)
    tally.tried("terminal", len(HOSTILE_STRINGS))
    shown = table.stdout.decode(errors="replace")
    for markup in LITERAL_MARKUP:
        if markup not in shown:
            tally.escapes.append(f"quotes: markup {markup!r} not shown literally")
    lines = briefing("quotes", "--json", "--store", str(store_path))
    tally.check_cli("quotes --json", lines)
    tally.tried("terminal", len(HOSTILE_STRINGS))
    config = tmp_path / "terminal.toml"
    config.write_text(
        f'[store]\npath = "{tmp_path / "fetch.sqlite3"}"\n'
        + "".join(
            f'[[feeds]]\nname = "{name} \\u001b[31m\\u202e[bold]x"\nurl = "{url}"\n'
            for name, url in (
                ("bad", server.url("/malformed.xml")),
                ("gone", server.url("/status/404")),
                ("loop", server.url("/loop/a")),
            )
        )
    )
    fetched = briefing("fetch", "--config", str(config), "--progress", "none")
    tally.check_cli("fetch", fetched)
    tally.tried("terminal", 3)
    if fetched.returncode != 1:  # every feed fails: exit 1, with the summary table
        tally.crash(f"fetch of failing feeds exited {fetched.returncode}")


def run_kills(tally: Tally, tmp_path: Path, server: TestServer) -> None:
    started = time.perf_counter()
    kills = run_lanes(tmp_path, serve_growing_feeds(server), KILLS, KILL_SEED)
    tally.kills, tally.kills_intact = kills.killed, kills.intact
    tally.crashes += kills.problems  # a store left broken: counted with the crashes
    tally.timings[f"{KILLS} kills + final fetches"] = time.perf_counter() - started


# Each isolation case, and what its failure means: the category it is counted in.
FEED_LOST, HANG, COPIED, DAMAGED, CHECK = "feed lost", "hang", "copied", "damaged store", "check"


def isolation_cases(
    tally: Tally, server: TestServer
) -> list[tuple[str, str, Callable[[Path], object]]]:
    """(name, category of its failure, run) for every issue 16 case, in a fixed order."""
    cases: list[tuple[str, str, Callable[[Path], object]]] = [
        ("one feed alone", FEED_LOST, lambda d: isolation.one_hostile_feed_alone(tally, d, server)),
        ("run deadline", HANG, lambda d: isolation.run_deadline(tally, d, server)),
        ("clipboard", COPIED, lambda d: asyncio.run(isolation.y_copies_a_citation(tally, d))),
        ("export", COPIED, lambda d: isolation.quotes_json_exports_clean_text(tally, d)),
        ("damaged row", DAMAGED, lambda d: isolation.bad_spans_json_skips_one_quote(tally, d)),
    ]
    cases += [
        (
            f"damaged store: {kind}",
            DAMAGED,
            lambda d, kind=kind: isolation.a_damaged_store_is_said_and_never_written(
                tally, d, kind
            ),
        )
        for kind in sorted(isolation.WHOLE_FILE)
    ]
    cases += [
        (
            f"config: {kind}",
            CHECK,
            lambda d, kind=kind: isolation.config_no_regular_file(tally, d, kind),
        )
        for kind in ("dev_zero", "fifo")
    ]
    return cases


def run_isolation_cases(tally: Tally, tmp_path: Path, server: TestServer) -> None:
    """Issue 16: one feed alone, damaged stores, copies and exports, deadlines, configs.

    Each case asserts inside. A failed assertion is counted in what the case tests (a
    feed lost because of another feed, a run past its deadline, an escape copied...),
    once, unless the case already recorded its finding; only an exception other than
    a failed assertion (the code under test raised) is a crash."""
    run_cases(tally, tmp_path, isolation_cases(tally, server))


def run_cases(
    tally: Tally, tmp_path: Path, cases: list[tuple[str, str, Callable[[Path], object]]]
) -> None:
    for n, (name, category, case) in enumerate(cases):
        folder = tmp_path / f"isolation-{n}"
        folder.mkdir()
        before = tally.findings()
        try:
            case(folder)
        except AssertionError as exc:
            if tally.findings() == before:
                tally.case_failed(category, f"{name}: {str(exc)[:300]}")
        except Exception as exc:  # noqa: BLE001 - counted: an exception is the finding
            tally.crash(f"{name}: {type(exc).__name__}: {str(exc)[:300]}")


def run_two_writers(tally: Tally, tmp_path: Path, server: TestServer) -> None:
    started = time.perf_counter()
    shared = share_the_store(tmp_path, serve_slow_site(server))
    tally.writes, tally.writes_lost = shared.writes, shared.lost
    tally.timings["two writers"] = time.perf_counter() - started


@pytest.mark.hardening
def test_hardening_report(tmp_path: Path, http_server: TestServer) -> None:
    tally = Tally()
    started = time.perf_counter()
    run_feed_cases(tally)
    run_page_cases(tally)
    run_terminal_cases(tally, tmp_path, http_server)
    run_isolation_cases(tally, tmp_path, http_server)
    for name, run in (("kills", run_kills), ("writers", run_two_writers)):
        (tmp_path / name).mkdir()
        run(tally, tmp_path / name, http_server)
    tally.timings["this report"] = time.perf_counter() - started

    print("\n== Briefing hardening figures ==")
    for line in tally.lines():
        print(line)
    assert sum(tally.inputs.values()) > MUTATIONS
    assert tally.crashes == []
    assert tally.escapes == []
    assert tally.kills >= 20 and tally.kills_intact == tally.kills
    assert tally.writes > 0 and tally.writes_lost == 0
    assert tally.feeds_lost == [] and tally.hangs == []
    assert tally.copied_escapes == [] and tally.failed_checks == []
    assert tally.damaged_stores and set(tally.damaged_stores) <= {
        "said and not written",
        "row skipped and reported",
    }


def _lost(tally: Tally) -> Callable[[Path], object]:
    def case(folder: Path) -> None:
        assert (folder / "stored").exists(), "the good feed was not stored"

    return case


def _hung(tally: Tally) -> Callable[[Path], object]:
    def case(folder: Path) -> None:
        tally.hangs.append("ran 9 s past run_timeout")  # recorded by the case itself
        raise AssertionError("past the deadline")

    return case


def _raised(tally: Tally) -> Callable[[Path], object]:
    def case(folder: Path) -> None:
        raise OverflowError("port out of range 0-65535")

    return case


def test_a_failed_case_is_counted_in_what_it_tests_whatever_the_order(tmp_path: Path) -> None:
    """Not a crash: a failed assertion of "one feed alone" is a feed lost, once; a hang
    the case recorded is not counted twice; only an exception is a crash. The same
    figures in any order."""
    figures = []
    for n, order in enumerate(([0, 1, 2, 3], [3, 2, 1, 0])):
        tally = Tally()
        makers = [
            ("one feed alone", FEED_LOST, _lost),
            ("run deadline", HANG, _hung),
            ("config", CHECK, _raised),
            ("clipboard", COPIED, _lost),
        ]
        cases = [(name, cat, make(tally)) for name, cat, make in (makers[i] for i in order)]
        (tmp_path / str(n)).mkdir()
        run_cases(tally, tmp_path / str(n), cases)
        assert len(tally.feeds_lost) == 1 and "good feed" in tally.feeds_lost[0]
        assert tally.hangs == ["ran 9 s past run_timeout"]
        assert len(tally.crashes) == 1 and "OverflowError" in tally.crashes[0]
        assert len(tally.copied_escapes) == 1
        lines = tally.lines()
        assert "feeds lost because of another feed: 1" in lines and "crashes: 1" in lines
        assert "escapes in anything copied or exported: 1" in lines
        figures.append([line for line in lines if not line.startswith("  ")])
    assert figures[0] == figures[1]
