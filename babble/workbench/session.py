"""The workbench's core: a dataset, its preprocessed pool and the explanations written so far.

:class:`Workbench` keeps the pool (and the dev split) preprocessed and its indexes warm, so that
judging one new explanation costs one parse, one pass of its parses over the pool
(:func:`babble.filter.execute_parses`), the filter bank's filters, an analysis of its votes
(:func:`babble.analysis.analyze`) and a label-model fit (:class:`babble.labelmodel.LabelModel`)
-- the annotator's loop that ``benchmarks/workbench.py`` times. Every accepted change is saved
at once, atomically (:class:`~babble.workbench.store.ExplanationStore`), before the workbench's
state changes.

The workbench's LFs are always those ``babble run`` builds from the saved file: after every
change (submit, edit, delete) the filters run over all the explanations in file order
(:func:`babble.filter.filter_executed`, on the parses' votes kept from when each explanation
was written: tens of milliseconds for hundreds of explanations), so that, say, deleting an
explanation brings back the parses of later ones that had been dropped as its duplicates.

Examples
--------
>>> import tempfile
>>> from babble.datasets import load_dataset
>>> demo = load_dataset("jsonl", Path(__file__).parents[2] / "demos" / "founders")
>>> folder = Path(tempfile.mkdtemp())
>>> bench = Workbench(demo, folder / "mine.jsonl", pipeline="blank:en", cache_dir=folder)
>>> feedback = bench.submit("s010-1", "founder", "'founded' is between the person and the company")
>>> feedback.parse.readings[0].paraphrase, feedback.lf.coverage
("label founder if 'founded' is between person and company", 0.23)
>>> (folder / "mine.jsonl").read_text().count("\\n")
1
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from babble.analysis import analyze, unvoted_labels
from babble.apply import LabelMatrix, apply_lfs
from babble.errors import (
    BabbleError,
    ConfigError,
    ExplanationInputError,
    ParseError,
    UnknownCandidateError,
    UnknownExplanationError,
)
from babble.filter import (
    Dropped,
    ExecutedParses,
    FilterConfig,
    FilterResult,
    ParsedExplanation,
    execute_parses,
    filter_executed,
)
from babble.labelmodel import LabelModel
from babble.lf import LabelingFunction, dependency_groups
from babble.logic.forms import LabelingRule, Occurs, Phrase, Sentence
from babble.logic.interpret import analyzer_for, compile_rule
from babble.logic.render import paraphrase, to_sexpr
from babble.metrics import score
from babble.parse import MAX_CHARS, Parse, ParseLimits, ParseResult, parse
from babble.preprocess import DEFAULT_PIPELINE, PreprocessedCandidates, preprocess
from babble.types import Candidate, Dataset, Explanation
from babble.workbench.feedback import (
    STRATEGIES,
    CandidateInfo,
    ExplanationItem,
    ExplanationRecord,
    Feedback,
    LFEstimate,
    LFFigures,
    Mark,
    ParseOutcome,
    Reading,
    SampleCandidate,
    Suggestion,
    Summary,
    TaskInfo,
    Vote,
)
from babble.workbench.figures import (
    against_others,
    entity_marks,
    firing_marks,
    join,
    label_counts,
    spread,
    voted_rows,
)
from babble.workbench.store import ExplanationStore

SAMPLE_SIZE = 5
"""Candidates shown per explanation, with the words that made its LFs fire."""


@dataclass(frozen=True, eq=False)
class _Written:
    """An explanation as written, parsed and its parses executed: done once per text."""

    record: ExplanationRecord
    label: int
    result: ParseResult
    executed: ExecutedParses


@dataclass(frozen=True, eq=False)
class _Entry:
    """A written explanation and what the filter bank made of it after the ones before it: the
    parses it dropped and why, the surviving LFs and their votes."""

    written: _Written
    dropped: tuple[Dropped, ...]
    outcome: ParseOutcome
    lfs: tuple[LabelingFunction, ...]
    pool: LabelMatrix | None
    dev: LabelMatrix | None

    @property
    def record(self) -> ExplanationRecord:
        """The explanation as saved."""
        return self.written.record

    @property
    def label(self) -> int:
        """Its label (integer)."""
        return self.written.label


class Workbench:
    """A dataset's pool, preprocessed and kept loaded, and the explanations written for it.

    Thread-safe: every public method holds one lock, so a web server may call it from several
    threads.

    Parameters
    ----------
    dataset
        The task and its candidates.
    explanations
        The JSONL file every accepted explanation is saved to; when it exists, its explanations
        are loaded first (continuing earlier work).
    pool
        The split whose candidates are the pool (default ``train``, else the first split).
    dev
        A split with gold labels for the LFs' accuracy and the label model's score (default
        ``dev`` when it exists, is not the pool and has gold labels).
    pipeline
        The spaCy pipeline that preprocesses the candidates.
    filter_config
        Settings of the filter bank.
    parse_limits
        Bounds on parsing each explanation (a config's ``[parser]``); the workbench accepts at
        most :data:`~babble.parse.MAX_CHARS` characters whatever they say.
    sample_size
        Candidates shown per explanation.
    seed
        Seeds the candidates' order and the label model.
    cache_dir
        The preprocessing cache root (default ``$BABBLE_CACHE``).
    progress
        Show preprocessing progress.

    Attributes
    ----------
    dataset, space, store
        The dataset, its label space and the explanations file.
    pool_split, pool
        The pool's split and its preprocessed candidates.
    dev_split, dev, dev_gold
        The dev split, its preprocessed candidates and gold labels (``-1`` where unknown);
        ``None``, ``None`` and an empty array without one.

    Raises
    ------
    ConfigError
        A split named does not exist, or the dev split has no gold label.
    DataFormatError
        The explanations file is malformed (the message names the line).
    """

    def __init__(
        self,
        dataset: Dataset,
        explanations: str | Path,
        *,
        pool: str | None = None,
        dev: str | None = None,
        pipeline: str = DEFAULT_PIPELINE,
        filter_config: FilterConfig | None = None,
        parse_limits: ParseLimits | None = None,
        sample_size: int = SAMPLE_SIZE,
        seed: int = 0,
        cache_dir: str | Path | None = None,
        progress: bool = False,
    ) -> None:
        self.dataset = dataset
        self.space = dataset.label_space
        self.store = ExplanationStore(explanations)
        self.pipeline = pipeline
        self.filter_config = filter_config or FilterConfig()
        self.parse_limits = parse_limits or ParseLimits()
        self.sample_size = sample_size
        self.seed = seed
        self.pool_split = _pool_split(dataset, pool)
        self.dev_split = _dev_split(dataset, self.pool_split, dev)
        self._lock = threading.RLock()
        self._analyzer = analyzer_for(pipeline)
        self._cache_dir = cache_dir
        self.pool = self._preprocess(dataset.candidates(self.pool_split), progress)
        self.dev: PreprocessedCandidates | None = None
        self.dev_gold = np.zeros(0, dtype=np.int64)
        if self.dev_split is not None:
            self.dev = self._preprocess(dataset.candidates(self.dev_split), progress)
            self.dev_gold = dataset.gold(self.dev_split)
        self._where = {c.id: (split, c) for split, cs in dataset.splits.items() for c in cs}
        self._row = {c.id: j for j, c in enumerate(self.pool.candidates)}
        self._order = np.random.default_rng(seed).permutation(len(self.pool))
        self._outside: dict[str, PreprocessedCandidates] = {}
        self._entries: list[_Entry] = []
        self._filtered = filter_executed([], self.filter_config)
        self._cache: dict[str, Any] = {}
        self._warm_up()
        self._load()

    # ------------------------------------------------------------------ public API

    def task_info(self) -> TaskInfo:
        """The task, its labels, the pool and the limits."""
        return TaskInfo(
            dataset=self.dataset.name,
            task=self.dataset.task,
            labels=self.space.labels,
            metric=self.dataset.metric,
            pool_split=self.pool_split,
            pool=len(self.pool),
            dev_split=self.dev_split,
            dev_candidates=int(np.count_nonzero(self.dev_gold >= 0)),
            strategies=STRATEGIES,
            explanations_file=str(self.store.path),
            max_chars=min(MAX_CHARS, self.parse_limits.max_chars),
        )

    def candidate(self, candidate_id: str) -> CandidateInfo:
        """One candidate of any split, with the current LFs' votes on it.

        Raises
        ------
        UnknownCandidateError
            No candidate has this id.
        """
        with self._lock:
            split, candidate = self._lookup(candidate_id)
            return CandidateInfo(
                id=candidate.id,
                split=split,
                text=candidate.text,
                entities=entity_marks(candidate, self.space),
                in_pool=candidate.id in self._row,
                votes=self._votes_on(candidate.id),
                explained_by=tuple(
                    e.record.name for e in self._entries if e.record.candidate_id == candidate.id
                ),
            )

    def preview(
        self, candidate_id: str, label: str, text: str, replacing: str | None = None
    ) -> Feedback:
        """What an explanation would do, without saving it (no summary).

        ``replacing`` names the explanation being edited: the text is judged in its place
        (after the explanations before it, about its candidate -- an edit keeps the candidate,
        so ``candidate_id`` is not used), and its current version does not count as a
        conflict or an agreement.

        Raises
        ------
        UnknownCandidateError, LabelError, ExplanationInputError
            Unknown candidate or label, blank or too long text.
        UnknownExplanationError
            ``replacing`` names no explanation.
        """
        started = time.perf_counter()
        with self._lock:
            about: str | None = candidate_id
            if replacing is None:
                k, name = len(self._entries), self._fresh_name()
                self._lookup(candidate_id)
            else:
                k = self._position(replacing)
                name, about = replacing, self._entries[k].record.candidate_id
            written = self._write(name, about, label, _checked(text))
            before = self._entries[:k]
            entries, _ = self._judge([*(e.written for e in before), written], before)
            return self._feedback(entries[-1], started, saved=False)

    def submit(self, candidate_id: str, label: str, text: str) -> Feedback:
        """Judge a new explanation and save it -- also when it does not parse, marked so.

        Raises
        ------
        UnknownCandidateError, LabelError, ExplanationInputError
            Unknown candidate or label, blank or too long text (nothing is saved).
        """
        started = time.perf_counter()
        with self._lock:
            self._lookup(candidate_id)
            written = self._write(self._fresh_name(), candidate_id, label, _checked(text))
            self._commit([*self._written(), written])
            return self._feedback(self._entries[-1], started, saved=True)

    def update(self, name: str, label: str, text: str) -> Feedback:
        """Replace an explanation's label and text (same name, same candidate) and save; the
        explanations after it are filtered again (their parses that were duplicates of its old
        version's may come back, others may now be its duplicates).

        Raises
        ------
        UnknownExplanationError
            No explanation has this name.
        LabelError, ExplanationInputError
            Unknown label, blank or too long text (nothing is changed).
        """
        started = time.perf_counter()
        with self._lock:
            k = self._position(name)
            candidate_id = self._entries[k].record.candidate_id
            written = self._written()
            written[k] = self._write(name, candidate_id, label, _checked(text))
            self._commit(written)
            return self._feedback(self._entries[k], started, saved=True)

    def delete(self, name: str) -> Summary:
        """Delete an explanation, save, and return the new summary; the explanations after it
        are filtered again (parses dropped as duplicates of its LFs come back).

        Raises
        ------
        UnknownExplanationError
            No explanation has this name.
        """
        with self._lock:
            written = self._written()
            del written[self._position(name)]
            self._commit(written)
            return self._summary()

    def explanation(self, name: str) -> ExplanationRecord:
        """One explanation as saved, by name.

        Raises
        ------
        UnknownExplanationError
            No explanation has this name.
        """
        with self._lock:
            return self._entries[self._position(name)].record

    def explanations(self) -> tuple[ExplanationItem, ...]:
        """Every explanation, in order, with its LFs' current figures (no sample)."""
        with self._lock:
            matrix, origins = self._matrix(), self._origins()
            return tuple(
                ExplanationItem(
                    e.record,
                    len(e.outcome.readings),
                    self._figures(e, matrix, origins, own=e.record.name, sample=False),
                )
                for e in self._entries
            )

    def summary(self) -> Summary:
        """Every explanation's LFs together (see :class:`~babble.workbench.feedback.Summary`)."""
        with self._lock:
            return self._summary()

    def suggest_next(self, strategy: str = "uncovered", after: str | None = None) -> Suggestion:
        """The pool candidate to explain next, that no explanation was written about.

        Parameters
        ----------
        strategy
            One of :data:`~babble.workbench.feedback.STRATEGY_HELP`'s:

            * ``"uncovered"``: candidates no LF votes on, in a fixed (seeded) random order;
              an explanation of one of them adds coverage.
            * ``"conflict"``: candidates with votes for at least two labels, the most evenly
              split first (the smallest share of votes for the majority label).
            * ``"uncertain"``: candidates with at least one vote, those whose two likeliest
              labels under the label model are closest first. Candidates no LF votes on are
              left out on purpose: the label model gives each of them the same probabilities
              (its class balance), so their uncertainty ranks nothing -- they would all tie, and
              whenever the classes are balanced fill the top, turning the strategy into
              ``"uncovered"``, which proposes them.

            Ties keep the seeded order.
        after
            The candidate shown now: the one after it in the strategy's order is proposed
            (wrapping around), so asking again walks the whole order.

        Raises
        ------
        ExplanationInputError
            An unknown strategy.
        """
        if strategy not in STRATEGIES:
            raise ExplanationInputError(
                f"unknown strategy {strategy!r}; expected one of {list(STRATEGIES)}"
            )
        with self._lock:
            ranking = self._ranking(strategy)
            explained = {e.record.candidate_id for e in self._entries}
            ids = self.pool.candidates
            open_rows = [int(j) for j in ranking if ids[j].id not in explained]
            if not open_rows:
                return Suggestion(strategy, None, 0, _EMPTY[strategy])
            j = open_rows[_next_index(ranking, open_rows, self._row.get(after or ""))]
            info = self.candidate(ids[j].id)
            return Suggestion(strategy, info, len(open_rows), self._reason(strategy, j))

    # ------------------------------------------------------------------ judging one explanation

    def _write(self, name: str, candidate_id: str | None, label: str, text: str) -> _Written:
        """Parse an explanation and execute its parses over the pool.

        ``candidate_id`` is kept as written; one the dataset does not have is no example (the
        explanation is parsed and checked without one), as ``babble run`` treats it.
        """
        label_int = self.space.index(label)
        label_name = self.space.labels[label_int]
        example = candidate_id if candidate_id in self._where else None
        candidate = None if example is None else self._where[example][1]
        explanation = Explanation(text, label_name, example, name)
        result = parse(
            explanation,
            self.space,
            word_lists=self.dataset.word_lists,
            sentence=None if candidate is None else candidate.text,
            entities=None if candidate is None else candidate.entity_texts,
            **asdict(self.parse_limits),
        )
        error = None if result.error is None else str(result.error)
        executed = execute_parses(
            [ParsedExplanation(name, label_int, result.rules, example, error)],
            self.pool,
            examples=self._examples(example),
            word_lists=self.dataset.word_lists,
            analyzer=self._analyzer,
            n_labels=self.space.k,
        )
        record = ExplanationRecord(
            name, text, label_name, candidate_id, result.ok, _not_understood(result)
        )
        return _Written(record, label_int, result, executed)

    def _judge(
        self, written: Sequence[_Written], known: Sequence[_Entry] = ()
    ) -> tuple[list[_Entry], FilterResult]:
        """The filter bank over ``written``, in order, as ``babble run`` filters the saved file.

        An entry of ``known`` whose explanation the bank judges as before is reused; the others
        (their drops changed) get their LFs' votes and verdicts anew.
        """
        filtered = filter_executed([w.executed for w in written], self.filter_config)
        dropped: dict[str, list[Dropped]] = {}
        for d in filtered.dropped:
            dropped.setdefault(d.explanation, []).append(d)
        kept: dict[str | None, list[LabelingFunction]] = {}
        for lf in filtered.lfs:
            kept.setdefault(lf.origin.explanation, []).append(lf)
        before = {e.written: e for e in known}
        entries = []
        for w in written:
            drops = tuple(dropped.get(w.record.name, ()))
            old = before.get(w)
            if old is not None and old.dropped == drops:
                entries.append(old)
            else:
                entries.append(self._entry(w, drops, tuple(kept.get(w.record.name, ()))))
        return entries, filtered

    def _entry(
        self, written: _Written, dropped: tuple[Dropped, ...], lfs: tuple[LabelingFunction, ...]
    ) -> _Entry:
        """An explanation with the bank's drops and surviving LFs, their votes on pool and dev."""
        parsed = written.executed.parsed
        pool_votes = None
        if lfs and parsed is not None:
            pool_votes = parsed.select([lf.name for lf in lfs])
        outcome = self._outcome(written, dropped)
        return _Entry(written, dropped, outcome, lfs, pool_votes, self._apply(lfs, self.dev))

    def _apply(
        self, lfs: Sequence[LabelingFunction], prepared: PreprocessedCandidates | None
    ) -> LabelMatrix | None:
        if not lfs or prepared is None:
            return None
        return apply_lfs(
            lfs,
            prepared,
            word_lists=self.dataset.word_lists,
            analyzer=self._analyzer,
            n_labels=self.space.k,
        )

    def _outcome(self, written: _Written, dropped: Sequence[Dropped]) -> ParseOutcome:
        """The readings of an explanation with the filter bank's verdicts."""
        name, result = written.record.name, written.result
        verdicts = {d.lf: (d.filter, d.reason) for d in dropped}
        parsed = written.executed.parsed
        votes = np.zeros(len(result.parses), dtype=np.int64)
        if parsed is not None:
            votes = np.diff(parsed.matrix.tocsc().indptr)
        readings = tuple(
            self._reading(
                f"{name}#{rank}", rank, p, verdicts.get(f"{name}#{rank}"), int(votes[rank])
            )
            for rank, p in enumerate(result.parses)
        )
        error = result.error
        return ParseOutcome(
            ok=result.ok,
            readings=readings,
            error=None if error is None else error.reason,
            error_code=None if error is None else error.code,
            not_understood=_error_marks(result.text, error),
            warnings=tuple(w.reason for w in result.warnings),
        )

    def _reading(
        self, lf: str, rank: int, p: Parse, dropped: tuple[str, str] | None, votes: int
    ) -> Reading:
        verdict, reason = dropped or ("kept", None)
        return Reading(
            rank=rank,
            lf=lf,
            paraphrase=self._paraphrase(p.rule),
            logical_form=to_sexpr(p.rule),
            skipped=tuple(Mark(w, s, e) for w, (s, e) in zip(p.skipped, p.spans, strict=True)),
            quoted=p.quoted,
            respelled=p.respelled,
            verdict=verdict,
            reason=reason,
            votes=votes,
            coverage=votes / len(self.pool),
        )

    # ------------------------------------------------------------------ figures

    def _feedback(self, entry: _Entry, started: float, saved: bool) -> Feedback:
        # the accepted LFs, holding this entry itself once it is saved: its own columns never count
        matrix, origins = self._matrix(), self._origins()
        figures = self._figures(entry, matrix, origins, own=entry.record.name, sample=True)
        return Feedback(
            explanation=entry.record,
            saved=saved,
            parse=entry.outcome,
            lf=figures,
            summary=self._summary() if saved else None,
            elapsed_ms=(time.perf_counter() - started) * 1000.0,
        )

    def _figures(
        self,
        entry: _Entry,
        others: LabelMatrix | None,
        origins: Mapping[str, str],
        own: str | None,
        sample: bool,
    ) -> LFFigures | None:
        """Figures of an entry's LFs against ``others`` (whose columns of explanation ``own``
        are the entry itself, or its earlier version, and do not count)."""
        if entry.pool is None:
            return None
        rows = voted_rows(entry.pool)
        conflicting, agreements, named = against_others(rows, entry.label, others, origins, own=own)
        dev_votes, dev_correct, dev_accuracy = 0, 0, None
        if entry.dev is not None and np.any(self.dev_gold >= 0):
            judged = analyze(entry.pool, self.dev_gold, dev=entry.dev).total
            dev_votes, dev_correct, dev_accuracy = (
                judged.gold_votes,
                judged.correct,
                judged.accuracy,
            )
        return LFFigures(
            lfs=tuple(lf.name for lf in entry.lfs),
            votes=int(rows.size),
            coverage=rows.size / len(self.pool),
            dev_votes=dev_votes,
            dev_correct=dev_correct,
            dev_accuracy=dev_accuracy,
            conflicts=int(conflicting.size),
            agreements=agreements,
            conflicts_with=named,
            sample=self._sample(entry, rows, conflicting) if sample else (),
        )

    def _sample(
        self, entry: _Entry, rows: np.ndarray, conflicting: np.ndarray
    ) -> tuple[SampleCandidate, ...]:
        rules = [
            compile_rule(lf.rule, self.dataset.word_lists, analyzer=self._analyzer)
            for lf in entry.lfs
            if lf.rule is not None
        ]
        clashing = set(conflicting.tolist())
        out = []
        for j in spread(rows, self.sample_size).tolist():
            candidate = self.pool.candidates[j]
            out.append(
                SampleCandidate(
                    id=candidate.id,
                    text=candidate.text,
                    entities=entity_marks(candidate, self.space),
                    vote=entry.record.label,
                    firing=firing_marks(rules, self.pool, j),
                    conflicts=j in clashing,
                )
            )
        return tuple(out)

    def _summary(self) -> Summary:
        if "summary" not in self._cache:
            self._cache["summary"] = self._compute_summary()
        summary: Summary = self._cache["summary"]
        return summary

    def _compute_summary(self) -> Summary:
        matrix = self._matrix()
        dev_gold = int(np.count_nonzero(self.dev_gold >= 0))
        parsed = sum(e.record.parsed for e in self._entries)
        n, m = len(self._entries), len(self.pool)
        if matrix is None:
            return Summary(
                n, parsed, 0, m, 0.0, 0.0, 0.0, (), None, None, dev_gold, self.space.labels
            )
        dev = self._dev_matrix()
        gold = self.dev_gold if dev is not None else None
        analysis = analyze(matrix, gold, dev=dev, origins=self._origins())
        model = self._model()
        labels = self._labels()
        estimates = tuple(
            LFEstimate(
                lf=s.name,
                explanation=s.origin,
                label=self.space.labels[labels[j]],
                coverage=s.coverage,
                estimated_accuracy=float(model.accuracies_[j, labels[j]]),
                dev_accuracy=s.accuracy,
                dev_votes=s.gold_votes,
            )
            for j, s in enumerate(analysis.lfs)
        )
        dev_score = None
        if dev is not None and dev_gold:
            known = self.dev_gold >= 0
            predicted = model.predict(dev.matrix)[known]
            dev_score = score(self.dataset.metric, self.dev_gold[known], predicted, self.space)
        return Summary(
            explanations=n,
            parsed=parsed,
            lfs=matrix.shape[1],
            pool=m,
            coverage=analysis.total.coverage,
            overlap=analysis.total.overlap,
            conflict=analysis.total.conflict,
            label_model=estimates,
            dev_metric=None if dev_score is None else self.dataset.metric,
            dev_score=dev_score,
            dev_candidates=dev_gold,
            unvoted=tuple(self.space.name(c) for c in unvoted_labels(matrix, self.space.k)),
        )

    # ------------------------------------------------------------------ the whole set

    def _matrix(self) -> LabelMatrix | None:
        """Every accepted LF's votes on the pool, explanation by explanation (the bank's)."""
        return self._filtered.matrix

    def _dev_matrix(self) -> LabelMatrix | None:
        if "dev" not in self._cache:
            self._cache["dev"] = join([e.dev for e in self._entries if e.dev is not None])
        matrix: LabelMatrix | None = self._cache["dev"]
        return matrix

    def _origins(self) -> dict[str, str]:
        return {lf.name: e.record.name for e in self._entries for lf in e.lfs}

    def _labels(self) -> list[int]:
        """The label of every accepted LF, in column order."""
        return [e.label for e in self._entries for _ in e.lfs]

    def _model(self) -> LabelModel:
        """The label model fitted on every accepted LF (LFs of one explanation and sibling
        logical forms counted once, as ``babble run`` does)."""
        if "model" not in self._cache:
            matrix = self._matrix()
            assert matrix is not None
            lfs = [lf for e in self._entries for lf in e.lfs]
            model = LabelModel(cardinality=self.space.k, random_state=self.seed)
            self._cache["model"] = model.fit(matrix.matrix, groups=dependency_groups(lfs))
        model_: LabelModel = self._cache["model"]
        return model_

    def _written(self) -> list[_Written]:
        return [e.written for e in self._entries]

    def _commit(self, written: list[_Written]) -> None:
        """Filter ``written``, save it and make it the workbench's (only once the file is
        written)."""
        entries, filtered = self._judge(written, self._entries)
        self.store.save([w.record for w in written])
        self._entries, self._filtered = entries, filtered
        self._cache.clear()

    # ------------------------------------------------------------------ choosing the next one

    def _ranking(self, strategy: str) -> np.ndarray:
        """Pool rows in the order ``strategy`` proposes them (ties: the seeded order)."""
        matrix = self._matrix()
        if matrix is None:  # nothing votes: everything is uncovered, nothing conflicts
            return self._order[:0] if strategy == "conflict" else self._order
        counts = label_counts(matrix, self.space.k)
        voted = counts.sum(axis=1)
        order = self._order
        if strategy == "uncovered":
            return np.asarray(order[voted[order] == 0])
        if strategy == "conflict":
            rows = order[(counts[order] > 0).sum(axis=1) >= 2]
            majority = counts[rows].max(axis=1) / voted[rows]
            return np.asarray(rows[np.argsort(majority, kind="stable")])
        rows = order[voted[order] > 0]
        top = np.sort(self._probabilities()[rows], axis=1)
        return np.asarray(rows[np.argsort(top[:, -1] - top[:, -2], kind="stable")])

    def _probabilities(self) -> np.ndarray:
        if "probs" not in self._cache:
            matrix = self._matrix()
            assert matrix is not None
            self._cache["probs"] = self._model().predict_proba(matrix.matrix)
        probs: np.ndarray = self._cache["probs"]
        return probs

    def _reason(self, strategy: str, j: int) -> str:
        matrix = self._matrix()
        if matrix is None:
            return "no LF yet: every candidate is uncovered"
        if strategy == "uncovered":
            return "no LF votes on it"
        if strategy == "conflict":
            counts = label_counts(matrix, self.space.k)[j]
            said = ", ".join(
                f"{counts[c]} for {self.space.labels[c]}" for c in np.argsort(-counts) if counts[c]
            )
            return f"LFs disagree on it: {said}"
        probs = self._probabilities()[j]
        first, second = np.argsort(-probs)[:2]
        return (
            f"the label model hesitates: {self.space.labels[first]} {probs[first]:.0%}, "
            f"{self.space.labels[second]} {probs[second]:.0%}"
        )

    # ------------------------------------------------------------------ helpers

    def _lookup(self, candidate_id: str) -> tuple[str, Candidate]:
        if candidate_id not in self._where:
            raise UnknownCandidateError(
                f"no candidate with id {candidate_id!r} in dataset {self.dataset.name!r}"
            )
        return self._where[candidate_id]

    def _votes_on(self, candidate_id: str) -> tuple[Vote, ...]:
        matrix = self._matrix()
        if matrix is None or candidate_id not in self._row:
            return ()
        row = matrix.matrix[self._row[candidate_id]]
        origins = self._origins()
        return tuple(
            Vote(matrix.lf_names[j], origins[matrix.lf_names[j]], self.space.labels[int(v) - 1])
            for j, v in zip(row.indices.tolist(), row.data.tolist(), strict=True)
        )

    def _examples(self, candidate_id: str | None) -> PreprocessedCandidates | None:
        """Preprocessed candidates holding an explanation's own example when it is not in the
        pool (for the filter bank's consistency check)."""
        if candidate_id is None or candidate_id in self._row or candidate_id not in self._where:
            return None
        if self.dev is not None and self._where[candidate_id][0] == self.dev_split:
            return self.dev
        if candidate_id not in self._outside:
            candidate = self._where[candidate_id][1]
            self._outside[candidate_id] = self._preprocess([candidate], progress=False)
        return self._outside[candidate_id]

    def _preprocess(
        self, candidates: Sequence[Candidate], progress: bool
    ) -> PreprocessedCandidates:
        return preprocess(
            candidates, pipeline=self.pipeline, cache_dir=self._cache_dir, progress=progress
        )

    def _position(self, name: str) -> int:
        for k, entry in enumerate(self._entries):
            if entry.record.name == name:
                return k
        raise UnknownExplanationError(
            f"no explanation named {name!r}; there are {len(self._entries)} explanations"
        )

    def _fresh_name(self) -> str:
        taken = {e.record.name for e in self._entries}
        k = len(self._entries)
        while f"explanation-{k}" in taken:
            k += 1
        return f"explanation-{k}"

    def _paraphrase(self, rule: LabelingRule) -> str:
        try:
            return paraphrase(rule, self.space)
        except BabbleError:  # a role with no alias: the exact form still says it
            return to_sexpr(rule)

    def _warm_up(self) -> None:
        """Load the parser's grammar and build the pool's indexes before the first request."""
        parse("the", self.space, label=0)
        rule = LabelingRule(0, Occurs((Phrase("the"),), Sentence()))
        self._apply([LabelingFunction.from_rule(rule, explanation="warm-up", rank=0)], self.pool)

    def _load(self) -> None:
        """Judge the explanations saved earlier, as written and in order (see
        :meth:`ExplanationStore.load <babble.workbench.store.ExplanationStore.load>`)."""
        written = []
        for e in self.store.load(self.dataset):
            assert e.name is not None  # the store names every line
            written.append(self._write(e.name, e.candidate_id, e.label, e.text))
        self._entries, self._filtered = self._judge(written)
        self._cache.clear()


# ---------------------------------------------------------------------- module helpers

_EMPTY = {
    "uncovered": "every unexplained pool candidate is covered by some LF",
    "conflict": "no unexplained pool candidate has conflicting votes",
    "uncertain": "no unexplained pool candidate has a vote yet",
}


def _pool_split(dataset: Dataset, pool: str | None) -> str:
    if pool is None:
        return "train" if "train" in dataset.splits else next(iter(dataset.splits))
    if pool not in dataset.splits:
        raise ConfigError(
            f"pool split {pool!r} not in dataset {dataset.name!r}; it has {list(dataset.splits)}"
        )
    return pool


def _dev_split(dataset: Dataset, pool: str, dev: str | None) -> str | None:
    if dev is None:
        has_gold = "dev" in dataset.splits and bool(np.any(dataset.gold("dev") >= 0))
        return "dev" if has_gold and pool != "dev" else None
    if dev not in dataset.splits:
        raise ConfigError(
            f"dev split {dev!r} not in dataset {dataset.name!r}; it has {list(dataset.splits)}"
        )
    if not np.any(dataset.gold(dev) >= 0):
        raise ConfigError(f"dev split {dev!r} has no gold label to score the LFs with")
    return dev


def _checked(text: str) -> str:
    """An explanation's text as accepted from an annotator: not blank, not over the bound."""
    if not text.strip():
        raise ExplanationInputError("the explanation is blank; say why the label is right")
    if len(text) > MAX_CHARS:
        raise ExplanationInputError(
            f"the explanation has {len(text)} characters, more than the limit of {MAX_CHARS}; "
            "split it into shorter explanations"
        )
    return text


def _not_understood(result: ParseResult) -> tuple[str, ...]:
    """The words to rephrase when an explanation has no reading (none when it has one)."""
    if result.error is None:
        return ()
    return result.error.words or tuple(m.text for m in _error_marks(result.text, result.error))


def _error_marks(text: str, error: ParseError | None) -> tuple[Mark, ...]:
    if error is None:
        return ()
    return tuple(Mark(text[s:e], s, e) for s, e in sorted(set(error.spans)) if 0 <= s < e)


def _next_index(ranking: np.ndarray, open_rows: list[int], after: int | None) -> int:
    """The index in ``open_rows`` of the first row ranked after ``after`` (wrapping), else 0."""
    if after is None:
        return 0
    hits = np.flatnonzero(ranking == after)
    if not hits.size:
        return 0
    rank = {int(j): i for i, j in enumerate(ranking.tolist())}
    later = [k for k, j in enumerate(open_rows) if rank[j] > hits[0]]
    return later[0] if later else 0
