"""`trustc new-layout SAMPLE --id NAME`: draft a layout (grammar + spec + corpus entry + test) from a sample.

The draft is what docs/adding-a-layout.md asks a layout to be: a grammar of line
kinds and a spec binding its rules to the table engine (compiler/spec.py,
compiler/tables.py, compiler/shaped_tables.py). It is drafted in each `Mode` (the
line kinds of lines.lark and its cells, or those of generic.lark and shapes.py's
cells) and the draft that reads the sample best is kept (`Attempt.rank`):

1. Each line of the sample gets its kind through the same lexer the compiler
   runs, so the draft grammar's view of a line is the compiler's, and a sort:
   figure line (item or row), marks, or words.
2. Runs of figure lines (marks among them) are the bodies of tables. The lines
   of words above a body are its caption: the column titles right above it,
   and above those the table's title, which gets a terminal of its own
   (`TITLE_...`, its printed words) so the grammar names each table and
   detection has evidence. In generic mode, tables without column titles whose
   lines bear one figure each are items whose label may stand above the figure
   (`label_above`), consecutive ones one table.
3. The grammar is the sample's tables in print order (`statement: heading t1 t2
   ...`), each one `title rules? column_headers? body`, with any words between
   tables; the draft is compiled on the sample to prove it parses (nothing
   unparsed), with a stricter grammar as a fallback.
4. The spec reads a table with column titles and rows of several figures as a
   class table (rows are classes, columns are concepts) and anything else as
   items (label, figure). Column titles and row labels are keyed as the engine
   keys them (`tables.key`) and mapped with `concepts.match_label` (else
   `match_label_words`, marked CHECK); the rest are mapped to "" (facts with no
   concept yet), marked TODO and printed.

Where the draft lives: a folder holding `<id>.toml` beside `<id>.lark`; naming
the folder in TRUSTC_LAYOUTS registers every spec in it (compiler/layouts/user.py).
"""
from __future__ import annotations

import functools
import json
import re
import shutil
from pathlib import Path
from typing import Iterable, Optional, Sequence

import attrs

from .compiler import shapes
from .compiler.columns import split_cells, stack_headers
from .compiler.concepts import match_label, match_label_words
from .compiler.lines import GRAMMAR_DIR, LineLexer
from .compiler.shaped_tables import column_model, generic_row, labelled_rows
from .compiler.tables import Row, key

MAX_EVIDENCE = 4  # titles searched for by detection


@attrs.frozen
class Mode:
    """Which line kinds a draft's grammar imports and how its spec splits lines into cells.

    "lines": lines.lark's kinds and cells (two spaces or a tab apart), what the built-in layouts use.
    "generic": generic.lark's kinds and shapes.py's cells (figures one space apart, `|` cells,
    columns from the figures' positions; `cells = "generic"` in the spec), for reports the first
    mode reads no figure of.
    """

    name: str
    grammar: str  # the grammar file the draft %imports its line kinds from
    kinds: tuple[str, ...]
    words: tuple[str, ...]  # kinds of lines of words (titles, headings, prose)
    headers: tuple[str, ...]  # kinds of column title lines
    glue: tuple[str, ...]  # kinds that may stand between a body's lines and a table's words
    items: tuple[str, ...]  # kinds of "label  figure" lines
    rows: tuple[str, ...]  # kinds of rows of figures
    title_priority: int  # a table's TITLE_* terminal wins over every kind it imports

    @property
    def figures(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.items + self.rows))


LINES = Mode("lines", "lines", ("ITEM", "VALUES", "ROW", "COLUMN_HEADER", "NOTE", "RULE", "PROSE", "TEXT"),
             ("COLUMN_HEADER", "NOTE", "PROSE", "TEXT"), ("COLUMN_HEADER",), ("RULE",), ("ITEM",), ("ROW", "VALUES"), 4)
GENERIC = Mode("generic", "generic", ("TITLE", "HEADER", "FIGURES", "RULE", "MARKUP", "PAGE_MARK"),
               ("TITLE", "HEADER"), ("HEADER",), ("RULE", "MARKUP", "PAGE_MARK", "FIGURES"), ("FIGURES",),
               ("FIGURES",), 7)
MODES = (LINES, GENERIC)


