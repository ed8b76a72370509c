"""Layouts (one per trustee report format) and their registry.

A layout is a grammar file plus a small module: a `Layout` subclass naming the
grammar, the evidence that identifies the format, a Lark `Transformer` run
inline with the LALR parser, and `assemble`, which turns the transformer's
pieces into AST nodes. Subclasses register themselves when their module is
imported (as sqlglot's dialects do); built-in layouts are the modules of
`trustc.compiler.layouts`, third-party ones arrive through the entry-point
group `trustc.layouts`.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
import warnings
import threading
from importlib.metadata import entry_points
from typing import Any, ClassVar, Iterable, Iterator, Optional

import attrs
from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.parsers.lalr_analysis import Shift
from lark.parsers.lalr_interactive_parser import InteractiveParser

from .ast import Cover, Diagnostic, Signature, Span, Statement, UnparsedLine
from .diagnostics import error, unparsed_line
from .lines import build_parser, parse_lines, regex_parser
from .source import LineView
from .tables import real  # noqa: F401  (layouts import it from here too: one definition, in tables)

_REGISTRY: dict[str, type["Layout"]] = {}
_LOADED = False
_LOADING = False
# Threads of one process (Dask workers) load the registry once; the others wait for all of it.
_LOAD_LOCK = threading.RLock()


@attrs.frozen
class Detection:
    layout: str
    confidence: float
    evidence: tuple[str, ...]


@attrs.define
class LayoutResult:
    cover: Optional[Cover] = None
    statements: list[Statement] = attrs.field(factory=list)
    signatures: list[Signature] = attrs.field(factory=list)
    diagnostics: list[Diagnostic] = attrs.field(factory=list)
    unparsed: list[UnparsedLine] = attrs.field(factory=list)
    # Lines read as text whose figures are words, not facts (a cover page: zip codes, file and
    # IRS numbers); the accounting pass (accounting.py) does not ask them for facts.
    text_lines: set[int] = attrs.field(factory=set)


@attrs.define
class ParseOutcome:
    pieces: list[Any]
    unparsed: list[UnparsedLine]
    diagnostics: list[Diagnostic]
    kinds: dict[int, str] = attrs.field(factory=dict)  # line number -> the line kind the lexer gave it


@attrs.frozen
class RecordedView(LineView):
    """A LineView whose lexer writes down each line's kind (lines.py), for the accounting pass."""

    kinds: dict[int, str] = attrs.field(factory=dict, eq=False, repr=False)
    # (parser state, line text) -> kind: the lexer's memo, shared by the views of one document (Layout.line_kinds)
    seen: Optional[dict] = attrs.field(default=None, eq=False, repr=False)


