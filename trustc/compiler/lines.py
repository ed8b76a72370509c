"""The line-level front end: one Lark terminal per kind of line.

A layout's grammar declares its line kinds as ordinary terminals whose regex
matches a whole line (`DISTRIBUTION_DATE: /\\s*Distribution Date:.*/`). This
lexer classifies each non-blank line into one of them and hands Lark one token
per line; the grammar then states the report's structure as sequences of line
kinds. Why lines and not characters: ../shared/design/NOTES.md measured it as
both the faster design and the only one LALR(1) can use to tell a heading from
a table header from prose.

Classification is contextual, like Lark's own contextual lexer: the first kind
that matches (by priority, then grammar order) wins if the parser can take it
here; otherwise the first matching kind the parser can take. Blank lines carry
nothing and are skipped.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator, Optional

from lark import Lark, Token
from lark.lexer import Lexer
from lark.utils import TextSlice

GRAMMAR_DIR = Path(__file__).resolve().parent.parent / "grammar"
BLANK = re.compile(r"[ \t\f\v]*")


class LineLexer(Lexer):
    __future_interface__ = 2

    def __init__(self, lexer_conf):
        order = {t.name: index for index, t in enumerate(lexer_conf.terminals)}
        # Anonymous terminals from string literals in rules are not line kinds.
        kinds = [t for t in lexer_conf.terminals if not t.name.startswith("__")]
        kinds.sort(key=lambda t: (-t.priority, order[t.name]))
        self.kinds = [(t.name, re.compile(t.pattern.to_regexp())) for t in kinds]
        self.combined = re.compile(
            "|".join(f"(?P<{name}>{pattern.pattern})" for name, pattern in self.kinds)
        )
        self.fallback = self.kinds[-1][0] if self.kinds else None

        # parser state -> one alternation of the kinds that state accepts, in priority order
        self.by_state: dict[int, Optional[re.Pattern]] = {}

    def classify(self, text: str, accepts) -> str:
        m = self.combined.fullmatch(text)
        kind = m.lastgroup if m else self.fallback
        if accepts is None or kind in accepts:
            return kind
        for name, pattern in self.kinds:
            if name in accepts and pattern.fullmatch(text):
                return name
        return kind

    def classify_in(self, text: str, state: int, accepts) -> str:
        """`classify` in one regex call for a line the state can take (the usual case).

        The first kind (by priority) that matches among the kinds the state
        accepts is what `classify` returns whenever any accepted kind matches;
        only a line the state cannot take needs the full alternation, to name
        the kind the error report shows.
        """
        pattern = self.by_state.get(state, False)
        if pattern is False:
            names = [(name, p.pattern) for name, p in self.kinds if name in accepts]
            pattern = re.compile("|".join(f"(?P<{n}>{p})" for n, p in names)) if names else None
            self.by_state[state] = pattern
        m = pattern.fullmatch(text) if pattern is not None else None
        return m.lastgroup if m else self.classify(text, accepts)

    def lex(self, lexer_state, parser_state) -> Iterator[Token]:
        view = lexer_state.text
        if isinstance(view, TextSlice):
            view = view.text
        states = parser_state.parse_conf.parse_table.states if parser_state is not None else None
        lines = view.lines
        # A RecordedView (layout.py) keeps each line's kind: the accounting pass (accounting.py) reads it.
        record = getattr(view, "kinds", None)
        # After error recovery Lark calls lex() again: go on after the last line handed out.
        first = lexer_state.last_token.line + 1 if lexer_state.last_token is not None else view.first
        for number in range(first, view.last + 1):
            text = lines[number - 1]
            if not text.strip(" \t\f\v"):  # blank: BLANK without a regex call
                continue
            if states is None:
                kind = self.classify(text, None)
            else:
                position = parser_state.position
                kind = self.classify_in(text, position, states[position])
            token = Token(kind, text, 0, number, 1, number, len(text) + 1, 0)
            if record is not None:
                record[number] = kind
            lexer_state.last_token = token
            yield token


def build_parser(grammar_file: str, start: str = "start", transformer=None) -> Lark:
    """Build one layout's LALR parser; callers keep it for the life of the process."""
    return Lark.open(
        str(GRAMMAR_DIR / grammar_file),
        parser="lalr",
        lexer=LineLexer,
        start=start,
        transformer=transformer,
        maybe_placeholders=False,
        import_paths=[str(GRAMMAR_DIR)],
        # Building LALR tables costs up to 0.3 s per layout; every process (each
        # pool or Dask worker, each CLI run) loads them from Lark's cache instead.
        # Lark checks the grammar files' hashes and rebuilds when one changed.
        cache=True,
    )
