"""Generate a large, realistic Briefing store quickly, without spaCy.

    python -m tests.bench.gen_store PATH --articles 10000 --quotes 100000 [--seed 1]

What it writes, through the real schema (``open_store`` migrates a fresh file,
then every row goes in with plain INSERTs in one transaction, so the FTS
triggers index articles and quotes exactly as ``Store.add_article`` would):

- a dozen feeds with tags, each article linked to one feed (some to two);
- articles with realistic titles, several paragraphs of body text, a summary,
  an author, published dates spread over nine months, compressed HTML, a few
  feed-summary-only, failed and non-English articles, some read and starred;
- entities (PERSON with role and canonical name, ORG, GPE, NORP, DATE) whose
  offsets point at the words in the body;
- quotes whose spans point at the quoted words in the body: direct and
  indirect, explicit speakers, pronoun ("she said") and inherited
  (a following paragraph that is only a quote) resolutions, unattributed ones;
  speakers come from a pool of a few hundred named people with roles.

Deterministic for a given seed. 10,000 articles / 100,000 quotes take seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sqlite3
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from extract.people import parse_name
from extract.store import open_store
from extract.store import people as people_sql
from extract.store.sqlx import Sql

ANALYSED_WITH = "gen_store; briefing bench"
CLEANED_WITH = "gen_store"
ADDED_AT = "2025-01-02T00:00:00+00:00"
START = datetime(2024, 4, 1, tzinfo=UTC)
SPAN_DAYS = 275  # about nine months

# -- vocabulary ----------------------------------------------------------------

FIRST_F = [
    "Julianne",
    "Anna",
    "Marta",
    "Nadia",
    "Sofia",
    "Ingrid",
    "Leila",
    "Chiara",
    "Amara",
    "Hannah",
    "Elena",
    "Grace",
    "Yuki",
    "Priya",
    "Fatima",
    "Claire",
    "Olga",
    "Maria",
    "Ruth",
    "Beatriz",
    "Kerstin",
    "Aoife",
    "Zanele",
    "Camille",
    "Lucia",
    "Mei",
    "Naledi",
    "Sara",
    "Agnieszka",
    "Helena",
]
FIRST_M = [
    "Jens",
    "Alexander",
    "Henrik",
    "Peter",
    "Ruud",
    "Tomasz",
    "Luca",
    "Kwame",
    "David",
    "Omar",
    "Hiroshi",
    "Rajesh",
    "Pierre",
    "Carlos",
    "Stefan",
    "Mikhail",
    "Liam",
    "Andrzej",
    "Mateo",
    "Viktor",
    "Samuel",
    "Joao",
    "Emeka",
    "Felix",
    "Arjun",
    "Conor",
    "Nikos",
    "Jonas",
    "Rafael",
    "Dmitri",
]
SURNAMES = [
    "Smith",
    "Stoltenberg",
    "Grushko",
    "Adler",
    "Petrova",
    "Kowalczyk",
    "Jansen",
    "Novak",
    "Becker",
    "Haugen",
    "Moreau",
    "Rossi",
    "Okafor",
    "Tanaka",
    "Sharma",
    "Haddad",
    "Fischer",
    "Lindqvist",
    "Murphy",
    "Mensah",
    "Santos",
    "Kovacs",
    "Papadopoulos",
    "Nakamura",
    "Ivanova",
    "Dubois",
    "Garcia",
    "Schneider",
    "Kelly",
    "Nowak",
    "Costa",
    "Yilmaz",
    "Hansen",
    "Silva",
    "Ward",
    "Brennan",
    "Osei",
    "Lambert",
    "Vogel",
    "Sato",
    "Ahmed",
    "Chen",
    "Larsen",
    "Bauer",
    "Horvat",
    "Marino",
    "Keller",
    "Duarte",
    "Wojcik",
    "Kruger",
    "Eriksen",
    "Ferreira",
    "Morales",
    "Nilsson",
    "Popescu",
    "Reyes",
    "Takahashi",
    "Varga",
    "Zimmermann",
    "Oduya",
]
COUNTRIES = [
    ("Germany", "German"),
    ("France", "French"),
    ("Italy", "Italian"),
    ("Poland", "Polish"),
    ("Spain", "Spanish"),
    ("Ireland", "Irish"),
    ("Norway", "Norwegian"),
    ("Japan", "Japanese"),
    ("India", "Indian"),
    ("Brazil", "Brazilian"),
    ("Canada", "Canadian"),
    ("Kenya", "Kenyan"),
    ("Nigeria", "Nigerian"),
    ("Turkey", "Turkish"),
    ("Greece", "Greek"),
    ("Sweden", "Swedish"),
    ("Finland", "Finnish"),
    ("Ukraine", "Ukrainian"),
    ("Russia", "Russian"),
    ("China", "Chinese"),
    ("Mexico", "Mexican"),
    ("Egypt", "Egyptian"),
    ("Australia", "Australian"),
    ("Chile", "Chilean"),
    ("South Africa", "South African"),
    ("the Netherlands", "Dutch"),
    ("the United States", "American"),
    ("Britain", "British"),
]
CITIES = [
    "Brussels",
    "Berlin",
    "Paris",
    "Warsaw",
    "Rome",
    "Madrid",
    "Dublin",
    "Oslo",
    "Tokyo",
    "New Delhi",
    "Brasilia",
    "Ottawa",
    "Nairobi",
    "Lagos",
    "Ankara",
    "Athens",
    "Stockholm",
    "Helsinki",
    "Kyiv",
    "Moscow",
    "Beijing",
    "Geneva",
    "Washington",
    "London",
    "Rotterdam",
    "Hamburg",
    "Frankfurt",
    "Vienna",
    "Lisbon",
    "Singapore",
]
ORGS = [
    "NATO",
    "the European Commission",
    "the IMF",
    "the World Bank",
    "the WHO",
    "the European Central Bank",
    "the OECD",
    "the United Nations",
    "Gazprom",
    "Maersk",
    "Siemens",
    "the Federal Reserve",
    "the African Union",
    "the European Environment Agency",
    "Kepler Energy",
    "Harbor Wire Research",
    "the International Energy Agency",
    "the Bank of Japan",
    "the WTO",
    "Equinor",
    "the Red Cross",
    "Amnesty International",
    "Capital Dispatch Analytics",
    "the European Parliament",
    "Eurostat",
    "the Arctic Council",
    "ASML",
    "TSMC",
    "the G7",
    "Oxfam",
]
ROLE_TEMPLATES = [
    "{adj} foreign minister",
    "{adj} finance minister",
    "{adj} energy minister",
    "{adj} defence minister",
    "{adj} prime minister",
    "{adj} ambassador to NATO",
    "spokesperson for {org}",
    "chief economist at {org}",
    "head of {org}",
    "senior analyst at {org}",
    "director of research at {org}",
    "{adj} trade commissioner",
    "{adj} health minister",
    "a negotiator for {org}",
    "deputy head of {org}",
    "{adj} central bank governor",
    "president of {org}",
    "an adviser to {org}",
]
REPORTERS = [
    "Anna Field",
    "Lena Haugen",
    "Peter Novak",
    "Julia Becker",
    "Tom Reilly",
    "Sunita Rao",
    "Marco Bellini",
    "Aisha Bello",
    "Kenji Mori",
    "Eva Lund",
]
DAYS = [
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "on Saturday",
    "on Sunday",
    "last week",
    "this month",
    "earlier this year",
]

TOPICS: dict[str, dict[str, list[str]]] = {
    "energy": {
        "objects": [
            "gas prices",
            "energy costs",
            "the gas storage targets",
            "power bills",
            "the windfall tax",
            "new pipeline capacity",
            "the price cap on gas",
            "LNG imports",
            "electricity subsidies",
            "the grid connection rules",
        ],
        "headline": [
            "warns of shutdowns as {object} stay high",
            "weighs limits on {object}",
            "moves to cut {object}",
            "faces pressure over {object}",
        ],
    },
    "defence": {
        "objects": [
            "troop deployments",
            "the alliance's eastern flank",
            "arms deliveries",
            "the defence budget",
            "air defence systems",
            "the new security guarantees",
            "military exercises",
            "ammunition production",
            "the arms control talks",
            "border security",
        ],
        "headline": [
            "pledges more spending on {object}",
            "rejects demands over {object}",
            "holds talks on {object}",
            "signals shift on {object}",
        ],
    },
    "trade": {
        "objects": [
            "chip export rules",
            "tariffs on steel",
            "the trade agreement",
            "rare earth supplies",
            "container shipping rates",
            "port congestion",
            "export controls",
            "the customs checks",
            "supply chains",
            "semiconductor subsidies",
        ],
        "headline": [
            "tightens {object}",
            "seeks exemption from {object}",
            "warns {object} will hurt growth",
            "opens review of {object}",
        ],
    },
    "economy": {
        "objects": [
            "interest rates",
            "the growth outlook",
            "inflation",
            "the budget deficit",
            "public debt",
            "wage growth",
            "the housing market",
            "consumer spending",
            "the corporate tax rate",
            "the bond market",
        ],
        "headline": [
            "cuts forecast for {object}",
            "says {object} will slow",
            "keeps a close watch on {object}",
            "sets out plans for {object}",
        ],
    },
    "climate": {
        "objects": [
            "flood defences",
            "emissions targets",
            "the carbon price",
            "drought planning",
            "heatwave warnings",
            "coastal erosion",
            "the adaptation fund",
            "renewable capacity",
            "Arctic shipping routes",
            "melting sea ice",
        ],
        "headline": [
            "says {object} lag behind the risks",
            "unveils plan on {object}",
            "is urged to act on {object}",
            "spends billions on {object}",
        ],
    },
    "health": {
        "objects": [
            "vaccine supplies",
            "hospital waiting lists",
            "the pandemic treaty",
            "booster campaigns",
            "drug prices",
            "the health budget",
            "patent waivers",
            "testing capacity",
            "nurses' pay",
            "clinical trials",
        ],
        "headline": [
            "pushes for fairer {object}",
            "struggles with {object}",
            "agrees deal on {object}",
            "criticised over {object}",
        ],
    },
}

QUOTE_SUBJECTS = [
    "We",
    "Our members",
    "Our partners",
    "The people I speak to",
    "Our allies",
    "Businesses",
    "Families",
    "Ministers",
    "Our negotiators",
    "Farmers",
]
QUOTE_VERBS = [
    "will not accept",
    "are ready to discuss",
    "cannot ignore",
    "must address",
    "have warned for months about",
    "will never compromise on",
    "are deeply concerned about",
    "welcome the progress on",
    "need clarity on",
    "are not asking for favours on",
    "have already paid a high price for",
    "will keep working on",
    "see no quick fix for",
    "expect real movement on",
]
QUOTE_TAILS = [
    "this winter",
    "before the summit",
    "in the coming months",
    "next year",
    "without delay",
    "at any price",
    "for the sake of our workers",
    "as long as it takes",
    "whatever the markets say",
    "in good faith",
    "before it is too late",
    "together with our neighbours",
]
QUOTE_SECOND = [
    "That is not a negotiating position, it is a fact.",
    "The numbers speak for themselves.",
    "Time is running out.",
    "Nobody should be surprised by this.",
    "We said so a year ago.",
    "This is about trust.",
    "There is no plan B.",
    "We will see who blinks first.",
    "The door remains open.",
    "It is not too late to change course.",
]
INDIRECT_SUBJECTS = [
    "the government",
    "the alliance",
    "the bank",
    "the commission",
    "its members",
    "the talks",
    "ministers",
    "the company",
    "regulators",
    "the negotiators",
]
INDIRECT_VERBS = [
    "would review",
    "was prepared to revisit",
    "could not rule out changes to",
    "had underestimated",
    "would announce new measures on",
    "was watching closely",
    "would not back down on",
    "expected progress on",
    "had already spent heavily on",
    "needed more time to assess",
]
NARRATIVE = [
    "{org} said {day} that {object} had become a central concern in {city}.",
    "Officials in {city} have spent weeks preparing for talks on {object}.",
    "The debate over {object} has divided {country} and its neighbours.",
    "{org} published new figures {day} showing sharp swings in {object}.",
    "Delegations from {country} and {country2} met in {city} {day} to discuss {object}.",
    "Markets in {city} reacted calmly to the news about {object}.",
    "{nationality} officials have long argued that {object} needs a common approach.",
    "A report by {org} found that {object} would shape policy for years.",
    "The dispute over {object} comes as {country} prepares for a difficult winter, with "
    "households and businesses already struggling with higher costs.",
    "Talks in {city} {day} ended without agreement, although both sides said they would meet "
    "again before the end of the month to discuss {object}.",
    "{nationality} lawmakers have asked {org} to publish its assessment of {object}, which "
    "critics say has been delayed for political reasons.",
    "Figures released by {org} {day} suggested that the pressure from {object} would ease only "
    "slowly, and that {country} would be among the hardest hit.",
    "Several governments have already acted: {country} has announced a review of {object}, "
    "and {country2} is expected to follow within weeks.",
    "Critics in {city} say the plans for {object} are too timid, while supporters argue that "
    "a faster approach would put jobs at risk.",
    "In {city}, where {org} has its headquarters, the mood {day} was cautious rather than alarmed.",
]
NOMINAL_SPEAKERS = [
    "Officials",
    "Diplomats",
    "Analysts",
    "Economists",
    "Two people familiar with the talks",
    "Industry groups",
]

FEEDS: list[tuple[str, str, tuple[str, ...]]] = [
    ("Wire World", "https://wire.example/world.xml", ("world", "europe")),
    ("Wire Business", "https://wire.example/business.xml", ("business",)),
    ("Daily Ledger", "https://ledger.example/rss", ("business", "markets")),
    ("Capital Dispatch", "https://capitaldispatch.example/rss", ("politics", "europe")),
    ("Harbor Wire", "https://harborwire.example/rss", ("shipping", "trade")),
    ("Polar Times", "https://polartimes.example/feed", ("climate", "arctic")),
    ("Health Watch", "https://healthwatch.example/atom", ("health",)),
    ("Security Brief", "https://securitybrief.example/rss", ("defence", "world")),
    ("Energy Desk", "https://energydesk.example/rss", ("energy", "business")),
    ("Asia Monitor", "https://asiamonitor.example/rss", ("asia", "world")),
    ("Africa Report", "https://africareport.example/rss", ("africa", "world")),
    ("Americas Daily", "https://americasdaily.example/rss", ("americas", "world")),
]


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    surname: str
    pronoun: str  # "she" / "he"
    role: str


def speaker_pool(rng: random.Random, size: int = 360) -> list[Person]:
    """``size`` distinct named people, each with a role."""
    people: list[Person] = []
    seen: set[str] = set()
    while len(people) < size:
        female = rng.random() < 0.5
        first = rng.choice(FIRST_F if female else FIRST_M)
        last = rng.choice(SURNAMES)
        name = f"{first} {last}"
        if name in seen:
            continue
        seen.add(name)
        adj = rng.choice(COUNTRIES)[1]
        role = rng.choice(ROLE_TEMPLATES).format(adj=adj, org=rng.choice(ORGS))
        people.append(Person(name, last, "she" if female else "he", role))
    return people


# -- one article -----------------------------------------------------------------


@dataclass
class Body:
    """A body being written: paragraphs, with entities and quotes at their offsets."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    para_start: int = 0
    entities: list[tuple] = field(default_factory=list)
    quotes: list[tuple] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    _para: list[str] = field(default_factory=list)

    def add(self, text: str) -> int:
        """Append text to the current paragraph; its start offset."""
        start = self.length
        self.parts.append(text)
        self._para.append(text)
        self.length += len(text)
        return start

    def ent(
        self, label: str, text: str, canonical: str | None = None, role: str | None = None
    ) -> tuple[int, int]:
        start = self.add(text)
        self.entities.append((label, text, canonical or text, role, start, start + len(text)))
        return start, start + len(text)

    def end_paragraph(self) -> None:
        self.paragraphs.append("".join(self._para))
        self._para = []
        self.parts.append("\n\n")
        self.length += 2
        self.para_start = self.length

    def quote(
        self,
        kind: str,
        words: str,
        start: int,
        speaker: str | None,
        mention: tuple[str, int, int] | None,
        role: str | None,
        cue: str | None,
        resolution: str,
    ) -> None:
        """A quote of ``words`` written at ``start``, in the current paragraph (its sentence)."""
        m_text, m_start, m_end = mention if mention else (None, None, None)
        self.quotes.append(
            (
                kind,
                words,
                f"[[{start}, {start + len(words)}]]",
                speaker,
                m_text,
                m_start,
                m_end,
                role,
                cue,
                resolution,
                self.para_start,
                self.length,
            )
        )

    def text(self) -> str:
        return "".join(self.parts).rstrip("\n")


