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

SLOW_DETAIL = int(os.environ.get("BENCH_SLOW_DETAIL", "40"))  # slow keys explained, at most
SAMPLE = os.environ.get("BENCH_SAMPLE", "0") != "0"  # sample the app's stack during keys
# BENCH_PROFILE_FIRST=PATH: a cProfile (CPU time of the app thread) of the first
# BENCH_PROFILE_KEYS `j` keys, written to PATH (python -m pstats PATH).
PROFILE_FIRST = os.environ.get("BENCH_PROFILE_FIRST", "")
PROFILE_KEYS = int(os.environ.get("BENCH_PROFILE_KEYS", "3"))


class KeyTrace:
    """What ran while one key waited for its frame, to explain a slow frame.

    Installed in the child only when it scrolls: the garbage collector's passes (any
    generation, with their duration), the timers that fired (Textual's ``Timer._tick``:
    the screen's 60 Hz update, the idle collection, the live refresh), the workers
    started, the widgets mounted, the screen update that drew the key's frame (its CPU),
    when the key's action ran, and the idle collector's own full passes. With
    ``BENCH_SAMPLE=1`` a thread also samples the app thread's stack every millisecond
    while a key is in flight (it takes the GIL: figures move a little), and a slow key
    is explained by the functions most often on the stack.
    """

    def __init__(self) -> None:
        self.on = False
        self.events: list[tuple[str, float, float]] = []  # (what, start, ms)
        self.samples: list[tuple[str, ...]] = []
        self._gc_start: dict[int, float] = {}
        self.action_at: float | None = None
        self.resumed_at: float | None = None  # the screen's update timer, since its last tick

    def note(self, what: str, start: float, ms: float = 0.0) -> None:
        if self.on:
            self.events.append((what, start, ms))

    def begin(self) -> None:
        self.events, self.samples, self.action_at, self.on = [], [], None, True

    def end(self) -> None:
        self.on = False

    def on_gc(self, phase: str, info: dict) -> None:
        generation = info["generation"]
        now = time.perf_counter()
        if phase == "start":
            self._gc_start[generation] = now
        elif generation in self._gc_start:
            began = self._gc_start.pop(generation)
            self.note(f"gc{generation}", began, (now - began) * 1000)

    def install(self) -> None:
        import gc
        import threading

        from textual.screen import Screen
        from textual.timer import Timer
        from textual.widget import Widget
        from textual.worker import Worker

        from tui.widgets.article_list import ArticleList

        gc.callbacks.append(self.on_gc)
        trace = self
        from textual._time import get_time as _monotonic

        tick, start, mount, resume = Timer._tick, Worker._start, Widget.mount, Timer.resume
        update, watch = Screen._on_timer_update, ArticleList.watch_cursor

        async def timed_tick(self, *, next_timer: float, count: int) -> None:  # noqa: ANN001
            began = time.perf_counter()
            if self.name == "screen_update":
                # Where on the timer's grid (monotonic time) this frame was due, and how
                # many grid points had passed between the update being asked for (the
                # timer resumed) and this one: 0 when it ran at the first chance.
                resumed = trace.resumed_at
                if trace.on and resumed is not None:
                    skipped = math.floor((next_timer - resumed) / self._interval - 1e-9)
                    trace.note(
                        f"screen tick due +{(next_timer - resumed) * 1000:.1f} ms after resume "
                        f"({max(0, skipped)} grid points skipped)",
                        began,
                    )
                trace.resumed_at = None
            await tick(self, next_timer=next_timer, count=count)
            if self.name != "screen_update":  # that one is timed below, with its CPU
                trace.note(f"timer {self.name}", began, (time.perf_counter() - began) * 1000)

        def noted_resume(self) -> None:  # noqa: ANN001
            if self.name == "screen_update" and trace.resumed_at is None:
                trace.resumed_at = _monotonic()
            resume(self)

        def timed_start(self, app, done_callback=None) -> None:  # noqa: ANN001
            trace.note(f"worker {self.name or self.group}", time.perf_counter())
            start(self, app, done_callback)

        def noted_mount(self, *widgets, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            trace.note(f"mount into {type(self).__name__}", time.perf_counter())
            return mount(self, *widgets, **kwargs)

        def timed_update(self) -> None:  # noqa: ANN001
            began, cpu = time.perf_counter(), time.thread_time()
            layout = self._layout_required
            update(self)
            trace.note(
                f"screen update{' with layout' if layout else ''} (CPU "
                f"{(time.thread_time() - cpu) * 1000:.1f} ms)",
                began,
                (time.perf_counter() - began) * 1000,
            )

        def noted_watch(self, old: int, new: int) -> None:  # noqa: ANN001
            if trace.on and trace.action_at is None:
                trace.action_at = time.perf_counter()
            watch(self, old, new)

        Timer._tick = timed_tick  # type: ignore[method-assign]
        Timer.resume = noted_resume  # type: ignore[method-assign]
        Worker._start = timed_start  # type: ignore[method-assign]
        Widget.mount = noted_mount  # type: ignore[method-assign]
        Screen._on_timer_update = timed_update  # type: ignore[method-assign]
        ArticleList.watch_cursor = noted_watch  # type: ignore[method-assign]
        if SAMPLE:
            main = threading.get_ident()
            threading.Thread(target=self._sample, args=(main,), daemon=True).start()

    def _sample(self, thread: int) -> None:
        import sys

        while True:
            time.sleep(0.001)
            if not self.on:
                continue
            frame = sys._current_frames().get(thread)
            stack = []
            while frame is not None:
                code = frame.f_code
                stack.append(f"{Path(code.co_filename).stem}.{code.co_name}")
                frame = frame.f_back
            self.samples.append(tuple(stack))

    def explain(self, sent: float, shown: float) -> dict:
        """What ran in the key's window (events of 1 ms or more, all GC of gen 1-2)."""
        ran = [
            f"{what} +{(at - sent) * 1000:.1f} ms" + (f" {ms:.1f} ms" if ms else "")
            for what, at, ms in self.events
            if ms >= 1.0 or not what.startswith(("gc0", "screen update", "timer"))
        ]
        out: dict = {"ran": ran}
        if self.action_at is not None:
            out["action_after_ms"] = round((self.action_at - sent) * 1000, 1)
        if self.samples:
            counts: dict[str, int] = {}
            for stack in self.samples:
                for name in set(stack[:25]):
                    counts[name] = counts.get(name, 0) + 1
            top = sorted(counts.items(), key=lambda kv: -kv[1])
            skip = ("base_events", "events", "bench_app", "message_pump", "runners", "app")
            out["samples"] = len(self.samples)
            out["on_stack"] = [f"{name} {n}" for name, n in top if not name.startswith(skip)][:12]
        return out


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _preempted() -> int:
    """How many times the OS took the CPU from this thread while it could still run
    (involuntary context switches): a frame that waited for other processes."""
    import resource

    return resource.getrusage(resource.RUSAGE_THREAD).ru_nivcsw


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
    trace = KeyTrace()

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

        if scroll:
            trace.install()
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
    slow: list[dict] = []  # the keys whose frame took FRAME_TARGET_MS or more, explained
    sent_keys = {"n": 0}

    async def key_frame(key: str) -> float | None:
        """Send one key as the terminal would; ms until the next frame is displayed."""
        frame_shown.clear()
        passes = app.collector.idle_passes  # type: ignore[attr-defined]
        trace.begin()
        cpu, own = time.process_time(), time.thread_time()
        switched = _preempted()
        sent = time.perf_counter()
        app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
        try:
            await asyncio.wait_for(frame_shown.wait(), 2.0)
        except TimeoutError:
            trace.end()
            return None  # nothing changed on screen
        trace.end()
        cpu_ms.append((time.process_time() - cpu) * 1000)  # this process's CPU for the key
        ms = (frames["last"] - sent) * 1000
        sent_keys["n"] += 1
        if (ms >= FRAME_TARGET_MS or sent_keys["n"] <= 3) and len(slow) < SLOW_DETAIL:
            slow.append(
                {
                    "key": key,
                    "nth": sent_keys["n"],
                    "ms": round(ms, 1),
                    "cpu_ms": round(cpu_ms[-1], 1),
                    "app_thread_cpu_ms": round((time.thread_time() - own) * 1000, 1),
                    "preempted": _preempted() - switched,
                    "idle_gc": app.collector.idle_passes - passes,  # type: ignore[attr-defined]
                    "load": round(os.getloadavg()[0], 2),
                    **trace.explain(sent, frames["last"]),
                }
            )
        return ms

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
        profile = None
        if PROFILE_FIRST:  # the app thread's CPU, by function, over the first keys
            import cProfile

            profile = cProfile.Profile(time.thread_time)
            profile.enable()
        j = []
        for n in range(min(count, J_KEYS) - 1):
            j.append(await key_frame("j"))
            if profile is not None and n + 1 == PROFILE_KEYS:
                profile.disable()
                profile.dump_stats(PROFILE_FIRST)
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
        # The keys came without a pause, so start-up's panes are still hidden: the frame
        # that shows them, once the keys pause (what ran in it, its CPU).
        shown = getattr(app.screen, "panes_shown", None)
        out["panes_hidden_through_keys"] = shown is False
        if shown is False:
            trace.begin()
            paused = time.perf_counter()
            while not app.screen.panes_shown and time.perf_counter() - paused < 5:
                frame_shown.clear()
                await asyncio.sleep(0.01)
            frame_shown.clear()
            await asyncio.wait_for(frame_shown.wait(), 5)
            trace.end()
            out["panes_shown"] = trace.explain(paused, frames["last"])
        gc.callbacks.remove(on_gc)
        out["gc_full_ms"] = collections
        out["slow"] = slow
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
        for i, result in enumerate(results):
            print_slow(result, f"round {i + 1}: ")
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


def print_slow(run: dict, name: str = "") -> None:
    """Every key whose frame took FRAME_TARGET_MS or more (and the first three keys):
    its CPU and what ran while it waited (GC passes, timers, workers, mounts)."""
    slow = run["scroll"].get("slow", [])
    print(
        f"   {name}keys explained (the first 3, then each frame >= {FRAME_TARGET_MS:.0f} ms"
        f", at most {SLOW_DETAIL}):"
    )
    for key in slow:
        print(
            f"      #{key['nth']} {key['key']}: {key['ms']:.1f} ms, CPU {key['cpu_ms']:.1f} ms "
            f"(app thread {key['app_thread_cpu_ms']:.1f}, taken off the CPU "
            f"{key.get('preempted', '-')} times), action after "
            f"{key.get('action_after_ms', '-')} ms, idle full GC {key['idle_gc']}, load "
            f"{key['load']}"
        )
        if key["ran"]:
            print("         ran: " + "; ".join(key["ran"]))
        if key.get("on_stack"):
            print(
                f"         on the stack ({key['samples']} samples): " + ", ".join(key["on_stack"])
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
    print_slow(run)
    if run["scroll"].get("panes_hidden_through_keys"):
        print(
            "   the reader and side panels (hidden while keys came without a pause), shown "
            "after the last key: " + "; ".join(run["scroll"]["panes_shown"]["ran"])
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
