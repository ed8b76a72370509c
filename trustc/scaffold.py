"""`trustc new-layout SAMPLE --id NAME`: draft a layout (grammar + spec + corpus entry + test) from a sample.

The draft is what docs/adding-a-layout.md asks a layout to be: a grammar of line
kinds and a spec binding its rules to the table engine (compiler/spec.py,
compiler/tables.py). It is built in four steps:

1. Each line of the sample gets its kind from `lines.lark` (ITEM, ROW, VALUES,
   COLUMN_HEADER, RULE, NOTE, PROSE, TEXT), through the same lexer the compiler
   runs, so the draft grammar's view of a line is the compiler's.
2. Runs of figure lines (ROW, ITEM, VALUES, and RULE lines among them) are the
   bodies of tables. The lines of words above a body are its caption: the column
   titles right above it (COLUMN_HEADER lines), and above those the table's
   title, which gets a terminal of its own (`TITLE_...`, its printed words) so
   the grammar names each table and detection has evidence.
3. The grammar is the sample's tables in print order (`statement: heading t1 t2
   ...`), each one `title rules? column_headers? body`, with any words between
   tables; a draft grammar parses the sample, and the draft is compiled on it to
   prove it (nothing unparsed), with a stricter grammar as a fallback.
4. The spec reads a table with column titles and rows of several figures as a
   class table (rows are classes, columns are concepts) and anything else as
   items (label, figure). Column titles and row labels are keyed as the engine
   keys them (`tables.key`) and mapped with `concepts.match_label`; the rest
   are left as TODO comments and printed.

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

from .compiler.columns import split_cells, stack_headers
from .compiler.concepts import match_label
from .compiler.lines import GRAMMAR_DIR, LineLexer
from .compiler.tables import Row, key

FIGURE_KINDS = ("ROW", "ITEM", "VALUES")
WORD_KINDS = ("COLUMN_HEADER", "NOTE", "PROSE", "TEXT")
LINE_KINDS = ("ITEM", "VALUES", "ROW", "COLUMN_HEADER", "NOTE", "RULE", "PROSE", "TEXT")
MAX_EVIDENCE = 4  # titles searched for by detection


@functools.lru_cache(maxsize=1)
def _lexer() -> LineLexer:
    from lark import Lark

    grammar = f"%import lines ({', '.join(LINE_KINDS)})\nstart: ({' | '.join(LINE_KINDS)})*\n"
    parser = Lark(grammar, parser="lalr", lexer=LineLexer, import_paths=[str(GRAMMAR_DIR)])
    return LineLexer(parser.lexer_conf)


@attrs.frozen
class Line:
    number: int
    text: str
    kind: str


def line_kinds(view) -> list[Line]:
    """The non-blank lines of a document with the kind `lines.lark` gives each (the compiler's first match)."""
    lexer = _lexer()
    return [Line(number, text, lexer.classify(text, None)) for number, text in view if text.strip(" \t\f\v")]


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

    @property
    def blocks(self) -> list[tuple[str, str, tuple[Line, ...]]]:
        """(rule name, sort, lines): the body in runs of one sort of figure line, items (ITEM) or rows
        (ROW, VALUES); a rule line stays with the run above it. One run: the table itself."""
        leading: list[Line] = []
        runs: list[tuple[str, list[Line]]] = []
        for line in self.body:
            sort = {"ITEM": "items", "RULE": ""}.get(line.kind, "rows")
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


def _split_caption(caption: list[Line]) -> tuple[list[Line], Optional[Line], list[Line], list[Line], list[Line]]:
    """words, title, rules, headers and the rules that open the body, from the lines above a body."""
    opening: list[Line] = []
    while caption and caption[-1].kind == "RULE":
        opening.insert(0, caption.pop())
    headers: list[Line] = []
    while caption and caption[-1].kind == "COLUMN_HEADER":
        headers.insert(0, caption.pop())
    # one cell above a line of several ("POOL SUMMARY" over "Class   Balance"): the title
    if len(headers) > 1 and len(split_cells(headers[0].text)) == 1 and len(split_cells(headers[1].text)) > 1:
        caption.append(headers.pop(0))
    # the title is the last line with a letter above the column titles; the lines of marks under
    # it ("-----", "|") stand between it and them
    rules: list[Line] = []
    while caption and not re.search(r"[A-Za-z]", caption[-1].text):
        rules.insert(0, caption.pop())
    if not headers and all(line.kind == "RULE" for line in rules):  # rules right above the body open it
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
        if body and line.kind in (*FIGURE_KINDS, "RULE"):
            body.append(line)
        elif line.kind in FIGURE_KINDS:
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


_WORD = "(" + " | ".join(WORD_KINDS) + ")"
BODY = "(ROW | ITEM | VALUES | RULE)+"


def _exact(lines: Iterable[Line]) -> str:
    return " ".join(line.kind for line in lines)


def _matches(table: Table, lines: Iterable[Line]) -> bool:
    pattern = re.compile(title_pattern(table.title.text))
    return any(pattern.fullmatch(line.text) for line in lines)


def grammar(layout_id: str, sample: str, found: Sequence[Table], tail: Sequence[Line], strict: bool = False) -> str:
    """The draft grammar. `strict`: the words between tables as the exact sequence of the sample's line kinds."""
    first = found[0]
    out = [
        f"// {layout_id}: drafted by `trustc new-layout` from {sample}.",
        "// Line kinds come from lines.lark; a table's title line is a terminal of its own (TITLE_*).",
        "// A table: its title, column titles (column_headers), then a body of figure lines (ROW, ITEM,",
        "// VALUES, RULE). Generalise the TITLE_* patterns where a title changes between reports",
        "// (dates, series), and see docs/adding-a-layout.md.",
        "",
    ]
    out.append(f"%import lines ({', '.join(LINE_KINDS)})")
    out.append("")
    out.append("start: statement")
    parts = ["heading"] if first.title is not None or first.words else []
    parts += [t.name for t in found]
    closing = "text?" if not strict else _exact(tail)
    out.append(f"statement: {' '.join(parts)} {closing}".rstrip())
    if parts and parts[0] == "heading":
        loose = first.title is not None and not strict and not _matches(first, first.words)
        words = f"({_WORD[1:-1]} | RULE)*" if loose else _exact(first.words)
        out.append(f"heading: {words} {first.terminal if first.title is not None else ''}".rstrip())
    extra: list[str] = []
    for index, table in enumerate(found):
        pieces: list[str] = []
        if index > 0 and table.title is not None:
            loose = not strict and not _matches(table, table.words)
            pieces.append("text?" if loose else _exact(table.words))
            pieces.append(table.terminal)
        elif index > 0:
            pieces.append(_exact(table.words))
        pieces.append(_exact(table.rules))
        blocks = table.blocks
        if len(blocks) == 1:
            pieces += ["column_headers" if table.headers else "", BODY]
        else:  # runs of rows and of items, each a rule of its own, read its own way
            pieces += [name for name, _sort, _lines in blocks]
            for index, (name, sort, lines) in enumerate(blocks):
                kinds = "ITEM" if sort == "items" else "ROW | VALUES"
                head = ("column_headers " if table.headers and index == 0 else "") + ("RULE* " if index == 0 else "")
                extra.append(f"{name}: {head}({kinds}) ({kinds} | RULE)*")
        out.append(f"{table.name}: {' '.join(p for p in pieces if p)}")
        out += extra
        extra.clear()
    out.append("column_headers: COLUMN_HEADER+")
    out.append(f"text: {_WORD} ({_WORD[1:-1]} | RULE)*")
    out.append("")
    seen: set[str] = set()
    for table in found:
        if table.title is not None and table.terminal not in seen:
            seen.add(table.terminal)
            out.append(f"{table.terminal}.4: /{title_pattern(table.title.text)}/")
    return "\n".join(out) + "\n"


# -- the spec --------------------------------------------------------------------------------------------------

def toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


@attrs.frozen
class Mapping:
    """What a table's spec maps: printed key -> concept (None: left to map)."""

    table: str
    kind: str  # "columns" or "labels"
    printed: tuple[tuple[str, Optional[str]], ...]

    @property
    def todo(self) -> list[str]:
        return [k for k, concept in self.printed if concept is None]


def _mapped(printed: Iterable[str]) -> tuple[tuple[str, Optional[str]], ...]:
    out: dict[str, Optional[str]] = {}
    for text in printed:
        if key(text) and key(text) not in out:
            out[key(text)] = match_label(text)
    return tuple(out.items())


def reading(name: str, body: Sequence[Line], headers: Sequence[Line]) -> tuple[str, Mapping]:
    """How the spec reads a table: a class table (rows are classes: labels no concept knows, several
    figures, column titles) or items (the label names the concept)."""
    rows = [Row.split(Token(line.kind, line.text, line.number)) for line in body if line.kind != "RULE"]
    labelled = [r for r in rows if r.label is not None]
    wide = [r for r in rows if len(r.values) >= 2]
    known = [r for r in labelled if match_label(r.label.text)]
    columns = stack_headers([line.text for line in headers])
    if columns and wide and 2 * len(known) < max(len(labelled), 1):
        named = [c.name for c in columns if key(c.name) != "class"]
        return "class_table", Mapping(name, "columns", _mapped(named))
    return "items", Mapping(name, "labels", _mapped(r.label.text for r in labelled))


def Token(kind: str, text: str, number: int):  # noqa: N802 - a lark Token for one line, as the lexer makes it
    from lark import Token as LarkToken

    return LarkToken(kind, text, 0, number, 1, number, len(text) + 1, 0)


def spec(layout_id: str, sample: str, found: Sequence[Table], grammar_file: str) -> tuple[str, list[Mapping]]:
    first = found[0]
    out = [
        f"# {layout_id}: drafted by `trustc new-layout` from {sample}.",
        "# A spec, no Python: see trustc/compiler/spec.py and docs/adding-a-layout.md. Lines marked TODO",
        "# are printed labels and column titles no concept matched: give each its concept (see",
        "# trustc/compiler/data/concepts/) and remove the '#', or leave them (their figures are then",
        "# reported as unknown-label, never dropped silently).",
        "",
        f"id = {toml_string(layout_id)}",
        f"description = {toml_string(f'drafted from {Path(sample).name}')}",
        f"grammar = {toml_string(grammar_file)}",
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
    if first.title is not None or first.words:
        out.append('heading = "heading"')
    if first.title is not None:
        out.append(f"title_lines = [{toml_string(first.terminal)}]")
    mappings: list[Mapping] = []
    for table in found:
        out += ["", f"# {table.title.text.strip() if table.title else '(no title)'}: lines "
                    f"{table.body[0].number}-{table.body[-1].number}"]
        for index, (name, _sort, lines) in enumerate(table.blocks):
            read, mapping = reading(name, lines, table.headers if index == 0 else ())
            mappings.append(mapping)
            out += [f"[rules.{name}]", f"read = {toml_string(read)}", 'lines = ["ROW", "VALUES", "ITEM"]']
            if read == "class_table":
                out.append(f"position = {toml_string(name)}")
            out.append(f"[rules.{name}.{mapping.kind}]")
            for printed, concept in mapping.printed:
                if concept is None:
                    out.append(f"# {toml_string(printed)} = \"\"  # TODO")
                else:
                    out.append(f"{toml_string(printed)} = {toml_string(concept)}")
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


def statement_document(source):
    """The document of the sample with the most figure lines (a filing may hold an 8-K and exhibits)."""
    from .compiler.driver import detect_source

    views = [choice.view for choice in detect_source(source)]
    return max(views, key=lambda v: sum(line.kind in FIGURE_KINDS for line in line_kinds(v)), default=None)


def draft(sample: str, layout_id: str, folder: Path) -> Draft:
    from .compiler.source import read_path

    if not re.fullmatch(r"[a-z][a-z0-9-]*", layout_id):
        raise ValueError(f"layout id {layout_id!r}: lower-case letters, digits and '-', starting with a letter")
    source = read_path(sample)
    view = statement_document(source)
    lines = line_kinds(view) if view is not None else []
    found, tail = tables(lines)
    if not found:
        raise ValueError(f"{sample}: no line bears figures; there is no table to draft a layout from")
    stem = layout_id.replace("-", "_")
    folder.mkdir(parents=True, exist_ok=True)
    corpus = folder / "corpus"
    corpus.mkdir(exist_ok=True)
    copy = corpus / Path(sample).name
    if Path(sample).resolve() != copy.resolve():
        shutil.copyfile(sample, copy)
    spec_text, mappings = spec(layout_id, Path(sample).name, found, f"{stem}.lark")
    (folder / f"{stem}.toml").write_text(spec_text, encoding="utf-8")
    for strict in (False, True):
        (folder / f"{stem}.lark").write_text(grammar(layout_id, Path(sample).name, found, tail, strict),
                                             encoding="utf-8")
        result = _compile(folder, layout_id, view)
        unparsed = tuple(u.line for u in result.unparsed)
        if not unparsed:
            break
    facts = sum(len(s.facts) for s in result.statements)
    (folder / f"test_{stem}.py").write_text(
        TEST.format(id=layout_id, sample=f"corpus/{copy.name}", facts=facts, first=view.first, last=view.last),
        encoding="utf-8")
    return Draft(layout_id, folder, tuple(found), tuple(mappings), facts, unparsed, strict)


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
           f"  {len(result.tables)} tables; the sample compiles to {result.facts} facts, "
           + ("nothing unparsed" if not result.unparsed else f"lines {list(result.unparsed)} unparsed")
           + (" (the words between tables are the sample's exact sequence)" if result.strict else "")]
    todo = [(m, m.todo) for m in result.mappings if m.todo]
    total = sum(len(m.printed) for m in result.mappings)
    left = sum(len(t) for _m, t in todo)
    out.append(f"  mapped {total - left} of {total} labels and column titles to concepts; left to map ({left}):")
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
