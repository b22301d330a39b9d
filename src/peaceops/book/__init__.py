"""Layer 4, the Jupyter Book: the strict build, its problems, the glossary, the offline
and originality checks, and the Sphinx extensions (``peaceops.book.sphinx``).

``from peaceops import book`` gives the build. Imports every lower layer it needs
(it regenerates the exercise notebooks before a build), never the command line.
"""

from peaceops.book.builder import HTML_DIR, WORK_DIR, BuildResult, build
from peaceops.course.problems import BuildError, Problem

__all__ = ["HTML_DIR", "WORK_DIR", "BuildError", "BuildResult", "Problem", "build"]
