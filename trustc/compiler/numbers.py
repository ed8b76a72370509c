"""Printed figures to exact values: `12,572,214`, `5857826.76`, `(779)`, `N/A`, `1.50000%`, `NO`.

Decimal keeps exactly the printed digits; nothing here ever goes through float.
"""
from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal, InvalidOperation
from typing import Optional

# One pass, no nested quantifiers: a bounded-time match whatever the input.
NUMBER = re.compile(
    r"(?P<open>\()?(?P<sign>[-+])?\$?(?P<digits>\d{1,3}(?:,\d{3})+|\d+)?(?P<frac>\.\d+)?(?P<close>\))?\s*(?P<pct>%)?"
)
# The usual figure, unsigned digits with or without thousands commas and decimals: NUMBER gives exactly
# Decimal(text without its commas) for it, with no groups to take apart.
PLAIN_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
NOT_AVAILABLE = frozenset({"N/A", "NA", "N.A.", "n/a", "-", "--", "*", "Not Available"})
BOOLEANS = {"YES": True, "NO": False, "Y": True, "N": False, "TRUE": True, "FALSE": False}


class NotAFigure(ValueError):
    pass


def is_number(raw: str) -> bool:
    m = NUMBER.fullmatch(raw)
    if m is None:
        return False
    open_, _sign, digits, frac, close, _pct = m.groups()  # one call, not one per group: a hot path
    return bool(digits or frac) and (open_ is None) == (close is None)


def parse_number(raw: str) -> tuple[Optional[Decimal], bool]:
    """Return (value, is_percent). N/A gives (None, False). Raises NotAFigure."""
    text = raw.strip()
    if PLAIN_NUMBER.fullmatch(text) is not None:
        return Decimal(text.replace(",", "") if "," in text else text), False
    if text in NOT_AVAILABLE:
        return None, False
    m = NUMBER.fullmatch(text)
    if m is None:
        raise NotAFigure(raw)
    open_, sign, digits, frac, close, pct = m.groups()
    if not (digits or frac) or (open_ is None) != (close is None):
        raise NotAFigure(raw)
    digits = (digits or "0").replace(",", "") + (frac or "")
    try:
        value = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
        raise NotAFigure(raw) from exc
    if open_ or sign == "-":
        value = -value
    return value, bool(pct)


def parse_boolean(raw: str) -> Optional[bool]:
    return BOOLEANS.get(raw.strip().rstrip(".").upper())


_MONTHS = {
    name: index
    for index, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}
_DATE_PATTERNS = [
    (re.compile(r"(\d{1,2})-([A-Za-z]{3,9})-(\d{2}|\d{4})"), ("d", "mon", "y")),
    (re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})"), ("mon", "d", "y")),
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})"), ("m", "d", "y")),
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), ("y", "m", "d")),
    (re.compile(r"(\d{4})(\d{2})(\d{2})"), ("y", "m", "d")),
]
DATE_SEARCH = re.compile(
    r"\d{1,2}-[A-Za-z]{3}-\d{2,4}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}"
)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # EDGAR's text era: 1993-2049
        year += 2000 if year < 50 else 1900
    return year


def parse_date(raw: str) -> Optional[_dt.date]:
    """15-Dec-03, December 15, 1998, DECEMBER 15, 1998, 12/15/98, 2003-12-15, 19981215."""
    text = raw.strip()
    for pattern, order in _DATE_PATTERNS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        parts = dict(zip(order, m.groups()))
        try:
            month = _MONTHS[parts["mon"].lower()] if "mon" in parts else int(parts["m"])
            return _dt.date(_year(parts["y"]), month, int(parts["d"]))
        except (KeyError, ValueError):
            return None
    return None


def find_date(text: str) -> Optional[tuple[_dt.date, int, int]]:
    """The first date printed anywhere in `text`: (date, start, end) offsets."""
    for m in DATE_SEARCH.finditer(text):
        value = parse_date(m.group())
        if value:
            return value, m.start(), m.end()
    return None
