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
from typing import Any, Iterator, Optional

from lark import Lark, Token
from lark.lexer import Lexer
from lark.utils import TextSlice

GRAMMAR_DIR = Path(__file__).resolve().parent.parent / "grammar"


def alternation(kinds) -> re.Pattern:
    """One regex of (name, pattern text) kinds in order: a fullmatch's `lastgroup` names the first that matches."""
    return re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in kinds))


MEMO_LINES = 4096  # (state, line) -> kind entries kept per document (LineLexer.remembered)


class LineLexer(Lexer):
    __future_interface__ = 2

    def __init__(self, lexer_conf):
        order = {t.name: index for index, t in enumerate(lexer_conf.terminals)}
        # Anonymous terminals from string literals in rules are not line kinds.
        kinds = [t for t in lexer_conf.terminals if not t.name.startswith("__")]
        kinds.sort(key=lambda t: (-t.priority, order[t.name]))
        self.kinds = [(t.name, re.compile(t.pattern.to_regexp())) for t in kinds]
        self.combined = alternation((name, pattern.pattern) for name, pattern in self.kinds)
        self.fallback = self.kinds[-1][0] if self.kinds else None

        # parser state -> one alternation of the kinds that state accepts, in priority order
        self.by_state: dict[int, Optional[re.Pattern]] = {}
        # kind -> the ASCII characters its line can begin with (after its indent), or None: any (first_chars);
        # found when a state that accepts the kind is first met
        self.first: dict[str, Optional[frozenset[str]]] = {}
        self.plans: dict[int, list] = {}  # parser state -> the steps that classify a line in it (see plan)

    def classify(self, text: str, accepts) -> str:
        m = self.combined.fullmatch(text)
        kind = m.lastgroup if m else self.fallback
        if accepts is None or kind in accepts:
            return kind
        for name, pattern in self.kinds:
            if name in accepts and pattern.fullmatch(text):
                return name
        return kind

    def plan(self, state: int, accepts) -> list:
        """The kinds `state` accepts, in priority order, as steps: runs of kinds whose lines begin with
        known characters (a dict: first character -> those kinds) and runs of the others (one alternation)."""
        steps: list = []
        for name, pattern in self.kinds:
            if name not in accepts:
                continue
            if name not in self.first:
                self.first[name] = first_chars(pattern)
            chars = self.first[name]
            if chars is None:
                if not steps or isinstance(steps[-1], dict):
                    steps.append([])
                steps[-1].append((name, pattern.pattern))
            else:
                if not steps or not isinstance(steps[-1], dict):
                    steps.append({})
                for char in chars:
                    steps[-1].setdefault(char, []).append((name, pattern))
        return [step if isinstance(step, dict) else alternation(step) for step in steps]

    def classify_in(self, text: str, state: int, accepts) -> str:
        """`classify` for a line the state can take (the usual case), trying only the kinds it can be.

        The first kind (by priority) that matches among the kinds the state
        accepts is what `classify` returns whenever any accepted kind matches;
        only a line the state cannot take needs the full alternation, to name
        the kind the error report shows. A kind whose line must begin with
        certain characters (a heading's first word) is tried only on a line
        that begins with one of them: most of a state's kinds are headings,
        and one alternation of them all cost most of the parse.
        """
        first = text.lstrip()[:1]
        if first.isascii():  # (not case folding's non-ASCII twins of ASCII letters: those take the alternation)
            steps = self.plans.get(state)
            if steps is None:
                steps = self.plans[state] = self.plan(state, accepts)
            for step in steps:
                if type(step) is dict:
                    for name, pattern in step.get(first, ()):
                        if pattern.fullmatch(text):
                            return name
                else:
                    m = step.fullmatch(text)
                    if m:
                        return m.lastgroup
            return self.classify(text, accepts)
        pattern = self.by_state.get(state, False)
        if pattern is False:
            names = [(name, p.pattern) for name, p in self.kinds if name in accepts]
            pattern = alternation(names) if names else None
            self.by_state[state] = pattern
        m = pattern.fullmatch(text) if pattern is not None else None
        return m.lastgroup if m else self.classify(text, accepts)

    def remembered(self, text: str, state: int, accepts, seen: dict) -> str:
        """`classify_in`, once per (state, line) of `seen`: the memo of one document of one compile.
        It stops growing at MEMO_LINES entries, so a long document's memory still follows its
        statements (the lines that repeat, headers and labels, are met in the first statements)."""
        kind = seen.get((state, text))
        if kind is None:
            kind = self.classify_in(text, state, accepts)
            if len(seen) < MEMO_LINES:
                seen[state, text] = kind
        return kind

    def line_token(self, number: int, text: str, state: Optional[int], accepts, seen: dict,
                   record: Optional[dict]) -> Token:
        """Line `number`'s token, of the kind the parser state can take (any kind when `state` is None),
        its kind written to `record` (a RecordedView's, read by the accounting pass). One body for the
        two loops that hand lines to the parser, `lex` (Lark's) and `parse_lines` (trustc's)."""
        kind = self.classify(text, None) if state is None else self.remembered(text, state, accepts, seen)
        if record is not None:
            record[number] = kind
        return Token(kind, text, 0, number, 1, number, len(text) + 1, 0)

    def lex(self, lexer_state, parser_state) -> Iterator[Token]:
        view = lexer_state.text
        if isinstance(view, TextSlice):
            view = view.text
        states = parser_state.parse_conf.parse_table.states if parser_state is not None else None
        lines = view.lines
        # A RecordedView (layout.py) keeps each line's kind: the accounting pass (accounting.py) reads it.
        record = getattr(view, "kinds", None)
        # (parser state, line) -> kind, for one document of one compile (Layout.line_kinds): RFMSI prints
        # the same headers and labels for each of its pools, 60% of its lines.
        seen = getattr(view, "seen", None)
        if seen is None:
            seen = {}
        # After error recovery Lark calls lex() again: go on after the last line handed out.
        first = lexer_state.last_token.line + 1 if lexer_state.last_token is not None else view.first
        for number in range(first, view.last + 1):
            text = lines[number - 1]
            if not text.strip(" \t\f\v"):  # a blank line carries nothing: skipped without a regex call
                continue
            if states is None:
                token = self.line_token(number, text, None, None, seen, record)
            else:
                position = parser_state.position
                token = self.line_token(number, text, position, states[position], seen, record)
            lexer_state.last_token = token
            yield token


