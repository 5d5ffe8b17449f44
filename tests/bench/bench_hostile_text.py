"""What one hostile text costs to analyse: CPU seconds and peak memory, each in a child.

Texts of 100,000 characters (the fetch's cut, ``MAX_ANALYSED_CHARS``): one word of
quote marks, quote marks between spaces, words with quote marks glued on, nested
reports ("Smith said Jones said ..."), and a plain news paragraph repeated, for
comparison. Each is analysed by ``analyse_text`` in a child process with the default
``[nlp] cpu_per_text``; the child prints its CPU time after the model load, its peak
RSS, and what the analysis says (stopped, cut, quotes found). Prints, never fails on time.

    .venv/bin/pytest -s tests/bench/bench_hostile_text.py
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers import REPO

CHILD = """
import json, resource, sys, time
from extract.config import NlpSettings
from extract.nlp import analyse_text, load_pipeline
from tests.helpers.hostile_pages import mixed_quote_marks, quote_marks_word, MARK_CHARS
N = 100_000
names = ("John Smith", "Mary Jones", "Ana Lopes")
texts = {
    "one word of quote marks": lambda: quote_marks_word(N),
    "quote marks between spaces": lambda: " ".join(MARK_CHARS[k % 9] for k in range(N // 2)),
    "words with quote marks glued on": lambda: mixed_quote_marks(N),
    "nested reports (X said Y said ...)": lambda: "".join(
        f"{names[k % 3]} said " for k in range(N // 12)) + "the talks would go on.",
    "news paragraph, repeated": lambda: ('The minister said the talks would continue and '
        '"nothing is agreed," officials added. ') * (N // 87),
}
text = texts[sys.argv[1]]()
settings = NlpSettings()
load_pipeline(settings)
started = time.process_time()
a = analyse_text(text, settings)
print(json.dumps({
    "cpu": time.process_time() - started,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "quotes": len(a.quotes),
    "said": a.skipped or a.note or "analysed",
}))
"""

KINDS = [
    "one word of quote marks",
    "quote marks between spaces",
    "words with quote marks glued on",
    "nested reports (X said Y said ...)",
    "news paragraph, repeated",
]


def test_hostile_text_costs() -> None:
    print(f"\n{'text (100,000 characters)':38} {'CPU s':>6} {'peak MB':>8}  outcome")
    for kind in KINDS:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, kind],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert out.returncode == 0, out.stderr[-800:]
        got = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{kind:38} {got['cpu']:6.1f} {got['rss_mb']:8.0f}  "
            f"{got['quotes']} quotes; {got['said']}"
        )
