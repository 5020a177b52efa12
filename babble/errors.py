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


class ParseError(BabbleError, ValueError):
    """An explanation cannot be parsed: says why, where it came from, which words and where.

    ``source`` is where the explanation came from (``file:line``), ``words`` the words at fault and
    ``spans`` their character offsets in ``text``; the message shows the explanation with a caret
    under each fault.

    Examples
    --------
    >>> err = NoParseError("no reading found", text="wife is blue", source="ex.tsv:3",
    ...                    spans=((8, 12),), words=("blue",))
    >>> print(err)
    [E406] ex.tsv:3: no reading found
      wife is blue
              ^^^^
    """

    code = "E400"
    _SHOWN = 100  # characters of a long explanation shown around its first fault

    def __init__(
        self,
        message: str,
        *,
        text: str = "",
        source: str | None = None,
        spans: tuple[tuple[int, int], ...] = (),
        words: tuple[str, ...] = (),
    ) -> None:
        self.text, self.source, self.spans, self.words = text, source, spans, words
        self.reason = message
        body = f"{source}: {message}" if source else message
        if text.strip():
            body += "\n" + self._excerpt()
        super().__init__(body)

    def _excerpt(self) -> str:
        first = min((start for start, _ in self.spans), default=0)
        start = max(0, min(first - self._SHOWN // 2, len(self.text) - self._SHOWN))
        end = min(len(self.text), start + self._SHOWN)
        shown = self.text[start:end].replace("\n", " ").replace("\t", " ")
        marks = [" "] * len(shown)
        for a, b in self.spans:
            for i in range(max(a, start), max(min(b, end), a + 1)):
                if 0 <= i - start < len(marks):
                    marks[i - start] = "^"
        prefix = "..." if start > 0 else ""
        suffix = "..." if end < len(self.text) else ""
        line = "  " + prefix + shown + suffix
        carets = "  " + " " * len(prefix) + "".join(marks).rstrip()
        return line + ("\n" + carets if carets.strip() else "")


class ExplanationTooLongError(ParseError):
    """An explanation is longer than the parser's bound (default 500 characters)."""

    code = "E401"


class EmptyExplanationError(ParseError):
    """An explanation has no words: empty, blank or only punctuation."""

    code = "E402"


class UnclosedQuoteError(ParseError):
    """A quotation mark opens a phrase that is never closed."""

    code = "E403"


class UndefinedWordListError(ParseError):
    """An explanation names a word list the task does not define; lists the defined ones."""

    code = "E404"


class UnknownEntityError(ParseError):
    """An explanation names an entity role the task does not have."""

    code = "E405"


class NoParseError(ParseError):
    """No reading of the explanation was found; names the words not understood."""

    code = "E406"


class TooManyParsesError(ParseError):
    """An explanation has more distinct readings than the bound; only the best were kept."""

    code = "E407"


class ParseTimeoutError(ParseError):
    """Parsing ran past its deadline; the readings found so far were kept."""

    code = "E408"


class LexiconError(BabbleError, ValueError):
    """A grammar or lexicon file is malformed: names the file and the entry."""

    code = "E409"


class LogicTypeError(BabbleError, TypeError):
    """A logical form is ill-typed (e.g. a region where a word set belongs, "within 0 words")."""

    code = "E410"


class LabelModelError(BabbleError):
    """The label model (or majority vote) cannot fit, predict or persist; subclasses say why."""

    code = "E500"


class LabelModelInputError(LabelModelError, ValueError):
    """A label matrix, gold vector or LF group is malformed: says where (row, column) and why."""

    code = "E501"


class LabelModelNotFittedError(LabelModelError, RuntimeError):
    """A label model was asked to predict, score or save before ``fit``."""

    code = "E502"


class LabelModelFileError(LabelModelError, OSError):
    """A saved label model is unreadable, of another class or of an unknown format."""

    code = "E503"


class LabelModelParameterError(LabelModelError, ValueError):
    """A label model hyperparameter is invalid: names it and says what was expected."""

    code = "E504"


class SExpressionError(BabbleError, ValueError):
    """The S-expression of a logical form is malformed: says where and what was expected."""

    code = "E411"


class EndModelError(BabbleError):
    """The end model cannot train, load or predict; subclasses say why."""

    code = "E600"


class ModelNotFoundError(EndModelError, OSError):
    """A model name or path cannot be loaded (not a folder, not cached, no network to fetch it)."""

    code = "E601"


class ProbabilisticLabelsError(EndModelError, ValueError):
    """Probabilistic labels are malformed: wrong shape or count, rows not summing to 1, NaN."""

    code = "E602"


class EmptyTrainingSetError(EndModelError, ValueError):
    """No candidate is left to train on (empty pool, or every LF abstained on every row)."""

    code = "E603"


class LabelSpaceMismatchError(EndModelError, ValueError):
    """The data's label space differs from the one the model was trained with."""

    code = "E604"


class CheckpointError(EndModelError, OSError):
    """A saved model or checkpoint is missing, unreadable or from a different run."""

    code = "E605"


class CandidateRolesError(EndModelError, ValueError):
    """Candidates carry entity roles other than the model's (or mix several kinds)."""

    code = "E606"


class NotFittedError(EndModelError, RuntimeError):
    """The end model was asked to predict or save before it was fitted or loaded."""

    code = "E607"


class LabelingError(BabbleError):
    """Labeling functions cannot be defined, applied, filtered or analysed; subclasses say why."""

    code = "E700"


class EmptyPoolError(LabelingError, ValueError):
    """The candidate pool to label is empty."""

    code = "E701"


class NoLabelingFunctionsError(LabelingError, ValueError):
    """The set of labeling functions to apply is empty."""

    code = "E702"


class PoolTaskError(LabelingError, ValueError):
    """Candidates lack the entity roles the labeling functions use (a pool of another task)."""

    code = "E703"


class EmptyCandidatesError(LabelingError, ValueError):
    """No candidate of the pool has a token, so every labeling function would abstain."""

    code = "E704"


class LabelingFunctionDefinitionError(LabelingError, TypeError):
    """A labeling function is malformed: not callable, unnamed, or its name is taken."""

    code = "E705"


class LabelMatrixError(LabelingError, ValueError):
    """Label matrices or gold labels do not fit together (shapes, names, label range)."""

    code = "E706"


class WorkbenchError(BabbleError):
    """The annotator workbench cannot do what was asked; subclasses say why."""

    code = "E800"


class UnknownCandidateError(WorkbenchError, LookupError):
    """A candidate id is not in the workbench's dataset."""

    code = "E801"


class UnknownExplanationError(WorkbenchError, LookupError):
    """An explanation name is not among the workbench's explanations."""

    code = "E802"


class ExplanationInputError(WorkbenchError, ValueError):
    """An explanation cannot be accepted as given (blank, too long, unknown strategy)."""

    code = "E803"
