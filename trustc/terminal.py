"""Text from a filing made safe to print on a terminal.

A filing can hold any byte, escape sequences included (`ESC ] 0 ; title BEL` retitles
the window, `ESC [ 2 J` clears the screen). Everything trustc prints to stdout or stderr
that came from a filing goes through `printable`, which writes control characters as
visible escapes (`\\x1b`), so what is printed is what the filing holds and the terminal
does nothing it was not asked to.
"""
from __future__ import annotations

import re

# C0 controls except tab, DEL, C1 controls; and the bidirectional overrides, which
# reorder what the reader sees.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: "re.Match[str]") -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control character written as a visible escape (tab kept)."""
    return _CONTROL.sub(_escape, text)
