"""Per-$1,000 figures against their amounts and the class's original balance."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from .context import Context, Entity, label
from .quantity import THOUSAND, mismatch, printed, show
from .report import Report, arithmetic, figure, finding, note


def per_thousand(ctx: Context) -> Iterator[Report]:
    k = ctx.knowledge
    for entity in ctx.entities.values():
        base_fact = entity.facts.get(k.per_1000_base)
        pairs = [(p, a) for p, a in k.per_1000_pairs.items() if p in entity.facts]
        if base_fact is None or entity.number(k.per_1000_base) is None or not pairs:
            continue
        if ctx.is_total(entity) and k.totals_printed_as_zero:
            printed_zero = [entity.facts[p] for p, _a in pairs if entity.number(p) == 0]
            if printed_zero and len(printed_zero) == sum(entity.number(p) is not None for p, _a in pairs):
                yield note(f"{entity.name}: the totals row's per-$1,000 figures are printed as zero, as this "
                           f"report does for totals rows; they are not checked", printed_zero[0], printed_zero)
                continue
        for per_concept, amount_concept in pairs:
            yield from one(ctx, entity, per_concept, amount_concept)


def one(ctx: Context, entity: Entity, per_concept: str, amount_concept: str) -> Iterator[Report]:
    k = ctx.knowledge
    per_fact, base_fact = entity.facts[per_concept], entity.facts[k.per_1000_base]
    amount_fact = entity.facts.get(amount_concept)
    per_value, base = entity.number(per_concept), entity.number(k.per_1000_base)
    if per_value is None:
        return
    shown = ctx.quantity(per_fact)
    places = shown.places + 1
    what = f"{entity.name}: {label(per_concept)}"
    if base == 0:
        name = entity.dims.get(k.class_dim)
        if name in ctx.notional:
            return  # a notional class with no printed notional: the base of its ratios is not in the report
        expected = printed(Decimal(k.undefined_printed_as), exact=True)
        off = mismatch(expected, shown)
        if off:
            amount = f" (its {label(amount_concept)} is {figure(amount_fact)})" if amount_fact is not None else ""
            yield finding(f"{what} prints {figure(per_fact)}, but {entity.name} has no {label(k.per_1000_base)} "
                          f"({figure(base_fact)}) to divide by{amount}: such a figure is printed as "
                          f"{show(expected.value, shown.places)}; " + arithmetic(expected, shown, *off, places),
                          per_fact, [base_fact, amount_fact])
        return
    amount = entity.number(amount_concept)
    if amount_fact is None or amount is None:
        return
    expected = ctx.quantity(amount_fact).ratio(ctx.quantity(base_fact), THOUSAND, places)
    off = mismatch(expected, shown)
    if off:
        yield finding(f"{what} does not match {label(amount_concept)} {figure(amount_fact)} / "
                      f"{label(k.per_1000_base)} {figure(base_fact)} × 1,000; "
                      + arithmetic(expected, shown, *off, places), per_fact, [amount_fact, base_fact])
