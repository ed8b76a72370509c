"""A statement's facts as the checks see them: entities (facts sharing dimensions) and figures.

An entity is every fact of one statement with the same dimensions: one class
({class: A-1}), one group ({group: 1}), one cell of a matrix ({group: 1,
bucket: 30-59}), the deal ({}). Checks are stated over concepts and
dimensions, so they apply to any layout whose facts carry them.
"""
from __future__ import annotations

import functools
from decimal import Decimal
from typing import Callable, Iterable, Iterator, Mapping, Optional

import attrs

from ..ast import Fact, Statement
from ..concepts import concepts
from .knowledge import Knowledge
from .quantity import Quantity, printed, shape, tolerance

DimsKey = tuple[tuple[str, str], ...]


def dims_key(dims: Mapping[str, str]) -> DimsKey:
    return tuple(sorted(dims.items())) if len(dims) > 1 else tuple(dims.items())


@attrs.frozen
class Entity:
    key: DimsKey
    facts: Mapping[str, Fact]  # the first figure printed for each concept
    repeats: tuple[Fact, ...]  # figures printed again for a concept already seen
    # concept -> the Decimal value of its fact, for the facts that have one: checks ask it ~1,000 times a
    # statement (found from `facts` when not given; Context gathers it with the facts)
    numbers: Mapping[str, Decimal] = attrs.field(default=None, eq=False, repr=False)
    dims: Mapping[str, str] = attrs.field(init=False, eq=False, repr=False)  # the key as a mapping (read only)

    def __attrs_post_init__(self) -> None:
        if self.numbers is None:
            object.__setattr__(self, "numbers", {c: f.value for c, f in self.facts.items()
                                                 if f.value.__class__ is Decimal})
        object.__setattr__(self, "dims", dict(self.key))

    @property
    def name(self) -> str:
        return describe(self.key)

    def number(self, concept: str) -> Optional[Decimal]:
        return self.numbers.get(concept)


def describe(key: DimsKey) -> str:
    """How a message names an entity: `A-1`, `group 1`, `group total, bucket 30-59`, `the deal`."""
    dims = dict(key)
    if "class" in dims:
        rest = ", ".join(f"{k} {v}" for k, v in key if k != "class")
        return dims["class"] + (f" ({rest})" if rest else "")
    return ", ".join(f"{k} {v}" for k, v in key) or "the deal"


def label(concept: str) -> str:
    entry = concepts().get(concept)
    return entry.label[0].lower() + entry.label[1:] if entry else concept.replace("_", " ")


