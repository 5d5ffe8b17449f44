"""The hardening figures (``make hardening``), and a normal test in ``make test``.

It runs a compact set of the hostile cases itself (every hostile feed and page of
the other hardening tests, seeded mutations, the real CLI on hostile text), adds
the SIGKILL rounds and the two-writers run unless this pytest process has already
run them, and prints:

    hostile inputs tried, crashes, escape sequences that reached the terminal (and the
    clipboard and exports), kills survived with integrity, concurrent writes lost, feeds
    lost because of another feed, runs past their deadline, damaged stores handled.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from extract.ingest.clean import clean_page
from extract.ingest.feeds import parse_feed
from extract.models import Analysis, Quote
from extract.store import NewArticle, open_store
from tests.helpers.hardening import HOSTILE_STRINGS, LITERAL_MARKUP, TALLY, briefing, check_cli
from tests.helpers.httpserver import TestServer
from tests.hostile import test_hostile_feeds as feeds_cases
from tests.hostile import test_hostile_pages as page_cases

MUTATIONS = 500
SEED = 7


def _guarded(kind: str, what: str, call) -> object:  # noqa: ANN001
    TALLY.tried(kind)
    try:
        return call()
    except Exception as exc:  # noqa: BLE001 - counted: a crash is the finding
        TALLY.crash(f"{kind} {what}: {type(exc).__name__}: {exc}")
        return None


def run_feed_cases() -> None:
    for name, (body, ctype) in sorted(feeds_cases.HOSTILE_FEEDS.items()):
        _guarded("feed", name, lambda: parse_feed(body, feeds_cases.BASE, ctype))
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
                del body[at:at + rng.randint(1, 30)]
        data = bytes(body)
        _guarded("feed (mutated)", f"#{n}", lambda: parse_feed(data, feeds_cases.BASE))


def run_page_cases() -> None:
    bodies = {name: getattr(page_cases, name) for name in (
        "RUSSIAN", "CHINESE", "GERMAN", "GERMAN_AS_EN", "ENGLISH", "QUOTE_MARKS",
        "HOSTILE_TEXT", "BINARY")}
    bodies["huge_paragraph"] = page_cases.pathological("one_mb_paragraph")
    bodies.update({f"string {k}": f"<html><body><p>{v} " * 20 + "</p></body></html>"
                   for k, v in HOSTILE_STRINGS.items()})
    for name, body in bodies.items():
        started = time.perf_counter()
        _guarded("page", name, lambda: clean_page(body, "http://example.com/a"))
        if name == "huge_paragraph":
            TALLY.timings["clean_page of a 1 MB paragraph"] = time.perf_counter() - started


def run_terminal_cases(tmp_path: Path, server: TestServer) -> None:
    store_path = tmp_path / "terminal.sqlite3"
    with open_store(store_path) as store:
        feed_id = store.upsert_feed("F", "http://f.example/rss")
        for n, value in enumerate(HOSTILE_STRINGS.values()):
            text = f"{value} said"
            quote = Quote("direct", text, ((0, len(text)),), f"{value} S", value, 0, 1,
                          f"{value} R", "said", "explicit", 0, len(text))
            store.add_article(NewArticle(
                url=f"http://f.example/{n}", canonical_url=f"http://f.example/{n}", title=value,
                author=None, published="2024-01-01", source=value, text=text,
                text_status="full_text", html=b"x"), feed_id, f"g{n}",
                Analysis(quotes=(quote,), analysed_with="report"))
    table = briefing("quotes", "--store", str(store_path), env={"COLUMNS": "400"})
    check_cli("quotes", table)
    TALLY.tried("terminal", len(HOSTILE_STRINGS))
    shown = table.stdout.decode(errors="replace")
    for markup in LITERAL_MARKUP:
        if markup not in shown:
            TALLY.escapes.append(f"quotes: markup {markup!r} not shown literally")
    lines = briefing("quotes", "--json", "--store", str(store_path))
    check_cli("quotes --json", lines)
    TALLY.tried("terminal", len(HOSTILE_STRINGS))
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
    check_cli("fetch", fetched)
    TALLY.tried("terminal", 3)
    if fetched.returncode != 1:  # every feed fails: exit 1, with the summary table
        TALLY.crash(f"fetch of failing feeds exited {fetched.returncode}")


def run_isolation_cases(tmp_path: Path, server: TestServer) -> None:
    """Issue 16: one feed alone, damaged stores, copies and exports, deadlines, configs.
    Each case asserts inside; a failure is counted as a crash here (and the tally's
    own lists say which feeds were lost, which runs hung, which stores were written)."""
    import asyncio

    from tests.hostile import test_damaged_store as damaged
    from tests.hostile import test_hostile_copy as copying
    from tests.hostile import test_hostile_inputs as inputs
    from tests.hostile import test_one_feed_alone as alone

    cases: list[tuple[str, object]] = [
        ("one feed alone", lambda d: alone.test_one_hostile_feed_never_takes_down_the_fetch(
            d, server)),
        ("run deadline", lambda d: inputs.test_the_run_deadline_leaves_slow_pages_for_the_next_run(
            d, server)),
        ("clipboard", lambda d: asyncio.run(copying.test_y_copies_a_citation_without_escapes(d))),
        ("export", copying.test_quotes_json_exports_clean_text),
        ("damaged row", damaged.test_bad_spans_json_skips_one_quote_and_says_so),
    ]
    cases += [(f"damaged store: {kind}", lambda d, kind=kind:
               damaged.test_a_damaged_store_is_said_and_never_written(d, kind))
              for kind in sorted(damaged.WHOLE_FILE)]
    cases += [(f"config: {kind}", lambda d, kind=kind:
               inputs.test_a_config_that_is_no_regular_file_is_refused_at_once(d, kind))
              for kind in ("dev_zero", "fifo")]
    for n, (name, case) in enumerate(cases):
        folder = tmp_path / f"isolation-{n}"
        folder.mkdir()
        try:
            case(folder)  # type: ignore[operator]
        except Exception as exc:  # noqa: BLE001 - counted: a failed case is the finding
            TALLY.crash(f"{name}: {type(exc).__name__}: {str(exc)[:300]}")


def test_hardening_report(tmp_path: Path, http_server: TestServer) -> None:
    started = time.perf_counter()
    run_feed_cases()
    run_page_cases()
    run_terminal_cases(tmp_path, http_server)
    run_isolation_cases(tmp_path, http_server)
    if TALLY.kills == 0:  # test_crash_kill did not run in this process: run it here
        from tests.hostile.test_crash_kill import KILLS, growing_feed_routes, run_lanes
        from tests.hostile.test_crash_kill import SEED as KILL_SEED

        (tmp_path / "kills").mkdir()
        with growing_feed_routes(http_server) as growing:
            assert run_lanes(tmp_path / "kills", growing, KILLS, KILL_SEED) == []
    if TALLY.writes == 0:  # nor test_two_writers
        from tests.hostile.test_two_writers import share_the_store, slow_site_routes

        (tmp_path / "writers").mkdir()
        with slow_site_routes(http_server) as site:
            share_the_store(tmp_path / "writers", site)
    TALLY.timings["this report"] = time.perf_counter() - started

    print("\n== Briefing hardening figures ==")
    for line in TALLY.lines():
        print(line)
    assert sum(TALLY.inputs.values()) > MUTATIONS
    assert TALLY.crashes == []
    assert TALLY.escapes == []
    assert TALLY.kills >= 20 and TALLY.kills_intact == TALLY.kills
    assert TALLY.writes > 0 and TALLY.writes_lost == 0
    assert TALLY.feeds_lost == [] and TALLY.hangs == []
    assert TALLY.damaged_stores and set(TALLY.damaged_stores) <= {
        "said and not written", "row skipped and reported"}
