"""Write the ``founders`` demo dataset: did this PERSON found this ORG?

Sentences are composed from hand-written templates and fictional names with a fixed seed, so the
output is reproducible: ``python demos/founders/make_demo.py`` rewrites the committed files
byte for byte (a test checks this). Every person x organisation pair in a sentence is one
candidate, with its gold label written next to the template.

Usage: ``python demos/founders/make_demo.py [OUT_DIR]`` (default: this folder).
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEED = 20240611
SPLIT_SIZES = {"train": 200, "dev": 50, "test": 50}
LABELS = ("not_founder", "founder")


def _words(block: str) -> list[str]:
    """The whitespace-separated words of ``block`` (keeps long name lists readable)."""
    return block.split()


FEMALE = _words(
    """Amara Beatrix Celeste Dana Elif Farah Greta Hana Ingrid Jolene Keiko Lucia Maren Nadia
Odette Priya Rosalind Saoirse Talia Uma Vera Wen Yara Zofia Marisol Tamsin Ilse Noor"""
)
MALE = _words(
    """Anders Bashir Caleb Dmitri Emeka Felix Gideon Hiro Idris Jonas Kofi Lars Mateo Nikhil
Oskar Pavel Rafael Silas Tobias Umar Viktor Wendell Yusuf Zane Ruben Teodor Ansel Levi"""
)
SURNAMES = _words(
    """Okafor Lindqvist Marchetti Haddad Brennan Castellanos Delacroix Esposito Fairweather
Gallagher Holloway Ibarra Jankowski Kowalczyk Lachance Nakamura Oyelaran Pemberton Quintero
Rasmussen Sandoval Thibodeaux Underhill Valdivia Whitcombe Yilmaz Zeller Achterberg Bellamy
Crowther Dunmore Ferreira Grimaldi Hargreave Iversen Kettering Loughran Merriweather Novak
Ostrowski Prendergast Ravensworth Szabo Tennant Winslow Adeyemi Halvorsen Moreau Petrakis
Abernathy Bjornstad Carvalho Drummond Eberhardt Fitzroy Galloway Hendricks Isaksen Jovanovic
Kaminski Lindgren Mancini Nordahl Obi Pacheco Quayle Rinaldi Sorensen Takahashi Urquhart Vance
Wexford Yamada Zubiri Asante Barrow Chowdhury Duarte Engstrom Fonseca Gunawardena Hollis Ishikawa
Kirkland Lucero Mwangi Nieminen Orsini Pryce Renwick Sato Toivonen Varga Whitlock"""
)
ORG_STEMS = _words(
    """Brightwater Quillfeather Tidemark Larkspur Copperline Halcyon Ironbark Bluefinch
Cinderpath Saltgrass Oakhollow Pebblestone Redmere Thornbury Umberlight Wrenfield Kestrel
Foxglove Glasshouse Harrowgate Lanternfish Moonrake Northmoor Palisade Quarrystone Riverbend
Silverleaf Tallowmere Vantablue Westerly Amberfold Birchwick Coldharbor Driftwood Emberly
Fernhollow Greyling Hollowell Juniperline Kingfisher Lowtide Marrowbone Nettlefield Ashgrove
Bellwether Clearwell Dunlin Eastgate Flintlock Goldcrest Heronsgate Inkwell Jadestone Kittiwake
Lindenhall Millrace Norland Osprey Pinecrest Quicksilver Rookery Sandpiper Starling
Tanager"""
)
ORG_SUFFIXES = _words(
    """Labs Analytics Robotics Health Systems Foods Energy Studios Logistics Bio Software
Networks Motors Media Games Therapeutics Data Materials Security Payments"""
)
ORG_SINGLE = _words(
    """Mossbyte Pinwheel Quillio Zentrop Loomwise Tesselate Brambl Hexaloom Nimbly Orbitra
Plumline Sprocketry Tinderbox Verdigris Wattling Yonderly"""
)
KINDS = _words(
    """payments logistics robotics climate edtech health gaming cybersecurity food-delivery
battery insurance legal-tech agritech fintech"""
)
CLIENTS = [
    "bakeries",
    "clinics",
    "farms",
    "law firms",
    "bike shops",
    "dental practices",
    "breweries",
]
CITIES = _words(
    """Lisbon Austin Nairobi Toronto Melbourne Bangalore Leeds Rotterdam Denver Lagos Montreal
