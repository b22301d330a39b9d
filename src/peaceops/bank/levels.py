"""Cognitive levels: of a question (``level:`` in the bank) and of a learning objective.

The levels are the revised Bloom taxonomy's first five, in order. A page's learning
objective states its level by its verb ("Explain ..." is understand, "Assess ..." is
evaluate); a graded item assesses an objective when its level is at least that.
"""

from __future__ import annotations

LEVELS = ("remember", "understand", "apply", "analyse", "evaluate")
#: The level an objective's first word states.
VERB_LEVELS = {
    **dict.fromkeys(
        ("identify", "define", "date", "locate", "recognise", "recognize", "state", "name", "list"),
        "remember",
    ),  # fmt: skip
    **dict.fromkeys(
        (
            "explain",
            "describe",
            "outline",
            "summarise",
            "summarize",
            "classify",
            "interpret",
            "trace",
        ),
        "understand",
    ),  # fmt: skip
    **dict.fromkeys(("apply", "use", "calculate"), "apply"),
    **dict.fromkeys(("distinguish", "compare", "contrast", "analyse", "analyze"), "analyse"),
    **dict.fromkeys(("assess", "evaluate", "judge"), "evaluate"),
}
#: Levels at which an item makes the learner use what they know, not recall it.
APPLIED = ("apply", "analyse", "evaluate")


def rank(level: str) -> int:
    """0 for remember ... 4 for evaluate."""
    return LEVELS.index(level)


def objective_level(objective: str) -> str:
    """The level an objective states by its first word; ValueError if it states none."""
    verb = objective.strip().split()[0].strip(",.:").lower() if objective.strip() else ""
    if verb not in VERB_LEVELS:
        raise ValueError(f"'{objective[:50]}' does not start with a verb of a known level")
    return VERB_LEVELS[verb]
