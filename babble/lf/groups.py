"""Dependency groups: LFs that must not be counted as independent sources, from their structure.

Data programming's first idea is that correlated LFs must not be double counted. Babble knows
where its LFs come from and what they say, so it can name the correlated ones before seeing a
single vote. Two LFs are put in one group when

1. they were parsed from **the same explanation** (several readings of one sentence of the
   annotator's: one piece of evidence, however many readings survive the filter bank), or
2. their logical forms are **siblings**: the same label, and the same rule except for *one*
   number ("within 3 words" / "within 4 words"), *one member of one word set* ("'wife' is
   before person2" / "'husband' is before person2"; "'wife' or 'husband'" / "'wife',
   'husband' or 'spouse'") or *one region* ("'wife' is between them" / "'wife' is right
   before person2"). Annotators write such near-copies from different examples, and on the
   rows where both fire they say the same thing twice: the same words, or the same words
   looked for in a neighbouring place, are one piece of evidence.

   Measured on the label model alone (test, ``benchmarks/README.md``): on Spouse, where the
   ``spouse`` LFs are variations on a few words, F1 went from 44.2 (explanation groups only)
   to 43.5 with number and word-set siblings and to 48.7 with regions too; SemEval, CDR and
   ABSA did not change.

Groups are the connected components of these relations (each a sorted list of column indices,
two or more LFs). They are plain data: the label model
(:meth:`babble.labelmodel.LabelModel.fit`, ``groups=``) lets each group cast one vote per row,
shared among its members voting there, so two siblings that never fire on the same row are
counted exactly as before. Duplicates the filter bank found are already gone (it keeps one of
them). Python LFs are grouped with nothing.

Examples
--------
>>> from babble.logic.forms import Entity, LabelingRule, Occurs, Phrase, Side, Window
>>> before = Window(Entity("object"), Side.BEFORE)
>>> wife = LabelingRule(1, Occurs((Phrase("wife"),), before))
>>> husband = LabelingRule(1, Occurs((Phrase("husband"),), before))
>>> siblings(wife, husband), siblings(wife, LabelingRule(0, wife.condition))
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields, is_dataclass

from babble.lf.functions import LabelingFunction
from babble.logic.forms import REGION_TYPES, WORD_TYPES, LabelingRule, Lemma, Phrase

# A word set of one literal word stands for its member: "'wife'" and "'husband'" differ in it.
_LITERALS = (Phrase, Lemma)


def siblings(a: LabelingRule, b: LabelingRule) -> bool:
    """Whether two rules vote the same label and differ in exactly one number, one member of
    one word set or one region (see the module)."""
    return a.label == b.label and _differences(a.condition, b.condition) == 1


def dependency_groups(lfs: Sequence[LabelingFunction], *, by_form: bool = True) -> list[list[int]]:
    """Groups of LF column indices (in ``lfs`` order) that share one vote: LFs of one explanation
    and, with ``by_form``, sibling logical forms (see the module).

    Examples
    --------
    >>> from babble.logic.forms import Cmp, Count, AnyWord, Between, Entity, LabelingRule
    >>> def near(n: int) -> LabelingRule:
    ...     return LabelingRule(1, Count(AnyWord(), Between(Entity("subject"),
    ...         Entity("object")), Cmp.LE, n))
    >>> lfs = [LabelingFunction.from_rule(near(n), explanation=e, rank=0)
    ...        for n, e in [(3, "a"), (5, "b"), (9, "c")]]
    >>> dependency_groups(lfs), dependency_groups(lfs, by_form=False)
    ([[0, 1, 2]], [])
    """
    parent = list(range(len(lfs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        parent[root(i)] = root(j)

    first: dict[str, int] = {}
    for j, lf in enumerate(lfs):
        if lf.origin.explanation is not None:
            join(j, first.setdefault(lf.origin.explanation, j))
    if by_form:
        for members in _by_skeleton(lfs).values():
            for x, i in enumerate(members):
                for j in members[x + 1 :]:
                    if root(i) != root(j) and siblings(_rule(lfs[i]), _rule(lfs[j])):
                        join(i, j)
    found: dict[int, list[int]] = {}
    for j in range(len(lfs)):
        found.setdefault(root(j), []).append(j)
    return [members for members in found.values() if len(members) > 1]


def _rule(lf: LabelingFunction) -> LabelingRule:
    assert lf.rule is not None
    return lf.rule


def _by_skeleton(lfs: Sequence[LabelingFunction]) -> dict[object, list[int]]:
    """Logical-form LFs bucketed by label and shape (numbers and word sets blanked): siblings
    always share a bucket, so only pairs within one are compared."""
    buckets: dict[object, list[int]] = {}
    for j, lf in enumerate(lfs):
        if lf.rule is not None:
            buckets.setdefault((lf.rule.label, _skeleton(lf.rule.condition)), []).append(j)
    return buckets


def _skeleton(node: object) -> object:
    """``node`` with every number, word set and region blanked (hashable)."""
    if isinstance(node, REGION_TYPES):
        return REGION_TYPES
    if isinstance(node, bool):
        return node
    if isinstance(node, int):
        return int
    if isinstance(node, tuple):
        if _word_set(node):
            return tuple
        return tuple(_skeleton(part) for part in node)
    if isinstance(node, _LITERALS):
        return type(node)
    if is_dataclass(node) and not isinstance(node, type):
        return (type(node), *(_skeleton(getattr(node, f.name)) for f in fields(node)))
    return node


def _differences(a: object, b: object) -> int | None:
    """How many numbers, word-set members or regions ``a`` and ``b`` differ in (a word set
    counts once, and only when it lost and gained at most one member; a region counts once,
    however it differs); ``None`` when they differ otherwise."""
    if a == b:
        return 0
    if isinstance(a, REGION_TYPES) and isinstance(b, REGION_TYPES):
        return 1
    if type(a) is not type(b) or isinstance(a, bool):
        return None
    if isinstance(a, int | Phrase | Lemma):
        return 1
    if isinstance(a, tuple) and isinstance(b, tuple):
        if _word_set(a) and _word_set(b):
            lost, gained = set(a) - set(b), set(b) - set(a)
            return 1 if len(lost) <= 1 and len(gained) <= 1 else None
        if len(a) != len(b):
            return None
        return _total(_differences(x, y) for x, y in zip(a, b, strict=True))
    if is_dataclass(a) and not isinstance(a, type):
        return _total(_differences(getattr(a, f.name), getattr(b, f.name)) for f in fields(a))
    return None


def _total(counts: Iterable[int | None]) -> int | None:
    total = 0
    for count in counts:
        if count is None:
            return None
        total += count
    return total


def _word_set(node: tuple[object, ...]) -> bool:
    return bool(node) and all(isinstance(item, WORD_TYPES) for item in node)