@functools.lru_cache(maxsize=2)
def _lexer(mode: Mode = LINES) -> LineLexer:
    from lark import Lark

    grammar = f"%import {mode.grammar} ({', '.join(mode.kinds)})\nstart: ({' | '.join(mode.kinds)})*\n"
    parser = Lark(grammar, parser="lalr", lexer=LineLexer, import_paths=[str(GRAMMAR_DIR)])
    return LineLexer(parser.lexer_conf)


@attrs.frozen
class Line:
    number: int
    text: str
    kind: str  # the grammar's kind of the line (a terminal the draft imports)
    sort: str = ""  # what the draft makes of it: "item", "row" (figure lines), "glue" (marks), "words"
    figures: int = 0  # how many figures it bears


def _lines_sort(kind: str) -> str:
    return {"ITEM": "item", "ROW": "row", "VALUES": "row", "RULE": "glue"}.get(kind, "words")


def _generic_sort(number: int, text: str, kind: str) -> tuple[str, int]:
    found = shapes.shape(number, text, kind)
    if found.kind in shapes.GLUE_KINDS:
        return "glue", 0
    if kind != "FIGURES" or not found.figures:  # figures only inside words or dates: a line of words
        return "words", 0
    return ("item" if found.kind == "item" else "row"), len(found.figures)


def line_kinds(view, mode: Mode = LINES) -> list[Line]:
    """The non-blank lines of a document with the kind the mode's grammar gives each (the compiler's first match)."""
    lexer = _lexer(mode)
    out = []
    for number, text in view:
        if not text.strip(" \t\f\v"):
            continue
        kind = lexer.classify(text, None)
        if mode is LINES:
            out.append(Line(number, text, kind, _lines_sort(kind), sum(c.is_figure for c in split_cells(text))))
        else:
            out.append(Line(number, text, kind, *_generic_sort(number, text, kind)))
    return out


@attrs.frozen
class Table:
    """One table of the sample: words above it, its title, rules under the title, column titles, body."""

    name: str
    words: tuple[Line, ...]
    title: Optional[Line]
    rules: tuple[Line, ...]
    headers: tuple[Line, ...]
    body: tuple[Line, ...]
    terminal: str = ""  # the title's terminal: one per distinct title
    # its figure lines may take their label from the line of words above them (read = "label_above")
    label_above: bool = False
    runs: bool = True  # a body mixing runs of items and of rows is one rule per run (lines mode)

    @property
    def blocks(self) -> list[tuple[str, str, tuple[Line, ...]]]:
        """(rule name, sort, lines): the body in runs of one sort of figure line, items (ITEM) or rows
        (ROW, VALUES); a rule line stays with the run above it. One run: the table itself."""
        if self.label_above:
            return [(self.name, "label_above", self.body)]
        if not self.runs:
            return [(self.name, "rows", self.body)]
        leading: list[Line] = []
        runs: list[tuple[str, list[Line]]] = []
        for line in self.body:
            sort = {"item": "items", "glue": "", "words": ""}.get(line.sort, "rows")
            if not sort:
                (runs[-1][1] if runs else leading).append(line)
            elif runs and runs[-1][0] == sort:
                runs[-1][1].append(line)
            else:
                runs.append((sort, [line]))
        runs[0][1][:0] = leading
        if len(runs) == 1:
            return [(self.name, runs[0][0], self.body)]
        return [(f"{self.name}_{k}", sort, tuple(lines)) for k, (sort, lines) in enumerate(runs, 1)]


HEADER_KINDS = LINES.headers + GENERIC.headers


def _split_caption(caption: list[Line]) -> tuple[list[Line], Optional[Line], list[Line], list[Line], list[Line]]:
    """words, title, rules, headers and the rules that open the body, from the lines above a body."""
    opening: list[Line] = []
    while caption and caption[-1].sort == "glue":
        opening.insert(0, caption.pop())
    headers: list[Line] = []
    while caption and caption[-1].kind in HEADER_KINDS:
        headers.insert(0, caption.pop())
    # one cell above a line of several ("POOL SUMMARY" over "Class   Balance"): the title
    if len(headers) > 1 and len(split_cells(headers[0].text)) == 1 and len(split_cells(headers[1].text)) > 1:
        caption.append(headers.pop(0))
    # the title is the last line with a letter above the column titles; the lines of marks under
    # it ("-----", "|") stand between it and them
    rules: list[Line] = []
    while caption and not re.search(r"[A-Za-z]", caption[-1].text):
        rules.insert(0, caption.pop())
    if not headers and all(line.sort == "glue" for line in rules):  # rules right above the body open it
        opening, rules = rules + opening, []
    title = caption.pop() if caption else None
    if title is None:  # marks under no title stand with the words above
        caption, rules = caption + rules, []
    return caption, title, rules, headers, opening


