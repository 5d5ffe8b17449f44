"""The longest tests first, one queue each, so the suite's tail under pytest-xdist is
short tests, not a 30 s test that a worker picked up last.

`make test` runs ``--dist worksteal``: the controller splits the collection into one
contiguous queue per worker (in order, sizes as even as counts allow), and a worker that
runs dry takes the second half of the longest queue left (without workers, ``-n 0``,
nothing is reordered). So the order here builds those
queues: the long tests go to the front of the queues, longest first, each to the queue
with the least long work so far; the other tests fill the queues in collection order (so
tests that share fixtures stay together), and only they are ever stolen.

How long a test is is what it took in the last run here (wall time of its phases, kept in
pytest's cache as ``briefing/durations``, written by the controller when a run ends); a
test without a figure (a new one, a fresh clone) counts as ``SLOW_GUESS`` if it is marked
``slow``. Only the order changes, never which tests run; every worker computes the same
order from the same cache file (xdist checks that the collections match).
"""

from __future__ import annotations

import itertools

import pytest

CACHE_KEY = "briefing/durations"
SLOW_GUESS = 5.0  # seconds, for a test marked slow that has no figure yet
LONG = 3.0  # seconds: a test at least this long goes to the front of a queue


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
        figure = known.get(item.nodeid)
        if isinstance(figure, int | float):
            return float(figure)
        return SLOW_GUESS if item.get_closest_marker("slow") else 0.0

    longs = sorted((i for i in items if length(i) >= LONG), key=lambda i: -length(i))
    if workers < 2 or not longs:
        return  # one process: the order is pytest's (and --ff's, --lf's)
    queues: list[list[pytest.Item]] = [[] for _ in range(workers)]
    work = [0.0] * workers
    for item in longs:  # longest first, to the queue with the least long work so far
        k = min(range(workers), key=lambda q: (work[q], q))
        queues[k].append(item)
        work[k] += length(item)
    rest = iter(i for i in items if length(i) < LONG)
    for queue, size in zip(queues, _queue_sizes(len(items), workers)):
        queue.extend(itertools.islice(rest, max(0, size - len(queue))))
    queues[-1].extend(rest)  # none left unless a queue's long tests outnumber its share
    items[:] = [item for queue in queues for item in queue]


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_Recorder(config), "briefing-durations")


class _Recorder:
    """Adds up each test's phases (on the controller: every worker's reports) and keeps
    them in the cache when the run ends."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.seen: dict[str, float] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.seen[report.nodeid] = self.seen.get(report.nodeid, 0.0) + report.duration

    def pytest_sessionfinish(self) -> None:
        cache = getattr(self.config, "cache", None)
        if cache is None or hasattr(self.config, "workerinput") or not self.seen:
            return  # a worker's figures reach the controller, which writes them once
        # Merged with the old figures: a run of a few files keeps the others'.
        figures = {k: round(v, 2) for k, v in self.seen.items()}
        cache.set(CACHE_KEY, {**_durations(self.config), **figures})
