"""Small pools for the LF tests: real English sentences through the default pipeline (once per
process, in a private cache), and tokenizer-only pools built on the fly."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache

from babble.logic.interpret import SpacyAnalyzer, analyzer_for
from babble.preprocess import DEFAULT_PIPELINE, PreprocessedCandidates, preprocess
from babble.types import Candidate, EntitySpan

SENTENCES = (
    ("Ann married Bob in Paris in 2010.", "Ann", "Bob"),
    ("Bob and his wife Carol live in London.", "Bob", "Carol"),
    ("His wife, Mary Smith, met John Smith at Google.", "Mary Smith", "John Smith"),
    ("The storm caused severe flooding in New York.", "storm", "flooding"),
    ("Severe flooding was caused by the storm last week.", "storm", "flooding"),
    ("Aspirin induced hepatitis in two patients, according to Dr. Lee.", "Aspirin", "hepatitis"),
    ("Mr. Obama and Michelle Obama have been married since 1992!", "Mr. Obama", "Michelle Obama"),
    ("The CEO of Apple, Tim Cook, divorced nobody.", "Apple", "Tim Cook"),
    ("IBM hired 300 engineers ; they are not related to Sam.", "IBM", "Sam"),
    ("Sam's brother Tom is marrying Ella Jones in June.", "Tom", "Ella Jones"),
)
"""(sentence, subject, object): relation candidates on which logical forms fire variously."""

HYPHENATED = (
    ("Lidocaine-induced cardiac asystole in a 13-year-old boy.", "Lidocaine", "cardiac asystole"),
    ("His ex-wife Jane met Tom at a well - known cafe.", "Jane", "Tom"),
    ("L-DOPA-induced dyskinesia (LID) after long-term use of L-DOPA.", "L-DOPA", "dyskinesia"),
    ("Ann-Marie and her husband Bob - a self-made man - wed.", "Ann-Marie", "Bob"),
)
"""Relation candidates with hyphens that join words (no distance) and hyphens between spaces."""

WORD_LISTS = {
    "causal": ("caused", "induced", "cause", "caused by"),
    "kin": ("wife", "brother", "his wife"),
    "causal_start": ("ind", "caus"),
}
"""Word lists the tests' logical forms may name."""


def relation(cid: str, text: str, subject: str, obj: str, label: int | None = None) -> Candidate:
    """A relation candidate whose spans are the first occurrences of two strings."""
    s, o = text.index(subject), text.index(obj)
    return Candidate(
        cid,
        "doc",
        text,
        (),
        (
            EntitySpan("subject", "X", s, s + len(subject), subject),
            EntitySpan("object", "X", o, o + len(obj), obj),
        ),
        label=label,
    )


@cache
def cache_dir() -> str:
    """A preprocessing cache private to this test process (not the user's), removed at exit."""
    path = tempfile.mkdtemp(prefix="babble-lf-tests-")
    atexit.register(shutil.rmtree, path, True)
    return path


def analyzer() -> SpacyAnalyzer:
    """The analyzer of the default pipeline (phrases split as the pool's sentences)."""
    return analyzer_for()


def blank_analyzer() -> SpacyAnalyzer:
    """The tokenizer-only analyzer, for pools preprocessed with ``blank:en``."""
    return analyzer_for("blank:en")


@cache
def real_pool() -> PreprocessedCandidates:
    """:data:`SENTENCES` as relation candidates, preprocessed with the default pipeline."""
    cands = [relation(f"c{i}", *row, label=i % 2) for i, row in enumerate(SENTENCES)]
    return preprocess(cands, pipeline=DEFAULT_PIPELINE, cache_dir=cache_dir(), progress=False)


@cache
def hyphenated_pool() -> PreprocessedCandidates:
    """:data:`HYPHENATED` as relation candidates, preprocessed with the default pipeline."""
    cands = [relation(f"h{i}", *row, label=i % 2) for i, row in enumerate(HYPHENATED)]
    return preprocess(cands, pipeline=DEFAULT_PIPELINE, cache_dir=cache_dir(), progress=False)


def blank_pool(cands: list[Candidate]) -> PreprocessedCandidates:
    """Candidates preprocessed by the tokenizer-only pipeline (fast, no tags)."""
    return preprocess(cands, pipeline="blank:en", cache_dir=cache_dir(), progress=False)
