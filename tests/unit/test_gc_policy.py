"""The app's garbage-collection policy: full passes wait for an idle moment."""

from __future__ import annotations

import gc
import time

import pytest

from tui.gc_policy import FULL_AFTER, IDLE_SECONDS, WORTH_IT, IdleCollector


def test_start_raises_the_full_threshold_and_stop_restores_it() -> None:
    before = gc.get_threshold()
    collector = IdleCollector()
    collector.start()
    try:
        assert gc.get_threshold() == (before[0], before[1], FULL_AFTER)
        assert gc.get_freeze_count() > 0  # what existed is left out of full passes
    finally:
        collector.stop()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_full_pass_waits_while_input_comes_and_runs_when_idle() -> None:
    collector = IdleCollector()
    collector.start()
    try:
        for _ in range(WORTH_IT):
            gc.collect(1)  # each young pass counts towards the next full one
        collector.touch()
        assert not collector.tick()  # a key just came: not now
        assert gc.get_count()[2] >= WORTH_IT
        collector.last_input = time.monotonic() - IDLE_SECONDS - 0.01
        assert collector.tick()
        assert gc.get_count()[2] == 0  # the full pass ran
        assert not collector.tick()  # and is not due again at once
        assert collector.idle_passes == 1
    finally:
        collector.stop()


def test_before_start_nothing_is_collected() -> None:
    collector = IdleCollector()
    collector.last_input = 0.0
    assert not collector.tick()


class FakeClock:
    """``time.monotonic`` for the policy: moves only when the test (or a sleep) moves it."""

    def __init__(self, now: float) -> None:
        self.now = now

    def monotonic(self) -> float:
        return self.now


class FakeSleep:
    """``asyncio.sleep`` for the policy: records each wait and moves the clock by it; a
    key (``touch``) comes during the first wait when ``key_in_first`` is set."""

    def __init__(self, clock: FakeClock, collector: IdleCollector) -> None:
        self.clock, self.collector = clock, collector
        self.slept: list[float] = []
        self.key_in_first = False

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.clock.now += seconds
        if self.key_in_first and len(self.slept) == 1:
            self.collector.touch()


@pytest.fixture
def paused(monkeypatch: pytest.MonkeyPatch) -> FakeSleep:
    """A collector whose clock and sleeps are fake (times in eighths: exact in binary)."""
    from types import SimpleNamespace

    from tui import gc_policy

    clock = FakeClock(100.0)
    monkeypatch.setattr(gc_policy, "time", clock)
    fake = FakeSleep(clock, IdleCollector())
    monkeypatch.setattr(gc_policy, "asyncio", SimpleNamespace(sleep=fake.sleep))
    return fake


async def test_input_pause_waits_until_no_key_has_come_for_the_quiet_time(
    paused: FakeSleep,
) -> None:
    clock, collector = paused.clock, paused.collector
    clock.now = 100.01
    await collector.input_pause(0.125)  # no input yet: at once
    assert paused.slept == []
    clock.now = 100.0
    collector.touch()  # input last seen at 100.0
    paused.key_in_first = True  # a key comes while it waits: the pause starts again
    clock.now = 100.0625
    await collector.input_pause(0.125)
    assert paused.slept == [0.0625, 0.125]
    assert clock.now - collector.last_input == 0.125

    paused.slept.clear()
    clock.now += 5.0  # nothing pressed for a while: at once
    await collector.input_pause(0.125)
    assert paused.slept == []


async def test_input_pause_since_counts_a_moment_as_input(paused: FakeSleep) -> None:
    # Start-up waits from its first frame even before any key has come (``since``), and a
    # key pressed in that wait starts it again.
    clock, collector = paused.clock, paused.collector
    paused.key_in_first = True  # the first key, pressed as the wait began to run out
    await collector.input_pause(0.125, since=clock.now)  # no input ever: still waits
    assert paused.slept == [0.125, 0.125]
    paused.slept.clear()
    clock.now += 1.0
    await collector.input_pause(0.125, since=clock.now - 1.0)  # long past: at once
    assert paused.slept == []
