"""Where the parser's data lives: the ``grammar/`` and ``lexicon/`` folders of the repository.

Both are data a linguist edits without touching Python; ``$BABBLE_GRAMMAR`` and
``$BABBLE_LEXICON`` point the parser at other copies.
"""

from __future__ import annotations

import os
from pathlib import Path

from babble.errors import DataNotFoundError

_REPO = Path(__file__).resolve().parents[2]


def grammar_dir() -> Path:
    """The folder of ``.lark`` files: ``$BABBLE_GRAMMAR``, else ``<repo>/grammar``."""
    return _folder("BABBLE_GRAMMAR", "grammar")


def lexicon_dir() -> Path:
    """The folder of lexicon ``.toml`` files: ``$BABBLE_LEXICON``, else ``<repo>/lexicon``."""
    return _folder("BABBLE_LEXICON", "lexicon")


def _folder(variable: str, name: str) -> Path:
    path = Path(os.environ.get(variable, str(_REPO / name)))
    if not path.is_dir():
        raise DataNotFoundError(
            f"the parser's {name} folder was not found at {path}; set {variable} to the folder "
            f"that holds it (the repository ships one at <repo>/{name})"
        )
    return path
