"""The exported HTML in a real browser: headless Chromium renders the hostile briefing,
shows every quote, and no script in the feed text runs.

Needs Debian's ``chromium`` (CI's ``.ci/run`` installs it); without it the test is skipped
and says so.
"""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from extract.export import ExportFilter, build_briefing, render
from tests.helpers import hostile_briefing as hb

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (apt-get install chromium): the "
    "exported HTML is not checked in a real browser",
)


class Dom(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_chromium_renders_the_quotes_and_runs_no_script(tmp_path: Path) -> None:
    store = hb.build_hostile_store(tmp_path / "hostile.sqlite3")
    page = tmp_path / "briefing.html"
    page.write_text(render(build_briefing(store, ExportFilter()), "html"), encoding="utf-8")
    store.close()
    # The DOM after the page has loaded and any script would have run.
    out = chromium(
        "--virtual-time-budget=2000", "--dump-dom", page.as_uri(), profile=tmp_path / "profile"
    )
    assert out.returncode == 0 and "<body" in out.stdout, out.stderr[-2000:]
    dom = Dom(out.stdout)
    body = next(attrs for tag, attrs in dom.tags if tag == "body")
    assert hb.PWNED not in body, "a script from the feed text ran"
    assert not {tag for tag, _ in dom.tags} & {"script", "img", "iframe", "svg"}
    text = "".join(dom.text)
    assert hb.shown(hb.QUOTE) in text and hb.CALM_QUOTE in text
    assert hb.shown(hb.TITLE) in text and hb.shown(hb.SPEAKER) in text
    # And it paints: a screenshot of the page is a real PNG.
    shot = tmp_path / "shot.png"
    out = chromium(
        f"--screenshot={shot}",
        "--window-size=900,1200",
        page.as_uri(),
        profile=tmp_path / "profile",
    )
    assert out.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
