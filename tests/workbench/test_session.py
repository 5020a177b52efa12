"""The workbench core: judging, saving, editing, reloading and proposing candidates."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from babble.config import RunConfig
from babble.datasets.jsonl import read_explanations
from babble.errors import (
    ConfigError,
    DataFormatError,
    ExplanationInputError,
    LabelError,
    UnknownCandidateError,
    UnknownExplanationError,
)
from babble.filter import filter_dataset
from babble.parse import ParseLimits
from babble.parse.report import load_explanations
from babble.runner import run
from babble.types import Dataset
from babble.workbench import ExplanationFileWarning, Workbench
from tests.workbench.helpers import DEMO, FOUNDED, INVESTOR, PIPELINE


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _lfs(bench: Workbench) -> list[str]:
    """The workbench's LFs, in column order."""
    return [estimate.lf for estimate in bench.summary().label_model]


def _bank_lfs(path: Path, demo: Dataset) -> list[str]:
    """The LFs `babble run` builds from a saved file: the filter bank over it, in file order."""
    joins = load_explanations(path, demo)
    dataset = replace(demo, explanations=tuple(j.explanation for j in joins), joins=joins)
    return [lf.name for lf in filter_dataset(dataset, "train", pipeline=PIPELINE).result.lfs]


def test_submit_gives_paraphrase_verdicts_figures_and_sample(bench: Workbench) -> None:
    feedback = bench.submit("s010-1", "founder", FOUNDED)
    assert feedback.saved and feedback.parse.ok and feedback.elapsed_ms > 0
    best = feedback.parse.readings[0]
    assert best.paraphrase == "label founder if 'founded' is between person and company"
    assert best.logical_form.startswith("(rule 1 (occurs any (between subject object)")
    assert (best.verdict, best.reason, best.votes, best.skipped) == ("kept", None, 46, ())
    lf = feedback.lf
    assert lf is not None
    assert (lf.lfs, lf.votes, lf.coverage) == (("explanation-0#0",), 46, 0.23)
    assert (lf.dev_votes, lf.dev_correct, lf.conflicts) == (12, 10, 0)
    assert len(lf.sample) == 5
    for shown in lf.sample:
        assert shown.vote == "founder" and not shown.conflicts
        assert [m.text for m in shown.firing] == ["founded"]
        assert all(shown.text[m.start : m.end] == m.text for m in shown.firing)
        assert [e.role for e in shown.entities] == ["subject", "object"]
    summary = feedback.summary
    assert summary is not None
    assert (summary.explanations, summary.parsed, summary.lfs, summary.pool) == (1, 1, 1, 200)
    assert summary.coverage == 0.23 and summary.dev_metric == "f1"
    assert summary.dev_score is not None and summary.dev_candidates == 50
    [estimate] = summary.label_model
    assert estimate.lf == "explanation-0#0" and estimate.dev_accuracy == pytest.approx(10 / 12)
    assert estimate.estimated_accuracy is not None and 0.5 < estimate.estimated_accuracy <= 1.0


def test_skipped_words_have_their_offsets(bench: Workbench) -> None:
    text = "quietly the word 'founded' is between the person and the company"
    [best, *_] = bench.preview("s010-1", "founder", text).parse.readings
    assert [(m.text, text[m.start : m.end]) for m in best.skipped] == [("quietly",) * 2]


def test_misspelt_words_are_shown_as_read(bench: Workbench) -> None:
    text = "the word 'founded' is betwen the person and the company"
    [best, *_] = bench.preview("s010-1", "founder", text).parse.readings
    assert best.skipped == () and best.respelled == (("betwen", "between"),)


def test_unparseable_explanation_is_saved_marked_with_its_words(bench: Workbench) -> None:
    feedback = bench.submit("s010-1", "founder", "because of the blorf zingy thing")
    assert feedback.saved and not feedback.parse.ok and feedback.lf is None
    assert feedback.parse.error_code == "E406"
    assert [(m.text, m.start, m.end) for m in feedback.parse.not_understood] == [
        ("blorf", 15, 20),
        ("zingy", 21, 26),
    ]
    [line] = _lines(bench.store.path)
    assert line["metadata"] == {"parsed": False, "not_understood": ["blorf", "zingy"]}
    assert bench.summary().explanations == 1 and bench.summary().parsed == 0


