"""Leave out of the built site the static files that no page can load.

Sphinx and its themes copy whole folders into ``_static``: source maps, gettext
catalogues read only at build time, Font Awesome's 1.5 MB script (the theme's icons come
from its web fonts), Thebe's launcher. They weigh about half the site, and the SCORM
package and a downloaded copy carry them to every learner.

The book's own static files (``book/_theme``: a SCORM bridge loaded only by the package's
launch pages, for one) are always kept. Any other static file is kept when it is
*reachable*: a page (an HTML file outside ``_static``)
names it, or a kept stylesheet or script does, by its file name (a conservative test: a
name that appears anywhere in the text counts, whatever the path before it). Source maps
and gettext catalogues (``.map``, ``.po``, ``.mo``) are never loaded by a page and go even
when a script names its map in a ``sourceMappingURL`` comment; the comment goes with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

STATIC = "_static"
#: Files a browser never loads for a reader.
BUILD_ONLY = (".map", ".po", ".mo")
#: Text files in which a reference to another static file is looked for.
TEXT = (".html", ".css", ".js", ".json", ".svg")
_SOURCE_MAP = re.compile(rb"\n?/[/*][#@] sourceMappingURL=[^\s*]+(?:\s*\*/)?[ \t]*(?=\n|$)")


@dataclass(frozen=True)
class Pruned:
    """What :func:`prune` took out of a site."""

    files: int
    bytes: int


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def reachable(site: Path, own: frozenset[str] = frozenset()) -> set[Path]:
    """The static files of ``site`` a page can load, directly or through a kept file,
    and those whose path under ``_static`` is in ``own`` (the book's own files)."""
    static = site / STATIC
    candidates = [p for p in static.rglob("*") if p.is_file() and p.suffix not in BUILD_ONLY]
    pages = [p for p in site.rglob("*.html") if static not in p.parents]
    kept = {p for p in candidates if p.relative_to(static).as_posix() in own}
    by_name: dict[str, list[Path]] = {}
    for path in candidates:
        if path not in kept:
            by_name.setdefault(path.name, []).append(path)
    todo = [_text(p) for p in pages] + [_text(p) for p in kept if p.suffix in TEXT]
    while todo:
        text = todo.pop()
        for name, paths in by_name.items():
            if name in text:
                for path in paths:
                    if path not in kept:
                        kept.add(path)
                        if path.suffix in TEXT:
                            todo.append(_text(path))
        by_name = {n: ps for n, ps in by_name.items() if not set(ps) <= kept}
    return kept


def prune(site: Path, own: frozenset[str] = frozenset()) -> Pruned:
    """Delete the static files of ``site`` that no page can load; return what went.

    ``own``: paths under ``_static`` of the book's own static files, always kept. A site
    without ``_static`` is left as it is.
    """
    static = site / STATIC
    if not static.is_dir():
        return Pruned(0, 0)
    kept = reachable(site, own)
    files = size = 0
    for path in sorted(static.rglob("*"), reverse=True):
        if path.is_file() and path not in kept:
            size += path.stat().st_size
            files += 1
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for path in kept:
        if path.suffix in (".js", ".css"):
            raw = path.read_bytes()
            bare = _SOURCE_MAP.sub(b"", raw)
            if bare != raw:
                path.write_bytes(bare)
    return Pruned(files, size)
