"""Totals: a totals row against the classes it covers; a total member of a dimension against the rest."""
from __future__ import annotations

import itertools
from collections import Counter
from decimal import Decimal
from typing import Iterator, Optional

from ..ast import Fact
from .context import Context, DimsKey, Entity, describe, dims_key, label
from .quantity import mismatch, total
from .report import Report, arithmetic, figure, finding, note

# Subsets tried per column before giving up: keeps a failing column of a wide table cheap.
SEARCH_BUDGET = 20_000


def class_totals(ctx: Context) -> Iterator[Report]:
    dim = ctx.knowledge.class_dim
    scopes: dict[DimsKey, list[Entity]] = {}
    for entity in ctx.classes():
        scopes.setdefault(dims_key({d: v for d, v in entity.key if d != dim}), []).append(entity)
    for scope, members in scopes.items():
        classes = [e for e in members if not ctx.is_total(e)]
        for row in members:
            if ctx.is_total(row):
                yield from totals_row(ctx, row, classes, row.name)
        # A totals row some layouts print without a class: the class concepts on the scope itself.
        whole = ctx.entities.get(scope)
        concepts = {c for e in classes for c in e.facts}
        if whole is not None and concepts & whole.facts.keys():
            row = Entity(scope, {c: f for c, f in whole.facts.items() if c in concepts}, ())
            yield from totals_row(ctx, row, classes, "totals row" + (f" ({describe(scope)})" if scope else ""))


def totals_row(ctx: Context, row: Entity, classes: list[Entity], name: str) -> Iterator[Report]:
    k = ctx.knowledge
    dim = k.class_dim
    by_name = [(e.dims[dim], e) for e in classes]
    roles = {n: ctx.class_role(e) for n, e in by_name}
    named: dict[frozenset[str], str] = {}
    for coverage in k.coverages:  # the first name of a set of classes is its simplest
        named.setdefault(frozenset(n for n, r in roles.items() if r & set(coverage)), " and ".join(coverage))
    found: dict[str, frozenset[str]] = {}
    failed: list[str] = []
    for concept, fact in row.facts.items():
        if fact.unit not in k.additive_units or concept not in row.numbers:
            continue
        terms = {n: e.facts[concept] for n, e in by_name if concept in e.numbers}
        if not terms:
            continue
        left_out = cover(ctx, fact, terms, list(dict.fromkeys([*found.values(), *named])), k.max_left_out)
        if left_out is None:
            failed.append(concept)
        else:
            found[concept] = left_out
    usual = Counter(found.values()).most_common(1)
    usual_left_out = usual[0][0] if usual else frozenset()
    for concept in failed:
        fact = row.facts[concept]
        terms = {n: e.facts[concept] for n, e in by_name if concept in e.numbers}
        used = [f for n, f in terms.items() if n not in usual_left_out]
        expected = total(ctx.quantity(f) for f in used)
        actual = ctx.quantity(fact)
        off = mismatch(expected, actual)
        places = max(expected.places, actual.places)
        which = covered(usual_left_out, named, terms)
        yield finding(f"{name}: {label(concept)} is not the sum of the classes this row covers ({which}), nor "
                      f"of any set leaving out at most {k.max_left_out} classes; "
                      + arithmetic(expected, actual, *off, places), fact, used)
    by_cover: dict[str, list[str]] = {}
    for concept, left_out in found.items():
        nonzero = {n: e.facts[concept] for n, e in by_name if e.numbers.get(concept)}
        if left_out & nonzero.keys():
            by_cover.setdefault(covered(left_out, named, nonzero), []).append(concept)
    for which, concepts in by_cover.items():
        facts = [row.facts[c] for c in concepts]
        yield note(f"{name}: this totals row's {', '.join(label(c) for c in concepts)} "
                   f"add{'s' if len(concepts) == 1 else ''} up {which}", facts[0], facts)