def test_file_is_written_after_every_accept_and_reads_back(bench: Workbench, demo: Dataset) -> None:
    path = bench.store.path
    assert not path.exists()
    bench.submit("s010-1", "founder", FOUNDED)
    assert [line["name"] for line in _lines(path)] == ["explanation-0"]
    bench.submit("s001-2", "not_founder", "nonsense words only")
    assert [line["name"] for line in _lines(path)] == ["explanation-0", "explanation-1"]
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
    read = read_explanations(path, demo.label_space)
    assert [(e.name, e.label, e.candidate_id) for e in read] == [
        ("explanation-0", "founder", "s010-1"),
        ("explanation-1", "not_founder", "s001-2"),
    ]
    assert read[0].text == FOUNDED


def test_preview_saves_nothing(bench: Workbench) -> None:
    feedback = bench.preview("s010-1", "founder", FOUNDED)
    assert not feedback.saved and feedback.summary is None and feedback.lf is not None
    assert not bench.store.path.exists() and bench.summary().explanations == 0


def test_reload_continues_earlier_work(
    bench: Workbench, open_bench: Callable[..., Workbench]
) -> None:
    bench.submit("s010-1", "founder", FOUNDED)
    bench.submit("s001-2", "not_founder", INVESTOR)
    bench.submit("s001-2", "not_founder", "blorf")
    again = open_bench(bench.store.path)
    assert [i.explanation for i in again.explanations()] == [
        i.explanation for i in bench.explanations()
    ]
    assert again.summary() == bench.summary()
    assert again.submit("s002-1", "founder", "blorf zap").explanation.name == "explanation-3"


def test_reload_names_unnamed_lines_as_babble_run_does(
    demo: Dataset, open_bench: Callable[..., Workbench], tmp_path: Path
) -> None:
    path = tmp_path / "hand.jsonl"
    path.write_text(json.dumps({"text": FOUNDED, "label": "yes", "candidate_id": "s010-1"}) + "\n")
    bench = open_bench(path)
    [item] = bench.explanations()
    assert (item.explanation.name, item.explanation.label) == ("explanation-0", "founder")


def test_update_and_delete_rewrite_the_file(bench: Workbench) -> None:
    bench.submit("s010-1", "founder", "blorf")
    bench.submit("s001-2", "not_founder", INVESTOR)
    feedback = bench.update("explanation-0", "founder", FOUNDED)
    assert feedback.saved and feedback.parse.ok and feedback.explanation.name == "explanation-0"
    assert feedback.lf is not None and feedback.lf.conflicts == 7
    assert [line["text"] for line in _lines(bench.store.path)] == [FOUNDED, INVESTOR]
    summary = bench.delete("explanation-1")
    assert summary.explanations == 1 and summary.conflict == 0.0
    assert [line["name"] for line in _lines(bench.store.path)] == ["explanation-0"]
    with pytest.raises(UnknownExplanationError, match="no explanation named 'explanation-1'"):
        bench.delete("explanation-1")


def test_conflicts_name_the_other_explanation(bench: Workbench) -> None:
    bench.submit("s010-1", "founder", FOUNDED)
    lf = bench.submit("s001-2", "not_founder", INVESTOR).lf
    assert lf is not None and lf.conflicts == 7 and lf.agreements == 0
    assert [(c.explanation, c.candidates) for c in lf.conflicts_with] == [("explanation-0", 7)]
    assert sum(s.conflicts for s in lf.sample) >= 1
    assert bench.summary().conflict == 0.035
    listed = {i.explanation.name: i.lf for i in bench.explanations()}
    assert {name: f.conflicts for name, f in listed.items() if f} == {
        "explanation-0": 7,
        "explanation-1": 7,
    }


def test_the_summary_names_the_labels_no_lf_votes_yet(bench: Workbench) -> None:
    assert bench.summary().unvoted == ("not_founder", "founder")
    bench.submit("s010-1", "founder", FOUNDED)
    assert bench.summary().unvoted == ("not_founder",)
    bench.submit("s001-2", "not_founder", INVESTOR)
    assert bench.summary().unvoted == ()


def test_same_votes_as_an_earlier_lf_is_a_duplicate(bench: Workbench) -> None:
    bench.submit("s010-1", "founder", FOUNDED)
    again = bench.submit("s010-1", "founder", FOUNDED)
    assert again.lf is None
    first = again.parse.readings[0]
    assert first.verdict == "duplicate"
    assert first.reason == "same votes as explanation-0#0"  # the bank's words, as `babble run`'s
    assert bench.summary().lfs == 1


