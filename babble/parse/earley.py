"""A small, fast Earley recognizer for the compiled ``grammar/*.lark`` rules.

lark reads and compiles the grammar (EBNF -> plain rules, aliases, ``_inline`` and ``?expand``
rules); this module parses with those rules. It is specialised for babble's use -- short inputs
of pre-lexed terminals, every reading wanted -- and several times faster than lark's general
Earley parser here:

* symbols are integers and each rule's FIRST set is precomputed, so an item is only added when
  the next terminal can continue it (one token of lookahead);
* nullable symbols are handled as Aycock & Horspool do (predicting a nullable symbol also
  advances past it);
* chart columns are cached by the tokens before them and their lookahead, so the many terminal
  sequences the parser's search tries (sharing long prefixes) recognize each prefix once;
* the chart records, for every nonterminal and start, where its derivations can end;
  :class:`Chart` then enumerates derivations top-down over those spans, memoised per span, so
  shared sub-derivations are built once.

Examples
--------
>>> g = compile_grammar('''
... start: a+ -> root
... a: X | X Y
... %declare X Y
... ''')
>>> chart = recognize(g, ("X", "Y", "X"))
>>> chart.accepted, chart.failed_at
(True, 3)
>>> recognize(g, ("Y",)).failed_at
0
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from lark import Lark

Item = tuple[int, int, int]  # (rule, dot, origin)


@dataclass(frozen=True)
class Grammar:
    """Compiled rules: symbol ids, right-hand sides, FIRST sets and tree-shaping options.

    Attributes
    ----------
    names
        Symbol id -> name (terminals and nonterminals share the id space).
    terminal
        Symbol id -> whether it is a terminal.
    lhs, rhs
        Rule id -> its left-hand symbol, its right-hand symbols.
    handler
        Rule id -> the name of the method that builds its value (alias or rule name).
    inline
        Rule id -> whether the rule's children are spliced into its parent (``_rule``).
    expand1
        Rule id -> whether a single child replaces the node (``?rule`` without alias).
    by_lhs
        Nonterminal -> its rules.
    nullable
        Nonterminals that can derive the empty sequence.
    first
        (rule, dot) -> the terminals that can start ``rhs[dot:]``.
    rest_nullable
        (rule, dot) pairs whose ``rhs[dot:]`` can be empty.
    start
        The start symbol.
    ids
        Symbol name -> id.
    min_rest
        Rule id -> for each dot, the fewest terminals ``rhs[dot:]`` derives (derivations skip
        spans shorter than that).
    """

    names: tuple[str, ...]
    terminal: tuple[bool, ...]
    lhs: tuple[int, ...]
    rhs: tuple[tuple[int, ...], ...]
    handler: tuple[str, ...]
    inline: tuple[bool, ...]
    expand1: tuple[bool, ...]
    by_lhs: dict[int, tuple[int, ...]]
    nullable: frozenset[int]
    first: dict[tuple[int, int], frozenset[int]]
    rest_nullable: frozenset[tuple[int, int]]
    start: int
    ids: dict[str, int] = field(repr=False)
    min_rest: tuple[tuple[int, ...], ...] = field(repr=False)
    columns: dict[tuple[int, int], _Column] = field(default_factory=dict, repr=False, compare=False)
    """Chart columns already computed, by what determines them: the id of the tokens before the
    column and its lookahead (see :func:`recognize`)."""
    continuable: dict[int, frozenset[tuple[int, int]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    """Token -> the ``(rule, dot)`` pairs that may stand before it (:func:`_continuable`)."""
    prefixes: dict[tuple[int, int], int] = field(default_factory=dict, repr=False, compare=False)
    """Token sequences seen before a column, each by an id: ``(id of the sequence, token)`` -> the
    id of the sequence one token longer (the empty sequence is 0)."""
    new_ids: Iterator[int] = field(
        default_factory=lambda: itertools.count(1), repr=False, compare=False
    )
    """Prefix ids are never reused, not even after the caches are cleared: a thread still
    walking with an id from before a clear can then never meet another prefix's columns."""


@dataclass(frozen=True)
class _Column:
    """One finished chart column, what later columns read of it: the items waiting there for
    each nonterminal, the completions ``(symbol, origin)`` ending there, and the items that scan
    its token (before the next column's lookahead filters them)."""

    waiting: dict[int, tuple[Item, ...]]
    ends: tuple[tuple[int, int], ...]
    scans: tuple[Item, ...]


