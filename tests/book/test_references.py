"""The bibliography cites official texts, not copies (issue 15).

An entry whose url is on a document-sharing host fails, unless its key is in ALLOWED: works
whose official text could not be found. An entry whose url is on a republisher (a site that
reposts other people's press releases, articles, reports or treaty texts) fails likewise,
unless its key is in REPUBLISHED_ALLOWED with the reason the original was not used. Either
way an allowed entry must say so in its note, so that a reader knows the link is an
unofficial copy.
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


# Sites that repost texts first published by someone else: press-release wires and
# aggregators, mirrors of reports and journal articles, databases and archives of other
# bodies' documents (and their subdomains). "host/path" limits a host to one section:
# ReliefWeb's /report/ pages repost other organisations' documents, its organisation
# profiles are its own. A newspaper's own site is an original publisher and is not listed.
REPUBLISHER_HOSTS = {
    "africanlii.org",
    "allafrica.com",
    "austlii.edu.au",
    "bits.de",
    "cis-legislation.com",
    "congressionalresearch.com",
    "csotan.org",
    "einpresswire.com",
    "eurasiareview.com",
    "everycrsreport.com",
    "glostat.com",
    "intelros.ru",
    "machinman.net",
    "miragenews.com",
    "peaceagreements.org",
    "pireport.org",
    "planken.org",
    "polity.org.za",
    "refworld.org",
    "reliefweb.int/report",
    "sourcebooks.web.fordham.edu",
    "tellerreport.com",
    "thefreelibrary.com",
    "vlex.com",
}

# Keys that keep a republished copy, each with the reason; the entry's note must say
# "Unofficial copy".
REPUBLISHED_ALLOWED = {
    "minusma2019secteurcentre": (
        "MINUSMA release of June 2019; the closed mission's copy not located"
    ),
    "allafrica2023eacrf": "allAfrica story whose original publisher was not identified",
    "au2005asfroadmap": "AU roadmap of 2005; no AU copy located",
    "aupsc2015mnjtf": "PSC press statement of 27 April 2015; not located on peaceau.org",
    "duursmandpredict": "paper whose original publisher is not named on ReliefWeb",
    "ecowas1990decision": "ECOWAS decision of 1990; no ECOWAS copy located",
    "ecowas1999protocol": "ECOWAS protocol; not located on ecowas.int",
    "ecowas2007psc": "ECOWAS supplementary act; not located on ecowas.int",
    "ecowas2025withdrawal": "ECOWAS press statement; not located on ecowas.int",
    "gcis2015amani": "GCIS statement of 7 October 2015; not located on gov.za",
    "govse2024nato": "Swedish Government press release; not located on government.se",
    "iick2000kosovo": "Kosovo Report; no copy from the Commission or its publisher located",
    "katsos2012multinational": "JFQ 65 article; not located on ndupress.ndu.edu",
    "katsos2012united": "JFQ 66 article; not located on ndupress.ndu.edu",
    "minusma2022resumption": "MINUSMA media advisory; the closed mission's copy not located",
    "nato2001amberfox": "NATO press release of 27 September 2001; not located on nato.int",
    "nato2023finland": "NATO news release of 4 April 2023; not located on nato.int",
    "pifs2010biketawa": "Forum Secretariat release of 2010; not located on forumsec.org",
    "planken1996ifor": "NATO IFOR fact sheets; NATO's own pages not located",
    "ramsiagreement2003": "Australian Treaty Series text; not located in the government's database",
    "reliefweb2007uneu": "UN-EU joint statement of June 2007; no EU or UN copy located",
    "rfi2020ecomib": "RFI report; not located on rfi.fr",
    "sadc2024samim": "SADC press release; not located on sadc.int",
    "sco2001declaration": "SCO founding declaration; not located on the SCO Secretariat's site",
    "scocharter2002": "SCO Charter in English; not located on the SCO Secretariat's site",
    "unchronicle1998sierraleone": "UN Chronicle 1998 article; not located on un.org",
    "unchronicle1993unosom": "UN Chronicle 1993 article; not located on un.org",
    "unchronicle1994unomig": "UN Chronicle 1994 article; not located on un.org",
    "unnato2008declaration": "UN-NATO declaration of 2008, never published by the UN",
    "unnews2017g5": "UN News story of 23 June 2017; not located on news.un.org",
    "unsc2013res2127": "UN meetings coverage of 5 December 2013; not located on press.un.org",
    "weitz2012uzbekistan": "EurasiaNet article; not located on eurasianet.org",
}


def on_sharing_host(url: str) -> bool:
    """Whether ``url`` is on a document-sharing host or one of its subdomains."""
    host = (urlparse(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in DOCUMENT_SHARING_HOSTS)


def on_republisher(url: str) -> bool:
    """Whether ``url`` is on a republisher (a host, a subdomain, or a listed section)."""
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower()
    path = parsed.path.lower()
    for entry in REPUBLISHER_HOSTS:
        site, _, section = entry.partition("/")
        if not (host == site or host.endswith("." + site)):
            continue
        if not section or path == "/" + section or path.startswith("/" + section + "/"):
            return True
    return False


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


def test_no_entry_cites_a_republished_copy() -> None:
    offending = sorted(
        key
        for key, entry in entries().items()
        if key not in REPUBLISHED_ALLOWED and on_republisher(entry.fields.get("url", ""))
    )
    assert not offending, (
        f"cite the original publisher, not a republished copy: {offending} "
        "(or, if the original cannot be found, add the key to REPUBLISHED_ALLOWED with the reason)"
    )


def test_allowed_republished_copies_are_marked_and_still_needed() -> None:
    found = entries()
    for key, reason in sorted(REPUBLISHED_ALLOWED.items()):
        assert reason.strip(), f"{key}: give the reason the original is not cited"
        assert key in found, f"{key}: allowed but no longer in references.bib"
        entry = found[key]
        assert on_republisher(entry.fields.get("url", "")), (
            f"{key}: no longer a republished copy; remove it from REPUBLISHED_ALLOWED"
        )
        text = (entry.fields.get("note", "") + " " + entry.fields.get("howpublished", "")).lower()
        assert "unofficial copy" in text, (
            f"{key}: the note must say that the link is an unofficial copy"
        )


def test_republisher_check_matches_hosts_subdomains_and_sections() -> None:
    assert on_republisher("https://allafrica.com/stories/202501290308.html")
    assert on_republisher("https://fr.allafrica.com/stories/1.html")
    assert on_republisher("https://international.vlex.com/vid/sierra-leone-52648153")
    assert on_republisher("https://reliefweb.int/report/mali/resumption-minusma-air-operations")
    assert not on_republisher("https://reliefweb.int/organization/ecowas")
    assert not on_republisher("https://reliefweb.int/reports-of-its-own")
    assert not on_republisher("https://press.un.org/en/2020/sc14401.doc.htm")
    assert not on_republisher("https://notallafrica.com/x")
    assert not on_republisher("")


def test_host_check_matches_subdomains_only() -> None:
    assert on_sharing_host("https://fr.scribd.com/document/1")
    assert on_sharing_host("https://docslib.org/doc/1")
    assert not on_sharing_host("https://peacekeeping.un.org/en")
    assert not on_sharing_host("https://notscribd.com/x")
    assert not on_sharing_host("")