class ArticleWriter:
    def __init__(self, rng: random.Random, people: list[Person]) -> None:
        self.rng, self.people = rng, people
        self.forms: dict[str, str] = {}

    def pick(self, items: list[str]) -> str:
        return self.rng.choice(items)

    def quote_words(self, topic: dict[str, list[str]], second: bool) -> str:
        r = self.rng
        words = (
            f"{r.choice(QUOTE_SUBJECTS)} {r.choice(QUOTE_VERBS)} {r.choice(topic['objects'])}"
            f" {r.choice(QUOTE_TAILS)}."
        )
        if second:
            words = f"{words} {r.choice(QUOTE_SECOND)}"
        return words[:-1] + ","  # “..., ” she said.

    def clause(self, topic: dict[str, list[str]]) -> str:
        r = self.rng
        return (
            f"{r.choice(INDIRECT_SUBJECTS)} {r.choice(INDIRECT_VERBS)} "
            f"{r.choice(topic['objects'])} {r.choice(QUOTE_TAILS)}"
        )

    def narrative(self, b: Body, topic: dict[str, list[str]]) -> None:
        r = self.rng
        template = r.choice(NARRATIVE)
        country, nationality = r.choice(COUNTRIES)
        country2 = r.choice(COUNTRIES)[0]
        # Write the template piece by piece so entity offsets are exact.
        fills = {
            "org": ("ORG", r.choice(ORGS)),
            "city": ("GPE", r.choice(CITIES)),
            "country": ("GPE", country),
            "country2": ("GPE", country2),
            "nationality": ("NORP", nationality),
            "day": ("DATE", r.choice(DAYS)),
            "object": (None, r.choice(topic["objects"])),
        }
        rest, first = template, True
        while "{" in rest:
            before, _, after = rest.partition("{")
            key, _, rest = after.partition("}")
            label, value = fills[key]
            if first and before == "":  # the sentence starts with it: "The IMF said"
                value = value[0].upper() + value[1:]
            first = False
            b.add(before)
            if label:
                b.ent(label, value)
            else:
                b.add(value)
        b.add(rest)

    def context(self, b: Body, topic: dict[str, list[str]], sentences: int) -> None:
        """A paragraph of ``sentences`` narrative sentences."""
        for n in range(sentences):
            if n:
                b.add(" ")
            self.narrative(b, topic)
        b.end_paragraph()

    def written_forms(self, cast: list[Person]) -> dict[str, str]:
        """How this article writes each person's name, as the analysis would store it:
        mostly the plain name, sometimes with a middle initial or a title, sometimes the
        surname alone (when no one else in the article has it), so the people registry
        links aliases across articles."""
        r, forms = self.rng, {}
        surnames = [p.surname for p in cast]
        for p in cast:
            roll = r.random()
            first = p.name.rsplit(" ", 1)[0]
            if roll < 0.04:
                forms[p.name] = f"{first} {chr(65 + r.randrange(26))}. {p.surname}"
            elif roll < 0.07:
                forms[p.name] = f"{r.choice(('Dr.', 'Minister', 'President'))} {p.name}"
            elif roll < 0.10 and surnames.count(p.surname) == 1:
                forms[p.name] = p.surname
            else:
                forms[p.name] = p.name
        return forms

    def form(self, person: Person) -> str:
        return self.forms.get(person.name, person.name)

    def write(self, n_quotes: int) -> tuple[str, str, list[tuple], list[tuple]]:
        """(title, body, entities, quotes) with exactly ``n_quotes`` quotes."""
        r = self.rng
        topic_name = r.choice(list(TOPICS))
        topic = TOPICS[topic_name]
        cast = r.sample(self.people, r.randint(2, 5))
        self.forms = self.written_forms(cast)
        introduced: set[str] = set()
        b = Body()

        self.context(b, topic, 3)  # the lead

        last: Person | None = None
        written = 0
        while written < n_quotes:
            person = r.choice(cast)
            roll = r.random()
            if roll < 0.12 and written and last is not None:
                # Inherited: a paragraph that is only a quote, by the previous speaker.
                words = r.choice(QUOTE_SECOND)
                b.add("\u201c")
                start = b.add(words)
                b.add("\u201d")
                b.quote("direct", words, start, self.form(last), None, last.role, None, "inherited")
                b.end_paragraph()
                written += 1
                continue
            if roll < 0.30 and person.name in introduced:
                # Pronoun: “...,” she said.
                words = self.quote_words(topic, r.random() < 0.3)
                b.add("\u201c")
                start = b.add(words)
                b.add("\u201d ")
                m_start = b.add(person.pronoun)
                b.add(" said.")
                b.quote(
                    "direct",
                    words,
                    start,
                    self.form(person),
                    (person.pronoun, m_start, m_start + len(person.pronoun)),
                    person.role,
                    "said",
                    "pronoun",
                )
                last = person
            elif roll < 0.52:
                # Indirect: Name said that ...
                if person.name in introduced:
                    s, e = b.ent("PERSON", person.surname, self.form(person), person.role)
                    mention = (person.surname, s, e)
                else:
                    s, e = b.ent("PERSON", person.name, self.form(person), person.role)
                    b.add(", " + ("the " if not person.role.startswith(("a ", "an ")) else ""))
                    b.add(person.role + ",")
                    mention = (person.name, s, e)
                    introduced.add(person.name)
                cue = r.choice(["said", "warned", "told reporters"])
                b.add(f" {cue} that ")
                words = self.clause(topic)
                start = b.add(words)
                b.add(".")
                b.quote(
                    "indirect",
                    words,
                    start,
                    self.form(person),
                    mention,
                    person.role,
                    cue.split()[0],
                    "explicit",
                )
                last = person
            elif roll < 0.60:
                # Unattributed: Officials said ...
                who = r.choice(NOMINAL_SPEAKERS)
                m_start = b.add(who)
                b.add(" said ")
                words = self.clause(topic)
                start = b.add(words)
                b.add(".")
                b.quote(
                    "indirect",
                    words,
                    start,
                    None,
                    (who, m_start, m_start + len(who)),
                    None,
                    "said",
                    "none",
                )
                last = None
            else:
                # Direct, explicit: “...,” said Name, role.  /  “...,” Surname said.
                words = self.quote_words(topic, r.random() < 0.35)
                b.add("\u201c")
                start = b.add(words)
                b.add("\u201d ")
                if person.name in introduced:
                    s, e = b.ent("PERSON", person.surname, self.form(person), person.role)
                    mention = (person.surname, s, e)
                    b.add(" said.")
                else:
                    b.add("said ")
                    s, e = b.ent("PERSON", person.name, self.form(person), person.role)
                    mention = (person.name, s, e)
                    b.add(", " + ("the " if not person.role.startswith(("a ", "an ")) else ""))
                    b.add(person.role + ".")
                    introduced.add(person.name)
                b.quote(
                    "direct",
                    words,
                    start,
                    self.form(person),
                    mention,
                    person.role,
                    "said",
                    "explicit",
                )
                last = person
            b.end_paragraph()
            written += 1
            if r.random() < 0.4:  # some context between quotes
                self.context(b, topic, r.randint(1, 3))

        self.context(b, topic, r.randint(2, 4))
        if r.random() < 0.5:
            self.context(b, topic, r.randint(2, 3))
        country = r.choice(COUNTRIES)[0]
        subject = r.choice([country, r.choice(ORGS), cast[0].name])
        subject = subject[0].upper() + subject[1:]
        title = f"{subject} " + r.choice(topic["headline"]).format(
            object=r.choice(topic["objects"])
        )
        return title, b.text(), b.entities, b.quotes


