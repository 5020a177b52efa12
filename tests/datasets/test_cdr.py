"""CDR loader: sentence splitter, candidates and joins on small files, bad input, real data."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from babble.datasets import cdr, load_dataset
from babble.errors import DataFormatError, DataNotFoundError
from babble.types import Dataset

# ---------------------------------------------------------------------------------------------
# Small BioC files written to tmp_path

TITLE = "Aspirin-induced asthma."
ABSTRACT = (
    "We gave aspirin (e.g. Bayer) to rats: Rash vs. Ocular and renal toxicity followed. "
    "Nalozone and heparin did not cause rash."
)
TEXT = f"{TITLE} {ABSTRACT}"


def at(phrase: str, nth: int = 0) -> tuple[int, int]:
    """(offset, length) of the ``nth`` occurrence of ``phrase`` in :data:`TEXT`."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(phrase, start + 1)
    return start, len(phrase)


def annotation(
    ann_id: int, kind: str, mesh: str, locations: Sequence[tuple[int, int]], text: str
) -> str:
    locs = "".join(f"<location offset='{o}' length='{n}' />" for o, n in locations)
    return (
        f"<annotation id='{ann_id}'><infon key=\"type\">{kind}</infon>"
        f'<infon key="MESH">{mesh}</infon>{locs}<text>{text}</text></annotation>'
    )


def relation(chemical: str, disease: str) -> str:
    return (
        "<relation id='R0'><infon key=\"relation\">CID</infon>"
        f'<infon key="Chemical">{chemical}</infon><infon key="Disease">{disease}</infon></relation>'
    )


def document(
    pmid: str, title: str, abstract: str, annotations: str = "", relations: str = ""
) -> str:
    return (
        f"<document><id>{pmid}</id>"
        f'<passage><infon key="type">title</infon><offset>0</offset><text>{title}</text></passage>'
        f'<passage><infon key="type">abstract</infon><offset>{len(title) + 1}</offset>'
        f"<text>{abstract}</text>{annotations}</passage>{relations}</document>"
    )


def collection(*documents: str) -> str:
    return (
        "<?xml version='1.0' encoding='UTF-8'?><!DOCTYPE collection SYSTEM 'BioC.dtd'>\n"
        f"<collection><source>test</source>\n{chr(10).join(documents)}\n</collection>"
    )


SAMPLE_ANNOTATIONS = "".join(
    [
        annotation(0, "Chemical", "D001241", [at("Aspirin")], "Aspirin"),
        annotation(1, "Disease", "D001249", [at("asthma")], "asthma"),
        annotation(2, "Chemical", "D001241", [at("aspirin")], "aspirin"),
        annotation(3, "Chemical", "D001241", [at("Bayer")], "Bayer"),
        annotation(4, "Disease", "D005076", [at("Rash")], "Rash"),
        annotation(
            5, "Disease", "D1|D2", [at("Ocular and renal toxicity")], "Ocular and renal toxicity"
        ),
        annotation(
            6, "Disease", "D2", [at("Ocular and renal toxicity")], "Ocular and renal toxicity"
        ),
        annotation(7, "Disease", "D1", [at("Ocular"), at("toxicity")], "Ocular toxicity"),
        annotation(8, "Chemical", "-1", [at("Nalozone")], "Nalozone"),
        annotation(9, "Chemical", "D006493|-1", [at("heparin")], "heparin"),
        annotation(10, "Disease", "D005076", [at("rash")], "rash"),
        annotation(11, "Disease", "D005076", [(at("rash")[0] - 1, 4)], "rash"),
        annotation(12, "Disease", "D9", [(len(TITLE) - 3, 8)], "ma. We g"),
    ]
)
SAMPLE = collection(
    document(
        "100",
        TITLE,
        ABSTRACT,
        SAMPLE_ANNOTATIONS,
        relation("D001241", "D001249") + relation("D006493", "D005076"),
    )
)


