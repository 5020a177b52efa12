"""What the workbench tells an annotator: plain, JSON-ready frozen dataclasses.

Every value is a string, a number, a boolean, ``None`` or a tuple of these dataclasses, so the
web API returns them as they are (FastAPI documents them in its OpenAPI schema) and the terminal
loop prints them. Character offsets are 0-based and end-exclusive, into the text they belong to
(the explanation for skipped words, the candidate's sentence for entities and firing words).
"""

from __future__ import annotations

from dataclasses import dataclass

STRATEGY_HELP = {
    "uncovered": "candidates no LF votes on (an explanation there adds coverage)",
    "conflict": "candidates whose LFs vote for different labels, the most evenly split first",
    "uncertain": "candidates with a vote whose two likeliest labels under the label model are "
    "closest first (those without a vote all look alike to it: see 'uncovered')",
}
"""What each way of choosing the next candidate proposes (see ``Workbench.suggest_next``)."""

STRATEGIES = tuple(STRATEGY_HELP)
"""How the next candidate is chosen: one no LF votes on, one where LFs disagree, or one with a
vote where the label model is least sure."""


@dataclass(frozen=True)
class Mark:
    """A stretch of text: its surface, character offsets and, for sentences, token offsets.

    Examples
    --------
    >>> Mark("wife", 8, 12)
    Mark(text='wife', start=8, end=12, token_start=None, token_end=None)
    """

    text: str
    start: int
    end: int
    token_start: int | None = None
    token_end: int | None = None


@dataclass(frozen=True)
class EntityMark:
    """An entity of a candidate: its role, type, offsets and how explanations may name it."""

    role: str
    type: str
    text: str
    start: int
    end: int
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Vote:
    """An LF's vote on a candidate."""

    lf: str
    explanation: str
    label: str


@dataclass(frozen=True)
class CandidateInfo:
    """One candidate as the annotator sees it (its gold label is never shown).

    Attributes
    ----------
    id, split, text
        The candidate, the split it belongs to and its sentence.
    entities
        Its entity spans, with the aliases explanations may use for them.
    in_pool
        Whether it is in the pool the LFs are measured on.
    votes
        The current LFs' votes on it (pool candidates only).
    explained_by
        The names of the explanations written about it.
    """

    id: str
    split: str
    text: str
    entities: tuple[EntityMark, ...]
    in_pool: bool
    votes: tuple[Vote, ...]
    explained_by: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    """One parse of an explanation and what the filter bank did with it.

    Attributes
    ----------
    rank, lf
        Its rank (0 = best) and the name its LF has (``<explanation>#<rank>``).
    paraphrase, logical_form
        Canonical English, and the exact logical form as an S-expression.
    skipped
        Words of the explanation this reading ignores, with their offsets in the explanation.
    quoted
        Unquoted words read as quoted because they occur in the candidate's sentence.
    respelled
        Misspelt words read as the lexicon word they stand for: (as written, as read) pairs.
    verdict, reason
        ``"kept"``, or the filter that dropped it (one of :data:`babble.filter.FILTERS`:
        ``consistency``, ``uniform``, ``duplicate``, ...) and why. ``duplicate`` also means the
        same votes as an LF of an explanation accepted earlier.
    votes, coverage
        Candidates of the pool it votes on, as a count and a share.
    """

    rank: int
    lf: str
    paraphrase: str
    logical_form: str
    skipped: tuple[Mark, ...]
    quoted: tuple[str, ...]
    respelled: tuple[tuple[str, str], ...]
    verdict: str
    reason: str | None
    votes: int
    coverage: float


