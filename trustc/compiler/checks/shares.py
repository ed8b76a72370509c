"""Shares of the pool: a delinquency or loan-status percentage, a pool factor, against the amounts they divide."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from .context import Context, label, rules_of
from .quantity import mismatch
from .report import Report, arithmetic, figure, finding


def share(ctx: Context, rule) -> Iterator[Report]:
    for entity in ctx.having(rule.result):
        result, part = entity.facts[rule.result], entity.facts.get(rule.part)
        if result is None or part is None or entity.number(rule.result) is None or entity.number(rule.part) is None:
            continue
        scope = {d: v for d, v in entity.key if d in rule.whole_dims}
        whole_entity = ctx.totals_row(scope) if rule.whole_from_totals_row else ctx.entity(scope)
        if whole_entity is None or not whole_entity.number(rule.whole):
            continue
        whole = whole_entity.facts[rule.whole]
        actual = ctx.quantity(result)
        places = actual.places + 1
        expected = ctx.quantity(part).ratio(ctx.quantity(whole), Decimal(rule.scale), places)
        off = mismatch(expected, actual)
        if off:
            yield finding(f"{entity.name}: {label(rule.result)} does not match {label(rule.part)} {figure(part)} / "
                          f"{label(rule.whole)} {figure(whole)} × {rule.scale}; "
                          + arithmetic(expected, actual, *off, places), result, [part, whole])


shares = rules_of("shares", share)
