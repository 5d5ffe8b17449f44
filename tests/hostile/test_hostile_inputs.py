"""Hostile configs, OPML lists and slow sites (issue 16, the medium and low items):
every one a clear message and a non-zero exit or a bounded run, never a traceback,
a hang or a lost feed. Real files, FIFOs and devices, the real ``briefing`` command,
the real local server.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from extract.config import ConfigError, FetchSettings, load_config
from extract.errors import InputError
from extract.ingest.opml import parse_opml
from extract.nlp import ModelNotFound, resolve_model
from tests.helpers.hardening import Tally, briefing, cli_problems
from tests.helpers.httpserver import TestServer
from tests.helpers.isolation import config_no_regular_file, run_deadline, special_file

FEED = '[[feeds]]\nname = "World"\n'


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\npath = "{tmp_path / "store.sqlite3"}"\n' + text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        (FEED + 'url = "http://[::1"\n', "feeds[0].url", "not a valid URL"),
        (FEED + 'url = "http://127.0.0.1:99999/rss"\n', "feeds[0].url", "invalid port"),
        (FEED + 'url = "https://news.example:65536/rss"\n', "feeds[0].url", "invalid port"),
        (FEED + 'url = "~nosuchuser_briefing_xyz/feed.xml"\n', "feeds[0].url", "nosuchuser"),
        ('[fetch]\nuser_agent = "Brïefing ☃"\n', "fetch.user_agent", "ASCII"),
        ("[fetch]\ntimeout = nan\n", "fetch.timeout", "finite"),
        ("[fetch]\nconnect_timeout = inf\n", "fetch.connect_timeout", "finite"),
        ("[fetch]\nrun_timeout = nan\n", "fetch.run_timeout", "finite"),
        ("[fetch]\nrun_timeout = 0\n", "fetch.run_timeout", "greater than 0"),
        (
            FEED + 'url = "http://a.example/rss"\n[feeds.fetch]\nrun_timeout = 5\n',
            "feeds[0].fetch.run_timeout",
            "unknown key",
        ),
        ('[nlp]\nmodel = "rich; import os"\n', "nlp.model", "spaCy pipeline"),
    ],
)
def test_bad_config_values_are_errors_naming_the_key(
    tmp_path: Path, text: str, key: str, words: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(_config(tmp_path, text))
    assert caught.value.key == key and words in caught.value.problem


def test_processes_are_capped_at_the_cpus(tmp_path: Path) -> None:
    config = load_config(_config(tmp_path, "[nlp]\nprocesses = 100000\n"))
    assert config.nlp.processes == (os.cpu_count() or 1)


def test_only_spacy_pipelines_are_loaded() -> None:
    """``model = "rich"`` names an installed package that is no pipeline: refused, not
    imported by spacy.load."""
    with pytest.raises(ModelNotFound, match="rich"):
        resolve_model("rich")
    assert resolve_model("en_core_web_sm")  # the real one still resolves


@pytest.mark.slow
def test_config_check_of_hostile_values_says_why_without_a_traceback(tmp_path: Path) -> None:
    for text in (
        FEED + 'url = "http://[::1"\n',
        FEED + 'url = "http://h.example:70000/"\n',
        '[nlp]\nmodel = "rich"\n',
    ):
        out = briefing("config", "--check", "--config", str(_config(tmp_path, text)), timeout=60)
        assert cli_problems("config --check (issue 16)", out) == []
        assert out.returncode in (ConfigError.exit_code, ModelNotFound.exit_code), out.stderr
        assert b"Traceback" not in out.stderr and b"briefing:" in out.stderr


@pytest.mark.parametrize("kind", ["dev_zero", "fifo", "directory"])
def test_a_config_that_is_no_regular_file_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    config_no_regular_file(Tally(), tmp_path, kind)


# -- OPML ---------------------------------------------------------------------

OPML = (
    '<?xml version="1.0" encoding="{enc}"?><opml version="2.0"><body>'
    '<outline text="Café Nürnberg" xmlUrl="https://cafe.example/rss"/>'
    '<outline text="Broken" xmlUrl="http://[::1"/>'
    '<outline text="Bad port" xmlUrl="http://h.example:99999/rss"/>'
    '<outline text="Fine" xmlUrl="https://fine.example/rss"/></body></opml>'
)


def read_opml(data: bytes) -> list[tuple[str, str]]:
    listed = parse_opml(data)
    return [(f.name, f.url) for f in listed.feeds] if listed else []


EXPECTED = [("Café Nürnberg", "https://cafe.example/rss"), ("Fine", "https://fine.example/rss")]


@pytest.mark.parametrize("encoding", ["utf-8", "iso-8859-1", "windows-1252", "utf-16"])
def test_opml_is_read_in_its_declared_encoding(encoding: str) -> None:
    assert read_opml(OPML.format(enc=encoding).encode(encoding)) == EXPECTED


def test_undeclared_latin1_opml_keeps_its_accents() -> None:
    body = OPML.format(enc="x").split("?>", 1)[1].encode("latin-1")
    assert read_opml(body) == EXPECTED


@pytest.mark.slow
def test_opml_command_reads_latin1_and_skips_bad_urls(tmp_path: Path) -> None:
    path = tmp_path / "subs.opml"
    path.write_bytes(OPML.format(enc="iso-8859-1").encode("latin-1"))
    out = briefing("opml", str(path), timeout=60)
    assert cli_problems("opml latin-1", out) == []
    assert out.returncode == 0
    assert "Café Nürnberg" in out.stdout.decode() and "[::1" not in out.stdout.decode()


@pytest.mark.parametrize("kind", ["dev_zero", "fifo", "directory"])
@pytest.mark.slow
def test_opml_of_a_special_file_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    out = briefing("opml", str(special_file(tmp_path, kind)), timeout=60)
    assert cli_problems(f"opml on {kind}", out) == []
    assert out.returncode == InputError.exit_code and b"cannot read" in out.stderr, out.stderr


# -- the run's deadline ---------------------------------------------------------


@pytest.mark.slow
def test_the_run_deadline_leaves_slow_pages_for_the_next_run(
    tmp_path: Path, http_server: TestServer
) -> None:
    tally = Tally()
    run_deadline(tally, tmp_path, http_server)
    assert tally.hangs == []


# -- private addresses ----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "private"),
    [
        ("http://10.1.2.3/x", True),
        ("http://169.254.169.254/latest/meta-data/", True),
        ("http://192.168.0.1/", True),
        ("http://172.16.5.4:8080/", True),
        ("http://127.0.0.1:9/", True),
        ("http://localhost/", True),
        ("http://a.localhost/", True),
        ("http://[::1]/", True),
        ("http://[fd00::1]/", True),
        ("http://[::ffff:10.0.0.1]/", True),
        ("http://0.0.0.0/", True),
        ("http://100.64.0.1/", True),
        ("http://8.8.8.8/", False),
        ("https://news.example.com/a", False),
        ("http://[2001:4860:4860::8888]/", False),
        ("http://[::1", False),
    ],
)
def test_private_addresses_are_told_apart(url: str, private: bool) -> None:
    from extract.urls import is_private_address

    assert is_private_address(url) is private


def test_private_redirects_only_from_private_feeds_or_when_allowed() -> None:
    from extract.ingest.fetch import private_allowed

    public, local = "https://news.example.com/rss", "http://127.0.0.1:8000/rss"
    assert not private_allowed(public, FetchSettings())
    assert private_allowed(local, FetchSettings())
    assert private_allowed(public, FetchSettings(private_redirects=True))


async def test_a_redirect_to_a_private_address_is_refused(http_server: TestServer) -> None:
    """The real server (on loopback) stands in for a public site: ``fetch_url`` checks
    the redirects (not the address it starts from), told its feed was public, and the
    redirect to the cloud metadata address is refused before any connection is tried.
    A page link straight to a private address is refused by ``fetch_page``."""
    from urllib.parse import quote

    from extract.ingest.fetch import Fetcher

    target = "http://169.254.169.254/latest/meta-data/"
    url = http_server.url("/redirect-to?url=" + quote(target, safe=""))
    async with Fetcher(FetchSettings(timeout=2.0, connect_timeout=1.0)) as fetcher:
        refused = await fetcher.fetch_url(url, private=False)
        direct = await fetcher.fetch_page(target, private=False)
    assert not refused.ok and "private address" in (refused.reason or "")
    assert refused.final_url == target
    assert not direct.ok and "private address" in (direct.reason or "")


# -- briefing analyse ------------------------------------------------------------


@pytest.mark.slow
def test_analyse_keeps_the_fetch_bounds_and_says_why_in_the_table(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    # The bounds at a hundredth of their defaults: the same cuts and messages as a 300 kB
    # file and 120,000 characters, without analysing 30,000 words (~12 s of CPU).
    config.write_text("[fetch]\nmax_bytes = 2000\n[nlp]\nmax_chars = 1000\n")
    big = tmp_path / "big.txt"
    big.write_text("x" * 3_000)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # nothing writes: reading would block for ever
    long = tmp_path / "long.txt"
    long.write_text("Rain. " * 200)  # 1,200 characters, under the byte cap
    small = tmp_path / "small.txt"
    small.write_text("“We will stay,” said Ana Ruiz, the mayor of Vigo.")
    # A read of the FIFO would block for ever: the command's timeout (raising
    # TimeoutExpired) is the hang guard, not a clock.
    out = briefing(
        "analyse", "--config", str(config), str(big), str(fifo), str(long), str(small), timeout=600
    )
    assert cli_problems("analyse (bounds)", out) == []
    shown = out.stdout.decode()
    assert out.returncode == 1  # two files could not be read
    assert "big.txt: skipped: " in shown and "larger than 2,000 bytes" in shown
    assert "pipe.txt: skipped: " in shown and "not a regular file" in shown
    assert "only the first 1,000 of 1,200 characters were analysed" in shown
    assert "Ana Ruiz" in shown
