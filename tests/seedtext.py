"""The seed text of issue 2022-06 and the comparison used to prove no sentence was lost.

The seed (``../shared/seeds/000_a1b9e2ee4a18116f.txt``) is the text extracted from the
published PDF. Its extraction debris (folios, running heads, web-page residue) is
dropped; every other line must appear in the built issue's text once both are
normalised (whitespace removed, punctuation width and quote style unified).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "000_a1b9e2ee4a18116f.txt"

# Lines that belong to the web page the text was scraped from, not to the magazine.
WEB_RESIDUE = (
    re.compile(r"^注册$"),
    re.compile(r"^山西银行《零售动态》$"),
    re.compile(r"^其他分类"),
    re.compile(r"^953$"),
    re.compile(r"^Copyright ©"),
    re.compile(r"^增值电信业务经营许可证"),
)
# Folios ("49", "·15·"), section numbers ("06") and running heads ("『它山之石』").
PAGE_FURNITURE = re.compile(r"^(\d+|·\d+·|『[^』]*』)$")

_UNIFY = str.maketrans({
    "。": ".", "“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"',
    "、": ",", "—": "-", "–": "-", "…": "...", "·": ".", "・": ".",
})


def normalise(text: str) -> str:
    """Text with whitespace removed, case folded, punctuation width and quote style unified.

    Hyphens and control characters are dropped too: PDF text extraction (pdfium) takes a
    hyphen that ends a line for a word-break hyphen and gives a control character for it.
    """
    text = unicodedata.normalize("NFKC", text).casefold().translate(_UNIFY).replace("-", "")
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf"))


def seed_lines(path: Path = SEED) -> list[str]:
    """Every line of the seed that is part of the magazine's text."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip().strip("\u3000\xa0")
        if not line or PAGE_FURNITURE.match(line):
            continue
        if any(p.search(line) for p in WEB_RESIDUE):
            continue
        lines.append(line)
    return lines


def missing_lines(text: str, path: Path = SEED) -> list[str]:
    """Seed lines that do not occur in ``text`` (after normalisation of both)."""
    haystack = normalise(text)
    return [line for line in seed_lines(path) if normalise(line) not in haystack]


if __name__ == "__main__":  # python tests/seedtext.py FILE... : seed lines missing from FILEs
    import sys

    joined = "\n".join(Path(p).read_text(encoding="utf-8") for p in sys.argv[1:])
    gone = missing_lines(joined)
    for line in gone:
        print(line)
    print(f"{len(gone)} of {len(seed_lines())} seed lines missing", file=sys.stderr)
