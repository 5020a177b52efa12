"""The annotator workbench: instant feedback on every explanation, on a web page or in a terminal.

:class:`Workbench` (the core) holds a dataset, its preprocessed pool and the explanations written
so far; :meth:`Workbench.submit` parses, filters and measures a new explanation against the pool
and saves it. :mod:`babble.workbench.app` serves it as a JSON API and one page (``babble serve``);
``babble annotate`` runs the same loop in a terminal.
"""

from babble.workbench.feedback import (
    STRATEGIES,
    CandidateInfo,
    ExplanationItem,
    ExplanationRecord,
    Feedback,
    LFFigures,
    ParseOutcome,
    Reading,
    Suggestion,
    Summary,
    TaskInfo,
)
from babble.workbench.session import Workbench
from babble.workbench.store import ExplanationFileWarning, ExplanationStore

__all__ = [
    "STRATEGIES",
    "CandidateInfo",
    "ExplanationFileWarning",
    "ExplanationItem",
    "ExplanationRecord",
    "ExplanationStore",
    "Feedback",
    "LFFigures",
    "ParseOutcome",
    "Reading",
    "Suggestion",
    "Summary",
    "TaskInfo",
    "Workbench",
]
