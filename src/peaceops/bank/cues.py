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
  or a day give or take (``tolerance_days``);
- options that do not all read as answers to the stem: a stem ending in "a" or "an"
  that only some options complete grammatically, or two options with the same text;
- a key that repeats a content word of the stem which no distractor repeats (a "clang"
  association) in more than a quarter of the choice items;
- absolute words ("always", "never", "only", ...) in at least half the distractors but in
  no key, in more than a quarter of the choice items (test-wise learners rule such options out).
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
#: At most this share of choice items may have a clang association or absolutes only in
#: the distractors.
MAX_WORD_CUES = 1 / 4
_ABSOLUTE = re.compile(r"\b(always|never|only|entirely|completely|none|cannot)\b", re.I)
_STOP = frozenset(
    (
        "the",
        "and",
        "for",
        "that",
        "this",
        "with",
        "from",
        "into",
        "than",
        "then",
        "there",
        "their",
        "these",
        "those",
        "which",
        "what",
        "who",
        "whose",
        "were",
        "was",
        "have",
        "has",
        "had",
        "more",
        "most",
        "each",
        "every",
        "other",
        "such",
        "only",
        "also",
        "can",
        "may",
        "would",
        "should",
        "will",
        "under",
        "over",
        "been",
        "being",
        "does",
        "not",
    )
)
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
    choice = [q for q in questions if q.type in ("single", "multiple")]
    for q in choice:
        found.extend(_option_cues(q))
    for name, has_cue in (("a key repeats a word of the stem that no distractor repeats",
                           _clang), ("only the distractors use absolute words (always, never, "
                           "only ...)", _absolutes_only_in_distractors)):  # fmt: skip
        cued = [q for q in choice if has_cue(q)]
        if choice and len(cued) > MAX_WORD_CUES * len(choice):
            found.append(Cue("-", (
                f"{label}: {name} in {len(cued)} of {len(choice)} choice items (at most a "
                "quarter may): " + ", ".join(q.id for q in cued))))  # fmt: skip
    return found


def _keys_and_distractors(question: Question) -> tuple[list[str], list[str]]:
    keys = [question.answer] if question.type == "single" else list(question.answer)
    return keys, [o for o in question.options if o not in keys]


def _content_words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]{3,}", text)} - _STOP


def _clang(question: Question) -> bool:
    keys, distractors = _keys_and_distractors(question)
    stem = _content_words(question.prompt)
    return (any(_content_words(k) & stem for k in keys)
            and not any(_content_words(d) & stem for d in distractors))  # fmt: skip


def _absolutes_only_in_distractors(question: Question) -> bool:
    keys, distractors = _keys_and_distractors(question)
    absolute = [d for d in distractors if _ABSOLUTE.search(d)]
    return (bool(absolute) and 2 * len(absolute) >= len(distractors)
            and not any(_ABSOLUTE.search(k) for k in keys))  # fmt: skip


def _option_cues(question: Question) -> list[Cue]:
    """Options that point at the others, repeat one another, or do not complete the stem."""
    found = []
    seen: set[str] = set()
    article = re.search(r"\b(a|an)$", question.prompt.strip(), re.I)
    for option in question.options:
        if _ABOVE.search(option):
            found.append(Cue(question.id, f"option '{option}' points at the other options"))
        text = " ".join(option.lower().split())
        if text in seen:
            found.append(Cue(question.id, f"option '{option}' appears twice"))
        seen.add(text)
        if article and (article.group(1).lower() == "an") != (text[:1] in "aeiou"):
            found.append(Cue(question.id, (
                f"the stem ends in '{article.group(1)}', which option '{option}' does not "
                "follow; end the stem before the article so that every option reads as an "
                "answer")))  # fmt: skip
    return found