Seoul Porto Tallinn Accra Valencia Glasgow Pittsburgh"""
)
OUTLETS = ["the Harbour Gazette", "Tech Ledger", "the Morning Dispatch", "Startup Weekly"]

# Template -> gold label of each (person, organisation) pair: "P1O1=1" means P1 founded O1.
# Slots: P1..P3 people, O1..O2 organisations, {she1}/{her1}/{herself1} pronouns of P1,
# {Y}/{Y2} years, {N} a number, {CITY}, {KIND}, {CLIENTS}. "[a|b]" picks one wording.
TEMPLATES: list[tuple[str, str]] = [
    # founders, stated plainly and less plainly
    ("{P1} [founded|started|set up] {O1} in {Y}.", "P1O1=1"),
    ("{P1} founded {O1}, a {KIND} startup, in {CITY} in {Y}.", "P1O1=1"),
    (
        "In {Y}, {P1} co-founded {O1} with [two former classmates|an old friend from school|"
        "{her1} husband|a colleague from {her1} first job].",
        "P1O1=1",
    ),
    ("{O1} was [founded|established|started] by {P1} in {Y}.", "P1O1=1"),
    (
        "{O1}, which {P1} started in {her1} [garage|kitchen|dorm room] in {CITY}, now employs more "
        "than {N} people.",
        "P1O1=1",
    ),
    ("{P1} set up {O1} in {Y} to build software for small {CLIENTS}.", "P1O1=1"),
    (
        "After a decade in [banking|consulting|the army|academia], {P1} started {O1} from a spare "
        "bedroom.",
        "P1O1=1",
    ),
    ("{P1} is the founder and [chief executive|chair|chief technology officer] of {O1}.", "P1O1=1"),
    (
        "{O1} founder {P1} said the company would hire {N} [engineers|people|nurses] this year.",
        "P1O1=1",
    ),
    (
        "{P1}, who founded {O1} in {Y}, stepped down as chief executive [last spring|in {Y2}].",
        "P1O1=1",
    ),
    (
        "{P1} established {O1} in {CITY} shortly after finishing {her1} [doctorate|MBA|residency].",
        "P1O1=1",
    ),
    ("{P1} launched {O1} in {Y} with savings from {her1} first job.", "P1O1=1"),
    ("{P1} created {O1} after struggling to find a reliable {KIND} tool.", "P1O1=1"),
    (
        "{P1} sketched the idea for {O1} on a napkin and incorporated the company a month later.",
        "P1O1=1",
    ),
    ("{P1} cofounded {O1} while still a student in {CITY}.", "P1O1=1"),
    ("{O1} was started by {P1} in {Y} as a side project.", "P1O1=1"),
    ("{P1}, the founder of {O1}, will speak at [the conference|the summit] on Thursday.", "P1O1=1"),
    ("Started by {P1} in {Y}, {O1} has raised more than ${N} million.", "P1O1=1"),
    ("{P1} built {O1} from scratch, hiring its first ten employees {herself1}.", "P1O1=1"),
    ("{O1}'s co-founder, {P1}, announced the [deal|layoffs|merger] on Tuesday.", "P1O1=1"),
    ("{P1} left {O1}, the startup {she1} co-founded in {Y}, to join a venture firm.", "P1O1=1"),
    ("It was {P1} who founded {O1}, not {her1} brother, as many assume.", "P1O1=1"),
    ("{P1} has run {O1} since {she1} set it up in {Y}.", "P1O1=1"),
    ("{O1} traces its origins to {Y}, when {P1} began selling {KIND} kits online.", "P1O1=1"),
    (
        "{P1}, {O1}'s founder, [declined to comment|did not respond to requests for comment].",
        "P1O1=1",
    ),
    # not founders: other relations between a person and a company
    (
        "{P1} [joined|went to work for|signed on with] {O1} as a [software engineer|sales manager|"
        "data analyst] in {Y}.",
        "P1O1=0",
    ),
    ("{P1} worked at {O1} for [six|eleven|two] years before retiring.", "P1O1=0"),
    ("{P1} left {O1} in {Y} after a dispute with the board.", "P1O1=0"),
    ("{P1} invested in {O1} during its [seed round|Series A|first funding round].", "P1O1=0"),
    ("{P1} [criticised|attacked|defended] {O1} for its handling of customer data.", "P1O1=0"),
    ("{P1} was CEO of {O1} from {Y} to {Y2}.", "P1O1=0"),
    ("{P1} was appointed [chief executive|finance director|president] of {O1} in {Y}.", "P1O1=0"),
    ("{P1} sued {O1} over [unpaid wages|a breach of contract|a patent].", "P1O1=0"),
    ("{P1} bought a stake in {O1} in {Y}.", "P1O1=0"),
    ("{P1} advises {O1} on [regulatory matters|hiring|its expansion into {CITY}].", "P1O1=0"),
    ("{P1} resigned from the board of {O1} in {Y}.", "P1O1=0"),
    ("{O1} hired {P1} to lead its {KIND} division.", "P1O1=0"),
    ("{O1} [fired|suspended] {P1} after an internal investigation.", "P1O1=0"),
    ("{P1} chairs the board of {O1}.", "P1O1=0"),
    ("{P1}, a former intern at {O1}, now teaches in {CITY}.", "P1O1=0"),
    ("{P1} praised {O1} for its transparency.", "P1O1=0"),
    ("{P1} was the first paying customer of {O1}.", "P1O1=0"),
    ("{P1} runs [marketing|sales|the legal team] at {O1}.", "P1O1=0"),
    ("{P1} led {O1} through its {Y} public listing.", "P1O1=0"),
    ("{P1} works at {O1} as a product designer.", "P1O1=0"),
    ("{O1} acquired the startup that {P1} had built and kept {her1} on as an adviser.", "P1O1=0"),
    ("{P1} visited {O1}'s {CITY} headquarters in {Y}.", "P1O1=0"),
    # not founders, but with founding words nearby: rules on single words get these wrong
    ("{P1} did not found {O1}; {she1} joined it as its third employee.", "P1O1=0"),
    ("Contrary to some reports, {P1} never founded {O1}.", "P1O1=0"),
    ("{P1} started working at {O1} in {Y}.", "P1O1=0"),
    ("{P1} set up the {CITY} office of {O1}.", "P1O1=0"),
    ("{P1} created the mobile app for {O1}.", "P1O1=0"),
    ("{P1} founded the data science team at {O1}.", "P1O1=0"),
    ("{P1} is often wrongly described as the founder of {O1}.", "P1O1=0"),
    ("{P1} wrote a book about {O1} and its founders.", "P1O1=0"),
    ("{P1} interviewed the founders of {O1} for a podcast.", "P1O1=0"),
    (
        "{P1} had planned to start a company called {O1}, but the idea never got off the ground.",
        "P1O1=0",
    ),
    ("{P1} launched a new {KIND} product at {O1} last year.", "P1O1=0"),
    ("{P1} established a scholarship at {O1} in {Y}.", "P1O1=0"),
    # several people and organisations in one sentence
    ("{P1} founded {O1} in {Y} after leaving {O2}.", "P1O1=1 P1O2=0"),
    ("{P1} worked at {O2} for a decade before founding {O1}.", "P1O1=1 P1O2=0"),
    ("{P1} and {P2} co-founded {O1} in {Y}.", "P1O1=1 P2O1=1"),
    (
        "{P1} co-founded {O1} with {P2}, a former colleague from {O2}.",
        "P1O1=1 P2O1=1 P1O2=0 P2O2=0",
    ),
    ("{O1}, founded by {P1}, acquired {O2} in {Y}.", "P1O1=1 P1O2=0"),
    ("{P1}, who founded {O1}, later joined {O2} as chief executive.", "P1O1=1 P1O2=0"),
    ("{P1} invested in {O1}, which {P2} had founded two years earlier.", "P1O1=0 P2O1=1"),
    ("{P1}, the founder of {O1}, sued {O2} for patent infringement.", "P1O1=1 P1O2=0"),
    ("{P1} was CEO of {O2} before founding {O1}.", "P1O1=1 P1O2=0"),
    (
        "{P1} hired {P2} as the first engineer at {O1}, the company {she1} had started in {Y}.",
        "P1O1=1 P2O1=0",
    ),
    ("{P1} [criticised|praised] {P2}, who founded {O1} in {Y}.", "P1O1=0 P2O1=1"),
    ("{P2} joined {O1} in {Y}, three years after {P1} founded it.", "P1O1=1 P2O1=0"),
    ("{O2} acquired {O1}, the {KIND} startup founded by {P1}, for ${N} million.", "P1O1=1 P1O2=0"),
    ("{P1} left {O2} to set up {O1} with {P2}.", "P1O1=1 P1O2=0 P2O1=1 P2O2=0"),
    (
        "{P1} and {P2} met at {O2}, where both worked as analysts, and went on to found {O1}.",
        "P1O1=1 P2O1=1 P1O2=0 P2O2=0",
    ),
    (
        "Unlike {P2}, who founded {O1}, {P1} has spent {her1} whole career at {O2}.",
        "P1O1=0 P1O2=0 P2O1=1 P2O2=0",
    ),
    ("{P1} sold {O1}, the company {she1} founded in {Y}, to {O2}.", "P1O1=1 P1O2=0"),
    ("{P1} did not found {O1}; it was {P2} who started it in {Y}.", "P1O1=0 P2O1=1"),
    ("{P1}, an early investor in {O2}, co-founded {O1} in {Y}.", "P1O1=1 P1O2=0"),
    ("{O2} sued {O1} and its founder, {P1}, in {Y}.", "P1O1=1 P1O2=0"),
    (
        "{P1} and {P2} started {O1}; {P3} joined a year later as head of sales.",
        "P1O1=1 P2O1=1 P3O1=0",
    ),
    (
        "{P1} was hired by {O1} in {Y}, the same year {P2} established {O2}.",
        "P1O1=0 P1O2=0 P2O1=0 P2O2=1",
    ),
    (
        "{P2}, a partner at {O2}, backed {P1} when {she1} founded {O1}.",
        "P1O1=1 P1O2=0 P2O1=0 P2O2=0",
    ),
    ("{P1} spent three years at {O2} and then created {O1} with {her1} sister.", "P1O1=1 P1O2=0"),
    ("{P1} and {P2} run {O1}, which {P3} founded in {Y}.", "P1O1=0 P2O1=0 P3O1=1"),
    (
        "{P1}, who co-founded {O2} with {P2}, now sits on the board of {O1}.",
        "P1O1=0 P1O2=1 P2O1=0 P2O2=1",
    ),
    ("When {P1} founded {O1}, {she1} poached {P2} from {O2}.", "P1O1=1 P1O2=0 P2O1=0 P2O2=0"),
]

SUFFIXES = [", according to {OUTLET}.", ", {OUTLET} reported.", ", a spokesperson confirmed."]
PREFIXES = ["According to {OUTLET}, ", "Records show that ", "As {OUTLET} reported, "]

_SLOT_RE = re.compile(r"\{(\w+)\}")
_CHOICE_RE = re.compile(r"\[([^\]]+)\]")
_PAIR_RE = re.compile(r"(P\d)(O\d)=([01])")


@dataclass(frozen=True)
class Sentence:
    """One composed sentence: its text, entity offsets per slot, and gold label per pair."""

    text: str
    offsets: dict[str, tuple[int, int]]
    pairs: list[tuple[str, str, int]]


def _person(rng: random.Random) -> tuple[str, bool]:
    female = rng.random() < 0.5
    first = rng.choice(FEMALE if female else MALE)
    return f"{first} {rng.choice(SURNAMES)}", female


def _org(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return rng.choice(ORG_SINGLE)
    return f"{rng.choice(ORG_STEMS)} {rng.choice(ORG_SUFFIXES)}"


def _fillers(rng: random.Random) -> dict[str, str]:
    """A value for every slot: distinct people and organisations, pronouns agreeing with P1."""
    values: dict[str, str] = {}
    people: set[str] = set()
    female1 = True
    for i in (1, 2, 3):
        while True:
            name, female = _person(rng)
            if name.split()[1] not in {p.split()[1] for p in people}:
                break
        people.add(name)
        values[f"P{i}"] = name
        if i == 1:
            female1 = female
    orgs: set[str] = set()
    for i in (1, 2):
        while (org := _org(rng)) in orgs or org.split()[0] in {o.split()[0] for o in orgs}:
            pass
        orgs.add(org)
        values[f"O{i}"] = org
    year = rng.randint(1994, 2019)
    values.update(
        she1="she" if female1 else "he",
        her1="her" if female1 else "his",
        herself1="herself" if female1 else "himself",
        Y=str(year),
        Y2=str(year + rng.randint(2, 9)),
        N=str(rng.choice([12, 40, 85, 150, 300, 1200])),
        CITY=rng.choice(CITIES),
        KIND=rng.choice(KINDS).replace("-", " "),
        CLIENTS=rng.choice(CLIENTS),
        OUTLET=rng.choice(OUTLETS),
    )
    return values


def _decorate(template: str, rng: random.Random) -> str:
    """Sometimes wrap a plain sentence in a reporting prefix or suffix, for variety."""
    if ";" in template or not template.endswith(".") or rng.random() > 0.3:
        return template
    if rng.random() < 0.5 and template.startswith(("{P", "{O")):
        return rng.choice(PREFIXES) + template
    return template[:-1] + rng.choice(SUFFIXES)


def compose(template: str, gold: str, rng: random.Random) -> Sentence:
    """Fill ``template`` and record where each person and organisation slot landed."""
    values = _fillers(rng)
    text, offsets, pos = "", {}, 0
    slots = [m.group(1) for m in _SLOT_RE.finditer(template) if m.group(1)[0] in "PO"]
    if len(slots) != len(set(slots)):
        raise ValueError(f"template {template!r}: an entity slot is used twice")
    worded = _CHOICE_RE.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    decorated = _decorate(worded, rng)
    for match in _SLOT_RE.finditer(decorated):
        text += decorated[pos : match.start()]
        slot = match.group(1)
        if slot[0] in "PO" and slot[1:].isdigit():
            offsets[slot] = (len(text), len(text) + len(values[slot]))
        text += values[slot]
        pos = match.end()
    text += decorated[pos:]
    pairs = [(p, o, int(y)) for p, o, y in _PAIR_RE.findall(gold)]
    _check_pairs(template, offsets, pairs)
    return Sentence(text, offsets, pairs)


def _check_pairs(
    template: str, offsets: dict[str, tuple[int, int]], pairs: list[tuple[str, str, int]]
) -> None:
    """Every person x organisation pair in a template must have exactly one gold label."""
    people = sorted(s for s in offsets if s[0] == "P")
    orgs = sorted(s for s in offsets if s[0] == "O")
    labelled = sorted((p, o) for p, o, _ in pairs)
    if labelled != sorted((p, o) for p in people for o in orgs):
        raise ValueError(f"template {template!r}: labels {labelled} do not cover all pairs")


def generate(seed: int = SEED) -> dict[str, list[dict[str, Any]]]:
    """Candidates per split, exact sizes, each sentence's pairs kept in one split."""
    rng = random.Random(seed)
    splits: dict[str, list[dict[str, Any]]] = {}
    seen_texts: set[str] = set()
    doc = 0
    for split, size in SPLIT_SIZES.items():
        rows: list[dict[str, Any]] = []
        while len(rows) < size:
            template, gold = rng.choice(TEMPLATES)
            if gold.count("=") > size - len(rows):
                continue
            sentence = compose(template, gold, rng)
            if sentence.text in seen_texts:
                continue
            seen_texts.add(sentence.text)
            doc += 1
            rows.extend(_candidates(sentence, f"s{doc:03d}"))
        splits[split] = rows
    return splits


