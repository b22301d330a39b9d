"""Find anything a built page would load from another host when it opens.

A static scan of the built HTML and CSS: script, stylesheet, image, frame and media
sources, ``srcset``, inline ``style`` and CSS ``url()`` / ``@import``. Ordinary links
(``<a href>``, ``rel="canonical"``) are not loads and are ignored. The browser test in
``tests/book/test_offline.py`` checks the same thing by watching real requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.I)
#: <link rel=...> values that make the browser fetch the target.
_LOADING_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "icon",
    "shortcut",
    "manifest",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "apple-touch-icon",
}
_SRC_TAGS = {
    "script",
    "img",
    "iframe",
    "frame",
    "embed",
    "source",
    "audio",
    "video",
    "track",
    "input",
}


@dataclass(frozen=True)
class RemoteLoad:
    """A resource that a built file would fetch from another host."""

    file: str
    tag: str
    url: str

    def __str__(self) -> str:
        return f"{self.file}: <{self.tag}> loads {self.url}"


def is_remote(url: str) -> bool:
    """True for an absolute http(s) or protocol-relative URL."""
    url = url.strip()
    return bool(_REMOTE.match(url)) and not url.lower().startswith(("data:", "blob:"))


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loads: list[tuple[str, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "link":
            rels = set(values.get("rel", "").lower().split())
            if rels & _LOADING_RELS:
                self.loads.append((tag, values.get("href", "")))
        if tag in _SRC_TAGS and "src" in values:
            self.loads.append((tag, values["src"]))
        if tag == "object" and "data" in values:
            self.loads.append((tag, values["data"]))
        if tag == "video" and "poster" in values:
            self.loads.append((tag, values["poster"]))
        for candidate in values.get("srcset", "").split(","):
            if candidate.strip():
                self.loads.append((tag, candidate.strip().split()[0]))
        for url in _css_urls(values.get("style", "")):
            self.loads.append((tag + "[style]", url))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.loads.extend(("style", url) for url in _css_urls(data))


def _css_urls(css: str) -> list[str]:
    return [a or b for a, b in _CSS_URL.findall(css)]


def remote_loads(html_dir: Path) -> list[RemoteLoad]:
    """Every remote load in the HTML and CSS files under ``html_dir``."""
    found: list[RemoteLoad] = []
    for path in sorted(html_dir.rglob("*")):
        if path.suffix not in {".html", ".css"} or not path.is_file():
            continue
        rel = str(path.relative_to(html_dir))
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".css":
            pairs = [("css", url) for url in _css_urls(text)]
        else:
            scanner = _Scanner()
            scanner.feed(text)
            pairs = scanner.loads
        found.extend(RemoteLoad(rel, tag, url) for tag, url in pairs if is_remote(url))
    return found