MAX_COLUMNS = 30_000
"""Cached columns per grammar before the cache starts afresh: about 48 MB at most (1.6 MB per
thousand columns: clearing the 39,514 columns and their prefix ids left by parsing the 324
held-out explanations of sets ``d`` to ``g`` freed 62.7 MB, by :mod:`tracemalloc`). Columns past
the point where an input fails are no longer filled: the 0.71 MB per thousand written here
before was measured when they were, most of them empty."""


def compile_grammar(text: str) -> Grammar:
    """Compile lark grammar text into a :class:`Grammar` (lark does the EBNF work)."""
    rules = Lark(text, parser="earley", lexer="basic").rules
    ids: dict[str, int] = {}
    names: list[str] = []
    terminal: list[bool] = []

    def sid(name: str, is_term: bool) -> int:
        if name not in ids:
            ids[name] = len(names)
            names.append(name)
            terminal.append(is_term)
        return ids[name]

    lhs, rhs, handler, inline, expand1 = [], [], [], [], []
    for rule in rules:
        origin = str(rule.origin.name)
        lhs.append(sid(origin, False))
        rhs.append(tuple(sid(str(s.name), bool(s.is_term)) for s in rule.expansion))
        handler.append(str(rule.alias or origin))
        inline.append(origin.startswith("_"))
        expand1.append(bool(rule.options.expand1) and not rule.alias)
    by_lhs: dict[int, list[int]] = {}
    for r, a in enumerate(lhs):
        by_lhs.setdefault(a, []).append(r)
    nullable = _nullable(lhs, rhs)
    first_sym = _first_sets(lhs, rhs, terminal, nullable)
    first: dict[tuple[int, int], frozenset[int]] = {}
    rest_nullable: set[tuple[int, int]] = set()
    for r, body in enumerate(rhs):
        for dot in range(len(body) + 1):
            found: set[int] = set()
            empty = True
            for sym in body[dot:]:
                found |= {sym} if terminal[sym] else first_sym[sym]
                if terminal[sym] or sym not in nullable:
                    empty = False
                    break
            first[(r, dot)] = frozenset(found)
            if empty:
                rest_nullable.add((r, dot))
    shortest = _shortest(lhs, rhs, terminal)
    min_rest = tuple(
        tuple(
            sum(1 if terminal[x] else shortest[x] for x in body[dot:])
            for dot in range(len(body) + 1)
        )
        for body in rhs
    )
    return Grammar(
        names=tuple(names),
        terminal=tuple(terminal),
        lhs=tuple(lhs),
        rhs=tuple(rhs),
        handler=tuple(handler),
        inline=tuple(inline),
        expand1=tuple(expand1),
        by_lhs={a: tuple(rs) for a, rs in by_lhs.items()},
        nullable=frozenset(nullable),
        first=first,
        rest_nullable=frozenset(rest_nullable),
        start=ids["start"],
        ids=ids,
        min_rest=min_rest,
    )


def _shortest(
    lhs: Sequence[int], rhs: Sequence[tuple[int, ...]], terminal: Sequence[bool]
) -> dict[int, int]:
    """Nonterminal -> the fewest terminals any of its derivations has."""
    shortest = {a: 1 << 30 for a in lhs}
    changed = True
    while changed:
        changed = False
        for a, body in zip(lhs, rhs, strict=True):
            n = sum(1 if terminal[x] else shortest[x] for x in body)
            if n < shortest[a]:
                shortest[a], changed = n, True
    return shortest


def _nullable(lhs: Sequence[int], rhs: Sequence[tuple[int, ...]]) -> set[int]:
    nullable: set[int] = set()
    changed = True
    while changed:
        changed = False
        for a, body in zip(lhs, rhs, strict=True):
            if a not in nullable and all(s in nullable for s in body):
                nullable.add(a)
                changed = True
    return nullable


def _first_sets(
    lhs: Sequence[int], rhs: Sequence[tuple[int, ...]], terminal: Sequence[bool], nullable: set[int]
) -> dict[int, set[int]]:
    first: dict[int, set[int]] = {a: set() for a in lhs}
    changed = True
    while changed:
        changed = False
        for a, body in zip(lhs, rhs, strict=True):
            before = len(first[a])
            for sym in body:
                first[a] |= {sym} if terminal[sym] else first[sym]
                if terminal[sym] or sym not in nullable:
                    break
            changed |= len(first[a]) != before
    return first


