"""Word lists for naming people: honorifics, titles and gendered words.

Data only, shared by the analysis (``extract.nlp``) and the people registry
(``extract.people``, which the store uses), so it belongs to neither. Gender here is the
grammatical evidence a news text gives for resolving "he" and "she", nothing more.
"""

from __future__ import annotations

# Honorific -> gender it implies ("m", "f") or None. Keys lower-case, no dot.
HONORIFICS: dict[str, str | None] = {
    "mr": "m",
    "mister": "m",
    "sir": "m",
    "lord": "m",
    "messrs": None,
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "mme": "f",
    "madam": "f",
    "madame": "f",
    "dame": "f",
    "lady": "f",
    "dr": None,
    "prof": None,
    "professor": None,
    "sen": None,
    "senator": None,
    "rep": None,
    "representative": None,
    "gov": None,
    "governor": None,
    "president": None,
    "vice": None,
    "pres": None,
    "gen": None,
    "general": None,
    "col": None,
    "lt": None,
    "sgt": None,
    "capt": None,
    "cpt": None,
    "adm": None,
    "maj": None,
    "cmdr": None,
    "rev": None,
    "fr": None,
    "hon": None,
    "judge": None,
    "justice": None,
    "mayor": None,
    "secretary": None,
    "chancellor": None,
    "premier": None,
    "minister": None,
    "ambassador": None,
    "sheikh": "m",
    "king": "m",
    "queen": "f",
    "prince": "m",
    "princess": "f",
    "pope": "m",
    "first": None,  # "First Lady Michelle Obama": "lady" follows
    "candidate": None,
    "nominee": None,
    "speaker": None,
    "leader": None,
    "chairman": "m",
    "chairwoman": "f",
    "congressman": "m",
    "congresswoman": "f",
}

NAME_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())

# Nouns in a role or apposition that show gender ("spokeswoman", "her husband").
GENDERED_NOUNS: dict[str, str] = {
    **{
        w: "m"
        for w in """man spokesman chairman congressman businessman husband father
       son brother uncle nephew boyfriend grandfather king prince actor waiter boy
       gentleman councilman anchorman sportsman statesman widower""".split()
    },
    **{
        w: "f"
        for w in """woman spokeswoman chairwoman congresswoman businesswoman wife
       mother daughter sister aunt niece girlfriend grandmother queen princess actress
       waitress girl lady councilwoman anchorwoman sportswoman stateswoman widow""".split()
    },
}

# Very common English given names. Weak evidence, used only when the article
# itself gives none (honorific, gendered noun or pronoun).
MALE_FIRST = frozenset(
    """
james john robert michael william david richard joseph thomas charles christopher
daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian
george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan
stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick
raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter
kyle walter ethan jeremy harold keith christian roger noah gerald carl terry sean
austin arthur lawrence jesse dylan bryan joe jordan billy bruce albert willie gabriel
logan alan juan wayne roy ralph randy eugene vincent russell elijah louis bobby
philip johnny bill mike jim tom bob dan steve chris tim ted
vladimir sergei dmitry boris emmanuel francois mohammed muhammad ahmed
ali omar hassan ivan igor nikolai pierre jean luis carlos miguel antonio
""".split()
)
FEMALE_FIRST = frozenset(
    """
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy
betty margaret sandra ashley kimberly emily donna michelle carol amanda dorothy melissa
deborah stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda
pamela emma nicole helen samantha katherine christine debra rachel carolyn janet
catherine maria heather diane ruth julie olivia joyce virginia victoria kelly lauren
christina joan evelyn judith megan andrea cheryl hannah jacqueline martha gloria
teresa ann sara madison frances kathryn janice jean abigail alice judy sophia grace
denise amber doris marilyn danielle beverly isabella theresa diana natalie brittany
charlotte marie kayla alexis lori hilary nikki
julianne ursula marine giorgia jacinda nadia olga natalya yulia irina elena sonia
""".split()
) - {"jean"}  # Jean is male in French, female in English


def honorific_gender(word: str) -> tuple[bool, str | None]:
    """(is an honorific/title, the gender it implies) for one token's text."""
    key = word.lower().rstrip(".")
    if key in HONORIFICS:
        return True, HONORIFICS[key]
    return False, None


def first_name_gender(word: str) -> str | None:
    key = word.lower()
    if key in MALE_FIRST:
        return "m"
    if key in FEMALE_FIRST:
        return "f"
    return None


# Head nouns of an apposition or title that describe a person ("an economist at
# the bank"), used to tell a person the model tagged ORG from an organisation.
HUMAN_ROLES = frozenset(
    """
economist analyst scientist engineer director head chief executive officer official
spokesman spokeswoman spokesperson minister secretary president chairman chairwoman
adviser advisor professor researcher lawyer attorney senator governor mayor ambassador
envoy negotiator manager founder partner strategist expert fellow diplomat commissioner
leader candidate nominee author journalist reporter editor activist lobbyist consultant
nurse doctor physician teacher student resident farmer owner worker mother father wife
husband son daughter sister brother widow spokesmen officials congressman congresswoman
representative deputy aide counsel judge prosecutor sheriff chancellor premier
historian lecturer trader banker investor entrepreneur worker organizer organiser
coordinator volunteer survivor veteran victim witness colleague friend neighbor
neighbour critic supporter opponent campaigner specialist psychologist sociologist
""".split()
)

# Head nouns of an apposition that describe an organisation, not a person
# ("Nordlys Shipping, a Danish operator of cargo vessels").
ORG_NOUNS = frozenset(
    """
company firm operator group alliance organisation organization agency association
union party bank fund maker manufacturer producer provider carrier retailer lender
insurer publisher broadcaster network coalition charity institute university
council committee foundation startup airline utility ministry department newspaper
""".split()
)
# Head nouns of a subject that is a document, not a speaker ("the statement said"):
# its issuer speaks ("a statement from Big Machine Records"), or the speaker before it.
DOCUMENT_NOUNS = frozenset(
    """
statement report description letter post tweet release filing study survey poll website
site data document memo email message article complaint lawsuit indictment ruling order
announcement notice transcript paper analysis research figures note blog page account
video clip advert advertisement ad caption readout summary review publication
""".split()
)

# Head nouns that stand for a named person in a definite description ("the actor said",
# "China's ambassador to Britain said"), besides HUMAN_ROLES and GENDERED_NOUNS.
TITLE_NOUNS = frozenset(
    """
actor actress singer star rapper musician artist player coach manager president
chief ceo chairman founder ambassador envoy minister secretary senator governor mayor
prince princess king queen pope general commander officer inspector detective agent
captain director producer writer novelist poet designer chef host presenter anchor
""".split()
)

LOCATIVE_PREPS = frozenset("in around near across at from into off towards toward".split())
