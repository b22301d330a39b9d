"""Read a student's answers out of a quiz notebook without running it, and mark them.

The answer cell of item ``q03`` assigns ``q03 = <literal>``; ``ast.literal_eval`` reads
the last such assignment without executing anything. The item analysis uses these
responses (which wrong option was chosen how often), and the autograder cross-checks
nbgrader's scores with them: an executed test cannot award more than the literal answer
deserves, whatever the student's code did to the kernel.
"""

from __future__ import annotations

import ast
import datetime as dt
from typing import Any

from peaceops.bank.dates import judge_date
from peaceops.grading.items import QuizItem, key


class NotLiteral:
    """An answer that cannot be read without running the notebook."""

    def __init__(self, why: str) -> None:
        self.why = why

    def __repr__(self) -> str:
        return f"<{self.why}>"


#: The answer is computed by code (a pandas item, say).
COMPUTED = NotLiteral("computed")
#: The answer cell does not assign the variable, or does not parse.
MISSING = NotLiteral("missing")


def literal_answer(source: str, var: str) -> Any:
    """The value of the last ``var = <literal>`` in a cell's code.

    Returns COMPUTED when the last assignment is not a literal, and MISSING when the code
    does not parse or never assigns the variable.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return MISSING
    value: Any = MISSING
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == var for t in node.targets
        ):
            try:
                value = ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                value = COMPUTED
    return value


def cell_sources(notebook: dict) -> dict[str, str]:
    """The source of each nbgrader cell of a notebook, by its grade id, in notebook order."""
    sources = {}
    for cell in notebook.get("cells", []):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id:
            source = cell.get("source", "")
            sources[grade_id] = "".join(source) if isinstance(source, list) else source
    return sources


def responses(notebook: dict, items: tuple[QuizItem, ...]) -> dict[str, Any]:
    """Each auto-graded item's literal response in a notebook, by variable (or MISSING)."""
    sources = cell_sources(notebook)
    return {
        item.var: literal_answer(sources.get(item.answer_id, ""), item.var)
        for item in items
        if item.question.type != "written"
    }


def is_blank(response: Any) -> bool:
    """Whether an answer was left as released (None, [], a dict of Nones) or is missing."""
    if response is None or response is MISSING or response == [] or response == ():
        return True
    return isinstance(response, dict) and all(v is None for v in response.values())


def _letters(value: Any) -> list[str] | None:
    if isinstance(value, list | tuple | set) and all(isinstance(x, str) for x in value):
        return [x.strip().upper() for x in value]
    return None


def normalise(item: QuizItem, response: Any) -> Any:
    """A response in the key's form (upper-case letters, sorted sets), or None if malformed."""
    kind = item.question.type
    if response is None or isinstance(response, NotLiteral):
        return None
    if kind == "single":
        return response.strip().upper() if isinstance(response, str) else None
    if kind == "multiple":
        letters = _letters(response)
        return sorted(set(letters)) if letters else None
    if kind == "ordering":
        return _letters(response)
    if kind == "matching":
        if not isinstance(response, dict):
            return None
        return {k: v.strip().upper() for k, v in response.items() if isinstance(v, str)}
    if kind == "date":
        try:
            return dt.date.fromisoformat(response.strip()) if isinstance(response, str) else None
        except ValueError:
            return None
    if isinstance(response, bool) or not isinstance(response, int | float):
        return None
    return response  # numeric, data


def is_right(item: QuizItem, response: Any, data_count: int | None = None) -> bool:
    """Whether a literal response earns the item's points (the same rule as its hidden test)."""
    q = item.question
    value = normalise(item, response)
    if value is None:
        return False
    if q.type == "numeric":
        return abs(value - q.answer) <= q.tolerance
    if q.type == "date":
        return judge_date(q, value)[0]
    if q.type == "data":
        return data_count is not None and value == data_count
    return value == key(q)
