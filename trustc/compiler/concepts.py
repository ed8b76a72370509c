"""The concept dictionary: what each fact's `concept` means, its unit, and the labels reports print for it.

Kept as data, one dictionary organised by topic (`data/concepts/<topic>.toml`:
classes, per_1000, collateral, delinquency, credit_enhancement, fees, cover,
...), shared by every layout. Beside each concept are its `synonyms`: labels
and column titles reports print for it (report writers' 16-character cuts
too), so layouts and a generic reader share one vocabulary. `match_label`
finds the concept a printed label names.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Optional

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from attrs import frozen

DATA_DIR = Path(__file__).resolve().parent / "data"
CONCEPTS_DIR = DATA_DIR / "concepts"
UNITS = ("usd", "usd_per_1000", "percent", "count", "months", "boolean", "date", "text", "pure")


@frozen
class Concept:
    name: str
    unit: str
    label: str
    description: str
    topic: str = ""
    synonyms: tuple[str, ...] = ()
    # the printed form a text value must have (a regex over the whole value), and its name for people
    form: Optional[re.Pattern] = None
    form_name: str = ""

    def fits(self, text: str) -> bool:
        return self.form is None or self.form.fullmatch(text) is not None


@functools.lru_cache(maxsize=1)
def concepts() -> dict[str, Concept]:
    merged: dict[str, Concept] = {}
    for path in sorted(CONCEPTS_DIR.glob("*.toml")):
        with open(path, "rb") as handle:
            table = tomllib.load(handle)
        for name, entry in table.items():
            if name in merged:
                raise ValueError(f"concept {name!r} defined twice ({path.name}, {merged[name].topic}.toml)")
            if entry["unit"] not in UNITS:
                raise ValueError(f"concept {name!r}: unknown unit {entry['unit']!r}")
            merged[name] = Concept(name, entry["unit"], entry["label"], entry["description"], path.stem,
                                   tuple(entry.get("synonyms", ())),
                                   re.compile(entry["form"]) if "form" in entry else None, entry.get("form_name", ""))
    return merged


def concept(name: str) -> Concept:
    try:
        return concepts()[name]
    except KeyError:
        raise KeyError(f"concept {name!r} is not in the concept dictionary") from None


# Abbreviations report writers use, by the whole word they stand for (a word is
# compared after lower-casing and dropping punctuation: "Prin.", "PRIN" and "prin" are one).
ABBREVIATIONS = {
    "prin": "principal", "princ": "principal", "int": "interest", "bal": "balance", "bals": "balances",
    "beg": "beginning", "begin": "beginning", "cert": "certificate", "certs": "certificates",
    "dist": "distribution", "distrib": "distribution", "distr": "distribution", "distn": "distribution",
    "amt": "amount", "amts": "amounts", "pmt": "payment", "pmts": "payments", "orig": "original",
    "sched": "scheduled", "curr": "current", "cur": "current", "cum": "cumulative", "cumm": "cumulative",
    "num": "number", "nbr": "number", "no": "number", "agg": "aggregate", "aggr": "aggregate",
    "avg": "average", "wtd": "weighted", "adv": "advances", "mortg": "mortgage", "mtg": "mortgage",
    "coup": "coupon", "mat": "maturity", "tot": "total", "acct": "account", "accts": "accounts",
    "prem": "premium", "prems": "premiums", "maint": "maintenance", "determ": "determination",
    "pct": "percent", "perc": "percent", "real": "realized", "liq": "liquidation", "rem": "remaining",
    "prev": "previous", "incl": "including", "incls": "including", "outst": "outstanding",
    "out": "outstanding", "del": "delinquent", "delinq": "delinquent", "yr": "year", "mo": "month",
    "mos": "months", "prepay": "prepayment", "prep": "prepayment", "repurch": "repurchase",
    "coll": "collateral", "ppis": "prepayment interest shortfall", "oc": "overcollateralization",
}
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_WORD = re.compile(r"[a-z0-9]+")


def normalize_label(printed: str) -> str:
    """A printed label as match_label compares it: lower case, words only, abbreviations spelled out."""
    text = _THOUSANDS.sub("", printed.lower())
    text = text.replace("o/c", " oc ").replace("&", " and ").replace("%", " percent ").replace("#", " number ")
    return " ".join(ABBREVIATIONS.get(word, word) for word in _WORD.findall(text))


@functools.lru_cache(maxsize=1)
def _label_index() -> dict[str, Optional[str]]:
    """Normalised label or synonym -> concept; None where two concepts' labels normalise alike."""
    index: dict[str, Optional[str]] = {}
    for c in concepts().values():
        key = normalize_label(c.label)
        index[key] = c.name if index.get(key, c.name) == c.name else None
    for c in concepts().values():
        for synonym in c.synonyms:
            key = normalize_label(synonym)
            owner = index.get(key, c.name)
            if owner is not None and owner != c.name:
                raise ValueError(f"synonym {synonym!r} of concept {c.name!r} already names {owner!r}")
            index[key] = c.name
    return index


def match_label(printed: str) -> Optional[str]:
    """The concept whose label or synonym the printed label names (case, punctuation, spacing and
    common abbreviations aside), or None if none does (or the label is ambiguous)."""
    key = normalize_label(printed)
    return _label_index().get(key) if key else None


def match_label_words(printed: str, after: str = "") -> Optional[str]:
    """`match_label` of the printed label whole, then without its first words, down to its last word
    ("DISTRIBUTIONS IN DOLLARS ORIGINAL FACE VALUE", "CLASS A-7 PRIN DIST:"); `after` is added to
    each try (" per $1,000")."""
    words = printed.split()
    for start in range(len(words)):
        name = match_label(" ".join(words[start:]) + after)
        if name is not None:
            return name
    return None
