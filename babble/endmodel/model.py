"""The transformer end model: a pre-trained encoder fine-tuned on probabilistic labels.

Architecture
    The candidate's sentence with typed entity markers (:mod:`babble.endmodel.markers`) goes
    through the encoder (any Hugging Face ``AutoModel``). The classifier reads the mean of the
    token states (the sentence; what sentence-transformers such as the default MiniLM are trained
    to produce) concatenated with the state at each entity's opening marker (the "entity start"
    representation, the best of the variants compared by Baldini Soares et al., 2019), through
    dropout and one linear layer. Text classification (no entities) uses the mean alone.
Saved form
    A folder: ``encoder/`` (``save_pretrained`` of the encoder and of the tokenizer with the
    marker tokens), ``head.safetensors`` and ``endmodel.json`` (label space, marker scheme,
    settings). :meth:`EndModel.load` reads it back for prediction.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torch import nn

from babble.endmodel.data import CandidateDataset, CandidateEncoder
from babble.endmodel.device import amp_dtype, autocast, select_device
from babble.endmodel.hub import load_pretrained, model_label, quiet_transformers
from babble.endmodel.labels import (
    class_weights,
    dev_prior_shift,
    gold_candidates,
    softmax,
    training_rows,
)
from babble.endmodel.markers import EntityMarkers, candidate_roles
from babble.endmodel.store import (
    begin_save,
    check_label_space,
    label_space_from_dict,
    label_space_to_dict,
    read_meta,
    write_meta,
)
from babble.endmodel.train import EndModelSettings, Trainer, TrainResult, fingerprint
from babble.errors import CandidateRolesError, CheckpointError, NotFittedError
from babble.metrics import score
from babble.types import Candidate, LabelSpace

KIND = "transformer"


class MarkerClassifier(nn.Module):
    """Encoder + [mean of token states; state at each entity's opening marker] -> linear."""

    def __init__(self, encoder: Any, n_entities: int, k: int, dropout: float) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = int(encoder.config.hidden_size)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden * (1 + n_entities), k)

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, marker_positions: torch.Tensor
    ) -> torch.Tensor:
        """Logits ``(batch, k)``."""
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        parts = [(states * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)]
        if marker_positions.shape[1]:
            index = marker_positions.unsqueeze(-1).expand(-1, -1, states.shape[-1])
            parts.append(states.gather(1, index).flatten(1))
        pooled = self.dropout(torch.cat(parts, dim=-1))
        logits: torch.Tensor = self.head(pooled)
        return logits