@dataclass
class Chart:
    """The result of :func:`recognize`: whether the input parses, where it failed, its chart
    columns (up to the last one reached) and the spans every nonterminal derives (:attr:`ends`)."""

    grammar: Grammar
    tokens: tuple[int, ...]
    columns: tuple[_Column, ...] = field(repr=False)
    accepted: bool
    failed_at: int

    @cached_property
    def ends(self) -> dict[tuple[int, int], tuple[int, ...]]:
        """``ends[(symbol, start)]`` -> the positions where derivations of ``symbol`` from
        ``start`` end. Gathered when first read: the parser's search reads it only of the inputs
        that parse, a few of the hundreds it recognizes."""
        ends: dict[tuple[int, int], list[int]] = {}
        for j, column in enumerate(self.columns):
            for done in column.ends:
                ends.setdefault(done, []).append(j)
        return _frozen(ends)

    def spans(self, symbol: int, start: int, limit: int) -> Iterator[int]:
        """Ends ``<= limit`` of the derivations of ``symbol`` from ``start`` (empty included)."""
        if symbol in self.grammar.nullable:
            yield start
        for end in self.ends.get((symbol, start), ()):
            if start < end <= limit:
                yield end


def recognize(grammar: Grammar, types: Sequence[str]) -> Chart:
    """Run the Earley recognizer over a sequence of terminal names.

    Column ``j`` depends only on the tokens before it and its lookahead (``tokens[j]``, or the
    end), so columns are cached by exactly that key: the parser's search tries hundreds of
    terminal sequences per explanation that share long prefixes, and each shared prefix is
    recognized once. A column that scans nothing ends the work: every column after it is
    empty."""
    g = grammar
    ids = g.ids
    tokens = tuple([ids.get(t, -1) for t in types])
    n = len(tokens)
    if len(g.columns) > MAX_COLUMNS:
        g.columns.clear()
        g.prefixes.clear()
    columns: list[_Column] = []
    prefix = 0  # the id of tokens[:j]
    for j in range(n + 1):
        nxt = tokens[j] if j < n else -1
        column = g.columns.get((prefix, nxt))
        if column is None:
            column = g.columns[prefix, nxt] = _fill(g, columns, j, nxt)
        columns.append(column)
        if j == n or not column.scans:
            break
        known = g.prefixes.get((prefix, nxt))
        # setdefault is atomic: threads that race on one prefix all keep the first id
        prefix = (
            known if known is not None else g.prefixes.setdefault((prefix, nxt), next(g.new_ids))
        )
    accepted = len(columns) == n + 1 and (g.start, 0) in columns[n].ends
    # every column but the last scans its token: the input was read up to the last one
    return Chart(g, tokens, tuple(columns), accepted, n if accepted else len(columns) - 1)


def _frozen(ends: dict[tuple[int, int], list[int]]) -> dict[tuple[int, int], tuple[int, ...]]:
    """``ends`` with tuples for lists. Charts and columns stay cached for the whole process,
    and containers of plain ints that are tuples and dicts are ones Python's cyclic garbage
    collector stops tracking; lists and sets it scans at every full collection (measured over
    the 324 explanations of the held-out sets ``d`` to ``g``: what parsing leaves tracked fell
    from about 107,000 objects to 21,500)."""
    return {key: tuple(value) for key, value in ends.items()}


def _fill(g: Grammar, before: Sequence[_Column], j: int, nxt: int) -> _Column:
    """Column ``j`` from the columns before it and its lookahead ``nxt`` (-1: the end)."""
    rhs, lhs, terminal, by_lhs, nullable = g.rhs, g.lhs, g.terminal, g.by_lhs, g.nullable
    fits = _continuable(g, nxt)
    items: list[Item] = []
    seen: set[Item] = set()
    waiting: dict[int, list[Item]] = {}
    ends: set[tuple[int, int]] = set()
    scans: list[Item] = []

    def add(item: Item) -> None:
        if item not in seen and (item[0], item[1]) in fits:
            seen.add(item)
            items.append(item)

    for item in before[-1].scans if before else [(r, 0, 0) for r in by_lhs[g.start]]:
        add(item)
    predicted: set[int] = set()
    k = 0
    while k < len(items):
        r, dot, origin = items[k]
        k += 1
        body = rhs[r]
        if dot == len(body):
            a = lhs[r]
            ends.add((a, origin))
            if origin != j:  # same-column completions are nullable: advanced when predicted
                for wr, wd, wo in before[origin].waiting.get(a, ()):
                    add((wr, wd + 1, wo))
            continue
        sym = body[dot]
        if terminal[sym]:
            if sym == nxt:
                scans.append((r, dot + 1, origin))
            continue
        waiting.setdefault(sym, []).append((r, dot, origin))
        if sym not in predicted:
            predicted.add(sym)
            for pr in by_lhs.get(sym, ()):
                add((pr, 0, j))
        if sym in nullable or (sym, j) in ends:
            add((r, dot + 1, origin))
    return _Column(
        {symbol: tuple(items) for symbol, items in waiting.items()}, tuple(ends), tuple(scans)
    )