@attrs.define
class Context:
    statement: Statement
    knowledge: Knowledge
    entities: dict[DimsKey, Entity] = attrs.field(init=False)
    _quantities: dict[int, Quantity] = attrs.field(init=False, factory=dict)  # by fact, which the statement keeps alive
    _totals_rows: dict[DimsKey, Optional[Entity]] = attrs.field(init=False, factory=dict)
    # what Knowledge.is_total_member says of each (dimension, member), and is_total of each entity, asked
    # by several checks of each entity: answered once per statement
    _total_members: dict[tuple[str, str], bool] = attrs.field(init=False, factory=dict)
    _totals: dict[DimsKey, bool] = attrs.field(init=False, factory=dict)
    _having: Optional[dict[str, list[Entity]]] = attrs.field(init=False, default=None)
    _roles: dict[str, frozenset[str]] = attrs.field(init=False, factory=dict)  # class_role by class name
    # digits the statement's largest figure needs (registry.arithmetic_for), found with the quantities
    digits: int = attrs.field(init=False, default=0)

    def __attrs_post_init__(self) -> None:
        """Entities, and every figure's quantity, in one pass over the facts: each fact's dims keyed once and
        its Decimal taken apart once, where the checks would ask for them again and again."""
        firsts: dict[DimsKey, dict[str, Fact]] = {}
        numbers: dict[DimsKey, dict[str, Decimal]] = {}
        repeats: dict[DimsKey, list[Fact]] = {}
        k = self.knowledge
        quantities = self._quantities
        # a layout's facts often share one dims mapping: its key, facts and numbers, by the mapping's id
        entities: dict[int, tuple[DimsKey, dict[str, Fact], dict[str, Decimal]]] = {}
        digits = 0
        exact_concepts, exact_units, truncated_units = k.exact_concepts, k.exact_units, k.truncated_units
        for fact in self.statement.facts:
            value, concept = fact.value, fact.concept
            if value.__class__ is Decimal and value.is_finite():
                places, needs = shape(value)
                if needs > digits:
                    digits = needs
                if concept is not None:
                    unit = fact.unit
                    quantities[id(fact)] = Quantity(value, tolerance(places, concept in exact_concepts
                                                                     or unit in exact_units, unit in truncated_units),
                                                    places)
            if concept is None:  # a figure the dictionary does not name (generic reader): nothing to check
                continue
            entity = entities.get(id(fact.dims))
            if entity is None:
                key = dims_key(fact.dims)
                if key not in firsts:
                    firsts[key], numbers[key] = {}, {}
                entity = entities[id(fact.dims)] = (key, firsts[key], numbers[key])
            key, seen, known = entity
            if concept in seen:
                repeats.setdefault(key, []).append(fact)
            else:
                seen[concept] = fact
                if value.__class__ is Decimal:
                    known[concept] = value
        self.entities = {key: Entity(key, v, tuple(repeats.get(key, ())), numbers[key]) for key, v in firsts.items()}
        self.digits = digits

    def quantity(self, fact: Fact) -> Quantity:
        known = self._quantities.get(id(fact))
        if known is None:
            k = self.knowledge
            exact = fact.concept in k.exact_concepts or fact.unit in k.exact_units
            known = self._quantities[id(fact)] = printed(fact.value, exact, fact.unit in k.truncated_units)
        return known

    def having(self, concept: str) -> list[Entity]:
        """The entities with a figure of `concept`, in the order of `entities`: a rule's check starts from
        its concept instead of walking every entity (indexed once per statement, when first asked)."""
        index = self._having
        if index is None:
            index = self._having = {}
            for entity in self.entities.values():
                for c in entity.facts:
                    found = index.get(c)
                    if found is None:
                        index[c] = [entity]
                    else:
                        found.append(entity)
        return index.get(concept, [])

    def entity(self, dims: Mapping[str, str]) -> Optional[Entity]:
        return self.entities.get(dims_key(dims))

    def classes(self) -> Iterator[Entity]:
        """Entities of one class each (totals rows included)."""
        dim = self.knowledge.class_dim
        return (e for e in self.entities.values() if dim in e.dims)

    def is_total_member(self, dim: str, value: str) -> bool:
        known = self._total_members.get((dim, value))
        if known is None:
            known = self._total_members[dim, value] = self.knowledge.is_total_member(dim, value)
        return known

    def is_total(self, entity: Entity) -> bool:
        known = self._totals.get(entity.key)
        if known is None:
            known = self._totals[entity.key] = any(self.is_total_member(d, v) for d, v in entity.key)
        return known

    def totals_row(self, scope: Mapping[str, str]) -> Optional[Entity]:
        """The totals row of the classes on `scope`: a class named Total, or the scope's own figures."""
        key = dims_key(scope)
        rows = self._totals_rows
        if key not in rows:  # asked once per entity by the share checks: found once per scope
            dim = self.knowledge.class_dim
            rows[key] = next((e for e in self.classes() if self.is_total(e)
                              and {d: v for d, v in e.key if d != dim} == dict(scope)), None) or self.entity(scope)
        return rows[key]

    @functools.cached_property
    def notional(self) -> dict[str, str]:
        """Notional classes by name, with the rule that recognised each."""
        k = self.knowledge
        found: dict[str, str] = {}
        for entity in self.classes():
            name = entity.dims[k.class_dim]
            if self.is_total(entity):
                continue
            why = notional_reason(entity, name, k)
            if why:
                found[name] = why
        return found

    def class_role(self, entity: Entity) -> frozenset[str]:
        """"notional" and/or "residual", or nothing: found once per class of a statement (each totals row
        asks it of every class)."""
        name = entity.dims[self.knowledge.class_dim]
        known = self._roles.get(name)
        if known is None:
            roles = set()
            if name in self.notional:
                roles.add("notional")
            if self.knowledge.residual_name.match(name.strip()):
                roles.add("residual")
            known = self._roles[name] = frozenset(roles)
        return known


def notional_reason(entity: Entity, name: str, k: Knowledge) -> Optional[str]:
    if k.notional_name.search(name):
        return "its name marks an interest-only class"
    zero = Decimal(0)
    begin, end = entity.number("beginning_balance"), entity.number("ending_balance")
    principal, loss = entity.number("principal_distribution"), entity.number("realized_loss")
    if (k.falls_without_principal and begin is not None and end is not None and end < begin
            and principal == zero and (loss or zero) == zero and "principal_distribution" in entity.facts):
        return "its balance falls while no principal is paid and no loss is allocated"
    original, interest = entity.number("original_balance"), entity.number("interest_distribution")
    if (k.interest_without_balance and original == zero and (begin or zero) == zero
            and interest is not None and interest > zero):
        return "it is paid interest without ever having a balance"
    return None


def rules_of(kind: str, apply: Callable[["Context", object], Iterable]) -> Callable[[str], Callable]:
    """A check made of the rules of one kind in the data (identities, equalities, shares) that name it."""
    def bind(check_id: str):
        def run(ctx: Context) -> Iterator:
            for rule in getattr(ctx.knowledge, kind):
                if rule.check == check_id:
                    yield from apply(ctx, rule)
        run.__name__ = check_id
        return run
    return bind