class EndModel:
    """Fine-tune a Hugging Face encoder on probabilistic labels; predict class probabilities.

    Parameters
    ----------
    model
        Hugging Face model name or local folder; ``None`` (default) is the bundled
        ``all-MiniLM-L6-v2``, which needs no network.
    **settings
        Any field of :class:`~babble.endmodel.train.EndModelSettings` (``steps``, ``lr``,
        ``batch_size``, ``max_length``, ``class_weights``, ``seed``, ...).

    Examples
    --------
    >>> EndModel(steps=100, lr=5e-5).settings.steps
    100
    """

    def __init__(self, model: str | Path | None = None, **settings: Any) -> None:
        self.settings = EndModelSettings.create(
            model=None if model is None else str(model), **settings
        )
        self.label_space: LabelSpace | None = None
        self.markers: EntityMarkers | None = None
        self.result: TrainResult | None = None
        self._tokenizer: Any = None
        self._network: MarkerClassifier | None = None
        self._encoder: CandidateEncoder | None = None
        self._device = torch.device("cpu")
        self._logit_shift = np.zeros(0)

    # -- training ------------------------------------------------------------------------------

    def fit(
        self,
        candidates: Sequence[Candidate],
        probs: Any,
        dev: Sequence[Candidate] | None = None,
        *,
        label_space: LabelSpace | None = None,
        covered: Any = None,
        metric: str = "accuracy",
        checkpoint_dir: str | Path | None = None,
        resume: bool = True,
    ) -> EndModel:
        """Train on ``candidates`` with probabilistic labels ``probs`` ``(n, k)``.

        Parameters
        ----------
        candidates, probs
            The pool and one probability row per candidate, in the same order.
        dev
            Candidates with gold labels for early stopping (scored with ``metric``) and, with
            the setting ``class_prior="dev"``, for the class prior of the predictions; optional.
        label_space
            The task's labels (names ``"0".."k-1"`` when not given).
        covered
            Bool mask, ``False`` where every LF abstained: those rows are left out unless the
            setting ``include_uncovered`` is true. ``None``: all rows are covered.
        metric
            Dev metric (see :func:`babble.metrics.score`).
        checkpoint_dir
            Write a checkpoint each round there and resume from the latest one (when
            ``resume`` and it is from the same run).
        """
        s = self.settings
        train, targets, label_space = training_rows(
            candidates, probs, label_space, covered, s.include_uncovered
        )
        dev_set = gold_candidates(dev or ())
        if dev_set:
            roles = candidate_roles(train, "training candidates")
            if candidate_roles(dev_set, "dev candidates") != roles:
                raise CandidateRolesError(
                    f"dev candidates have entity roles {list(dev_set[0].roles)}, training ones "
                    f"{list(roles)}"
                )
        self.label_space = label_space
        self.markers = EntityMarkers.from_candidates(train)
        torch.manual_seed(s.seed)
        self._build(*load_pretrained(s.model), label_space.k)
        assert self._network is not None and self._encoder is not None
        data = CandidateDataset(self._encoder.encode(train), targets)
        weights = class_weights(targets, s.class_weights)
        gold = np.array([c.label for c in dev_set], dtype=np.int64)
        self._logit_shift = dev_prior_shift(s.class_prior, targets, gold, weights)

        evaluate = None
        if dev_set:
            dev_data = CandidateDataset(self._encoder.encode(dev_set))
            score(metric, gold, gold, label_space)  # fail now, not after the first round

            def evaluate() -> float:
                pred = self._predict_dataset(dev_data).argmax(axis=1)
                return score(metric, gold, pred, label_space)

        network = self._network
        trainer = Trainer(
            network,
            lambda b: network(b["input_ids"], b["attention_mask"], b["marker_positions"]),
            data,
            s,
            self._device,
            self._pad_id(),
            weights,
            evaluate,
        )
        run_id = fingerprint(
            {
                "settings": s.fingerprint_dict(),
                "labels": list(label_space.labels),
                "train": [c.id for c in train],
                "targets": targets,
                "dev": [c.id for c in dev_set],
                "metric": metric,
            }
        )
        path = None if checkpoint_dir is None else Path(checkpoint_dir)
        self.result = trainer.run(path, run_id, resume)
        network.eval()
        return self

    def _build(self, tokenizer: Any, encoder: Any, k: int) -> None:
        """Add the marker tokens to a fresh tokenizer/encoder and put a new head on top."""
        assert self.markers is not None
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token
        # add_tokens(special_tokens=True): never split or lower-cased, same API in v4 and v5.
        added = tokenizer.add_tokens(list(self.markers.tokens()), special_tokens=True)
        if added:
            with quiet_transformers():
                encoder.resize_token_embeddings(len(tokenizer))
        self._attach(
            tokenizer, MarkerClassifier(encoder, len(self.markers.roles), k, self.settings.dropout)
        )

    def _attach(self, tokenizer: Any, network: MarkerClassifier) -> None:
        assert self.markers is not None
        self._tokenizer = tokenizer
        self._device = select_device(self.settings.device, self.settings.cpu_threads)
        self._network = network.to(self._device)
        self._encoder = CandidateEncoder(tokenizer, self.markers, self.settings.max_length)

    def _pad_id(self) -> int:
        return int(self._tokenizer.pad_token_id)

    # -- prediction ----------------------------------------------------------------------------

    def predict_proba(self, candidates: Sequence[Candidate]) -> np.ndarray:
        """Class probabilities ``(n, k)`` (float64, rows sum to 1), in candidate order."""
        label_space = self._fitted()
        if not candidates:
            return np.zeros((0, label_space.k))
        assert self._encoder is not None
        return self._predict_dataset(CandidateDataset(self._encoder.encode(candidates)))

    def predict(self, candidates: Sequence[Candidate]) -> np.ndarray:
        """The most probable class of each candidate (int64)."""
        labels: np.ndarray = self.predict_proba(candidates).argmax(axis=1).astype(np.int64)
        return labels

    def _predict_dataset(self, data: CandidateDataset) -> np.ndarray:
        assert self._network is not None and self.label_space is not None
        order = data.by_length()
        out = np.zeros((len(data), self.label_space.k))
        dtype = amp_dtype(self._device, self.settings.mixed_precision)
        self._network.eval()
        done = 0
        with torch.inference_mode():
            for batch in data.batches(order, self.settings.batch_size, self._pad_id()):
                batch = {k: v.to(self._device) for k, v in batch.items()}
                with autocast(self._device, dtype):
                    logits = self._network(
                        batch["input_ids"], batch["attention_mask"], batch["marker_positions"]
                    )
                out[order[done : done + len(logits)]] = logits.float().cpu().numpy()
                done += len(logits)
        return softmax(out + self._logit_shift)

    def _fitted(self) -> LabelSpace:
        if self.label_space is None or self._network is None:
            raise NotFittedError("the end model is not trained yet: call fit() or EndModel.load()")
        return self.label_space

    def check_label_space(self, label_space: LabelSpace, what: str = "the data") -> None:
        """Raise :class:`~babble.errors.LabelSpaceMismatchError` unless ``label_space`` has
        the model's labels, in order."""
        check_label_space(self._fitted(), label_space, what)

    # -- persistence ---------------------------------------------------------------------------

    def save(self, folder: str | Path) -> Path:
        """Save to ``folder`` (created or overwritten); ``endmodel.json`` is written last."""
        label_space = self._fitted()
        assert self._network is not None and self.markers is not None
        path = begin_save(folder)
        staging = Path(tempfile.mkdtemp(dir=path, prefix=".encoder.", suffix=".tmp"))
        try:
            with quiet_transformers():
                self._network.encoder.save_pretrained(staging)
                self._tokenizer.save_pretrained(staging)
            shutil.rmtree(path / "encoder", ignore_errors=True)
            os.replace(staging, path / "encoder")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        head = {
            k: v.detach().cpu().contiguous() for k, v in self._network.head.state_dict().items()
        }
        save_file(head, path / ".head.tmp")
        os.replace(path / ".head.tmp", path / "head.safetensors")
        write_meta(
            path,
            KIND,
            {
                "label_space": label_space_to_dict(label_space),
                "markers": self.markers.to_dict(),
                "base_model": model_label(self.settings.model),
                "settings": self.settings.to_dict(),
                "logit_shift": self._logit_shift.tolist(),
            },
        )
        return path

    @classmethod
    def load(cls, folder: str | Path, device: str | None = None) -> EndModel:
        """Load a model saved by :meth:`save`, ready to predict (on ``device``, default auto)."""
        meta = read_meta(folder, KIND)
        model = cls(**{**meta["settings"], "device": device})
        model.label_space = label_space_from_dict(meta["label_space"])
        model.markers = EntityMarkers.from_dict(meta["markers"])
        model._logit_shift = np.asarray(
            meta.get("logit_shift", [0.0] * model.label_space.k), dtype=np.float64
        )
        try:
            tokenizer, encoder = load_pretrained(Path(folder) / "encoder")
            head = load_file(Path(folder) / "head.safetensors")
        except (OSError, ValueError) as exc:
            raise CheckpointError(f"cannot read the saved model in {folder}: {exc}") from exc
        network = MarkerClassifier(
            encoder, len(model.markers.roles), model.label_space.k, model.settings.dropout
        )
        network.head.load_state_dict(head)
        model._attach(tokenizer, network)
        network.eval()
        return model