def slug(text: str, taken: set[str]) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    name = "_".join(words)[:40].strip("_") or "table"
    if name[0].isdigit():
        name = f"t_{name}"
    unique, n = name, 2
    while unique in taken:
        unique, n = f"{name}_{n}", n + 1
    taken.add(unique)
    return unique


def tables(lines: Sequence[Line]) -> tuple[list[Table], tuple[Line, ...]]:
    """The tables of a document in print order, and the lines of words after the last one."""
    found: list[Table] = []
    taken = {"statement", "heading", "column_headers", "text", "start"}
    caption: list[Line] = []
    body: list[Line] = []
    above: tuple = ()
    terminals: dict[str, str] = {}

    def close() -> None:
        words, title, rules, headers, opening = above
        name = slug(title.text if title is not None else f"table {len(found) + 1}", taken)
        terminal = ""
        if title is not None:
            terminal = terminals.setdefault(title_pattern(title.text), f"TITLE_{name.upper()}")
        found.append(Table(name, tuple(words), title, tuple(rules), tuple(headers), tuple(opening + body), terminal))

    for line in lines:
        if body and line.sort != "words":
            body.append(line)
        elif line.sort in ("item", "row"):
            above, body, caption = _split_caption(caption), [line], []
        else:
            if body:
                close()
                body = []
            caption.append(line)
    if body:
        close()
    return found, tuple(caption)


# -- the grammar -----------------------------------------------------------------------------------------------

def title_pattern(text: str) -> str:
    """A title line as a regex: its words, any run of spaces between them, any indent."""
    words = [re.escape(w).replace("/", "\\/") for w in text.split()]
    return r"[ \t]*" + r"\s+".join(words) + r"[ \t]*"


def _alternatives(*kinds: str) -> str:
    return "(" + " | ".join(dict.fromkeys(kinds)) + ")"


def _exact(lines: Iterable[Line]) -> str:
    return " ".join(line.kind for line in lines)


def _matches(table: Table, lines: Iterable[Line]) -> bool:
    pattern = re.compile(title_pattern(table.title.text))
    return any(pattern.fullmatch(line.text) for line in lines)


def _titled_heading(first: Table) -> bool:
    """The first table's title ends the heading (and titles the statement), unless it is the label of
    the first figure under it (a label_above table)."""
    return first.title is not None and not first.label_above


def grammar(layout_id: str, sample: str, found: Sequence[Table], tail: Sequence[Line], strict: bool = False,
            mode: Mode = LINES) -> str:
    """The draft grammar. `strict`: the words between tables (and a label_above table's lines) as the
    exact sequence of the sample's line kinds."""
    first = found[0]
    words = _alternatives(*mode.words)
    between = _alternatives(*mode.words, *mode.glue)  # words, and marks among them
    glue = _alternatives(*mode.glue)
    body = _alternatives(*mode.figures, *mode.glue) + "+"
    out = [
        f"// {layout_id}: drafted by `trustc new-layout` from {sample}.",
        f"// Line kinds come from {mode.grammar}.lark; a table's title line is a terminal of its own (TITLE_*).",
        f"// A table: its title, column titles (column_headers), then a body of figure lines {body}.",
        "// Generalise the TITLE_* patterns where a title changes between reports (dates, series),",
        "// and see docs/adding-a-layout.md.",
        "",
    ]
    out.append(f"%import {mode.grammar} ({', '.join(mode.kinds)})")
    out.append("")
    out.append("start: statement")
    titled = _titled_heading(first)
    parts = ["heading"] if titled or first.words else []
    parts += [t.name for t in found]
    closing = "text?" if not strict else _exact(tail)
    out.append(f"statement: {' '.join(parts)} {closing}".rstrip())
    if parts and parts[0] == "heading":
        loose = first.title is not None and not strict and not _matches(first, first.words)
        heading = f"{between}*" if loose else _exact(first.words)
        out.append(f"heading: {heading} {first.terminal if titled else ''}".rstrip())
    extra: list[str] = []
    for index, table in enumerate(found):
        pieces: list[str] = []
        if index == 0 and table.title is not None and not titled:  # the title labels the first figure
            pieces.append(table.terminal)
        elif index > 0 and table.title is not None:
            loose = not strict and not _matches(table, table.words)
            pieces.append("text?" if loose else _exact(table.words))
            pieces.append(table.terminal)
        elif index > 0:
            pieces.append(_exact(table.words))
        pieces.append(_exact(table.rules))
        blocks = table.blocks
        if table.label_above:  # labels among the figures: any line up to the next table's title
            pieces += ["column_headers" if table.headers else "",
                       _exact(table.body) if strict else _alternatives(*mode.kinds) + "+"]
        elif len(blocks) == 1:
            pieces += ["column_headers" if table.headers else "", body]
        else:  # runs of rows and of items, each a rule of its own, read its own way
            pieces += [name for name, _sort, _lines in blocks]
            for index, (name, sort, lines) in enumerate(blocks):
                kinds = mode.items if sort == "items" else mode.rows
                head = ("column_headers " if table.headers and index == 0 else "") + (f"{glue}* " if index == 0 else "")
                extra.append(f"{name}: {head}{_alternatives(*kinds)} {_alternatives(*kinds, *mode.glue)}*")
        out.append(f"{table.name}: {' '.join(p for p in pieces if p)}")
        out += extra
        extra.clear()
    out.append(f"column_headers: {_alternatives(*mode.headers)}+")
    out.append(f"text: {words} {between}*")
    out.append("")
    seen: set[str] = set()
    for table in found:
        if table.title is not None and table.terminal not in seen:
            seen.add(table.terminal)
            out.append(f"{table.terminal}.{mode.title_priority}: /{title_pattern(table.title.text)}/")
    return "\n".join(out) + "\n"


