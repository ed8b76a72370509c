"""The knowledge the checks need, read from `data/checks.toml` (see the comments there)."""
from __future__ import annotations

import functools
import re
from typing import Any, Mapping

from attrs import frozen

from ..concepts import DATA_DIR, tomllib

DATA_FILE = DATA_DIR / "checks.toml"


@frozen
class Identity:
    check: str
    result: str
    terms: tuple[tuple[int, str], ...]  # (+1 or -1, concept)
    require: frozenset[str]
    unless: frozenset[str]
    skip_notional: bool


@frozen
class Selector:
    concept: str
    dims: Mapping[str, str]


@frozen
class Equality:
    check: str
    left: Selector
    right: Selector
    sum_over: str | None


@frozen
class Share:
    check: str
    result: str
    part: str
    whole: str
    whole_dims: frozenset[str]
    whole_from_totals_row: bool
    scale: int


@frozen
class Knowledge:
    exact_concepts: frozenset[str]
    exact_units: frozenset[str]
    truncated_units: frozenset[str]
    class_dim: str
    total_name: re.Pattern
    residual_name: re.Pattern
    notional_name: re.Pattern
    falls_without_principal: bool
    interest_without_balance: bool
    per_1000_base: str
    per_1000_pairs: Mapping[str, str]
    undefined_printed_as: str
    totals_printed_as_zero: bool
    coverages: tuple[tuple[str, ...], ...]
    max_left_out: int
    additive_units: frozenset[str]
    dimension_totals: Mapping[str, tuple[frozenset[str], frozenset[str], str]]  # dim -> (totals, units, check)
    identities: tuple[Identity, ...]
    equalities: tuple[Equality, ...]
    shares: tuple[Share, ...]
    overcollateralization: Mapping[str, Any]

    def is_total_member(self, dim: str, value: str) -> bool:
        if dim == self.class_dim:
            return bool(self.total_name.match(value.strip()))
        entry = self.dimension_totals.get(dim)
        return entry is not None and value.strip().lower() in entry[0]


def _selector(table: Mapping[str, Any]) -> Selector:
    return Selector(table["concept"], dict(table.get("dims", {})))


def parse(data: Mapping[str, Any]) -> Knowledge:
    rounding, classes, notional = data["rounding"], data["classes"], data["notional"]
    per_1000, totals = data["per_1000"], data["class_totals"]
    identities = tuple(
        Identity(
            entry["check"], entry["result"],
            tuple((-1 if term[0] == "-" else 1, term.lstrip("+-")) for term in entry["terms"]),
            frozenset(entry.get("require", ())), frozenset(entry.get("unless", ())),
            bool(entry.get("skip_notional", False)),
        )
        for entry in data.get("identity", ())
    )
    equalities = tuple(
        Equality(entry["check"], _selector(entry["left"]), _selector(entry["right"]), entry.get("sum_over"))
        for entry in data.get("equality", ())
    )
    shares = tuple(
        Share(entry["check"], entry["result"], entry["part"], entry["whole"], frozenset(entry.get("whole_dims", ())),
              bool(entry.get("whole_from_totals_row", False)), int(entry.get("scale", 100)))
        for entry in data.get("share", ())
    )
    dimension_totals = {
        dim: (frozenset(v.lower() for v in entry["total"]), frozenset(entry["units"]), entry["check"])
        for dim, entry in data.get("dimension_totals", {}).items()
    }
    return Knowledge(
        exact_concepts=frozenset(rounding.get("exact_concepts", ())),
        exact_units=frozenset(rounding.get("exact_units", ())),
        truncated_units=frozenset(rounding.get("truncated_units", ())),
        class_dim=classes["dimension"],
        total_name=re.compile(classes["total_name"]),
        residual_name=re.compile(classes["residual_name"]),
        notional_name=re.compile(notional["name"]),
        falls_without_principal=bool(notional.get("falls_without_principal", False)),
        interest_without_balance=bool(notional.get("interest_without_balance", False)),
        per_1000_base=per_1000["base"],
        per_1000_pairs=dict(per_1000["pairs"]),
        undefined_printed_as=str(per_1000.get("undefined_printed_as", "0")),
        totals_printed_as_zero=bool(per_1000.get("totals_printed_as_zero", False)),
        coverages=tuple(tuple(c) for c in totals.get("coverages", ([],))),
        max_left_out=int(totals.get("max_left_out", 0)),
        additive_units=frozenset(totals.get("additive_units", ("usd", "count"))),
        dimension_totals=dimension_totals,
        identities=identities,
        equalities=equalities,
        shares=shares,
        overcollateralization=dict(data.get("overcollateralization", {})),
    )


@functools.lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    with open(DATA_FILE, "rb") as handle:
        return parse(tomllib.load(handle))
