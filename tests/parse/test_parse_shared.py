"""The parser on the four shared explanation sets: coverage, skipped words and speed floors.

Measured when written (grammar and lexicon of this commit): every SemEval and ABSA explanation
parses, skipping nothing; Spouse 192 of 200, 183 of them skipping at most 20% of their words;
CDR 24 of 34 (8 name the unpublished ctd_* dictionaries and 2 are empty, all with a clear error);
the median share of skipped words is 0 on every set; p95 parse time is 5-10 ms on 2 busy cores.
The floors below sit a little under those numbers (the time floor is the issue's goal, 50 ms).
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
from parse_shared_sets import ALL, SharedSet

from babble.errors import EmptyExplanationError, UndefinedWordListError
from babble.parse import ParseResult, parse

pytestmark = pytest.mark.shared_data

FLOORS = {"semeval": 201, "absa": 74, "spouse": 189, "cdr": 24}


def _parse_all(shared: SharedSet) -> list[ParseResult]:
    parse("'warm' is before them", shared.space, label=shared.space.labels[0])  # load the grammar
    return [
        parse(text, shared.space, word_lists=shared.word_lists, sentence=sentence, label=label)
        for text, label, sentence in shared.items
    ]


@pytest.mark.parametrize("load", ALL, ids=[f.__name__ for f in ALL])
def test_coverage_skips_and_speed(load: object, shared_data: Path) -> None:
    shared: SharedSet = load(shared_data)  # type: ignore[operator]
    results = _parse_all(shared)
    parsed = sum(r.ok for r in results)
    assert parsed >= FLOORS[shared.name], f"{shared.name}: {parsed} of {len(results)} parse"
    assert statistics.median(r.skipped_share() for r in results) <= 0.10
    times = sorted(r.elapsed_ms for r in results)
    assert times[int(0.95 * len(times))] < 50.0
    assert all(len(r.parses) <= 32 for r in results)


def test_spouse_parses_skip_few_words(shared_data: Path) -> None:
    results = _parse_all(ALL[2](shared_data))
    few = sum(r.ok and r.skipped_share() <= 0.20 for r in results)
    assert few >= 0.90 * len(results)


def test_cdr_failures_are_clear(shared_data: Path) -> None:
    shared = ALL[3](shared_data)
    results = _parse_all(shared)
    failed = [r for r in results if not r.ok]
    assert sum(isinstance(r.error, UndefinedWordListError) for r in failed) == 8
    assert sum(isinstance(r.error, EmptyExplanationError) for r in failed) == 2
    assert all(
        "ctd_" in str(r.error) for r in failed if isinstance(r.error, UndefinedWordListError)
    )
