"""``apply_lfs``: any mix of logical-form and hand-written LFs -> one label matrix."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import numpy as np
from tqdm import tqdm

from babble.apply.matrix import LabelMatrix, LFErrors
from babble.apply.pool import Pool
from babble.apply.python import run_python_lf
from babble.apply.vectorized import VectorizedExecutor
from babble.errors import LabelMatrixError, NoLabelingFunctionsError
from babble.lf import CandidateFunction, LabelingFunction, as_labeling_functions
from babble.logic.forms import roles_used
from babble.logic.interpret import PhraseAnalyzer, analyzer_for, apply_rules, compile_rule
from babble.preprocess import PreprocessedCandidates

Executor = Literal["vectorized", "reference"]
"""How logical forms run: over the whole pool with numpy, or the interpreter per candidate."""


def apply_lfs(
    lfs: Iterable[LabelingFunction | CandidateFunction],
    prepared: PreprocessedCandidates,
    *,
    word_lists: Mapping[str, Sequence[str]] | None = None,
    n_labels: int | None = None,
    analyzer: PhraseAnalyzer | None = None,
    executor: Executor = "vectorized",
    progress: bool = False,
) -> LabelMatrix:
    """Run LFs over a pool: rows are candidates, columns LFs, in the order given.

    A pure function of its inputs: to scale out, run it on partitions of the pool
    (:func:`~babble.apply.pool.partitions`, e.g. one ``dask.delayed`` call each) and join the
    results with :meth:`LabelMatrix.vstack`.

    Parameters
    ----------
    lfs
        :class:`~babble.lf.LabelingFunction` objects, or plain callables over a
        :class:`~babble.types.Candidate` (named by ``__name__``); names must be unique.
    prepared
        The preprocessed pool.
    word_lists
        Named word lists the logical forms may use.
    n_labels
        The number of classes, when known: a logical form voting a label outside it is refused
        and a hand-written LF returning one counts as failing there.
    analyzer
        Tokenises the logical forms' phrases as the pool's pipeline did (default: the analyzer
        of :data:`~babble.preprocess.DEFAULT_PIPELINE`).
    executor
        ``"vectorized"`` (default) or ``"reference"``, the per-candidate interpreter of
        :mod:`babble.logic.interpret`: same matrix, much slower. Hand-written LFs always run
        per candidate.
    progress
        Show a progress bar over the LFs.

    Returns
    -------
    LabelMatrix
        With each failing hand-written LF's count and first error in ``errors``, and warnings
        (candidates without tokens or without an LF's entities) in ``notes``.

    Raises
    ------
    NoLabelingFunctionsError
        ``lfs`` is empty.
    EmptyPoolError, EmptyCandidatesError
        The pool is empty, or no candidate has a token.
    PoolTaskError
        No candidate has the entity roles some LF uses (a pool of another task).
    UndefinedWordListError
        A logical form uses a word list ``word_lists`` does not define.

    Examples
    --------
    >>> import tempfile
    >>> from babble.lf import labeling_function
    >>> from babble.logic.forms import LabelingRule, Occurs, Phrase, Sentence
    >>> from babble.lf import LabelingFunction
    >>> from babble.preprocess import preprocess
    >>> from babble.types import Candidate
    >>> pool = preprocess([Candidate("a", "d", "I love it.", ()), Candidate("b", "d", "Meh.", ())],
    ...                   pipeline="blank:en", cache_dir=tempfile.mkdtemp(), progress=False)
    >>> love = LabelingFunction.from_rule(LabelingRule(1, Occurs((Phrase("love"),), Sentence())),
    ...                                   explanation="e1", rank=0)
    >>> @labeling_function()
    ... def short(c: Candidate) -> int:
    ...     return 0 if len(c.text) < 5 else -1
    >>> m = apply_lfs([love, short], pool, analyzer=analyzer_for("blank:en"))
    >>> m.lf_names, m.to_dense().tolist()
    (('e1#0', 'short'), [[1, -1], [-1, 0]])
    """
    functions = as_labeling_functions(lfs)
    if not functions:
        raise NoLabelingFunctionsError(
            "no labeling functions to apply: give at least one (explanations whose parses were "
            "all filtered out leave none)"
        )
    pool = Pool.of(prepared)
    notes = list(pool.notes())
    for lf in functions:
        if lf.rule is not None:
            if n_labels is not None and lf.rule.label >= n_labels:
                raise LabelMatrixError(
                    f"LF {lf.name!r} votes label {lf.rule.label}, outside 0..{n_labels - 1}"
                )
            note = pool.check_roles(roles_used(lf.rule), f"LF {lf.name!r}")
            if note is not None:
                notes.append(note)
    rules = [lf for lf in functions if lf.rule is not None]
    votes = dict(_run_rules(rules, pool, word_lists, analyzer, executor, progress))
    errors: list[LFErrors] = []
    for lf in tqdm(functions, disable=not progress, desc="python LFs", unit="LF"):
        if lf.func is not None:
            rows, labels, failed = run_python_lf(lf, prepared.candidates, n_labels)
            votes[lf.name] = rows, labels
            errors.extend([failed] if failed is not None else [])
    return LabelMatrix.from_columns(
        [votes[lf.name] for lf in functions],
        [lf.name for lf in functions],
        [c.id for c in prepared.candidates],
        tuple(errors),
        tuple(notes),
    )


def _run_rules(
    lfs: Sequence[LabelingFunction],
    pool: Pool,
    word_lists: Mapping[str, Sequence[str]] | None,
    analyzer: PhraseAnalyzer | None,
    executor: Executor,
    progress: bool,
) -> Iterable[tuple[str, tuple[np.ndarray, np.ndarray]]]:
    """``(name, (rows, labels))`` for each logical-form LF."""
    if not lfs:
        return
    analyzer = analyzer or analyzer_for()  # loads a pipeline: only when there are rules
    if executor == "reference":
        compiled = [compile_rule(lf.rule, word_lists, analyzer=analyzer) for lf in lfs if lf.rule]
        dense = apply_rules(compiled, pool.prepared)
        for j, lf in enumerate(lfs):
            rows = np.flatnonzero(dense[:, j] >= 0)
            yield lf.name, (rows, dense[rows, j])
        return
    if executor != "vectorized":
        raise ValueError(f"executor must be 'vectorized' or 'reference', got {executor!r}")
    engine = VectorizedExecutor(pool, word_lists, analyzer=analyzer)
    for lf in tqdm(lfs, disable=not progress, desc="logical forms", unit="LF"):
        assert lf.rule is not None
        rows = np.flatnonzero(engine.fires(lf.rule))
        yield lf.name, (rows, np.full(rows.size, lf.rule.label, dtype=np.int64))