def _html(title: str, body: str, source: str) -> bytes:
    paras = "".join(f"<p>{escape(p)}</p>\n" for p in body.split("\n\n"))
    return (
        f"<!doctype html><html><head><title>{escape(title)} | {escape(source)}</title>"
        f"</head><body><nav><a href='/'>Home</a></nav><article><h1>{escape(title)}</h1>\n"
        f"{paras}</article><footer>&copy; {escape(source)}</footer></body></html>"
    ).encode()


def _quote_counts(rng: random.Random, articles: int, quotes: int) -> list[int]:
    """Quotes per article, summing to ``quotes``; uneven like real news."""
    if articles == 0:
        return []
    counts = [0] * articles
    weights = [rng.choice((0.2, 0.6, 1.0, 1.0, 1.5, 2.5)) for _ in range(articles)]
    total = sum(weights)
    for i, w in enumerate(weights):
        counts[i] = int(quotes * w / total)
    for _ in range(quotes - sum(counts)):
        counts[rng.randrange(articles)] += 1
    return counts


POOL_PER_ARTICLES = 50  # one named speaker per this many articles (at least 360)
MAX_POOL = 2400  # of the 3,600 first-name and surname pairs
BATCH = 500  # articles written per executemany round
DEFERRED_TRIGGERS = ("articles_fts_insert", "quotes_fts_insert")


