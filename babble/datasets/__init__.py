"""Loaders: every supported format -> one :class:`~babble.types.Dataset`."""

from __future__ import annotations

import importlib
from pathlib import Path

from babble.datasets._common import data_root
from babble.errors import UnknownFormatError
from babble.types import Dataset

# format name -> (module, folder under $BABBLE_DATA that holds the shared copy)
FORMATS: dict[str, tuple[str, str | None]] = {
    "semeval": ("babble.datasets.semeval", "semeval2010_task8"),
    "cdr": ("babble.datasets.cdr", "cdr"),
    "spouse": ("babble.datasets.spouse", "spouse"),
    "absa": ("babble.datasets.absa", "absa_semeval2014"),
    "wrench": ("babble.datasets.wrench", "wrench/youtube"),
    "jsonl": ("babble.datasets.jsonl", None),
}


def load_dataset(format: str, path: str | Path | None = None) -> Dataset:
    """Load a dataset folder in one of :data:`FORMATS`.

    ``path`` defaults to the shared copy under ``$BABBLE_DATA`` (the generic ``jsonl`` format
    has no default).
    """
    if format not in FORMATS:
        raise UnknownFormatError(
            f"unknown dataset format {format!r}; choose one of {sorted(FORMATS)}"
        )
    module_name, default_folder = FORMATS[format]
    if path is None:
        if default_folder is None:
            raise UnknownFormatError(f"format {format!r} needs a path to the dataset folder")
        path = data_root() / default_folder
    module = importlib.import_module(module_name)
    dataset: Dataset = module.load(Path(path))
    return dataset


__all__ = ["FORMATS", "load_dataset"]
