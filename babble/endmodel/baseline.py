"""A fast baseline end model: logistic regression on n-gram or sentence-embedding features.

It trains in seconds on CPU, so it serves quick iteration and learning curves, and it shows how
much the fine-tuned transformer adds. Like :class:`~babble.endmodel.model.EndModel` it learns from
probabilistic labels (soft cross-entropy) and saves as a folder (JSON + ``.npz``, no pickles).

Features
    ``"ngrams"``: word n-grams of the sentence with each entity replaced by its role
    (``<subj> married <obj>``), the n-grams between the two entities of a relation, the words
    near an aspect target, the entities' own words and their order; tf-idf weighted, rows
    L2-normalised. This is the classic feature set of relation extraction (Mintz et al., 2009).
    ``"embeddings"``: a frozen encoder's mean token state for the sentence, for each entity
    span and, for a relation, for the words between the two entities (default: the bundled
    ``all-MiniLM-L6-v2``), each block L2-normalised (:class:`~babble.endmodel.embed.SpanEmbedder`).
Learning
    Multinomial logistic regression minimising ``C * sum_i CE(p_i, q_i) + ||W||^2 / 2`` with
    L-BFGS (scipy). With a dev set and no ``C`` given, ``C`` is chosen from
    :data:`C_GRID` by the dev metric. With a dev set and ``class_prior="dev"``, the intercept
    is moved to the dev set's class prior (:func:`~babble.endmodel.labels.prior_shift`).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
import scipy.optimize
import scipy.sparse as sp

from babble._io import atomic_write_bytes
from babble.datasets._common import simple_tokenize
from babble.endmodel.labels import (
    check_class_prior,
    class_weights,
    dev_prior_shift,
    gold_candidates,
    softmax,
    training_rows,
)
from babble.endmodel.markers import candidate_roles
from babble.endmodel.store import (
    begin_save,
    check_label_space,
    label_space_from_dict,
    label_space_to_dict,
    read_meta,
    write_meta,
)
from babble.errors import CandidateRolesError, CheckpointError, ConfigError, NotFittedError
from babble.metrics import score
from babble.types import Candidate, LabelSpace

KIND = "baseline"
FEATURES = ("ngrams", "embeddings")
C_GRID = (1.0, 10.0, 100.0)
"""Inverse regularisation strengths tried when a dev set is given."""
DEFAULT_C = 30.0
"""C without a dev set: the best of :data:`C_GRID` and its neighbours on SemEval, Spouse, CDR
(gold training labels, test split), rounded between them."""
_PLACEHOLDER = {"subject": "<subj>", "object": "<obj>", "target": "<tgt>"}


@dataclass(frozen=True)
class BaselineSettings:
    """Settings of :class:`BaselineEndModel`.

    Parameters
    ----------
    features
        ``"ngrams"`` or ``"embeddings"``.
    C
        Inverse L2 strength; ``None``: chosen on the dev set, else :data:`DEFAULT_C`.
    ngram
        Longest word n-gram (``"ngrams"``).
    min_count
        Keep n-grams seen in at least this many training candidates.
    max_iter
        L-BFGS iterations.
    class_weights, include_uncovered, class_prior
        As for the transformer end model.
    model, max_length, batch_size, device
        The frozen encoder of ``"embeddings"`` (``None``: the bundled MiniLM).
    """

    features: str = "ngrams"
    C: float | None = None
    ngram: int = 2
    min_count: int = 2
    max_iter: int = 500
    class_weights: str | tuple[float, ...] | None = None
    include_uncovered: bool = False
    class_prior: str = "labels"
    model: str | None = None
    max_length: int = 128
    batch_size: int = 64
    device: str | None = None

    def __post_init__(self) -> None:
        if self.features not in FEATURES:
            raise ConfigError(f"baseline features must be one of {FEATURES}, got {self.features!r}")
        if self.C is not None and not self.C > 0:
            raise ConfigError(f"C must be positive, got {self.C}")
        if self.ngram < 1 or self.min_count < 1 or self.max_iter < 1:
            raise ConfigError("ngram, min_count and max_iter must be at least 1")
        check_class_prior(self.class_prior)


SHARED_SETTINGS = (
    "class_weights",
    "class_prior",
    "include_uncovered",
    "max_length",
    "batch_size",
    "device",
)
"""End-model settings that mean the same for the baseline; the rest tune the transformer only."""


def baseline_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The end-model settings the baseline takes (see :data:`SHARED_SETTINGS`)."""
    return {k: settings[k] for k in SHARED_SETTINGS if k in settings}


