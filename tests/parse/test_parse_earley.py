"""The Earley recognizer and derivation enumerator on small grammars."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from babble.parse import earley
from babble.parse.earley import Derivations, compile_grammar, recognize
from babble.parse.parser import load_grammar
from babble.parse.semantics import Semantics

GRAMMAR = """
start: s -> root
?s: x | s PLUS s -> plus
x: _opt NUM -> num
_opt: NEG?
%declare NUM PLUS NEG
"""


def _values(types: tuple[str, ...]) -> list[Any]:
    chart = recognize(compile_grammar(GRAMMAR), types)

    def build(handler: str, children: tuple[Any, ...]) -> list[Any]:
        kids = list(children)
        if handler == "num":
            return [("-" if len(kids) == 2 else "") + "n"]
        if handler == "plus":
            return [f"({kids[0]}+{kids[2]})"]
        return [kids[0]]

    derivations = Derivations(chart, lambda i: types[i], build, cap=100)
    return [v[0] for v in derivations.values(chart.grammar.start, 0, len(types))]


def test_ambiguous_input_gives_every_derivation() -> None:
    assert sorted(_values(("NUM", "PLUS", "NUM", "PLUS", "NUM"))) == ["((n+n)+n)", "(n+(n+n))"]


def test_nullable_symbols() -> None:
    assert _values(("NEG", "NUM")) == ["-n"]
    assert _values(("NUM",)) == ["n"]


@pytest.mark.parametrize(
    ("types", "accepted", "failed_at"),
    [
        (("NUM",), True, 1),
        (("NUM", "PLUS"), False, 2),
        (("PLUS", "NUM"), False, 0),
        (("NUM", "NUM"), False, 1),
        (("NUM", "PLUS", "PLUS", "NUM", "PLUS"), False, 2),
        ((), False, 0),
        (("NUM", "UNKNOWN"), False, 1),
    ],
)
def test_recognize_reports_where_it_failed(
    types: tuple[str, ...], accepted: bool, failed_at: int
) -> None:
    chart = recognize(compile_grammar(GRAMMAR), types)
    assert (chart.accepted, chart.failed_at) == (accepted, failed_at)


def test_every_grammar_rule_has_a_method() -> None:
    """A linguist who adds ``-> alias`` to the grammar must add the method too."""
    grammar = load_grammar()
    semantics = Semantics(0, ())
    missing = {
        grammar.handler[r]
        for r in range(len(grammar.rhs))
        if not grammar.inline[r]
        and not hasattr(semantics, grammar.handler[r])
        and not (grammar.expand1[r] and len(grammar.rhs[r]) == 1)
    }
    assert not missing


def test_cached_columns_give_the_charts_a_fresh_grammar_gives() -> None:
    """Columns are reused across inputs that share a prefix (and lookahead); every chart must
    equal the one recognized from scratch, prefixes, extensions and the end included."""
    shared = load_grammar()
    inputs = [
        ("QUOTE", "BE", "SIDE", "ENT"),
        ("QUOTE", "BE", "SIDE", "ENT", "AND", "QUOTE", "BE", "BETWEEN", "PAIR"),
        ("QUOTE", "BE", "SIDE"),
        ("QUOTE", "BE", "SIDE", "SIDE", "ENT", "AND"),  # fails mid-way: no column after it
        ("QUOTE", "BE", "IMMED", "SIDE", "ENT"),
        ("QUOTE", "BE", "SIDE", "ENT", "AND"),
        ("QUOTE", "BE", "SIDE", "ENT"),
    ]
    for types in inputs:
        fresh = recognize(load_grammar.__wrapped__(), types)  # compiled anew: no cached column
        cached = recognize(shared, types)
        assert (cached.accepted, cached.failed_at, cached.ends) == (
            fresh.accepted,
            fresh.failed_at,
            fresh.ends,
        ), types


def test_min_rest_counts_the_fewest_tokens_a_rule_rest_needs() -> None:
    """What lets derivations skip spans too short for a rule: ``s PLUS s`` needs 3 tokens from
    its start, 2 after its first ``s``; ``_opt NUM`` needs 1 (``_opt`` may be empty)."""
    g = compile_grammar(GRAMMAR)
    by_body = {tuple(g.names[x] for x in body): g.min_rest[r] for r, body in enumerate(g.rhs)}
    assert by_body[("s", "PLUS", "s")] == (3, 2, 1, 0)
    assert by_body[("_opt", "NUM")] == (1, 1, 0)


def test_threads_sharing_one_grammar_get_the_charts_a_fresh_grammar_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Cached columns are keyed by prefix ids that no two prefixes share, even when threads
    assign them at once and the cache is cleared under them (a tiny limit clears it often)."""
    monkeypatch.setattr(earley, "MAX_COLUMNS", 5)
    words = ("QUOTE", "BE", "SIDE", "ENT", "AND", "IMMED", "BETWEEN", "PAIR")
    inputs = [
        tuple(words[(i * k + j) % len(words)] for j in range(2 + k % 6))
        for i in range(8)
        for k in range(12)
    ]
    fresh = {t: recognize(load_grammar.__wrapped__(), t) for t in set(inputs)}
    shared = load_grammar.__wrapped__()

    def check(offset: int) -> list[tuple[str, ...]]:
        wrong = []
        for types in inputs[offset:] + inputs[:offset]:
            got, want = recognize(shared, types), fresh[types]
            if (got.accepted, got.failed_at, got.ends) != (
                want.accepted,
                want.failed_at,
                want.ends,
            ):
                wrong.append(types)
        return wrong

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(check, range(0, len(inputs), len(inputs) // 8)))
    assert not any(results)
