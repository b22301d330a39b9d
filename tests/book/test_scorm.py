"""The course as a SCORM package (``peaceops package scorm``): the manifest lists every file
and every chapter SCO, and a SCO run under a stand-in LMS (npm's scorm-again, vendored in
tests/vendor/) reports completion, the score and the learner's answers, and restores them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree as ET

import pytest
import yaml
from browser import Visit, open_offline, serve

from peaceops import bank
from peaceops.book import offline, scorm
from peaceops.cli import main

pytestmark = [pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "tests" / "vendor" / "scorm-again.min.js"
CHAPTER = "book/frameworks/framework"
SHORT = "book/scenario/scenario-mandate"  # two questions: quick to complete
SUSPEND = "cmi.suspend_data"
VERSIONS = {
    "1.2": {
        "class": "Scorm12API", "global": "API", "init": "LMSInitialize", "set": "LMSSetValue",
        "get": "LMSGetValue",
        "commit": "LMSCommit", "finish": "LMSFinish", "status": "cmi.core.lesson_status",
        "raw": "cmi.core.score.raw", "min": "cmi.core.score.min", "max": "cmi.core.score.max",
        "exit": "cmi.core.exit", "time": "cmi.core.session_time", "zip": "scorm12",
        "namespace": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2", "type": "scormtype",
    },
    "2004": {
        "class": "Scorm2004API", "global": "API_1484_11", "init": "Initialize",
        "set": "SetValue", "get": "GetValue", "commit": "Commit", "finish": "Terminate",
        "status": "cmi.completion_status", "raw": "cmi.score.raw", "min": "cmi.score.min",
        "max": "cmi.score.max", "exit": "cmi.exit", "time": "cmi.session_time",
        "zip": "scorm2004", "namespace": "http://www.imsglobal.org/xsd/imscp_v1p1",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3", "type": "scormType",
    },
}  # fmt: skip

# The stand-in LMS: scorm-again's API object on the host page, every call recorded, and the
# SCO in a frame. window.__cmi (set by the test) is the learner's data the LMS starts with.
HOST = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Stand-in LMS</title>
<script src="scorm-again.min.js"></script></head>
<body>
<script>
  var names = %(names)s;
  window.calls = [];
  var api = new window[names["class"]]({ logLevel: 5, autocommit: false });
  api.loadFromJSON(window.__cmi || {});
  [names.init, names.commit, names.finish].forEach(function (name) {
    api.on(name, function () { window.calls.push([name]); });
  });
  api.on(names.set + ".cmi.*", function (element, value) {
    window.calls.push([names.set, element, String(value)]);
  });
  window[names.global] = api;
  var frame = document.createElement("iframe");
  frame.id = "lms";
  frame.title = "course";
  frame.style.width = "100%%";
  frame.style.height = "900px";
  frame.src = %(launch)s;
  document.body.appendChild(frame);
</script>
</body></html>
"""


@pytest.fixture(scope="module", params=list(VERSIONS))
def package(request, built_html: Path, tmp_path_factory) -> tuple[str, scorm.Package, Path]:
    """(version, the written package, the folder it is unpacked in under ``pkg/``)."""
    version = request.param
    folder = tmp_path_factory.mktemp(f"scorm{version}")
    written = scorm.write_package(ROOT, built_html, version, out=folder / "course.zip")
    with zipfile.ZipFile(written.path) as archive:
        archive.extractall(folder / "pkg")
    return version, written, folder


def manifest(folder: Path) -> ET.Element:
    return ET.parse(folder / "pkg" / "imsmanifest.xml").getroot()


def test_the_package_is_named_by_version() -> None:
    assert scorm.package_path(ROOT, "1.2").name == "peaceops-scorm12.zip"
    assert scorm.package_path(ROOT, "2004").name == "peaceops-scorm2004.zip"
    assert scorm.package_path(ROOT, "1.2").parent == ROOT / "dist"


def test_a_missing_site_is_stale(tmp_path: Path) -> None:
    assert scorm.site_is_stale(ROOT, tmp_path / "html")