def test_delete_brings_back_the_duplicates_of_its_lfs(
    bench: Workbench, open_bench: Callable[..., Workbench], demo: Dataset
) -> None:
    bench.submit("s010-1", "founder", FOUNDED)
    bench.submit("s001-2", "not_founder", INVESTOR)
    assert bench.submit("s010-1", "founder", FOUNDED).lf is None  # explanation-0's duplicate
    summary = bench.delete("explanation-0")
    assert _lfs(bench) == ["explanation-1#0", "explanation-2#0"] and summary.lfs == 2
    assert bench.explanations()[1].lf is not None
    fresh = open_bench(bench.store.path)
    assert _lfs(fresh) == _lfs(bench) == _bank_lfs(bench.store.path, demo)
    assert fresh.explanations() == bench.explanations() and fresh.summary() == bench.summary()


def test_lfs_after_every_change_are_those_of_the_saved_file(
    bench: Workbench, open_bench: Callable[..., Workbench], demo: Dataset
) -> None:
    def check(expected: list[str]) -> None:
        assert _lfs(bench) == expected == _bank_lfs(bench.store.path, demo)

    bench.submit("s010-1", "founder", FOUNDED)
    bench.submit("s001-2", "not_founder", INVESTOR)
    bench.submit("s010-1", "founder", FOUNDED)  # explanation-0's duplicate
    check(["explanation-0#0", "explanation-1#0"])
    bench.update("explanation-0", "founder", "blorf")  # so explanation-2's LF comes back
    check(["explanation-1#0", "explanation-2#0"])
    bench.update("explanation-0", "founder", FOUNDED)  # and is a duplicate again
    check(["explanation-0#0", "explanation-1#0"])
    bench.delete("explanation-1")
    check(["explanation-0#0"])
    bench.delete("explanation-0")
    check(["explanation-2#0"])
    fresh = open_bench(bench.store.path)
    assert fresh.explanations() == bench.explanations() and fresh.summary() == bench.summary()


def test_demo_explanations_with_deletes_and_edits_match_the_filter_bank(
    bench: Workbench, open_bench: Callable[..., Workbench], demo: Dataset
) -> None:
    for e in demo.explanations:  # several readings each, some dropped by several filters
        assert e.candidate_id is not None
        bench.submit(e.candidate_id, e.label, e.text)
    bench.submit("s010-1", "founder", demo.explanations[0].text)  # a duplicate of the first
    bench.update("explanation-4", "founder", "blorf")
    bench.delete("explanation-0")
    bench.delete("explanation-6")
    assert _lfs(bench) == _bank_lfs(bench.store.path, demo)
    assert "explanation-12#0" in _lfs(bench)
    fresh = open_bench(bench.store.path)
    assert fresh.explanations() == bench.explanations() and fresh.summary() == bench.summary()


def test_consistency_verdict_says_why(bench: Workbench) -> None:
    # s065-1 ("Saoirse Takahashi runs sales at Plumline.") has no 'founded' between them
    feedback = bench.preview("s065-1", "founder", FOUNDED)
    verdicts = {(r.verdict, r.reason) for r in feedback.parse.readings}
    assert verdicts == {("consistency", "abstains on its own example (label 1)")}


def test_suggest_uncovered_walks_and_skips_explained(bench: Workbench) -> None:
    first = bench.suggest_next("uncovered")
    assert first.candidate is not None and first.remaining == 200
    second = bench.suggest_next("uncovered", after=first.candidate.id)
    assert second.candidate is not None and second.candidate.id != first.candidate.id
    bench.submit(first.candidate.id, "founder", "blorf")
    assert bench.suggest_next("uncovered").candidate == bench.candidate(second.candidate.id)
    bench.submit("s010-1", "founder", FOUNDED)
    uncovered = bench.suggest_next("uncovered")
    assert uncovered.candidate is not None and uncovered.candidate.votes == ()
    assert uncovered.remaining == 200 - 46 - 1 and uncovered.reason == "no LF votes on it"


