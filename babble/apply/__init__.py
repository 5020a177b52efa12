"""Executing labeling functions over a candidate pool into a sparse label matrix.

:func:`apply_lfs` runs logical-form LFs with the :class:`VectorizedExecutor` (numpy over the
whole pool; the per-candidate interpreter of :mod:`babble.logic.interpret` is kept as the
``executor="reference"``) and hand-written LFs once per candidate, and joins their votes into
one :class:`LabelMatrix` (CSR, stored values ``label + 1``, implicit zero = abstain;
``to_dense()`` gives ``-1`` for abstain as Snorkel does). Functions are pure over a pool, so
partitions (:func:`partitions`) can run in parallel and be joined with
:meth:`LabelMatrix.vstack`.
"""

from babble.apply.core import Executor, apply_lfs
from babble.apply.matrix import STORED_DTYPE, LabelMatrix, LFErrors
from babble.apply.pool import Pool, partitions, subset
from babble.apply.python import run_python_lf
from babble.apply.vectorized import VectorizedExecutor

__all__ = [
    "STORED_DTYPE",
    "Executor",
    "LFErrors",
    "LabelMatrix",
    "Pool",
    "VectorizedExecutor",
    "apply_lfs",
    "partitions",
    "run_python_lf",
    "subset",
]
