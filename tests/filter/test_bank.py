"""The filter bank on hand-made parses over real sentences, and on a shared dataset."""

from __future__ import annotations

import numpy as np
import pytest

from babble.datasets import load_dataset
from babble.errors import LabelingError, NoLabelingFunctionsError
from babble.filter import (
    FILTERS,
    FilterConfig,
    FilterResult,
    ParsedExplanation,
    filter_parses,
    parse_explanations,
    require_lfs,
)
from babble.logic.forms import (
    AnyWord,
    Between,
    Entity,
    LabelingRule,
    Lemma,
    Occurs,
    Order,
    Phrase,
    Sentence,
    Side,
    Window,
)
from babble.preprocess import DEFAULT_PIPELINE, preprocess
from tests.apply.pools import analyzer, blank_pool, cache_dir, real_pool, relation

SUBJ, OBJ = Entity("subject"), Entity("object")
SENTENCE = Sentence()
Where = Sentence | Between | Window


def _occurs(word: Phrase | Lemma | AnyWord, where: Where = SENTENCE) -> Occurs:
    return Occurs((word,), where)


EXPLANATIONS = (
    ParsedExplanation(
        "married",
        1,
        (
            LabelingRule(1, _occurs(Lemma("marry"), Between(SUBJ, OBJ))),  # fires on c0, c9
            LabelingRule(1, Order(OBJ, SUBJ)),  # abstains on its example c0
            LabelingRule(1, _occurs(Lemma("marry"))),  # c0, c6, c9
        ),
        example="c0",
    ),
    ParsedExplanation(
        "wife",
        0,
        (
            LabelingRule(0, _occurs(AnyWord())),  # everywhere
            LabelingRule(0, _occurs(Phrase("wife"))),  # c1, c2
            LabelingRule(0, _occurs(Phrase("wife"), Window(OBJ, Side.BEFORE))),  # c1, c2 too
        ),
        example="c1",
    ),
    ParsedExplanation(
        "michelle",
        1,
        (
            LabelingRule(1, _occurs(Phrase("Michelle"))),  # only its own example, c6
            LabelingRule(1, _occurs(Phrase("married"))),  # c0, c6
        ),
        example="c6",
    ),
    ParsedExplanation("garbled", 1, (), example="c2", error="[E406] no reading found"),
    ParsedExplanation(
        "unseen", 0, (LabelingRule(0, _occurs(Phrase("storm"))),), example="elsewhere"
    ),
    ParsedExplanation(
        "outside",
        1,
        (
            LabelingRule(1, _occurs(Phrase("married"), Between(SUBJ, OBJ))),  # c0; votes on x1
            LabelingRule(1, _occurs(Phrase("Paris"))),  # c0; abstains on x1
        ),
        example="x1",
    ),
)


def _run(config: FilterConfig | None = None) -> FilterResult:
    examples = blank_pool([relation("x1", "Joe married Kim .", "Joe", "Kim")])
    return filter_parses(
        EXPLANATIONS,
        real_pool(),
        examples=examples,
        config=config,
        analyzer=analyzer(),
        n_labels=2,
    )


def test_each_filter_drops_what_it_should_with_its_reason() -> None:
    result = _run()
    dropped = {(d.lf, d.filter) for d in result.dropped}
    assert dropped == {
        ("married#1", "consistency"),
        ("married#2", "generalisation"),
        ("wife#0", "uniform"),
        ("wife#2", "duplicate"),
        ("michelle#0", "low_coverage"),
        ("outside#1", "consistency"),
    }
    reasons = {d.lf: d.reason for d in result.dropped}
    assert reasons["married#1"] == "abstains on its own example (label 1)"
    assert reasons["wife#0"] == "votes on 100.0% of the pool (> 99%)"
    assert reasons["wife#2"] == "same votes as wife#1"
    assert "beyond its example" in reasons["michelle#0"]
    assert reasons["married#2"] == "votes on every candidate married#0 votes on, and on 1 more"
    assert result.duplicates == {"wife#1": ("wife#2",)}
    assert [lf.name for lf in result.lfs] == [
        "married#0",
        "wife#1",
        "michelle#1",
        "unseen#0",
        "outside#0",
    ]
    matrix = require_lfs(result)
    assert matrix.lf_names == tuple(lf.name for lf in result.lfs)
    assert result.parsed is not None and result.parsed.shape == (10, 11)


def test_reports_per_explanation() -> None:
    reports = {r.explanation: r for r in _run().reports}
    married = reports["married"]
    assert (married.parses, married.surviving, married.example) == (3, ("married#0",), "in pool")
    assert married.dropped == dict.fromkeys(FILTERS, 0) | {"consistency": 1, "generalisation": 1}
    garbled = reports["garbled"]
    assert garbled.parses == 0 and garbled.error is not None and garbled.error.startswith("[E406]")
    assert reports["unseen"].example == "not checked: example 'elsewhere' not preprocessed"
    assert reports["outside"].example == "in examples"
    for report in reports.values():
        assert report.parses == sum(report.dropped.values()) + len(report.surviving)
    totals = _run().totals()
    assert totals == {
        "explanations": 6,
        "parses": 11,
        "consistency": 2,
        "uniform": 1,
        "duplicate": 1,
        "low_coverage": 1,
        "generalisation": 1,
        "one_per_explanation": 0,
        "lfs": 5,
    }


