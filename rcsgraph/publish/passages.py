"""Article texts and the passages that quotes stand in, for evidence shown to people.

An article names its text (``rcs:sourceText``) and records the text's SHA-256
(``rcs:sourceTextSha256``). The bundled article's text ships beside the data; a store keeps the
texts of added bundles in its texts folder under their checksum
(``rcsgraph.store.generations``). A text whose checksum differs from the recorded one is not
used: its offsets cannot be trusted.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True)
class Passage:
    """The paragraph(s) a quote stands in, cut into the text before it, the quote and after."""

    before: str
    quote: str
    after: str
    start: int  # of the quote in the whole text, in code points
    end: int


def passage(text: str, start: int, end: int) -> Passage:
    """The paragraph around ``text[start:end]``; a quote spanning a paragraph break gets both.

    A break right after a comma is a list broken across lines, not a new paragraph (the
    bundled article has one), so the paragraph goes on across it.
    """
    first = _opening(text, start)
    last = _closing(text, end)
    return Passage(text[first:start], text[start:end], text[end:last], start, end)


def _opening(text: str, start: int) -> int:
    opening = text.rfind(PARAGRAPH_BREAK, 0, start)
    while opening > 0 and text[:opening].rstrip().endswith(","):
        opening = text.rfind(PARAGRAPH_BREAK, 0, opening)
    return 0 if opening < 0 else opening + len(PARAGRAPH_BREAK)


def _closing(text: str, end: int) -> int:
    closing = text.find(PARAGRAPH_BREAK, end)
    while closing >= 0 and text[:closing].rstrip().endswith(","):
        closing = text.find(PARAGRAPH_BREAK, closing + len(PARAGRAPH_BREAK))
    return len(text) if closing < 0 else closing


def find_text(name: str | None, sha256: str | None, folders: Sequence[Path]) -> str | None:
    """The text an article names, from the first folder holding it under its name or its
    checksum, or None when no folder does or its checksum differs from ``sha256``."""
    names = [n for n in (name, f"{sha256}.txt" if sha256 else None) if n and "/" not in n]
    for folder in folders:
        for candidate in names:
            path = folder / candidate
            if path.is_file():
                return _read(path, sha256, path.stat().st_mtime_ns)
    return None


@lru_cache(maxsize=64)
def _read(path: Path, sha256: str | None, _mtime: int) -> str | None:
    data = path.read_bytes()
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        return None
    return data.decode("utf-8")
