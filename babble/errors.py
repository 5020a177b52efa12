"""Every error babble raises: typed subclasses of :class:`BabbleError`, each with a stable code.

Messages say what went wrong, where (file:line, document, explanation, field) and how to fix it,
so callers can catch by type and users can act on the text alone.

Examples
--------
>>> err = DataFormatError("expected an integer", file="train.jsonl", line=3, field="label")
>>> print(err)
[E101] train.jsonl:3, field 'label': expected an integer
>>> isinstance(err, BabbleError)
True
"""

from __future__ import annotations


class BabbleError(Exception):
    """Root of all babble errors. ``code`` is stable across versions; the text may improve."""

    code = "E000"

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(f"[{self.code}] {message}")


class DataFormatError(BabbleError, ValueError):
    """A data or explanation file is malformed: names the file, line or document, and field."""

    code = "E101"

    def __init__(
        self,
        message: str,
        *,
        file: str,
        line: int | None = None,
        document: str | None = None,
        field: str | None = None,
    ) -> None:
        self.file, self.line, self.document, self.field = file, line, document, field
        where = file
        if line is not None:
            where += f":{line}"
        if document is not None:
            where += f", document {document}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")


class DataNotFoundError(BabbleError, FileNotFoundError):
    """A data file or folder is missing; says which and where babble looked."""

    code = "E102"


class UnknownFormatError(BabbleError, ValueError):
    """A dataset format name is not known; lists the known ones."""

    code = "E103"


class LabelError(BabbleError, ValueError):
    """A label name or integer is not in the task's label space."""

    code = "E104"


class PipelineNotFoundError(BabbleError, OSError):
    """A spaCy pipeline cannot be loaded; says what to install."""

    code = "E201"


class AlignmentError(BabbleError, ValueError):
    """An entity span cannot be mapped onto the tokens of its sentence."""

    code = "E202"


class CacheError(BabbleError, OSError):
    """A preprocessing cache entry is unreadable or inconsistent; delete it to rebuild."""

    code = "E203"


class ConfigError(BabbleError, ValueError):
    """A run configuration is invalid: names the key and what was expected."""

    code = "E301"
