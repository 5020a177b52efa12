"""Labeling functions (LFs): parsed logical forms and hand-written Python, under one type.

:class:`LabelingFunction` has a name, an :class:`Origin` (explanation + parse rank, or
:data:`PYTHON`) and either a :class:`~babble.logic.forms.LabelingRule` or a callable over
:class:`~babble.types.Candidate`. :func:`labeling_function` is the Snorkel-style decorator.
:func:`babble.apply.apply_lfs` runs any mix of them into one label matrix.
:func:`dependency_groups` names the LFs that must not be counted as independent sources.
"""

from babble.lf.functions import (
    PYTHON,
    CandidateFunction,
    LabelingFunction,
    Origin,
    as_labeling_functions,
    labeling_function,
    lfs_from_parses,
)
from babble.lf.groups import dependency_groups, siblings

__all__ = [
    "PYTHON",
    "CandidateFunction",
    "LabelingFunction",
    "Origin",
    "as_labeling_functions",
    "dependency_groups",
    "labeling_function",
    "lfs_from_parses",
    "siblings",
]
