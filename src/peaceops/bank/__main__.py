"""``python -m peaceops.bank``: validate the practice bank and the sample assessment pool,
and run the item-writing checks (answer cues) on both; exit 1 on any problem."""

import sys

from peaceops.bank.cues import cues
from peaceops.bank.questions import (
    BANK_DIR,
    POOL_DIR,
    BankError,
    by_chapter,
    load_bank,
    load_pool,
)


def main() -> int:
    """Validate the practice bank and the sample assessment pool; print a summary."""
    try:
        questions = load_bank()
        pool = load_pool([POOL_DIR], BANK_DIR.parent, {q.id for q in questions}) if (
            POOL_DIR.is_dir() and any(POOL_DIR.glob("*.yml"))) else []  # fmt: skip
    except BankError as err:
        print(err, file=sys.stderr)
        return 1
    for label, found in (("practice", questions), ("assessment pool", pool)):
        counts: dict[str, int] = {}
        for question in found:
            counts[question.type] = counts.get(question.type, 0) + 1
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
        chapters = len(by_chapter(found))
        print(f"{label}: {len(found)} questions in {chapters} chapters: {summary}")
    found_cues = cues(questions, "practice bank") + cues(pool, "assessment pool")
    for cue in found_cues:
        print(f"answer cue: {cue}", file=sys.stderr)
    return 1 if found_cues else 0


raise SystemExit(main())
