"""Figures of different tables that state one amount: loan status, collateral, overcollateralization."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator, Optional

from ..ast import Fact
from .context import Context, Entity, describe, dims_key, label, rules_of
from .knowledge import Equality
from .quantity import mismatch, printed, show, total
from .report import Report, arithmetic, figure, finding


def members(ctx: Context, concept: str, dims: dict, over: str) -> list[Fact]:
    """`concept` of every member of dimension `over` (its total member excepted) on `dims`."""
    found = []
    for entity in ctx.entities.values():
        edims = entity.dims
        if (over in edims and concept in entity.numbers and not ctx.is_total_member(over, edims[over])
                and {d: v for d, v in edims.items() if d != over} == dims):
            found.append(entity.facts[concept])
    return found


def counterpart(ctx: Context, concept: str, dims: dict, over: Optional[str]) -> list[Fact]:
    """The facts whose sum `concept` on `dims` should equal: summed over `over` when it is printed by member."""
    if over and over not in dims:
        parts = members(ctx, concept, dims, over)
        if parts:
            return parts
    entity = ctx.entity(dims)
    return [entity.facts[concept]] if entity is not None and entity.number(concept) is not None else []


def equality(ctx: Context, rule: Equality) -> Iterator[Report]:
    for entity in ctx.having(rule.left.concept):
        dims = entity.dims
        fact = entity.facts[rule.left.concept]
        if entity.number(rule.left.concept) is None:
            continue
        if any(dims.get(d) != v for d, v in rule.left.dims.items()):
            continue
        rest = {d: v for d, v in dims.items() if d not in rule.left.dims}
        rest.update(rule.right.dims)
        parts = counterpart(ctx, rule.right.concept, rest, rule.sum_over)
        if not parts:
            continue
        yield from compare(ctx, fact, entity, rule.right.concept, parts)


equalities = rules_of("equalities", equality)


def compare(ctx: Context, fact: Fact, entity: Entity, concept: str, parts: list[Fact], why: str = "") -> Iterator[Report]:
    expected = total(ctx.quantity(f) for f in parts)
    actual = ctx.quantity(fact)
    off = mismatch(expected, actual)
    if off is None:
        return
    source = " + ".join(f"{describe(dims_key(f.dims))} {figure(f)}" for f in parts) if len(parts) > 1 else figure(parts[0])
    yield finding(f"{entity.name}: {label(fact.concept)} is not the {label(concept)} printed elsewhere "
                  f"({source}){why}; " + arithmetic(expected, actual, *off, max(expected.places, actual.places)),
                  fact, parts)


def overcollateralization(ctx: Context) -> Iterator[Report]:
    """overcollateralization = collateral − certificates, on the deal."""
    k = ctx.knowledge
    oc = k.overcollateralization
    if not oc:
        return
    over = oc.get("sum_over")
    amount = counterpart(ctx, oc["amount"], {}, over)
    collateral: list[Fact] = []
    for concept in oc["collateral"]:
        collateral = counterpart(ctx, concept, {}, over)
        if collateral:
            break
    unprinted = oc.get("unprinted_amount")
    if not collateral or not (amount or unprinted is not None):
        return
    certificates = [e for e in ctx.classes() if not ctx.is_total(e) and not ctx.class_role(e)
                    and e.number(oc["certificates"]) is not None]
    if not certificates:
        return
    scopes: dict[tuple, list[Entity]] = {}
    for e in certificates:
        scopes.setdefault(tuple((d, v) for d, v in e.key if d != k.class_dim), []).append(e)
    actual = total(ctx.quantity(f) for f in amount) if amount else printed(Decimal(unprinted), exact=True)
    tried = []
    for scope in scopes.values():
        bonds = [e.facts[oc["certificates"]] for e in scope]
        expected = total(ctx.quantity(f) for f in collateral) - total(ctx.quantity(f) for f in bonds)
        if mismatch(expected, actual) is None:
            return
        tried.append((expected, bonds, scope))
    expected, bonds, scope = tried[-1]
    off = mismatch(expected, actual)
    places = max(expected.places, actual.places)
    names = ", ".join(e.name for e in scope) if len(scope) <= 8 else f"{len(scope)} classes"
    coll = " + ".join(figure(f) for f in collateral)
    bond_total = total(ctx.quantity(f) for f in bonds)
    which = (f"the {label(oc['certificates'])} of {names}: every class but the notional, residual and totals "
             f"rows")
    if not amount:  # the collateral is found wrong against the certificates
        expected_collateral = bond_total + actual
        collateral_total = total(ctx.quantity(f) for f in collateral)
        yield finding(f"collateral {coll} is not the certificates' {show(bond_total.value, bond_total.places)} "
                      f"({which}) plus the {label(oc['amount'])}, which this report does not print (taken as "
                      f"{unprinted}); " + arithmetic(expected_collateral, collateral_total,
                                                     *mismatch(expected_collateral, collateral_total), places),
                      collateral[0], [*collateral[1:], *bonds])
        return
    yield finding(f"{label(oc['amount'])} is not collateral {coll} − certificates "
                  f"{show(bond_total.value, bond_total.places)} ({which}); "
                  + arithmetic(expected, actual, *off, places), amount[0], [*amount, *collateral, *bonds])


def repeated_figures(ctx: Context) -> Iterator[Report]:
    for entity in ctx.entities.values():
        for again in entity.repeats:
            first = entity.facts[again.concept]
            if isinstance(first.value, type(again.value)) and first.value != again.value:
                yield finding(f"{entity.name}: {label(again.concept)} is printed twice with different values: "
                              f"{figure(first)} at line {first.span.line} and {figure(again)} here", again, [first])
