"""Candidates -> token ids for the encoder, and the torch dataset that batches them.

Long sentences are cut to ``max_length`` tokens around the entities, never blindly from the end:
a relation whose object lies past the cut would otherwise lose its marker and become
unlearnable. When the entities are too far apart for one window, each entity keeps a window of
its own and the windows are joined.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset

from babble.endmodel.markers import EntityMarkers
from babble.errors import ConfigError
from babble.types import Candidate


@dataclass(frozen=True)
class Encoding:
    """One candidate as model input: token ids with special tokens, and where each entity's
    opening marker sits (``0``, the first token, when it was cut)."""

    input_ids: tuple[int, ...]
    marker_positions: tuple[int, ...]


class CandidateEncoder:
    """Marks and tokenizes candidates for one tokenizer and marker scheme.

    Parameters
    ----------
    tokenizer
        A Hugging Face tokenizer that already holds the marker tokens (see
        :meth:`EntityMarkers.tokens`).
    markers
        The model's marker scheme.
    max_length
        Most tokens per candidate, special tokens included.
    """

    def __init__(self, tokenizer: Any, markers: EntityMarkers, max_length: int) -> None:
        self.tokenizer = tokenizer
        self.markers = markers
        self.max_length = max_length
        self.prefix, self.suffix = _template(tokenizer)
        self.budget = max_length - len(self.prefix) - len(self.suffix)
        # Room for each entity's marker pair and one word of it, at least.
        if self.budget < max(1, 3 * len(markers.roles)):
            raise ConfigError(
                f"max_length {max_length} leaves {self.budget} tokens of text after the "
                "tokenizer's special tokens; use a larger max_length"
            )
        ids = tokenizer.convert_tokens_to_ids
        self.starts = [set(ids(list(markers.start_tokens(role)))) for role in markers.roles]
        self.marker_ids = set(ids(list(markers.tokens())))
        if tokenizer.unk_token_id in self.marker_ids:
            raise ConfigError("the tokenizer lacks the entity marker tokens; add them first")

    def encode(self, candidates: Sequence[Candidate]) -> list[Encoding]:
        """Encode candidates in order (the fast tokenizer handles the batch at once)."""
        if not candidates:
            return []
        texts = [self.markers.mark(c) for c in candidates]
        batch = self.tokenizer(texts, add_special_tokens=False)["input_ids"]
        return [self._encoding(list(ids)) for ids in batch]

    def _encoding(self, ids: list[int]) -> Encoding:
        full = [*self.prefix, *self._window(ids), *self.suffix]
        positions = tuple(
            next((i for i, t in enumerate(full) if t in starts), 0) for starts in self.starts
        )
        return Encoding(tuple(full), positions)

    def _window(self, ids: list[int]) -> list[int]:
        budget = self.budget
        if len(ids) <= budget:
            return ids
        marks = [i for i, t in enumerate(ids) if t in self.marker_ids]
        if not marks:
            return ids[:budget]
        lo, hi = marks[0], marks[-1]
        if hi - lo < budget:
            # One window holding every marker, centred on the entities.
            spare = budget - (hi - lo + 1)
            start = max(0, min(lo - spare // 2, len(ids) - budget))
            return ids[start : start + budget]
        # Entities too far apart: a window per entity opening marker, in sentence order.
        opens = sorted(next(i for i, t in enumerate(ids) if t in s) for s in self.starts)
        share = budget // len(opens)
        out: list[int] = []
        end = 0
        for pos in opens:
            start = max(end, pos - share // 4)
            out += ids[start : start + share]
            end = start + share
        return out


def _template(tokenizer: Any) -> tuple[list[int], list[int]]:
    """The special token ids a tokenizer puts before and after one text (e.g. [CLS] ... [SEP])."""
    enc = tokenizer("a", add_special_tokens=True, return_special_tokens_mask=True)
    ids, special = enc["input_ids"], enc["special_tokens_mask"]
    content = [i for i, s in enumerate(special) if not s]
    if not content:
        return [], []
    return list(ids[: content[0]]), list(ids[content[-1] + 1 :])


class CandidateDataset(Dataset[dict[str, Any]]):
    """Encoded candidates with optional target distributions, for :func:`collate`."""

    def __init__(self, encodings: Sequence[Encoding], targets: np.ndarray | None = None) -> None:
        self.encodings = list(encodings)
        self.targets = None if targets is None else torch.as_tensor(targets, dtype=torch.float32)

    def __len__(self) -> int:
        return len(self.encodings)

    def __getitem__(self, i: int) -> dict[str, Any]:
        item: dict[str, Any] = {"encoding": self.encodings[i]}
        if self.targets is not None:
            item["target"] = self.targets[i]
        return item

    def batches(
        self, order: Sequence[int], batch_size: int, pad_id: int
    ) -> Iterator[dict[str, torch.Tensor]]:
        """Collated batches of the items in ``order``."""
        for i in range(0, len(order), batch_size):
            yield collate([self[j] for j in order[i : i + batch_size]], pad_id)

    def by_length(self) -> list[int]:
        """Indices from the longest to the shortest encoding (little padding at inference)."""
        return sorted(range(len(self)), key=lambda i: -len(self.encodings[i].input_ids))


def collate(items: Sequence[dict[str, Any]], pad_id: int) -> dict[str, torch.Tensor]:
    """Pad a batch to its longest member: ``input_ids``, ``attention_mask``,
    ``marker_positions`` and, when the items have them, ``targets``."""
    width = max(len(it["encoding"].input_ids) for it in items)
    ids = torch.full((len(items), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(items), width), dtype=torch.long)
    for row, it in enumerate(items):
        seq = it["encoding"].input_ids
        ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
        mask[row, : len(seq)] = 1
    batch = {
        "input_ids": ids,
        "attention_mask": mask,
        "marker_positions": torch.tensor(
            [it["encoding"].marker_positions for it in items], dtype=torch.long
        ).reshape(len(items), -1),
    }
    if "target" in items[0]:
        batch["targets"] = torch.stack([it["target"] for it in items])
    return batch
