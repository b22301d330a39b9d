"""Item-writing checks: answer cues a test-wise learner uses without knowing the answer.

Run on a set of questions (the practice bank, an assessment pool), they report:

- the key is the strictly longest option in more than a third of single-choice items
  (test-wise learners pick the longest option);
- the number of right options of multiple-choice items does not vary (always three of
  five teaches "pick three");
- an option that points at the other options ("all of the above", "none of the
  options"), which a learner can judge without knowing the content;
- more than half of the date items demand the exact day (``precision: day`` with no
  tolerance): most objectives need the year or the month (``precision: year|month``),
  or a day give or take (``tolerance_days``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from peaceops.bank.questions import Question

#: At most this share of single-choice keys may be the strictly longest option.
MAX_LONGEST_KEY = 1 / 3
#: At most this share of multiple-choice items may have the most common number of keys.
MAX_SAME_KEY_COUNT = 2 / 3
#: At most this share of date items may demand the exact day.
MAX_EXACT_DAY = 1 / 2
_ABOVE = re.compile(r"\b(all|none|both|neither) of the (above|options|answers)\b", re.I)


@dataclass(frozen=True)
class Cue:
    """One cue found: which question (or '-' for the whole set) and what is wrong."""

    question: str
    message: str

    def __str__(self) -> str:
        return f"{self.question}: {self.message}"


def key_is_longest(question: Question) -> bool:
    """Whether a single-choice key is strictly longer than every other option."""
    others = [len(o) for o in question.options if o != question.answer]
    return bool(others) and len(question.answer) > max(others)


def cues(questions: list[Question], label: str) -> list[Cue]:
    """Every cue in ``questions`` (``label`` names the set in the messages)."""
    found: list[Cue] = []
    single = [q for q in questions if q.type == "single"]
    longest = [q for q in single if key_is_longest(q)]
    if single and len(longest) > MAX_LONGEST_KEY * len(single):
        found.append(Cue("-", (
            f"{label}: the key is the longest option in {len(longest)} of {len(single)} "
            f"single-choice items (at most a third may be): "
            + ", ".join(q.id for q in longest))))  # fmt: skip
    multiple = [q for q in questions if q.type == "multiple"]
    counts = Counter(len(q.answer) for q in multiple)
    if len(multiple) >= 3:
        common, n = counts.most_common(1)[0]
        if len(counts) < 2 or n > MAX_SAME_KEY_COUNT * len(multiple):
            spread = dict(sorted(counts.items()))
            found.append(Cue("-", (
                f"{label}: {n} of {len(multiple)} multiple-choice items have exactly {common} "
                f"right options; vary the number (counts now: {spread})")))  # fmt: skip
    dates = [q for q in questions if q.type == "date"]
    exact = [q for q in dates if q.precision == "day" and q.tolerance == 0]
    if dates and len(exact) > MAX_EXACT_DAY * len(dates):
        found.append(Cue("-", (
            f"{label}: {len(exact)} of {len(dates)} date items demand the exact day; mark the "
            "year or month (precision) or allow a tolerance where the day is not the point: "
            + ", ".join(q.id for q in exact))))  # fmt: skip
    for q in questions:
        if q.type in ("single", "multiple"):
            for option in q.options:
                if _ABOVE.search(option):
                    found.append(Cue(q.id, f"option '{option}' points at the other options"))
    return found