@dataclass
class Registry:
    """The people registry as the linker would build it, written from what the generator
    knows (who each name is), not found again article by article (~10 ms each)."""

    by_name: dict[str, int] = field(default_factory=dict)  # pool name -> person id
    people: list[list] = field(default_factory=list)  # [id, name, first_seen, last_seen]
    aliases: dict[tuple[int, str], tuple] = field(default_factory=dict)

    def link(self, person: Person, form: str, article_id: int, published: str) -> int:
        """The id of ``person`` (written as ``form`` in this article), created as needed."""
        person_id = self.by_name.get(person.name)
        why = f"same person as \u201c{person.name}\u201d"
        if person_id is None:
            why = "first seen"
            person_id = len(self.people) + 1
            self.by_name[person.name] = person_id
            self.people.append([person_id, person.name, published, published])
        else:
            self.people[person_id - 1][3] = published  # articles come oldest first
        if (person_id, form) not in self.aliases:
            name = parse_name(form)
            assert name is not None, form  # every generated form is a name
            self.aliases[(person_id, form)] = (
                person_id,
                form,
                name.key,
                name.given,
                name.surname_key,
                why,
                article_id,
                ADDED_AT,
            )
        return person_id

    def write(self, tx: sqlite3.Connection) -> None:
        tx.executemany(
            "INSERT INTO people (id, name, kind, first_seen, last_seen, created_at) "
            "VALUES (?, ?, 'person', ?, ?, ?)",
            [(*row, ADDED_AT) for row in self.people],
        )
        tx.executemany(
            "INSERT INTO person_aliases (person_id, alias, key, given, surname_key, why, "
            "article_id, added_at) VALUES (?,?,?,?,?,?,?,?)",
            list(self.aliases.values()),
        )


