"""Sphinx extension: sphinxcontrib-bibtex without its two slow paths.

1. It looks up a pybtex plugin (the plain-text backend) for every citation it resolves,
   and pybtex finds plugins by scanning the entry points of every installed package
   (about 30 ms in this environment, so 10-30 s per build for the course's ~940
   citations). This extension registers pybtex's installed plugins once at start-up, with
   pybtex's own ``register_plugin``; a lookup is then a dictionary access.
2. It formats every entry of every bibliography (the Bibliography page's
several hundred included, twice each for the tooltips) after reading, on every build,
even when no page was read: most of a rebuild with nothing to do went there. This
extension replaces its domain with one that keeps each bibliography's formatted entries
in the build environment, keyed on everything the formatting reads (the directive's
options, the bib files' modification times, the citations that can reach it, in page
order, the styles and the code that formats), and formats again when any of it differs.

A bibliography whose formatting warned (a missing field) is never kept, so the warning
comes back on the next build and the strict build stays strict. ``peaceops build`` adds
this extension; a plain ``jupyter-book build`` works without it, only slower.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import inspect
from importlib.metadata import entry_points, version
from typing import Any

import pybtex.plugin
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.domain import BibtexDomain

#: Where the kept entries live in the domain's data (pickled with the environment).
CACHE = "peaceops_formatted"


@functools.cache
def _code_digest(*objects: object) -> str:
    """A digest of the source of the classes that format entries."""
    digest = hashlib.sha256(version("sphinxcontrib-bibtex").encode())
    for obj in objects:
        try:
            digest.update(inspect.getsource(obj).encode())
        except (OSError, TypeError):
            digest.update(repr(obj).encode())
    return digest.hexdigest()


class CachedBibtexDomain(BibtexDomain):
    """sphinxcontrib-bibtex's domain, with each bibliography's formatted entries kept."""

    def _fingerprint(self, bibliography_key, docnames: list[str], tooltips, tooltips_style):  # noqa: ANN001
        bib = self.bibliographies[bibliography_key]
        order = {name: i for i, name in enumerate(docnames)}
        refs = sorted(
            (
                (ref.docname, tuple(t.key for t in ref.targets))
                for ref in self.citation_refs
                if any(t.key.startswith(bib.keyprefix) for t in ref.targets)
            ),
            key=lambda ref: order.get(ref[0], len(order)),
        )
        styles = [bib.style] + ([tooltips_style] if tooltips and tooltips_style else [])
        classes = [pybtex.plugin.find_plugin("pybtex.style.formatting", s) for s in styles]
        files = [(str(f), self.bibdata.bibfiles[f].mtime) for f in bib.bibfiles
                 if f in self.bibdata.bibfiles]  # fmt: skip
        return repr(
            (
                bibliography_key.docname,
                files,
                bib.style,
                bib.labelprefix,
                bib.keyprefix,
                ast.dump(bib.filter_),
                list(bib.keys),
                refs,
                bool(tooltips),
                tooltips_style,
                _code_digest(*classes),
            )
        )

    def get_formatted_entries(self, bibliography_key, docnames, tooltips, tooltips_style):  # noqa: ANN001, ANN201
        """The bibliography's entries as sphinxcontrib-bibtex formats them, kept when unchanged."""
        cache: dict[Any, tuple[str, list]] = self.data.setdefault(CACHE, {})
        for stale in set(cache) - set(self.bibliographies):
            del cache[stale]
        key = self._fingerprint(bibliography_key, docnames, tooltips, tooltips_style)
        kept = cache.get(bibliography_key)
        if kept and kept[0] == key:
            yield from kept[1]
            return
        app = self.env.app
        warnings = app._warncount
        entries = list(
            super().get_formatted_entries(bibliography_key, docnames, tooltips, tooltips_style)
        )
        if app._warncount == warnings:
            cache[bibliography_key] = (key, entries)
        else:
            cache.pop(bibliography_key, None)
        yield from entries


#: The pybtex plugin groups sphinxcontrib-bibtex looks plugins up in while it builds.
PLUGIN_GROUPS = [
    "pybtex.backends",
    "pybtex.style.formatting",
    "pybtex.style.labels",
    "pybtex.style.names",
    "pybtex.style.sorting",
]


def register_installed_plugins() -> int:
    """Register pybtex's installed plugins at run time, so finding one scans nothing.

    A plugin registered at run time already (the course's own style) is kept. Returns how
    many were registered.
    """
    installed = entry_points()
    count = 0
    for base in PLUGIN_GROUPS:
        for group in (base, base + ".aliases"):
            registered = pybtex.plugin._RUNTIME_PLUGINS.get(group, {})
            for point in installed.select(group=group):
                if point.name not in registered:
                    pybtex.plugin.register_plugin(group, point.name, point.load(), force=True)
                    count += 1
    return count


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension with Sphinx (after sphinxcontrib-bibtex)."""
    app.setup_extension("sphinxcontrib.bibtex")
    register_installed_plugins()
    app.add_domain(CachedBibtexDomain, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