class Layout:
    """Base class of every layout. Subclasses set the class attributes below."""

    id: ClassVar[str] = ""
    description: ClassVar[str] = ""
    grammar: ClassVar[str] = ""
    start: ClassVar[str] = "start"
    transformer: ClassVar[Optional[type[Transformer]]] = None
    # (regex, weight, what it shows) searched in the first `detect_lines` lines
    evidence: ClassVar[tuple[tuple[str, float, str], ...]] = ()
    detect_lines: ClassVar[int] = 400
    # A line that ends one statement, when the grammar is `start: statement*` and each statement
    # ends with such a line: the driver then compiles a long document one statement at a time
    # (see statement_views). None: the document is compiled whole.
    statement_end: ClassVar[Optional[str]] = None
    # Nothing lost (accounting.py): every figure on a line the grammar consumed must be a fact,
    # unless the line's kind is declared here. `text_kinds`: lines whose figures are part of
    # the text by what the kind is (a page number, an exhibit number, a heading naming a pool).
    # `prose_kinds`: free text, where a figure inside a sentence is a word ("Act of 1934,")
    # but a figure standing as a cell of its own (a table row the grammar took as text) is
    # reported. Kinds are named without the namespace of an %imported grammar.
    text_kinds: ClassVar[frozenset[str]] = frozenset({
        "PAGE_NUMBER", "PAGE_BREAK", "PART_HEADING", "ITEM_HEADING", "EXHIBITS_HEADING", "EXHIBIT_ENTRY",
        "EXHIBIT_CONTINUATION", "EXHIBIT_INDEX_HEADING", "ANSWER", "SIGNED_DATE", "SIGNED_BY", "SIGNER_NAME",
        "SIGNER_TITLE", "PAGE_MARK", "MARKUP"})  # the last two: generic.lark's page marks and <PAGE> lines
    prose_kinds: ClassVar[frozenset[str]] = frozenset({"TEXT", "PROSE", "SIGNATURE_LEGEND"})
    _parser: ClassVar[Optional[Lark]] = None
    # The lexer's memo of line kinds for the document this instance compiles: the driver sets a fresh one
    # for each document of each compile (never shared across compiles); None: each parse() starts afresh.
    line_kinds: Optional[dict] = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.id:
            _REGISTRY[cls.id] = cls
            cls._parser = None
            cls._compiled_evidence = tuple((re.compile(p, re.M), w, why, required_text(p, re.M))
                                           for p, w, why in cls.evidence)
            cls._evidence_leads = tuple(match_lead(pattern) for pattern, *_ in cls._compiled_evidence)
            cls._statement_end = re.compile(cls.statement_end) if cls.statement_end else None

    @classmethod
    def parser(cls) -> Lark:
        if cls._parser is None:
            transformer = cls.transformer() if cls.transformer else None
            cls._parser = build_parser(cls.grammar, cls.start, transformer)
        return cls._parser

    @classmethod
    def detect_head(cls, view: LineView) -> "EvidenceHead":
        """The lines evidence is searched in: the first `detect_lines` of the view."""
        last = min(view.last, view.first + cls.detect_lines - 1)
        return EvidenceHead("\n".join(view.lines[view.first - 1 : last]))

    @classmethod
    def detect(cls, view: LineView, head: Optional["EvidenceHead"] = None) -> Detection:
        """The layout's confidence for these lines. `head`: `detect_head(view)`, when the caller has it."""
        if head is None:
            head = cls.detect_head(view)
        score, found = 0.0, []
        for (pattern, weight, why, needle), lead in zip(cls._compiled_evidence, cls._evidence_leads):
            if needle is not None and not head.holds(needle):  # a plain substring test rules most layouts out
                continue
            m = first_match(pattern, head, lead)
            if m:
                line = view.first + head.text.count("\n", 0, m.start())
                score += weight
                found.append(f"line {line}: {why}")
        return Detection(cls.id, round(min(score, 1.0), 3), tuple(found))

    def parse(self, view: LineView) -> ParseOutcome:
        """Parse with recovery: a line the grammar cannot place is reported and skipped."""
        unparsed: list[UnparsedLine] = []
        diagnostics: list[Diagnostic] = []

        def on_error(exc: UnexpectedInput) -> bool:
            if isinstance(exc, UnexpectedToken) and exc.token.type != "$END":
                line, diag = unparsed_line(exc.token.line, exc.token.value)
                unparsed.append(line)
                diagnostics.append(diag)
                return True
            if isinstance(exc, UnexpectedToken):
                stopped.append(exc.interactive_parser)
            return False

        stopped: list[InteractiveParser] = []
        view = RecordedView(view.lines, view.first, view.last, seen=self.line_kinds)
        try:
            pieces = list(flatten(parse_lines(self.parser(), view, on_error)))
        except UnexpectedInput:
            # The input ended inside a structure: close every open structure with
            # empty synthetic lines (assemblers ignore them) so what came before
            # the cut is built as usual.
            pieces = []
            completed = complete(stopped[0]) if stopped else None
            if completed is not None:
                pieces = list(flatten(completed))
            last = max((n for n, text in view if text.strip()), default=view.last)
            text = view.line(last) if last >= view.first and len(view) else ""
            diagnostics.append(
                error(
                    "truncated-input",
                    f"input ends inside a {self.id} structure at line {last}; what came before it is compiled",
                    Span(last, 1, last, len(text) + 1),
                )
            )
        unparsed.sort(key=lambda u: u.line)
        return ParseOutcome(pieces, unparsed, diagnostics, view.kinds)

    def statement_views(self, view: LineView) -> Iterator[LineView]:
        """The document cut after each `statement_end` line: parsed one by one, they give what the whole
        parses to (after such a line the parser is back where it started), with one statement in memory."""
        end = self._statement_end
        if end is None:
            yield view
            return
        first, lines = view.first, view.lines
        for number in range(view.first, view.last + 1):
            if end.fullmatch(lines[number - 1]):
                yield LineView(lines, first, number)
                first = number + 1
        if first <= view.last:
            yield LineView(lines, first, view.last)

    def compile(self, view: LineView) -> LayoutResult:
        outcome = self.parse(view)
        result = self.assemble(outcome.pieces, view)
        result.unparsed.extend(outcome.unparsed)
        result.diagnostics[:0] = outcome.diagnostics
        return result

    def assemble(self, pieces: list[Any], view: LineView) -> LayoutResult:
        raise NotImplementedError