def _candidates(sentence: Sentence, doc_id: str) -> Iterator[dict[str, Any]]:
    for n, (person, org, gold) in enumerate(sentence.pairs, start=1):
        spans = []
        for role, slot, type_ in (("subject", person, "PERSON"), ("object", org, "ORG")):
            start, end = sentence.offsets[slot]
            spans.append({"role": role, "start": start, "end": end, "type": type_})
        yield {
            "id": f"{doc_id}-{n}",
            "doc_id": doc_id,
            "text": sentence.text,
            "spans": spans,
            "label": LABELS[gold],
        }


# --- explanations -------------------------------------------------------------------------------

FOUNDING = [
    "founded",
    "co-founded",
    "cofounded",
    "started",
    "set up",
    "established",
    "launched",
    "created",
]


@dataclass(frozen=True)
class View:
    """What an annotator looks at: the words between, before and after the two entities."""

    between: str
    after_person: str
    before_company: str
    person_first: bool
    before_person: str
    after_company: str
    text: str


def _view(row: dict[str, Any]) -> View:
    text = row["text"]
    subj, obj = row["spans"]
    first, second = sorted((subj, obj), key=lambda s: int(s["start"]))
    return View(
        between=text[first["end"] : second["start"]],
        after_person=text[subj["end"] :],
        before_company=text[: obj["start"]],
        person_first=subj["start"] < obj["start"],
        before_person=text[: subj["start"]],
        after_company=text[obj["end"] :],
        text=text,
    )


