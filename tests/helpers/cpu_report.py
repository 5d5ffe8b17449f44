"""``pytest --cpu-durations=N``: the N tests that cost the most CPU time.

Wall-clock durations (``--durations``) mostly measure how busy the machine was; CPU
time of the test's own process plus the children it waited for is what a test costs
wherever it runs, so this is the figure to look at when making the suite faster. Works
under pytest-xdist: each worker puts the figure in the report's ``user_properties``.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Generator

import pluggy
import pytest

KEY = "cpu_seconds"
_LAST = pytest.StashKey[float]()  # the CPU clock when the previous phase ended


def _cpu_now() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--cpu-durations",
        type=int,
        default=0,
        metavar="N",
        help="show the N tests that cost the most CPU time (this process + its children)",
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pluggy.Result[pytest.TestReport], None]:
    outcome = yield
    report = outcome.get_result()
    # makereport runs after the phase: the phase's CPU is measured from the previous hook
    # call of this item (or the item's start) to now.
    report.user_properties.append((KEY, _elapsed(item)))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, None, None]:
    item.stash[_LAST] = _cpu_now()
    yield


def _elapsed(item: pytest.Item) -> float:
    now = _cpu_now()
    spent = now - item.stash.get(_LAST, now)
    item.stash[_LAST] = now
    return spent


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    count = terminalreporter.config.getoption("--cpu-durations")
    if not count:
        return
    totals: dict[str, float] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for key, value in getattr(report, "user_properties", ()):
                if key == KEY:
                    totals[report.nodeid] = totals.get(report.nodeid, 0.0) + value
    ranked = sorted(totals.items(), key=lambda item: -item[1])
    terminalreporter.write_sep("=", f"{count} tests that cost the most CPU time")
    for nodeid, seconds in ranked[:count]:
        terminalreporter.write_line(f"{seconds:7.2f}s  {nodeid}")
    terminalreporter.write_line(f"{sum(totals.values()):7.1f}s  in all ({len(totals)} tests)")