def _continuable(g: Grammar, nxt: int) -> frozenset[tuple[int, int]]:
    """The ``(rule, dot)`` pairs an item may have before the token ``nxt``: those whose rest
    can start with it or be empty (computed once per token)."""
    found = g.continuable.get(nxt)
    if found is None:
        found = g.continuable[nxt] = frozenset(
            key for key, starts in g.first.items() if nxt in starts or key in g.rest_nullable
        )
    return found


class Derivations:
    """Enumerates the derivations of a chart bottom-up through a builder, memoised per span.

    ``build(handler, children)`` returns a list of values for one rule application (empty to
    reject it); :meth:`values` returns all values of a symbol over a span.
    """

    def __init__(self, chart: Chart, leaf: Any, build: Any, cap: int) -> None:
        self.chart, self.g = chart, chart.grammar
        self.leaf, self.build, self.cap = leaf, build, cap
        self.memo: dict[tuple[int, int, int], list[tuple[Any, ...]]] = {}
        self.split_memo: dict[tuple[int, int, int, int], list[tuple[Any, ...]]] = {}
        self.active: set[tuple[int, int, int]] = set()

    def values(self, symbol: int, start: int, end: int) -> list[tuple[Any, ...]]:
        """Child sequences a symbol contributes over ``[start, end)`` (a plain rule gives
        1-tuples of its values; an inlined rule the children it splices)."""
        key = (symbol, start, end)
        if key in self.memo:
            return self.memo[key]
        if key in self.active:
            return []  # a cyclic derivation (A =>+ A over one span) adds nothing
        self.active.add(key)
        out: list[tuple[Any, ...]] = []
        for r in self.g.by_lhs.get(symbol, ()):
            for children in self._splits(r, 0, start, end):
                if self.g.inline[r] or (self.g.expand1[r] and len(children) == 1):
                    out.append(children)
                else:
                    out.extend((v,) for v in self.build(self.g.handler[r], children))
                if len(out) >= self.cap:
                    break
        self.active.discard(key)
        self.memo[key] = out = _dedupe(out)[: self.cap]
        return out

    def _splits(self, r: int, dot: int, start: int, end: int) -> list[tuple[Any, ...]]:
        key = (r, dot, start, end)
        if key in self.split_memo:
            return self.split_memo[key]
        if end - start < self.g.min_rest[r][dot] or (
            start < end and self.chart.tokens[start] not in self.g.first[r, dot]
        ):
            return []  # too few tokens left for the rest of the rule, or none can start it
        body = self.g.rhs[r]
        out: list[tuple[Any, ...]] = []
        if dot == len(body):
            out = [()] if start == end else []
        else:
            sym = body[dot]
            if self.g.terminal[sym]:
                if start < end and self.chart.tokens[start] == sym:
                    leaf = self.leaf(start)
                    out = [(leaf, *rest) for rest in self._splits(r, dot + 1, start + 1, end)]
            else:
                for mid in self.chart.spans(sym, start, end):
                    rests = self._splits(r, dot + 1, mid, end)
                    if not rests:
                        continue
                    for left in self.values(sym, start, mid):
                        out.extend(left + rest for rest in rests)
                        if len(out) >= self.cap * 4:
                            break
        self.split_memo[key] = out
        return out


def _dedupe(values: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    seen: set[Any] = set()
    out = []
    for value in values:
        try:
            if value in seen:
                continue
            seen.add(value)
        except TypeError:  # unhashable values are kept as they are
            pass
        out.append(value)
    return out
