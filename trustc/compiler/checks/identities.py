"""Identities within one entity: result = signed sum of terms (roll-forwards, totals of a row)."""
from __future__ import annotations

from typing import Iterator

from .context import Context, Entity, label, rules_of
from .knowledge import Identity
from .quantity import ZERO, Quantity, mismatch, show
from .report import Report, arithmetic, figure, finding, note


def identity(ctx: Context, rule: Identity) -> Iterator[Report]:
    # a rule requires its result (data/checks.toml): only the entities that print it can hold
    for entity in ctx.having(rule.result) if rule.result in rule.require else ctx.entities.values():
        if rule.require <= entity.facts.keys() and not (rule.unless & entity.facts.keys()):
            yield from apply(ctx, entity, rule)


identities = rules_of("identities", identity)


def apply(ctx: Context, entity: Entity, rule: Identity) -> Iterator[Report]:
    facts, numbers = entity.facts, entity.numbers
    result = facts[rule.result]
    if rule.result not in numbers or not rule.require <= numbers.keys():
        return
    # the signed sum of the terms, as adding each term's Quantity (or its negation) to ZERO gives it
    value, tolerance, places, used = ZERO.value, ZERO.tolerance, ZERO.places, []
    for sign, concept in rule.terms:
        fact = facts.get(concept)
        if fact is None:
            continue
        used.append((sign, fact))
        if concept in numbers:
            q = ctx.quantity(fact)
            value = value + (q.value if sign > 0 else -q.value)
            tolerance = tolerance + q.tolerance
            if q.places > places:
                places = q.places
    expected = Quantity(value, tolerance, places)
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
