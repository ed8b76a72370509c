"""Identities within one entity: result = signed sum of terms (roll-forwards, totals of a row)."""
from __future__ import annotations

from typing import Iterator

from .context import Context, Entity, label, rules_of
from .knowledge import Identity
from .quantity import ZERO, mismatch, show
from .report import Report, arithmetic, figure, finding, note


def identity(ctx: Context, rule: Identity) -> Iterator[Report]:
    for entity in ctx.entities.values():
        if rule.require <= entity.facts.keys() and not (rule.unless & entity.facts.keys()):
            yield from apply(ctx, entity, rule)


identities = rules_of("identities", identity)


def apply(ctx: Context, entity: Entity, rule: Identity) -> Iterator[Report]:
    result = entity.facts[rule.result]
    if entity.number(rule.result) is None or any(entity.number(c) is None for c in rule.require):
        return
    expected, used = ZERO, []
    for sign, concept in rule.terms:
        fact = entity.facts.get(concept)
        if fact is None:
            continue
        used.append((sign, fact))
        if entity.number(concept) is not None:
            q = ctx.quantity(fact)
            expected = expected + (q if sign > 0 else -q)
    actual = ctx.quantity(result)
    off = mismatch(expected, actual)
    if off is None:
        return
    name = entity.dims.get(ctx.knowledge.class_dim)
    formula = " ".join(f"{'−' if sign < 0 else '+'} {label(f.concept)} {figure(f)}" for sign, f in used).lstrip("+ ")
    used = [f for _sign, f in used]
    places = max(expected.places, actual.places)
    if rule.skip_notional and name in ctx.notional:
        yield note(f"{entity.name} is notional ({ctx.notional[name]}): its {label(rule.result)} "
                   f"{show(actual.value, actual.places)} differs from {formula} = {show(expected.value, places)} "
                   f"by {show(off[0], places)}, as a notional balance steps down without principal; "
                   f"no roll-forward applies", result, used)
        return
    yield finding(f"{entity.name}: {label(rule.result)} does not add up: {formula}; "
                  + arithmetic(expected, actual, *off, places), result, used)
