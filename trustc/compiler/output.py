"""Writing outputs safely: atomic replace, and file names no input can steer."""
from __future__ import annotations

import contextlib
import os
import re
import tempfile
from typing import IO, Iterator

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_DOTS = re.compile(r"\.{2,}")  # `..` is never part of an output name, not even inside one
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.I)


def safe_stem(name: str) -> str:
    """A file name stem from an input's name: no separators, no `..`, no reserved device names."""
    base = os.path.basename(name.replace("\\", "/")) or "input"
    for suffix in (".gz", ".txt", ".sgml", ".htm", ".html"):
        if base.lower().endswith(suffix) and len(base) > len(suffix):
            base = base[: -len(suffix)]
    stem = _DOTS.sub("_", _UNSAFE.sub("_", base)).strip("._") or "input"
    if _RESERVED.match(stem):
        stem = "_" + stem
    return stem[:200]


def _umask() -> int:
    """The process's umask, read without changing it (os.umask sets it; threads would see the change)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # pragma: no cover - no /proc: the old way, briefly racy
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_open(path: str, mode: str = "w") -> Iterator[IO]:
    """A file to write as output is made; it replaces `path` when the block ends, and vanishes if it fails.

    Whole or not at all: a temporary beside it, on disk (fsync), then renamed over it.
    The file gets the mode a plain open() would give it (0666 less the umask), not
    the temporary's 0600, so colleagues and workers under another user can read it.
    """
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=os.path.basename(path)[-40:])
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})) as handle:
            yield handle
            handle.flush()
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write(path: str, data: "str | bytes") -> None:
    with atomic_open(path, "wb" if isinstance(data, bytes) else "w") as handle:
        handle.write(data)
