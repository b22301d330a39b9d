"""Layer 3, the bank for other learning platforms: Moodle XML, GIFT, QTI for Canvas.

``export.py`` turns each bank question into one neutral item (the type mapping, shared
by every format); ``moodle.py``, ``gift.py`` and ``qti.py`` write items; ``files.py``
writes the practice bank (and an assessment pool) to files. Imports only the bank and
the data tables, never the exercises, the grading or the book.
"""

from peaceops.lms.export import MAPPINGS, Item, items_of, mapping_table, summary
from peaceops.lms.files import FORMATS, Written, export_bank

__all__ = [
    "FORMATS",
    "MAPPINGS",
    "Item",
    "Written",
    "export_bank",
    "items_of",
    "mapping_table",
    "summary",
]
