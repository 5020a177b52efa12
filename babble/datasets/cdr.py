"""BioCreative V CDR (chemical-induced disease) in BioC XML -> chemical/disease relation candidates.

The folder holds ``CDR_TrainingSet.BioC.xml``, ``CDR_DevelopmentSet.BioC.xml`` and
``CDR_TestSet.BioC.xml`` (splits ``train``, ``dev``, ``test``) and, optionally, the Babble Labble
explanations ``explanations_babble.jsonl`` and the word lists they name, ``keyword_lists.json``.

How a document becomes candidates:

* The document text is its passages laid at their offsets (title at 0, abstract at
  ``len(title) + 1``, the gap filled with a space).
* Each passage is cut into sentences by :func:`split_sentences`, never inside a gold mention.
* A candidate is every (Chemical mention, Disease mention) pair inside one sentence; its label is
  ``positive`` when any (chemical MeSH id, disease MeSH id) of the pair is a CID relation of the
  document, else ``negative``.
* Mentions skipped on purpose, each counted in :attr:`~babble.types.Dataset.skipped`: discontiguous
  ones (several locations; the composite mention over the same words is kept), those whose
  text differs from the document at their location (one in the training set is shifted by two
  characters), those with no MeSH id (``-1``), and those crossing a sentence boundary. A mention
  with the same type and span as an earlier one (a composite and an individual mention over the
  same words) is merged into it, MeSH ids united, and counted too.

Candidate ids follow Snorkel's stable ids, as in the explanations' ``candidate`` field:
``"{pmid}::span:{start}:{last}~~{pmid}::span:{start}:{last}"``, chemical first, with *document*
offsets and an END-INCLUSIVE ``last`` (``last = end - 1``). The spans inside a candidate are
sentence-relative and end-exclusive, like everywhere else in babble.

Explanations are joined to candidates by their ``pmid``, ``chemical_span`` and ``disease_span``
(document offsets, end inclusive): among the kept gold Chemical mentions of that document that
overlap ``chemical_span`` and the Disease mentions that overlap ``disease_span``, the pair in one
sentence with the largest summed overlap ratio (intersection over union) names the candidate.
Overlap rather than equality is needed because some explanation spans come from a tagger and are
wider than the gold mention (``BHA)-induced`` for ``BHA``). The join says why when there is no
such pair: no overlapping gold mention (``ACEI)-induced`` has none), or the mentions lie in
different sentences. :attr:`~babble.types.Dataset.notes` counts, per split, the CID relations
that no candidate carries.

XML safety: the files are parsed with :mod:`xml.etree.ElementTree` (expat), which never fetches
external DTDs or entities; a file that declares entities (``<!ENTITY``, the "billion laughs"
expansion) is refused before parsing.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babble.datasets._common import (
    get_field,
    label_space_from_table,
    make_candidate,
    make_span,
    read_json,
    read_jsonl,
    require_file,
    simple_tokenize,
    task_table,
)
from babble.errors import DataFormatError, LabelError
from babble.types import (
    Candidate,
    Dataset,
    EntitySpan,
    Explanation,
    ExplanationJoin,
    LabelSpace,
    SkippedRows,
    SourceLocation,
)

SPLIT_FILES: Mapping[str, str] = {
    "train": "CDR_TrainingSet.BioC.xml",
    "dev": "CDR_DevelopmentSet.BioC.xml",
    "test": "CDR_TestSet.BioC.xml",
}
"""Split name -> BioC XML file name inside the dataset folder."""

EXPLANATIONS_FILE = "explanations_babble.jsonl"
WORD_LISTS_FILE = "keyword_lists.json"

ENTITY_TYPES: Mapping[str, str] = {"Chemical": "CHEMICAL", "Disease": "DISEASE"}
"""BioC annotation type -> babble entity type (chemical = subject, disease = object)."""

NO_MESH = "-1"
"""The MeSH id CDR gives a mention it could not normalise."""

ABBREVIATIONS = frozenset(
    {
        "al", "approx", "ca", "cf", "e.g", "i.e", "resp", "sp", "spp", "viz", "vol", "vs", "Dr",
        "Eq", "Fig", "Figs", "Mr", "Mrs", "Ms", "No", "Nos", "Prof", "Ref", "St", "U.S", "Vol",
    }
)  # fmt: skip
"""Words (final period removed) after which a period never ends a sentence. Case matters:
"Ca." (calcium), "MS." (multiple sclerosis) and "ST." (the ECG segment) may end one."""

_BOUNDARY_RE = re.compile(r"[.!?]+[\"')\]]*(?=\s+(\S))")
_ID_RE = re.compile(r"<id>\s*([^<\s]+)\s*</id>")
_MAX_EXAMPLES = 3


@dataclass(frozen=True)
class Mention:
    """One gold annotation of a document.

    ``locations`` are ``(start, end)`` document offsets, end-exclusive; a discontiguous mention
    ("Ocular ... toxicity") has several. ``mesh`` lists its MeSH ids without the ``-1`` placeholder.
    """

    annotation_id: str
    type: str
    locations: tuple[tuple[int, int], ...]
    text: str
    mesh: tuple[str, ...]

    @property
    def start(self) -> int:
        """Document offset of the first character."""
        return self.locations[0][0]

    @property
    def end(self) -> int:
        """Document offset just past the last character."""
        return self.locations[-1][1]


@dataclass(frozen=True)
class Document:
    """A parsed BioC document: PubMed id, text, passage spans, mentions and CID MeSH pairs."""

    pmid: str
    text: str
    passages: tuple[tuple[int, int], ...]
    mentions: tuple[Mention, ...]
    relations: frozenset[tuple[str, str]]


def split_sentences(text: str, protected: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Cut ``text`` into sentences; return their ``(start, end)`` offsets, whitespace trimmed.

    A sentence ends at ``.``, ``!`` or ``?`` (plus closing quotes or brackets) followed by
    whitespace, unless the next character is a lower-case letter, the word before the period is
    one of :data:`ABBREVIATIONS` (``e.g.``, ``i.e.``, ``vs.``, ``et al.``, ...) or the break
    would fall strictly inside a ``protected`` span (an entity mention). Decimals never split:
    their period is not followed by whitespace.

    Examples
    --------
    >>> text = "Dose was 2.5 mg/kg, i.e. low. Rats (e.g. Wistar) vs. Mice died. 10 survived."
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['Dose was 2.5 mg/kg, i.e. low.', 'Rats (e.g. Wistar) vs. Mice died.', '10 survived.']
    >>> text = "It was Agent X. Y. It ended."
    >>> [text[s:e] for s, e in split_sentences(text, protected=[(7, 17)])]
    ['It was Agent X. Y.', 'It ended.']
    """
    inside = {i for start, end in protected for i in range(start + 1, end)}
    sentences: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip())
    for match in _BOUNDARY_RE.finditer(text):
        end = match.end()
        if (
            match.group(1).islower()
            or end in inside
            or _word_before(text, match.start()) in ABBREVIATIONS
        ):
            continue
        sentences.append((start, end))
        start = match.start(1)
    end = len(text.rstrip())
    if end > start:
        sentences.append((start, end))
    return sentences


