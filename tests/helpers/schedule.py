"""The longest tests first, one queue each, so the suite's tail under pytest-xdist is
short tests, not a 30 s test that a worker picked up last.

`make test` runs ``--dist worksteal``: the controller splits the collection into one
contiguous queue per worker (in order, sizes as even as counts allow), and a worker that
runs dry takes the second half of the longest queue left. So the order here builds those
queues: the long tests go to the front of the queues, longest first, each to the queue
with the least long work so far; the other tests fill the queues in collection order (so
tests that share fixtures stay together), and only they are ever stolen.

How long a test is is how long its call took in the last run here (kept in pytest's cache
as ``briefing/durations``, written by the controller when a run ends). Without figures
(a fresh clone), or without workers (``-n 0``), nothing is reordered. Only the order
changes, never which tests run; every worker computes the same order from the same cache
file (xdist checks that the collections match).
"""

from __future__ import annotations

import itertools

import pytest

CACHE_KEY = "briefing/durations"
# A test goes to the front of a queue when it took at least this share of one worker's
# part of the last run (all the figures over the workers): ~9 s on an idle 2-core
# machine with 4 workers. A share, not seconds, so a run on a busy machine, where every
# test takes longer, picks the same tests.
SHARE = 1 / 20


def _durations(config: pytest.Config) -> dict[str, float]:
    cache = getattr(config, "cache", None)  # None with -p no:cacheprovider
    found = cache.get(CACHE_KEY, {}) if cache is not None else {}
    return found if isinstance(found, dict) else {}


def _queue_sizes(count: int, workers: int) -> list[int]:
    """How xdist's worksteal scheduler first splits ``count`` tests over ``workers``."""
    sizes = []
    for i in range(workers):
        sizes.append(count // (workers - i))
        count -= sizes[-1]
    return sizes


@pytest.hookimpl(trylast=True)  # after any other reordering (e.g. --ff)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    known = _durations(config)

    def length(item: pytest.Item) -> float:
        figure = known.get(item.nodeid, 0.0)
        return float(figure) if isinstance(figure, int | float) else 0.0

    long = sum(length(i) for i in items) / max(workers, 1) * SHARE
    longs = sorted((i for i in items if long and length(i) >= long), key=lambda i: -length(i))
    if workers < 2 or not longs:
        return  # one process, or no figures yet: the order is pytest's (and --ff's, --lf's)
    queues: list[list[pytest.Item]] = [[] for _ in range(workers)]
    work = [0.0] * workers
    for item in longs:  # longest first, to the queue with the least long work so far
        k = min(range(workers), key=lambda q: (work[q], q))
        queues[k].append(item)
        work[k] += length(item)
    chosen = set(map(id, longs))
    rest = iter(i for i in items if id(i) not in chosen)
    for queue, size in zip(queues, _queue_sizes(len(items), workers)):
        queue.extend(itertools.islice(rest, max(0, size - len(queue))))
    queues[-1].extend(rest)  # none left unless a queue's long tests outnumber its share
    items[:] = [item for queue in queues for item in queue]


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_Recorder(config), "briefing-durations")


class _Recorder:
    """Notes each test's call (on the controller: every worker's reports) and keeps the
    figures in the cache when the run ends."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.seen: dict[str, float] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # The test's own call: a session fixture's setup is paid by whichever test comes
        # first, so counting it would send that test (and the fixture) to another queue.
        if report.when == "call":
            self.seen[report.nodeid] = report.duration

    def pytest_sessionfinish(self) -> None:
        cache = getattr(self.config, "cache", None)
        if cache is None or hasattr(self.config, "workerinput") or not self.seen:
            return  # a worker's figures reach the controller, which writes them once
        # Merged with the old figures: a run of a few files keeps the others'.
        figures = {k: round(v, 2) for k, v in self.seen.items()}
        cache.set(CACHE_KEY, {**_durations(self.config), **figures})
