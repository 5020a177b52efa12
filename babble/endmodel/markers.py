"""Entity markers: typed special tokens around the subject / object or the aspect target.

Marking the entities in the text is what turns a sentence classifier into a relation (or aspect)
classifier: the same sentence with different entity pairs must get different labels. Typed markers
(``<subj:PERSON> Ann </subj:PERSON>``) are the strongest simple input format for relation
extraction with pre-trained encoders (Zhou & Chen, 2022, "An Improved Baseline for Sentence-level
Relation Extraction"); the encoder's state at each opening marker is the entity's representation
(Baldini Soares et al., 2019, "entity start"). The markers are added to the tokenizer as special
tokens, so no tokenizer splits or lower-cases them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from babble.errors import CandidateRolesError
from babble.types import Candidate

_ROLE_TAGS = {"subject": "subj", "object": "obj", "target": "tgt"}
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def _clean_type(entity_type: str) -> str:
    """An entity type as it appears inside a marker: upper case, no spaces or brackets."""
    return _UNSAFE.sub("_", entity_type.strip()).upper().strip("_")


def candidate_roles(candidates: Iterable[Candidate], what: str = "candidates") -> tuple[str, ...]:
    """The entity roles every candidate shares; mixed roles raise :class:`CandidateRolesError`.

    Examples
    --------
    >>> from babble.types import Token
    >>> candidate_roles([Candidate("c", "d", "hi", (Token("hi", 0, 2),))])
    ()
    """
    seen: dict[tuple[str, ...], str] = {}
    for cand in candidates:
        seen.setdefault(cand.roles, cand.id)
    if len(seen) > 1:
        kinds = "; ".join(f"{list(roles)} (e.g. {cid!r})" for roles, cid in seen.items())
        raise CandidateRolesError(
            f"{what} mix entity roles: {kinds}; one end model handles one kind of candidate"
        )
    return next(iter(seen), ())


@dataclass(frozen=True)
class EntityMarkers:
    """The marker scheme of one model: its entity roles and the entity types seen in training.

    A span whose type was not seen in training gets its role's untyped marker (``<subj>``), which
    is always in the vocabulary, so prediction never fails on a new type.

    Examples
    --------
    >>> from babble.types import EntitySpan, Token
    >>> c = Candidate("c", "d", "Ann met Bob", (Token("Ann", 0, 3),),
    ...     spans=(EntitySpan("subject", "PERSON", 0, 3, "Ann"),
    ...            EntitySpan("object", "PERSON", 8, 11, "Bob")))
    >>> markers = EntityMarkers.from_candidates([c])
    >>> markers.mark(c)
    '<subj:PERSON> Ann </subj:PERSON> met <obj:PERSON> Bob </obj:PERSON>'
    >>> markers.start_tokens("object")
    ('<obj>', '<obj:PERSON>')
    """

    roles: tuple[str, ...]
    types: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_candidates(cls, candidates: Sequence[Candidate]) -> EntityMarkers:
        """The roles shared by ``candidates`` and, per role, the sorted entity types they use."""
        roles = candidate_roles(candidates)
        types = {
            role: tuple(sorted({_clean_type(c.span(role).type) for c in candidates} - {""}))
            for role in roles
        }
        return cls(roles, types)

    def _tag(self, role: str, entity_type: str) -> str:
        clean = _clean_type(entity_type)
        tag = _ROLE_TAGS[role]
        return f"{tag}:{clean}" if clean in self.types.get(role, ()) else tag

    def start_tokens(self, role: str) -> tuple[str, ...]:
        """Every opening marker of ``role``: untyped first, then one per known type."""
        tag = _ROLE_TAGS[role]
        return (f"<{tag}>", *(f"<{tag}:{t}>" for t in self.types.get(role, ())))

    def tokens(self) -> tuple[str, ...]:
        """All marker strings, opening and closing, to add to a tokenizer as special tokens."""
        out: list[str] = []
        for role in self.roles:
            for start in self.start_tokens(role):
                out += [start, "</" + start[1:]]
        return tuple(out)

    def mark(self, candidate: Candidate) -> str:
        """The candidate's sentence with a marker pair around each entity span.

        Overlapping or nested spans stay well formed: at one position closing markers come
        before opening ones.
        """
        if candidate.roles != self.roles:
            raise CandidateRolesError(
                f"candidate {candidate.id!r} has entity roles {list(candidate.roles)}, but the "
                f"model was trained on {list(self.roles)}"
            )
        inserts: list[tuple[int, int, str]] = []
        for span in candidate.spans:
            tag = self._tag(span.role, span.type)
            inserts.append((span.start, 1, f"<{tag}> "))
            inserts.append((span.end, 0, f" </{tag}>"))
        text = candidate.text
        pieces: list[str] = []
        last = 0
        for pos, _, marker in sorted(inserts):
            pieces += [text[last:pos], marker]
            last = pos
        pieces.append(text[last:])
        return "".join(pieces)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the model's JSON file."""
        return {"roles": list(self.roles), "types": {r: list(t) for r, t in self.types.items()}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EntityMarkers:
        """Inverse of :meth:`to_dict`."""
        return cls(tuple(data["roles"]), {r: tuple(t) for r, t in dict(data["types"]).items()})
