"""Diagnostics the way compilers print them: `file:line:col: severity[code]: message`, the
source line, a caret under the figure. Colour on a terminal (rich), plain text otherwise."""
from __future__ import annotations

from typing import Sequence, TextIO

from rich.console import Console
from rich.text import Text

from ...terminal import printable
from ..ast import Diagnostic

STYLES = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}


def console(file: TextIO) -> Console:
    # soft_wrap: a diagnostic is one line whatever the terminal width, so tools can parse it
    return Console(file=file, highlight=False, markup=False, emoji=False, soft_wrap=True)


def render(out: Console, path: str, diagnostic: Diagnostic, lines: Sequence[str]) -> None:
    span = diagnostic.span
    where = f"{path}:{span.line}:{span.column}: " if span else f"{path}: "
    head = Text(printable(where), style="bold")
    head.append(f"{diagnostic.severity}[{diagnostic.code}]", style=STYLES.get(diagnostic.severity, "bold"))
    head.append(printable(f": {diagnostic.message}"))
    out.print(head)
    if span is None or not 1 <= span.line <= len(lines):
        return
    source = lines[span.line - 1]
    gutter = f"{span.line:>5} | "
    # Control characters of the filing are printed as escapes (\x1b), never sent to the terminal.
    out.print(Text(gutter, style="blue") + Text(printable(source)))
    width = (span.end_column - span.column) if span.end_line == span.line else len(source) - span.column + 1
    # The caret line copies the source's tabs so it lines up however tabs are shown.
    prefix = "".join(ch if ch == "\t" else " " for ch in printable(source[: span.column - 1]))
    caret = Text(" " * (len(gutter) - 2) + "| ", style="blue") + Text(prefix)
    caret.append("^" + "~" * max(0, width - 1), style="bold green")
    out.print(caret)
    if diagnostic.related:
        seen = ", ".join(f"{r.line}:{r.column}" for r in diagnostic.related)
        out.print(Text(" " * (len(gutter) - 2) + f"= figures involved: {seen}", style="dim"))
