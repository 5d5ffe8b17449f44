"""``briefing store check`` on PostgreSQL: what makes sense to check on a server.

The server keeps its own pages whole (WAL, checksums are the administrator's), and
foreign keys keep rows from pointing at nothing. What is left to look at is ours: the
schema version and tables, and rows a bug or an interrupted run could leave wrong:
an article whose count of quotes is not its quotes, a person no alias points at. Counts
are shown too: what the team's store holds, and how many analysts keep state in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.store.pg_migrations import PG_MIGRATIONS
from extract.store.sqlx import Sql

TABLES = (
    "feeds", "articles", "article_feeds", "entities", "quotes", "article_state", "people",
    "person_aliases", "person_blocks", "person_overrides", "watch_hits", "watch_state",
    "watch_seen",
)  # fmt: skip
COUNTED = ("feeds", "articles", "quotes", "entities", "people", "watch_hits")
MAX_LISTED = 20

# (what is checked, the SQL finding the ids of rows that fail it, why they are wrong)
ORPHANS: tuple[tuple[str, str, str], ...] = (
    (
        "quote counts",
        "SELECT a.id FROM articles a WHERE a.quote_count != "
        "(SELECT count(*) FROM quotes q WHERE q.article_id = a.id) ORDER BY a.id",
        "their quote count is not their quotes (an analysis half written)",
    ),
    (
        "people without a name",
        "SELECT p.id FROM people p WHERE NOT EXISTS "
        "(SELECT 1 FROM person_aliases x WHERE x.person_id = p.id) ORDER BY p.id",
        "no alias points at them (`briefing reprocess` links everyone again)",
    ),
)


@dataclass(slots=True)
class PgCheckReport:
    where: str
    version: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    analysts: int = 0  # analysts with read or starred state
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_pg(db: Sql, where: str) -> PgCheckReport:
    """Check the store ``db`` is connected to (read only)."""
    report = PgCheckReport(where)
    report.version = int(db.one("SELECT version FROM briefing_schema") or 0)
    report.checked.append("schema version")
    if report.version != len(PG_MIGRATIONS):
        report.problems.append(
            f"schema version {report.version}, this Briefing writes {len(PG_MIGRATIONS)}"
        )
    present = {
        r[0]
        for r in db.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
    }
    report.checked.append("tables")
    missing = [t for t in TABLES if t not in present]
    if missing:
        report.problems.append(
            f"table{'s' if len(missing) > 1 else ''} {', '.join(missing)} missing"
        )
        return report  # the row checks would fail on the missing tables
    for table in COUNTED:
        report.counts[table] = int(db.one(f"SELECT count(*) FROM {table}"))
    report.analysts = int(db.one("SELECT count(DISTINCT user_name) FROM article_state"))
    for name, sql, why in ORPHANS:
        report.checked.append(name)
        ids = [r[0] for r in db.execute(sql)]
        if ids:
            listed = ", ".join(str(i) for i in ids[:MAX_LISTED])
            more = f" and {len(ids) - MAX_LISTED} more" if len(ids) > MAX_LISTED else ""
            report.problems.append(f"{name}: {len(ids)} row(s) ({listed}{more}): {why}")
    return report
