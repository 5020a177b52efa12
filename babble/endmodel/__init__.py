"""The end model: a classifier trained on the label model's probabilistic labels.

* :class:`EndModel` fine-tunes a Hugging Face encoder (default: the bundled ``all-MiniLM-L6-v2``,
  no network needed) with entity markers and a noise-aware loss.
* :class:`BaselineEndModel` is logistic regression on n-grams or frozen embeddings: seconds to
  train, for quick iteration and learning curves.

Both take candidates (:class:`~babble.types.Candidate`) and an ``(n, k)`` probability array, and
know nothing of how the labels were made. Both save to a folder; :func:`load_end_model` reads
either back.
"""

from __future__ import annotations

from pathlib import Path

from babble.endmodel.baseline import BaselineEndModel
from babble.endmodel.labels import ProbabilisticLabels, hard_labels, one_hot, read_probs
from babble.endmodel.model import EndModel
from babble.endmodel.store import read_meta
from babble.endmodel.train import EndModelSettings


def load_end_model(folder: str | Path, device: str | None = None) -> EndModel | BaselineEndModel:
    """Load a saved :class:`EndModel` or :class:`BaselineEndModel`, whichever ``folder`` holds."""
    if read_meta(folder).get("kind") == "baseline":
        return BaselineEndModel.load(folder, device=device)
    return EndModel.load(folder, device=device)


__all__ = [
    "BaselineEndModel",
    "EndModel",
    "EndModelSettings",
    "ProbabilisticLabels",
    "hard_labels",
    "load_end_model",
    "one_hot",
    "read_probs",
]
