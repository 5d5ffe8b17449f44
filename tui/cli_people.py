"""``briefing people``: the people registry on the command line, and the analyst's corrections.

    briefing people [--json] [--search TEXT] [--overrides]
    briefing people show PERSON
    briefing people merge PERSON INTO
    briefing people split PERSON ALIAS
    briefing people rename PERSON NAME

PERSON is an id (``#12`` or ``12``), a name or alias as written, or a surname; a name that
fits several people is an error listing them (exit 1), never a guess.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from extract.ingest.events import json_line
from extract.safe_text import safe
from extract.store import PeopleError, StoreApi
from extract.store.records import PersonRow, StoredQuote
from tui.cli_store import PgTarget, command_store


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    people = sub.add_parser(
        "people",
        parents=[common],
        help="the people of the briefing; merge, split, rename",
        description="Everyone quoted or named in the briefing, one row per person however "
        'they were written ("Donald J. Trump", "Mr. Trump"), most quoted '
        "first. Corrections (merge, split, rename) are kept in the store and "
        "hold on every later fetch and reprocess.",
    )
    people.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    people.add_argument(
        "--search", metavar="TEXT", help="only people with a name or alias containing TEXT"
    )
    people.add_argument(
        "--overrides", action="store_true", help="list the corrections made so far, oldest first"
    )
    people.add_argument("--limit", type=int, default=200, help="at most this many (200)")
    verbs = people.add_subparsers(dest="verb", metavar="VERB")
    show = verbs.add_parser(
        "show",
        parents=[common],
        help="one person: aliases with why, roles, outlets",
        description="One person's profile: every alias "
        "with why it was linked, roles seen, outlets, who they mention.",
    )
    show.add_argument("person", metavar="PERSON")
    show.add_argument("--json", action="store_true", help="one JSON object")
    merge = verbs.add_parser(
        "merge",
        parents=[common],
        help="PERSON is INTO: join them",
        description="Join two people: every alias, quote and mention of "
        "PERSON moves to INTO, and PERSON is gone.",
    )
    merge.add_argument("person", metavar="PERSON")
    merge.add_argument("into", metavar="INTO")
    split = verbs.add_parser(
        "split",
        parents=[common],
        help="take an alias off a person",
        description="Take ALIAS (and the aliases spelled like it) off "
        "PERSON into a new person; PERSON never takes that "
        "name again by a linking rule.",
    )
    split.add_argument("person", metavar="PERSON")
    split.add_argument("alias", metavar="ALIAS")
    rename = verbs.add_parser(
        "rename",
        parents=[common],
        help="show a person under NAME",
        description="Show PERSON as NAME from now on.",
    )
    rename.add_argument("person", metavar="PERSON")
    rename.add_argument("name", metavar="NAME")


def run(
    store_path: Path, args: argparse.Namespace, pg: PgTarget | None = None, user: str = ""
) -> int:
    """On PostgreSQL the people are the team's: a correction is everyone's, and names
    its analyst (``user``) in ``--overrides``."""
    with command_store(store_path, pg, user) as store:
        return _verb(store, args)  # a PeopleError is said by tui.cli.main, exit 1


def _verb(store: StoreApi, args: argparse.Namespace) -> int:
    if args.verb == "merge":
        source, into = one_person(store, args.person), one_person(store, args.into)
        store.merge_people(source.id, into.id)
        _say(f"merged '{source.name}' (#{source.id}) into '{into.name}' (#{into.id})")
        return 0
    if args.verb == "split":
        who = one_person(store, args.person)
        new = store.split_person(who.id, args.alias)
        _say(f"'{args.alias}' is now #{new}, apart from '{who.name}' (#{who.id})")
        return 0
    if args.verb == "rename":
        who = one_person(store, args.person)
        store.rename_person(who.id, args.name)
        _say(f"#{who.id} '{who.name}' is now '{store.person(who.id).name}'")  # type: ignore[union-attr]
        return 0
    if args.verb == "show":
        return _show(store, one_person(store, args.person).id, args.json)
    if args.overrides:
        return _overrides(store, args.json)
    return _list(store.people(args.search, args.limit), args.json)


def one_person(store: StoreApi, name: str) -> PersonRow:
    """The one person ``name`` means, or a PeopleError naming the candidates."""
    found = store.find_people(name)
    if not found:
        hint = store.people(name.strip().split()[-1] if name.strip() else name, 5)
        near = "; did you mean " + ", ".join(_label(p) for p in hint) + "?" if hint else ""
        raise PeopleError(f"no one in the briefing is called '{name}'{near}")
    if len(found) > 1:
        raise PeopleError(
            f"'{name}' is ambiguous: "
            + ", ".join(_label(p) for p in found[:10])
            + "; use the full name or the #id"
        )
    return found[0]


def _label(p: PersonRow) -> str:
    return f"{p.name} (#{p.id}, {p.quotes} quotes)"


def _say(message: str) -> None:
    Console().print(Text(safe(message)))


def _list(rows: list[PersonRow], as_json: bool) -> int:
    if as_json:
        for p in rows:
            print(json_line(asdict(p)))
        return 0
    table = Table(title=f"{len(rows)} people")
    for column in ("id", "name", "kind", "quotes", "mentions", "articles", "seen", "aliases"):
        table.add_column(column, overflow="fold")
    for p in rows:
        seen = f"{(p.first_seen or '')[:10]} – {(p.last_seen or '')[:10]}"
        more = f" (+{p.alias_count - len(p.aliases)})" if p.alias_count > len(p.aliases) else ""
        table.add_row(
            str(p.id),
            Text(safe(p.name)),
            p.kind,
            str(p.quotes),
            str(p.mentions),
            str(p.articles),
            seen,
            Text(safe("; ".join(p.aliases)) + more),
        )
    Console().print(table)
    return 0


def _show(store: StoreApi, person_id: int, as_json: bool) -> int:
    profile = store.person_profile(person_id)
    assert profile is not None  # found a moment ago, in this process
    if as_json:
        print(json_line(asdict(profile)))
        return 0
    p = profile.person
    console = Console()
    console.print(
        Text(
            safe(
                f"{p.name} (#{p.id}, {p.kind}): {p.quotes} quotes, "
                f"{p.mentions} mentions in {p.articles} articles, "
                f"{(p.first_seen or '?')[:10]} to {(p.last_seen or '?')[:10]}"
            )
        )
    )
    aliases = Table(title=f"aliases ({p.alias_count})")
    aliases.add_column("alias", overflow="fold")
    aliases.add_column("why", overflow="fold")
    for a in profile.aliases:
        aliases.add_row(Text(safe(a.alias)), Text(safe(a.why)))
    console.print(aliases)
    for role in profile.roles:
        console.print(
            Text(safe(f"role: {role.role} ({role.source}, {(role.published or '')[:10]})"))
        )
    for source, n in profile.outlets:
        console.print(Text(safe(f"outlet: {source} ({n} quotes)")))
    return 0


def _overrides(store: StoreApi, as_json: bool) -> int:
    rows = store.person_overrides()
    if as_json:
        for o in rows:
            print(json_line(asdict(o)))
        return 0
    table = Table(title=f"{len(rows)} corrections")
    by = any(o.by for o in rows)  # a team's store names who made each
    for column in ("when", "action", "what", "person now", *(("by",) if by else ())):
        table.add_column(column, overflow="fold")
    for o in rows:
        now = f"{o.person_name} (#{o.person_id})" if o.person_id else "(gone)"
        who = (Text(safe(o.by)),) if by else ()
        table.add_row(o.created_at[:19], o.action, Text(safe(o.detail)), Text(safe(now)), *who)
    Console().print(table)
    return 0


def speaker_quotes(store: StoreApi, name: str, since: str | None, limit: int) -> list[StoredQuote]:
    """Quotes by the person ``name`` means, under every alias; a PeopleError naming the
    candidates when it means no one or several people. A speaker that is no person ("the
    mayor") is matched as written."""
    try:
        who = one_person(store, name)
    except PeopleError as exc:
        written = store.quotes_by(name, since, limit)
        if written and "ambiguous" not in str(exc):
            return written
        raise
    if who.name.casefold() != name.strip().casefold():
        print(f"briefing: '{safe(name)}' is {safe(_label(who))}", file=sys.stderr)
    return store.quotes_by(since=since, limit=limit, person_id=who.id)
