"""Parse reports: readings rendered, checked on their own example, summarised."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from babble.datasets import load_dataset
from babble.errors import DataFormatError
from babble.parse.report import (
    ExplanationReport,
    ParseSummary,
    ReadingReport,
    load_explanations,
    report_dataset,
)
from babble.types import Dataset

TASK = {
    "task": "relation",
    "labels": ["no", "yes"],
    "entity_aliases": {"person1": "subject", "person2": "object"},
    "entity_types": {"subject": "PERSON", "object": "PERSON"},
    "word_lists": {"kin": ["wife", "his husband"]},
}
SENTENCES = {
    "c1": ("Ann and her wife Bea left .", (0, 3), (17, 20)),
    "c2": ("Ann met Bea .", (0, 3), (8, 11)),
}
EXPLANATIONS = [
    {
        "name": "wife",
        "text": "'wife' is between person1 and person2",
        "label": "yes",
        "candidate_id": "c1",
    },
    {
        "name": "wrong",
        "text": "'wife' is between person1 and person2",
        "label": "yes",
        "candidate_id": "c2",
    },
    {
        "name": "kin",
        "text": "a word in the kin list is between them",
        "label": "yes",
        "candidate_id": "c1",
    },
    {
        "name": "undefined",
        "text": "a word in the kinship_terms list is between them",
        "label": "yes",
        "candidate_id": "c1",
    },
    {"name": "unjoined", "text": "person1 is before person2", "label": "no"},
    {"name": "punctuation", "text": "?!", "label": "no", "candidate_id": "c2"},
]


def _dataset(folder: Path) -> Dataset:
    folder.mkdir(exist_ok=True)
    (folder / "task.json").write_text(json.dumps(TASK))
    rows = []
    for cid, (text, subject, obj) in SENTENCES.items():
        spans = [
            {"role": "subject", "start": subject[0], "end": subject[1]},
            {"role": "object", "start": obj[0], "end": obj[1]},
        ]
        rows.append(json.dumps({"id": cid, "text": text, "spans": spans}))
    (folder / "train.jsonl").write_text("\n".join(rows) + "\n")
    (folder / "explanations.jsonl").write_text("\n".join(json.dumps(e) for e in EXPLANATIONS))
    return load_dataset("jsonl", folder)


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("report")


def test_report_checks_readings_on_their_own_example(report_dir: Path) -> None:
    report = report_dataset(
        _dataset(report_dir / "data"), pipeline="blank:en", cache_dir=report_dir
    )
    by_name = {e.name: e for e in report.explanations}
    wife = by_name["wife"]
    assert wife.example == "c1" and wife.correct is True and wife.filler_only
    assert wife.readings[0].sexpr == '(rule 1 (occurs any (between subject object) "wife"))'
    assert wife.readings[0].paraphrase == "label yes if 'wife' is between person1 and person2"
    assert wife.readings[0].vote == 1
    assert by_name["wrong"].correct is False and by_name["wrong"].readings[0].vote == -1
    assert by_name["kin"].correct is True  # the word list, tokenised like the sentence
    undefined = by_name["undefined"]
    assert not undefined.parsed and undefined.error_code == "E404" and undefined.correct is False
    assert "kinship_terms" in (undefined.error or "") and undefined.skipped_share == 1.0
    unjoined = by_name["unjoined"]
    assert unjoined.example is None and unjoined.correct is None and unjoined.parsed
    assert unjoined.readings[0].vote is None and unjoined.readings[0].correct is None
    assert by_name["punctuation"].error_code == "E402"
    s = report.summary
    assert (s.n, s.parsed, s.with_example, s.correct, s.filler_only) == (6, 4, 5, 2, 4)
    assert s.share(s.correct, s.with_example) == pytest.approx(0.4)
    assert report.to_dict()["summary"]["parsed_share"] == pytest.approx(4 / 6)


def test_load_explanations_joins_by_candidate_id(report_dir: Path, tmp_path: Path) -> None:
    dataset = _dataset(report_dir / "data2")
    path = tmp_path / "mine.jsonl"
    path.write_text(
        json.dumps({"text": "person1 is before person2", "label": "yes", "candidate_id": "c2"})
        + "\n"
        + json.dumps({"text": "person2 is before person1", "label": "no", "candidate_id": "zz"})
    )
    joins = load_explanations(path, dataset)
    assert [(j.joined, j.reason) for j in joins] == [(True, ""), (False, "candidate id not found")]
    report = report_dataset(dataset, joins, pipeline="blank:en", cache_dir=report_dir)
    assert [e.correct for e in report.explanations] == [True, None]
    assert report.explanations[0].source == f"{path}:1"


def test_load_explanations_rejects_malformed_lines(report_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "x", "label": "maybe"}) + "\n")
    with pytest.raises(DataFormatError, match=r"bad.jsonl:1.*maybe"):
        load_explanations(path, _dataset(report_dir / "data3"))


def _report(share: float, ms: float, readings: int, correct: bool | None) -> ExplanationReport:
    reading = ReadingReport("(rule 0 ...)", "label ...", (), 0, correct)
    return ExplanationReport(
        name=None,
        text="t",
        label="no",
        source=None,
        example=None if correct is None else "c",
        readings=(reading,) * readings,
        n_words=10,
        skipped_share=share if readings else 1.0,
        error=None,
        error_code=None,
        warnings=(),
        elapsed_ms=ms,
    )


def test_summary_figures() -> None:
    reports = [
        _report(0.0, 1.0, 2, True),
        _report(0.1, 2.0, 1, False),
        _report(0.3, 3.0, 1, None),
        _report(1.0, 100.0, 0, None),
    ]
    s = ParseSummary.of(reports)
    assert (s.n, s.parsed, s.with_example, s.correct) == (4, 3, 2, 1)
    assert (s.filler_only, s.skip_within_bound) == (3, 2)
    assert s.median_skipped == pytest.approx(0.2) and s.mean_skipped == pytest.approx(0.35)
    assert s.mean_readings == 1.0 and s.p50_ms == 2.5
    assert s.p95_ms == pytest.approx(85.45)


@pytest.mark.parametrize(
    ("fmt", "parsed", "correct"),
    # measured: absa 75/75 parse, 68/74 correct; semeval 203/203, 191/201; cdr 24/34, 17/23
    [("absa", 0.95, 0.90), ("semeval", 0.98, 0.94), ("cdr", 0.70, 0.70)],
)
def test_shared_sets_floors(shared_data: Path, fmt: str, parsed: float, correct: float) -> None:
    s = report_dataset(load_dataset(fmt)).summary
    assert s.share(s.parsed) >= parsed
    assert s.share(s.correct, s.with_example) >= correct


HELDOUT = Path(__file__).resolve().parents[2] / "benchmarks" / "heldout"


@pytest.mark.parametrize(
    ("fmt", "correct", "filler_only"),
    # measured on half b (written blind, benchmarks/heldout/README.md): every explanation
    # parses; 20/20, 20/20, 20/20, 18/20, 7/10, 10/10 correct; 85%, 100%, 95%, 90%, 90%, 100%
    # skip nothing but filler
    [
        ("semeval", 0.95, 0.8),
        ("absa", 0.95, 0.95),
        ("spouse", 0.95, 0.9),
        ("cdr", 0.85, 0.85),
        ("youtube", 0.7, 0.8),
        ("sms", 0.95, 0.95),
    ],
)
def test_heldout_floors(shared_data: Path, fmt: str, correct: float, filler_only: float) -> None:
    wrench = {"youtube", "sms"}
    dataset = (
        load_dataset("wrench", shared_data / "wrench" / fmt) if fmt in wrench else load_dataset(fmt)
    )
    joins = load_explanations(HELDOUT / f"{fmt}_b.jsonl", dataset)
    s = report_dataset(dataset, joins).summary
    assert s.with_example == s.n == (10 if fmt in wrench else 20)
    assert s.share(s.parsed) >= 0.95
    assert s.share(s.correct, s.with_example) >= correct
    assert s.share(s.filler_only) >= filler_only


REPORTING_SETS = ("semeval", "spouse", "cdr", "absa", "sms", "trec")


@pytest.mark.parametrize(
    ("name", "n", "floors"),
    [
        # set d (full, wordy sentences): measured 88 parsed, 80 correct, 58 filler only of 90
        ("d", 90, (83, 75, 48)),
        # set f (half terse, half wordy; written after the parser work): 64, 57, 41 of 72 when
        # written, 65, 59, 42 a session later
        ("f", 72, (61, 55, 38)),
        # set g (the same style, written a session later): 68, 56, 36 of 72
        ("g", 72, (64, 52, 32)),
        # set u (researchers' voice, one style with guide set t): 80, 66, 35 of 90 when
        # written, 85, 75, 41 after the parser work t guided
        ("u", 90, (82, 71, 37)),
        # set v (thinking aloud, measured blind): 83, 66, 36 of 90 when written, 83, 68, 37
        # after the session's work
        ("v", 90, (80, 64, 33)),
        # set ah (academic prose): 79, 58, 20 of 90 measured blind, 83, 65, 21 after the work
        # its guide set ag guided
        ("ah", 90, (80, 62, 18)),
        # set aj (dictated transcripts): 81, 59, 23 blind, 82, 66, 31 after the work on ai
        ("aj", 90, (78, 61, 28)),
        # set al (domain experts' jargon): 81, 53, 12 blind, 83, 56, 15 after the work on ak
        ("al", 90, (80, 53, 12)),
        # set an (form fields): 85, 63, 16 blind, 84, 65, 40 after the work on am
        ("an", 90, (81, 62, 36)),
        # set ap (typed in a chat tool that renders Markdown): 77, 64, 31 blind, 81, 70, 40
        # after the work on ao
        ("ap", 90, (78, 66, 37)),
        # set ar (legal drafting): 88, 79, 13 blind, 89, 83, 59 after the work on aq
        ("ar", 90, (86, 80, 55)),
        # set at (contrast and counterfactuals): 86, 69, 14 blind, 88, 72, 18 after the work on as
        ("at", 90, (85, 68, 13)),
        # set av (weighing the evidence): 78, 55, 5 blind, 83, 61, 10 after the work on au
        ("av", 90, (79, 58, 7)),
        # set ax (the gist first, then the cue): 85, 70, 41 blind, 86, 72, 45 after the work on aw
        ("ax", 90, (83, 69, 42)),
        # set az (nominal style): 80, 69, 7 blind, 85, 74, 38 after the work on ay
        ("az", 90, (82, 71, 35)),
    ],
)
def test_reporting_heldout_floor(
    shared_data: Path, name: str, n: int, floors: tuple[int, int, int]
) -> None:
    """Blind sets kept for reporting only: parsed, correct on their own example and skipping
    nothing but filler stay at or above floors a little under the measured figures."""
    wrench = {"sms", "trec"}
    totals = [0, 0, 0, 0]
    for fmt in REPORTING_SETS:
        dataset = (
            load_dataset("wrench", shared_data / "wrench" / fmt)
            if fmt in wrench
            else load_dataset(fmt)
        )
        joins = load_explanations(HELDOUT / f"{fmt}_{name}.jsonl", dataset)
        s = report_dataset(dataset, joins).summary
        for i, value in enumerate((s.n, s.parsed, s.correct, s.filler_only)):
            totals[i] += value
    assert totals[0] == n
    assert all(t >= f for t, f in zip(totals[1:], floors, strict=True)), (totals, floors)
