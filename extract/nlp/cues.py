"""Speech-verb lexicon: the words that attribute a quote to a speaker.

Lemmas, so "said", "says" and "saying" all match "say". Kept as data, in one
place, so the rules elsewhere stay free of word lists.
"""

from __future__ import annotations

# Verbs that introduce speech or writing, direct or reported.
SPEECH_VERBS: frozenset[str] = frozenset(
    """
say tell add warn insist argue note write tweet post respond reply ask acknowledge
admit announce answer assert boast brag caution charge claim comment complain concede
conclude confirm contend continue counter cry declare demand deny describe emphasize
emphasise estimate exclaim explain grumble hint indicate inform joke lament maintain
mention mumble murmur muse mutter object observe opine plead point predict proclaim
promise protest question quip reason recall recount reflect reiterate remark remind
repeat report retort reveal scoff scold scream shout sigh snap speculate state stress
suggest swear testify text thunder urge venture vow whisper yell allege advise
affirm agree announce apologize apologise attest blast blurt chant chide concur
confess convey criticize criticise decry declare disclose dispute elaborate email
emphasize forecast gush holler implore interject interrupt lash marvel pledge
posit pronounce propose quote rail rant read recite recommend relate rebut rejoin
remark reckon respond retort sing specify summarize summarise tease theorize underline
underscore wonder
""".split()
)

# Thought and belief are not speech: "think" and "believe" are deliberately absent.

# Verbs that take a clausal complement as reported speech (indirect quotes).
# A narrower list: "ask", "continue" or "describe" with a clause are rarely reports.
REPORTING_VERBS: frozenset[str] = frozenset(
    """
say tell add warn insist argue note write tweet respond reply acknowledge admit announce
assert boast brag caution charge claim complain concede conclude confirm contend declare
deny emphasize emphasise estimate explain hint indicate inform maintain mention observe
predict proclaim promise protest recall reiterate remark remind report reveal state stress
suggest swear testify vow allege advise affirm agree concur confess disclose posit
pledge reckon specify underline underscore
""".split()
)

# Nouns that announce a quoted name, not quoted words: the slogan “...”, the
# nickname of “...”, a song “...”. And participles that do the same: dubbed “...”,
# known as “...” (the past tense "he called it “a disaster”" quotes a speaker).
NAMING_NOUNS: frozenset[str] = frozenset(
    """
slogan tagline motto term nickname moniker phrase catchphrase expression word words
title headline hashtag song single track album record book ebook novel memoir film
movie documentary show series episode podcast play musical sign signs saying sayings
brand name acronym banner poster placard logo chapter section column habit habits
rule rules principle mantra maxim adage proverb entry
""".split()
)
NAMING_PARTICIPLES: frozenset[str] = frozenset(
    """
call dub name nickname title entitle brand coin term know rename style
""".split()
)

# Cues that are not verbs: "according to X".
ACCORDING = ("according", "to")


def is_speech_lemma(lemma: str) -> bool:
    return lemma.lower() in SPEECH_VERBS


def is_reporting_lemma(lemma: str) -> bool:
    return lemma.lower() in REPORTING_VERBS