def covered(left_out: frozenset[str], named: dict[frozenset[str], str], terms) -> str:
    """Which classes a coverage sums, in words: `every class but the notional ones (A-IO, B-IO)`."""
    if not left_out:
        return "every class"
    shown = ", ".join(n for n in terms if n in left_out) or ", ".join(sorted(left_out))
    if left_out in named:
        return f"every class but the {named[left_out]} ones ({shown})"
    return f"every class but {shown}"


def cover(ctx: Context, fact: Fact, terms: dict[str, Fact], tried: list[frozenset[str]],
          max_left_out: int) -> Optional[frozenset[str]]:
    """The classes a totals figure leaves out: a named coverage first, then the fewest left out."""
    # Integers in the smallest printed unit make the search cheap and exact.
    quantity = ctx.quantity
    quantities = [(n, quantity(f)) for n, f in terms.items()]
    actual = quantity(fact)
    places = max(actual.places, max(q.places for _n, q in quantities))
    scale = Decimal(1).scaleb(places + 1)  # one more digit: tolerances are half units
    tolerances: dict[Decimal, int] = {}  # a column's figures share a few tolerances

    def scaled(tolerance: Decimal) -> int:
        found = tolerances.get(tolerance)
        if found is None:
            found = tolerances[tolerance] = int(tolerance * scale)
        return found

    value = {n: (int(q.value * scale), scaled(q.tolerance)) for n, q in quantities}
    target, target_tol = int(actual.value * scale), scaled(actual.tolerance)
    whole = sum(v for v, _t in value.values())
    whole_tol = sum(t for _v, t in value.values()) + target_tol

    def fits(left_out) -> bool:
        left, left_tol = 0, 0
        for n in left_out:
            v, t = value[n]
            left += v
            left_tol += t
        return abs(whole - left - target) <= whole_tol - left_tol

    for left_out in tried:
        if fits(left_out & value.keys()):
            return left_out
    candidates = [n for n, (v, _t) in value.items() if v]
    budget = SEARCH_BUDGET
    for size in range(1, min(max_left_out, len(candidates)) + 1):
        for left_out in itertools.combinations(candidates, size):
            budget -= 1
            if budget < 0:
                return None
            if fits(left_out):
                return frozenset(left_out)
    return None


def dimension_totals(check_id: str):
    def run(ctx: Context) -> Iterator[Report]:
        for dim, (totals, units, check) in ctx.knowledge.dimension_totals.items():
            if check == check_id:
                yield from along(ctx, dim, units)
    run.__name__ = check_id
    return run


def along(ctx: Context, dim: str, units) -> Iterator[Report]:
    """Each total member of `dim` against the sum of the other members, figure by figure."""
    lines: dict[tuple, tuple[list[Fact], list[Fact]]] = {}  # (concept, the rest of the key) -> (totals, members)
    for entity in ctx.entities.values():
        dims = entity.dims
        if dim not in dims:
            continue
        rest = tuple((d, v) for d, v in entity.key if d != dim)  # the key less `dim`, still sorted
        side = 0 if ctx.is_total_member(dim, dims[dim]) else 1
        numbers = entity.numbers
        for concept, fact in entity.facts.items():
            if concept in numbers and fact.unit in units:
                slot = lines.get((concept, rest))
                if slot is None:
                    slot = lines[concept, rest] = ([], [])
                slot[side].append(fact)
    for (concept, rest), (totals, members) in lines.items():
        if not members or not totals:  # nothing to add up, or no total to add up to
            continue
        expected = total(ctx.quantity(f) for f in members)
        for fact in totals:
            actual = ctx.quantity(fact)
            off = mismatch(expected, actual)
            if off:
                where = f" ({describe(rest)})" if rest else ""
                parts = " + ".join(f"{fact_dim(f, dim)} {figure(f)}" for f in members)
                yield finding(f"{fact_dim(fact, dim)}{where}: {label(concept)} is not the sum of the other "
                              f"{dim}s: {parts}; "
                              + arithmetic(expected, actual, *off, max(expected.places, actual.places)),
                              fact, members)


def fact_dim(fact: Fact, dim: str) -> str:
    return f"{dim} {fact.dims[dim]}"