# -- the spec --------------------------------------------------------------------------------------------------

TODO = "# TODO: no concept matched"
SUGGESTED = "# TODO: its last words name {}"
# delinquency buckets printed in item labels ("30-59 Days Number of Loans", "90+ Days ..."): dims of their figures
BUCKETS = ((r"(?i)\b(\d{1,3})\s*(?:-|to)\s*(\d{1,3})\s*days?\b", "{1}-{2}"),
           (r"(?i)\b(\d{2,3})\s*(?:\+|or\s+more|and\s+over)", "{1}+"))


def _bucket(label: str) -> Optional[str]:
    """The delinquency bucket a label prints ("30-59 days number of loans" -> "30-59"), if any."""
    for pattern, dims in BUCKETS:
        m = re.search(pattern, label)
        if m:
            return dims.format(m.group(0), *m.groups())
    return None


def toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


@attrs.frozen
class Mapping:
    """What a table's spec maps: printed key -> concept (None: left to map)."""

    table: str
    kind: str  # "columns" or "labels"
    printed: tuple[tuple[str, Optional[str]], ...]
    # for a key left to map, the concept its last words name (match_label_words): a suggestion only,
    # since it is often another figure ("Begin Principal Balance" -> loan_balance)
    suggested: tuple[tuple[str, str], ...] = ()

    @property
    def todo(self) -> list[str]:
        return [k for k, concept in self.printed if concept is None]


ASIDE = re.compile(r"\([^)]*\)?")


def _mapped(table: str, kind: str, printed: Iterable[str]) -> Mapping:
    """The keys of printed labels or column titles, each with the concept its words name (if any)."""
    out: dict[str, Optional[str]] = {}
    suggested: dict[str, str] = {}
    for text in printed:
        if not key(text) or key(text) in out:
            continue
        out[key(text)] = match_label(text)
        # a suggestion from the last words, never from words in parentheses ("Cash Yield (% of Beginning Balance)")
        guess = match_label_words(ASIDE.sub(" ", text)) if out[key(text)] is None else None
        if guess is not None:
            suggested[key(text)] = guess
    return Mapping(table, kind, tuple(out.items()), tuple(suggested.items()))