def test_the_command_writes_the_package(built_html: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "course.zip"
    assert not scorm.site_is_stale(ROOT, built_html)  # so the command does not build again
    assert main(["package", "scorm", "--version", "2004", "--output", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        assert "imsmanifest.xml" in archive.namelist()
        assert b"2004 4th Edition" in archive.read("imsmanifest.xml")
    assert "SCORM 2004 4th Edition" in capsys.readouterr().out


def test_the_manifest_has_the_version_s_schema_and_namespaces(package) -> None:
    version, _, folder = package
    names = VERSIONS[version]
    root = manifest(folder)  # well-formed, or ET raises
    ns = {"cp": names["namespace"]}
    assert root.tag == f"{{{names['namespace']}}}manifest"
    assert root.findtext("cp:metadata/cp:schema", namespaces=ns) == "ADL SCORM"
    assert root.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == (
        "1.2" if version == "1.2" else "2004 4th Edition"
    )
    location = root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()
    assert names["namespace"] in location[::2] and names["adlcp"] in location[::2]
    kinds = {
        r.get(f"{{{names['adlcp']}}}{names['type']}") for r in root.iter(f"{{{ns['cp']}}}resource")
    }
    assert kinds == {"sco", "asset"}
    identifiers = [e.get("identifier") for e in root.iter() if e.get("identifier")]
    assert len(identifiers) == len(set(identifiers))


def test_every_file_is_listed_once_and_every_href_exists(package) -> None:
    version, _, folder = package
    ns = {"cp": VERSIONS[version]["namespace"]}
    root = manifest(folder)
    unpacked = {
        p.relative_to(folder / "pkg").as_posix() for p in (folder / "pkg").rglob("*") if p.is_file()
    }
    listed = [f.get("href") for f in root.iterfind(".//cp:resource/cp:file", ns)]
    assert len(listed) == len(set(listed)), "a file is listed in two resources"
    assert set(listed) == unpacked - {"imsmanifest.xml"}
    for resource in root.iterfind(".//cp:resource", ns):
        if resource.get("href"):
            assert (folder / "pkg" / resource.get("href")).is_file()
    resources = {r.get("identifier") for r in root.iterfind(".//cp:resource", ns)}
    for ref in root.iterfind(".//cp:dependency", ns):
        assert ref.get("identifierref") in resources


def test_the_whole_site_is_in_the_package(package, built_html: Path) -> None:
    _, _, folder = package
    for name in scorm.site_files(built_html):
        assert (folder / "pkg" / name).is_file(), name
    assert (folder / "pkg" / scorm.BRIDGE_IN_PACKAGE).read_bytes() == (
        ROOT / scorm.BRIDGE
    ).read_bytes()


def test_the_organisation_lists_every_chapter_sco(package) -> None:
    version, _, folder = package
    names = VERSIONS[version]
    ns = {"cp": names["namespace"]}
    root = manifest(folder)
    scos = {
        r.get("identifier"): [f.get("href") for f in r.iterfind("cp:file", ns)]
        for r in root.iterfind(".//cp:resource", ns)
        if r.get(f"{{{names['adlcp']}}}{names['type']}") == "sco"
    }
    referenced = [i.get("identifierref") for i in root.iterfind(".//cp:organization//cp:item", ns)]
    assert sorted(r for r in referenced if r) == sorted(scos)
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    chapters = [(toc["root"], [])] + [
        (c["file"], [s["file"] for s in c.get("sections", [])])
        for part in toc["parts"]
        for c in part["chapters"]
    ]
    pages_of = {tuple(files[1:]) for files in scos.values()}
    for chapter, sections in chapters:
        assert tuple(f"{p}.html" for p in [chapter, *sections]) in pages_of, chapter
    captions = [
        i.findtext("cp:title", namespaces=ns)
        for i in root.iterfind("cp:organizations/cp:organization/cp:item", ns)
    ]
    assert [p["caption"] for p in toc["parts"]] == [
        c for c in captions if c in {p["caption"] for p in toc["parts"]}
    ]


def test_each_sco_counts_the_questions_on_its_pages(package) -> None:
    _, written, _ = package
    by_chapter = bank.by_chapter(bank.load_bank())
    scos = {sco.pages[0]: sco for sco in written.scos}
    for chapter, questions in by_chapter.items():
        assert {q.id for q in questions} <= set(scos[f"{chapter}.html"].questions), chapter
    assert not scos["book/intro.html"].questions


def test_nothing_in_the_package_loads_from_another_host(package) -> None:
    _, _, folder = package
    assert offline.remote_loads(folder / "pkg") == []


# -- the SCO under a stand-in LMS (Chromium) ---------------------------------------------


def sco_of(written: scorm.Package, chapter: str) -> scorm.Sco:
    return next(sco for sco in written.scos if sco.pages[0] == f"{chapter}.html")


def host(folder: Path, version: str, sco: scorm.Sco) -> str:
    """Write the stand-in LMS page beside the unpacked package; return its name."""
    (folder / "scorm-again.min.js").write_bytes(VENDOR.read_bytes())
    name = f"host-{sco.identifier}.html"
    text = HOST % {
        "names": json.dumps(VERSIONS[version]),
        "launch": json.dumps("pkg/" + sco.launch),
    }
    (folder / name).write_text(text, encoding="utf-8")
    return name


def lms_context(browser):
    """A browser context (its own storage) with every request to another host aborted."""
    visit = Visit()
    context = browser.new_context()

    def route(r) -> None:
        if urlparse(r.request.url).hostname in {"127.0.0.1", "localhost"}:
            r.continue_()
        else:
            visit.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context, visit


def launch(context, visit: Visit, url: str, cmi: dict):
    """Open the stand-in LMS in ``context`` with the learner's data ``cmi``; return the page
    and the frame of the chapter page, once its questions are there."""
    page = context.new_page()
    page.add_init_script(f"window.__cmi = {json.dumps(cmi)};")
    page.on("response", lambda resp: resp.status >= 400 and visit.failed.append(resp.url))
    page.goto(url, wait_until="networkidle")
    frame = page.frame_locator("#lms").frame_locator("#peaceops-frame")
    frame.locator("[data-question-id]").first.wait_for()
    return page, frame


def answer(frame, q: bank.Question, right: bool) -> None:
    block = frame.locator(f'[data-question-id="{q.id}"]')
    option = q.answer if right else next(o for o in q.options if o != q.answer)
    block.get_by_label(option, exact=True).check()
    block.get_by_role("button", name="Check", exact=True).click()
    assert block.get_attribute("data-result") == ("right" if right else "wrong")


def calls(page) -> list[list[str]]:
    return page.evaluate("window.calls")


def last_set(page, names: dict, element: str) -> str | None:
    values = [c[2] for c in calls(page) if c[0] == names["set"] and c[1] == element]
    return values[-1] if values else None


def learner(version: str, who: str, suspend: str = "") -> dict:
    if version == "1.2":
        return {"core": {"student_id": who, "student_name": who}, "suspend_data": suspend}
    return {"learner_id": who, "learner_name": who, "suspend_data": suspend}


@pytest.mark.browser
def test_a_sco_reports_to_the_lms_and_restores_the_answers(browser, package) -> None:
    version, written, folder = package
    names = VERSIONS[version]
    sco = sco_of(written, CHAPTER)
    singles = [q for q in bank.by_chapter(bank.load_bank())[CHAPTER] if q.type == "single"]
    good, bad = singles[:2]
    server, url = serve(folder)
    try:
        lms = url + host(folder, version, sco)
        context, visit = lms_context(browser)
        page, frame = launch(context, visit, lms, learner(version, "ana"))
        answer(frame, good, right=True)
        answer(frame, bad, right=False)
        page.wait_for_function(
            f"window.calls.filter(c => c[0] === '{names['commit']}').length >= 2"
        )
        made = calls(page)
        assert made[0] == [names["init"]]
        n = len(sco.questions)
        assert last_set(page, names, names["status"]) == "incomplete"
        assert last_set(page, names, names["raw"]) == str(round(100 / n))
        assert last_set(page, names, names["min"]) == "0"
        assert last_set(page, names, names["max"]) == "100"
        if version == "2004":
            assert float(last_set(page, names, "cmi.score.scaled")) == pytest.approx(
                1 / n, abs=1e-4
            )
            assert float(last_set(page, names, "cmi.progress_measure")) == pytest.approx(
                2 / n, abs=1e-4
            )
        suspend = last_set(page, names, SUSPEND)
        assert good.id in suspend and bad.id in suspend and len(suspend) <= 4096
        sets = [i for i, c in enumerate(made) if c[0] == names["set"]]
        commits = [i for i, c in enumerate(made) if c[0] == names["commit"]]
        assert commits and commits[-1] > sets[-1], "the last values were not committed"
        for element in (names["status"], names["raw"], names["min"], names["max"], SUSPEND):
            held = page.evaluate(f"window.{names['global']}.{names['get']}('{element}')")
            assert held == last_set(page, names, element), element  # the LMS took the value
        assert visit.blocked == [] and visit.failed == []

        # leaving the SCO suspends the attempt and ends the session
        page.evaluate("document.getElementById('lms').remove()")
        page.wait_for_function(f"window.calls.some(c => c[0] === '{names['finish']}')")
        assert last_set(page, names, names["exit"]) == "suspend"
        assert last_set(page, names, names["time"])
        context.close()

        # another browser (nothing stored): the LMS's suspend_data brings the answers back
        context, visit = lms_context(browser)
        again, frame = launch(context, visit, lms, learner(version, "ana", suspend))
        kept = frame.locator(f'[data-question-id="{good.id}"]')
        assert kept.get_attribute("data-result") == "right"
        assert kept.get_by_label(good.answer, exact=True).is_checked()
        assert (
            frame.locator(f'[data-question-id="{bad.id}"]').get_attribute("data-result") == "wrong"
        )
        assert last_set(again, names, names["raw"]) == str(round(100 / n))

        # the same browser, another learner: none of ana's answers show or count
        other, frame = launch(context, visit, lms, learner(version, "ben"))
        assert frame.locator(f'[data-question-id="{good.id}"]').get_attribute("data-result") is None
        assert last_set(other, names, names["raw"]) is None
        assert good.id not in (last_set(other, names, "cmi.suspend_data") or "")
        assert visit.blocked == [] and visit.failed == []
        context.close()
    finally:
        server.shutdown()


@pytest.mark.browser
def test_a_sco_is_complete_when_every_question_is_answered(browser, package) -> None:
    version, written, folder = package
    names = VERSIONS[version]
    sco = sco_of(written, SHORT)
    questions = bank.by_chapter(bank.load_bank())[SHORT]
    assert len(sco.questions) == len(questions) == 2
    server, url = serve(folder)
    try:
        context, visit = lms_context(browser)
        page, frame = launch(
            context, visit, url + host(folder, version, sco), learner(version, "ana")
        )
        answer(frame, questions[0], right=True)
        assert last_set(page, names, names["status"]) == "incomplete"
        answer(frame, questions[1], right=False)
        page.wait_for_function(
            f"window.calls.some(c => c[1] === '{names['status']}' && c[2] === 'completed')"
        )
        assert last_set(page, names, names["raw"]) == "50"
        context.close()
    finally:
        server.shutdown()


@pytest.mark.browser
def test_suspend_data_stays_within_the_scorm_12_limit(browser, package) -> None:
    version, written, folder = package
    if version != "1.2":
        pytest.skip("the 4,096-character limit is SCORM 1.2's")
    names = VERSIONS[version]
    sco = sco_of(written, CHAPTER)
    written_q = next(q for q in bank.by_chapter(bank.load_bank())[CHAPTER] if q.type == "written")
    single = next(q for q in bank.by_chapter(bank.load_bank())[CHAPTER] if q.type == "single")
    server, url = serve(folder)
    try:
        context, visit = lms_context(browser)
        page, frame = launch(
            context, visit, url + host(folder, version, sco), learner(version, "ana")
        )
        answer(frame, single, right=True)
        # on to the chapter's exercise page, in the same SCO session
        launcher = next(f for f in page.frames if f.url.endswith(sco.launch))
        launcher.evaluate(f"document.getElementById('peaceops-frame').src = '../{sco.pages[1]}'")
        block = frame.locator(f'[data-question-id="{written_q.id}"]')
        block.locator("textarea").fill("peacekeeping " * 500)  # 6,500 characters
        block.get_by_role("button", name="Check", exact=True).click()
        page.wait_for_function(
            f"window.calls.some(c => c[1] === 'cmi.suspend_data' && "
            f"c[2].indexOf({json.dumps(written_q.id)}) >= 0)"
        )
        assert last_set(page, names, "cmi.core.lesson_location") == f"../{sco.pages[1]}"
        assert [c[0] for c in calls(page)].count(names["init"]) == 1
        suspend = last_set(page, names, SUSPEND)
        assert len(suspend) <= 4096
        entries = json.loads(suspend)["q"]
        assert entries[written_q.id][1] is None  # the long answer is dropped, its entry stays
        assert entries[single.id][1] == single.answer
        context.close()
    finally:
        server.shutdown()


@pytest.mark.browser
def test_outside_an_lms_the_launch_page_keeps_the_record_in_the_browser(browser, package) -> None:
    version, written, folder = package
    sco = sco_of(written, CHAPTER)
    single = next(q for q in bank.by_chapter(bank.load_bank())[CHAPTER] if q.type == "single")
    server, url = serve(folder / "pkg")
    try:
        page, visit = open_offline(browser, url + sco.launch)
        frame = page.frame_locator("#peaceops-frame")
        answer(frame, single, right=True)
        record = page.evaluate("window.peaceopsRecord.load()")
        assert record["questions"][single.id]["result"] == "right"
        assert page.evaluate("window.peaceopsScorm.api()") is None
        assert visit.blocked == [] and visit.failed == []
        page.context.close()
    finally:
        server.shutdown()