def test_one_per_explanation_keeps_the_most_specific_parse() -> None:
    result = _run(FilterConfig(one_per_explanation=True, drop_generalisations=False))
    reports = {r.explanation: r for r in result.reports}
    assert reports["married"].surviving == ("married#0",)  # 2 candidates, not 3
    [drop] = [d for d in result.dropped if d.filter == "one_per_explanation"]
    assert drop.lf == "married#2" and "less specific than married#0" in drop.reason


NESTED = ParsedExplanation(
    "nested",
    1,
    (
        LabelingRule(1, _occurs(Lemma("marry"), Between(SUBJ, OBJ))),  # c0, c9
        LabelingRule(1, _occurs(Lemma("marry"))),  # c0, c6, c9: contains both others
        LabelingRule(1, _occurs(Phrase("married"))),  # c0, c6: not nested with #0
    ),
    example="c0",
)


@pytest.mark.parametrize(
    ("config", "surviving", "dropped"),
    [
        (FilterConfig(), ("nested#0", "nested#2"), {"nested#1": "generalisation"}),
        (FilterConfig(drop_generalisations=False), ("nested#0", "nested#1", "nested#2"), {}),
        (
            FilterConfig(one_per_explanation=True),
            ("nested#0",),
            {"nested#1": "generalisation", "nested#2": "one_per_explanation"},
        ),
    ],
)
def test_generalisation_drops_only_strictly_broader_readings(
    config: FilterConfig, surviving: tuple[str, ...], dropped: dict[str, str]
) -> None:
    result = filter_parses([NESTED], real_pool(), config=config, analyzer=analyzer(), n_labels=2)
    assert result.reports[0].surviving == surviving
    assert {d.lf: d.filter for d in result.dropped} == dropped
    if "nested#1" in dropped:
        [drop] = [d for d in result.dropped if d.lf == "nested#1"]
        assert drop.reason == "votes on every candidate nested#0 votes on, and on 1 more"


def test_uniform_threshold_is_configurable() -> None:
    result = _run(FilterConfig(uniform_coverage=0.25, drop_generalisations=False))
    uniform = {d.lf for d in result.dropped if d.filter == "uniform"}
    assert uniform == {"wife#0", "married#2"}  # 100% and 30% of the pool
    with pytest.raises(LabelingError, match="uniform_coverage"):
        FilterConfig(uniform_coverage=0.0)


def test_nothing_parsed_gives_reports_and_a_clear_error() -> None:
    result = filter_parses([EXPLANATIONS[3]], real_pool(), analyzer=analyzer())
    assert result.lfs == () and result.matrix is None
    assert result.reports[0].error == "[E406] no reading found"
    with pytest.raises(NoLabelingFunctionsError, match="no labeling function survived"):
        require_lfs(result)


def test_repeated_explanation_names_are_refused() -> None:
    with pytest.raises(LabelingError, match="unique"):
        filter_parses([EXPLANATIONS[0], EXPLANATIONS[0]], real_pool(), analyzer=analyzer())


def test_to_dict_is_plain_data() -> None:
    import json

    data = json.loads(json.dumps(_run().to_dict()))
    assert data["totals"]["lfs"] == 5 and data["duplicates"] == {"wife#1": ["wife#2"]}
    assert data["config"]["drop_generalisations"] is True
    assert {"lf", "explanation", "rank", "filter", "reason"} <= set(data["dropped"][0])


@pytest.mark.shared_data
def test_semeval_sample_invariants(shared_data: object) -> None:
    """On SemEval (pool: the explanations' examples and 300 more train sentences), every
    explanation's parses are accounted for and the survivors obey every filter."""
    dataset = load_dataset("semeval")
    train = dataset.candidates("train")
    parsed = parse_explanations(
        dataset.explanations,
        dataset.label_space,
        examples={c.id: c for c in train},
    )
    examples = {p.example for p in parsed}
    sample = [c for c in train if c.id in examples] + list(train[::27][:300])
    pool = preprocess(
        list({c.id: c for c in sample}.values()),
        pipeline=DEFAULT_PIPELINE,
        cache_dir=cache_dir(),
        progress=False,
    )
    result = filter_parses(parsed, pool, analyzer=analyzer(), n_labels=dataset.label_space.k)
    assert len(result.reports) == 203
    for report in result.reports:
        assert report.parses == sum(report.dropped.values()) + len(report.surviving)
    matrix = require_lfs(result)
    dense = matrix.to_dense()
    rows = {c.id: j for j, c in enumerate(pool.candidates)}
    label = {p.name: p.label for p in parsed}
    example = {p.name: p.example for p in parsed}
    for j, lf in enumerate(result.lfs):
        name = lf.origin.explanation
        assert name is not None
        own = example[name]
        if own is not None and own in rows:
            assert dense[rows[own]][j] == label[name]
        assert (dense[:, j] != -1).mean() <= FilterConfig().uniform_coverage
    assert len({dense[:, j].tobytes() for j in range(dense.shape[1])}) == dense.shape[1]
    votes = [set(np.flatnonzero(dense[:, j] != -1)) for j in range(dense.shape[1])]
    for i, a in enumerate(result.lfs):
        for j, b in enumerate(result.lfs):
            if a.origin.explanation == b.origin.explanation and i != j:
                assert not votes[i] < votes[j], f"{b.name} strictly generalises {a.name}"
    assert np.isin(result.totals()["lfs"], range(1, 291))