def test_suggest_conflict_and_uncertain(bench: Workbench) -> None:
    assert bench.suggest_next("conflict").candidate is None
    bench.submit("s010-1", "founder", FOUNDED)
    bench.submit("s001-2", "not_founder", INVESTOR)
    conflict = bench.suggest_next("conflict")
    assert conflict.candidate is not None and conflict.remaining == 7
    assert {v.label for v in conflict.candidate.votes} == {"founder", "not_founder"}
    assert conflict.reason == "LFs disagree on it: 1 for not_founder, 1 for founder"
    uncertain = bench.suggest_next("uncertain")
    assert uncertain.candidate is not None and uncertain.candidate.votes
    assert uncertain.reason.startswith("the label model hesitates: ")
    with pytest.raises(ExplanationInputError, match="unknown strategy 'random'"):
        bench.suggest_next("random")


def test_candidate_shows_entities_aliases_and_votes(bench: Workbench) -> None:
    bench.submit("s010-1", "founder", FOUNDED)
    shown = bench.candidate("s010-1")
    assert (shown.split, shown.in_pool, shown.explained_by) == ("train", True, ("explanation-0",))
    subject = shown.entities[0]
    assert (subject.role, subject.text, subject.aliases) == (
        "subject",
        "Keiko Carvalho",
        ("person", "the person", "subject"),
    )
    assert [v.lf for v in shown.votes] == ["explanation-0#0"]
    assert bench.candidate("s132-1").split == "dev" and not bench.candidate("s132-1").in_pool


def test_explanation_on_a_dev_candidate_is_checked_on_it(bench: Workbench) -> None:
    # s132-1 (dev): "Lars Fonseca built Larkspur Logistics from scratch, ..."
    feedback = bench.preview("s132-1", "founder", "the word 'built' is right after the person")
    assert feedback.parse.readings[0].verdict in ("kept", "low_coverage")
    wrong = bench.preview("s132-1", "founder", FOUNDED)
    assert {r.verdict for r in wrong.parse.readings} == {"consistency"}


@pytest.mark.parametrize(
    ("candidate", "label", "text", "error", "fragment"),
    [
        ("nope", "founder", FOUNDED, UnknownCandidateError, "no candidate with id 'nope'"),
        ("s010-1", "maybe", FOUNDED, LabelError, "unknown label 'maybe'"),
        ("s010-1", "founder", "  \n", ExplanationInputError, "the explanation is blank"),
        ("s010-1", "founder", "x" * 501, ExplanationInputError, "501 characters"),
    ],
)
def test_bad_submissions_save_nothing(
    bench: Workbench,
    candidate: str,
    label: str,
    text: str,
    error: type[Exception],
    fragment: str,
) -> None:
    with pytest.raises(error, match=fragment):
        bench.submit(candidate, label, text)
    assert not bench.store.path.exists()


def test_label_aliases_are_saved_as_names(bench: Workbench) -> None:
    assert bench.submit("s010-1", "yes", FOUNDED).explanation.label == "founder"


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"pool": "nope"}, "pool split 'nope' not in dataset 'founders'"),
        ({"dev": "nope"}, "dev split 'nope' not in dataset"),
    ],
)
def test_unknown_splits_are_refused(
    open_bench: Callable[..., Workbench], kwargs: dict[str, str], fragment: str
) -> None:
    with pytest.raises(ConfigError, match=fragment):
        open_bench(**kwargs)


def test_explanations_path_must_be_a_file(
    open_bench: Callable[..., Workbench], tmp_path: Path
) -> None:
    with pytest.raises(ExplanationInputError, match="is a folder"):
        open_bench(tmp_path)


def test_malformed_explanations_file_names_its_line(
    open_bench: Callable[..., Workbench], tmp_path: Path
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "x", "label": "maybe"}) + "\n")
    with pytest.raises(DataFormatError, match=r"bad.jsonl:1, field 'label'"):
        open_bench(path)


def test_previewing_an_edit_ignores_the_version_it_replaces(bench: Workbench) -> None:
    bench.submit("s010-1", "founder", FOUNDED)
    fresh = bench.preview("s010-1", "founder", FOUNDED)
    assert fresh.parse.readings[0].verdict == "duplicate"
    edit = bench.preview("s010-1", "founder", FOUNDED, replacing="explanation-0")
    assert edit.explanation.name == "explanation-0"
    assert edit.parse.readings[0].verdict == "kept"
    assert edit.lf is not None and edit.lf.agreements == 0


