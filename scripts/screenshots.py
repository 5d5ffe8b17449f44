"""Export the README screenshots: ``.venv/bin/python scripts/screenshots.py [OUT_DIR]``.

Builds the demo briefing in a temporary store with the real ``briefing fetch
--demo`` (no network), drives the real app headless and saves SVGs of the
main screen and the quote lookup.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
from pathlib import Path

from extract.config import load_config
from extract.store import open_store

SIZE = (140, 40)
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def build_demo_store(path: Path) -> None:
    """Ingest the bundled demo feed into ``path`` with the real fetch command."""
    command = [
        str(Path(sys.executable).with_name("briefing")),
        "fetch",
        "--demo",
        "--progress",
        "none",
        "--store",
        str(path),
    ]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


async def export(store_path: Path, out: Path) -> list[Path]:
    from tui.app import BriefingApp

    store = open_store(store_path)
    app = BriefingApp(store, load_config(), store_path=store_path)
    saved = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "enter", "1", "down", "enter")  # a quote, highlighted
        await app.workers.wait_for_complete()  # opening marks it read, off the UI thread
        await pilot.pause()
        await pilot.press("tab")  # back to the article list
        await pilot.pause()
        saved.append(Path(app.save_screenshot("main.svg", str(out))))
        await pilot.press("l", *"nato")
        await pilot.pause()
        saved.append(Path(app.save_screenshot("quote-lookup.svg", str(out))))
    store.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store_path = Path(tmp) / "demo.sqlite3"
        build_demo_store(store_path)
        for path in asyncio.run(export(store_path, out)):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
