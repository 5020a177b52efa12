"""Class shares of probabilistic labels and the agreement of two label models."""

from __future__ import annotations

import numpy as np
import pytest

from babble.labelmodel import LabelShares, top_agreement


def test_shares_split_ties_evenly_and_count_mass() -> None:
    proba = np.array([[0.2, 0.4, 0.4], [1.0, 0.0, 0.0], [0.1, 0.1, 0.8], [0.5, 0.25, 0.25]])
    shares = LabelShares.of(proba)
    assert shares.rows == 4
    assert shares.mass == pytest.approx((0.45, 0.1875, 0.3625), abs=1e-3)
    # row 0 is a tie between classes 1 and 2: half a row each
    assert shares.top == pytest.approx((0.5, 0.125, 0.375))
    assert sum(shares.top) == pytest.approx(1.0)


def test_no_rows_and_bad_shapes() -> None:
    assert LabelShares.of(np.zeros((0, 3))) == LabelShares((0.0,) * 3, (0.0,) * 3, 0)
    with pytest.raises(ValueError, match="n x k"):
        LabelShares.of(np.ones(3))
    with pytest.raises(ValueError, match="shapes differ"):
        top_agreement(np.ones((2, 2)) / 2, np.ones((2, 3)) / 3)
    assert np.isnan(top_agreement(np.zeros((0, 2)), np.zeros((0, 2))))


def test_agreement_is_the_expected_share_under_random_tie_breaks() -> None:
    a = np.array([[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]])
    # the tied third row agrees with itself half the time (two fair coins)
    assert top_agreement(a, a) == pytest.approx((1 + 1 + 0.5) / 3, abs=1e-3)
    assert top_agreement(a, a[:, ::-1]) == pytest.approx(0.5 / 3, abs=1e-3)
