"""The vectorized executor gives the reference interpreter's label matrix, vote for vote.

On generated logical forms (the shared strategies of ``tests/logic/strategies.py``, and forms
built from a pool's own vocabulary so that they fire), over real sentences; and on every parse
of the explanations of each shared dataset, plus generated forms, over a sample of its pool.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from babble.apply import apply_lfs
from babble.datasets import load_dataset
from babble.filter import parse_explanations
from babble.lf import LabelingFunction, lfs_from_parses
from babble.logic.forms import (
    Apart,
    Cmp,
    Distance,
    Entity,
    LabelingRule,
    Occurs,
    Order,
    Phrase,
    Precedes,
    Side,
    Window,
)
from babble.logic.interpret import PhraseAnalyzer
from babble.preprocess import DEFAULT_PIPELINE, PreprocessedCandidates, preprocess
from babble.types import Candidate
from tests.apply.forms_strategies import Vocabulary, rule
from tests.apply.pools import (
    analyzer,
    blank_analyzer,
    blank_pool,
    cache_dir,
    hyphenated_pool,
    real_pool,
)
from tests.logic.strategies import RELATION, rules

SUBJ, OBJ = Entity("subject"), Entity("object")

LISTS = {
    "causal": ("caused", "induced", "caused by", "cause"),
    "treat": ("treat", "in", "of the"),
    "negation_words": ("not", "no", "n't", "nobody"),
}
"""Entries for the word lists the shared strategies name."""

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def _same_matrix(
    rules_: Sequence[LabelingRule],
    pool: PreprocessedCandidates,
    word_lists: Mapping[str, Sequence[str]],
    analyzer_: PhraseAnalyzer,
) -> int:
    """Assert both executors agree on every rule; return the number of votes compared."""
    lfs = [
        LabelingFunction.from_rule(r, explanation="generated", rank=k) for k, r in enumerate(rules_)
    ]
    return _agree(lfs, pool, word_lists, analyzer_)


def _agree(
    lfs: Sequence[LabelingFunction],
    pool: PreprocessedCandidates,
    word_lists: Mapping[str, Sequence[str]],
    analyzer_: PhraseAnalyzer,
) -> int:
    fast, slow = (
        apply_lfs(lfs, pool, word_lists=word_lists, analyzer=analyzer_, executor=executor)
        for executor in ("vectorized", "reference")
    )
    a, b = fast.to_dense(), slow.to_dense()
    for j in np.flatnonzero((a != b).any(axis=0)):
        rows = np.flatnonzero(a[:, j] != b[:, j])[:3]
        pytest.fail(
            f"{lfs[j].name} {lfs[j].rule}: vectorized {a[rows, j]} vs reference {b[rows, j]} on "
            f"{[pool.candidates[r].text for r in rows]}"
        )
    return int((a != -1).sum())


@SETTINGS
@given(st.lists(rules(RELATION, n_labels=3), min_size=1, max_size=6))
def test_shared_strategies_on_real_sentences(generated: list[LabelingRule]) -> None:
    _same_matrix(generated, real_pool(), LISTS, analyzer())


_VOCAB = Vocabulary.of(real_pool())


@SETTINGS
@given(st.lists(rule(_VOCAB), min_size=1, max_size=6))
def test_forms_from_the_pools_vocabulary(generated: list[LabelingRule]) -> None:
    _same_matrix(generated, real_pool(), _VOCAB.word_lists(), analyzer())


_HYPHEN_VOCAB = Vocabulary.of(hyphenated_pool())


@SETTINGS
@given(st.lists(rule(_HYPHEN_VOCAB), min_size=1, max_size=6))
def test_hyphens_that_join_words(generated: list[LabelingRule]) -> None:
    """Distances skip a hyphen written between two words in both executors alike."""
    _same_matrix(generated, hyphenated_pool(), _HYPHEN_VOCAB.word_lists(), analyzer())


def test_hyphens_that_join_words_by_hand() -> None:
    """Windows, gaps and entity orders over joined and spaced hyphens, vote for vote."""
    d = [Distance(Cmp.EQ, n) for n in (1, 2, 3)]
    forms = [
        Occurs((Phrase(w),), Window(SUBJ, side, x))
        for w in ("induced", "dyskinesia", "wife", "known", "made", "husband")
        for side in (Side.BEFORE, Side.AFTER)
        for x in d
    ]
    forms += [Order(SUBJ, OBJ, x) for x in d] + [Apart(SUBJ, OBJ, x) for x in d]
    forms += [Precedes(Phrase("ex"), Phrase("Jane"), x) for x in d]
    forms += [Precedes(Phrase("self"), Phrase("man"), x) for x in d]
    rules_ = [LabelingRule(1, f) for f in forms]
    assert _same_matrix(rules_, hyphenated_pool(), {}, analyzer()) > 0


def test_numbers_of_any_size() -> None:
    """An explanation's number may exceed numpy's integers ("within 10**20 words"): the
    vectorized executor neither overflows nor disagrees (no distance is that large)."""
    huge = [Distance(cmp, 10**20) for cmp in Cmp] + [
        Distance(Cmp.LT, 2**63),
        Distance(Cmp.GE, 2**40),
    ]
    forms = [Occurs((Phrase("wife"),), Window(SUBJ, Side.AFTER, x)) for x in huge]
    forms += [Order(SUBJ, OBJ, x) for x in huge] + [Apart(SUBJ, OBJ, x) for x in huge]
    forms += [Precedes(Phrase("ex"), Phrase("Jane"), x) for x in huge]
    rules_ = [LabelingRule(1, f) for f in forms]
    assert _same_matrix(rules_, hyphenated_pool(), {}, analyzer()) > 0


_TEXTS = blank_pool(
    [
        Candidate(f"t{i}", "d", text, ())
        for i, text in enumerate(
            ["Free entry!! Win £100 now", "ok see u at 5", "", "CALL 0800 NOW  to claim", "Hi."]
        )
    ]
)


@SETTINGS
@given(st.lists(rules((), n_labels=2), min_size=1, max_size=6))
def test_text_classification_without_entities(generated: list[LabelingRule]) -> None:
    _same_matrix(generated, _TEXTS, LISTS, blank_analyzer())


def test_generated_forms_vote_somewhere() -> None:
    """The strategies are not vacuous: generated forms do vote on the real sentences."""
    votes = 0

    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(rule(_VOCAB), min_size=4, max_size=6))
    def count(generated: list[LabelingRule]) -> None:
        nonlocal votes
        votes += _same_matrix(generated, real_pool(), _VOCAB.word_lists(), analyzer())

    count()
    assert votes > 0


# --------------------------------------------------------------------------- shared datasets

_SHARED = {"semeval": "train", "cdr": "train", "absa": "train", "spouse": "dev"}
_SAMPLE = 150


@pytest.mark.shared_data
@pytest.mark.parametrize("name", sorted(_SHARED))
def test_shared_dataset_parses_and_generated_forms(name: str, shared_data: object) -> None:
    dataset = load_dataset(name)
    candidates = dataset.candidates(_SHARED[name])
    sample: list[Candidate] = list(candidates[:: max(1, len(candidates) // _SAMPLE)][:_SAMPLE])
    pool = preprocess(sample, pipeline=DEFAULT_PIPELINE, cache_dir=cache_dir(), progress=False)
    parsed = parse_explanations(
        dataset.explanations, dataset.label_space, word_lists=dataset.word_lists
    )
    lfs = [lf for p in parsed for lf in lfs_from_parses(p.name, p.rules)]
    assert lfs, f"no explanation of {name} parsed"
    assert _agree(lfs, pool, dataset.word_lists, analyzer()) > 0

    vocab = Vocabulary.of(pool)
    lists = {**dataset.word_lists, **vocab.word_lists()}

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(rule(vocab, dataset.label_space.k), min_size=1, max_size=6))
    def generated(rules_: list[LabelingRule]) -> None:
        _same_matrix(rules_, pool, lists, analyzer())

    generated()
