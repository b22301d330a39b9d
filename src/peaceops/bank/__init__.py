"""Layer 2, the question bank: one model of a question, loaded and validated from YAML.

``from peaceops import bank`` gives the model and the loader. Imports only the layers
below it (``peaceops.course`` for the list of chapters, ``peaceops.data`` for the tables'
columns), never the book, the exercises or the grading.
"""

from peaceops.bank.questions import (
    AUTO_TYPES,
    BANK_DIR,
    TYPES,
    BankError,
    BankProblem,
    Criterion,
    Question,
    by_chapter,
    load_bank,
    load_pool,
)

__all__ = [
    "AUTO_TYPES",
    "BANK_DIR",
    "TYPES",
    "BankError",
    "BankProblem",
    "Criterion",
    "Question",
    "by_chapter",
    "load_bank",
    "load_pool",
]