def _word_before(text: str, period: int) -> str:
    """The word that ends at ``period``, without opening brackets or quotes."""
    word_start = max(text.rfind(space, 0, period) for space in " \t\n") + 1
    return text[word_start:period].lstrip("([{\"'")


def parse_bioc(path: Path) -> tuple[Document, ...]:
    """Parse a CDR BioC XML file into :class:`Document` objects, validating as it goes.

    Raises :class:`~babble.errors.DataFormatError` naming the file (and the document, where known)
    for malformed XML, entity declarations, missing or mistyped fields, unknown annotation types and
    annotation locations outside the document.
    """
    raw = path.read_bytes()
    if b"<!ENTITY" in raw:
        raise DataFormatError(
            "declares XML entities (<!ENTITY); refused to guard against entity expansion, "
            "expected plain BioC XML",
            file=str(path),
        )
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        line, column = exc.position
        head = raw.decode("utf-8", errors="replace").splitlines()[:line]
        ids = _ID_RE.findall("\n".join(head))
        raise DataFormatError(
            f"not well-formed XML ({str(exc).split(':')[0]}, column {column}); expected BioC XML",
            file=str(path),
            line=line,
            document=ids[-1] if ids else None,
        ) from exc
    if root.tag != "collection":
        raise DataFormatError(
            f"root element is <{root.tag}>; expected <collection>", file=str(path)
        )
    return tuple(_parse_document(elem, str(path)) for elem in root.iter("document"))


