"""Property: any statement rendered by the statement emitter compiles back to the same facts."""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import trustc
from trustc.compiler.ast import ClassBalance, Compilation, Fact, Field, SourceInfo, Span, Statement
from trustc.compiler.concepts import concepts
from trustc.compiler.statement import class_key

from .test_roundtrip import CHECK_CODES, statement_key

SPAN = Span(1, 1, 1, 2)

words = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9/#.&-]{0,8}", fullmatch=True)
text_values = st.lists(words, min_size=1, max_size=3).map(" ".join)
dim_values = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9+-]{0,5}", fullmatch=True)
class_names = st.from_regex(r"[A-Z]{1,3}(-[0-9A-Z]{1,3}){0,2}", fullmatch=True)


@st.composite
def decimals(draw, places=(0, 6)):
    digits = draw(st.integers(min_value=0, max_value=10**13))
    exponent = draw(st.integers(min_value=places[0], max_value=places[1]))
    value = Decimal(digits).scaleb(-exponent)
    return -value if draw(st.booleans()) else value


@st.composite
def values(draw, unit, form=None):
    if unit not in ("text", "boolean") and draw(st.integers(0, 9)) == 0:
        return None  # N/A; a text or YES/NO figure is never N/A (the layouts warn and give None)
    if unit == "text":
        # a concept with a printed form (CUSIP) holds only values of that form
        return draw(st.from_regex(form, fullmatch=True)) if form is not None else draw(text_values)
    if unit == "boolean":
        return draw(st.booleans())
    if unit == "date":  # the Bankers Trust parties block: record and distribution dates
        return draw(st.dates(min_value=_dt.date(1990, 1, 1), max_value=_dt.date(2030, 12, 31)))
    return draw(decimals())


@st.composite
def statements(draw):
    names = draw(st.lists(class_names, min_size=0, max_size=5, unique_by=class_key))
    groups = draw(st.lists(dim_values, min_size=1, max_size=3, unique=True))
    facts: list[Fact] = []

    def fact(name, dims):
        unit = concepts()[name].unit
        value = draw(values(unit, concepts()[name].form))
        facts.append(Fact(name, name, value, unit, "x", SPAN, dims))

    class_concepts = draw(st.lists(st.sampled_from(sorted(concepts())), max_size=6, unique=True))
    remics = draw(st.sampled_from([[None], ["I", "II"]]))  # a class table split by a dimension of its own
    for remic in remics:
        for c in names:
            for name in class_concepts:
                if draw(st.booleans()) or name == class_concepts[0]:
                    fact(name, {"class": c} if remic is None else {"class": c, "remic": remic})
    for name in draw(st.lists(st.sampled_from(sorted(concepts())), max_size=4, unique=True)):
        for g in groups:
            fact(name, {"group": g})
    for bucket in draw(st.lists(dim_values, max_size=3, unique=True)):
        for g in groups:
            fact(draw(st.sampled_from(sorted(concepts()))), {"group": g, "bucket": bucket})
    for name in draw(st.lists(st.sampled_from(sorted(concepts())), max_size=5, unique=True)):
        fact(name, {})
    for _ in range(draw(st.integers(0, 2))):  # a figure printed twice, another value
        if facts:
            twin = draw(st.sampled_from(facts))
            fact(twin.concept, dict(twin.dims))
    facts = draw(st.permutations(facts))
    balances = tuple(ClassBalance(n, {f.concept: f for f in facts if f.dims.get("class") == n}) for n in names)
    date = draw(st.none() | st.dates(min_value=_dt.date(1990, 1, 1), max_value=_dt.date(2030, 12, 31)))
    return Statement(
        format="generated", title=draw(st.just("") | text_values),
        distribution_date=Field(date, date.isoformat(), SPAN) if date else None,
        classes=balances, facts=tuple(facts),
        series=draw(st.none() | words), pool=draw(st.none() | words))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(statements(), min_size=1, max_size=2))
def test_generated_statements_roundtrip(generated):
    original = Compilation(SourceInfo("generated", "0" * 64, 0), None, tuple(generated), (), (), ())
    text = trustc.emit(original, "statement")
    again = trustc.compile_text(text, name="generated.statement.txt")
    # Generated figures need not add up: what the checks say of them is not a compile problem.
    assert [d for d in again.diagnostics if d.code not in CHECK_CODES] == [] and again.unparsed == ()
    assert [statement_key(s) for s in again.statements] == [statement_key(s) for s in original.statements]
