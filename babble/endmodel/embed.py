"""Frozen sentence and entity embeddings from a pre-trained encoder (the baseline's features)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from babble.endmodel.device import select_device
from babble.endmodel.hub import load_pretrained
from babble.types import Candidate


class SpanEmbedder:
    """Mean token state of each sentence, of each entity span and, for a relation (two entities),
    of the words between them: L2-normalised blocks.

    One encoder pass per sentence gives all: a span's vector is the mean over the tokens whose
    character offsets overlap it (the sentence's when the span was cut by ``max_length``). The
    *between* block carries the relation: the sentence block is the same for every pair of
    entities in a sentence and the entity blocks mostly encode the names, so without it a
    classifier cannot tell "X founded Y" from "X, an investor in Y, founded Z" for the pair
    (X, Y) (trained on gold labels, the founders demo's test accuracy goes from 66% to 90% with
    it). It is all zeros when nothing lies between the two entities.
    """

    def __init__(
        self,
        model: str | None,
        max_length: int = 128,
        batch_size: int = 64,
        device: str | None = None,
    ) -> None:
        self.tokenizer, self.encoder = load_pretrained(model)
        self.device = select_device(device)
        self.encoder.to(self.device).eval()
        self.max_length, self.batch_size = max_length, batch_size

    def embed(self, candidates: Sequence[Candidate], roles: Sequence[str]) -> np.ndarray:
        """``(n, hidden * blocks(roles))`` features, in candidate order."""
        hidden = int(self.encoder.config.hidden_size)
        out = np.zeros((len(candidates), hidden * blocks(roles)), dtype=np.float32)
        for lo in range(0, len(candidates), self.batch_size):
            chunk = candidates[lo : lo + self.batch_size]
            enc = self.tokenizer(
                [c.text for c in chunk],
                padding=True,
                truncation=True,
                max_length=self.max_length,
                return_offsets_mapping=True,
                return_tensors="pt",
            )
            offsets = enc.pop("offset_mapping")
            mask = enc["attention_mask"].bool()
            with torch.inference_mode():
                states = (
                    self.encoder(
                        input_ids=enc["input_ids"].to(self.device),
                        attention_mask=enc["attention_mask"].to(self.device),
                    )
                    .last_hidden_state.float()
                    .cpu()
                )
            real = mask & (offsets[..., 1] > offsets[..., 0])  # text tokens, not [CLS]/[SEP]/pad
            for row, cand in enumerate(chunk):
                parts = [_mean(states[row], real[row])]
                for role in roles:
                    span = cand.span(role)
                    inside = (
                        real[row]
                        & (offsets[row, :, 0] < span.end)
                        & (offsets[row, :, 1] > span.start)
                    )
                    parts.append(_mean(states[row], inside if inside.any() else real[row]))
                if len(roles) == 2:
                    first, second = sorted((cand.span(r) for r in roles), key=lambda s: s.start)
                    between = (
                        real[row]
                        & (offsets[row, :, 0] >= first.end)
                        & (offsets[row, :, 1] <= second.start)
                    )
                    parts.append(_mean(states[row], between))
                out[lo + row] = np.concatenate(parts)
        return out


def blocks(roles: Sequence[str]) -> int:
    """How many ``hidden``-sized blocks :meth:`SpanEmbedder.embed` gives for ``roles``.

    Examples
    --------
    >>> blocks(()), blocks(("target",)), blocks(("subject", "object"))
    (1, 2, 4)
    """
    return 1 + len(roles) + (len(roles) == 2)


def _mean(states: torch.Tensor, select: torch.Tensor) -> np.ndarray:
    """Mean of the selected rows, L2-normalised (zeros when nothing is selected)."""
    if not select.any():
        return np.zeros(states.shape[-1], dtype=np.float32)
    vec = states[select].mean(dim=0).numpy()
    norm = float(np.linalg.norm(vec))
    out: np.ndarray = vec / norm if norm > 0 else vec
    return out
