"""Labeling functions: a logical form parsed from an explanation, or a Python callable.

Both kinds vote one integer label per candidate, or abstain (``ABSTAIN = -1``), and both end up
as columns of one label matrix (:func:`babble.apply.apply_lfs`). A logical-form LF is executed
over a whole preprocessed pool at once; a Python LF is called once per
:class:`~babble.types.Candidate`, exactly as Snorkel's ``@labeling_function`` LFs are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import overload

from babble.errors import LabelingFunctionDefinitionError
from babble.logic.forms import LabelingRule
from babble.types import Candidate

CandidateFunction = Callable[[Candidate], int]
"""What a hand-written LF is: a candidate in, a label (or ``ABSTAIN``) out."""


@dataclass(frozen=True)
class Origin:
    """Where an LF comes from: an explanation and the rank of its parse, or Python code.

    Examples
    --------
    >>> str(Origin("exp12", 0)), str(PYTHON), PYTHON.is_python
    ('exp12#0', 'python', True)
    """

    explanation: str | None = None
    rank: int | None = None

    def __post_init__(self) -> None:
        if (self.explanation is None) != (self.rank is None):
            raise LabelingFunctionDefinitionError(
                f"an origin names both an explanation and a parse rank, or neither (Python), "
                f"got explanation={self.explanation!r}, rank={self.rank!r}"
            )

    @property
    def is_python(self) -> bool:
        """Whether the LF was written in Python rather than parsed from an explanation."""
        return self.explanation is None

    def __str__(self) -> str:
        return "python" if self.explanation is None else f"{self.explanation}#{self.rank}"


PYTHON = Origin()
"""The origin of every hand-written LF."""


@dataclass(frozen=True)
class LabelingFunction:
    """A named LF: either a logical form (``rule``) or a Python callable (``func``), not both.

    Attributes
    ----------
    name
        Unique within a set of LFs; it names the LF's label-matrix column.
    origin
        The explanation and parse rank it was parsed from, or :data:`PYTHON`.
    rule
        The logical form, for an LF parsed from an explanation.
    func
        The callable, for a hand-written LF; it may raise, and then abstains on that candidate
        (the applier counts and reports such errors).

    Examples
    --------
    >>> from babble.logic.forms import Entity, Order
    >>> lf = LabelingFunction.from_rule(LabelingRule(1, Order(Entity("subject"), Entity("object"))),
    ...                                 explanation="exp3", rank=0)
    >>> lf.name, str(lf.origin), lf.label
    ('exp3#0', 'exp3#0', 1)
    """

    name: str
    origin: Origin
    rule: LabelingRule | None = None
    func: CandidateFunction | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise LabelingFunctionDefinitionError(
                f"an LF needs a non-empty name, got {self.name!r}"
            )
        if (self.rule is None) == (self.func is None):
            raise LabelingFunctionDefinitionError(
                f"LF {self.name!r}: give either a logical form or a Python callable, not "
                f"{'both' if self.rule is not None else 'neither'}"
            )
        if self.rule is not None and not isinstance(self.rule, LabelingRule):
            raise LabelingFunctionDefinitionError(
                f"LF {self.name!r}: rule must be a LabelingRule, got {type(self.rule).__name__}"
            )
        if self.func is not None and not callable(self.func):
            raise LabelingFunctionDefinitionError(
                f"LF {self.name!r}: func must be callable, got {type(self.func).__name__}"
            )

    @classmethod
    def from_rule(
        cls, rule: LabelingRule, *, explanation: str, rank: int, name: str | None = None
    ) -> LabelingFunction:
        """The LF of parse number ``rank`` (0 = best) of explanation ``explanation``.

        Its name defaults to ``"<explanation>#<rank>"``.
        """
        origin = Origin(explanation, rank)
        return cls(name or str(origin), origin, rule=rule)

    @classmethod
    def from_callable(cls, func: CandidateFunction, name: str | None = None) -> LabelingFunction:
        """A hand-written LF; its name defaults to ``func.name`` (a Snorkel LF) or ``__name__``."""
        if not callable(func):
            raise LabelingFunctionDefinitionError(
                f"a labeling function must be callable, got {type(func).__name__}"
            )
        found = name or getattr(func, "name", None) or getattr(func, "__name__", None)
        if not isinstance(found, str) or found == "<lambda>":
            raise LabelingFunctionDefinitionError(
                f"cannot name the labeling function {func!r}; pass name=..."
            )
        return cls(found, PYTHON, func=func)

    @property
    def is_python(self) -> bool:
        """Whether this LF is hand-written Python."""
        return self.func is not None

    @property
    def label(self) -> int | None:
        """The one label a logical-form LF votes; ``None`` for Python LFs (any label)."""
        return None if self.rule is None else self.rule.label

    def __call__(self, candidate: Candidate) -> int:
        """Call a hand-written LF on one candidate (logical forms run through the appliers)."""
        if self.func is None:
            raise LabelingFunctionDefinitionError(
                f"LF {self.name!r} is a logical form: it runs over preprocessed candidates, "
                f"use babble.apply.apply_lfs"
            )
        return self.func(candidate)


@overload
def labeling_function(name: CandidateFunction) -> LabelingFunction: ...


@overload
def labeling_function(
    name: str | None = None,
) -> Callable[[CandidateFunction], LabelingFunction]: ...


def labeling_function(
    name: str | CandidateFunction | None = None,
) -> LabelingFunction | Callable[[CandidateFunction], LabelingFunction]:
    """Decorate a function of a :class:`~babble.types.Candidate` into a :class:`LabelingFunction`.

    Use it as Snorkel's: ``@labeling_function()`` or ``@labeling_function(name="...")``; the bare
    ``@labeling_function`` works too. The function returns a label integer or ``ABSTAIN`` (-1).

    Examples
    --------
    >>> from babble.types import ABSTAIN
    >>> @labeling_function()
    ... def lf_wife(c: Candidate) -> int:
    ...     return 1 if "wife" in c.text else ABSTAIN
    >>> lf_wife.name, lf_wife.is_python
    ('lf_wife', True)
    """
    if callable(name):
        return LabelingFunction.from_callable(name)
    if name is not None and not isinstance(name, str):
        raise LabelingFunctionDefinitionError(
            f"labeling_function(name=...) takes a string, got {type(name).__name__}"
        )

    def wrap(func: CandidateFunction) -> LabelingFunction:
        return LabelingFunction.from_callable(func, name)

    return wrap


def as_labeling_functions(
    lfs: Iterable[LabelingFunction | CandidateFunction],
) -> tuple[LabelingFunction, ...]:
    """LFs as a tuple of :class:`LabelingFunction`, plain callables wrapped, names checked unique.

    Raises
    ------
    LabelingFunctionDefinitionError
        An item is neither an LF nor callable, or two LFs share a name.

    Examples
    --------
    >>> def short(c: Candidate) -> int:
    ...     return 0 if len(c.text) < 20 else -1
    >>> [lf.name for lf in as_labeling_functions([short])]
    ['short']
    """
    out = tuple(
        lf if isinstance(lf, LabelingFunction) else LabelingFunction.from_callable(lf) for lf in lfs
    )
    seen: dict[str, LabelingFunction] = {}
    for lf in out:
        if lf.name in seen:
            raise LabelingFunctionDefinitionError(
                f"two labeling functions are named {lf.name!r} ({seen[lf.name].origin} and "
                f"{lf.origin}); LF names must be unique, they name the label-matrix columns"
            )
        seen[lf.name] = lf
    return out


def lfs_from_parses(
    explanation: str, rules: Iterable[LabelingRule]
) -> tuple[LabelingFunction, ...]:
    """One LF per parse of an explanation, ranked as given (best first), named ``<name>#<rank>``.

    Examples
    --------
    >>> from babble.logic.forms import Entity, Order
    >>> rules = [LabelingRule(1, Order(Entity("subject"), Entity("object"))),
    ...          LabelingRule(1, Order(Entity("object"), Entity("subject")))]
    >>> [lf.name for lf in lfs_from_parses("exp7", rules)]
    ['exp7#0', 'exp7#1']
    """
    return tuple(
        LabelingFunction.from_rule(rule, explanation=explanation, rank=rank)
        for rank, rule in enumerate(rules)
    )
