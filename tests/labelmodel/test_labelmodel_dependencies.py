"""LF dependencies: static groups, learned groups and fixes, and their effect on the models."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

from babble.errors import LabelModelInputError
from babble.labelmodel import Dependencies, LabelModel, MajorityVoter, to_sparse
from babble.labelmodel.dependencies import (
    apply_fixes,
    learn_dependencies,
    normalize_groups,
    vote_weights,
)
from babble.labelmodel.synthetic import synthetic_label_matrix


def test_groups_sharing_an_lf_are_joined_sorted_and_singletons_dropped() -> None:
    assert normalize_groups([[4, 2], [2, 0], [3], []], 5) == ((0, 2, 4),)
    assert normalize_groups(None, 5) == ()
    assert normalize_groups([(np.int64(1), 3)], 5) == ((1, 3),)


@pytest.mark.parametrize(
    ("groups", "fragment"),
    [
        ([[0, 9]], "LF group 0 names LF 9, outside the label matrix's columns 0..4"),
        ([[0, 1], [1, -1]], "LF group 1 names LF -1"),
        ([[0, "a"]], "member 'a'; expected an integer"),
        ([[0, True]], "member True"),
        (["01"], "LF group 0 is '01'"),
        ([3], "LF group 0 is 3"),
    ],
)
def test_bad_groups_say_which_group_and_member(groups: Any, fragment: str) -> None:
    with pytest.raises(LabelModelInputError, match="E501") as info:
        normalize_groups(groups, 5)
    assert fragment in str(info.value)


def duplicated(copies: int = 3, seed: int = 0) -> tuple[sp.csr_matrix, sp.csr_matrix, list[int]]:
    """A synthetic matrix, and the same with LF 0 and LF 1 copied ``copies`` times each."""
    votes, _, _ = synthetic_label_matrix(3000, 6, 3, coverage=(0.2, 0.6), seed=seed)
    extra = [0] * copies + [1] * copies
    return votes, sp.hstack([votes, votes[:, extra]], format="csr"), extra


def test_exact_copies_are_learned_as_groups_and_independent_lfs_are_not() -> None:
    _, copied, _ = duplicated()
    learned = learn_dependencies(copied)
    assert learned.groups == ((0, 6, 7, 8), (1, 9, 10, 11))
    assert learned.similar == ()


def test_a_specific_lf_that_contradicts_a_broad_one_fixes_it() -> None:
    broad = np.zeros(100, dtype=int)  # votes 0 everywhere
    specific = np.where(np.arange(100) < 20, 1, -1)  # votes 1 on a fifth of the rows
    narrow = np.where(np.arange(100) < 30, 0, -1)  # too narrow to be fixed by ``specific``
    labels = np.stack([broad, specific, narrow], axis=1)
    learned = learn_dependencies(to_sparse(labels))
    assert learned.fixes == ((1, 0),)
    fixed = apply_fixes(to_sparse(labels), learned.fixes).toarray() - 1
    assert (fixed[:20, 0] == -1).all() and (fixed[20:, 0] == 0).all()


def test_lfs_with_too_few_votes_take_part_in_no_learned_dependency() -> None:
    labels = np.array([[0, 0], [0, 0], [-1, -1]])
    assert learn_dependencies(to_sparse(labels)) == Dependencies()
    assert learn_dependencies(to_sparse(labels), min_votes=2).groups == ((0, 1),)


def test_fixes_are_judged_on_the_original_votes_in_any_order() -> None:
    votes = to_sparse([[0, 1, 2], [-1, 1, 2]])
    forward = apply_fixes(votes, ((0, 1), (1, 2)))
    backward = apply_fixes(votes, ((1, 2), (0, 1)))
    assert (forward.toarray() - 1).tolist() == [[0, -1, -1], [-1, 1, -1]]
    assert (forward != backward).nnz == 0


def test_merging_joins_groups_and_drops_fixes_inside_a_group() -> None:
    given = Dependencies(groups=((0, 1),), fixes=((2, 3), (0, 2)))
    merged = given.merge(Dependencies(groups=((1, 2),), fixes=((4, 0),)), 5)
    assert merged == Dependencies(groups=((0, 1, 2),), fixes=((2, 3), (4, 0)))


def test_a_similar_cluster_takes_in_whole_groups() -> None:
    merged = Dependencies(groups=((0, 1),)).merge(Dependencies(similar=((1, 2),)), 4)
    assert merged == Dependencies(groups=((0, 1),), similar=((0, 1, 2),))
    assert Dependencies(groups=((0, 1),)).merge(Dependencies(similar=((0, 1),)), 4).similar == ()


def test_vote_weights_split_one_vote_among_the_group_members_voting() -> None:
    votes = to_sparse([[0, 0, 0, 1], [0, -1, 1, -1]])
    weights = vote_weights(votes, Dependencies(groups=((0, 1, 2),)))
    assert weights is not None and weights.tolist() == [1 / 3, 1 / 3, 1 / 3, 1.0, 0.5, 0.5]
    assert vote_weights(votes, Dependencies()) is None


def test_a_cluster_shares_its_vote_among_groups_not_members() -> None:
    votes = to_sparse([[0, 0, 0, 0, 1], [0, -1, -1, 1, -1]])
    structure = Dependencies(groups=((0, 1, 2),), similar=((0, 1, 2, 3),))
    weights = vote_weights(votes, structure)
    assert weights is not None
    np.testing.assert_allclose(weights, [1 / 6, 1 / 6, 1 / 6, 1 / 2, 1.0, 1 / 2, 1 / 2])


@pytest.mark.parametrize("given", [True, False], ids=["groups given", "groups learned"])
def test_copies_change_nothing_for_the_label_model(given: bool) -> None:
    votes, copied, _ = duplicated(copies=10)
    groups = [[0, *range(6, 16)], [1, *range(16, 26)]] if given else None
    learn = not given
    plain = LabelModel(learn_dependencies=learn).fit(votes)
    disturbed = LabelModel(learn_dependencies=learn).fit(copied, groups=groups)
    np.testing.assert_allclose(disturbed.predict_proba(copied), plain.predict_proba(votes))
    np.testing.assert_allclose(disturbed.class_balance_, plain.class_balance_)


def test_copies_do_change_plain_majority_vote() -> None:
    votes, copied, _ = duplicated(copies=10)
    plain = MajorityVoter().fit(votes).predict_proba(votes)
    assert not np.allclose(MajorityVoter().fit(copied).predict_proba(copied), plain)