def _has(words: list[str], text: str) -> bool:
    """Whether ``text`` holds one of ``words`` as whole words ("founded" is not in "co-founded")."""
    return any(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text) for w in words)


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


# (name, label as the annotator wrote it, explanation, test on a candidate, gold label name)
EXPLANATIONS: list[tuple[str, str, str, Callable[[View], bool], str]] = [
    (
        "founded_between",
        "founder",
        "Label founder because the word 'founded' is between the person and the company.",
        lambda v: v.person_first and _has(["founded"], v.between),
        "founder",
    ),
    (
        "founded_by",
        "founder",
        "founder, because the words 'founded by' appear between the company and the person",
        lambda v: not v.person_first and "founded by" in v.between,
        "founder",
    ),
    (
        "cofounded_or_started",
        "yes",
        "yes because the words 'co-founded' or 'started' come right after the person",
        lambda v: v.after_person.startswith((" co-founded", " started")),
        "founder",
    ),
    (
        "founder_of",
        "founder",
        "Label founder because the phrase 'the founder of' appears immediately before the company.",
        lambda v: v.before_company.endswith("the founder of "),
        "founder",
    ),
    (
        "founding_word",
        "true",
        "True, because there is a founding word between the person and the company and the word "
        "'not' is not between them",
        lambda v: (
            v.person_first
            and _has(["established", "set up", "launched"], v.between)
            and "not" not in v.between
        ),
        "founder",
    ),
    (
        "sued",
        "no",
        "no because 'sued' appears between them",
        lambda v: _has(["sued"], v.between),
        "not_founder",
    ),
    (
        "joined",
        "not_founder",
        "Label not_founder because the word 'joined' is between the person and the company.",
        lambda v: v.person_first and _has(["joined"], v.between),
        "not_founder",
    ),
    (
        "invested",
        "not_founder",
        "not a founder: the words 'invested in' or 'investor in' occur between the person and the "
        "company",
        lambda v: _has(["invested in", "investor in"], v.between),
        "not_founder",
    ),
    (
        "negated",
        "false",
        "false, since 'not' or 'never' is between the person and the company",
        lambda v: _has(["not", "never"], v.between),
        "not_founder",
    ),
    (
        "ceo_of",
        "no",
        "No. The words 'CEO of' or 'chief executive of' come right before the company",
        lambda v: v.before_company.endswith(("CEO of ", "chief executive of ")),
        "not_founder",
    ),
    (
        "worked_at",
        "not_founder",
        "Label not_founder because 'worked at' or 'works at' is right before the company",
        lambda v: v.before_company.endswith(("worked at ", "works at ")),
        "not_founder",
    ),
    (
        "far_apart",
        "not_founder",
        "The person and the company are more than 10 words apart, so not a founder",
        lambda v: _word_count(v.between) > 10,
        "not_founder",
    ),
    # Added after reading where the twelve above go wrong on the pool (train split only; the
    # test split was never looked at): founding words about something else, negation, founders
    # far from the verb, and verbs that belong to another pair.
    (
        "at_company",
        "not_founder",
        "Label not_founder because the word 'at' comes right before the company.",
        lambda v: v.before_company.endswith(" at "),
        "not_founder",
    ),
    (
        "founded_something_else",
        "not_founder",
        "not_founder because 'set up the', 'founded the', 'created the', 'launched a' or "
        "'established a' is between the person and the company",
        lambda v: _has(
            ["set up the", "founded the", "created the", "launched a", "established a"],
            v.between,
        ),
        "not_founder",
    ),
    (
        "denied",
        "not a founder",
        "not a founder, because 'did not', 'never' or 'wrongly' is between the person and the "
        "company",
        lambda v: _has(["wrongly"], v.between),
        "not_founder",
    ),
    (
        "hired",
        "no",
        "No, because the word 'hired' comes right before the person or 'hired by' comes right "
        "before the company",
        lambda v: v.before_person.endswith("hired "),
        "not_founder",
    ),
    (
        "acquired",
        "false",
        "false, because the word 'acquired' is between the person and the company",
        lambda v: _has(["acquired"], v.between),
        "not_founder",
    ),
    (
        "investor_in_company",
        "no",
        "no, because 'investor in' or 'invested in' comes right before the company",
        lambda v: v.before_company.endswith(("investor in ", "invested in ")),
        "not_founder",
    ),
    (
        "no_founding_talk",
        "no",
        "No. The sentence does not mention a founding word, 'founder', 'founding' or 'found'",
        lambda v: not _has([*FOUNDING, "founder", "founders", "founding", "found"], v.text),
        "not_founder",
    ),
    (
        "cofounded_company",
        "yes",
        "yes, because 'co-founded' or 'cofounded' comes right before the company",
        lambda v: v.before_company.endswith(("co-founded ", "cofounded ")),
        "founder",
    ),
    (
        "founder_after_company",
        "yes",
        "yes, because 'founder' is within 3 words after the company",
        lambda v: not v.person_first and _has(["founder"], v.between),
        "founder",
    ),
    (
        "which_person",
        "founder",
        "Label founder because the word 'which' comes right before the person.",
        lambda v: v.before_person.endswith("which "),
        "founder",
    ),
    (
        "founded_it",
        "true",
        "true because the words 'founded it' come right after the person",
        lambda v: v.after_person.startswith(" founded it"),
        "founder",
    ),
    (
        "went_on_to_found",
        "founder",
        "founder: the words 'went on to found' are right before the company",
        lambda v: v.before_company.endswith("went on to found "),
        "founder",
    ),
]