def reading(name: str, sort: str, body: Sequence[Line], headers: Sequence[Line],
            mode: Mode = LINES) -> tuple[str, Mapping]:
    """How the spec reads a table: a class table (rows are classes: labels no concept knows, several
    figures, column titles), items (the label names the concept) or, in generic mode, items whose
    label may stand above the figure (label_above)."""
    tokens = [Token(line.kind, line.text, line.number) for line in body]
    if sort == "label_above":
        labelled = [r.label.text for r in labelled_rows(tokens, generic_row) if r.label is not None]
        return "label_above", _mapped(name, "labels", labelled)
    figure_lines = [t for t, line in zip(tokens, body) if line.sort in ("item", "row")]
    rows = [generic_row(t) if mode is GENERIC else Row.split(t) for t in figure_lines]
    rows = [r for r in rows if r.values or mode is LINES]
    labelled = [r for r in rows if r.label is not None]
    wide = [r for r in rows if len(r.values) >= 2]
    known = [r for r in labelled if match_label(r.label.text)]
    if mode is GENERIC:
        header_tokens = [Token(line.kind, line.text, line.number) for line in headers]
        named = [t for t in column_model(header_tokens, rows)[1] if t] if headers else []
    else:
        named = [c.name for c in stack_headers([line.text for line in headers]) if key(c.name) != "class"]
    if named and wide and 2 * len(known) < max(len(labelled), 1):
        return "class_table", _mapped(name, "columns", named)
    return "items", _mapped(name, "labels", (r.label.text for r in labelled))


def Token(kind: str, text: str, number: int):  # noqa: N802 - a lark Token for one line, as the lexer makes it
    from lark import Token as LarkToken

    return LarkToken(kind, text, 0, number, 1, number, len(text) + 1, 0)


def spec(layout_id: str, sample: str, found: Sequence[Table], grammar_file: str,
         mode: Mode = LINES, tail: Sequence[Line] = ()) -> tuple[str, list[Mapping]]:
    first = found[0]
    out = [
        f"# {layout_id}: drafted by `trustc new-layout` from {sample}.",
        "# A spec, no Python: see trustc/compiler/spec.py and docs/adding-a-layout.md. Entries marked TODO",
        "# are printed labels and column titles no concept matched: their figures are facts with no",
        "# concept (concept null, the printed label kept) until you give each its concept (see",
        "# trustc/compiler/data/concepts/). Delete an entry and its figures are reported as unknown-label.",
        "",
        f"id = {toml_string(layout_id)}",
        f"description = {toml_string(f'drafted from {Path(sample).name}')}",
        f"grammar = {toml_string(grammar_file)}",
    ]
    if mode is GENERIC:
        out += ["# figures one space apart, | cells, columns where the figures stand (shaped_tables.py)",
                'cells = "generic"']
    out += [
        "",
        "evidence = [",
    ]
    titles = list(dict.fromkeys(t.title.text.strip() for t in found if t.title is not None))[:MAX_EVIDENCE]
    for title in titles:
        weight = round(1 / len(titles), 3)
        pattern = "(?m)^" + title_pattern(title) + "$"
        out.append(f"  {{ pattern = {toml_string(pattern.replace(chr(92) + '/', '/'))}, weight = {weight}, "
                   f"shows = {toml_string(title[:60])} }},")
    out += ["]", "", "[statement]", 'rule = "statement"']
    if _titled_heading(first) or first.words:
        out.append('heading = "heading"')
    if _titled_heading(first):
        out.append(f"title_lines = [{toml_string(first.terminal)}]")
    elif first.words:
        out.append(f"title_lines = [{toml_string(mode.words[0])}]")
    mappings: list[Mapping] = []
    for number, table in enumerate(found):
        out += ["", f"# {table.title.text.strip() if table.title else '(no title)'}: lines "
                    f"{table.body[0].number}-{table.body[-1].number}"]
        for index, (name, sort, lines) in enumerate(table.blocks):
            if sort == "label_above":  # its title labels the first figure; it reads on up to the next title
                following = found[number + 1].words if number + 1 < len(found) else tail
                lines = ((table.title,) if table.title is not None else ()) + table.rules + lines + tuple(following)
            read, mapping = reading(name, sort, lines, table.headers if index == 0 else (), mode)
            mappings.append(mapping)
            kinds = ", ".join(toml_string(k) for k in mode.figures)
            out += [f"[rules.{name}]", f"read = {toml_string(read)}", f"lines = [{kinds}]"]
            if read == "class_table":
                out.append(f"position = {toml_string(name)}")
            out.append(f"[rules.{name}.{mapping.kind}]")
            for printed, concept in mapping.printed:
                guess = dict(mapping.suggested).get(printed)
                note = "" if concept else SUGGESTED.format(guess) if guess else TODO
                meaning = toml_string(concept or "")
                bucket = _bucket(printed) if read != "class_table" else None
                if bucket is not None:  # a label's meaning with a dim: { concept = ..., bucket = ... }
                    meaning = f"{{ concept = {meaning}, bucket = {toml_string(bucket)} }}"
                out.append(f"{toml_string(printed)} = {meaning}" + (f"  {note}" if note else ""))
    return "\n".join(out) + "\n", mappings


