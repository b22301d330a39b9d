"""The bibliography cites official texts, not copies on document-sharing sites (issue 15).

An entry whose url is on a document-sharing host fails, unless its key is in ALLOWED: works
whose official text could not be found. An allowed entry must say so in its note, so that a
reader knows the link is an unofficial copy.
"""

from __future__ import annotations

from urllib.parse import urlparse

from conftest import ROOT
from pybtex.database import parse_file

# Sites that host uploads of other people's documents (and their mirrors and language
# subdomains: fr.scribd.com matches scribd.com).
DOCUMENT_SHARING_HOSTS = {
    "1library.net",
    "academia.edu",
    "anyflip.com",
    "careersdocbox.com",
    "coursehero.com",
    "doc256.com",
    "docdroid.net",
    "docplayer.net",
    "docslib.org",
    "documents.pub",
    "dokumen.pub",
    "dokumen.tips",
    "fdocuments.in",
    "fdocuments.net",
    "issuu.com",
    "lawsdocbox.com",
    "pdfcoffee.com",
    "pdfprof.com",
    "pdfslide.net",
    "present5.com",
    "readkong.com",
    "scribd.com",
    "slideserve.com",
    "slideshare.net",
    "studylib.es",
    "studylib.net",
    "vdocument.in",
    "vdocuments.mx",
    "vdocuments.site",
    "wixlib.com",
    "yumpu.com",
    "9dok.net",
    "9pdf.net",
}

# Keys whose official text could not be found; each keeps its copy, marked in its note.
ALLOWED = {
    # DPKO-DFS Guidelines Ref. 2018.29: not found in the UN Policy and Practices database
    # or on the Peacekeeping Resource Hub; only a Scribd upload.
    "unreadiness2018",
    # IPI issue brief (April 2019): the copy on ipinst.org was not located.
    "mir2019financing",
    # DPKO Office of Military Affairs briefing slides (2015): never published officially.
    "dpko2015pcrs",
    # Integrated Training Service slides of the LCM meeting (2019): never published officially.
    "lcm2019",
    # Council Secretariat fact sheet Althea/21 (April 2010): only older updates are on
    # official EU archives.
    "eucouncil2010althea",
    # EPRS briefing (February 2016): the copy on the Parliament's Think Tank was not located.
    "eprs2016csdp",
    # ASF doctrine, final draft (2013): no African Union copy found.
    "asf2013doctrine",
}


def on_sharing_host(url: str) -> bool:
    host = (urlparse(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in DOCUMENT_SHARING_HOSTS)


def entries() -> dict:
    return parse_file(str(ROOT / "references.bib")).entries


def test_no_entry_cites_a_document_sharing_copy() -> None:
    offending = sorted(
        key
        for key, entry in entries().items()
        if key not in ALLOWED and on_sharing_host(entry.fields.get("url", ""))
    )
    assert not offending, (
        f"cite the official text, not a document-sharing copy: {offending} "
        "(or, if none can be found, add the key to ALLOWED with the reason)"
    )


def test_allowed_copies_are_marked_and_still_needed() -> None:
    found = entries()
    for key in sorted(ALLOWED):
        assert key in found, f"{key}: allowed but no longer in references.bib"
        entry = found[key]
        assert on_sharing_host(entry.fields.get("url", "")), (
            f"{key}: no longer a document-sharing copy; remove it from ALLOWED"
        )
        text = (entry.fields.get("note", "") + " " + entry.fields.get("howpublished", "")).lower()
        assert any(s in text for s in ("no official", "no copy on", "not located")), (
            f"{key}: the note must say that no official copy was found"
        )


def test_host_check_matches_subdomains_only() -> None:
    assert on_sharing_host("https://fr.scribd.com/document/1")
    assert on_sharing_host("https://docslib.org/doc/1")
    assert not on_sharing_host("https://peacekeeping.un.org/en")
    assert not on_sharing_host("https://notscribd.com/x")
    assert not on_sharing_host("")
