"""The semantic parser: explanations -> typed logical forms (:mod:`babble.logic.forms`).

:func:`parse` is the entry point; the grammar (``grammar/*.lark``) and the lexicon
(``lexicon/*.toml``) are data.
"""

from babble.parse.parser import MAX_CHARS, MAX_PARSES, Parse, ParseLimits, ParseResult, parse

__all__ = ["MAX_CHARS", "MAX_PARSES", "Parse", "ParseLimits", "ParseResult", "parse"]
