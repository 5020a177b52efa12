"""The lexicon files: loading, base forms, keys, conflicts, and the folder override."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from babble.errors import DataNotFoundError, LexiconError
from babble.parse._resources import grammar_dir, lexicon_dir
from babble.parse.lexicon import inflections, load_lexicon, split_words


def test_every_file_names_its_source_and_license() -> None:
    for path in sorted(lexicon_dir().glob("*.toml")):
        meta = tomllib.loads(path.read_text(encoding="utf-8")).get("meta", {})
        assert meta.get("source") and meta.get("license"), path.name
    for path in sorted(grammar_dir().glob("*.lark")):
        assert "License:" in path.read_text(encoding="utf-8"), path.name


@pytest.mark.parametrize(
    ("form", "base"),
    [
        ("preceded", "precede"),
        ("precedes", "precede"),
        ("preceding", "precede"),
        ("occurred", "occur"),
        ("occurring", "occur"),
        ("is", "be"),
        ("were", "be"),
        ("people", "person"),
        ("words", "word"),
        ("sandwiches", "sandwich"),
        ("came", "come"),
        ("cities", "city"),
        ("wife", "wife"),
        ("left", "left"),
    ],
)
def test_lemma(form: str, base: str) -> None:
    assert load_lexicon().lemma(form) == base


def test_key_drops_fillers_and_uses_base_forms() -> None:
    lex = load_lexicon()
    assert lex.key("is immediately to the left of") == ("be", "immediately", "to", "left", "of")
    assert lex.phrases[lex.key("is preceded by")[1:2]] == ("POSVERB", "before")


def test_split_words_and_inflections() -> None:
    assert split_words("person2's wife, $T$") == ["person2", "'s", "wife", ",", "$T$"]
    assert {"stops", "stopped", "stopping"} <= set(inflections("stop"))
    assert list(inflections("x")) == []


def test_looks_like_entity() -> None:
    lex = load_lexicon()
    assert lex.looks_like_entity("person3") and lex.looks_like_entity("subj")
    assert not lex.looks_like_entity("person") and not lex.looks_like_entity("wife")


def _write(folder: Path, text: str) -> Path:
    folder.mkdir()
    (folder / "a.toml").write_text(text, encoding="utf-8")
    return folder


def test_a_phrase_with_two_terminals_is_an_error(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "lex", '[terminals.A]\nphrases = ["near"]\n[terminals.B]\nphrases = ["near"]\n'
    )
    with pytest.raises(LexiconError, match="only one terminal"):
        load_lexicon(folder)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("[terminals.A]\nphrases = 3\n", "needs `phrases`"), ("[terminals.A\n", "not valid TOML")],
)
def test_malformed_lexicon_files(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(LexiconError, match=fragment):
        load_lexicon(_write(tmp_path / "lex", text))


def test_empty_lexicon_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(LexiconError, match="no lexicon files"):
        load_lexicon(tmp_path / "empty")


def test_folder_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _write(tmp_path / "lex", '[terminals.SIDE.phrases]\n"adjacent to" = "before"\n')
    monkeypatch.setenv("BABBLE_LEXICON", str(folder))
    assert lexicon_dir() == folder
    assert load_lexicon(lexicon_dir()).phrases[("adjacent", "to")] == ("SIDE", "before")
    monkeypatch.setenv("BABBLE_GRAMMAR", str(tmp_path / "missing"))
    with pytest.raises(DataNotFoundError, match="BABBLE_GRAMMAR"):
        grammar_dir()
