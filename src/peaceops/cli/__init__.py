"""Layer 5, the ``peaceops`` command: book, exercises and quiz sub-commands.

The top of the package; nothing imports it.
"""

from peaceops.cli.commands import main, parser

__all__ = ["main", "parser"]