def required_text(pattern: str, flags: int = 0) -> Optional[str]:
    """Text every match of `pattern` contains (its longest run of literal characters at the top level), or None.

    Evidence patterns are anchored searches (`^\\s*DISTRIBUTION\\s+SUMMARY`) that the `re` engine tries at
    every offset of the 400 lines it scans, ~0.2 ms each; `needle in text` rules a layout out in
    microseconds. Case-insensitive patterns have no needle: Unicode case folding is wider than lower().
    """
    try:
        sre_parse, parsed = _parse_pattern(pattern, flags)
    except Exception:  # pragma: no cover - re.compile has accepted it already
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    best, run = "", []
    for op, argument in list(parsed) + [(None, None)]:
        if op is sre_parse.LITERAL:
            run.append(chr(argument))
            continue
        if len(run) > len(best):
            best = "".join(run)
        run = []
    return best if len(best) >= 3 else None


def _parse_pattern(pattern: str, flags: int):
    sre_parse = regex_parser()
    return sre_parse, sre_parse.parse(pattern, flags)


@attrs.frozen
class Lead:
    """The literal text every match of a pattern begins with once its leading whitespace is passed."""

    text: str
    folded: bool  # the pattern ignores case: `text` is lowercase, to be found in the lowercased head


def match_lead(pattern: re.Pattern) -> Optional[Lead]:
    """The Lead of `pattern`, or None.

    `(?m)^\\s*DISTRIBUTION\\s+SUMMARY` has the lead "DISTRIBUTION": a match can begin only in the run
    of whitespace just before an occurrence of it. The prefix before the lead may hold only anchors and
    repeats of whitespace; the lead is at least three characters and does not begin with whitespace.
    """
    sre_parse, parsed = _parse_pattern(pattern.pattern, pattern.flags)
    anchors = {sre_parse.AT_BEGINNING, sre_parse.AT_BEGINNING_LINE, sre_parse.AT_BEGINNING_STRING}
    run: list[str] = []
    for op, argument in parsed:
        if op is sre_parse.LITERAL:
            run.append(chr(argument))
            continue
        if run:
            break
        if op is sre_parse.AT and argument in anchors:
            continue
        if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT) and _whitespace_only(sre_parse, argument[2]):
            continue
        return None
    lead, folded = "".join(run), bool(pattern.flags & re.IGNORECASE)
    if len(lead) < 3 or lead[0].isspace() or (folded and not lead.isascii()):
        return None
    return Lead(lead.lower() if folded else lead, folded)


def _whitespace_only(sre_parse, items) -> bool:
    """Whether a repeated item matches whitespace only (`\\s`, `[ \\t]`, a space)."""
    if len(items) != 1:
        return False
    op, argument = items[0]
    if op is sre_parse.LITERAL:
        return chr(argument).isspace()
    if op is not sre_parse.IN:
        return False
    return all((kind is sre_parse.LITERAL and chr(value).isspace())
               or (kind is sre_parse.CATEGORY and value is sre_parse.CATEGORY_SPACE) for kind, value in argument)


_UNKNOWN: Any = object()


class EvidenceHead:
    """The head of a document that evidence is searched in, and what is known of it: every layout asks
    whether the same few words ("DISTRIBUTION", "STATEMENT") are in it, and where they are."""

    def __init__(self, text: str):
        self.text = text
        self._words: dict[tuple[str, bool], int] = {}  # (word, lowercased) -> its first offset, or -1
        self._lowered: Optional[str] = None

    def holds(self, word: str) -> bool:
        return self.find(word) >= 0

    def find(self, word: str, folded: bool = False) -> int:
        """The offset of the first `word` (lowercase, in the lowercased text, when `folded`), or -1."""
        at = self._words.get((word, folded))
        if at is None:
            at = self._words[word, folded] = self.searched(folded).find(word)
        return at

    def searched(self, folded: bool) -> str:
        if not folded:
            return self.text
        if self._lowered is None:
            self._lowered = self.text.lower()
        return self._lowered


def first_match(pattern: re.Pattern, head: "EvidenceHead | str",
                lead: Optional[Lead] = _UNKNOWN) -> Optional[re.Match]:
    """`pattern.search(head)`, the same match, found from the occurrences of the pattern's lead (`match_lead`).

    A `^`-anchored search is tried by the `re` engine at every offset of the head, ~0.05-0.1 ms for 400
    lines; `str.find` of the lead, then a match at each offset of the whitespace before it, costs
    microseconds. Case-insensitive leads are found in the lowercased head when the head is ASCII (there
    lower() is exactly the engine's case folding); otherwise the plain search runs. `lead`:
    match_lead(pattern), when the caller has it already.
    """
    if isinstance(head, str):
        head = EvidenceHead(head)
    if lead is _UNKNOWN:
        lead = match_lead(pattern)
    text = head.text
    if lead is None or (lead.folded and not text.isascii()):
        return pattern.search(text)
    word, searched = lead.text, head.searched(lead.folded)
    at = head.find(word, lead.folded)
    while at >= 0:
        # A match holding this occurrence begins in the whitespace right before it, none earlier: the
        # runs before successive occurrences are disjoint and in order, so the first match found is search's.
        for start in range(len(text[:at].rstrip()), at + 1):
            m = pattern.match(text, start)
            if m:
                return m
        at = searched.find(word, at + 1)
    return None


