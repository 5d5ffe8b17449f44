"""Who said what: entities and quotes attributed to speakers, with spaCy.

* ``analyse``: the front door (texts in, one ``Analysis`` each, in order);
* ``model``: the spaCy pipeline, loaded once per process, and analysis here;
* ``pool``: worker processes for ``[nlp] processes > 1``;
* ``component`` / ``results``: the ``briefing_quotes`` spaCy component and its output;
* the rules: ``quote_spans`` (quoted passages), ``cues`` (speech verbs),
  ``attribution`` (cue and speaker per quote, reported speech), ``speakers``
  (subjects, pronouns), ``entities`` and ``names`` (canonical people, roles).

Importing this package never imports spaCy; loading the pipeline does.
"""

from extract.errors import ModelNotFound
from extract.nlp.analyse import analyse_text, analyse_texts
from extract.nlp.model import analyser_version, load_pipeline, resolve_model

__all__ = [
    "ModelNotFound",
    "analyse_text",
    "analyse_texts",
    "analyser_version",
    "load_pipeline",
    "resolve_model",
]
