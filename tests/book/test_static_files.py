"""The built site carries only the static files a page can load (no source maps, no
build-time catalogues, no unused theme scripts), and nothing a page loads is lost."""

from __future__ import annotations

from pathlib import Path

from peaceops.book import static_files


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_prune_keeps_what_a_page_reaches_and_drops_the_rest(tmp_path: Path) -> None:
    site = tmp_path / "html"
    write(site / "index.html", '<link href="_static/styles/theme.css"><script src="_static/a.js">')
    write(site / "book" / "page.html", '<img src="../_static/images/logo.svg">')
    css = "@font-face{src:url(../vendor/fa-solid.woff2)}\n/*# sourceMappingURL=theme.css.map*/"
    theme = write(site / "_static/styles/theme.css", css)
    write(site / "_static/styles/theme.css.map", "{}")
    write(site / "_static/vendor/fa-solid.woff2", "font")
    write(site / "_static/a.js", "load('b.js')\n//# sourceMappingURL=a.js.map")
    write(site / "_static/b.js", "")
    write(site / "_static/images/logo.svg", "<svg/>")
    write(site / "_static/unused.js", "load('orphan.png')")  # unreached: nor is what it names
    write(site / "_static/orphan.png", "png")
    write(site / "_static/locales/de/LC_MESSAGES/theme.mo", "mo")
    write(site / "_static/bridge.js", "")  # the book's own, loaded by a package page only

    pruned = static_files.prune(site, own=frozenset({"bridge.js"}))

    left = sorted(p.relative_to(site / "_static").as_posix()
                  for p in (site / "_static").rglob("*") if p.is_file())  # fmt: skip
    assert left == ["a.js", "b.js", "bridge.js", "images/logo.svg", "styles/theme.css",
                    "vendor/fa-solid.woff2"]  # fmt: skip
    assert pruned.files == 4 and pruned.bytes == len("{}load('orphan.png')pngmo")
    assert not (site / "_static/locales").exists(), "emptied folders go too"
    assert "sourceMappingURL" not in theme.read_text() + (site / "_static/a.js").read_text()
    assert static_files.prune(site, own=frozenset({"bridge.js"})).files == 0, "idempotent"


def test_the_built_site_carries_no_unused_static_file(built_html: Path) -> None:
    static = built_html / "_static"
    files = [p for p in static.rglob("*") if p.is_file()]
    assert files, "the site has static files"
    assert static_files.reachable(built_html) >= {
        p for p in files if p.name not in {"peaceops-scorm.js"}
    }, "every static file but the SCORM bridge is loaded by some page"
    assert not [p for p in files if p.suffix in static_files.BUILD_ONLY]
    scripts = " ".join(p.read_text(errors="replace") for p in files if p.suffix in {".js", ".css"})
    assert "sourceMappingURL" not in scripts
    size = sum(p.stat().st_size for p in files)
    assert size < 3_000_000, f"_static weighs {size / 1e6:.1f} MB"
