"""Reading input: bytes to lines, with the hygiene a real EDGAR download needs.

Line numbers are those of the file as given: CRLF, CR and LF all end a line;
form feeds and other control characters stay inside their line (str.splitlines
would count them as line ends and shift every span after them).
"""
from __future__ import annotations

import hashlib
import re
from typing import Iterator, Optional

import attrs

from .ast import Diagnostic, SourceInfo, Span

LINE_END = re.compile(r"\r\n|\r|\n")
_BYTE_LINE_END = re.compile(rb"\r\n|\r|\n")
# Bytes that never appear in a text filing (NUL is handled on its own).
_BINARY_BYTES = bytes(range(0, 8)) + bytes(range(14, 27)) + bytes(range(28, 32))


class NotText(ValueError):
    """The input is not a text filing (binary data)."""


@attrs.define
class SourceText:
    """A decoded input. What `decode` builds holds the lines only: the bytes are kept as their hash and
    size (`digest`) and the text is rebuilt from the lines when asked, so a 50 MB filing is held once,
    not three times (bytes, text, lines)."""

    path: str
    data: bytes  # the input's bytes when built by hand; decode() keeps none (b"") and sets `digest`
    _text: Optional[str]  # the decoded text when built by hand; None: `text` rebuilds it from the lines
    lines: list[str]
    diagnostics: list[Diagnostic]
    ends_with_newline: bool
    digest: Optional[tuple[str, int]] = None  # (sha256 hex, byte count) of the input, taken while decoding

    @property
    def text(self) -> str:
        """The decoded text (every line end written as \\n when rebuilt from the lines)."""
        if self._text is not None:
            return self._text
        return "\n".join(self.lines) + ("\n" if self.ends_with_newline else "")

    @property
    def info(self) -> SourceInfo:
        if self.digest is not None:
            return SourceInfo(self.path, *self.digest)
        return SourceInfo(self.path, hashlib.sha256(self.data).hexdigest(), len(self.data))

    def view(self, first: int = 1, last: Optional[int] = None) -> "LineView":
        return LineView(self.lines, first, len(self.lines) if last is None else last)


@attrs.frozen
class LineView:
    """Lines first..last (1-based, inclusive) of a source: what a layout's lexer reads."""

    lines: list[str]
    first: int
    last: int

    def __len__(self) -> int:
        return max(0, self.last - self.first + 1)

    def __iter__(self) -> Iterator[tuple[int, str]]:
        lines = self.lines
        for number in range(self.first, self.last + 1):
            yield number, lines[number - 1]

    def line(self, number: int) -> str:
        return self.lines[number - 1]


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    stripped = sample.replace(b"\x00", b"")
    if not stripped:  # all NULs
        return True
    odd = len(stripped) - len(stripped.translate(None, _BINARY_BYTES))  # one pass, not one count per byte value
    # NUL padding is damage, not binary; a share of control bytes is binary
    return odd / len(stripped) > 0.05 or (sample.count(b"\x00") / len(sample) > 0.3)


def _position(text, offset: int) -> tuple[int, int]:
    """1-based (line, column) of `offset` in str or bytes, every line end counted as the lexer does."""
    ends = _BYTE_LINE_END if isinstance(text, (bytes, bytearray, memoryview)) else LINE_END
    line, start = 1, 0
    for m in ends.finditer(text, 0, offset):
        line, start = line + 1, m.end()
    return line, offset - start + 1


def decode(data: bytes, path: str = "<input>") -> SourceText:
    """Decode a filing's bytes. Raises NotText for binary input."""
    return decode_taking([data], path)