# -- the test ----------------------------------------------------------------------------------------------------

TEST = '''"""Drafted by `trustc new-layout`: {id} compiles its sample with every line placed."""
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / {sample!r}


def test_sample_compiles_with_nothing_unparsed():
    env = {{**os.environ, "TRUSTC_LAYOUTS": str(HERE)}}
    done = subprocess.run([sys.executable, "-m", "trustc", "compile", "-f", {id!r}, str(SAMPLE)],
                          env=env, capture_output=True, text=True)
    data = json.loads(done.stdout)
    # the statement document of the sample: lines {first}-{last}
    assert [u for u in data["unparsed"] if {first} <= u["line"] <= {last}] == []
    assert sum(len(s["facts"]) for s in data["statements"] if s["format"] == {id!r}) >= {facts}
'''


# -- the command -------------------------------------------------------------------------------------------------

@attrs.frozen
class Draft:
    layout_id: str
    folder: Path
    tables: tuple[Table, ...]
    mappings: tuple[Mapping, ...]
    facts: int
    unparsed: tuple[int, ...]
    strict: bool
    concepts: int = 0  # facts with a concept
    mode: str = "lines"
    lines: int = 0  # lines of the sample's statement document the grammar placed (non-blank)


def statement_document(source):
    """The document of the sample with the most figure lines (a filing may hold an 8-K and exhibits)."""
    from .compiler.driver import detect_source

    views = [choice.view for choice in detect_source(source)]
    return max(views, key=lambda v: sum(line.sort in ("item", "row") for line in line_kinds(v, GENERIC)), default=None)


def label_above_tables(found: Sequence[Table]) -> list[Table]:
    """Generic mode: a table with no column titles whose figure lines bear one figure each is items whose label
    may stand on the line above the figure; consecutive ones are one table (the labels between are its lines).
    A body is one rule (runs of items and rows are one FIGURES kind there)."""
    out: list[Table] = []
    for table in found:
        loose = not table.headers and all(line.figures <= 1 for line in table.body if line.sort in ("item", "row"))
        if loose and out and out[-1].label_above:
            between = table.words + ((table.title,) if table.title is not None else ()) + table.rules + table.body
            out[-1] = attrs.evolve(out[-1], body=out[-1].body + between)
        else:
            out.append(attrs.evolve(table, label_above=loose, runs=False))
    return out


@attrs.frozen
class Attempt:
    """The draft in one mode: its files' text and what it gave on the sample."""

    mode: Mode
    tables: tuple[Table, ...]
    mappings: tuple[Mapping, ...]
    spec: str
    grammar: str
    strict: bool
    unparsed: tuple[int, ...]
    facts: int
    concepts: int

    @property
    def rank(self) -> tuple:
        """Nothing unparsed first, then the most facts, then the most with a concept (lines mode on a tie)."""
        return (not self.unparsed, self.facts, self.concepts, self.mode is LINES)


def attempt(mode: Mode, layout_id: str, sample: str, view, folder: Path) -> Optional[Attempt]:
    """The draft in `mode`, written to `folder` and compiled on the sample (None: no table in this mode)."""
    stem = layout_id.replace("-", "_")
    found, tail = tables(line_kinds(view, mode))
    if mode is GENERIC:
        found = label_above_tables(found)
    if not found:
        return None
    spec_text, mappings = spec(layout_id, sample, found, f"{stem}.lark", mode, tail)
    (folder / f"{stem}.toml").write_text(spec_text, encoding="utf-8")
    for strict in (False, True):
        grammar_text = grammar(layout_id, sample, found, tail, strict, mode)
        (folder / f"{stem}.lark").write_text(grammar_text, encoding="utf-8")
        result = _compile(folder, layout_id, view)
        unparsed = tuple(u.line for u in result.unparsed)
        if not unparsed:
            break
    facts = [f for statement in result.statements for f in statement.facts]
    return Attempt(mode, tuple(found), tuple(mappings), spec_text, grammar_text, strict, unparsed, len(facts),
                   sum(f.concept is not None for f in facts))