@dataclass
class Batch:
    """Rows waiting for one executemany each (articles first: the others point at them)."""

    articles: list[tuple] = field(default_factory=list)
    feeds: list[tuple] = field(default_factory=list)
    entities: list[tuple] = field(default_factory=list)
    quotes: list[tuple] = field(default_factory=list)

    def flush(self, tx: sqlite3.Connection) -> None:
        tx.executemany(
            "INSERT INTO articles (id, url, canonical_url, title, author, published, source,"
            " text, html_zlib, text_status, text_reason, summary, language, "
            "content_hash, cleaned_with, analysed_with, analysis_skipped, quote_count, "
            "read, starred, added_at, content_type) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            self.articles,
        )
        tx.executemany(
            "INSERT INTO article_feeds (article_id, feed_id, guid) VALUES (?,?,?)", self.feeds
        )
        tx.executemany(
            "INSERT INTO entities (article_id, label, text, canonical, role, start, "
            '"end", person_id) VALUES (?,?,?,?,?,?,?,?)',
            self.entities,
        )
        tx.executemany(
            "INSERT INTO quotes (article_id, kind, text, spans, speaker, "
            "speaker_mention, speaker_start, speaker_end, role, cue, resolution, "
            "sentence_start, sentence_end, person_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            self.quotes,
        )
        self.articles, self.feeds, self.entities, self.quotes = [], [], [], []


