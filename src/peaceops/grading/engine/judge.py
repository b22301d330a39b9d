"""Judge an answer outside the sandbox: decode the plain data, run the test cell on it.

The test cell (its visible form check and its hidden marking test, as nbgrader restored
them from the gradebook) runs here in a fresh namespace that holds nothing but the
student's answer rebuilt from plain data. No object of the student's reaches this
process, so nothing they defined (a class that equals everything, a patched builtin, an
input transformer) can change the verdict; the test passes or fails exactly as it would
in a kernel for the same values.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass


class Opaque:
    """An answer of a type the grader does not rebuild (a DataFrame, a class of the student's).

    Like such an object in a kernel, it fails every check the quizzes make of an answer's
    type; its ``repr`` names the type so that the feedback explains the zero.
    """

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name} object>"


class BadResult(ValueError):
    """The sandbox reported something that is not an encoded answer."""


_NUMPY = {
    "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64",
}  # fmt: skip


def decode(data: object, depth: int = 0) -> object:
    """The value the runner encoded (see ``sandbox/runner.py``), rebuilt; strict."""
    if depth > 14:
        raise BadResult("nested too deep")
    if data is None or type(data) in (bool, str):
        return data
    if type(data) is not dict or len(data) not in (1, 2):
        raise BadResult(f"not an encoded value: {str(data)[:60]}")
    (tag, value), *rest = data.items()
    if tag == "int" and type(value) is str and len(value) < 5000:
        return int(value)
    if tag == "float" and type(value) is str:
        return float(value)
    if tag in ("list", "tuple", "set", "frozenset") and type(value) is list:
        items = [decode(v, depth + 1) for v in value]
        if tag in ("set", "frozenset"):
            try:
                return {"set": set, "frozenset": frozenset}[tag](items)
            except TypeError as err:
                raise BadResult("a set of unhashable values") from err
        return {"list": list, "tuple": tuple}[tag](items)
    if tag == "dict" and type(value) is list:
        result = {}
        for pair in value:
            if type(pair) is not list or len(pair) != 2:
                raise BadResult("a dict entry that is not a pair")
            try:
                result[decode(pair[0], depth + 1)] = decode(pair[1], depth + 1)
            except TypeError as err:
                raise BadResult("a dict with an unhashable key") from err
        return result
    if tag == "numpy" and value in _NUMPY and rest and rest[0][0] == "value":
        import numpy

        raw = rest[0][1]
        number = {"bool_": lambda s: s == "True"}.get(value, float if "float" in value else int)
        return getattr(numpy, value)(number(raw))
    if tag == "other" and type(value) is str:
        return Opaque(value[:200])
    raise BadResult(f"unknown tag {tag!r}")


@dataclass(frozen=True)
class Verdict:
    """Whether the test cell passed, and the error it raised if not (as nbgrader shows it)."""

    passed: bool
    ename: str = ""
    evalue: str = ""
    traceback: tuple[str, ...] = ()


def judge(test_source: str, answers: dict[str, object]) -> Verdict:
    """Run a test cell's source on the rebuilt answers, in a fresh namespace."""
    namespace: dict = {"__name__": "__grader__", **answers}
    try:
        exec(compile(test_source, "<test cell>", "exec"), namespace)
    except Exception as exc:  # the test's own verdict: an assertion or a form error
        lines = traceback.format_exception_only(type(exc), exc)
        return Verdict(False, type(exc).__name__, str(exc), tuple(ln.rstrip() for ln in lines))
    return Verdict(True)
