"""Watchlists: after each fetch, look at the new articles for what each ``[[watch]]`` wants,
store the hits, and run the watch's ``notify_command`` for each new one.

A watch seen for the first time looks over the whole store once (so its list is not empty
until the next fetch) but notifies nothing for that backlog: a notify command is for news.
A failing or slow notify command is reported and never stops the rest.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field

from extract.config import WatchConfig
from extract.store.sqlx import SqlStore
from extract.store.watches import (
    Hit,
    find_matches,
    hits,
    last_looked_at,
    newest_article_id,
    record_hits,
)


@dataclass
class WatchReport:
    new_hits: list[Hit] = field(default_factory=list)
    backlog: int = 0  # hits of watches seen for the first time (not notified)
    notify_failures: list[str] = field(default_factory=list)


def hit_json(hit: Hit) -> dict[str, object]:
    return {
        "id": hit.id,
        "watch": hit.watch,
        "matched": hit.matched,
        "article_id": hit.article_id,
        "title": hit.title,
        "source": hit.source,
        "published": hit.published,
        "url": hit.url,
        "quote": hit.quote,
        "speaker": hit.speaker,
        "found_at": hit.found_at,
        "seen": hit.seen,
    }


def evaluate_watches(store: SqlStore, watches: tuple[WatchConfig, ...]) -> WatchReport:
    report = WatchReport()
    upto = newest_article_id(store)
    for watch in watches:
        after = last_looked_at(store, watch.name)
        if after is not None and after >= upto:
            continue  # nothing new since it last looked
        matches = find_matches(store, watch, after or 0, upto)
        ids = record_hits(store, watch.name, matches, upto)
        if after is None:
            report.backlog += len(ids)
            continue
        found = hits(store, ids=ids) if ids else []
        report.new_hits += found
        if watch.notify_command:
            for hit in found:
                problem = notify(watch, hit)
                if problem:
                    report.notify_failures.append(problem)
    return report


def notify(watch: WatchConfig, hit: Hit) -> str | None:
    """Run the watch's command with the hit as JSON on stdin; what went wrong, if anything."""
    command = list(watch.notify_command)
    try:
        done = subprocess.run(
            command,
            input=json.dumps(hit_json(hit), ensure_ascii=False),
            capture_output=True,
            text=True,
            timeout=watch.notify_timeout,
            check=False,
        )
    except FileNotFoundError:
        return f"watch {watch.name!r}: notify command not found: {command[0]!r}"
    except subprocess.TimeoutExpired:
        return (
            f"watch {watch.name!r}: notify command {command[0]!r} took longer than "
            f"{watch.notify_timeout:g} s and was stopped"
        )
    except OSError as exc:
        return f"watch {watch.name!r}: notify command {command[0]!r} failed: {exc}"
    if done.returncode != 0:
        err = " ".join(done.stderr.split())[:200]
        return (
            f"watch {watch.name!r}: notify command {command[0]!r} exited with "
            f"{done.returncode}" + (f": {err}" if err else "")
        )
    return None