def generate(
    path: Path | str,
    articles: int = 10_000,
    quotes: int = 100_000,
    seed: int = 1,
    *,
    link: str = "direct",
) -> dict[str, float]:
    """Write a fresh store at ``path``; returns counts and the seconds it took.

    ``link="direct"`` writes the people registry from who each generated name is (seconds
    for 100,000 articles); ``link="real"`` runs the real linker over every article, as a
    migration would (~10 ms an article)."""
    started = time.perf_counter()
    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    rng = random.Random(seed)
    people = speaker_pool(rng, min(MAX_POOL, max(360, articles // POOL_PER_ARTICLES)))
    pool = {p.name: p for p in people}
    registry = Registry() if link == "direct" else None
    writer = ArticleWriter(rng, people)
    # 95% full text and analysed; the rest feed-summary only, failed, or not English.
    kinds = rng.choices(("full", "summary", "failed", "foreign"), (95, 3, 1, 1), k=articles)
    analysed = [i for i, k in enumerate(kinds) if k == "full"]
    counts = [0] * articles
    for i, n in zip(analysed, _quote_counts(rng, len(analysed), quotes)):
        counts[i] = n
    span = SPAN_DAYS * 86400
    stamps = sorted(rng.randrange(span) for _ in range(articles))
    store = open_store(path)
    conn = store.conn
    # A fresh file written in one go: no journal while writing (a crash leaves a file to
    # delete, not a store to recover), then back to WAL as Briefing uses it.
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")  # 256 MB while writing; this connection only
    n_entities = n_quotes = 0
    batch = Batch()
    timings: dict[str, float] = {}
    try:
        with store.transaction() as tx:
            tx.execute("PRAGMA defer_foreign_keys = ON")  # people are written last
            # The full-text indexes are built once at the end ('rebuild'), not row by row
            # through their triggers; the triggers are put back as they were.
            triggers = tx.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                f"({','.join('?' * len(DEFERRED_TRIGGERS))})",
                DEFERRED_TRIGGERS,
            ).fetchall()
            for name, _ in triggers:
                tx.execute(f"DROP TRIGGER {name}")
            feed_ids = []
            for name, url, tags in FEEDS:
                cur = tx.execute(
                    "INSERT INTO feeds (name, url, tags, title, last_status, "
                    "checked_at) VALUES (?,?,?,?,?,?)",
                    (name, url, " ".join(tags), name, "ok", ADDED_AT),
                )
                feed_ids.append(int(cur.lastrowid))
            for i in range(articles):
                article_id = i + 1  # a fresh table: ids are given, so rows go in batches
                published = (START + timedelta(seconds=stamps[i])).isoformat(timespec="seconds")
                feed = rng.randrange(len(FEEDS))
                source = FEEDS[feed][0]
                kind = kinds[i]
                title, text, ents, qs = writer.write(counts[i])
                status, reason, html, analysed_with, skipped = (
                    "full_text",
                    None,
                    None,
                    ANALYSED_WITH,
                    None,
                )
                language = "en"
                summary = text.split("\n\n", 1)[0]
                if kind == "summary":
                    status = "feed_summary"
                    reason = "the page needs JavaScript; showing the feed summary"
                    text = summary
                    ents = [e for e in ents if e[5] <= len(text)]
                elif kind == "failed":
                    status, reason, text, summary = "failed", "page not fetched: HTTP 404", "", ""
                    ents, analysed_with = [], None
                elif kind == "foreign":
                    language, ents, qs = "fr", [], []
                    text = "Les discussions continuent \u00e0 Bruxelles. " * 8
                    skipped = "not analysed: language 'fr' is not in [nlp] languages ['en']"
                if status == "full_text":
                    html = zlib.compress(_html(title, text, source), 6)
                url = f"https://{source.lower().replace(' ', '')}.example/{published[:10]}/{i}"
                batch.articles.append(
                    (
                        article_id,
                        url,
                        url,
                        title,
                        rng.choice(REPORTERS),
                        published,
                        source,
                        text,
                        html,
                        status,
                        reason,
                        summary,
                        language,
                        hashlib.sha256(f"{i}:{text}".encode()).hexdigest() if text else None,
                        CLEANED_WITH,
                        analysed_with,
                        skipped,
                        len(qs),
                        int(rng.random() < 0.3),
                        int(rng.random() < 0.02),
                        ADDED_AT,
                        "text/html; charset=utf-8" if html else None,
                    )
                )
                batch.feeds.append((article_id, feed_ids[feed], f"guid-{i}"))
                if rng.random() < 0.05:  # the same story in a second feed
                    other = (feed + 1 + rng.randrange(len(FEEDS) - 1)) % len(FEEDS)
                    batch.feeds.append((article_id, feed_ids[other], f"guid-{i}-b"))
                who = _who(registry, writer.forms, pool, article_id, published)
                batch.entities += [
                    (article_id, *e, who(e[2]) if e[0] == "PERSON" else None) for e in ents
                ]
                batch.quotes += [(article_id, *q, who(q[3])) for q in qs]
                n_entities += len(ents)
                n_quotes += len(qs)
                if len(batch.articles) >= BATCH:
                    batch.flush(tx)
            batch.flush(tx)
            timings["rows"] = time.perf_counter() - started
            fts_started = time.perf_counter()
            for table in ("articles_fts", "quotes_fts"):
                tx.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")
            for _, sql in triggers:
                tx.execute(sql)
            timings["fts"] = time.perf_counter() - fts_started
            people_started = time.perf_counter()
            if registry is not None:
                registry.write(tx)
            else:
                # the people registry, linked as ingest links it
                people_sql.link_all(Sql.of_sqlite(tx))
            timings["people"] = time.perf_counter() - people_started
        conn.execute("PRAGMA optimize")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        store.close()
    return {
        "articles": articles,
        "quotes": n_quotes,
        "entities": n_entities,
        "speakers": len(people),
        "seconds": time.perf_counter() - started,
        "rows_seconds": timings["rows"],
        "fts_seconds": timings["fts"],
        "people_seconds": timings["people"],
        "people": sqlite3.connect(path).execute("SELECT count(*) FROM people").fetchone()[0],
        "bytes": path.stat().st_size,
    }


def _who(
    registry: Registry | None,
    forms: dict[str, str],
    pool: dict[str, Person],
    article_id: int,
    published: str,
) -> Callable[[str | None], int | None]:
    """name as written in this article -> its person id (None: linked later, or nobody)."""
    by_form = {form: pool[name] for name, form in forms.items()}
    ids: dict[str, int | None] = {}

    def person_of(form: str | None) -> int | None:
        if registry is None or form is None or form not in by_form:
            return None
        if form not in ids:
            ids[form] = registry.link(by_form[form], form, article_id, published)
        return ids[form]

    return person_of


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.gen_store",
        description="Write a large realistic Briefing store (no spaCy, no network).",
    )
    parser.add_argument("path", type=Path)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--link",
        choices=("direct", "real"),
        default="direct",
        help="people registry: written from the generator's own cast (fast, default) or "
        "found by the real linker article by article (~10 ms each)",
    )
    args = parser.parse_args(argv)
    if args.articles < 0 or args.quotes < 0:
        parser.error("--articles and --quotes must not be negative")
    info = generate(args.path, args.articles, args.quotes, args.seed, link=args.link)
    print(
        f"{args.path}: {info['articles']} articles, {info['quotes']} quotes, "
        f"{info['entities']} entities, {info['speakers']} speakers, {info['people']} people "
        f"(rows {info['rows_seconds']:.1f} s, search indexes {info['fts_seconds']:.1f} s, "
        f"people {info['people_seconds']:.1f} s); "
        f"{info['bytes'] / 1e6:.1f} MB in {info['seconds']:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
