"""The data model: validation of spans, label spaces and dataset access."""

from __future__ import annotations

import pytest

from babble.errors import LabelError
from babble.types import ABSTAIN, Candidate, Dataset, EntitySpan, LabelSpace, Token

TEXT = "Ann married Bob."


def _candidate(**overrides: object) -> Candidate:
    fields: dict[str, object] = {
        "id": "c1",
        "doc_id": "d1",
        "text": TEXT,
        "tokens": (Token("Ann", 0, 3), Token("married", 4, 11), Token("Bob", 12, 15)),
        "spans": (
            EntitySpan("subject", "PERSON", 0, 3, "Ann"),
            EntitySpan("object", "PERSON", 12, 15, "Bob"),
        ),
        "label": 1,
    }
    fields.update(overrides)
    return Candidate(**fields)  # type: ignore[arg-type]


def test_candidate_span_lookup() -> None:
    cand = _candidate()
    assert cand.roles == ("subject", "object")
    assert cand.span("subject").text == "Ann"
    assert cand.entity_texts == {"subject": "Ann", "object": "Bob"}
    with pytest.raises(KeyError, match="no 'target' span"):
        cand.span("target")


@pytest.mark.parametrize(
    ("span", "fragment"),
    [
        (EntitySpan("subject", "PERSON", 10, 40, "x"), "outside its sentence"),
        (EntitySpan("subject", "PERSON", 0, 3, "Bob"), "covers 'Ann', not 'Bob'"),
        (EntitySpan("subject", "PERSON", 3, 3, ""), "outside its sentence"),
    ],
)
def test_candidate_rejects_bad_spans(span: EntitySpan, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        _candidate(spans=(span,))


def test_candidate_is_hashable_and_frozen() -> None:
    cand = _candidate(metadata={"source": "x"})
    assert hash(cand) == hash(_candidate(metadata={"other": 1}))
    with pytest.raises(AttributeError):
        cand.label = 0  # type: ignore[misc]


def test_label_space_names_and_aliases() -> None:
    space = LabelSpace(("no", "yes"), label_aliases={"true": "yes", "false": "no"})
    assert [space.index(n) for n in ("no", "YES", "true", " False ")] == [0, 1, 1, 0]
    assert space.name(ABSTAIN) == "ABSTAIN"
    with pytest.raises(LabelError, match="unknown label 'maybe'"):
        space.index("maybe")
    with pytest.raises(LabelError, match=r"outside 0\.\.1"):
        space.name(2)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"labels": ("only",)}, "at least two labels"),
        ({"labels": ("a", "a")}, "unique"),
        ({"labels": ("a", "b"), "label_aliases": {"x": "c"}}, "unknown labels"),
        ({"labels": ("a", "b"), "entity_aliases": {"x": "verb"}}, "unknown roles"),
    ],
)
def test_label_space_validation(kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        LabelSpace(**kwargs)  # type: ignore[arg-type]


def test_dataset_splits_and_gold() -> None:
    a, b = _candidate(id="a"), _candidate(id="b", label=None)
    ds = Dataset("toy", "relation", LabelSpace(("no", "yes")), {"train": (a,), "test": (b,)})
    assert [c.id for c in ds] == ["a", "b"]
    assert ds.gold("test").tolist() == [ABSTAIN]
    with pytest.raises(KeyError, match="has no split 'dev'"):
        ds.candidates("dev")
