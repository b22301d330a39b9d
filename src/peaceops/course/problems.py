"""What is wrong with the course, said so a person can fix it: a file, a line and a hint.

Every layer that reads the course (the toc, the pages, the build) reports through these
two classes, and the ``peaceops`` command prints them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass


class BuildError(Exception):
    """The book could not be built; ``problems`` says where and how to fix it."""

    def __init__(self, summary: str, problems: list[Problem] | None = None) -> None:
        super().__init__(summary)
        self.summary = summary
        self.problems = problems or []

    def __str__(self) -> str:
        lines = [self.summary]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the book, at a file and line where known."""

    file: str
    line: int | None
    message: str
    hint: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}\n    How to fix: {self.hint}"
