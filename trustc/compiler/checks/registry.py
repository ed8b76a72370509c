"""Every check, registered here and only here: id, one-line description, default severity."""
from __future__ import annotations

from decimal import Context as DecimalContext, Decimal, getcontext, localcontext
from typing import Callable, Iterable, Iterator

from attrs import frozen

from ..ast import Diagnostic, Statement
from ..diagnostics import ERROR, INFO, WARNING
from .collateral import equalities, overcollateralization, repeated_figures
from .context import Context
from .identities import identities
from .knowledge import Knowledge, knowledge
from .per_thousand import per_thousand
from .report import Report
from .shares import shares
from .totals import class_totals, dimension_totals


@frozen
class Check:
    id: str
    description: str
    severity: str
    run: Callable[[Context], Iterable[Report]]


CHECKS: tuple[Check, ...] = (
    Check("class-roll-forward", "beginning balance − principal − realized loss + deferred interest + non-cash balance "
          "change (CMBS) = ending balance, "
          "per class (notional classes are noted, not checked)", WARNING, identities("class-roll-forward")),
    Check("distribution-total", "interest + principal = total distribution, in dollars and per $1,000",
          WARNING, identities("distribution-total")),
    Check("per-1000", "a per-$1,000 figure = its amount / the original balance × 1,000 (printed 0 when there is no "
          "original balance)", WARNING, per_thousand),
    Check("class-totals", "a totals row = the sum of the classes it covers (the subset is found and noted)",
          WARNING, class_totals),
    Check("group-roll-forward", "collateral beginning balance − principal components − realized losses = ending "
          "balance, and beginning loan count − loans paid off + loans added = ending count, per group",
          WARNING, identities("group-roll-forward")),
    Check("remittance-total", "principal components add up to total principal; scheduled interest less its "
          "deductions is the interest remittance", WARNING, identities("remittance-total")),
    Check("group-total", "the groups add up to the TOTAL column, figure by figure", WARNING,
          dimension_totals("group-total")),
    Check("delinquency-total", "delinquency buckets add up to a printed total bucket", WARNING,
          dimension_totals("delinquency-total")),
    Check("pool-percentage", "a delinquency or loan-status percentage = its amount (or count) / the group's pool "
          "balance (or loan count) × 100", WARNING, shares("pool-percentage")),
    Check("pool-factor", "the pool factor = the collateral balance / the certificates' original balance × 100",
          WARNING, shares("pool-factor")),
    Check("loan-status", "outstanding loans (count and balance) = the group's ending loan count and balance",
          WARNING, equalities("loan-status")),
    Check("collateral-balance", "aggregate collateral balance, loan count and realized losses = the sum over the "
          "groups", WARNING, equalities("collateral-balance")),
    Check("overcollateralization", "overcollateralization = collateral balance − certificate balances (0 when "
          "the report prints none)",
          WARNING, overcollateralization),
    Check("repeated-figure", "a figure printed twice prints the same value", WARNING, repeated_figures),
)


def check_statement(statement: Statement, checks: Iterable[Check] = CHECKS,
                    known: Knowledge | None = None) -> Iterator[Diagnostic]:
    ctx = Context(statement, known or knowledge())
    with localcontext(arithmetic(ctx.digits)):  # a list: a generator would leak the context to its caller
        found = list(_run(ctx, statement, checks))
    yield from found


def arithmetic_for(statement: Statement) -> DecimalContext:
    """Decimal precision enough for this statement's figures to add, divide and print exactly.

    The default 28 digits hold every real report; a 30-digit figure would be rounded
    in a sum, and `quantize` would raise InvalidOperation while printing it.
    """
    digits = max((len(t.digits) + max(t.exponent, 0) for t in (f.value.as_tuple() for f in statement.facts
                  if isinstance(f.value, Decimal) and f.value.is_finite())), default=0)
    return arithmetic(digits)


def arithmetic(digits: int) -> DecimalContext:
    """The arithmetic for figures of at most `digits` digits (Context.digits counts them with the quantities)."""
    return DecimalContext(prec=max(getcontext().prec, digits + 12))  # sums of many figures stay exact


def _run(ctx: Context, statement: Statement, checks: Iterable[Check]) -> Iterator[Diagnostic]:
    for check in checks:
        reports = []
        try:
            reports.extend(check.run(ctx))
        except Exception as exc:  # a bug in one check costs that check's findings, not the statement
            where = statement.facts[0].span if statement.facts else None
            yield Diagnostic(ERROR, "internal-error", f"check {check.id} failed on {statement.title!r}: "
                             f"{type(exc).__name__}: {exc}", where)
        for report in reports:
            severity = INFO if report.note else check.severity
            yield Diagnostic(severity, check.id, report.message, report.span, report.related)


def check_statements(statements: Iterable[Statement]) -> list[Diagnostic]:
    return [d for s in statements for d in check_statement(s)]
