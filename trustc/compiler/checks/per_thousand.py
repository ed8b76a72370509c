"""Per-$1,000 figures against their amounts and the class's original balance."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator, Optional

from .context import Context, Entity, label
from .quantity import THOUSAND, mismatch, printed, show
from .report import Report, arithmetic, figure, finding, note


def per_thousand(ctx: Context) -> Iterator[Report]:
    k = ctx.knowledge
    base, all_pairs = k.per_1000_base, k.per_1000_pairs.items()
    for entity in ctx.having(base):  # classes: groups and the deal have no original balance
        if base not in entity.numbers:
            continue
        pairs = [(p, a) for p, a in all_pairs if p in entity.facts]
        if not pairs:
            continue
        if ctx.is_total(entity) and k.totals_printed_as_zero:
            printed_zero = [entity.facts[p] for p, _a in pairs if entity.number(p) == 0]
            if printed_zero and len(printed_zero) == sum(entity.number(p) is not None for p, _a in pairs):
                yield note(f"{entity.name}: the totals row's per-$1,000 figures are printed as zero, as this "
                           f"report does for totals rows; they are not checked", printed_zero[0], printed_zero)
                continue
        for per_concept, amount_concept in pairs:
            report = one(ctx, entity, per_concept, amount_concept)
            if report is not None:
                yield report


def one(ctx: Context, entity: Entity, per_concept: str, amount_concept: str) -> Optional[Report]:
    k = ctx.knowledge
    per_fact, base_fact = entity.facts[per_concept], entity.facts[k.per_1000_base]
    amount_fact = entity.facts.get(amount_concept)
    per_value, base = entity.number(per_concept), entity.number(k.per_1000_base)
    if per_value is None:
        return None
    shown = ctx.quantity(per_fact)
    places = shown.places + 1
    if base == 0:
        name = entity.dims.get(k.class_dim)
        if name in ctx.notional:
            return None  # a notional class with no printed notional: the base of its ratios is not in the report
        expected = printed(Decimal(k.undefined_printed_as), exact=True)
        off = mismatch(expected, shown)
        if off:
            amount = f" (its {label(amount_concept)} is {figure(amount_fact)})" if amount_fact is not None else ""
            return finding(f"{entity.name}: {label(per_concept)} prints {figure(per_fact)}, but {entity.name} has "
                           f"no {label(k.per_1000_base)} ({figure(base_fact)}) to divide by{amount}: such a figure is "
                           f"printed as {show(expected.value, shown.places)}; "
                           + arithmetic(expected, shown, *off, places), per_fact, [base_fact, amount_fact])
        return None
    amount = entity.number(amount_concept)
    if amount_fact is None or amount is None:
        return None
    expected = ctx.quantity(amount_fact).ratio(ctx.quantity(base_fact), THOUSAND, places)
    off = mismatch(expected, shown)
    if off:
        return finding(f"{entity.name}: {label(per_concept)} does not match {label(amount_concept)} "
                       f"{figure(amount_fact)} / {label(k.per_1000_base)} {figure(base_fact)} × 1,000; "
                       + arithmetic(expected, shown, *off, places), per_fact, [amount_fact, base_fact])
    return None