class BaselineEndModel:
    """Logistic regression on n-grams or frozen embeddings, trained on probabilistic labels.

    Examples
    --------
    >>> from babble.types import Token
    >>> def cand(i, text):
    ...     return Candidate(str(i), "d", text, tuple(simple_tokenize(text)))
    >>> pool = [cand(0, "great food"), cand(1, "awful food"), cand(2, "great staff")]
    >>> probs = [[0.1, 0.9], [0.8, 0.2], [0.2, 0.8]]
    >>> model = BaselineEndModel().fit(pool, probs)
    >>> model.predict([cand(3, "great place")]).tolist()
    [1]
    """

    def __init__(self, features: str = "ngrams", **settings: Any) -> None:
        known = {f.name for f in fields(BaselineSettings)}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise ConfigError(f"unknown baseline settings {unknown}; known: {sorted(known)}")
        if isinstance(settings.get("class_weights"), list):
            settings["class_weights"] = tuple(settings["class_weights"])
        self.settings = BaselineSettings(features=features, **settings)
        self.label_space: LabelSpace | None = None
        self.roles: tuple[str, ...] = ()
        self.C: float | None = None
        self.dev_scores: dict[float, float] = {}
        self._vocab: dict[str, int] = {}
        self._idf = np.zeros(0)
        self._weights = np.zeros((0, 0))
        self._bias = np.zeros(0)
        self._embedder: Any = None

    def fit(
        self,
        candidates: Sequence[Candidate],
        probs: Any,
        dev: Sequence[Candidate] | None = None,
        *,
        label_space: LabelSpace | None = None,
        covered: Any = None,
        metric: str = "accuracy",
    ) -> BaselineEndModel:
        """Train on ``candidates`` and probabilistic labels ``probs`` (see
        :meth:`EndModel.fit <babble.endmodel.model.EndModel.fit>` for the arguments)."""
        s = self.settings
        train, targets, label_space = training_rows(
            candidates, probs, label_space, covered, s.include_uncovered
        )
        self.label_space, self.roles = label_space, candidate_roles(train, "training candidates")
        if s.features == "ngrams":
            self._build_vocabulary(train)
        x = self._features(train)
        weights = class_weights(targets, s.class_weights)
        dev_gold = gold_candidates(dev or ())
        gold = np.array([c.label for c in dev_gold], dtype=np.int64)
        shift = dev_prior_shift(s.class_prior, targets, gold, weights)
        if s.C is not None or not dev_gold:
            self.C = s.C or DEFAULT_C
            self._weights, b = _fit_logreg(x, targets, self.C, weights, s.max_iter)
            self._bias = b + shift
            return self
        x_dev = self._features(dev_gold)
        best: tuple[float, float, np.ndarray, np.ndarray] | None = None
        start: np.ndarray | None = None
        for c in C_GRID:
            w, b = _fit_logreg(x, targets, c, weights, s.max_iter, start)
            start = np.vstack([w, b[None, :]])
            b = b + shift
            found = score(metric, gold, softmax(x_dev @ w + b).argmax(axis=1), label_space)
            self.dev_scores[c] = found
            if best is None or found > best[0]:
                best = (found, c, w, b)
        assert best is not None
        _, self.C, self._weights, self._bias = best
        return self

    # -- features ------------------------------------------------------------------------------

    def _build_vocabulary(self, candidates: Sequence[Candidate]) -> None:
        counts: Counter[str] = Counter()
        for cand in candidates:
            counts.update(set(ngram_features(cand, self.settings.ngram)))
        kept = sorted(f for f, n in counts.items() if n >= self.settings.min_count)
        self._vocab = {f: i for i, f in enumerate(kept)}
        df = np.array([counts[f] for f in kept], dtype=np.float64)
        self._idf = np.log((1 + len(candidates)) / (1 + df)) + 1.0

    def _features(self, candidates: Sequence[Candidate]) -> Any:
        roles = candidate_roles(candidates)
        if candidates and roles != self.roles:
            raise CandidateRolesError(
                f"candidates have entity roles {list(roles)}, the model was trained on "
                f"{list(self.roles)}"
            )
        if self.settings.features == "embeddings":
            return self._embed(candidates)
        rows, cols = [], []
        for i, cand in enumerate(candidates):
            found = {
                self._vocab[f]
                for f in ngram_features(cand, self.settings.ngram)
                if f in self._vocab
            }
            rows += [i] * len(found)
            cols += sorted(found)
        values = self._idf[cols] if cols else np.zeros(0)
        x = sp.csr_matrix((values, (rows, cols)), shape=(len(candidates), len(self._vocab)))
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        return sp.diags(1.0 / np.maximum(norms, 1e-12)) @ x

    def _embed(self, candidates: Sequence[Candidate]) -> np.ndarray:
        from babble.endmodel.embed import SpanEmbedder

        if self._embedder is None:
            s = self.settings
            self._embedder = SpanEmbedder(s.model, s.max_length, s.batch_size, s.device)
        blocks: np.ndarray = self._embedder.embed(candidates, self.roles)
        if self._weights.size and blocks.shape[1] != self._weights.shape[0]:
            raise CheckpointError(
                f"the saved baseline expects {self._weights.shape[0]} embedding features, its "
                f"encoder gives {blocks.shape[1]} (saved by an older babble?); train it again"
            )
        return blocks

    # -- prediction ----------------------------------------------------------------------------

    def predict_proba(self, candidates: Sequence[Candidate]) -> np.ndarray:
        """Class probabilities ``(n, k)``, rows summing to 1."""
        label_space = self._fitted()
        if not candidates:
            return np.zeros((0, label_space.k))
        return softmax(self._features(candidates) @ self._weights + self._bias)

    def predict(self, candidates: Sequence[Candidate]) -> np.ndarray:
        """The most probable class of each candidate (int64)."""
        labels: np.ndarray = self.predict_proba(candidates).argmax(axis=1).astype(np.int64)
        return labels

    def check_label_space(self, label_space: LabelSpace, what: str = "the data") -> None:
        """Raise :class:`~babble.errors.LabelSpaceMismatchError` unless the labels agree."""
        check_label_space(self._fitted(), label_space, what)

    def _fitted(self) -> LabelSpace:
        if self.label_space is None or not self._weights.size:
            raise NotFittedError("the baseline is not trained yet: call fit() or load()")
        return self.label_space

    # -- persistence ---------------------------------------------------------------------------

    def save(self, folder: str | Path) -> Path:
        """Save to ``folder``: ``weights.npz``, ``vocabulary.json`` and ``endmodel.json``."""
        label_space = self._fitted()
        path = begin_save(folder)
        with (path / ".weights.tmp.npz").open("wb") as handle:
            np.savez_compressed(handle, weights=self._weights, bias=self._bias, idf=self._idf)
        (path / ".weights.tmp.npz").replace(path / "weights.npz")
        atomic_write_bytes(path / "vocabulary.json", json.dumps(list(self._vocab)).encode())
        meta = {
            "label_space": label_space_to_dict(label_space),
            "roles": list(self.roles),
            "C": self.C,
            "settings": asdict(self.settings),
        }
        write_meta(path, KIND, meta)
        return path

    @classmethod
    def load(cls, folder: str | Path, device: str | None = None) -> BaselineEndModel:
        """Load a baseline saved by :meth:`save`."""
        meta = read_meta(folder, KIND)
        settings = {**meta["settings"], "device": device}
        model = cls(**settings)
        model.label_space = label_space_from_dict(meta["label_space"])
        model.roles, model.C = tuple(meta["roles"]), meta["C"]
        try:
            with np.load(Path(folder) / "weights.npz", allow_pickle=False) as arrays:
                model._weights, model._bias, model._idf = (
                    arrays["weights"],
                    arrays["bias"],
                    arrays["idf"],
                )
            vocab = json.loads((Path(folder) / "vocabulary.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError) as exc:
            raise CheckpointError(f"cannot read the saved baseline in {folder}: {exc}") from exc
        model._vocab = {f: i for i, f in enumerate(vocab)}
        return model


def ngram_features(candidate: Candidate, n: int = 2) -> list[str]:
    """The n-gram features of one candidate (see the module docstring).

    Examples
    --------
    >>> from babble.types import EntitySpan
    >>> text = "Ann married Bob ."
    >>> spans = (EntitySpan("subject", "PERSON", 0, 3, "Ann"),
    ...          EntitySpan("object", "PERSON", 12, 15, "Bob"))
    >>> c = Candidate("c", "d", text, simple_tokenize(text), spans=spans)
    >>> ngram_features(c, 1)  # doctest: +NORMALIZE_WHITESPACE
    ['w:<subj>', 'w:married', 'w:<obj>', 'w:.', 'subj:ann', 'obj:bob', 'between:married',
     'order:subject-first', 'gap:1']
    """
    tokens = candidate.tokens or simple_tokenize(candidate.text)
    words: list[str] = []
    owner: list[str | None] = []
    for tok in tokens:
        role = next(
            (s.role for s in candidate.spans if tok.start < s.end and s.start < tok.end), None
        )
        if role is not None and owner and owner[-1] == role:
            continue  # one placeholder per entity
        words.append(_PLACEHOLDER[role] if role else tok.text.lower())
        owner.append(role)
    out = [f"w:{g}" for g in _ngrams(words, n)]
    for span in candidate.spans:
        out += [
            f"{_PLACEHOLDER[span.role][1:-1]}:{t.text.lower()}" for t in simple_tokenize(span.text)
        ]
    if len(candidate.spans) == 2 and set(owner) >= set(candidate.roles):
        first, second = sorted(candidate.spans, key=lambda s: s.start)
        between = [w for w, o in zip(words, owner, strict=True) if o is None][
            _count_before(owner, first.role) : _count_before(owner, second.role)
        ]
        out += [f"between:{g}" for g in _ngrams(between, n)]
        out += [f"order:{first.role}-first", f"gap:{_bucket(len(between))}"]
    elif len(candidate.spans) == 1 and candidate.spans[0].role in owner:
        at = owner.index(candidate.spans[0].role)
        near = words[max(0, at - 3) : at] + words[at + 1 : at + 4]
        out += [f"near:{w}" for w in near]
    return out


def _count_before(owner: list[str | None], role: str) -> int:
    """How many non-entity words precede the placeholder of ``role``."""
    return sum(1 for o in owner[: owner.index(role)] if o is None)


def _ngrams(words: Sequence[str], n: int) -> Iterable[str]:
    for size in range(1, n + 1):
        for i in range(len(words) - size + 1):
            yield " ".join(words[i : i + size])


def _bucket(gap: int) -> str:
    """A word distance, in buckets 0, 1, 2, 3-5, 6-10, 11+."""
    for top, name in ((0, "0"), (1, "1"), (2, "2"), (5, "3-5"), (10, "6-10")):
        if gap <= top:
            return name
    return "11+"


def _fit_logreg(
    x: Any,
    targets: np.ndarray,
    c: float,
    weights: np.ndarray | None,
    max_iter: int,
    start: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Minimise ``c * sum_i -sum_j w_j p_ij log q_ij + ||W||^2 / 2`` over ``W`` (d, k) and the
    unregularised bias; returns ``(W, b)``."""
    d, k = x.shape[1], targets.shape[1]
    wp = targets if weights is None else targets * weights
    row_mass = wp.sum(axis=1, keepdims=True)

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[: d * k].reshape(d, k), theta[d * k :]
        z = x @ w + b
        z = z - z.max(axis=1, keepdims=True)
        logq = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = -c * float((wp * logq).sum()) + 0.5 * float((w * w).sum())
        residual = c * (np.exp(logq) * row_mass - wp)
        grad_w = x.T @ residual + w
        return loss, np.concatenate([np.asarray(grad_w).ravel(), residual.sum(axis=0)])

    theta0 = np.zeros(d * k + k) if start is None else start.ravel()
    result = scipy.optimize.minimize(
        objective, theta0, jac=True, method="L-BFGS-B", options={"maxiter": max_iter, "ftol": 1e-7}
    )
    theta = result.x
    if not math.isfinite(float(result.fun)):
        raise ConfigError("logistic regression diverged; lower C")
    return theta[: d * k].reshape(d, k), theta[d * k :]
