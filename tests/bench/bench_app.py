"""The app on the big store: start-up, scrolling frames, memory.

Run: .venv/bin/pytest -q -s tests/bench/bench_app.py    (part of ``make bench``)

Every measurement runs the app in a fresh child process (this file, run as
``python -m tests.bench.bench_app probe ...``), headless through ``App.run_test``,
with each frame still encoded to terminal bytes as a real terminal would get it:

- start-up: from just before the process is spawned until Textual's ``Ready``
  event (the first frame has been displayed) *and* the article list has drawn
  rows from the store. The baseline is a minimal Textual app (one ``Label``)
  timed the same way, alternating with the Briefing app; medians of ``RUNS``.
  Target: Briefing within 1.5 times the minimal app.
- scrolling: ``j`` sent as terminal key events, each as soon as the previous
  one's frame was displayed (faster than key repeat), the whole list from the
  first to the last article; then ``G``/``g`` and page down end to end. For each
  key, the time from sending it to the frame showing its result. Target: no
  frame slower than 50 ms.
- memory: VmRSS (``/proc/self/status``) of the app process after start-up and
  after scrolling, and VmHWM (peak). Target: under 300 MB.

The children load compiled modules, as an installed app does: they run with
``PYTHONPYCACHEPREFIX`` set to a cache in the temp directory and without
``PYTHONDONTWRITEBYTECODE`` (which, if set, would have the Briefing child compile
all its own modules from source on every start, ~17 ms, while the minimal app's
modules come precompiled from site-packages). ``BENCH_APP_BYTECODE=0`` runs them
with the caller's environment unchanged.

Only imports from the standard library at module level, so the child's
start-up is not inflated by pytest.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("BENCH_APP_RUNS", "7"))
BYTECODE = os.environ.get("BENCH_APP_BYTECODE", "1") != "0"
J_KEYS = int(os.environ.get("BENCH_J_KEYS", "1000000"))  # fewer for a quick look
SIZE = (160, 50)
# Scrolling runs this many times (a fresh app each); with BENCH_APP_BEFORE=DIR (a checkout
# of older code, e.g. `git archive main | tar -x -C DIR`) its app alternates with this one.
SCROLL_ROUNDS = int(os.environ.get("BENCH_SCROLL_ROUNDS", "1"))
BEFORE = Path(os.environ["BENCH_APP_BEFORE"]) if os.environ.get("BENCH_APP_BEFORE") else None
FRAME_TARGET_MS = 50.0
START_RATIO_TARGET = 1.5
RSS_TARGET_MB = 300.0


# -- the child -------------------------------------------------------------------


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _widget_types(app) -> dict[str, int]:  # noqa: ANN001
    """How many widgets of each type the screen holds."""
    counts: dict[str, int] = {}
    for widget in app.screen.walk_children(with_self=False):
        counts[type(widget).__name__] = counts.get(type(widget).__name__, 0) + 1
    return counts


def probe(mode: str, store_path: str | None, scroll: bool) -> dict:
    """Run one app headless; return when it was ready (epoch seconds) and figures."""
    phases = {"entered": time.time()}
    from textual import events
    from textual._compositor import CompositorUpdate
    from textual.app import App

    frames = {"count": 0, "last": 0.0}
    frame_shown = asyncio.Event()
    ready = asyncio.Event()
    display = App._display

    def _display(self, screen, renderable) -> None:  # noqa: ANN001
        # Headless Textual skips encoding the frame for the terminal; do it anyway so a
        # frame costs what it costs on a real terminal.
        if renderable is not None and isinstance(renderable, CompositorUpdate):
            renderable.render_segments(self.console)
        display(self, screen, renderable)
        frames["count"] += 1
        frames["last"] = time.perf_counter()
        frame_shown.set()

    App._display = _display  # type: ignore[method-assign]
    result: dict = {"mode": mode, "phases": phases}

    if mode == "minimal":
        from textual.widgets import Label

        class Minimal(App[None]):
            def compose(self):  # noqa: ANN201
                yield Label("Hello")

            def on_ready(self) -> None:
                result["ready"] = time.time()
                ready.set()

        phases["imported"] = time.time()
        app: App = Minimal()
        phases["constructed"] = time.time()
        article_list = None
    else:
        from extract.config import DEFAULT_CONFIG, load_config
        from extract.store import open_store
        from tui.app import BriefingApp
        from tui.widgets.article_list import ArticleList

        painted = {"rows": False, "ready": False}
        render_line = ArticleList.render_line

        def mark() -> None:
            if painted["rows"] and painted["ready"] and not ready.is_set():
                result["ready"] = time.time()
                ready.set()

        def counting_render_line(self, y: int):  # noqa: ANN001, ANN202
            strip = render_line(self, y)
            if self.count and not painted["rows"]:
                painted["rows"] = True  # a row read from the store has been drawn
            return strip

        ArticleList.render_line = counting_render_line  # type: ignore[method-assign]

        import tui.app

        class Probe(BriefingApp):
            # CSS_PATH is relative to the class's own module: point it at the app's.
            CSS_PATH = str(Path(tui.app.__file__).with_name(BriefingApp.CSS_PATH))

            def on_ready(self) -> None:
                painted["ready"] = True
                mark()
                if not ready.is_set():
                    self.call_after_refresh(mark)

            def _display(self, screen, renderable) -> None:  # noqa: ANN001
                super()._display(screen, renderable)
                mark()

        phases["imported"] = time.time()
        store = open_store(store_path)
        app = Probe(store, load_config(DEFAULT_CONFIG), store_path=Path(store_path))
        phases["constructed"] = time.time()
        article_list = None

    async def run() -> None:
        nonlocal article_list
        async with app.run_test(headless=True, size=SIZE) as pilot:
            await asyncio.wait_for(ready.wait(), 60)
            result["rss_start_mb"] = _status_mb("VmRSS")
            if mode == "minimal":
                return
            from tui.widgets.article_list import ArticleList

            article_list = app.query_one(ArticleList)
            result["articles"] = article_list.count
            result["widgets"] = _widget_types(app)
            result["list_children"] = len(article_list.children)
            if scroll:
                result["scroll"] = await _scroll(app, article_list, events)
                result["rss_end_mb"] = _status_mb("VmRSS")
                result["widgets_after"] = _widget_types(app)
                result["list_children_after"] = len(article_list.children)
            result["hwm_mb"] = _status_mb("VmHWM")
            await pilot.pause()

    cpu_ms: list[float] = []

    async def key_frame(key: str) -> float | None:
        """Send one key as the terminal would; ms until the next frame is displayed."""
        frame_shown.clear()
        cpu = time.process_time()
        sent = time.perf_counter()
        app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
        try:
            await asyncio.wait_for(frame_shown.wait(), 2.0)
        except TimeoutError:
            return None  # nothing changed on screen
        cpu_ms.append((time.process_time() - cpu) * 1000)  # this process's CPU for the key
        return (frames["last"] - sent) * 1000

    async def _scroll(app: App, article_list, events) -> dict:  # noqa: ANN001
        import gc

        out: dict = {"objects_before": len(gc.get_objects())}
        collections: list[float] = []
        began: list[float] = []

        def on_gc(phase: str, info: dict) -> None:
            if info["generation"] == 2:  # full collections: what pauses a frame
                if phase == "start":
                    began.append(time.perf_counter())
                else:
                    collections.append((time.perf_counter() - began[-1]) * 1000)

        gc.callbacks.append(on_gc)
        count = article_list.count
        started = time.perf_counter()
        j = [await key_frame("j") for _ in range(min(count, J_KEYS) - 1)]
        out["j_seconds"] = time.perf_counter() - started
        out["j_at_end"] = article_list.cursor == min(count, J_KEYS) - 1
        out["j_cpu_ms"] = list(cpu_ms)
        marks = [len(cpu_ms)]
        jumps = [await key_frame(k) for k in ("g", "G", "g")]
        marks.append(len(cpu_ms))
        pages = []
        while article_list.cursor < count - 1 and len(pages) < count:
            pages.append(await key_frame("pagedown"))
        marks.append(len(cpu_ms))
        k = [await key_frame("k") for _ in range(min(500, count - 1))]
        marks.append(len(cpu_ms))
        out["keys"] = {"j": j, "jumps": jumps, "pagedown": pages, "k": k}
        # The app process's CPU per key: what a busy machine does not stretch.
        bounds = [0, *marks]
        out["cpu"] = {
            name: cpu_ms[bounds[i] : bounds[i + 1]]
            for i, name in enumerate(("j", "jumps", "pagedown", "k"))
        }
        gc.callbacks.remove(on_gc)
        out["gc_full_ms"] = collections
        out["objects_after"] = len(gc.get_objects())
        return out

    asyncio.run(run())
    return result


# -- the parent ------------------------------------------------------------------


def spawn(mode: str, store: Path | None = None, scroll: bool = False, root: Path = ROOT) -> dict:
    """Run a probe in a fresh process (the app of the checkout at ``root``); its start-up
    in ms from spawn to ready."""
    args = [sys.executable, "-m", "tests.bench.bench_app", "probe", mode]
    if store is not None:
        args.append(str(store))
    if scroll:
        args.append("--scroll")
    env = dict(os.environ)
    if BYTECODE:  # compiled once (by the warm-up runs), then read, for both apps
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "briefing-bench-pyc")
    started = time.time()
    done = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=3600, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["startup_ms"] = (result["ready"] - started) * 1000
    marks = result["phases"]
    result["phase_ms"] = {  # where the start-up went
        "interpreter": (marks["entered"] - started) * 1000,
        "imports": (marks["imported"] - marks["entered"]) * 1000,
        "construct": (marks["constructed"] - marks["imported"]) * 1000,
        "to first frame": (result["ready"] - marks["constructed"]) * 1000,
    }
    return result


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def test_startup_ratio(big_store: Path) -> None:
    spawn("minimal"), spawn("briefing", big_store)  # warm the OS caches for both
    minimal: list[float] = []
    briefing: list[float] = []
    rss: list[float] = []
    phases: dict[str, dict[str, list[float]]] = {"minimal": {}, "briefing": {}}
    for _ in range(RUNS):  # alternating, so both see the same machine load
        for mode, times in (("minimal", minimal), ("briefing", briefing)):
            run = spawn(mode, big_store if mode == "briefing" else None)
            times.append(run["startup_ms"])
            for phase, value in run["phase_ms"].items():
                phases[mode].setdefault(phase, []).append(value)
        rss.append(run["rss_start_mb"])
    m, b = statistics.median(minimal), statistics.median(briefing)
    ratio = b / m
    print(
        f"\n[app start-up] {run['articles']} articles; process spawn -> first frame with "
        f"the list drawn, median of {RUNS}, modules "
        f"{'compiled once (PYTHONPYCACHEPREFIX)' if BYTECODE else 'as the environment has it'}"
        f":\n   minimal Textual app {m:.0f} ms "
        f"(runs {', '.join(f'{t:.0f}' for t in minimal)})\n   Briefing {b:.0f} ms "
        f"(runs {', '.join(f'{t:.0f}' for t in briefing)})\n   ratio {ratio:.2f} -> target "
        f"<= {START_RATIO_TARGET} {'met' if ratio <= START_RATIO_TARGET else 'MISSED'}; "
        f"VmRSS after start-up {statistics.median(rss):.0f} MB; "
        f"{sum(run['widgets'].values())} widgets on the screen, {run['list_children']} "
        f"inside the list"
    )
    for mode, by_phase in phases.items():
        print(
            f"   {mode:<8} phases (medians): "
            + ", ".join(f"{phase} {statistics.median(v):.0f} ms" for phase, v in by_phase.items())
        )
    print(
        f"   fastest runs: minimal {min(minimal):.0f} ms, Briefing {min(briefing):.0f} ms, "
        f"ratio {min(briefing) / min(minimal):.2f}"
    )
    assert run["articles"] > 0


def test_scrolling_and_memory(big_store: Path) -> None:
    runs = {"this code": []}
    if BEFORE is not None:
        runs = {"before": [], "this code": []}
    for r in range(SCROLL_ROUNDS):  # alternating with the code before, when given
        names = list(runs) if r % 2 == 0 else list(runs)[::-1]
        for name in names:
            root = BEFORE if name == "before" else ROOT
            runs[name].append(spawn("briefing", big_store, scroll=True, root=root))
    if SCROLL_ROUNDS > 1 or BEFORE is not None:
        print_rounds(runs)
    run = runs["this code"][-1]
    report_scrolling(run)
    assert all(r["scroll"]["j_at_end"] for rs in runs.values() for r in rs)


if "pytest" in sys.modules:  # not in the child: its start-up must not load pytest
    import pytest

    # Rounds of thousands of keys at 100,000 articles take longer than a hang's timeout.
    test_scrolling_and_memory = pytest.mark.timeout(0)(test_scrolling_and_memory)


def print_rounds(runs: dict[str, list[dict]]) -> None:
    """Per key: the median over rounds of each round's median, p95 and max, with spread."""
    rounds = len(next(iter(runs.values())))
    print(
        f"\n[scrolling, {rounds} rounds{', alternating' if len(runs) > 1 else ''}] ms from key "
        f"to its frame: median of the rounds' figures (min-max over rounds); load average "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    for name, results in runs.items():
        print(f"   {name}:")
        for key in ("j", "pagedown", "k", "jumps"):
            figures: dict[str, list[float]] = {"median": [], "p95": [], "max": []}
            for result in results:
                shown = [t for t in result["scroll"]["keys"][key] if t is not None]
                figures["median"].append(statistics.median(shown))
                figures["p95"].append(percentile(shown, 95))
                figures["max"].append(max(shown))
            print(
                f"      {key:<9} "
                + "; ".join(
                    f"{stat} {statistics.median(v):.1f} ({min(v):.1f}-{max(v):.1f})"
                    for stat, v in figures.items()
                )
            )
        for key in ("j", "pagedown", "k"):
            cpu = [statistics.median(r["scroll"]["cpu"][key]) for r in results]
            p95 = [percentile(r["scroll"]["cpu"][key], 95) for r in results]
            print(
                f"      {key:<9} CPU of the app per key: median {statistics.median(cpu):.1f} "
                f"({min(cpu):.1f}-{max(cpu):.1f}), p95 {statistics.median(p95):.1f}"
            )
        gcs = [len(r["scroll"]["gc_full_ms"]) for r in results]
        over = [
            sum(1 for ts in r["scroll"]["keys"].values() for t in ts if t and t >= FRAME_TARGET_MS)
            for r in results
        ]
        print(
            f"      full collections during the keys per round: {gcs}; frames >= "
            f"{FRAME_TARGET_MS:.0f} ms per round: {over} of "
            f"{sum(len(t) for t in results[0]['scroll']['keys'].values())} keys"
        )


def report_scrolling(run: dict) -> None:
    keys = run["scroll"]["keys"]
    print(
        f"\n[scrolling] {run['articles']} articles, terminal {SIZE[0]}x{SIZE[1]}; ms from key "
        f"to its frame:"
    )
    worst = 0.0
    for name, times in keys.items():
        shown = [t for t in times if t is not None]
        worst = max(worst, max(shown, default=0.0))
        print(
            f"   {name:<9} {len(times):>6} keys: median {statistics.median(shown):.1f}, "
            f"p95 {percentile(shown, 95):.1f}, max {max(shown):.1f}"
            + (f" ({len(times) - len(shown)} without a frame)" if len(shown) < len(times) else "")
        )
    for name, cpu in run["scroll"]["cpu"].items():
        if cpu:
            print(
                f"   {name:<9} CPU of the app per key: median {statistics.median(cpu):.1f}, "
                f"p95 {percentile(cpu, 95):.1f}, max {max(cpu):.1f} ms"
            )
    first = ", ".join(f"{t:.1f}" if t is not None else "-" for t in keys["j"][:3])
    later = [t for t in keys["j"][3:] if t is not None]
    print(
        f"   the first 3 j, sent as soon as the first frame is up: {first} ms; max of the "
        f"rest {max(later, default=0.0):.1f} ms"
    )
    print(
        f"   j end to end: {run['scroll']['j_seconds']:.1f} s for {len(keys['j'])} keys; "
        f"slowest frame {worst:.1f} ms -> target < {FRAME_TARGET_MS:.0f} ms "
        f"{'met' if worst < FRAME_TARGET_MS else 'MISSED'}"
    )
    gcs = run["scroll"]["gc_full_ms"]
    keys_sent = sum(len(t) for t in keys.values())
    if gcs:
        print(
            f"   full (gen 2) garbage collections while scrolling: {len(gcs)} in {keys_sent} "
            f"keys, median {statistics.median(gcs):.1f} ms, max {max(gcs):.1f} ms; "
            f"objects tracked {run['scroll']['objects_before']} -> "
            f"{run['scroll']['objects_after']}"
        )
    print(
        f"[memory] VmRSS after start-up {run['rss_start_mb']:.0f} MB, after scrolling "
        f"{run['rss_end_mb']:.0f} MB, peak (VmHWM) {run['hwm_mb']:.0f} MB -> target < "
        f"{RSS_TARGET_MB:.0f} MB {'met' if run['hwm_mb'] < RSS_TARGET_MB else 'MISSED'}; "
        f"{sum(run['widgets'].values())} widgets on the screen before scrolling, "
        f"{sum(run['widgets_after'].values())} after (new: "
        f"{ {k: v for k, v in run['widgets_after'].items() if v != run['widgets'].get(k)} }), "
        f"{run['list_children_after']} inside the list"
    )
    assert run["list_children_after"] == 0  # rows are drawn, never mounted


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "probe":
        mode = sys.argv[2]
        path = sys.argv[3] if len(sys.argv) > 3 and not sys.argv[3].startswith("--") else None
        figures = probe(mode, path, "--scroll" in sys.argv)
        print(json.dumps(figures))
    else:
        sys.exit("usage: python -m tests.bench.bench_app probe minimal|briefing [STORE] [--scroll]")
