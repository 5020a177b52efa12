"""The four shared explanation sets, read straight from their files for parser tests.

Each set gives (explanation text, label name, the candidate's sentence or None) and the label
space and word lists to parse it with. The label spaces name entities the way each set's
annotators do; they mirror the task tables, so the parser tests do not depend on the loaders.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from babble.types import LabelSpace

_RELATION_ALIASES = {
    "x": "subject",
    "y": "object",
    "the first entity": "subject",
    "the second entity": "object",
}


@dataclass(frozen=True)
class SharedSet:
    """One explanation set with what is needed to parse it."""

    name: str
    space: LabelSpace
    word_lists: Mapping[str, tuple[str, ...]]
    items: tuple[tuple[str, str, str | None], ...]  # (text, label, sentence)


def semeval(root: Path) -> SharedSet:
    rows = json.loads((root / "semeval2010_task8" / "explanations_next.json").read_text())
    labels = tuple(sorted({r["rel"] for r in rows} | {"Other"}))
    space = LabelSpace(
        labels, entity_aliases={"subj": "subject", "obj": "object", **_RELATION_ALIASES}
    )
    items = tuple(
        (r["exp"], r["rel"], r["sent"].replace("SUBJ-O", "SUBJ").replace("OBJ-O", "OBJ"))
        for r in rows
    )
    return SharedSet("semeval", space, {}, items)


def absa(root: Path) -> SharedSet:
    rows = json.loads((root / "absa_semeval2014" / "explanations_restaurant_next.json").read_text())
    space = LabelSpace(
        ("negative", "neutral", "positive"),
        entity_aliases={
            "$t$": "target",
            "the term": "target",
            "the aspect": "target",
            "the target": "target",
        },
        label_aliases={"-1": "negative", "0": "neutral", "1": "positive"},
    )
    items = tuple((r["exp"], str(r["label"]), r["sent"].replace("$T$", r["term"])) for r in rows)
    return SharedSet("absa", space, {}, items)


def spouse(root: Path) -> SharedSet:
    space = LabelSpace(
        ("not_spouse", "spouse"),
        entity_aliases={
            "person1": "subject",
            "person2": "object",
            "person 1": "subject",
            "person 2": "object",
            "the first person": "subject",
            "the second person": "object",
            **_RELATION_ALIASES,
        },
        label_aliases={"1": "spouse", "2": "not_spouse", "true": "spouse", "false": "not_spouse"},
    )
    with (root / "spouse" / "explanations_gradturk.tsv").open(encoding="utf-8") as handle:
        items = tuple(
            (row[2], row[1], None)
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            if len(row) >= 3
        )
    return SharedSet("spouse", space, {}, items)


def cdr(root: Path) -> SharedSet:
    space = LabelSpace(
        ("negative", "positive"),
        entity_aliases={"the chemical": "subject", "the disease": "object", "the drug": "subject"},
        label_aliases={"true": "positive", "false": "negative"},
    )
    lists = json.loads((root / "cdr" / "keyword_lists.json").read_text())
    items = []
    for line in (root / "cdr" / "explanations_babble.jsonl").read_text().splitlines():
        row = json.loads(line)
        items.append((row["explanation"], "true" if row["label"] else "false", None))
    return SharedSet("cdr", space, {k: tuple(v) for k, v in lists.items()}, tuple(items))


ALL = (semeval, absa, spouse, cdr)
