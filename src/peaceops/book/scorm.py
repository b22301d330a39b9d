"""The built book as a SCORM package that any LMS imports (SCORM 1.2 or 2004 4th edition).

:func:`write_package` turns the offline site in ``_build/html`` into
``dist/<name>-scorm12.zip`` (or ``-scorm2004.zip``): the whole site as it is, an
``imsmanifest.xml`` at the root, and one SCO per chapter of ``_toc.yml``. A SCO is the
chapter page with its sections (the chapter's exercise page); the root page and each page of
the Scenario and Reference parts are SCOs of their own. Each SCO launches a small page
``scorm/<chapter>.html`` that holds the LMS session (``book/_theme/peaceops-scorm.js``) and
shows the chapter page in a frame, so that the learner can move between the chapter and its
exercises without ending the session. The site's own pages are not changed: opened outside
an LMS they keep the learning record in the browser.

Why one SCO per chapter rather than one for the course: the LMS then shows each learner's
progress and self-check score chapter by chapter (its gradebook and reports are per SCO),
and a SCO's state, the learning record of its own questions, fits SCORM 1.2's 4,096
characters of ``suspend_data``, which the record of the whole course (152 questions) would
not. The learner still reads the whole site from any SCO; answers given outside the
launched chapter are kept in the browser and reported when their chapter is launched.

The manifest lists every file: each SCO's resource lists its launch page and its pages, and
depends on one asset resource that lists every other file of the site (hidden files such as
Sphinx's ``.buildinfo`` are left out of the package). The organisation mirrors the toc's
parts. The score a SCO reports is its questions right out of the questions on its pages (the
page contract's ``data-question-id``), as a percentage.

Nothing here prints; the command line (``peaceops package scorm``) reports.
"""

from __future__ import annotations

import json
import re
import tomllib
import zipfile
from dataclasses import dataclass
from html import escape
from pathlib import Path
from xml.etree import ElementTree as ET

import yaml

from peaceops.book.offline import remote_loads
from peaceops.course.problems import BuildError, Problem

#: The versions this writes, as the command line names them.
VERSIONS = ("1.2", "2004")
#: Where the packages go, relative to the course root.
DIST_DIR = Path("dist")
#: The bridge, relative to the course root, and where it goes in the package.
BRIDGE = Path("book") / "_theme" / "peaceops-scorm.js"
BRIDGE_IN_PACKAGE = "_static/peaceops-scorm.js"
#: The launch pages' folder in the package.
LAUNCH_DIR = "scorm"
#: Every entry of the zip gets this time, so that the same site gives the same bytes.
ZIP_TIME = (2020, 1, 1, 0, 0, 0)

#: Files whose change makes the built site stale (what the build reads).
_SOURCES = ("_config.yml", "_toc.yml", "references.bib")
_SOURCE_GLOBS = ("book/**/*", "questions/**/*.yml", "data/*.csv")

