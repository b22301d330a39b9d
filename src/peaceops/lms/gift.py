"""Items as GIFT, Moodle's plain-text question format.

A ``$CATEGORY: $course$/<top>/<chapter>`` line before each chapter, then one question a
block (blocks apart by a blank line): ``::id::[html]prompt{answers####explanation}``.
The characters GIFT reads as syntax, ``~ = # { } :`` and the backslash, are escaped with
a backslash and a line break is written ``\\n``, as Moodle's own GIFT export does
(``repchar`` in ``question/format/gift/format.php``), so no text can end a block or open
an answer. GIFT has no field for an essay's grader information, so the mark scheme follows
the model answer in the general feedback; an ordering is asked as matching (item ->
position), because the ordering type's GIFT syntax cannot carry the explanation.

Format: https://docs.moodle.org/en/GIFT_format
"""

from __future__ import annotations

from peaceops.lms.export import Item, as_matching, chapters, number_text, to_html
from peaceops.lms.moodle import percent

#: What GIFT reads as syntax, and how it is written as text (the backslash first).
ESCAPES = (("\\", "\\\\"), ("~", "\\~"), ("=", "\\="), ("#", "\\#"), ("{", "\\{"),
           ("}", "\\}"), (":", "\\:"), ("\r", ""), ("\n", "\\n"))  # fmt: skip


def escape(text: str) -> str:
    """Text as GIFT reads it back unchanged."""
    for char, escaped in ESCAPES:
        text = text.replace(char, escaped)
    return text


def _html(text: str, inline: bool = False) -> str:
    return escape(to_html(text, inline))


def _answers(item: Item) -> list[str]:
    if item.kind in ("choice", "choices"):
        lines = []
        for choice in item.choices:
            if item.kind == "choice":
                mark = "=" if choice.fraction == 1 else "~"
                # a wrong option that itself begins with %n% would read as a weight
                mark += "%0%" if mark == "~" and choice.text.startswith("%") else ""
            else:
                mark = f"~%{percent(choice.fraction)}%"
            feedback = f"#{_html(choice.feedback)}" if choice.feedback else ""
            lines.append(f"{mark}{_html(choice.text, inline=True)}{feedback}")
        return lines
    if item.kind == "matching":
        pairs = [*item.pairs, *(("", d) for d in item.distractors)]
        return [f"={_html(left, inline=True)} -> {escape(right)}" for left, right in pairs]
    if item.kind == "numerical":
        return [f"#{number_text(item.number)}:{number_text(item.tolerance)}"]
    if item.kind == "shortanswer":
        return [f"={escape(a)}" for a in ([item.pattern] if item.pattern else item.accepted)]
    return []  # an essay: no answer, only the general feedback


def question(item: Item) -> str:
    """One item as a GIFT block."""
    if item.kind == "ordering":
        item = as_matching(item)
    lines = [f"// {item.id} ({item.source}, {item.points} point{'s' if item.points != 1 else ''})",
             f"::{escape(item.id)}::[html]{_html(item.prompt)}{{"]  # fmt: skip
    lines += [f"\t{answer}" for answer in _answers(item)]
    lines.append(f"\t####{_html(item.feedback_text)}")
    return "\n".join(lines) + "\n}"


def document(items: list[Item], top: str = "peaceops") -> str:
    """The GIFT file of ``items``: a category per chapter under ``$course$/<top>``."""
    blocks = []
    for chapter, found in chapters(items).items():
        blocks.append(f"$CATEGORY: $course$/{top}/{chapter}")
        blocks += [question(item) for item in found]
    return "\n\n".join(blocks) + "\n"