def decode_taking(holder: list[bytes], path: str = "<input>", sha256: Optional[str] = None) -> SourceText:
    """`decode` of the bytes `holder` holds, taken out of it: when the caller keeps no other reference they
    are freed as soon as they are decoded and hashed, before the lines are split (peak: text and lines,
    not bytes, text and lines). `sha256`: their hash when the caller has taken it already."""
    data = holder.pop()
    digest = (sha256 or hashlib.sha256(data).hexdigest(), len(data))
    diagnostics: list[Diagnostic] = []
    if _looks_binary(data):
        raise NotText(f"{path}: not a text filing (binary data)")
    # A view, not a slice: a slice would copy a 100 MB input once more.
    data_for_text = memoryview(data)[3:] if data.startswith(b"\xef\xbb\xbf") else memoryview(data)
    try:
        text = str(data_for_text, "utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(data_for_text, exc.start)
        text = str(data_for_text, "cp1252", errors="replace")
        diagnostics.append(
            Diagnostic(
                "warning",
                "non-utf8-input",
                f"input is not UTF-8: byte 0x{data_for_text[exc.start]:02x} at line {line}; decoded as Windows-1252",
                Span(line, col, line, col + 1),
            )
        )
    data_for_text.release()
    del data_for_text, data
    if "\x00" in text:
        line, _col = _position(text, text.index("\x00"))
        diagnostics.append(
            Diagnostic(
                "warning",
                "nul-bytes",
                f"input holds {text.count(chr(0))} NUL byte(s), the first at line {line}; they are ignored",
                Span(line, 1, line, 1),
            )
        )
        text = text.replace("\x00", " ")
    lines, ends_with_newline = split_lines(text)
    return SourceText(path, b"", None, lines, diagnostics, ends_with_newline, digest)


def split_lines(text: str) -> tuple[list[str], bool]:
    """The lines of `text` (CR, LF and CRLF each end one), and whether the last one was ended."""
    if text == "":
        return [], False
    # Filings end every line with LF, or every line with CRLF: str.split gives the lines the regex gives
    # at ~8x its speed (and no copy of the text); only mixed or lone CR line ends need the regex.
    ends_with_newline = text[-1] in "\r\n"
    if "\r" not in text:
        lines = text.split("\n")
    elif text.count("\r") == text.count("\r\n") == text.count("\n"):
        lines = text.split("\r\n")
    else:
        lines = LINE_END.split(text)
    if ends_with_newline:
        lines.pop()
    return lines, ends_with_newline


MAX_BYTES = 256 * 1024 * 1024  # the largest input read (after inflating a .gz): EDGAR filings are far smaller
_CHUNK = 1 << 20


class Refused(Exception):
    """An input trustc will not read: `code` says why (too-large, not-regular, corrupt-gzip)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _kind(mode: int) -> Optional[str]:
    import stat

    kinds = {stat.S_ISDIR: "a folder", stat.S_ISFIFO: "a FIFO (named pipe)", stat.S_ISSOCK: "a socket",
             stat.S_ISCHR: "a character device", stat.S_ISBLK: "a block device"}
    return next((name for test, name in kinds.items() if test(mode)), None)


def _take(stream, max_bytes: int, what: str) -> bytes:
    """Read a stream to its end, refusing it as soon as it holds more than `max_bytes`."""
    chunks, size = [], 0
    while True:
        chunk = stream.read(min(_CHUNK, max_bytes + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise Refused("too-large", f"{what} holds more than {max_bytes:,} bytes (--max-bytes); not read")


def read_bytes(path: str, max_bytes: int = MAX_BYTES) -> bytes:
    """An input's bytes (`-` for stdin, `.gz` inflated while read), never more than `max_bytes`.

    Only regular files are read: a FIFO would wait forever for a writer, a device
    never ends. Raises Refused, or OSError when the file cannot be read.
    """
    import gzip
    import os
    import sys
    import zlib

    if path == "-":
        return _take(sys.stdin.buffer, max_bytes, "stdin")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO opens without waiting for a writer
    with open(fd, "rb") as handle:
        kind = _kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise Refused("not-regular", f"{path} is {kind}, not a regular file; not read")
        if not path.endswith(".gz"):
            return _take(handle, max_bytes, path)
        try:
            with gzip.GzipFile(fileobj=handle) as inflated:
                return _take(inflated, max_bytes, f"{path} once inflated")
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise Refused("corrupt-gzip", f"{path}: not a readable gzip file ({exc or type(exc).__name__})") from None


def read_path(path: str, max_bytes: int = MAX_BYTES) -> SourceText:
    """Read a file (`-` for stdin, `.gz` transparently). OSError, Refused and NotText propagate."""
    return decode_taking([read_bytes(path, max_bytes)], "<stdin>" if path == "-" else path)
