"""Account balances a party to the deal affirms in the items of a Form 10-D (Part II, Item 9).

A CMBS 10-D's "Other Information" often lists the balances of the accounts the master
servicer and the certificate administrator keep, account by account: a label line, then
the balance on the prior and on the current distribution date, each with its date::

    Midland Loan Services, ..., in its capacity as Master Servicer for ... Trust 2016-P5,
    affirms the following amounts in the respective accounts:
    Collection Account Balance
      Prior Distribution Date:    12/12/2024   $11,700.00
      Current Distribution Date:  01/13/2025   $111,014.81

The grammar (form8k.lark) names each date line an ACCOUNT_BALANCE line; the label is the
text line right above a run of them (a short line, not a sentence: at most ten words, a
capital first, no full stop at its end). Each amount becomes an `account_balance` fact and each date a
`distribution_date` fact, with the dimensions

- `account`: the label as printed, without a final "Balance" and footnote marks
  ("*REO Account Balance" is the account "REO Account");
- `distribution`: `prior` or `current` (the line's caption);
- `distribution_date`: the date as printed on the line (absent if the line prints none);
- `reported_by`: the capacity the sentence before the accounts names ("in its capacity as
  Master Servicer"), if one does: two parties often list their own accounts.

The facts of one item make one statement (format `form-8k`, titled by the item's
heading, dated by the first current distribution date). A line whose amount or date is
missing gives what it prints plus a `missing-figure` warning; a run of lines with no label
above it gives an `unknown-label` warning and no facts, as any figure no map places.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

import attrs
from lark import Token

from .ast import Diagnostic, Field, Statement
from .columns import FIGURE, Cell
from .cover import kind
from .diagnostics import warning
from .numbers import find_date
from .tables import Row, Tables, whole_row

LINE_KIND = "ACCOUNT_BALANCE"
HEADINGS = frozenset({"ITEM_HEADING", "EXHIBITS_HEADING", "PART_HEADING", "EXHIBIT_INDEX_HEADING"})
CAPTION = re.compile(r"[\s|*]*(?P<when>Prior|Previous|Current)\s+Distribution\s+Date\s*:?", re.I)
# the balance: the first figure after the date, standing apart ("$ 11,700.00" prints its figure after the "$ ")
AMOUNT = re.compile(r"(?<![\w/.,$])(?:" + FIGURE.pattern + r")(?![\w/])")
# "in its capacity as Master Servicer for ...": the capitalised words of the capacity
CAPACITY = re.compile(r"(?i:\bin\s+its\s+capacity\s+as)\s+(?:the\s+)?(?P<role>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,4})")
LABEL_MARKS = " \t|*:"
BALANCE_WORD = re.compile(r"\s+Balance$", re.I)
MAX_LABEL_WORDS = 10


def account_label(token: Optional[Token]) -> Optional[str]:
    """The account a text line names, if it is a label (a few words, not a sentence), else None."""
    if token is None or kind(token) != "TEXT":
        return None
    text = " ".join(token.value.strip(LABEL_MARKS).split())
    if not text[:1].isupper() or text.endswith(".") or len(text.split()) > MAX_LABEL_WORDS:
        return None  # a sentence, or the end of one wrapped over lines ("respective accounts:")
    return text


@attrs.frozen
class BalanceLine:
    """One "Prior Distribution Date:  12/12/2024  $11,700.00" line: its caption, date and amount cells."""

    token: Token
    when: str  # prior | current
    caption: Cell
    date: Optional[Cell]
    amount: Optional[Cell]
    extra: tuple[Cell, ...] = ()  # figures after the amount: no account has two balances on one date

    @classmethod
    def read(cls, token: Token) -> "BalanceLine":
        text = token.value
        m = CAPTION.match(text)
        start = m.end()
        printed = text[m.start("when"):start].rstrip(" :")
        caption = Cell(printed, m.start("when"), m.start("when") + len(printed))
        date = None
        found = find_date(text[start:])
        if found is not None:
            _value, s, e = found
            date = Cell(text[start + s:start + e], start + s, start + e)
        # the first figure that is no part of the date, before it or after it ("$5.00 as of December 12, 2024")
        amounts = [Cell(a.group(), a.start(), a.end()) for a in AMOUNT.finditer(text, start)
                   if date is None or not date.overlaps(*a.span())]
        return cls(token, "current" if m.group("when").lower() == "current" else "prior", caption, date,
                   amounts[0] if amounts else None, tuple(amounts[1:]))


@attrs.define
class Run:
    """Balance lines one after the other, the account label above them and the party that reports them."""

    account: Optional[str]
    reported_by: Optional[str]
    lines: list[BalanceLine] = attrs.field(factory=list)


@attrs.define
class BalanceReader:
    """Reads the account-balance runs of the items, one statement per item that prints any balance."""

    format: str
    statements: list[Statement] = attrs.field(factory=list)
    diagnostics: list[Diagnostic] = attrs.field(factory=list)
    heading: Optional[Token] = None
    runs: list[Run] = attrs.field(factory=list)
    text_before: list[str] = attrs.field(factory=list)  # text lines since the last balance line
    reported_by: Optional[str] = None

    def read(self, tokens: Iterable[Token]) -> None:
        previous: Optional[Token] = None
        for token in tokens:
            k = kind(token)
            if k in HEADINGS:
                self.close()
                self.heading = token if k != "PART_HEADING" else None
                self.reported_by = None
                self.text_before = []
            elif k == LINE_KIND:
                if previous is None or kind(previous) != LINE_KIND:
                    self.start_run(previous)
                self.runs[-1].lines.append(BalanceLine.read(token))
                self.text_before = []
            elif k == "TEXT":
                self.text_before.append(token.value.strip())
            previous = token
        self.close()

    def start_run(self, previous: Optional[Token]) -> None:
        """A new run of balance lines: its account from the label line above it, its party from the
        sentence before the label (or the party of the runs before it)."""
        label = account_label(previous)
        found = CAPACITY.search(" ".join(self.text_before[:-1] if label is not None else self.text_before))
        if found:
            self.reported_by = found.group("role")
        self.runs.append(Run(label, self.reported_by))

    def close(self) -> None:
        """The statement of the item read so far. Its date lines are account balances if one of them
        prints an amount: an item that prints a date under such a caption and no balance is left as text."""
        runs, self.runs = self.runs, []
        if not any(line.amount is not None for run in runs for line in run.lines):
            return
        tables = Tables()
        for run in runs:
            for line in run.lines:
                self.place(tables, run, line)
        facts = tables.facts.facts
        self.diagnostics.extend(tables.facts.diagnostics)
        if facts:
            current = next((f for f in facts if f.concept == "distribution_date" and f.value is not None
                            and f.dims.get("distribution") == "current"), None)
            date = Field(current.value, current.raw, current.span) if current is not None else None
            title = " ".join(self.heading.value.split()) if self.heading is not None else "Account balances"
            self.statements.append(Statement(self.format, title, date, (), tuple(facts)))

    def place(self, tables: Tables, run: Run, line: BalanceLine) -> None:
        row = Row(line.token, line.caption, [c for c in (line.date, line.amount) if c is not None])
        if run.account is None:
            tables.unknown(row, "no account is named above it")
            return
        dims = {"account": BALANCE_WORD.sub("", run.account) or run.account, "distribution": line.when}
        if line.date is not None:
            dims["distribution_date"] = line.date.text
        if run.reported_by:
            dims["reported_by"] = run.reported_by
        placed = []
        if line.date is not None:
            placed.append((line.date, "distribution_date", line.caption.text, dims))
        if line.amount is not None:
            placed.append((line.amount, "account_balance", run.account, dims))
        tables.place(row, placed)
        for cell in line.extra:  # said, not dropped: the span shows where
            tables.facts.unplaced(cell, line.token.line, f"follows the balance of {run.account}, {line.caption.text}: "
                                  "one balance is read per date, so it is no fact")
        for cell, what in ((line.amount, "no balance"), (line.date, "no date")):
            if cell is None:  # the message names no line: in an HTML source the span's line is the one to trust
                self.diagnostics.append(warning(
                    "missing-figure", f"{run.account}, {line.caption.text}: {what} is printed", whole_row(line.token)))


def read_account_balances(tokens: Iterable[Token], format: str = "form-8k") -> tuple[list[Statement],
                                                                                   list[Diagnostic]]:
    """The statements of the account balances printed in these item lines, and the diagnostics."""
    tokens = list(tokens)
    if not any(t.type.endswith(LINE_KIND) for t in tokens):  # the usual 8-K: nothing to read
        return [], []
    reader = BalanceReader(format)
    reader.read(tokens)
    return reader.statements, reader.diagnostics