def explanations(train: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tie each explanation to the first unused training candidate it fits (and is right about)."""
    used: set[str] = set()
    out = []
    for name, label, text, fits, gold in EXPLANATIONS:
        row = next(
            r for r in train if r["id"] not in used and r["label"] == gold and fits(_view(r))
        )
        used.add(row["id"])
        out.append({"name": name, "text": text, "label": label, "candidate_id": row["id"]})
    return out


def task_table() -> dict[str, Any]:
    """The demo's ``task.json``: labels, how annotators name things, metric, word list."""
    return {
        "name": "founders",
        "task": "relation",
        "labels": list(LABELS),
        "entity_types": {"subject": "PERSON", "object": "ORG"},
        "entity_aliases": {
            "person": "subject",
            "the person": "subject",
            "subject": "subject",
            "the subject": "subject",
            "x": "subject",
            "company": "object",
            "the company": "object",
            "organization": "object",
            "the organization": "object",
            "organisation": "object",
            "the organisation": "object",
            "org": "object",
            "the org": "object",
            "the firm": "object",
            "the startup": "object",
            "object": "object",
            "the object": "object",
            "y": "object",
        },
        "label_aliases": {
            "true": "founder",
            "yes": "founder",
            "positive": "founder",
            "1": "founder",
            "false": "not_founder",
            "no": "not_founder",
            "negative": "not_founder",
            "0": "not_founder",
            "not a founder": "not_founder",
            "not founder": "not_founder",
        },
        "metric": "f1",
        "word_lists": {"founding": FOUNDING},
        "source": "written for babble by demos/founders/make_demo.py (fictional sentences)",
        "license": "CC0-1.0",
    }


def _jsonl(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def write(out_dir: Path, seed: int = SEED) -> None:
    """Write ``task.json``, the split files and ``explanations.jsonl`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    splits = generate(seed)
    (out_dir / "task.json").write_text(json.dumps(task_table(), indent=2) + "\n", encoding="utf-8")
    for split, rows in splits.items():
        (out_dir / f"{split}.jsonl").write_text(_jsonl(rows), encoding="utf-8")
    (out_dir / "explanations.jsonl").write_text(
        _jsonl(explanations(splits["train"])), encoding="utf-8"
    )


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