def draft(sample: str, layout_id: str, folder: Path) -> Draft:
    """Draft the layout in each mode and keep the one that reads the sample best (Attempt.rank)."""
    from .compiler.source import read_path

    if not re.fullmatch(r"[a-z][a-z0-9-]*", layout_id):
        raise ValueError(f"layout id {layout_id!r}: lower-case letters, digits and '-', starting with a letter")
    source = read_path(sample)
    view = statement_document(source)
    if view is None:
        raise ValueError(f"{sample}: no line bears figures; there is no table to draft a layout from")
    stem = layout_id.replace("-", "_")
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(sample).name
    attempts = [a for a in (attempt(mode, layout_id, name, view, folder) for mode in MODES) if a is not None]
    if not attempts:
        raise ValueError(f"{sample}: no line bears figures; there is no table to draft a layout from")
    best = max(attempts, key=lambda a: a.rank)
    (folder / f"{stem}.toml").write_text(best.spec, encoding="utf-8")
    (folder / f"{stem}.lark").write_text(best.grammar, encoding="utf-8")
    corpus = folder / "corpus"
    corpus.mkdir(exist_ok=True)
    copy = corpus / name
    if Path(sample).resolve() != copy.resolve():
        shutil.copyfile(sample, copy)
    (folder / f"test_{stem}.py").write_text(
        TEST.format(id=layout_id, sample=f"corpus/{copy.name}", facts=best.facts, first=view.first, last=view.last),
        encoding="utf-8")
    placed = sum(1 for _n, text in view if text.strip(" \t\f\v")) - len(best.unparsed)
    return Draft(layout_id, folder, best.tables, best.mappings, best.facts, best.unparsed, best.strict,
                 best.concepts, best.mode.name, placed)


def _compile(folder: Path, layout_id: str, view):
    """The draft's result on the sample's statement document, registered for this call only."""
    from .compiler import layout as registry
    from .compiler.layouts.user import load_folder

    saved = registry.layouts()  # the built-in ones loaded first, so restoring keeps them
    try:
        (cls,) = load_folder(folder, only=layout_id)
        return cls().compile(view)
    finally:
        registry._REGISTRY.clear()
        registry._REGISTRY.update(saved)


def report(result: Draft) -> str:
    stem = result.layout_id.replace("-", "_")
    folder = result.folder
    out = [f"drafted {result.layout_id} in {folder}/: {stem}.lark, {stem}.toml, corpus/, test_{stem}.py",
           f"  {len(result.tables)} tables ({result.mode} line kinds and cells); the sample compiles to "
           f"{result.facts} facts ({result.concepts} with a concept), "
           + ("nothing unparsed" if not result.unparsed else f"lines {list(result.unparsed)} unparsed")
           + (" (the words between tables are the sample's exact sequence)" if result.strict else "")]
    todo = [(m, m.todo) for m in result.mappings if m.todo]
    total = sum(len(m.printed) for m in result.mappings)
    left = sum(len(t) for _m, t in todo)
    suggested = sum(len(m.suggested) for m in result.mappings)
    out.append(f"  mapped {total - left} of {total} labels and column titles to concepts; left to map ({left}, "
               f"{suggested} with a concept suggested in the spec):")
    for mapping, items in todo:
        out.append(f"    [rules.{mapping.table}.{mapping.kind}] " + ", ".join(map(repr, items)))
    out.append(f"  use it: TRUSTC_LAYOUTS={folder} trustc compile -f {result.layout_id} FILE  "
               "(see docs/adding-a-layout.md)")
    return "\n".join(out)


def arguments(parser) -> None:
    parser.add_argument("sample", metavar="SAMPLE", help="a filing in the new layout")
    parser.add_argument("--id", dest="layout_id", required=True, metavar="NAME", help="the new layout's id (my-trustee)")
    parser.add_argument("--out", metavar="DIR", default="layouts",
                        help="folder for the draft (default ./layouts); name it in TRUSTC_LAYOUTS to use it")
    parser.set_defaults(func=command)


def command(args) -> int:
    from .cli import UsageError

    try:
        result = draft(args.sample, args.layout_id, Path(args.out))
    except (ValueError, OSError) as exc:
        raise UsageError(str(exc)) from exc
    print(report(result))
    return 1 if result.unparsed else 0