def _parse_document(elem: ET.Element, file: str) -> Document:
    pmid = (elem.findtext("id") or "").strip()
    if not pmid:
        raise DataFormatError(
            "document without an <id>; expected its PubMed id", file=file, field="id"
        )
    text, passages = _passage_text(elem, file, pmid)
    mentions = tuple(
        _parse_annotation(annotation, text, file, pmid) for annotation in elem.iter("annotation")
    )
    relations = frozenset(
        _parse_relation(relation, file, pmid) for relation in elem.iter("relation")
    )
    return Document(pmid, text, passages, mentions, relations)


def _passage_text(
    elem: ET.Element, file: str, pmid: str
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The document text (passages at their offsets, gaps filled with spaces) and passage spans."""
    text = ""
    spans: list[tuple[int, int]] = []
    for passage in elem.iter("passage"):
        offset = _int_text(passage.findtext("offset"), file, pmid, "passage/offset")
        if offset < len(text):
            raise DataFormatError(
                f"passage offset {offset} overlaps the previous passage (ending at {len(text)}); "
                "expected the title at 0 and each later passage after the previous one",
                file=file,
                document=pmid,
                field="passage/offset",
            )
        body = passage.findtext("text") or ""
        text = text.ljust(offset) + body
        spans.append((offset, len(text)))
    if not spans:
        raise DataFormatError(
            "document without passages", file=file, document=pmid, field="passage"
        )
    return text, tuple(spans)


def _parse_annotation(elem: ET.Element, text: str, file: str, pmid: str) -> Mention:
    ann_id = elem.get("id") or "?"
    field = f"annotation {ann_id}"
    infons = _infons(elem)
    ann_type = infons.get("type", "")
    if ann_type not in ENTITY_TYPES:
        raise DataFormatError(
            f"unknown annotation type {ann_type!r}; expected one of {sorted(ENTITY_TYPES)}",
            file=file,
            document=pmid,
            field=f"{field}/type",
        )
    if "MESH" not in infons:
        raise DataFormatError(
            "missing MeSH id; expected an id, ids joined by '|', or -1",
            file=file,
            document=pmid,
            field=f"{field}/MESH",
        )
    locations = []
    for location in elem.iter("location"):
        start = _int_text(location.get("offset"), file, pmid, f"{field}/location offset")
        length = _int_text(location.get("length"), file, pmid, f"{field}/location length")
        if start < 0 or length <= 0 or start + length > len(text):
            raise DataFormatError(
                f"location [{start}, {start + length}) is outside the document text of "
                f"{len(text)} characters; expected a non-empty span inside the text",
                file=file,
                document=pmid,
                field=f"{field}/location",
            )
        locations.append((start, start + length))
    if not locations:
        raise DataFormatError(
            "annotation without a <location>", file=file, document=pmid, field=field
        )
    mesh = tuple(m for m in infons["MESH"].split("|") if m.strip() and m != NO_MESH)
    return Mention(ann_id, ann_type, tuple(sorted(locations)), elem.findtext("text") or "", mesh)


def _parse_relation(elem: ET.Element, file: str, pmid: str) -> tuple[str, str]:
    infons = _infons(elem)
    field = f"relation {elem.get('id', '?')}"
    if infons.get("relation") != "CID" or "Chemical" not in infons or "Disease" not in infons:
        raise DataFormatError(
            f"expected infons relation=CID, Chemical and Disease, got {infons}",
            file=file,
            document=pmid,
            field=field,
        )
    return infons["Chemical"], infons["Disease"]


def _infons(elem: ET.Element) -> dict[str, str]:
    return {infon.get("key", ""): (infon.text or "").strip() for infon in elem.findall("infon")}


def _int_text(value: str | None, file: str, pmid: str, field: str) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise DataFormatError(
            f"expected an integer, got {value!r}", file=file, document=pmid, field=field
        ) from None


class _Skips:
    """Rows skipped on purpose, by reason, in first-seen order."""

    def __init__(self) -> None:
        self.by_reason: dict[str, list[str]] = {}

    def add(self, reason: str, example: str) -> None:
        self.by_reason.setdefault(reason, []).append(example)

    def rows(self) -> tuple[SkippedRows, ...]:
        return tuple(
            SkippedRows(reason, len(examples), tuple(examples[:_MAX_EXAMPLES]))
            for reason, examples in self.by_reason.items()
        )


def _usable_mentions(doc: Document, skips: _Skips) -> list[Mention]:
    """The contiguous, normalised, text-checked mentions, duplicates merged (see module doc)."""
    kept: dict[tuple[str, int, int], Mention] = {}
    for mention in doc.mentions:
        example = f"{doc.pmid} annotation {mention.annotation_id} {mention.text!r}"
        if len(mention.locations) > 1:
            skips.add("mention has several locations (discontiguous)", example)
        elif doc.text[mention.start : mention.end] != mention.text:
            skips.add("mention text differs from the document text at its location", example)
        elif not mention.mesh:
            skips.add("mention has no MeSH id (-1)", example)
        elif (key := (mention.type, mention.start, mention.end)) in kept:
            skips.add("mention duplicates the type and span of another; MeSH ids merged", example)
            first = kept[key]
            merged = first.mesh + tuple(m for m in mention.mesh if m not in first.mesh)
            kept[key] = Mention(
                first.annotation_id, first.type, first.locations, first.text, merged
            )
        else:
            kept[key] = mention
    return sorted(kept.values(), key=lambda m: (m.start, m.end, m.type))


def _sentences(doc: Document, mentions: Sequence[Mention]) -> list[tuple[int, int]]:
    """Document-offset sentence spans: each passage split on its own, never inside a mention."""
    spans = [(m.start, m.end) for m in mentions]
    sentences = []
    for p_start, p_end in doc.passages:
        local = [(s - p_start, e - p_start) for s, e in spans if p_start <= s and e <= p_end]
        sentences += [
            (p_start + s, p_start + e) for s, e in split_sentences(doc.text[p_start:p_end], local)
        ]
    return sentences


def snorkel_id(pmid: str, start: int, end: int) -> str:
    """Snorkel's stable id of a document span: document offsets, END-INCLUSIVE.

    Examples
    --------
    >>> snorkel_id("227508", 0, 8)
    '227508::span:0:7'
    """
    return f"{pmid}::span:{start}:{end - 1}"


def candidate_id(pmid: str, chemical: tuple[int, int], disease: tuple[int, int]) -> str:
    """The id of a (chemical, disease) candidate from end-exclusive document spans.

    Examples
    --------
    >>> candidate_id("871943", (35, 50), (51, 57))
    '871943::span:35:49~~871943::span:51:56'
    """
    return f"{snorkel_id(pmid, *chemical)}~~{snorkel_id(pmid, *disease)}"


@dataclass(frozen=True)
class _Placed:
    """A usable mention and the index of the sentence that holds it."""

    mention: Mention
    sentence: int


def _place_mentions(
    doc: Document, skips: _Skips
) -> tuple[list[tuple[int, int]], tuple[_Placed, ...]]:
    """The document's sentences and its usable mentions, each with its sentence index."""
    mentions = _usable_mentions(doc, skips)
    sentences = _sentences(doc, mentions)
    starts = [s for s, _ in sentences]
    placed = []
    for mention in mentions:
        index = bisect_right(starts, mention.start) - 1
        if index < 0 or mention.end > sentences[index][1]:
            example = f"{doc.pmid} annotation {mention.annotation_id} {mention.text!r}"
            skips.add("mention crosses a sentence boundary", example)
        else:
            placed.append(_Placed(mention, index))
    return sentences, tuple(placed)


def _document_candidates(
    doc: Document, sentences: Sequence[tuple[int, int]], placed: Sequence[_Placed], file: str
) -> list[Candidate]:
    """Every (chemical, disease) mention pair inside one sentence of ``doc``, labelled by CID."""
    where = SourceLocation(file, document=doc.pmid)
    candidates = []
    for index, (s_start, s_end) in enumerate(sentences):
        group = [p.mention for p in placed if p.sentence == index]
        if not group:
            continue
        sentence = doc.text[s_start:s_end]
        tokens = simple_tokenize(sentence)
        for chem in (m for m in group if m.type == "Chemical"):
            for dis in (m for m in group if m.type == "Disease"):
                positive = any((c, d) in doc.relations for c in chem.mesh for d in dis.mesh)
                candidates.append(
                    make_candidate(
                        where,
                        id=candidate_id(doc.pmid, (chem.start, chem.end), (dis.start, dis.end)),
                        doc_id=doc.pmid,
                        text=sentence,
                        tokens=tokens,
                        spans=(
                            _sentence_span(sentence, s_start, "subject", chem),
                            _sentence_span(sentence, s_start, "object", dis),
                        ),
                        label=int(positive),
                        metadata={
                            "sentence_start": s_start,
                            "sentence_index": index,
                            "chemical_mesh": chem.mesh,
                            "disease_mesh": dis.mesh,
                            "chemical_annotation": chem.annotation_id,
                            "disease_annotation": dis.annotation_id,
                        },
                    )
                )
    return candidates


def _sentence_span(sentence: str, offset: int, role: str, mention: Mention) -> EntitySpan:
    """The mention as an entity span relative to the sentence that starts at ``offset``."""
    entity_type = ENTITY_TYPES[mention.type]
    return make_span(sentence, role, entity_type, mention.start - offset, mention.end - offset)


_DocIndex = dict[str, tuple[Document, tuple[_Placed, ...]]]
"""PubMed id -> the document and its placed mentions (for joining explanations)."""


def _load_split(
    split: str, path: Path, skips: _Skips, index: _DocIndex
) -> tuple[tuple[Candidate, ...], str]:
    """All candidates of one BioC XML file, in document order, and a note on CID coverage.

    Fills ``index`` with each document and its placed mentions.
    """
    candidates: list[Candidate] = []
    docs = parse_bioc(path)
    for doc in docs:
        sentences, placed = _place_mentions(doc, skips)
        candidates += _document_candidates(doc, sentences, placed, str(path))
        index[doc.pmid] = (doc, placed)
    found = {
        (c.doc_id, chem, dis)
        for c in candidates
        if c.label == 1
        for chem in c.metadata["chemical_mesh"]
        for dis in c.metadata["disease_mesh"]
    }
    missed = sum((doc.pmid, *pair) not in found for doc in docs for pair in doc.relations)
    note = (
        f"{split}: {len(docs)} documents; {missed} of {sum(len(d.relations) for d in docs)} CID "
        "relations have no positive candidate (no kept mentions of the pair share a sentence)"
    )
    return tuple(candidates), note


@dataclass(frozen=True)
class _ExplanationRow:
    explanation: Explanation
    pmid: str | None
    chemical: tuple[int, int] | None  # document span, end-exclusive
    disease: tuple[int, int] | None


def _read_explanations(path: Path, space: LabelSpace) -> list[_ExplanationRow]:
    """Read ``explanations_babble.jsonl``; spans become end-exclusive document spans."""
    rows = []
    for line, obj in read_jsonl(path):
        where = SourceLocation(str(path), line)
        text = get_field(obj, "explanation", str, where)
        raw_label = get_field(obj, "label", (bool, str, int), where)
        try:
            label = space.name(space.index(str(raw_label).lower()))
        except LabelError as exc:
            raise DataFormatError(exc.message, file=str(path), line=line, field="label") from exc
        name = get_field(obj, "name", str, where) if "name" in obj else None
        explanation = Explanation(text, label, name=name, source=where)
        if obj.get("candidate") is None:
            rows.append(_ExplanationRow(explanation, None, None, None))
            continue
        given = get_field(obj, "candidate", str, where)
        pmid = get_field(obj, "pmid", str, where)
        chemical = _inclusive_span(obj, "chemical_span", where)
        disease = _inclusive_span(obj, "disease_span", where)
        if given != (expected := candidate_id(pmid, chemical, disease)):
            raise DataFormatError(
                f"candidate {given!r} disagrees with pmid, chemical_span and disease_span "
                f"(expected {expected!r})",
                file=str(path),
                line=line,
                field="candidate",
            )
        rows.append(_ExplanationRow(explanation, pmid, chemical, disease))
    return rows


def _inclusive_span(obj: Mapping[str, Any], name: str, where: SourceLocation) -> tuple[int, int]:
    """An END-INCLUSIVE ``[first, last]`` field as an end-exclusive ``(start, end)``."""
    value = get_field(obj, name, list, where)
    if len(value) != 2 or not all(type(v) is int for v in value) or not 0 <= value[0] <= value[1]:
        raise DataFormatError(
            f"expected [first, last] character offsets (end inclusive), got {value!r}",
            file=where.file,
            line=where.line,
            field=name,
        )
    return value[0], value[1] + 1


def _overlap_ratio(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Intersection over union of two end-exclusive spans (0 when disjoint)."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return max(inter, 0) / (max(a[1], b[1]) - min(a[0], b[0]))


def _join_explanations(
    rows: Sequence[_ExplanationRow], index: _DocIndex
) -> tuple[tuple[Explanation, ...], tuple[ExplanationJoin, ...]]:
    """Join each explanation to its best-overlapping candidate (rule in the module docstring)."""
    explanations, joins = [], []
    for row in rows:
        joined_id, reason = _best_candidate_id(row, index)
        explanation = row.explanation
        if joined_id is not None:
            explanation = Explanation(
                explanation.text,
                explanation.label,
                joined_id,
                explanation.name,
                explanation.source,
            )
        explanations.append(explanation)
        joins.append(ExplanationJoin(explanation, joined_id is not None, reason))
    return tuple(explanations), tuple(joins)


def _best_candidate_id(row: _ExplanationRow, index: _DocIndex) -> tuple[str | None, str]:
    """The joined candidate's id and a note: why not joined, or that the spans differ from gold."""
    if row.pmid is None or row.chemical is None or row.disease is None:
        return None, "the explanation names no candidate (its 'candidate' is null)"
    if row.pmid not in index:
        return None, f"document {row.pmid} is in no split"
    doc, placed = index[row.pmid]
    hits = {}
    for kind, span in (("Chemical", row.chemical), ("Disease", row.disease)):
        hits[kind] = [
            (ratio, p)
            for p in placed
            if p.mention.type == kind
            and (ratio := _overlap_ratio(span, (p.mention.start, p.mention.end)))
        ]
        if not hits[kind]:
            return None, (
                f"no gold {kind} mention of document {row.pmid} overlaps the explanation's span "
                f"{doc.text[span[0] : span[1]]!r} [{span[0]}, {span[1]})"
            )
    pairs = [
        (c_ratio + d_ratio, chem.mention, dis.mention)
        for c_ratio, chem in hits["Chemical"]
        for d_ratio, dis in hits["Disease"]
        if chem.sentence == dis.sentence
    ]
    if not pairs:
        best = {kind: max(found, key=lambda hit: hit[0])[1].mention for kind, found in hits.items()}
        return None, (
            f"the gold mentions the spans name, chemical {best['Chemical'].text!r} and disease "
            f"{best['Disease'].text!r}, "
            f"are in different sentences of document {row.pmid}, so no candidate pairs them"
        )
    score, chem, dis = max(pairs, key=lambda pair: pair[0])
    note = (
        ""
        if score == 2
        else "joined by overlap: the explanation's spans differ from the gold mentions"
    )
    return candidate_id(row.pmid, (chem.start, chem.end), (dis.start, dis.end)), note


def read_word_lists(path: Path) -> dict[str, tuple[str, ...]]:
    """``keyword_lists.json``: an object of list name -> list of phrases."""
    data = read_json(path)
    if not isinstance(data, dict):
        raise DataFormatError(
            f"expected a JSON object of word lists, got {type(data).__name__}", file=str(path)
        )
    lists = {}
    for name, words in data.items():
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise DataFormatError("expected a list of strings", file=str(path), field=name)
        lists[name] = tuple(words)
    return lists


def load(path: Path) -> Dataset:
    """Load the CDR folder at ``path`` (see the module docstring for what becomes a candidate).

    The three BioC XML files are required; the explanations and word lists are read when present.
    """
    table = task_table("cdr")
    space = label_space_from_table(table)
    skips = _Skips()
    index: _DocIndex = {}
    splits: dict[str, tuple[Candidate, ...]] = {}
    notes = []
    for split, name in SPLIT_FILES.items():
        file = require_file(path / name, f"CDR {split} split ({name})")
        splits[split], note = _load_split(split, file, skips, index)
        notes.append(note)
    explanations: tuple[Explanation, ...] = ()
    joins: tuple[ExplanationJoin, ...] = ()
    if (path / EXPLANATIONS_FILE).is_file():
        rows = _read_explanations(path / EXPLANATIONS_FILE, space)
        explanations, joins = _join_explanations(rows, index)
    word_lists = (
        read_word_lists(path / WORD_LISTS_FILE) if (path / WORD_LISTS_FILE).is_file() else {}
    )
    return Dataset(
        name="cdr",
        task="relation",
        label_space=space,
        splits=splits,
        explanations=explanations,
        joins=joins,
        word_lists=word_lists,
        metric=table["metric"],
        skipped=skips.rows(),
        notes=tuple(notes),
    )
