"""``briefing people`` and ``briefing quotes --speaker`` on a real store (the command line in
this process: tests/helpers/cli.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.store import open_store
from tests.helpers.cli import briefing
from tests.helpers.people import add

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "s.sqlite3"
    with open_store(path) as s:
        add(s, "2016-09-01", ["Donald Trump"], said={"Donald Trump": "walls and tariffs"})
        add(
            s,
            "2016-09-02",
            ["Donald J. Trump"],
            roles={"Donald J. Trump": "the nominee"},
            source="Ledger",
        )
        add(s, "2016-09-03", ["Hillary Clinton", "Bill Clinton"])
        add(s, "2016-09-04", ["Awa Diarra"])
    return path


@pytest.mark.parametrize("verb", [[], ["show"], ["merge"], ["split"], ["rename"]])
def test_people_verbs_have_help(verb: list[str]) -> None:
    out = briefing("people", *verb, "--help")
    assert out.returncode == 0 and "--store" in out.stdout


def test_people_lists_one_row_per_person(store_path: Path) -> None:
    out = briefing("people", "--json", "--store", str(store_path))
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert (rows[0]["name"], rows[0]["quotes"]) == ("Donald Trump", 2)
    assert sorted(rows[0]["aliases"]) == ["Donald J. Trump", "Donald Trump"]
    assert len(rows) == 4
    out = briefing("people", "--search", "clint", "--store", str(store_path))
    assert "Hillary Clinton" in out.stdout and "Bill Clinton" in out.stdout
    assert "Trump" not in out.stdout


def test_quotes_by_speaker_take_any_alias_or_a_unique_surname(store_path: Path) -> None:
    out = briefing("quotes", "--speaker", "Diarra", "--json", "--store", str(store_path))
    assert out.returncode == 0 and "Awa Diarra" in out.stderr
    assert [json.loads(line)["speaker"] for line in out.stdout.splitlines()] == ["Awa Diarra"]
    out = briefing("quotes", "--speaker", "mr. trump", "--json", "--store", str(store_path))
    assert len(out.stdout.splitlines()) == 2, out.stderr


def test_an_ambiguous_or_unknown_speaker_is_exit_1_with_candidates(store_path: Path) -> None:
    out = briefing("quotes", "--speaker", "Clinton", "--store", str(store_path))
    assert out.returncode == 1 and out.stdout == ""
    assert "ambiguous" in out.stderr
    assert "Hillary Clinton" in out.stderr and "Bill Clinton" in out.stderr
    out = briefing("quotes", "--speaker", "Nobody Known", "--store", str(store_path))
    assert out.returncode == 1 and "no one in the briefing is called" in out.stderr


def test_corrections_are_kept_and_listed(store_path: Path) -> None:
    store = ["--store", str(store_path)]
    out = briefing("people", "merge", "Bill Clinton", "Hillary Clinton", *store)
    assert out.returncode == 0, out.stderr
    out = briefing("people", "split", "Hillary Clinton", "Bill Clinton", *store)
    assert out.returncode == 0, out.stderr
    out = briefing("people", "rename", "Bill Clinton", "William J. Clinton", *store)
    assert out.returncode == 0, out.stderr
    out = briefing("people", "--overrides", "--json", *store)
    actions = [json.loads(line)["action"] for line in out.stdout.splitlines()]
    assert actions == ["merge", "split", "rename"]
    out = briefing("quotes", "--speaker", "William J. Clinton", "--json", *store)
    assert [json.loads(line)["speaker"] for line in out.stdout.splitlines()] == ["Bill Clinton"]


def test_show_gives_aliases_with_why_roles_and_outlets(store_path: Path) -> None:
    out = briefing("people", "show", "Trump", "--json", "--store", str(store_path))
    assert out.returncode == 0, out.stderr
    profile = json.loads(out.stdout)
    assert {a["alias"]: a["why"] for a in profile["aliases"]}["Donald J. Trump"].startswith(
        "same name"
    )
    assert [r["role"] for r in profile["roles"]] == ["the nominee"]
    assert sorted(o[0] for o in profile["outlets"]) == ["Ledger", "Wire"]
