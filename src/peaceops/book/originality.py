"""Detect text copied from the source essay: runs of ten consecutive words in common.

Run as ``python -m peaceops.book.originality PAGE [PAGE ...]`` to check pages before a commit;
the source essay is read from ``../shared/course/source-document.txt``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

#: How many consecutive words make a copied run.
RUN = 10
SOURCE = Path(__file__).resolve().parents[4] / "shared" / "course" / "source-document.txt"


def words(text: str) -> list[str]:
    """Lower-case words of a text, apostrophes dropped, punctuation ignored."""
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "").replace("'", ""))


def runs(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    """Every run of ``n`` consecutive words in a text."""
    ws = words(text)
    return {tuple(ws[i : i + n]) for i in range(len(ws) - n + 1)}


def copied_runs(text: str, source: str, n: int = RUN) -> list[str]:
    """The runs of ``n`` words that ``text`` shares with ``source``, in text order."""
    shared = runs(source, n)
    ws = words(text)
    found = [
        " ".join(ws[i : i + n]) for i in range(len(ws) - n + 1) if tuple(ws[i : i + n]) in shared
    ]
    return list(dict.fromkeys(found))


def main(argv: list[str] | None = None) -> int:
    """Print the copied runs of each page named; exit 1 when there are any."""
    names = sys.argv[1:] if argv is None else argv
    if not SOURCE.is_file():
        print(f"{SOURCE} not found: the shared course folder must sit beside the checkout")
        return 2
    source = SOURCE.read_text(encoding="utf-8")
    total = 0
    for name in names:
        hits = copied_runs(Path(name).read_text(encoding="utf-8"), source)
        for hit in hits:
            print(f"{name}: copied run: {hit}")
        print(f"{name}: {len(hits)} copied runs")
        total += len(hits)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
