"""Throughput of analyse_texts against a bare nlp.pipe of the same model.

Texts: the quote-eval articles when ../shared/quote-eval exists (read only,
never copied), else the seed article repeated. Prints tokens/second for
  * bare ``nlp.pipe`` (same model components, without the briefing ones),
  * the same without the lemmatizer (what dropping it would save),
  * ``analyse_texts`` with processes=1 and processes=2,
and the overhead of the quote and entity work (target <= 15 %) and the
2-process speed-up (target >= 1.6x on 2 cores).

The speed-up comes from one run: ``ROUNDS`` (env BENCH_ROUNDS, default 5) rounds,
each timing processes=1 and processes=2 back to back (in alternating order), plus
spaCy's own ``nlp.pipe(n_process=2)`` for comparison. Reported: the ratio of the
medians, the median of the per-round ratios, and the median ratio of the quiet
rounds (other processes below ``QUIET`` cores during both runs), if any. The
worker pool is started once before the rounds (steady state, as in an ingest);
its start-up is timed on its own and also reported added to one 2-process run.
Each run also reports how many cores *other* processes used meanwhile (from
/proc/stat, less this process and its workers): 2 processes on 2 cores cannot
reach 1.6x while others take more than about a third of a core.

    .venv/bin/pytest -s tests/bench/bench_nlp_speed.py
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

from extract.config import NlpSettings
from extract.nlp import analyse_texts, load_pipeline, resolve_model
from extract.nlp import pool as nlp_pool
from extract.nlp.model import EXCLUDED

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
QUIET = 0.25  # cores used by other processes below which a round counts as quiet
EVAL = Path(__file__).resolve().parents[3] / "shared" / "quote-eval" / "polnear_dev_articles.jsonl"
SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed" / "nato-russia.txt"


def corpus() -> tuple[list[str], str]:
    if EVAL.exists():
        texts = [json.loads(line)["text"] for line in EVAL.open(encoding="utf-8") if line.strip()]
        return texts, f"{len(texts)} quote-eval articles"
    print(f"\n{EVAL} not found: using the seed article repeated 60 times")
    return [SEED.read_text(encoding="utf-8")] * 60, "seed article x60"


def measure(run) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process). CPU time is what the 1-process
    comparison uses: other work on the machine inflates wall time, not CPU time."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def best_of(n: int, run) -> tuple[float, float]:
    runs = [measure(run) for _ in range(n)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def _machine_busy() -> float:
    """CPU seconds used by the whole machine since boot (all cores)."""
    try:
        with open("/proc/stat") as f:
            ticks = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return float("nan")
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # less idle, iowait


def _ours() -> float:
    """CPU seconds of this process, its reaped children and the live pool workers."""
    t = os.times()
    total = t.user + t.system + t.children_user + t.children_system
    for pid in nlp_pool.worker_pids():
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
    return total


def timed(run) -> tuple[float, float]:
    """(wall seconds, cores used by other processes meanwhile)."""
    busy, ours, wall = _machine_busy(), _ours(), time.perf_counter()
    run()
    wall = time.perf_counter() - wall
    others = (_machine_busy() - busy) - (_ours() - ours)
    return wall, max(0.0, others / wall)


def test_nlp_speed() -> None:
    import spacy

    from extract.nlp.attribution import attribute

    texts, label = corpus()
    settings = NlpSettings()
    name = resolve_model(settings.model)
    bare = spacy.load(name, exclude=list(EXCLUDED))
    no_lemma = spacy.load(name, exclude=[*EXCLUDED, "lemmatizer"])
    nlp = load_pipeline(settings)
    list(bare.pipe(texts[:8]))  # warm-up
    list(analyse_texts(texts[:8], settings))
    docs = list(bare.pipe(texts, batch_size=settings.batch_size))
    tokens = sum(len(doc) for doc in docs)
    load_before = os.getloadavg()

    def pipe(model):
        return lambda: list(model.pipe(texts, batch_size=settings.batch_size))

    bare_t = best_of(2, pipe(bare))
    nolem_t = best_of(2, pipe(no_lemma))
    one_t = best_of(2, lambda: list(analyse_texts(texts, settings)))
    rules_t = best_of(2, lambda: [attribute(doc) for doc in docs])

    print(
        f"\ncorpus: {label}, {tokens} tokens, model {name}, {os.cpu_count()} CPUs, "
        f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}"
    )
    print(f"pipeline: {', '.join(nlp.pipe_names)}")
    print("                           tokens/s (wall)  tokens/s (CPU)")
    for what, (wall, cpu) in (
        ("bare nlp.pipe", bare_t),
        ("bare, no lemmatizer", nolem_t),
        ("analyse_texts processes=1", one_t),
        ("quote+entity rules alone", rules_t),
    ):
        print(f"{what:27s}{tokens / wall:12.0f}{tokens / cpu:16.0f}")
    overhead = (one_t[1] - bare_t[1]) / bare_t[1] * 100
    print(
        f"quote+entity overhead (CPU): {overhead:.1f}%; rules alone "
        f"{rules_t[1] / bare_t[1] * 100:.1f}% of bare (target <= 15%)"
    )

    # -- processes = 2 against 1, back to back -----------------------------------
    two = NlpSettings(processes=2, fit_to_free_cpus=False)
    nlp_pool.shutdown_pool()
    startup, _ = timed(lambda: nlp_pool.start_workers(two))
    cold, _ = timed(lambda: list(analyse_texts(texts, two)))  # first run: workers fresh
    runs: dict[str, list[tuple[float, float]]] = {"1": [], "2": [], "spacy": []}

    def spacy_mp():
        return list(nlp.pipe(texts, batch_size=settings.batch_size, n_process=2))

    for r in range(ROUNDS):
        order = (("1", settings), ("2", two)) if r % 2 == 0 else (("2", two), ("1", settings))
        for key, s in order:
            runs[key].append(timed(lambda s=s: list(analyse_texts(texts, s))))
        runs["spacy"].append(timed(spacy_mp))
    nlp_pool.shutdown_pool()
    print(
        f"\nprocesses=2 against 1, {ROUNDS} rounds back to back; wall s (cores used "
        "by other processes meanwhile)"
    )
    for key, what in (
        ("1", "analyse_texts processes=1"),
        ("2", "analyse_texts processes=2"),
        ("spacy", "spaCy nlp.pipe n_process=2"),
    ):
        each = "  ".join(f"{w:5.2f} ({o:.2f})" for w, o in runs[key])
        median = statistics.median(w for w, _ in runs[key])
        print(f"{what:27s}{each}   median {median:5.2f} s = {tokens / median:6.0f} tokens/s")
    one_m = statistics.median(w for w, _ in runs["1"])
    two_m = statistics.median(w for w, _ in runs["2"])
    ratios = [a[0] / b[0] for a, b in zip(runs["1"], runs["2"])]
    quiet = [a[0] / b[0] for a, b in zip(runs["1"], runs["2"]) if max(a[1], b[1]) < QUIET]
    print(
        f"pool start-up (fork 2 workers, first chunk): {startup:.2f} s; first 2-process run "
        f"{cold:.2f} s, with start-up {startup + cold:.2f} s = "
        f"{one_m / (startup + cold):.2f}x the median 1-process run"
    )
    print(
        f"spaCy n_process=2 (median): {one_m / statistics.median(w for w, _ in runs['spacy']):.2f}x"
    )
    print(
        f"speed-up with 2 processes (wall, steady state): {one_m / two_m:.2f}x by medians; "
        f"per round {', '.join(f'{r:.2f}x' for r in ratios)}, median "
        f"{statistics.median(ratios):.2f}x; quiet rounds (others < {QUIET} cores): "
        + (f"{len(quiet)}, median {statistics.median(quiet):.2f}x" if quiet else "none")
        + "; target >= 1.6x"
    )
    print(
        f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; other "
        f"processes used {statistics.median(o for r in runs.values() for _, o in r):.2f} "
        "cores (median over the runs)"
    )
    assert tokens > 0