@dataclass(frozen=True)
class ParseOutcome:
    """What the parser made of an explanation.

    Attributes
    ----------
    ok
        Whether some reading was found.
    readings
        The readings, best first.
    error, error_code
        Why there is none (message and stable error code), when there is none.
    not_understood
        The words at fault when there is no reading, with their offsets in the explanation.
    warnings
        Problems that did not prevent parsing (too many readings, deadline reached).
    """

    ok: bool
    readings: tuple[Reading, ...]
    error: str | None
    error_code: str | None
    not_understood: tuple[Mark, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class SampleCandidate:
    """A pool candidate an explanation's LFs vote on, with the words that made them fire.

    Attributes
    ----------
    id, text, entities
        The candidate, its sentence and its entities.
    vote
        The label the explanation's LFs give it.
    firing
        The words (character and token offsets in ``text``) that made an LF fire.
    conflicts
        Whether an LF already written votes another label on it.
    """

    id: str
    text: str
    entities: tuple[EntityMark, ...]
    vote: str
    firing: tuple[Mark, ...]
    conflicts: bool


@dataclass(frozen=True)
class Conflict:
    """An explanation whose LFs vote another label on some of the same candidates."""

    explanation: str
    candidates: int


@dataclass(frozen=True)
class LFFigures:
    """The surviving LFs of one explanation, taken together, against the pool and the others.

    Attributes
    ----------
    lfs
        The names of the LFs that survived the filter bank.
    votes, coverage
        Pool candidates they vote on, as a count and a share of the pool.
    dev_votes, dev_correct, dev_accuracy
        Their votes on dev candidates with gold labels, the correct ones, and the accuracy
        (``None`` without such a vote or without dev gold).
    conflicts, agreements
        Pool candidates they vote on where an LF of another explanation votes another label /
        the same label.
    conflicts_with
        The other explanations they conflict with, most conflicts first (at most five).
    sample
        A few pool candidates they vote on, firing words marked.
    """

    lfs: tuple[str, ...]
    votes: int
    coverage: float
    dev_votes: int
    dev_correct: int
    dev_accuracy: float | None
    conflicts: int
    agreements: int
    conflicts_with: tuple[Conflict, ...]
    sample: tuple[SampleCandidate, ...]


@dataclass(frozen=True)
class ExplanationRecord:
    """An explanation as saved: one line of the explanations file.

    Attributes
    ----------
    name, text, label, candidate_id
        As in the generic ``explanations.jsonl`` format (``docs/formats.md``).
    parsed
        Whether the parser found a reading.
    not_understood
        The words the parser did not understand when it found none.
    """

    name: str
    text: str
    label: str
    candidate_id: str | None
    parsed: bool
    not_understood: tuple[str, ...]


@dataclass(frozen=True)
class LFEstimate:
    """One LF in the summary: the label model's estimate of its accuracy, and its dev figures."""

    lf: str
    explanation: str
    label: str
    coverage: float
    estimated_accuracy: float | None
    dev_accuracy: float | None
    dev_votes: int


@dataclass(frozen=True)
class Summary:
    """Every explanation's LFs together, on the pool (and on dev gold when there is some).

    Attributes
    ----------
    explanations, parsed, lfs
        Explanations saved, those with a reading, and LFs that survived the filter bank.
    pool
        Candidates in the pool.
    coverage, overlap, conflict
        Shares of the pool some LF votes on, two LFs vote on, two LFs disagree on.
    label_model
        Per LF, the label model's estimate of its accuracy (``P(gold = vote | it votes)``).
    dev_metric, dev_score, dev_candidates
        The task's metric of the label model's predictions on the dev candidates with gold
        (e.g. ``"f1"``), and how many there are; ``None`` without dev gold or without LFs.
    unvoted
        The labels no LF votes anywhere in the pool yet: an end model trained on these labels
        would never predict them (an explanation with such a label adds it).
    """

    explanations: int
    parsed: int
    lfs: int
    pool: int
    coverage: float
    overlap: float
    conflict: float
    label_model: tuple[LFEstimate, ...]
    dev_metric: str | None
    dev_score: float | None
    dev_candidates: int
    unvoted: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feedback:
    """Everything the workbench says about one explanation, previewed or saved.

    Attributes
    ----------
    explanation
        The explanation (as it is or would be saved).
    saved
        Whether it was saved (``False`` for a preview).
    parse
        The parser's readings and the filter bank's verdicts, or why there is no reading.
    lf
        Figures of its surviving LFs; ``None`` when none survived.
    summary
        The whole set after saving it; ``None`` for a preview.
    elapsed_ms
        Time from the request to the complete feedback.
    """

    explanation: ExplanationRecord
    saved: bool
    parse: ParseOutcome
    lf: LFFigures | None
    summary: Summary | None
    elapsed_ms: float


@dataclass(frozen=True)
class ExplanationItem:
    """An entry of the explanation list: the explanation and its LFs' current figures."""

    explanation: ExplanationRecord
    readings: int
    lf: LFFigures | None


@dataclass(frozen=True)
class Suggestion:
    """The candidate proposed next, and why.

    Attributes
    ----------
    strategy
        One of :data:`STRATEGIES`.
    candidate
        The proposed candidate; ``None`` when no candidate fits the strategy.
    remaining
        Unexplained pool candidates that fit the strategy.
    reason
        Why this one, in words.
    """

    strategy: str
    candidate: CandidateInfo | None
    remaining: int
    reason: str


@dataclass(frozen=True)
class TaskInfo:
    """What the workbench works on: the task, its labels, the pool and the limits.

    Attributes
    ----------
    dataset, task, labels, metric
        The dataset's name, kind of task, label names (in label order) and metric.
    pool_split, pool
        The split whose candidates are the pool, and how many there are.
    dev_split, dev_candidates
        The split whose gold labels score the LFs, and its candidates with gold (0: none).
    strategies
        The ways of choosing the next candidate (:data:`STRATEGIES`).
    explanations_file
        Where every accepted explanation is saved.
    max_chars
        The longest explanation accepted.
    """

    dataset: str
    task: str
    labels: tuple[str, ...]
    metric: str
    pool_split: str
    pool: int
    dev_split: str | None
    dev_candidates: int
    strategies: tuple[str, ...]
    explanations_file: str
    max_chars: int