NAMESPACES = {
    "1.2": {
        "": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
        "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    },
    "2004": {
        "": "http://www.imsglobal.org/xsd/imscp_v1p1",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
        "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
        "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
        "imsss": "http://www.imsglobal.org/xsd/imsss",
        "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    },
}
SCHEMA_LOCATIONS = {
    "1.2": (
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd "
        "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
        "http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd"
    ),
    "2004": (
        "http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd "
        "http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd "
        "http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd "
        "http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd "
        "http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd"
    ),
}
SCHEMA_VERSIONS = {"1.2": "1.2", "2004": "2004 4th Edition"}
#: The bridge keeps suspend_data within these many characters (CMIString4096 in 1.2).
SUSPEND_LIMITS = {"1.2": 4096, "2004": 64000}

_QUESTION_ID = re.compile(r'data-question-id="([^"]+)"')
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


@dataclass(frozen=True)
class Sco:
    """One SCO: a chapter page and its sections, launched by ``launch``."""

    identifier: str
    title: str
    pages: tuple[str, ...]  # the site's HTML files, relative to its root
    questions: tuple[str, ...]  # question ids on those pages, in page order

    @property
    def launch(self) -> str:
        return f"{LAUNCH_DIR}/{self.identifier.removeprefix('sco-')}.html"


@dataclass(frozen=True)
class Part:
    """A part of the toc (``title`` None for the root page), with its SCOs."""

    title: str | None
    scos: tuple[Sco, ...]


@dataclass(frozen=True)
class Package:
    """A written package: where it is, its version, its SCOs and how many files it holds."""

    path: Path
    version: str
    parts: tuple[Part, ...]
    files: int

    @property
    def scos(self) -> list[Sco]:
        return [sco for part in self.parts for sco in part.scos]


def package_name(root: Path) -> str:
    """The project's name (``[project].name`` of pyproject.toml), else the folder's name."""
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        name = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("name")
        if name:
            return str(name)
    return root.name


def package_path(root: Path, version: str, name: str | None = None) -> Path:
    """``dist/<name>-scorm12.zip`` or ``dist/<name>-scorm2004.zip`` under the root."""
    suffix = version.replace(".", "")
    return root / DIST_DIR / f"{name or package_name(root)}-scorm{suffix}.zip"


def site_is_stale(root: Path, html_dir: Path) -> bool:
    """Whether the built site is missing, or older than a file the build reads.

    Compares the newest source (the config, the toc, the bibliography, ``book/``, the bank
    and the tables) with the newest file of the site (the build copies the theme's files
    with their own times, and writes every page whose source changed).
    """
    if not (html_dir / "index.html").is_file():
        return True
    built = max(p.stat().st_mtime for p in html_dir.rglob("*") if p.is_file())
    sources = [root / name for name in _SOURCES]
    sources += [p for pattern in _SOURCE_GLOBS for p in root.glob(pattern)]
    newest = max((p.stat().st_mtime for p in sources if p.is_file()), default=0.0)
    return newest > built


def plan(root: Path, html_dir: Path) -> list[Part]:
    """The package's parts and SCOs, from ``_toc.yml`` and the built pages."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    problems: list[Problem] = []
    parts = [Part(None, (_sco(str(toc["root"]), [], html_dir, problems),))]
    for part in toc.get("parts", []):
        scos = []
        for chapter in part.get("chapters", []):
            sections = [str(s["file"]) for s in chapter.get("sections", []) if "file" in s]
            scos.append(_sco(str(chapter["file"]), sections, html_dir, problems))
        parts.append(Part(str(part.get("caption", "")), tuple(scos)))
    if problems:
        raise BuildError("The built site lacks pages of the toc: build the book first.", problems)
    return parts


def _sco(name: str, sections: list[str], html_dir: Path, problems: list[Problem]) -> Sco:
    pages = tuple(f"{page}.html" for page in [name, *sections])
    questions: list[str] = []
    title = name
    for number, page in enumerate(pages):
        path = html_dir / page
        if not path.is_file():
            problems.append(Problem(page, None, "not in the built site", "Run: peaceops build"))
            continue
        text = path.read_text(encoding="utf-8")
        questions += [q for q in _QUESTION_ID.findall(text) if q not in questions]
        found = _TITLE.search(text)
        if number == 0 and found:
            title = _page_title(found.group(1))
    identifier = "sco-" + re.sub(r"[^A-Za-z0-9]+", "-", name.removeprefix("book/")).strip("-")
    return Sco(identifier, title, pages, tuple(questions))


def _page_title(html_title: str) -> str:
    """The page's own title, without the book's title after the dash."""
    text = re.sub(r"<[^>]+>", "", html_title)
    text = text.replace("&#8212;", "\u2014").replace("&amp;", "&").replace("&quot;", '"')
    return text.split(" \u2014 ")[0].strip()


def site_files(html_dir: Path) -> list[str]:
    """Every file of the site to package, relative and sorted (hidden files left out)."""
    return sorted(
        p.relative_to(html_dir).as_posix()
        for p in html_dir.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(html_dir).parts)
    )


def manifest(parts: list[Part], files: list[str], version: str, title: str, name: str) -> str:
    """The ``imsmanifest.xml`` text: the organisation of SCOs and a resource for every file.

    ``files`` is every file of the package but the manifest (site, launch pages, bridge).
    """
    if version not in VERSIONS:
        raise ValueError(f"SCORM version {version!r}: choose one of {', '.join(VERSIONS)}")
    ns = NAMESPACES[version]
    for prefix, uri in ns.items():
        ET.register_namespace(prefix, uri)

    def tag(local: str, prefix: str = "") -> str:
        return f"{{{ns[prefix]}}}{local}"

    scorm_type = tag("scormtype" if version == "1.2" else "scormType", "adlcp")
    root = ET.Element(tag("manifest"), {"identifier": f"{name}-course", "version": "1.0"})
    root.set(tag("schemaLocation", "xsi"), SCHEMA_LOCATIONS[version])
    metadata = ET.SubElement(root, tag("metadata"))
    ET.SubElement(metadata, tag("schema")).text = "ADL SCORM"
    ET.SubElement(metadata, tag("schemaversion")).text = SCHEMA_VERSIONS[version]

    organizations = ET.SubElement(root, tag("organizations"), {"default": "organization"})
    organization = ET.SubElement(organizations, tag("organization"), {"identifier": "organization"})
    ET.SubElement(organization, tag("title")).text = title

    def item(parent: ET.Element, sco: Sco) -> None:
        node = ET.SubElement(
            parent,
            tag("item"),
            {"identifier": "item-" + sco.identifier, "identifierref": sco.identifier},
        )
        ET.SubElement(node, tag("title")).text = sco.title

    for number, part in enumerate(parts):
        if part.title is None:
            for sco in part.scos:
                item(organization, sco)
            continue
        group = ET.SubElement(organization, tag("item"), {"identifier": f"part-{number}"})
        ET.SubElement(group, tag("title")).text = part.title
        for sco in part.scos:
            item(group, sco)

    resources = ET.SubElement(root, tag("resources"))
    owned: set[str] = set()
    for part in parts:
        for sco in part.scos:
            resource = ET.SubElement(
                resources,
                tag("resource"),
                {"identifier": sco.identifier, "type": "webcontent", "href": sco.launch},
            )
            resource.set(scorm_type, "sco")
            for href in (sco.launch, *sco.pages):
                ET.SubElement(resource, tag("file"), {"href": href})
                owned.add(href)
            ET.SubElement(resource, tag("dependency"), {"identifierref": "site"})
    site = ET.SubElement(resources, tag("resource"), {"identifier": "site", "type": "webcontent"})
    site.set(scorm_type, "asset")
    for href in files:
        if href not in owned:
            ET.SubElement(site, tag("file"), {"href": href})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def launch_page(sco: Sco, version: str) -> str:
    """The HTML page that launches a SCO: the LMS bridge and the chapter page in a frame."""
    config = {
        "version": version,
        "sco": sco.identifier,
        "start": "../" + sco.pages[0],
        "pages": ["../" + page for page in sco.pages],
        "questions": list(sco.questions),
        "limit": SUSPEND_LIMITS[version],
    }
    data = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
    title = escape(sco.title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>html, body {{ margin: 0; height: 100%; overflow: hidden; }}
iframe {{ display: block; border: 0; width: 100%; height: 100%; }}</style>
<script type="application/json" id="peaceops-sco">{data}</script>
</head>
<body>
<iframe id="peaceops-frame" title="{title}"></iframe>
<script src="../_static/peaceops-exercises.js"></script>
<script src="../{BRIDGE_IN_PACKAGE}"></script>
</body>
</html>
"""


def write_package(
    root: Path,
    html_dir: Path,
    version: str = "1.2",
    *,
    out: Path | None = None,
    name: str | None = None,
) -> Package:
    """Write the SCORM package of the built site ``html_dir``; return what was written.

    ``out`` defaults to :func:`package_path`. Raises :class:`BuildError` when a toc page is
    not built or when a page would load anything from another host.
    """
    if version not in VERSIONS:
        raise ValueError(f"SCORM version {version!r}: choose one of {', '.join(VERSIONS)}")
    name = name or package_name(root)
    out = out or package_path(root, version, name)
    remote = remote_loads(html_dir)
    if remote:
        raise BuildError(
            "The site loads files from another host; an LMS package must not.",
            [Problem(r.file, None, f"<{r.tag}> loads {r.url}", "Vendor the file.") for r in remote],
        )
    parts = plan(root, html_dir)
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    title = str(config.get("title") or name)
    contents: dict[str, bytes | Path] = {f: html_dir / f for f in site_files(html_dir)}
    contents[BRIDGE_IN_PACKAGE] = (root / BRIDGE).read_bytes()
    for part in parts:
        for sco in part.scos:
            contents[sco.launch] = launch_page(sco, version).encode("utf-8")
    text = manifest(parts, sorted(contents), version, title, name)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        _add(archive, "imsmanifest.xml", text.encode("utf-8"))
        for href in sorted(contents):
            body = contents[href]
            _add(archive, href, body.read_bytes() if isinstance(body, Path) else body)
    partial.replace(out)
    return Package(out, version, tuple(parts), len(contents) + 1)


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)
