"""Helpers shared by the test kinds (unit, app, hostile, snapshots, bench).

Test modules import from here, never from one another.
"""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
