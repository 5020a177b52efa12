"""The data model every stage shares: candidates, explanations, label spaces, datasets.

Conventions, stated once:

* Character offsets are 0-based and end-exclusive (Python slices): ``text[start:end]``.
* Labels are integers ``0 .. k-1`` named by a :class:`LabelSpace`; ``ABSTAIN = -1`` as in Snorkel,
  so label matrices interoperate.
* A candidate carries zero entity spans (text classification), one (aspect sentiment: the
  target) or two (relations: subject, then object).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from babble.errors import LabelError

ABSTAIN = -1
"""The integer an LF returns when it does not vote (Snorkel's convention)."""

ROLES = ("subject", "object", "target")
"""Entity roles: relations have a subject and an object, aspect sentiment one target."""

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _empty() -> Mapping[str, Any]:
    return _EMPTY


@dataclass(frozen=True)
class SourceLocation:
    """Where a record came from: a file and a 1-based line (or a document id for XML).

    Examples
    --------
    >>> str(SourceLocation("train.jsonl", 12))
    'train.jsonl:12'
    """

    file: str
    line: int | None = None
    document: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.document is not None:
            where += f" (document {self.document})"
        return where


@dataclass(frozen=True)
class Token:
    """One token of a candidate's source tokenisation, with its character offsets."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class EntitySpan:
    """A typed entity mention inside a candidate's sentence.

    Parameters
    ----------
    role
        ``"subject"``, ``"object"`` or ``"target"`` (see :data:`ROLES`).
    type
        The entity type as the task names it, e.g. ``"PERSON"`` or ``"CHEMICAL"``.
    start, end
        Character offsets into :attr:`Candidate.text`, end-exclusive.
    text
        The covered text, ``sentence[start:end]``; checked by :class:`Candidate`.
    """

    role: str
    type: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Candidate:
    """One example to label: a sentence and the entities the label is about.

    Examples
    --------
    >>> s = "Ann married Bob."
    >>> ann = EntitySpan("subject", "PERSON", 0, 3, "Ann")
    >>> bob = EntitySpan("object", "PERSON", 12, 15, "Bob")
    >>> toks = (Token("Ann", 0, 3), Token("married", 4, 11), Token("Bob", 12, 15))
    >>> c = Candidate(id="c1", doc_id="d1", text=s, tokens=toks, spans=(ann, bob))
    >>> c.span("object").text
    'Bob'
    """

    id: str
    doc_id: str
    text: str
    tokens: tuple[Token, ...]
    spans: tuple[EntitySpan, ...] = ()
    label: int | None = None
    metadata: Mapping[str, Any] = field(default_factory=_empty, compare=False, hash=False)

    def __post_init__(self) -> None:
        if len(self.spans) > 2:
            raise ValueError(
                f"candidate {self.id!r}: at most two entity spans, got {len(self.spans)}"
            )
        for span in self.spans:
            if not 0 <= span.start < span.end <= len(self.text):
                raise ValueError(
                    f"candidate {self.id!r}: span {span.role} [{span.start}, {span.end}) is "
                    f"outside its sentence of {len(self.text)} characters"
                )
            if self.text[span.start : span.end] != span.text:
                raise ValueError(
                    f"candidate {self.id!r}: span {span.role} covers "
                    f"{self.text[span.start : span.end]!r}, not {span.text!r}"
                )

    def span(self, role: str) -> EntitySpan:
        """Return the entity span with this role, or raise ``KeyError``."""
        for span in self.spans:
            if span.role == role:
                return span
        raise KeyError(f"candidate {self.id!r} has no {role!r} span (has {self.roles})")

    @property
    def entity_texts(self) -> dict[str, str]:
        """Each role's entity as written in the text (what an annotator may call it)."""
        return {span.role: span.text for span in self.spans}

    @property
    def roles(self) -> tuple[str, ...]:
        """The roles of this candidate's spans, in order."""
        return tuple(span.role for span in self.spans)


@dataclass(frozen=True)
class Explanation:
    """A label and the annotator's reason for it, in plain English.

    ``label`` is the label's name in the task's :class:`LabelSpace`; ``candidate_id`` names the
    example it was written about when that example is in the data (else ``None``).
    """

    text: str
    label: str
    candidate_id: str | None = None
    name: str | None = None
    source: SourceLocation | None = None


@dataclass(frozen=True)
class LabelSpace:
    """Label names <-> integers ``0..k-1``, and how annotators name labels and entities.

    Parameters
    ----------
    labels
        Label names; the position of a name is its integer.
    entity_aliases
        Phrase (lower case) -> entity role, e.g. ``{"person1": "subject", "x": "subject"}``.
        Loaded from the task's alias table (data, not code); the parser resolves mentions with it.
    label_aliases
        Extra phrase (lower case) -> label name, e.g. ``{"true": "spouse", "1": "spouse"}``.
    entity_types
        Role -> the entity type of that role, e.g. ``{"subject": "PERSON"}``.

    Examples
    --------
    >>> space = LabelSpace(("negative", "positive"), label_aliases={"true": "positive"})
    >>> space.index("positive"), space.index("TRUE"), space.name(0), space.k
    (1, 1, 'negative', 2)
    """

    labels: tuple[str, ...]
    entity_aliases: Mapping[str, str] = field(default_factory=_empty, hash=False)
    label_aliases: Mapping[str, str] = field(default_factory=_empty, hash=False)
    entity_types: Mapping[str, str] = field(default_factory=_empty, hash=False)

    def __post_init__(self) -> None:
        if len(self.labels) < 2:
            raise ValueError(f"a label space needs at least two labels, got {self.labels}")
        if len(set(self.labels)) != len(self.labels):
            raise ValueError(f"label names must be unique, got {self.labels}")
        unknown = {v for v in self.label_aliases.values() if v not in self.labels}
        if unknown:
            raise ValueError(f"label aliases point to unknown labels {sorted(unknown)}")
        bad_roles = {r for r in self.entity_aliases.values() if r not in ROLES}
        if bad_roles:
            raise ValueError(
                f"entity aliases point to unknown roles {sorted(bad_roles)}; use {ROLES}"
            )

    @property
    def k(self) -> int:
        """Number of classes."""
        return len(self.labels)

    def index(self, name: str) -> int:
        """The integer of a label name or alias (case-insensitive); raises :class:`LabelError`."""
        if name in self.labels:
            return self.labels.index(name)
        folded = name.strip().lower()
        for i, label in enumerate(self.labels):
            if label.lower() == folded:
                return i
        if folded in self.label_aliases:
            return self.labels.index(self.label_aliases[folded])
        raise LabelError(
            f"unknown label {name!r}; expected one of {list(self.labels)}"
            + (f" or an alias {sorted(self.label_aliases)}" if self.label_aliases else "")
        )

    def name(self, index: int) -> str:
        """The name of a label integer (``ABSTAIN`` is ``"ABSTAIN"``)."""
        if index == ABSTAIN:
            return "ABSTAIN"
        if not 0 <= index < self.k:
            raise LabelError(f"label {index} is outside 0..{self.k - 1} (or -1 for abstain)")
        return self.labels[index]


@dataclass(frozen=True)
class SkippedRows:
    """Rows a loader skipped on purpose, with the reason, so nothing is dropped silently."""

    reason: str
    count: int
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExplanationJoin:
    """Whether an explanation was joined to its example, and why not when it was not."""

    explanation: Explanation
    joined: bool
    reason: str = ""


@dataclass(frozen=True)
class Dataset:
    """Everything a loader returns: candidates per split, explanations, and task metadata.

    Attributes
    ----------
    name
        Dataset name, e.g. ``"semeval"``.
    task
        Kind of task: ``"relation"``, ``"aspect"`` or ``"text"``.
    label_space
        The task's labels and aliases.
    splits
        Split name (``"train"``, ``"dev"``, ``"test"``, ...) -> candidates.
    explanations
        All explanations, joined or not; see :attr:`joins`.
    joins
        One entry per explanation: joined to a candidate or not, and why.
    word_lists
        Named word lists the explanations may use, e.g. CDR's ``causal``.
    label_matrices
        Split -> an existing label matrix (WRENCH's own LFs), shape (n, m), ``-1`` = abstain.
    metric
        The task's metric: ``"accuracy"``, ``"f1"`` (positive class) or ``"semeval_macro_f1"``.
    skipped
        Rows skipped on purpose, with reasons.
    notes
        Facts about the data worth knowing that change no row, e.g. how many texts occur in two
        splits, or how many gold labels were mapped (WRENCH, Spouse).
    """

    name: str
    task: str
    label_space: LabelSpace
    splits: Mapping[str, tuple[Candidate, ...]]
    explanations: tuple[Explanation, ...] = ()
    joins: tuple[ExplanationJoin, ...] = ()
    word_lists: Mapping[str, tuple[str, ...]] = field(default_factory=_empty)
    label_matrices: Mapping[str, np.ndarray] = field(default_factory=_empty, compare=False)
    metric: str = "accuracy"
    skipped: tuple[SkippedRows, ...] = ()
    notes: tuple[str, ...] = ()

    def candidates(self, split: str | None = None) -> tuple[Candidate, ...]:
        """The candidates of one split, or of all splits in order when ``split`` is None."""
        if split is None:
            return tuple(c for cands in self.splits.values() for c in cands)
        if split not in self.splits:
            raise KeyError(
                f"dataset {self.name!r} has no split {split!r}; it has {list(self.splits)}"
            )
        return self.splits[split]

    def __iter__(self) -> Iterator[Candidate]:
        return iter(self.candidates())

    def gold(self, split: str) -> np.ndarray:
        """Gold labels of a split as an int array (``-1`` where unknown)."""
        return np.array(
            [ABSTAIN if c.label is None else c.label for c in self.candidates(split)],
            dtype=np.int64,
        )