MAX_COMPLETION = 16


def complete(parser: InteractiveParser) -> Optional[Any]:
    """Feed the shortest run of synthetic (empty) lines that lets the parse end; the result, or None.

    The search runs on the parser's state stack alone (LALR actions without values): copying
    the parser deep-copies every value parsed so far, which on a long document cut short cost
    seconds. The run found is then fed to `parser` itself, which this consumes.
    """
    from collections import deque

    conf = parser.parser_state.parse_conf
    start = tuple(parser.parser_state.state_stack)
    queue = deque([(start, ())])
    seen = {start}
    while queue:
        stack, path = queue.popleft()
        choices = conf.states[stack[-1]]
        # LALR merges lookaheads: a state may list $END and still fail on it after reducing.
        if "$END" in choices and _step(conf, stack, "$END") is not None:
            try:
                for kind in path:
                    parser.feed_token(synthetic(kind, parser))
                return parser.feed_eof()
            except UnexpectedInput:  # pragma: no cover - the values' parser takes what its states took
                return None
        if len(path) >= MAX_COMPLETION:
            continue
        for kind in sorted(choices):
            if kind == "$END" or not kind.rsplit("__", 1)[-1].isupper():
                continue  # a rule name (goto entry), not a kind of line
            after = _step(conf, stack, kind)
            if after is not None and after not in seen:
                seen.add(after)
                queue.append((after, path + (kind,)))
    return None


def _step(conf, stack: tuple, kind: str) -> Optional[tuple]:
    """The state stack after one token of `kind` as Lark's LALR parser moves it (reduce, then shift), or None
    if the parser rejects it; for $END, the stack that accepts, or None."""
    states, stack = conf.states, list(stack)
    while True:
        action = states[stack[-1]].get(kind)
        if action is None:
            return None
        op, arg = action
        if op is Shift:
            if kind == "$END":
                return None
            stack.append(arg)
            return tuple(stack)
        if arg.expansion:
            del stack[-len(arg.expansion):]
        stack.append(states[stack[-1]][arg.origin.name][1])
        if kind == "$END" and stack[-1] == conf.end_state:
            return tuple(stack)


def synthetic(kind: str, parser: InteractiveParser) -> Token:
    state = getattr(parser.lexer_thread, "state", None)
    last = getattr(state, "last_token", None)
    line = last.line if last is not None else 1
    return Token(kind, "", 0, line, 1, line, 1, 0)


def flatten(items: Any) -> Iterable[Any]:
    if isinstance(items, list):
        for item in items:
            yield from flatten(item)
    elif items is not None:
        yield items


def _load() -> None:
    global _LOADED, _LOADING
    if _LOADED:
        return
    with _LOAD_LOCK:
        if _LOADED or _LOADING:  # done, or a layout module being imported asked for the registry
            return
        _LOADING = True
        try:
            from . import layouts as builtin

            for module in pkgutil.iter_modules(builtin.__path__):
                importlib.import_module(f"{builtin.__name__}.{module.name}")
            for ep in entry_points(group="trustc.layouts"):
                try:
                    ep.load()
                except Exception as exc:  # a broken plugin must not take the compiler down, nor vanish unsaid
                    warnings.warn(f"trustc: layout plugin {ep.name!r} ({ep.value}) failed to load: "
                                  f"{type(exc).__name__}: {exc}", RuntimeWarning, stacklevel=2)
            _LOADED = True
        finally:
            _LOADING = False  # else a failed load (or a reset of _LOADED) would never load again


def layouts() -> dict[str, type[Layout]]:
    _load()
    return dict(sorted(_REGISTRY.items()))


def get_layout(layout_id: str) -> type[Layout]:
    registry = layouts()
    if layout_id not in registry:
        raise KeyError(f"unknown format {layout_id!r}; known: {', '.join(registry)}")
    return registry[layout_id]


def detect(view: LineView) -> list[Detection]:
    """Every layout's confidence for these lines, best first."""
    heads: dict[int, EvidenceHead] = {}  # by detect_lines: the layouts that keep Layout.detect read the same head
    found = []
    for cls in layouts().values():
        if getattr(cls.detect, "__func__", None) is not Layout.detect.__func__:
            found.append(cls.detect(view))  # a layout of its own way (the generic reader)
            continue
        head = heads.get(cls.detect_lines)
        if head is None:
            head = heads[cls.detect_lines] = cls.detect_head(view)
        found.append(cls.detect(view, head))
    return sorted(found, key=lambda d: (-d.confidence, d.layout))