def write_folder(
    folder: Path, train: str = SAMPLE, explanations: Sequence[object] | None = None
) -> Path:
    """A CDR folder: ``train`` XML, empty dev and test, explanations (dicts or lines) if given."""
    (folder / "CDR_TrainingSet.BioC.xml").write_text(train, encoding="utf-8")
    for name in ("CDR_DevelopmentSet.BioC.xml", "CDR_TestSet.BioC.xml"):
        (folder / name).write_text(collection(), encoding="utf-8")
    if explanations is not None:
        lines = [e if isinstance(e, str) else json.dumps(e) for e in explanations]
        (folder / cdr.EXPLANATIONS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def explanation(
    chemical: str, disease: str, label: bool = True, **extra: object
) -> dict[str, object]:
    """An explanation row naming mentions by phrase, with END-INCLUSIVE spans as in the real file;
    ``extra`` overrides fields, and ``candidate`` follows the overridden spans unless given."""
    c_start, c_len = at(chemical)
    d_start, d_len = at(disease)
    row: dict[str, object] = {
        "name": "LF_test",
        "explanation": "the disease is immediately preceded by the chemical.",
        "label": label,
        "pmid": "100",
        "chemical_span": [c_start, c_start + c_len - 1],
        "disease_span": [d_start, d_start + d_len - 1],
    }
    row.update(extra)
    cs, ds = row["chemical_span"], row["disease_span"]
    assert isinstance(cs, list) and isinstance(ds, list)
    pmid = row["pmid"]
    row.setdefault("candidate", f"{pmid}::span:{cs[0]}:{cs[1]}~~{pmid}::span:{ds[0]}:{ds[1]}")
    return row


# ---------------------------------------------------------------------------------------------
# Sentence splitter


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One b. Two c.", ["One b.", "Two c."]),
        ("Dose was 2.5 mg. 10 rats died.", ["Dose was 2.5 mg.", "10 rats died."]),
        ("Drugs, e.g. Aspirin, i.e. NSAIDs. Next.", ["Drugs, e.g. Aspirin, i.e. NSAIDs.", "Next."]),
        ("Rats vs. Mice (Smith et al. 1990).", ["Rats vs. Mice (Smith et al. 1990)."]),
        ("Given 5 mg i.v. daily. Then", ["Given 5 mg i.v. daily.", "Then"]),
        ("Levels of Ca. The end.", ["Levels of Ca.", "The end."]),
        (
            "In the U.S. Food and Drug Administration.",
            ["In the U.S. Food and Drug Administration."],
        ),
        ('Why? (Unclear.) He said "stop." Then', ["Why?", "(Unclear.)", 'He said "stop."', "Then"]),
        ("  Leading. And trailing.  ", ["Leading.", "And trailing."]),
        ("No boundary here", ["No boundary here"]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in cdr.split_sentences(text)] == expected


def test_split_sentences_never_inside_a_protected_span() -> None:
    text = "Danger of St. Anthony's fire. Also Agent X. Y. Gone."
    protected = [(text.index("Agent"), text.index("Y.") + 1)]
    spans = cdr.split_sentences(text, protected)
    assert [text[s:e] for s, e in spans] == [
        "Danger of St. Anthony's fire.",
        "Also Agent X. Y.",
        "Gone.",
    ]


# ---------------------------------------------------------------------------------------------
# Candidates, labels, skips and joins on a small folder


@pytest.fixture
def sample(tmp_path: Path) -> Dataset:
    bayer = at("Bayer")[0]
    rows = [
        explanation("Aspirin", "asthma"),
        explanation("aspirin", "Ocular and renal toxicity", label=False),
        explanation("Bayer", "Rash", chemical_span=[bayer - 4, bayer + 5]),  # "e.g. Bayer)"
        explanation("Aspirin", "Rash"),
        explanation("Nalozone", "rash"),
        explanation("aspirin", "asthma", pmid="999"),
        {
            "explanation": "the pair is in the ctd_marker dictionary.",
            "label": True,
            "candidate": None,
        },
    ]
    return cdr.load(write_folder(tmp_path, explanations=rows))


def test_candidates_pair_mentions_within_sentences(sample: Dataset) -> None:
    got = [
        (c.span("subject").text, c.span("object").text, c.label) for c in sample.candidates("train")
    ]
    assert got == [
        ("Aspirin", "asthma", 1),
        ("aspirin", "Rash", 0),
        ("aspirin", "Ocular and renal toxicity", 0),
        ("Bayer", "Rash", 0),
        ("Bayer", "Ocular and renal toxicity", 0),
        ("heparin", "rash", 1),
    ]
    assert sample.candidates("dev") == () and sample.candidates("test") == ()


def test_candidate_fields(sample: Dataset) -> None:
    cand = sample.candidates("train")[2]
    start = TEXT.index("We gave")
    assert cand.doc_id == "100"
    assert cand.text == TEXT[start : TEXT.index("followed.") + len("followed.")]
    assert cand.metadata["sentence_start"] == start
    chem, dis = at("aspirin"), at("Ocular and renal toxicity")
    assert cand.id == f"100::span:{chem[0]}:{sum(chem) - 1}~~100::span:{dis[0]}:{sum(dis) - 1}"
    assert (cand.span("subject").type, cand.span("object").type) == ("CHEMICAL", "DISEASE")
    assert cand.span("subject").start == chem[0] - start
    # the duplicate annotation 6 was merged into 5, MeSH ids united
    assert cand.metadata["disease_mesh"] == ("D1", "D2")
    assert cand.metadata["chemical_mesh"] == ("D001241",)
    assert [t.text for t in cand.tokens][:3] == ["We", "gave", "aspirin"]


def test_notes_count_relations_without_candidates(sample: Dataset) -> None:
    assert sample.notes[0] == (
        "train: 1 documents; 0 of 2 CID relations have no positive candidate "
        "(no kept mentions of the pair share a sentence)"
    )


def test_skipped_mentions_are_counted(sample: Dataset) -> None:
    assert {s.reason: s.count for s in sample.skipped} == {
        "mention duplicates the type and span of another; MeSH ids merged": 1,
        "mention has several locations (discontiguous)": 1,
        "mention has no MeSH id (-1)": 1,
        "mention text differs from the document text at its location": 1,
        "mention crosses a sentence boundary": 1,
    }
    discontiguous = next(s for s in sample.skipped if "discontiguous" in s.reason)
    assert discontiguous.examples == ("100 annotation 7 'Ocular toxicity'",)


def test_explanations_join_by_overlap(sample: Dataset) -> None:
    ids = [c.id for c in sample.candidates("train")]
    joins = sample.joins
    assert [j.joined for j in joins] == [True, True, True, False, False, False, False]
    assert [e.candidate_id for e in sample.explanations[:3]] == [ids[0], ids[2], ids[3]]
    assert [e.label for e in sample.explanations[:2]] == ["positive", "negative"]
    assert joins[0].reason == ""
    assert "joined by overlap" in joins[2].reason  # a tagger span wider than the gold "Bayer"
    assert "different sentences" in joins[3].reason
    assert "no gold Chemical mention" in joins[4].reason and "'Nalozone'" in joins[4].reason
    assert "document 999 is in no split" in joins[5].reason
    assert "names no candidate" in joins[6].reason
    assert sample.explanations[6].text == "the pair is in the ctd_marker dictionary."
    assert sample.explanations[6].source is not None and sample.explanations[6].source.line == 7


def test_no_explanation_or_word_list_files(tmp_path: Path) -> None:
    dataset = cdr.load(write_folder(tmp_path))
    assert dataset.explanations == () and dataset.joins == () and dataset.word_lists == {}
    assert dataset.metric == "f1" and dataset.task == "relation"


# ---------------------------------------------------------------------------------------------
# Malformed input


def mutate(old: str, new: str) -> str:
    assert old in SAMPLE
    return SAMPLE.replace(old, new, 1)


@pytest.mark.parametrize(
    ("xml", "fragments"),
    [
        (mutate("</passage>", "</pasage>"), ["not well-formed XML", ".xml:3, document 100"]),
        (
            collection().replace("?>", "?><!DOCTYPE c [<!ENTITY a 'aaaa'>]>", 1),
            ["declares XML entities"],
        ),
        ("<?xml version='1.0'?><corpus/>", ["root element is <corpus>"]),
        (mutate("<id>100</id>", "<id></id>"), ["document without an <id>"]),
        (
            mutate("<offset>24</offset>", "<offset>x</offset>"),
            ["document 100", "expected an integer"],
        ),
        (
            mutate("<offset>24</offset>", "<offset>5</offset>"),
            ["document 100", "overlaps the previous"],
        ),
        (
            mutate("offset='0' length='7'", "offset='0' length='900'"),
            ["document 100", "annotation 0/location", "outside the document text"],
        ),
        (
            mutate('"type">Disease', '"type">Gene'),
            ["document 100", "unknown annotation type 'Gene'", "Chemical"],
        ),
        (mutate('<infon key="MESH">D001241</infon>', ""), ["annotation 0/MESH", "missing MeSH"]),
        (
            mutate("<location offset='0' length='7' />", ""),
            ["annotation 0", "annotation without a <location>"],
        ),
        (mutate('"relation">CID', '"relation">PPI'), ["relation R0", "relation=CID"]),
    ],
)
def test_malformed_xml(tmp_path: Path, xml: str, fragments: list[str]) -> None:
    path = tmp_path / "CDR_TrainingSet.BioC.xml"
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(DataFormatError) as info:
        cdr.parse_bioc(path)
    message = str(info.value)
    assert "CDR_TrainingSet.BioC.xml" in message
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize(
    ("line", "fragments"),
    [
        (
            '{"name": "x", "explanation": "because", ',
            ["explanations_babble.jsonl:2", "not valid JSON"],
        ),
        ('["a list"]', ["explanations_babble.jsonl:2", "expected a JSON object"]),
        (
            json.dumps({"explanation": 3, "label": True}),
            [":2, field 'explanation'", "expected str"],
        ),
        (
            json.dumps({"explanation": "x", "label": "maybe"}),
            [":2, field 'label'", "unknown label"],
        ),
        (
            json.dumps(explanation("Aspirin", "asthma", candidate="100::span:0:1~~100::span:2:3")),
            [":2, field 'candidate'", "disagrees with pmid"],
        ),
        (
            json.dumps(explanation("Aspirin", "asthma", chemical_span=[5, 1])),
            [":2, field 'chemical_span'", "end inclusive"],
        ),
        (
            json.dumps(explanation("Aspirin", "asthma", pmid=100)),
            [":2, field 'pmid'", "expected str"],
        ),
    ],
)
def test_malformed_explanations(tmp_path: Path, line: str, fragments: list[str]) -> None:
    folder = write_folder(tmp_path, explanations=[explanation("Aspirin", "asthma"), line])
    with pytest.raises(DataFormatError) as info:
        cdr.load(folder)
    for fragment in fragments:
        assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [('["causal"]', "expected a JSON object"), ('{"causal": "induce"}', "field 'causal'")],
)
def test_malformed_word_lists(tmp_path: Path, content: str, fragment: str) -> None:
    folder = write_folder(tmp_path)
    (folder / cdr.WORD_LISTS_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(DataFormatError, match=fragment):
        cdr.load(folder)


def test_missing_split_file(tmp_path: Path) -> None:
    folder = write_folder(tmp_path)
    (folder / "CDR_TestSet.BioC.xml").unlink()
    with pytest.raises(DataNotFoundError, match="CDR test split"):
        cdr.load(folder)


# ---------------------------------------------------------------------------------------------
# The shared data: exact counts


@pytest.fixture(scope="module")
def real(shared_data: Path) -> Dataset:
    return load_dataset("cdr", shared_data / "cdr")


@pytest.mark.parametrize("split", ["train", "dev", "test"])
def test_real_documents_per_split(shared_data: Path, split: str) -> None:
    assert len(cdr.parse_bioc(shared_data / "cdr" / cdr.SPLIT_FILES[split])) == 500


@pytest.mark.parametrize(
    ("split", "candidates", "positives", "documents"),
    [("train", 4724, 1864, 493), ("dev", 5101, 1995, 490), ("test", 4999, 1912, 492)],
)
def test_real_candidates(
    real: Dataset, split: str, candidates: int, positives: int, documents: int
) -> None:
    cands = real.candidates(split)
    assert len(cands) == candidates
    assert int(real.gold(split).sum()) == positives
    assert len({c.doc_id for c in cands}) == documents
    assert len({c.id for c in cands}) == candidates


def test_real_notes(real: Dataset) -> None:
    missed = [note.split("; ")[1].split(" CID")[0] for note in real.notes]
    assert missed == ["282 of 1038", "245 of 1012", "317 of 1066"]


def test_real_skipped(real: Dataset) -> None:
    assert {s.reason: s.count for s in real.skipped} == {
        "mention has no MeSH id (-1)": 227,
        "mention has several locations (discontiguous)": 153,
        "mention duplicates the type and span of another; MeSH ids merged": 26,
        "mention text differs from the document text at its location": 1,
    }


def test_real_spans_are_the_annotated_text(real: Dataset, shared_data: Path) -> None:
    annotated = {
        (doc.pmid, mention.start, mention.end): mention.text
        for name in cdr.SPLIT_FILES.values()
        for doc in cdr.parse_bioc(shared_data / "cdr" / name)
        for mention in doc.mentions
        if len(mention.locations) == 1
    }
    for cand in real:
        offset = cand.metadata["sentence_start"]
        for span in cand.spans:
            assert annotated[(cand.doc_id, offset + span.start, offset + span.end)] == span.text


def test_real_explanations(real: Dataset) -> None:
    assert len(real.explanations) == len(real.joins) == 34
    joined = {j.explanation.candidate_id for j in real.joins if j.joined}
    assert len(joined) == 23
    dev_ids = {c.id for c in real.candidates("dev")}
    train_ids = {c.id for c in real.candidates("train")}
    assert (len(joined & dev_ids), len(joined & train_ids)) == (22, 1)
    by_name = {j.explanation.name: j for j in real.joins}
    assert (
        by_name["LF_c_d"].explanation.candidate_id == "18541230::span:38:62~~18541230::span:64:72"
    )
    # a tagger span wider than the gold mention "BHA"
    assert by_name["LF_induce_name"].explanation.candidate_id.startswith("3131282::span:213:215~~")
    assert "'ACEI)-induced'" in by_name["LF_c_induced_d"].reason
    assert "different sentences" in by_name["LF_in_ctd_therapy"].reason
    assert sum("names no candidate" in j.reason for j in real.joins) == 6
    # the never-published ctd_* dictionaries load as plain text; failing is the parser's job
    assert sum("ctd_" in e.text for e in real.explanations) == 8
    assert by_name["LF_closer_chem"].explanation.text == ""


def test_real_task_metadata(real: Dataset) -> None:
    space = real.label_space
    assert space.labels == ("negative", "positive")
    assert space.index("true") == 1 and space.index("False") == 0
    assert space.entity_aliases["the chemical"] == "subject"
    assert space.entity_aliases["the disease"] == "object"
    assert space.entity_types == {"subject": "CHEMICAL", "object": "DISEASE"}
    assert real.metric == "f1"
    assert real.word_lists["causal"] == (
        "causes", "caused", "induce", "induces", "induced", "associated with"
    )  # fmt: skip
    assert sorted(real.word_lists) == [
        "causal",
        "patient",
        "procedure",
        "treat",
        "uncertain",
        "weak",
    ]
