"""Label models: turn the votes of noisy, overlapping LFs into probabilistic labels.

* :class:`MajorityVoter` -- vote shares, the baseline;
* :class:`LabelModel` -- learns class-conditional LF accuracies and the class balance without
  gold labels (MV-anchored EM; see :mod:`babble.labelmodel.model`), counting dependent LFs once;
* :class:`LabelShares`, :func:`top_agreement` -- how labels divide the rows among the classes,
  and how often two models pick the same class.

Both take a dense label matrix (``-1`` = abstain, Snorkel's convention) or a sparse one storing
vote + 1 (:func:`to_sparse`), and optional dependency groups as plain data (``list[list[int]]``).

Examples
--------
>>> import numpy as np
>>> L = np.array([[0, 0, -1], [1, 1, 1], [0, -1, 1], [-1, -1, -1]])
>>> LabelModel(random_state=0).fit(L).predict_proba(L).shape
(4, 2)
"""

from babble.labelmodel._base import METRICS, TIE_POLICIES, BaseLabelModel, to_sparse
from babble.labelmodel.dependencies import Dependencies, learn_dependencies, normalize_groups
from babble.labelmodel.majority import MajorityVoter
from babble.labelmodel.model import LabelModel
from babble.labelmodel.shares import LabelShares, top_agreement

__all__ = [
    "METRICS",
    "TIE_POLICIES",
    "BaseLabelModel",
    "Dependencies",
    "LabelModel",
    "LabelShares",
    "MajorityVoter",
    "learn_dependencies",
    "normalize_groups",
    "to_sparse",
    "top_agreement",
]
