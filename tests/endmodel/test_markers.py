"""Entity markers: typed marker text, unknown types, nested spans, mixed roles."""

from __future__ import annotations

import pytest
from toydata import relation

from babble.datasets._common import simple_tokenize
from babble.endmodel.markers import EntityMarkers, candidate_roles
from babble.errors import CandidateRolesError
from babble.types import Candidate, EntitySpan


def _aspect(text: str, start: int, end: int, entity_type: str = "ASPECT") -> Candidate:
    span = EntitySpan("target", entity_type, start, end, text[start:end])
    return Candidate("a", "d", text, simple_tokenize(text), (span,))


def test_relation_markers_are_typed() -> None:
    cand = relation("c", "Ann", "married", "Bob", 1)
    markers = EntityMarkers.from_candidates([cand])
    assert (
        markers.mark(cand)
        == "<subj:PERSON> Ann </subj:PERSON> married <obj:PERSON> Bob </obj:PERSON> ."
    )
    assert markers.tokens() == (
        "<subj>",
        "</subj>",
        "<subj:PERSON>",
        "</subj:PERSON>",
        "<obj>",
        "</obj>",
        "<obj:PERSON>",
        "</obj:PERSON>",
    )


def test_unknown_type_falls_back_to_the_untyped_marker() -> None:
    markers = EntityMarkers.from_candidates([_aspect("good food", 5, 9)])
    assert markers.mark(_aspect("bad staff", 4, 9, "service team")) == "bad <tgt> staff </tgt>"


def test_types_are_cleaned_for_marker_text() -> None:
    cand = _aspect("good food", 5, 9, "food item (dish)")
    assert (
        EntityMarkers.from_candidates([cand]).mark(cand)
        == "good <tgt:FOOD_ITEM_DISH> food </tgt:FOOD_ITEM_DISH>"
    )


def test_nested_spans_stay_well_formed() -> None:
    text = "aspirin induced hepatitis"
    spans = (
        EntitySpan("subject", "CHEMICAL", 0, 15, "aspirin induced"),
        EntitySpan("object", "DISEASE", 8, 15, "induced"),
    )
    cand = Candidate("n", "d", text, simple_tokenize(text), spans)
    marked = EntityMarkers.from_candidates([cand]).mark(cand)
    assert marked == (
        "<subj:CHEMICAL> aspirin <obj:DISEASE> induced </obj:DISEASE> </subj:CHEMICAL> hepatitis"
    )


def test_round_trip_through_dict() -> None:
    markers = EntityMarkers.from_candidates([relation("c", "Ann", "met", "Bob", 0)])
    assert EntityMarkers.from_dict(markers.to_dict()) == markers


@pytest.mark.parametrize(
    ("pool", "fragment"),
    [
        ([relation("c", "Ann", "met", "Bob", 0), _aspect("good food", 5, 9)], "mix entity roles"),
    ],
)
def test_mixed_roles_are_rejected(pool: list[Candidate], fragment: str) -> None:
    with pytest.raises(CandidateRolesError, match=fragment):
        candidate_roles(pool)


def test_marking_a_candidate_of_another_kind_is_an_error() -> None:
    markers = EntityMarkers.from_candidates([relation("c", "Ann", "met", "Bob", 0)])
    with pytest.raises(CandidateRolesError, match="trained on \\['subject', 'object'\\]"):
        markers.mark(_aspect("good food", 5, 9))
