"""Checks: the compiler redoes a report's arithmetic and says where it does not add up.

Each check (registry.py) states an identity over concepts and dimensions, so it
applies to any layout whose facts carry them; what a check needs to know about
reports (notional classes, totals rows, per-$1,000 conventions, which concepts
add up to which) is data, in `data/checks.toml`.
"""
from .registry import CHECKS, Check, check_statement, check_statements

__all__ = ["CHECKS", "Check", "check_statement", "check_statements"]
