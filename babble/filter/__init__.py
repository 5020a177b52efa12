"""The filter bank: which parses of the explanations become labeling functions.

:func:`filter_parses` executes every parse over the pool and drops, in order, inconsistent,
uniform, duplicate and low-coverage parses and strict generalisations of another parse of the
same explanation (and optionally all but the most specific parse of each explanation), keeping
each drop's reason; :func:`filter_dataset` does it for a loaded
dataset, parsing its explanations first. :func:`execute_parses` and :func:`filter_executed` are
its two steps, for callers that re-filter without executing again. See :mod:`babble.filter.bank`
for the filters.
"""

from babble.filter.bank import (
    FILTERS,
    Dropped,
    ExecutedParses,
    FilterConfig,
    FilterReport,
    FilterResult,
    ParsedExplanation,
    execute_parses,
    filter_executed,
    filter_parses,
    require_lfs,
)
from babble.filter.explanations import (
    FilteredTask,
    explanation_name,
    filter_dataset,
    parse_explanations,
)

__all__ = [
    "FILTERS",
    "Dropped",
    "ExecutedParses",
    "FilterConfig",
    "FilterReport",
    "FilterResult",
    "FilteredTask",
    "ParsedExplanation",
    "execute_parses",
    "explanation_name",
    "filter_dataset",
    "filter_executed",
    "filter_parses",
    "parse_explanations",
    "require_lfs",
]