def test_previewing_an_edit_judges_it_on_its_own_candidate(bench: Workbench) -> None:
    bench.submit("s010-1", "founder", "blorf")
    # s065-1 has no 'founded' between them: were it the example, the reading would be dropped
    edit = bench.preview("s065-1", "founder", FOUNDED, replacing="explanation-0")
    assert edit.explanation.candidate_id == "s010-1"
    assert edit.parse.readings[0].verdict == "kept"


def test_unknown_candidate_ids_and_other_metadata_are_kept(
    open_bench: Callable[..., Workbench], demo: Dataset, tmp_path: Path
) -> None:
    path = tmp_path / "mine.jsonl"
    written = [
        {"name": "here", "text": FOUNDED, "label": "founder", "candidate_id": "s010-1"},
        {
            "name": "elsewhere",
            "text": INVESTOR,
            "label": "no",
            "candidate_id": "s999-9",
            "metadata": {"annotator": "ana", "parsed": True},
        },
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in written), encoding="utf-8")
    with pytest.warns(ExplanationFileWarning) as caught:
        bench = open_bench(path)
    [warning] = caught
    assert f"{path}:2: candidate_id 's999-9'" in str(warning.message)
    assert "dataset 'founders' does not have; each is kept as written" in str(warning.message)
    assert bench.explanation("elsewhere").candidate_id == "s999-9"
    assert _lfs(bench) == ["here#0", "elsewhere#0"] == _bank_lfs(path, demo)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # warned once, at load: saving does not warn again
        bench.submit("s001-2", "not_founder", "blorf")
        edited = bench.update("elsewhere", "not_founder", INVESTOR + " too")
    assert edited.explanation.candidate_id == "s999-9"
    lines = _lines(path)
    assert [line["candidate_id"] for line in lines] == ["s010-1", "s999-9", "s001-2"]
    assert lines[1]["metadata"] == {"annotator": "ana", "parsed": True, "not_understood": []}
    assert lines[1]["text"] == INVESTOR + " too"
    read = read_explanations(path, demo.label_space)
    assert [e.candidate_id for e in read] == ["s010-1", "s999-9", "s001-2"]


def test_unnamed_line_is_not_given_a_name_a_later_line_has(
    open_bench: Callable[..., Workbench], tmp_path: Path
) -> None:
    path = tmp_path / "hand.jsonl"
    lines = [
        {"text": FOUNDED, "label": "founder", "candidate_id": "s010-1"},
        {"name": "explanation-0", "text": INVESTOR, "label": "no", "candidate_id": "s001-2"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    names = [i.explanation.name for i in open_bench(path).explanations()]
    assert names == ["explanation-2", "explanation-0"]


def test_saved_file_feeds_babble_run(bench: Workbench, tmp_path: Path) -> None:
    bench.submit("s010-1", "founder", FOUNDED)
    bench.submit("s001-2", "not_founder", INVESTOR)
    bench.submit("s002-1", "founder", "blorf zap")  # saved, does not parse: run reports it
    config = RunConfig.from_dict(
        {
            "data": {"format": "jsonl", "path": str(DEMO), "dev": "dev"},
            "explanations": {"path": str(bench.store.path)},
            "preprocess": {"pipeline": PIPELINE},
            "end_model": {"kind": "none"},
            "output": str(tmp_path / "run"),
        },
        base=tmp_path,
    )
    summary = run(config, progress=False).summary
    assert summary["explanations"] == 3 and summary["lfs"] == bench.summary().lfs == 2
    parses = (tmp_path / "run" / "parses.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(p)["explanation"] for p in parses][-1] == "explanation-2"


def test_parse_limits_bound_the_readings_and_the_length(
    open_bench: Callable[..., Workbench],
) -> None:
    text = "True, because there is a founding word between the person and the company"
    free = open_bench().preview("s002-1", "founder", text).parse.readings
    assert len(free) >= 2
    bench = open_bench(parse_limits=ParseLimits(max_parses=1, max_chars=60))
    assert bench.task_info().max_chars == 60
    too_long = bench.preview("s002-1", "founder", text).parse
    assert not too_long.ok and "more than the limit of 60" in (too_long.error or "")
    two_readings = "the word 'joined' is between the person and the company"  # 55 characters
    assert len(open_bench().preview("s027-2", "not_founder", two_readings).parse.readings) == 2
    short = bench.preview("s027-2", "not_founder", two_readings).parse
    assert short.ok and len(short.readings) == 1
