"""The word lists for naming people, as the analysis imports them: they live in
``extract.names``, shared with the people registry (which the store uses, and the store
never imports ``extract.nlp``). Edit them there."""

from extract.names import (
    DOCUMENT_NOUNS,
    FEMALE_FIRST,
    GENDERED_NOUNS,
    HONORIFICS,
    HUMAN_ROLES,
    LOCATIVE_PREPS,
    MALE_FIRST,
    NAME_SUFFIXES,
    ORG_NOUNS,
    TITLE_NOUNS,
    first_name_gender,
    honorific_gender,
)

__all__ = [
    "DOCUMENT_NOUNS",
    "FEMALE_FIRST",
    "GENDERED_NOUNS",
    "HONORIFICS",
    "HUMAN_ROLES",
    "LOCATIVE_PREPS",
    "MALE_FIRST",
    "NAME_SUFFIXES",
    "ORG_NOUNS",
    "TITLE_NOUNS",
    "first_name_gender",
    "honorific_gender",
]
