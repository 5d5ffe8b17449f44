"""The suite's own order (tests/helpers/schedule.py): the long tests at the front of the
queues xdist's worksteal scheduler hands each worker, the rest in collection order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.helpers import schedule


@dataclass
class Item:
    nodeid: str
    slow: bool = False

    def get_closest_marker(self, name: str) -> object | None:
        return object() if name == "slow" and self.slow else None


@dataclass
class Cache:
    figures: dict[str, float]

    def get(self, key: str, default: Any) -> Any:
        return self.figures if key == schedule.CACHE_KEY else default


@dataclass
class Config:
    cache: Cache
    workerinput: dict[str, Any] = field(default_factory=dict)


def ordered(items: list[Item], figures: dict[str, float], workers: int) -> list[str]:
    config = Config(Cache(figures), {"workercount": workers})
    schedule.pytest_collection_modifyitems(config, items)  # type: ignore[arg-type]
    return [i.nodeid for i in items]


def test_queue_sizes_are_xdist_worksteal_split() -> None:
    assert schedule._queue_sizes(10, 4) == [2, 2, 3, 3]
    assert sum(schedule._queue_sizes(1123, 4)) == 1123


def test_long_tests_lead_each_queue_and_the_rest_keep_their_order() -> None:
    items = [Item(f"t{n}") for n in range(12)]
    # Two workers: each one's part is 50 s, so a long test takes at least 2.5 s.
    figures = {"t3": 40.0, "t7": 30.0, "t9": 20.0, "t1": 8.0, "t2": 2.0}
    got = ordered(items, figures, workers=2)
    queues = [got[:6], got[6:]]  # what worksteal hands gw0 and gw1
    assert queues[0][:2] == ["t3", "t1"] and queues[1][:2] == ["t7", "t9"]
    rest = [n for n in got if n not in ("t3", "t7", "t9", "t1")]
    assert rest == ["t0", "t2", "t4", "t5", "t6", "t8", "t10", "t11"]


def test_without_figures_or_workers_the_order_is_pytest_s() -> None:
    items = [Item("a"), Item("b", slow=True), Item("c"), Item("d")]
    assert ordered(items, {}, workers=2) == ["a", "b", "c", "d"]
    assert ordered(items, {"c": 9.0}, workers=1) == ["a", "b", "c", "d"]