def first_chars(pattern: re.Pattern) -> Optional[frozenset[str]]:
    """The ASCII characters a line `pattern` fullmatches can begin with once its leading whitespace is
    passed, or None when that is not known (a lookahead, `.`, a negated class, a prefix that is not
    whitespace only). `\\s*Interest\\s+Shortfall` (case-insensitive) -> {I, i}; a figure -> digits and signs.
    A line whose first non-whitespace character is not among them cannot match: the pattern's leading
    items match whitespace only, and what follows cannot begin with whitespace (else None)."""
    try:
        return _first_chars(pattern)
    except Exception:  # an analysis this Python's regex parser does not support: every line tries the kind
        return None


def regex_parser():
    """The standard library's regex parser: `re._parser` from Python 3.11, `sre_parse` before."""
    try:
        import re._parser as sre
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse as sre  # type: ignore[no-redef]
    return sre


def _first_chars(pattern: re.Pattern) -> Optional[frozenset[str]]:
    sre = regex_parser()
    repeats = tuple(getattr(sre, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                    if hasattr(sre, name))  # POSSESSIVE_REPEAT is new in Python 3.11
    parsed = sre.parse(pattern.pattern, pattern.flags)
    state = parsed.state

    def nullable(item) -> bool:
        return sre.SubPattern(state, [item]).getwidth()[0] == 0

    def blank_only(item) -> bool:
        op, argument = item
        if op not in repeats or len(argument[2]) != 1:
            return False
        inner_op, inner = argument[2][0]
        if inner_op is sre.LITERAL:
            return chr(inner).isspace()
        return inner_op is sre.IN and all((k is sre.LITERAL and chr(v).isspace()) or
                                          (k is sre.CATEGORY and v is sre.CATEGORY_SPACE) for k, v in inner)

    def of_item(op, argument) -> Optional[set]:
        if op is sre.LITERAL:
            return {chr(argument)}
        if op is sre.IN:
            chars: set = set()
            for kind, value in argument:
                if kind is sre.LITERAL:
                    chars.add(chr(value))
                elif kind is sre.RANGE and value[1] - value[0] < 128:
                    chars.update(map(chr, range(value[0], value[1] + 1)))
                elif kind is sre.CATEGORY and value is sre.CATEGORY_DIGIT:
                    chars.update("0123456789")  # and non-ASCII digits: a line beginning with one is not dispatched
                else:
                    return None
            return chars
        if op is sre.SUBPATTERN:
            return of_sequence(argument[3], skip_blanks=False)
        if op is sre.BRANCH:
            chars = set()
            for branch in argument[1]:
                found = of_sequence(branch, skip_blanks=False)
                if found is None:
                    return None
                chars |= found
            return chars
        if op in repeats:
            return of_sequence(argument[2], skip_blanks=False)
        return None

    def of_sequence(items, skip_blanks: bool) -> Optional[set]:
        chars: set = set()
        for item in items:
            op, argument = item
            if op is sre.AT:  # zero-width
                continue
            if skip_blanks and blank_only(item):
                continue
            skip_blanks = False
            found = of_item(op, argument)
            if found is None:
                return None
            chars |= found
            if not nullable(item):
                return chars
        return None  # the whole sequence may match nothing

    items = list(parsed)
    while len(items) == 1 and items[0][0] is sre.SUBPATTERN:  # (?i:...) around a whole pattern
        items = list(items[0][1][3])
    chars = of_sequence(items, skip_blanks=True)
    if chars is None or any(c.isspace() or not c.isascii() for c in chars):
        return None  # (a non-ASCII letter may fold to an ASCII one: 'ſ' matches 's' ignoring case)
    # Both cases of every letter, whatever the flags (a (?i) group anywhere): a superset is always safe.
    return frozenset(chars | {c.swapcase() for c in chars})


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


def parse_lines(lark: Lark, view, on_error) -> Any:
    """`lark.parse(view, on_error=on_error)` for a LineLexer parser, as one loop: each line is classified
    and shifted or reduced here, instead of through Lark's lexer thread and ParserState.feed_token (per
    line a generator step, a method call and their set-up: ~10% of the reference's parse).
    The LALR tables and the tree callbacks are Lark's own; a line the parser cannot take goes to
    `on_error` as Lark's UnexpectedToken, with an InteractiveParser, exactly as Lark reports it: the line
    is dropped when on_error returns True, the exception raised otherwise (Lark's resume_parse). The
    classes used are Lark's parser-state API of lark 1.x (what its InteractiveParser is built on);
    tests/test_parse_lines.py compiles corpus filings, cut and damaged, both ways and compares."""
    from lark.exceptions import UnexpectedToken
    from lark.lexer import LexerState, LexerThread
    from lark.parsers.lalr_analysis import Shift
    from lark.parsers.lalr_interactive_parser import InteractiveParser
    from lark.parsers.lalr_parser_state import ParseConf, ParserState

    frontend = lark.parser
    lexer: LineLexer = frontend.lexer
    parser = frontend.parser.parser
    conf = ParseConf(parser.parse_table, parser.callbacks, lark.options.start[0])
    states, callbacks = conf.states, conf.callbacks
    state_stack: list = [conf.start_state]
    value_stack: list = []
    thread = LexerThread(lexer, LexerState(view))
    lines, record = view.lines, getattr(view, "kinds", None)
    seen = getattr(view, "seen", None)
    if seen is None:
        seen = {}

    def unexpected(token: Token):
        state = ParserState(conf, thread, state_stack, value_stack)
        expected = {s for s in states[state_stack[-1]].keys() if s.isupper()}
        error = UnexpectedToken(token, expected, state=state, interactive_parser=None)
        error.interactive_parser = InteractiveParser(parser, state, thread)
        return error

    token = None
    for number in range(view.first, view.last + 1):
        text = lines[number - 1]
        if not text.strip(" \t\f\v"):  # a blank line carries nothing: skipped without a regex call
            continue
        position = state_stack[-1]
        token = lexer.line_token(number, text, position, states[position], seen, record)
        kind = token.type
        thread.state.last_token = token
        while True:
            action = states[state_stack[-1]].get(kind)
            if action is None:
                error = unexpected(token)
                if not on_error(error):
                    raise error
                break  # the line is dropped; the parser stays where it was
            op, arg = action
            if op is Shift:
                state_stack.append(arg)
                value_stack.append(callbacks[kind](token) if kind in callbacks else token)
                break
            size = len(arg.expansion)
            if size:
                children = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                children = []
            value_stack.append(callbacks[arg](children))
            state_stack.append(states[state_stack[-1]][arg.origin.name][1])
    end = Token.new_borrow_pos("$END", "", token) if token is not None else Token("$END", "", 0, 1, 1)
    state = ParserState(conf, thread, state_stack, value_stack)
    try:
        return state.feed_token(end, True)
    except UnexpectedToken as error:  # the input ended inside a structure
        error.interactive_parser = InteractiveParser(parser, state, thread)
        on_error(error)  # as Lark does: on_error is told, and the parse stops whatever it answers
        raise
